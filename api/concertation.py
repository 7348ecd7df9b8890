"""/api/v1 endpoints of the concertation module: instances (and their context timeline), memberships and delegations.

Serializers shape the input and offer the objects the user may pick; the actions (concertation.actions) check
the permission and the scope of every object named, and api.errors turns their refusals into 400/403/409.
"""

from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import Pagination
from concertation.actions import instances as instance_actions
from concertation.actions import timeline as timeline_actions
from concertation.diagnosis import bourque_for
from concertation.filters import InstanceFilter, MembershipFilter
from concertation.models import ContextEvent, Delegation, Instance, Membership
from concertation.models.instances import BourqueType
from concertation.rules import citizens_for, instances_for
from registry import rules as registry_rules
from registry.models import Organization, Territory


class ScopedSerializer(serializers.ModelSerializer):
    """Related fields offer what the request's user may pick (`scoped`: field → queryset helper taking the user),
    so an id outside the user's scope answers like an id that does not exist."""

    scoped: dict = {}
    read_only_on_update: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, helper in self.scoped.items():
            field = fields[name]
            target = getattr(field, "child_relation", field)
            if not field.read_only:
                target.queryset = helper(user)
        if isinstance(self.instance, Model):  # an update: the object stays where it is
            for name in self.read_only_on_update:
                fields[name].read_only = True
        return fields


class InstanceSerializer(ScopedSerializer):
    bourque_type = serializers.SerializerMethodField()
    bourque_reason = serializers.SerializerMethodField()
    bourque_override = serializers.ChoiceField(choices=BourqueType.choices, required=False, allow_blank=True)
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))
    scoped = {
        "parent": instances_for,
        "support_organization": registry_rules.organizations_for,
        "secretariat_organization": registry_rules.organizations_for,
    }

    class Meta:
        model = Instance
        fields = [
            "id", "name", "kind", "basis", "level", "territory", "theme", "parent", "bourque_type", "bourque_reason",
            "rls", "mandate", "support_organization", "secretariat_organization", "is_public", "opened_on",
            "closed_on", "bourque_override", "bourque_override_reason", "bourque_object",
        ]  # fmt: skip
        # The model's constraints are checked by the actions, with their messages on their fields.
        validators = []

    def _diagnosis(self, instance: Instance):
        cache = self.context.setdefault("_bourque", {})
        if instance.pk not in cache:
            sectors = {m.organization.sector for m in getattr(instance, "current_memberships", []) if m.organization}
            cache[instance.pk] = bourque_for(instance, sectors)
        return cache[instance.pk]

    def get_bourque_type(self, instance: Instance) -> str:
        return str(self._diagnosis(instance).type)

    def get_bourque_reason(self, instance: Instance) -> str:
        return self._diagnosis(instance).reason


def nameable_people(user):
    """People the user may name on a seat: those the registry shows them (through an affiliation) and the citizens
    sitting on an instance of their RLS."""
    return registry_rules.people_for(user) | citizens_for(user)


class NewCitizenSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class MembershipSerializer(ScopedSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True,
        help_text="The organisation that holds the seat; omit it (or null) for a citizen seat: a person who sits as "
        "themself, named by `person` or entered with `new_citizen`. A citizen needs no affiliation.",
    )  # fmt: skip
    seat = serializers.SerializerMethodField(help_text="`organization`, or `citizen` for a citizen seat.")
    new_citizen = NewCitizenSerializer(
        write_only=True, required=False,
        help_text="On creation only, for a citizen seat whose person is not yet in the registry (with no "
        "`organization` and no `person`): the person is created with the citizen's decision level.",
    )  # fmt: skip
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, required=False,
        help_text="Default `member`; a seat without an organisation takes `citizen` in place of `member`. `citizen` "
        "with an organisation is refused (400).",
    )  # fmt: skip
    scoped = {
        "instance": instances_for,
        "organization": registry_rules.organizations_for,
        "person": nameable_people,
    }
    read_only_on_update = ("instance", "new_citizen")

    class Meta:
        model = Membership
        fields = [
            "id", "instance", "seat", "organization", "person", "new_citizen", "role", "start_date", "end_date",
            "exit_reason", "exit_note",
        ]  # fmt: skip
        validators = []

    def get_seat(self, membership: Membership) -> str:
        return "citizen" if membership.is_citizen_seat else "organization"


class DelegationInputSerializer(ScopedSerializer):
    to_instance = serializers.PrimaryKeyRelatedField(
        queryset=Instance.objects.none(), help_text="The instance where the member takes a delegate's seat."
    )
    start_date = serializers.DateField()
    scoped = {"to_instance": instances_for}

    class Meta:
        model = Delegation
        fields = ["to_instance", "start_date"]


class DelegationSerializer(serializers.ModelSerializer):
    seat = MembershipSerializer(read_only=True, help_text="The delegate's seat in the other instance.")

    class Meta:
        model = Delegation
        fields = ["id", "source", "seat"]
        read_only_fields = fields


class ContextEventSerializer(serializers.ModelSerializer):
    whole_rls = serializers.BooleanField(
        default=False,
        help_text="On creation: an event of the whole RLS (shown on each of its instances) rather than of this "
        "instance alone; only the RLS's coordinators record one. Ignored on a change: an event stays where it was "
        "recorded.",
    )

    class Meta:
        model = ContextEvent
        fields = ["id", "rls", "instance", "whole_rls", "date", "kind", "title", "description", "created_at"]
        read_only_fields = ["id", "rls", "instance", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, Model):
            fields["whole_rls"].read_only = True
        return fields


