"""/api/v1 endpoints of the concertation module. Scoping and rules come from concertation.rules and actions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets

from api.views import Pagination, as_api_error
from concertation.actions import instances as instance_actions
from concertation.diagnosis import bourque_for
from concertation.models import Instance, Membership
from concertation.models.instances import BourqueType
from concertation.rules import instances_for
from registry import rules as registry_rules
from registry.models import Territory


class InstanceSerializer(serializers.ModelSerializer):
    bourque_type = serializers.SerializerMethodField()
    bourque_reason = serializers.SerializerMethodField()
    bourque_override = serializers.ChoiceField(choices=BourqueType.choices, required=False, allow_blank=True)
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))

    class Meta:
        model = Instance
        fields = [
            "id", "name", "kind", "basis", "level", "territory", "theme", "parent", "bourque_type", "bourque_reason",
            "rls", "mandate", "support_organization", "secretariat_organization", "is_public", "opened_on",
            "closed_on", "bourque_override", "bourque_override_reason",
        ]  # fmt: skip

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

    def validate_rls(self, rls: Territory) -> Territory:
        scope = registry_rules.scope_for(self.context["request"].user)
        unchanged = self.instance is not None and self.instance.rls_id == rls.pk
        if not (scope.is_admin or unchanged or rls.pk in scope.coordinated_rls):
            raise serializers.ValidationError(_("You cannot create instances in this RLS."))
        return rls

    def validate(self, attrs: dict) -> dict:
        opened = attrs.get("opened_on", getattr(self.instance, "opened_on", None))
        closed = attrs.get("closed_on", getattr(self.instance, "closed_on", None))
        if opened and closed and closed < opened:
            raise serializers.ValidationError({"closed_on": _("The closing date cannot be before the opening date.")})
        override = attrs.get("bourque_override", getattr(self.instance, "bourque_override", ""))
        reason = attrs.get("bourque_override_reason", getattr(self.instance, "bourque_override_reason", ""))
        if override and not reason.strip():
            raise serializers.ValidationError({"bourque_override_reason": _("Justify the chosen Bourque type.")})
        return attrs


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "instance", "organization", "person", "role", "start_date", "end_date"]
        validators = []

    def validate_instance(self, instance: Instance) -> Instance:
        user = self.context["request"].user
        if not user.has_perm("concertation.change_instance", instance):
            raise serializers.ValidationError(_("Only the instance's coordinators can change its members."))
        return instance

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return attrs


def _write(action, *args):
    try:
        return action(*args)
    except DjangoValidationError as error:
        raise as_api_error(error) from error


class InstanceViewSet(viewsets.ModelViewSet):
    serializer_class = InstanceSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        today = timezone.localdate()
        current = Membership.objects.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        ).select_related("organization")
        qs = instances_for(self.request.user).prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships")
        )
        params = self.request.query_params
        for field in ("kind", "basis", "level"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        if params.get("rls"):
            qs = qs.filter(rls_id=params["rls"])
        if params.get("search"):
            qs = qs.filter(name__icontains=params["search"])
        return qs.order_by("name", "pk")

    def check_object_permissions(self, request, obj) -> None:
        super().check_object_permissions(request, obj)
        if request.method in ("PUT", "PATCH") and not request.user.has_perm("concertation.change_instance", obj):
            raise exceptions.PermissionDenied

    def perform_create(self, serializer) -> None:
        if not self.request.user.has_perm("concertation.add_instance"):
            raise exceptions.PermissionDenied
        data = dict(serializer.validated_data)
        override = data.pop("bourque_override", ""), data.pop("bourque_override_reason", "")
        instance = _write(instance_actions.create_instance, self.request.user, data, self.request)
        if override[0]:
            _write(instance_actions.override_bourque_type, self.request.user, instance, *override, self.request)
        serializer.instance = instance

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        override = data.pop("bourque_override", None), data.pop("bourque_override_reason", None)
        instance = _write(instance_actions.update_instance, self.request.user, serializer.instance, data, self.request)
        if override[0] is not None:
            reason = override[1] if override[1] is not None else instance.bourque_override_reason
            _write(
                instance_actions.override_bourque_type, self.request.user, instance, override[0], reason, self.request
            )
        serializer.instance = instance


class MembershipViewSet(viewsets.ModelViewSet):
    serializer_class = MembershipSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = Membership.objects.filter(instance__in=instances_for(self.request.user)).select_related(
            "organization", "person", "instance"
        )
        params = self.request.query_params
        if params.get("instance"):
            qs = qs.filter(instance_id=params["instance"])
        if params.get("organization"):
            qs = qs.filter(organization_id=params["organization"])
        return qs.order_by("instance_id", "start_date", "pk")

    def check_object_permissions(self, request, obj) -> None:
        super().check_object_permissions(request, obj)
        if request.method in ("PUT", "PATCH") and not request.user.has_perm(
            "concertation.change_instance", obj.instance
        ):
            raise exceptions.PermissionDenied

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = _write(instance_actions.add_membership, self.request.user, instance, data, self.request)

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("instance", None)
        serializer.instance = _write(
            instance_actions.update_membership, self.request.user, serializer.instance, data, self.request
        )
