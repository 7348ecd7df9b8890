"""/api/v1 endpoints of the evaluation module: instruments (read, copy, edit the copy and its items), campaigns
(launch, change, close, remind, release, the group answer, the results), the public answer of a personal link,
PDF reports (the bilan of an RLS, a campaign's results) and the figures of an RLS's dashboard.

Serializers shape the input and offer the objects the user may pick (a hidden id answers like an unknown one);
the actions (evaluation.actions) check the permission and the scope of every object named, and api.errors turns
their refusals into 400/403/409. A campaign never shows its invitations nor who answered: only how many did.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.concertation import ScopedSerializer
from api.errors import DetailError
from api.plans import ConcentrationSerializer, OrganizationLoadSerializer
from api.schema import CONFLICT, MaillageAutoSchema
from api.views import Pagination
from concertation.filters import IdFilter
from concertation.models import Decision
from evaluation import bilan, links
from evaluation.actions import campaigns as campaign_actions
from evaluation.actions import instruments as instrument_actions
from evaluation.actions import reports as report_actions
from evaluation.actions import responses as response_actions
from evaluation.models import Campaign, Instrument, Item, Report, Scale, Section
from evaluation.results import GroupResult, Results, campaign_results
from evaluation.rules import campaign_instances_for, campaigns_for, evaluation_rls_for, instruments_for
from evaluation.views import bilan as bilan_views
from registry.filters import YesNoFilter
from registry.models import Territory

NO_CONTENT = {204: OpenApiResponse(description="Done; nothing to return.")}
ANSWERS_HELP = "Item id → the value on the item's scale (`1`…`5`, `A`/`B`/`C`, `yes`/`no`, an option's value), or "
ANSWERS_HELP += "the text of an open question. Refused values are named `item_<id>`."


# Instruments ----------------------------------------------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    # Every part optional here: the action says, in one message, what an option lacks.
    value = serializers.CharField(max_length=40, required=False, allow_blank=True, help_text="What an answer stores.")
    fr = serializers.CharField(required=False, allow_blank=True, help_text="The French label.")
    en = serializers.CharField(required=False, allow_blank=True, help_text="The English label.")


class ItemSerializer(ScopedSerializer):
    """On creation, `section` is one of the instrument's sections (context "instrument"); it stays on update."""

    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.none(), help_text="One of the instrument's sections; it stays on update."
    )
    options = OptionSerializer(
        many=True, required=False, help_text="A / B / C and choice items: the options, in the order shown."
    )
    read_only_on_update = ("section",)

    class Meta:
        model = Item
        fields = ["id", "section", "code", "text_fr", "text_en", "scale", "options", "polarity", "required", "position"]
        read_only_fields = ["id", "code"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        instrument = self.context.get("instrument")
        if instrument is not None and not fields["section"].read_only:
            fields["section"].queryset = Section.objects.filter(instrument=instrument)
        return fields


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "code", "title_fr", "title_en", "source", "position", "items"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    is_shipped = serializers.BooleanField(read_only=True, help_text="Shipped with Maillage: read-only, to copy.")
    # The action reads the thresholds against each other and says which one is wrong (1 to 5).
    strength_min = serializers.DecimalField(max_digits=None, decimal_places=1, required=False)
    concern_below = serializers.DecimalField(max_digits=None, decimal_places=1, required=False)

    class Meta:
        model = Instrument
        fields = [
            "id", "code", "title_fr", "title_en", "description_fr", "description_en", "source", "scoring",
            "self_evaluation", "strength_min", "concern_below", "rls", "copied_from", "is_shipped",
        ]  # fmt: skip
        read_only_fields = ["code", "source", "scoring", "self_evaluation", "rls", "copied_from"]
        validators = []


class InstrumentDetailSerializer(InstrumentSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(InstrumentSerializer.Meta):
        fields = [*InstrumentSerializer.Meta.fields, "sections"]


class CopySerializer(serializers.Serializer):
    rls = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.none(), help_text="An RLS the user coordinates: the copy belongs to it."
    )
    title_fr = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="“<title> (copy)” when not given."
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["rls"].queryset = evaluation_rls_for(request.user)
        return fields


class InstrumentFilter(django_filters.FilterSet):
    # A text input hands the raw value to the field, which refuses anything but true/false (400).
    shipped = YesNoFilter(
        field_name="rls",
        lookup_expr="isnull",
        widget=forms.TextInput,
        help_text="`true`: the shipped instruments; `false`: the RLS's own.",
    )

    class Meta:
        model = Instrument
        fields = ["shipped"]


class ScopedViewSet(viewsets.GenericViewSet):
    pagination_class = Pagination

    def http_method_not_allowed(self, request, *args, **kwargs):
        # An object outside the user's scope does not exist for them, whatever the method: 404 before 405.
        if self.detail:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Filters narrow lists; an object is found by its id whatever they say.
        return queryset if self.detail else super().filter_queryset(queryset)

    def _input(self, serializer_class, instance=None, partial: bool = False, **context) -> dict:
        context = {**self.get_serializer_context(), **context}
        body = serializer_class(instance, data=self.request.data, partial=partial, context=context)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)


