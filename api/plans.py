"""/api/v1/action-plans, /api/v1/demarches and the analytics endpoints of the concertation module."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from api.views import Pagination, as_api_error
from concertation import analytics
from concertation.actions import plans as actions
from concertation.forms_plans import LoadForm
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Instance, Objective
from concertation.rules import instances_for


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "target", "measured", "measured_on", "progress"]
        read_only_fields = ["id", "progress"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "title", "lead", "contributors", "resources", "deadline", "status"]
        read_only_fields = ["id"]


class ObjectiveSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "order", "title", "actions", "indicators"]
        read_only_fields = ["id"]


class ActionPlanSerializer(serializers.ModelSerializer):
    instance = serializers.PrimaryKeyRelatedField(queryset=Instance.objects.all())
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "instance", "demarche", "title", "start_date", "end_date", "objectives"]

    def validate_instance(self, instance: Instance) -> Instance:
        if self.instance is not None and instance.pk != self.instance.instance_id:
            raise serializers.ValidationError(_("An action plan cannot move to another instance."))
        if not self.context["request"].user.has_perm("concertation.change_instance", instance):
            raise serializers.ValidationError(_("Only the instance's coordinators can manage its action plans."))
        return instance

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return attrs


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = DemarcheStage
        fields = ["id", "kind", "order", "deliverables", "start_date", "end_date", "status"]


class DemarcheSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Demarche
        fields = ["id", "instance", "title", "stages"]
        read_only_fields = ["instance"]


def _write(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as error:
        raise as_api_error(error) from error


class ActionPlanViewSet(viewsets.ModelViewSet):
    serializer_class = ActionPlanSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        objectives = Objective.objects.prefetch_related(
            Prefetch("actions", queryset=Action.objects.prefetch_related("contributors")), "indicators"
        )
        qs = ActionPlan.objects.filter(instance__in=instances_for(self.request.user)).prefetch_related(
            Prefetch("objectives", queryset=objectives)
        )
        if self.request.query_params.get("instance"):
            qs = qs.filter(instance_id=self.request.query_params["instance"])
        return qs.order_by("-created_at", "pk")

    def managed(self) -> ActionPlan:
        plan = self.get_object()
        if not self.request.user.has_perm("concertation.change_instance", plan.instance):
            raise exceptions.PermissionDenied
        return plan

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = _write(actions.create_plan, self.request.user, instance, data, self.request)

    def perform_update(self, serializer) -> None:
        self.managed()
        data = dict(serializer.validated_data)
        data.pop("instance", None)
        serializer.instance = _write(actions.update_plan, self.request.user, serializer.instance, data, self.request)

    def _detail(self, plan: ActionPlan) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(request=ObjectiveSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None, **kwargs) -> Response:
        plan = self.managed()
        body = ObjectiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_objective, request.user, plan, dict(body.validated_data), request)
        return self._detail(plan)

    @extend_schema(request=ActionSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"objectives/(?P<objective_pk>\d+)/actions")
    def add_action(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        plan = self.managed()
        objective = get_object_or_404(Objective, pk=objective_pk, plan=plan)
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_action, request.user, objective, dict(body.validated_data), request)
        return self._detail(plan)

    @extend_schema(request=IndicatorSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"objectives/(?P<objective_pk>\d+)/indicators")
    def add_indicator(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        plan = self.managed()
        objective = get_object_or_404(Objective, pk=objective_pk, plan=plan)
        body = IndicatorSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_indicator, request.user, objective, dict(body.validated_data), request)
        return self._detail(plan)

    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None, **kwargs) -> Response:
        """Actions by status, overdue actions and indicators toward their targets."""
        progress = analytics.plan_progress(self.get_object())
        return Response(
            {
                **{k: progress[k] for k in ("actions", "by_status", "done_share")},
                "overdue": [a.pk for a in progress["overdue"]],
                "indicators": [
                    {"id": row["indicator"].pk, "progress": row["progress"], "reached": row["reached"]}
                    for row in progress["indicators"]
                ],
            }
        )


class DemarcheViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DemarcheSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = Demarche.objects.filter(instance__in=instances_for(self.request.user)).prefetch_related("stages")
        if self.request.query_params.get("instance"):
            qs = qs.filter(instance_id=self.request.query_params["instance"])
        return qs.order_by("-created_at", "pk")


@extend_schema(
    responses={200: dict},
    description='Distinct member organisations per year: `{"years": [{"year": 2010, "organizations": 16}, ...]}`.',
)
@api_view(["GET"])
def participation(request, pk: int, **kwargs) -> Response:
    instance = get_object_or_404(instances_for(request.user), pk=pk)
    return Response({"instance": instance.pk, "years": analytics.participation_by_year(instance)})


@extend_schema(
    parameters=[
        OpenApiParameter("territory", int, required=True),
        OpenApiParameter("year", int, required=True),
        OpenApiParameter("hours", float, description="Flag those above this many hours instead of the top decile."),
    ],
    responses={200: dict},
    description="Concertation load (hyperconcertation) of a territory in a year, per organisation and per person.",
)
@api_view(["GET"])
def concertation_load(request, **kwargs) -> Response:
    form = LoadForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors.get_json_data())
    data = form.cleaned_data
    return Response(analytics.concertation_load(data["territory"], data["year"], data.get("hours")))
