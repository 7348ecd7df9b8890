"""Back office: the legal bases and the rules of each kind are reference data the administrator keeps up to date
when the law moves (domain.md §8: Santé Québec, G-1.021); agreements are read-only here (their writes go
through the audited actions)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, KindRule, LegalBasis, SectionCode


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["law", "article", "in_force_from", "in_force_to"]
    search_fields = ["law", "article", "summary"]


class KindRuleForm(forms.ModelForm):
    required_sections = forms.MultipleChoiceField(
        label=_("required sections"), choices=SectionCode.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = KindRule
        fields = ["kind", "legal_basis", "complaints_basis", "required_sections"]


@admin.register(KindRule)
class KindRuleAdmin(admin.ModelAdmin):
    form = KindRuleForm
    list_display = ["kind", "legal_basis"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "rls", "start_date", "end_date"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Agreement._meta.fields] + ["instances", "action_plans"]

    def has_add_permission(self, request) -> bool:
        return False