class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The shipped instruments and those of the RLS the user reads; only a copy, by its RLS's coordinators, is
    edited (403 otherwise), and its items only while it has no answers (409)."""

    filterset_class = InstrumentFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        qs = instruments_for(self.request.user).order_by("rls_id", "title_fr", "pk")
        if self.detail:
            items = Prefetch("items", queryset=Item.objects.order_by("position", "pk"))
            sections = Section.objects.order_by("position", "pk").prefetch_related(items)
            qs = qs.prefetch_related(Prefetch("sections", queryset=sections))
        return qs

    def get_serializer_class(self):
        return InstrumentDetailSerializer if self.detail else InstrumentSerializer

    def _detail(self, instrument: Instrument, code: int = status.HTTP_200_OK) -> Response:
        # Read again through the scoped queryset: the response shows the sections and items as they are now.
        fresh = self.get_queryset().get(pk=instrument.pk)
        return Response(InstrumentDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=InstrumentDetailSerializer, responses={200: InstrumentDetailSerializer})
    def partial_update(self, request, *args, **kwargs) -> Response:
        """Titles, descriptions and thresholds of an RLS's copy (a shipped instrument is read-only: 403)."""
        instrument = self.get_object()
        data = self._input(InstrumentDetailSerializer, instrument, partial=True)
        return self._detail(instrument_actions.update_instrument(request.user, instrument, data))

    @extend_schema(request=CopySerializer, responses={201: InstrumentDetailSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None, **kwargs) -> Response:
        """Copy the instrument into an RLS the user coordinates, to adapt the copy."""
        source = self.get_object()
        if not request.user.has_perm("evaluation.add_instrument"):
            raise PermissionDenied(_("Only network coordinators copy an instrument for their RLS."))
        data = self._input(CopySerializer)
        copy = instrument_actions.copy_instrument(request.user, source, data["rls"], data["title_fr"])
        return self._detail(copy, status.HTTP_201_CREATED)

    @extend_schema(request=ItemSerializer, responses={201: ItemSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None, **kwargs) -> Response:
        """Add a question to one of the instrument's sections (409 once the instrument has answers)."""
        instrument = self.get_object()
        data = self._input(ItemSerializer, instrument=instrument)
        item = instrument_actions.add_item(request.user, data.pop("section"), data)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _item(self, item_id) -> Item:
        items = Item.objects.select_related("section__instrument")
        return get_object_or_404(items, pk=item_id, section__instrument=self.get_object())

    @extend_schema(request=ItemSerializer, responses={200: ItemSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"items/(?P<item_id>\d+)")
    def item(self, request, pk=None, item_id=None, **kwargs) -> Response:
        """Change a question (its section stays; 409 once the instrument has answers)."""
        item = self._item(item_id)
        data = self._input(ItemSerializer, item, partial=True, instrument=item.section.instrument)
        return Response(ItemSerializer(instrument_actions.update_item(request.user, item, data)).data)

    @extend_schema(request=None, responses={**NO_CONTENT, **CONFLICT})
    @item.mapping.delete
    def delete_item(self, request, pk=None, item_id=None, **kwargs) -> Response:
        """Remove a question (409 once the instrument has answers)."""
        instrument_actions.delete_item(request.user, self._item(item_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Campaigns ------------------------------------------------------------------------------------------------


class CampaignSerializer(ScopedSerializer):
    """Counts only: neither the invitations nor who answered are ever shown."""

    title = serializers.CharField(
        max_length=200,
        required=False,
        help_text="On creation, the instrument's title and the opening year if not given.",
    )
    # The action says why a size below 3 is refused; here only what the column holds is bounded.
    min_group_size = serializers.IntegerField(
        required=False, max_value=32767, help_text="Groups of fewer respondents are hidden in the results (3 or more)."
    )
    invited = serializers.IntegerField(read_only=True, help_text="Personal links created (individual mode).")
    answered = serializers.IntegerField(read_only=True, help_text="Personal links used to answer.")
    response_rate = serializers.SerializerMethodField(help_text="answered / invited; null when nobody is invited.")
    is_open = serializers.SerializerMethodField(help_text="Answers are accepted today.")
    is_closed = serializers.BooleanField(read_only=True, help_text="Past its closing date, or closed early.")
    scoped = {"instrument": instruments_for, "instances": campaign_instances_for}

    class Meta:
        model = Campaign
        fields = [
            "id", "title", "instrument", "rls", "instances", "opens_on", "closes_on", "closed_at", "mode", "privacy",
            "min_group_size", "invited", "answered", "response_rate", "is_open", "is_closed", "release_decision",
        ]  # fmt: skip
        read_only_fields = ["rls", "closed_at", "release_decision"]
        extra_kwargs = {
            "instrument": {"help_text": "An instrument the user reads; fixed once launched."},
            "instances": {"help_text": "Instances the user coordinates, of one RLS; fixed once launched."},
            "mode": {"help_text": "Fixed once launched."},
            "privacy": {"help_text": "Fixed once launched."},
        }
        # The model's constraints (dates, smallest group) are checked by the actions, on their fields.
        validators = []

    def get_response_rate(self, campaign: Campaign) -> float | None:
        invited = getattr(campaign, "invited", 0)
        return round(campaign.answered / invited, 4) if invited else None

    def get_is_open(self, campaign: Campaign) -> bool:
        return campaign.is_open()


class ReleaseSerializer(serializers.Serializer):
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.none(),
        help_text="A decision recorded in a meeting of one of the campaign's instances.",
    )

    def get_fields(self):
        fields = super().get_fields()
        campaign = self.context.get("campaign")
        if campaign is not None:
            fields["decision"].queryset = Decision.objects.filter(meeting__instance__in=campaign.instances.all())
        return fields


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(help_text="People whose link is unused and who will be reminded.")


def answers_field(**kwargs) -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True), **kwargs)


class GroupAnswerSerializer(serializers.Serializer):
    answers = answers_field(help_text=ANSWERS_HELP)
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict,
        help_text="Item id → the discussion note.",
    )  # fmt: skip
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Summary of the discussion."
    )


class GroupAnswerDoneSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="Answers recorded (they replace the group's previous ones).")


class CampaignFilter(django_filters.FilterSet):
    instance = IdFilter(method="filter_instance", help_text="Id of an instance the campaign was sent to.")
    instrument = IdFilter(field_name="instrument")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[
            ("open", pgettext_lazy("campaign", "Open")),
            ("closed", pgettext_lazy("campaign", "Closed")),
            ("upcoming", pgettext_lazy("campaign", "Upcoming")),
        ],
        help_text="`open`: answers accepted today; `closed`: past closing or closed early; `upcoming`: not yet open.",
    )

    class Meta:
        model = Campaign
        fields = ["instance", "instrument", "status"]

    def filter_instance(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # A subquery rather than a join: the join would multiply the rows the counts are taken on.
        sent_to = Campaign.instances.through.objects.filter(campaign=OuterRef("pk"), instance_id=value)
        return queryset.filter(Exists(sent_to))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        closed = Q(closed_at__isnull=False) | Q(closes_on__lt=today)
        if value == "closed":
            return queryset.filter(closed)
        if value == "upcoming":
            return queryset.filter(closed_at__isnull=True, opens_on__gt=today)
        return queryset.exclude(closed).filter(opens_on__lte=today)


def with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
    )