class MembershipExitSerializer(serializers.ModelSerializer):
    membership = serializers.IntegerField(source="pk", read_only=True)
    date = serializers.DateField(source="end_date", read_only=True)
    organization_name = serializers.CharField(
        source="seat_label", read_only=True, help_text="The organisation, or the citizen for a citizen seat."
    )
    # Blank when no reason was recorded: the schema says so (a read-only model field would not).
    exit_reason = serializers.ChoiceField(choices=Membership.ExitReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["membership", "date", "organization", "organization_name", "exit_reason", "exit_note"]
        read_only_fields = fields


class TimelineEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["event", "exit"], help_text="A context event, or a member organisation's exit."
    )
    date = serializers.DateField()
    event = ContextEventSerializer(allow_null=True, help_text="The event (for an entry of type `event`).")
    exit = MembershipExitSerializer(allow_null=True, help_text="The exit (for an entry of type `exit`).")


def timeline_of(instance: Instance) -> list[dict]:
    """The instance's events and its RLS's, and the exits of its members, in date order (events first on a day)."""
    events = [
        {"type": "event", "date": event.date, "event": event, "exit": None, "key": (0, event.pk)}
        for event in ContextEvent.objects.for_instance(instance)
    ]
    exits = [
        {"type": "exit", "date": membership.end_date, "event": None, "exit": membership, "key": (1, membership.pk)}
        for membership in instance.memberships.exits().select_related("organization", "person")
    ]
    return sorted(events + exits, key=lambda entry: (entry["date"], entry["key"]))


class InstanceViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """An instance is not deleted (it is closed); DELETE removes one of its context events."""

    serializer_class = InstanceSerializer
    pagination_class = Pagination
    filterset_class = InstanceFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        today = timezone.localdate()
        current = Membership.objects.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        ).select_related("organization")
        return (
            instances_for(self.request.user)
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
            .order_by("name", "pk")
        )

    @transaction.atomic
    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        override = data.pop("bourque_override", ""), data.pop("bourque_override_reason", "")
        instance = instance_actions.create_instance(self.request.user, data)
        if override[0]:
            instance_actions.override_bourque_type(self.request.user, instance, *override)
        serializer.instance = instance

    @transaction.atomic
    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        override = data.pop("bourque_override", None), data.pop("bourque_override_reason", None)
        instance = instance_actions.update_instance(self.request.user, serializer.instance, data)
        if override[0] is not None or override[1] is not None:
            chosen = instance.bourque_override if override[0] is None else override[0]
            reason = instance.bourque_override_reason if override[1] is None else override[1]
            instance_actions.override_bourque_type(self.request.user, instance, chosen, reason)
        serializer.instance = instance

    # Context timeline ---------------------------------------------------------------------------------------

    def _event(self, instance: Instance, event_id) -> ContextEvent:
        return get_object_or_404(ContextEvent.objects.for_instance(instance), pk=event_id)

    @extend_schema(request=None, responses={200: TimelineEntrySerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def timeline(self, request, pk=None, **kwargs) -> Response:
        """The context of the participation curve: the events of the instance and of its whole RLS, and the exits
        of its members (date, organisation, reason), in date order."""
        entries = timeline_of(self.get_object())
        return Response(TimelineEntrySerializer(entries, many=True).data)

    @extend_schema(request=ContextEventSerializer, responses={201: ContextEventSerializer})
    @timeline.mapping.post
    def add_timeline_event(self, request, pk=None, **kwargs) -> Response:
        """Record a context event of the instance (or, with `whole_rls`, of its whole RLS): its coordinators."""
        instance = self.get_object()
        body = ContextEventSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = timeline_actions.event_data(instance, body.validated_data)
        event = timeline_actions.add_context_event(request.user, data)
        return Response(ContextEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContextEventSerializer, responses={200: ContextEventSerializer})
    @action(detail=True, methods=["patch"], url_path=r"timeline/(?P<event_id>\d+)", filterset_class=None)
    def timeline_event(self, request, pk=None, event_id=None, **kwargs) -> Response:
        """Change the date, kind, title or description of an event shown on this instance's timeline."""
        event = self._event(self.get_object(), event_id)
        body = ContextEventSerializer(event, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        event = timeline_actions.update_context_event(request.user, event, dict(body.validated_data))
        return Response(ContextEventSerializer(event).data)

    @extend_schema(request=None, responses={204: None})
    @timeline_event.mapping.delete
    def delete_timeline_event(self, request, pk=None, event_id=None, **kwargs) -> Response:
        timeline_actions.delete_context_event(request.user, self._event(self.get_object(), event_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipViewSet(viewsets.ModelViewSet):
    serializer_class = MembershipSerializer
    pagination_class = Pagination
    filterset_class = MembershipFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Membership.objects.filter(instance__in=instances_for(self.request.user))
            .select_related("organization", "person", "instance")
            .order_by("instance_id", "start_date", "pk")
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        if "new_citizen" in data:
            data["new_citizen"] = dict(data["new_citizen"])
        serializer.instance = instance_actions.add_membership(self.request.user, instance, data)

    def perform_update(self, serializer) -> None:
        serializer.instance = instance_actions.update_membership(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    @extend_schema(request=DelegationInputSerializer, responses={201: DelegationSerializer})
    @action(detail=True, methods=["post"])
    def delegations(self, request, pk=None, **kwargs) -> Response:
        """Give this member a delegate's seat in another instance of the same RLS (the page's “Delegate”)."""
        source = self.get_object()
        body = DelegationInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        delegation = instance_actions.delegate(request.user, source, data["to_instance"], data["start_date"])
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)
