"""Back office: the shipped instruments are reference data an administrator may correct (every change audited);
campaigns are read-only here, and responses and invitations are not shown at all (anonymity: the back office
must not be a way round the suppression rule)."""

from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin
from evaluation.models import Campaign, Instrument, Item, PlacementNote, Report, Section


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "text_fr", "text_en", "scale", "polarity", "required"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NotDeleted(AuditedAdmin):
    """Campaigns and their answers refer to instruments, their sections and items: corrected, never deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(NotDeleted):
    list_display = ["title_fr", "scoring", "rls", "strength_min", "concern_below"]
    list_filter = ["scoring"]
    search_fields = ["title_fr", "title_en", "code"]


@admin.register(Section)
class SectionAdmin(NotDeleted):
    list_display = ["title_fr", "instrument", "position"]
    list_filter = ["instrument"]
    inlines = [ItemInline]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "instrument", "rls", "opens_on", "closes_on", "mode", "privacy"]
    list_filter = ["mode", "privacy"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """PDF reports, beside the task results that build them."""

    list_display = ["kind", "rls", "campaign", "language", "status", "progress", "requested_by", "requested_at"]
    list_filter = ["kind", "status"]


@admin.register(PlacementNote)
class PlacementNoteAdmin(ReadOnlyAdmin):
    list_display = ["dimension", "stance", "instance", "rls", "author", "created_at"]
    list_filter = ["stance", "dimension"]