# Results --------------------------------------------------------------------------------------------------
# What campaign_results computed, shown as it is: where the anonymity rule hid something, the cell says
# `"suppressed": true` with the reason, and carries no figure.


def _fewer_than(n: int) -> str:
    return ngettext(
        "Fewer than %(count)d respondent: no figure is shown, so that no one can be recognised.",
        "Fewer than %(count)d respondents: no figure is shown, so that no one can be recognised.",
        n,
    ) % {"count": n}


class DistributionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField(help_text="In the reader's language.")
    count = serializers.IntegerField()

    def to_representation(self, row: tuple[str, str, int]) -> dict:
        value, label, count = row
        return {"value": value, "label": str(label), "count": count}


class ItemResultSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    code = serializers.CharField(source="item.code")
    text = serializers.CharField(source="item.text", help_text="In the reader's language (French if no English).")
    scale = serializers.ChoiceField(source="item.scale", choices=Scale.choices)
    n = serializers.IntegerField(help_text="Answers given to this item.")
    mean = serializers.FloatField(allow_null=True, help_text="Likert items: the mean answer (1 to 5).")
    share_yes = serializers.FloatField(allow_null=True, help_text="Yes / no items: the share of yes (0 to 1).")
    distribution = DistributionSerializer(many=True, help_text="How many chose each value, in the scale's order.")
    unfavourable = serializers.BooleanField(help_text="A / B / C items: C at least as frequent as A and as B.")
    note = serializers.CharField(help_text="A group answer: the discussion note.")
    comments = serializers.ListField(child=serializers.CharField(), help_text="Open questions: sorted by text.")


def _abc(counts: dict[str, int]) -> dict[str, int] | None:
    return counts or None


ABC_FIELD = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
ABC_COUNTS = serializers.DictField(child=serializers.IntegerField())


class SectionResultSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section.pk")
    code = serializers.CharField(source="section.code")
    title = serializers.CharField(source="section.title")
    n = serializers.IntegerField(help_text="Respondents behind the figures.")
    mean = serializers.FloatField(allow_null=True, help_text="Mean of each respondent's mean of the Likert items.")
    sd = serializers.FloatField(allow_null=True, help_text="Sample standard deviation of those means.")
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    # A string, not an enum: the instances' `level` already names an enum of the schema.
    level = serializers.CharField(
        allow_null=True, help_text="`strength`, `watch` or `concern`, read against the instrument's thresholds."
    )
    level_label = serializers.CharField()
    abc = serializers.SerializerMethodField(help_text="A / B / C counts of the section; null without such items.")
    items = ItemResultSerializer(many=True)

    @extend_schema_field(ABC_FIELD)
    def get_abc(self, section) -> dict[str, int] | None:
        return _abc(section.abc)


class CellSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)


class GroupSerializer(serializers.Serializer):
    """A sector or an instance of the breakdown."""

    label = serializers.CharField()
    n = serializers.IntegerField(allow_null=True, help_text="Respondents of the group; null when suppressed.")
    suppressed = serializers.BooleanField()
    reason = serializers.SerializerMethodField()
    means = serializers.SerializerMethodField(help_text="Section code → the group's mean, or why it is hidden.")
    abc = serializers.SerializerMethodField(help_text="Section code → A / B / C counts; null when suppressed.")

    def _minimum(self) -> int:
        return self.context["min_group_size"]

    def get_reason(self, group: GroupResult) -> str | None:
        if not group.suppressed:
            return None
        return ngettext(
            "Hidden: this group, or another one of the breakdown, has fewer than %(count)d respondent.",
            "Hidden: this group, or another one of the breakdown, has fewer than %(count)d respondents.",
            self._minimum(),
        ) % {"count": self._minimum()}

    @extend_schema_field(serializers.DictField(child=CellSerializer()))
    def get_means(self, group: GroupResult) -> dict[str, dict]:
        cells = {}
        for code, mean in group.means.items():
            if group.suppressed:
                cells[code] = {"mean": None, "suppressed": True, "reason": self.get_reason(group)}
            elif mean is None:
                reason = ngettext(
                    "Fewer than %(count)d respondent of this group answered this section.",
                    "Fewer than %(count)d respondents of this group answered this section.",
                    self._minimum(),
                ) % {"count": self._minimum()}
                cells[code] = {"mean": None, "suppressed": True, "reason": reason}
            else:
                cells[code] = {"mean": mean, "suppressed": False, "reason": None}
        return cells

    @extend_schema_field(serializers.DictField(child=ABC_COUNTS, allow_null=True))
    def get_abc(self, group: GroupResult) -> dict | None:
        return None if group.suppressed else group.abc


