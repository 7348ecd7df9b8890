"""Back office: the legal bases and the rules of each kind are reference data the administrator keeps up to date
when the law moves (domain.md §8: Santé Québec, G-1.021), with every change in the audit log; agreements are
read-only here: no addition, change or deletion (their writes go through the audited actions)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, KindRule, LegalBasis, SectionCode
from core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(LegalBasis)
class LegalBasisAdmin(AuditedAdmin):
    list_display = ["law", "chapter", "article", "purpose", "in_force_from", "in_force_to", "to_verify"]
    list_filter = ["to_verify", "purpose", "chapter"]
    search_fields = ["law", "law_en", "chapter", "article", "title", "summary"]
    fieldsets = [
        (None, {"fields": ["law", "law_en", "chapter", "article", "title", "title_en", "purpose"]}),
        (_("In force"), {"fields": ["in_force_from", "in_force_to"]}),
        (_("Verification"), {"fields": ["to_verify", "verification_note"]}),
        (_("Texts shown to users"), {"fields": ["summary", "summary_en", "clause", "clause_en", "complaints_officer",
                                                 "complaints_officer_en"]}),
    ]  # fmt: skip

    def has_delete_permission(self, request, obj=None) -> bool:
        # Agreements cite it: a basis the law repeals gets an end of validity instead.
        return False


class KindRuleForm(forms.ModelForm):
    required_sections = forms.MultipleChoiceField(
        label=_("required sections"), choices=SectionCode.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = KindRule
        fields = ["kind", "legal_basis", "required_sections"]


@admin.register(KindRule)
class KindRuleAdmin(AuditedAdmin):
    form = KindRuleForm
    list_display = ["kind", "legal_basis"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "rls", "start_date", "end_date"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
