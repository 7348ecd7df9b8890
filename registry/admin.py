from django.contrib import admin

from registry.models import (
    Affiliation,
    FundingLine,
    Organization,
    Person,
    RoleAssignment,
    Territory,
    TerritoryPopulation,
)


class PopulationInline(admin.TabularInline):
    model = TerritoryPopulation
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    filter_horizontal = ("grouped_municipalities",)
    readonly_fields = ("path",)
    inlines = [PopulationInline]
    list_select_related = ("parent",)


class FundingInline(admin.TabularInline):
    model = FundingLine
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    raw_id_fields = ("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "is_aca", "rls", "is_public", "archived_at")
    list_filter = ("sector", "is_aca", "is_public")
    search_fields = ("name", "neq")
    raw_id_fields = ("rls",)
    filter_horizontal = ("territories",)
    inlines = [FundingInline, AffiliationInline]
    list_select_related = ("rls",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "position", "decision_level", "archived_at")
    list_filter = ("decision_level",)
    search_fields = ("last_name", "first_name", "email")
    inlines = [AffiliationInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "rls", "organization")
    list_filter = ("role",)
    raw_id_fields = ("user", "rls", "organization")
    list_select_related = ("user", "rls", "organization")