class SectorGroupSerializer(GroupSerializer):
    sector = serializers.CharField(source="key", help_text="The sector's code (blank: not recorded).")


class InstanceGroupSerializer(GroupSerializer):
    instance = serializers.IntegerField(source="key", allow_null=True, help_text="Null: an instance since deleted.")


class ComparisonSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk", help_text="The previous campaign (one the user sees).")
    title = serializers.CharField(source="campaign.title")
    opens_on = serializers.DateField(source="campaign.opens_on")
    means = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Section code → its mean then; null where it had too few respondents, or none.",
    )
    deltas = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Section code → this mean minus that one."
    )


class CampaignResultsSerializer(serializers.Serializer):
    """Below the campaign's smallest group (individual answers), `suppressed` is true with its reason and every
    figure is empty; a sector or instance group too small, or one that would give a hidden one away, likewise."""

    campaign = serializers.IntegerField(source="campaign.pk")
    instrument = serializers.IntegerField(source="instrument.pk")
    scoring = serializers.ChoiceField(choices=Instrument.Scoring.choices)
    is_group = serializers.BooleanField(help_text="One consensual answer recorded for the group.")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField(source="used", help_text="Personal links used.")
    respondents = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True, help_text="answered / invited; null for a group answer.")
    min_group_size = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    reason = serializers.SerializerMethodField()
    sections = SectionResultSerializer(many=True)
    abc = serializers.SerializerMethodField(help_text="A / B / C counts of the instrument; null without such items.")
    by_sector = SectorGroupSerializer(many=True, help_text="Individual answers only.")
    by_instance = InstanceGroupSerializer(many=True, help_text="Only when the campaign covers several instances.")
    sector_gap = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Section code → community minus public mean; null unless both groups are shown.",
    )
    previous = ComparisonSerializer(allow_null=True, help_text="The previous campaign of the same instrument.")
    comments = serializers.ListField(child=serializers.CharField(), help_text="Every open-text answer, by text.")
    benefits_ticked = serializers.FloatField(allow_null=True, help_text="Checklist: mean benefits ticked.")
    drawbacks_ticked = serializers.FloatField(allow_null=True, help_text="Checklist: mean drawbacks ticked.")
    balance = ItemResultSerializer(allow_null=True, help_text="Checklist: the overall judgement.")

    def __init__(self, instance: Results | None = None, **kwargs) -> None:
        super().__init__(instance, **kwargs)
        if instance is not None:
            self.context.setdefault("min_group_size", instance.min_group_size)

    def get_reason(self, results: Results) -> str | None:
        return _fewer_than(results.min_group_size) if results.suppressed else None

    @extend_schema_field(ABC_FIELD)
    def get_abc(self, results: Results) -> dict[str, int] | None:
        return _abc(results.abc)


