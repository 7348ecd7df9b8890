"""/api/v1 endpoints of the evaluation's surveys: instruments (read, copy, edit the copy and its items), campaigns
(launch, change, close, remind, release, the group answer, the results) and the public answer of a personal link.

Serializers shape the input and offer the objects the user may pick (a hidden id answers like an unknown one);
the actions (evaluation.actions) check the permission and the scope of every object named, and api.errors turns
their refusals into 400/403/409. A campaign never shows its invitations nor who answered: only how many did.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.concertation import ScopedSerializer
from api.errors import DetailError
from api.schema import CONFLICT, MaillageAutoSchema
from api.survey_results import CampaignResultsSerializer
from api.views import Pagination
from concertation.filters import IdFilter
from concertation.models import Decision
from evaluation import links
from evaluation.actions import campaigns as campaign_actions
from evaluation.actions import instruments as instrument_actions
from evaluation.actions import responses as response_actions
from evaluation.models import Campaign, Instrument, Item, Section
from evaluation.results import campaign_results
from evaluation.rules import campaign_instances_for, campaigns_for, evaluation_rls_for, instruments_for
from registry.filters import YesNoFilter
from registry.models import Territory

NO_CONTENT = {204: OpenApiResponse(description="Done; nothing to return.")}
ANSWERS_HELP = "Item id → the value on the item's scale (`1`…`5`, `A`/`B`/`C`, `yes`/`no`, an option's value), or "
ANSWERS_HELP += "the text of an open question. Refused values are named `item_<id>`. A relations item (scale "
ANSWERS_HELP += "`relations`, individual campaigns only) takes a list of up to 40 organisations of the campaign's RLS "
ANSWERS_HELP += "other than the respondent's own, each once, with three ratings from 1 to 5: "
ANSWERS_HELP += '`[{"organization": 12, "frequency": 3, "usefulness": 4, "trust": 4}]`. A refused entry is named '
ANSWERS_HELP += "`item_<id>.<position>` (from 0); the response then records the respondent's organisation."


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


class SectionInputSerializer(serializers.Serializer):
    title_fr = serializers.CharField(max_length=200, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


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

    @extend_schema(request=SectionInputSerializer, responses={201: SectionSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def sections(self, request, pk=None, **kwargs) -> Response:
        """Add a section (a condition or factor) at the end of the instrument (409 once it has answers)."""
        instrument = self.get_object()
        data = self._input(SectionInputSerializer)
        section = instrument_actions.add_section(request.user, instrument, data)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)

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


# The scales are evaluation.models.network's *_LABELS (1 to 5), summed up here in the schema's language.
RELATION_ENTRY = {
    "type": "object",
    "description": "An organisation the respondent's organisation works with, and the tie's three ratings.",
    "properties": {
        "organization": {"type": "integer", "description": "Id of an active organisation of the campaign's RLS."},
        "frequency": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5,
            "description": "How often: 1 once or twice a year … 5 several times a week.",
        },
        "usefulness": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5,
            "description": "How useful to the respondent's work: 1 of little use … 5 essential.",
        },
        "trust": {"type": "integer", "minimum": 1, "maximum": 5, "description": "Trust: 1 not yet … 5 complete trust."},
    },
    "required": ["organization", "frequency", "usefulness", "trust"],
}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "nullable": True, "description": "A value of the item's scale, or an open answer."},
            {"type": "array", "maxItems": 40, "items": RELATION_ENTRY, "description": "A relations item's answer."},
        ]
    }
)
class AnswerValueField(serializers.JSONField):
    """A scale value or open text (a string, as the other items take it), or a relations item's list: the action
    reads each against its item and names what it refuses."""

    def to_internal_value(self, data):
        if isinstance(data, list | type(None)):
            return data
        if isinstance(data, dict):
            raise serializers.ValidationError(_("Give a value, a text or, for a relations question, a list."))
        return str(data)


def answers_field(**kwargs) -> serializers.DictField:
    return serializers.DictField(child=AnswerValueField(), **kwargs)


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
        return qs.with_counts().order_by("-opens_on", "title", "pk")

    def _detail(self, campaign: Campaign, code: int = status.HTTP_200_OK) -> Response:
        # Not through the user's scope: a coordinator always sees what they just launched or changed.
        fresh = Campaign.objects.filter(pk=campaign.pk).prefetch_related("instances").with_counts().get()
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
