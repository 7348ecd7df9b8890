from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin
from registry.models import (
    Affiliation,
    ChangeRequest,
    FundingLine,
    Organization,
    OrganizationLink,
    Person,
    RoleAssignment,
    Territory,
    TerritoryPopulation,
)


class HistoryAdmin(AuditedAdmin):
    """Territories, organisations and people hold history (agreements, meetings, memberships name them; deleting
    one would cascade to its affiliations, funding, roles): organisations and people are archived on the registry's
    pages, territories are corrected, none is deleted here."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PopulationInline(admin.TabularInline):
    model = TerritoryPopulation
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(HistoryAdmin):
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
    can_delete = False  # an affiliation that ends gets an end date: who represented whom stays known
    raw_id_fields = ("person", "organization")


@admin.register(OrganizationLink)
class OrganizationLinkAdmin(HistoryAdmin):
    """Mergers and replacements (CSSS → CISSS, commission scolaire → centre de services scolaire): reference data
    the platform administrator records (and corrects rather than deletes); the organisation pages and the API show
    them."""

    list_display = ("predecessor", "successor", "kind", "date")
    list_filter = ("kind",)
    raw_id_fields = ("predecessor", "successor")
    list_select_related = ("predecessor", "successor")


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ("name", "sector", "is_aca", "rls", "is_public", "archived_at")
    list_filter = ("sector", "is_aca", "is_public", "funding_visibility")
    search_fields = ("name", "neq")
    raw_id_fields = ("rls",)
    filter_horizontal = ("territories",)
    inlines = [FundingInline, AffiliationInline]
    list_select_related = ("rls",)
    # is_aca follows the eight criteria (the registry's actions compute it).
    readonly_fields = ("is_aca",)

    def save_model(self, request, obj, form, change) -> None:
        obj.is_aca = all(getattr(obj, code) for code in Organization.AcaCriterion.values)
        super().save_model(request, obj, form, change)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    """Proposals are made and answered on the organisation's page (or the API), audited there."""

    list_display = ("organization", "kind", "status", "proposed_by", "proposed_at", "decided_at")
    list_filter = ("status", "kind")
    list_select_related = ("organization", "proposed_by")


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("last_name", "first_name", "position", "decision_level", "archived_at")
    list_filter = ("decision_level",)
    search_fields = ("last_name", "first_name", "email")
    inlines = [AffiliationInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    """Granting and withdrawing a role (deleting the assignment) are both in the audit log."""

    list_display = ("user", "role", "rls", "organization")
    list_filter = ("role",)
    raw_id_fields = ("user", "rls", "organization")
    list_select_related = ("user", "rls", "organization")