@extend_schema_view(
    create=extend_schema(request=CampaignSerializer, responses={201: CampaignSerializer}),
    partial_update=extend_schema(request=CampaignSerializer, responses={200: CampaignSerializer, **CONFLICT}),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Run by the coordinators of the campaign's RLS (403 for the others who see it); seen by the members of its
    instances, and by the rest of the RLS once the members released the results (404 otherwise)."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        qs = campaigns_for(self.request.user).prefetch_related("instances")
        return with_counts(qs).order_by("-opens_on", "title", "pk")

    def _detail(self, campaign: Campaign, code: int = status.HTTP_200_OK) -> Response:
        # Not through the user's scope: a coordinator always sees what they just launched or changed.
        fresh = with_counts(Campaign.objects.filter(pk=campaign.pk).prefetch_related("instances")).get()
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs) -> Response:
        """Launch a campaign: one personal link per current member with an e-mail address, sent once it opens."""
        if not request.user.has_perm("evaluation.add_campaign"):
            raise PermissionDenied(_("Only network coordinators launch an evaluation campaign."))
        data = self._input(CampaignSerializer)
        if not data.get("title", "").strip():
            data["title"] = f"{data['instrument'].title} {data['opens_on'].year}"
        return self._detail(campaign_actions.create_campaign(request.user, data), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs) -> Response:
        """Title, dates and smallest group shown; another instrument, instances, mode or privacy answers 409."""
        campaign = self.get_object()
        data = self._input(CampaignSerializer, campaign, partial=True)
        if "instances" in data and set(data["instances"]) == set(campaign.instances.all()):
            data.pop("instances")  # the same instances in another order are no change
        return self._detail(campaign_actions.update_campaign(request.user, campaign, data))

    @extend_schema(request=None, responses={200: CampaignSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, **kwargs) -> Response:
        """Close before the closing date: no more answers are accepted (409 if already closed)."""
        campaign = self.get_object()
        return self._detail(campaign_actions.close_campaign(request.user, campaign))

    @extend_schema(request=None, responses={200: RemindedSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None, **kwargs) -> Response:
        """E-mail the same personal link again to those who have not answered (409 unless open)."""
        return Response({"reminded": campaign_actions.send_reminders(request.user, self.get_object())})

    @extend_schema(request=ReleaseSerializer, responses={200: CampaignSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None, **kwargs) -> Response:
        """Record the members' decision that lets the results leave the instances."""
        campaign = self.get_object()
        decision = self._input(ReleaseSerializer, campaign=campaign)["decision"]
        return self._detail(campaign_actions.release_results(request.user, campaign, decision))

    @extend_schema(request=GroupAnswerSerializer, responses={201: GroupAnswerDoneSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="group-answer")
    def group_answer(self, request, pk=None, **kwargs) -> Response:
        """The group's one consensual answer per question, with the discussion notes (group mode only: 409)."""
        campaign = self.get_object()
        data = self._input(GroupAnswerSerializer)
        response = response_actions.record_group_answer(
            request.user, campaign, data["answers"], data["notes"], data["summary"]
        )
        return Response({"recorded": response.answers.count()}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CampaignResultsSerializer})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def results(self, request, pk=None, **kwargs) -> Response:
        """The campaign's results, to whoever sees the campaign; what the anonymity rule hides says so."""
        campaign = self.get_object()
        # The previous campaign compared with is one the user may open as well.
        found = campaign_results(campaign, visible=campaigns_for(request.user))
        return Response(CampaignResultsSerializer(found, context=self.get_serializer_context()).data)


# Answering through a personal link ------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The personal link's token (`<id>.<signature>`).")
    answers = answers_field(help_text=ANSWERS_HELP)


class ReceivedSerializer(serializers.Serializer):
    received = serializers.BooleanField(help_text="Always true: nothing identifies the response.")


class PublicSchema(MaillageAutoSchema):
    """No account: the token in the body is the credential, so neither 401 nor 403 can answer."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            for code in ("401", "403"):
                operation["responses"].pop(code, None)
        return operation


class ResponseViewSet(viewsets.GenericViewSet):
    """The answer of a personal link, without an account (no session, hence no CSRF check)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AnswerSerializer
    parser_classes = [JSONParser]
    pagination_class = None
    filterset_class = None
    schema = PublicSchema()

    @extend_schema(
        auth=[],
        request=AnswerSerializer,
        responses={
            201: ReceivedSerializer,
            404: OpenApiResponse(DetailError, description="The link is malformed, forged or unknown."),
            **CONFLICT,
        },
        description="Answer a survey through a personal link. Nothing is written unless every answer is valid; a "
        "closed survey or a link already used (anonymous survey) answers 409.",
    )  # fmt: skip
    def create(self, request, *args, **kwargs) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = body.validated_data["token"]
        # No throttle: a link is an HMAC of 256 bits, which no number of tries will guess.
        invitation = links.find_invitation(token)
        if invitation is None:
            raise Http404
        response_actions.submit_response(invitation, body.validated_data["answers"])
        return Response({"received": True}, status=status.HTTP_201_CREATED)


# PDF reports ----------------------------------------------------------------------------------------------
# Built in the background: a request answers 202 with the report waiting; its status and progress are read back
# until it is `done`, then `download_url` gives the PDF. Kinds, statuses and languages are plain strings here (the
# schema already has enums named `kind`, `status` and `language` with other values).


class PdfReportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="`bilan` (an RLS over a period) or `campaign`.")
    language = serializers.CharField(read_only=True, help_text="`fr` or `en`.")
    status = serializers.CharField(read_only=True, help_text="`queued`, `running`, `done` or `failed`.")
    progress = serializers.IntegerField(read_only=True, help_text="Percent done (0 to 100).")
    error = serializers.CharField(read_only=True, help_text="The step that failed and the kind of error, if any.")
    download_url = serializers.SerializerMethodField(help_text="The PDF once `done`; null before.")

    class Meta:
        model = Report
        fields = [
            "id", "kind", "rls", "campaign", "period_start", "period_end", "language", "status", "progress",
            "requested_at", "finished_at", "error", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if not report.is_ready:
            return None
        path = reverse("report-file", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PdfReportRequestSerializer(serializers.Serializer):
    """A bilan names its RLS and period; a campaign's report names the campaign. The action checks the rest."""

    kind = serializers.CharField(help_text="`bilan` or `campaign`.")
    rls = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.filter(kind=Territory.Kind.RLS), required=False, allow_null=True,
        help_text="A bilan: the RLS (one the user coordinates or analyses).",
    )  # fmt: skip
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.none(), required=False, allow_null=True,
        help_text="A campaign's report: a campaign whose results the user sees.",
    )  # fmt: skip
    period_start = serializers.DateField(required=False, allow_null=True, help_text="A bilan: the first day.")
    period_end = serializers.DateField(
        required=False, allow_null=True, help_text="A bilan: the last day, today at the latest (15 years at most)."
    )
    language = serializers.CharField(required=False, default="fr", help_text="`fr` (default) or `en`.")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = campaigns_for(request.user)
        return fields

    def validate_kind(self, value: str) -> str:
        if value not in Report.Kind.values:
            raise serializers.ValidationError(_("Choose `bilan` or `campaign`."))
        return value


class ReportFilter(django_filters.FilterSet):
    rls = IdFilter(field_name="rls")
    campaign = IdFilter(field_name="campaign")

    class Meta:
        model = Report
        fields = ["rls", "campaign"]


@extend_schema_view(list=extend_schema(description="The reports the user may download, latest first."))
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """A report is read by its requester and by the coordinators of its RLS (404 otherwise)."""

    serializer_class = PdfReportSerializer
    filterset_class = ReportFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return report_actions.reports_for(self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(request=PdfReportRequestSerializer, responses={202: PdfReportSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        """Ask for a PDF report: the bilan of an RLS's concertation over a period, or a campaign's results. It is
        produced in the background; follow its `status` and `progress`."""
        data = self._input(PdfReportRequestSerializer)
        if data["kind"] == Report.Kind.CAMPAIGN:
            report = report_actions.request_campaign_report(request.user, data.get("campaign"), data["language"])
        else:
            report = report_actions.request_bilan(
                request.user, data.get("rls"), data.get("period_start"), data.get("period_end"), data["language"]
            )
        fresh = Report.objects.get(pk=report.pk)  # a backend that runs it at once has already moved it on
        return Response(self.get_serializer(fresh).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filterset_class=None)
    def file(self, request, pk=None, **kwargs) -> FileResponse:
        """The PDF of a report that is `done` (404 before); the download is logged."""
        report = self.get_object()
        if not report.is_ready:
            raise Http404
        return bilan_views.download(request, report)


# The RLS dashboard's figures ------------------------------------------------------------------------------


class SeriesYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organizations = serializers.IntegerField(help_text="Distinct member organisations across the instances.")
    instances = serializers.IntegerField(help_text="Instances with at least one member that year.")


class InstanceMembersSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    members = serializers.IntegerField(help_text="Member organisations in the last year shown.")


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    date = serializers.DateField()
    kind = serializers.CharField(help_text="The context event's kind (as in /instances/{id}/timeline/).")
    title = serializers.CharField()
    instance = serializers.IntegerField(source="instance_id", allow_null=True, help_text="Null: the whole RLS.")


class ExitYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Memberships that ended that year.")


class ParticipationBlockSerializer(serializers.Serializer):
    years = SeriesYearSerializer(many=True, source="series")
    year = serializers.IntegerField(help_text="The last year shown, that of `instances`.")
    instances = InstanceMembersSerializer(many=True, source="per_instance")
    events = EventSerializer(many=True)
    exits = ExitYearSerializer(many=True)


class LoadBlockSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    concentration = ConcentrationSerializer()
    top = OrganizationLoadSerializer(many=True, help_text="The most solicited organisations, by meeting hours.")


class AgreementKindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

    def to_representation(self, row: tuple) -> dict:
        kind, label, count = row
        return {"kind": kind, "label": str(label), "count": count}


class FundingYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="CAD.")
    agreements = serializers.IntegerField(source="n")


class DriftingSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    name = serializers.CharField(source="organization__name")
    year = serializers.IntegerField()
    service_share = serializers.FloatField(help_text="Percent of the year's funding from service agreements.")


class AgreementsBlockSerializer(serializers.Serializer):
    in_force = serializers.IntegerField()
    by_kind = AgreementKindCountSerializer(many=True, help_text="Agreements in force by kind (kinds with any).")
    funding = FundingYearSerializer(many=True)
    expiring = serializers.IntegerField(source="expiring_count")
    late_reports = serializers.IntegerField(source="late_count")
    community_organizations = serializers.IntegerField(source="community")
    drifting_count = serializers.IntegerField(
        help_text="Community organisations whose service-agreement money overtakes mission funding."
    )
    drifting = DriftingSerializer(many=True)


class SectionScoreSerializer(serializers.Serializer):
    code = serializers.CharField(source="section.code")
    title = serializers.CharField(source="section.title")
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    level = serializers.CharField(allow_null=True, help_text="`strength`, `watch` or `concern`.")


class SurveySerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk")
    title = serializers.CharField(source="campaign.title")
    instrument = serializers.IntegerField(source="campaign.instrument_id")
    opens_on = serializers.DateField(source="campaign.opens_on")
    closes_on = serializers.DateField(source="campaign.closes_on")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    respondents = serializers.IntegerField()
    suppressed = serializers.BooleanField(help_text="Too few respondents: no figure, as in the campaign's results.")
    sections = SectionScoreSerializer(many=True)


class PlacementSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension_code")
    dimension_label = serializers.CharField(source="dimension")
    placement = serializers.CharField(source="code")
    placement_label = serializers.CharField(source="placement")
    confidence = serializers.CharField(help_text="`low`, `medium` or `high`.")


class DiagnosisBlockSerializer(serializers.Serializer):
    period = serializers.ListField(child=serializers.IntegerField(), help_text="The calendar years read.")
    placements = PlacementSerializer(many=True)


class RlsDashboardSerializer(serializers.Serializer):
    rls = serializers.IntegerField(source="rls.pk")
    name = serializers.CharField(source="rls.name")
    participation = ParticipationBlockSerializer()
    load = LoadBlockSerializer()
    agreements = AgreementsBlockSerializer()
    surveys = SurveySerializer(many=True, help_text="The latest closed campaign of each instrument the user sees.")
    diagnosis = DiagnosisBlockSerializer()


@extend_schema(
    parameters=[
        OpenApiParameter("year", int, description="The year of the concertation load (this year if not given).")
    ],
    responses=RlsDashboardSerializer,
    description="The figures of an RLS's dashboard, as the user may see them (its coordinators and analysts).",
)
@api_view(["GET"])
def rls_dashboard(request, pk: int, **kwargs) -> Response:
    rls = get_object_or_404(report_actions.bilan_rls_for(request.user), pk=pk)
    year = request.query_params.get("year", "")
    this_year = timezone.localdate().year
    load_year = int(year) if year.isdigit() and 1990 <= int(year) <= this_year else None
    return Response(RlsDashboardSerializer(bilan.dashboard(rls, request.user, load_year)).data)
