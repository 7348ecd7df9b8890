"""/api/v1 endpoints of the concertation module: instances, memberships and delegations.

Serializers shape the input and offer the objects the user may pick; the actions (concertation.actions) check
the permission and the scope of every object named, and api.errors turns their refusals into 400/403/409.
"""

from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import Pagination
from concertation.actions import instances as instance_actions
from concertation.diagnosis import bourque_for
from concertation.filters import InstanceFilter, MembershipFilter
from concertation.models import Delegation, Instance, Membership
from concertation.models.instances import BourqueType
from concertation.rules import instances_for
from registry import rules as registry_rules
from registry.models import Territory


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
            "closed_on", "bourque_override", "bourque_override_reason",
        ]  # fmt: skip
        # The model's constraints are checked by the actions, with their messages on their fields.
        validators = []

    def _diagnosis(self, instance: Instance):
        cache = self.context.setdefault("_bourque", {})
        if instance.pk not in cache:
            sectors = {m.organization.sector for m in getattr(instance, "current_memberships", [])}
            cache[instance.pk] = bourque_for(instance, sectors)
        return cache[instance.pk]

    def get_bourque_type(self, instance: Instance) -> str:
        return str(self._diagnosis(instance).type)

    def get_bourque_reason(self, instance: Instance) -> str:
        return self._diagnosis(instance).reason


class MembershipSerializer(ScopedSerializer):
    scoped = {
        "instance": instances_for,
        "organization": registry_rules.organizations_for,
        "person": registry_rules.people_for,
    }
    read_only_on_update = ("instance",)

    class Meta:
        model = Membership
        fields = ["id", "instance", "organization", "person", "role", "start_date", "end_date"]
        validators = []


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


class InstanceViewSet(viewsets.ModelViewSet):
    serializer_class = InstanceSerializer
    pagination_class = Pagination
    filterset_class = InstanceFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

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
