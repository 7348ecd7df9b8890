from django.contrib import admin

from core import audit
from core.models import AuditEvent
from registry.models import (
    Affiliation,
    FundingLine,
    Organization,
    Person,
    RoleAssignment,
    Territory,
    TerritoryPopulation,
)


class AuditedAdmin(admin.ModelAdmin):
    """Back-office changes go to the record's history page like those made through the registry pages.
    (Inline rows — funding, affiliations, populations — are not itemised; Django's admin log lists them.)"""

    def save_model(self, request, obj, form, change) -> None:
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        concrete = {f.name for f in obj._meta.concrete_fields}
        changes = {}
        for name in form.changed_data:
            if name in concrete:
                changes[name] = [audit.jsonable(getattr(before, name, None)), audit.jsonable(getattr(obj, name))]
            else:  # many-to-many: what the form started with and what it saves
                old = sorted(str(x) for x in form.initial.get(name) or []) if change else []
                changes[name] = [old, sorted(str(x) for x in form.cleaned_data.get(name) or [])]
        if changes or not change:
            action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
            audit.record(request.user, action, obj, changes, request)

    def delete_model(self, request, obj) -> None:
        audit.record(request.user, AuditEvent.Action.DELETE, obj, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit.record(request.user, AuditEvent.Action.DELETE, obj, request=request)
        super().delete_queryset(request, queryset)


class PopulationInline(admin.TabularInline):
    model = TerritoryPopulation
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(AuditedAdmin):
    list_display = ("name", "kind", "parent", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    filter_horizontal = ("grouped_municipalities",)
    inlines = [PopulationInline]
    list_select_related = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # Moving a territory rewrites its subtree's paths: the registry's "Edit or move" page does it.
        return ("path", "parent") if obj else ("path",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:  # the tree path, without which descendant filters and RLS scopes match everything
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
            obj.save(update_fields=["path"])


class FundingInline(admin.TabularInline):
    model = FundingLine
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    raw_id_fields = ("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "sector", "is_aca", "rls", "is_public", "archived_at")
    list_filter = ("sector", "is_aca", "is_public")
    search_fields = ("name", "neq")
    raw_id_fields = ("rls",)
    filter_horizontal = ("territories",)
    inlines = [FundingInline, AffiliationInline]
    list_select_related = ("rls",)


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "position", "decision_level", "archived_at")
    list_filter = ("decision_level",)
    search_fields = ("last_name", "first_name", "email")
    inlines = [AffiliationInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "rls", "organization")
    list_filter = ("role",)
    raw_id_fields = ("user", "rls", "organization")
    list_select_related = ("user", "rls", "organization")
