"""/api/v1/action-plans, /api/v1/demarches and the analytics endpoints of the concertation module.

Writes go through concertation.actions.plans, which checks the permission and that an action's lead and
contributors are organisations of the instance's RLS."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from api.concertation import ScopedSerializer
from api.errors import FIELD_ERRORS
from api.views import Pagination
from concertation import analytics
from concertation.actions import plans as actions
from concertation.filters import ActionPlanFilter, DemarcheFilter
from concertation.forms_plans import LoadForm, action_organizations
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Objective
from concertation.models.plans import WorkStatus
from concertation.rules import instances_for


def _demarches_for(user):
    return Demarche.objects.filter(instance__in=instances_for(user))


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "target", "measured", "measured_on", "progress"]
        read_only_fields = ["id", "progress"]


class ActionSerializer(serializers.ModelSerializer):
    """Lead and contributors: organisations of the plan's instance's RLS (context "plan")."""

    class Meta:
        model = Action
        fields = ["id", "title", "lead", "contributors", "resources", "deadline", "status"]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        plan = self.context.get("plan")
        if plan is not None:
            orgs = action_organizations(plan.instance, self.instance)
            fields["lead"].queryset = fields["contributors"].child_relation.queryset = orgs
        return fields


class ObjectiveSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "order", "title", "actions", "indicators"]
        read_only_fields = ["id"]


class ActionPlanSerializer(ScopedSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)
    scoped = {"instance": instances_for, "demarche": _demarches_for}
    read_only_on_update = ("instance",)

    class Meta:
        model = ActionPlan
        fields = ["id", "instance", "demarche", "title", "start_date", "end_date", "objectives"]
        validators = []


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = DemarcheStage
        fields = ["id", "kind", "order", "deliverables", "start_date", "end_date", "status"]
        read_only_fields = ["id", "kind", "order"]
        validators = []


class DemarcheSerializer(ScopedSerializer):
    stages = StageSerializer(many=True, read_only=True)
    scoped = {"instance": instances_for}
    read_only_on_update = ("instance",)

    class Meta:
        model = Demarche
        fields = ["id", "instance", "title", "stages"]


# Shapes of the read-only reports ------------------------------------------------------------------------


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    label = serializers.CharField(help_text="The status in the caller's language.")
    count = serializers.IntegerField()
    share = serializers.IntegerField(help_text="Percent of the plan's actions.")


class IndicatorProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    progress = serializers.IntegerField(allow_null=True, help_text="Percent of the target (at most 100).")
    reached = serializers.BooleanField()


class PlanProgressSerializer(serializers.Serializer):
    actions = serializers.IntegerField(help_text="Number of actions.")
    by_status = StatusCountSerializer(many=True, help_text="Every status, in order.")
    done_share = serializers.IntegerField(allow_null=True, help_text="Percent of the non-cancelled actions done.")
    overdue = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the open actions past their deadline, oldest first."
    )
    indicators = IndicatorProgressSerializer(many=True)


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organizations = serializers.IntegerField(help_text="Distinct member organisations that year.")
    citizens = serializers.IntegerField(help_text="Distinct people who sat as citizens (no organisation) that year.")


class ParticipationSerializer(serializers.Serializer):
    instance = serializers.IntegerField()
    years = YearCountSerializer(many=True)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LoadRowSerializer(NamedSerializer):
    rank = serializers.IntegerField()
    instances = serializers.IntegerField()
    meetings = serializers.IntegerField(help_text="Presences at meetings that started that year.")
    hours = serializers.FloatField()
    top_decile = serializers.BooleanField()
    above_threshold = serializers.BooleanField()
    over_solicited = serializers.BooleanField()


class OrganizationLoadSerializer(LoadRowSerializer):
    seats = serializers.IntegerField()


class LoadTotalsSerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    people = serializers.IntegerField()
    seats = serializers.IntegerField()
    meetings = serializers.IntegerField()
    hours = serializers.FloatField()


class ConcentrationSerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    top_organizations = serializers.IntegerField()
    seats = serializers.IntegerField()
    top_seats = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    presences = serializers.IntegerField()
    top_presences = serializers.IntegerField()
    presence_share = serializers.FloatField(allow_null=True)


class ConcertationLoadSerializer(serializers.Serializer):
    territory = NamedSerializer()
    year = serializers.IntegerField()
    criterion = serializers.ChoiceField(choices=["top_decile", "threshold"])
    hours_threshold = serializers.FloatField(allow_null=True)
    decile_cutoff_hours = serializers.FloatField(allow_null=True)
    organizations = OrganizationLoadSerializer(many=True, help_text="Ranked by hours.")
    people = LoadRowSerializer(many=True, help_text="Ranked by hours.")
    totals = LoadTotalsSerializer()
    concentration = ConcentrationSerializer()


# Endpoints ----------------------------------------------------------------------------------------------


class ActionPlanViewSet(viewsets.ModelViewSet):
    serializer_class = ActionPlanSerializer
    pagination_class = Pagination
    filterset_class = ActionPlanFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        objectives = Objective.objects.prefetch_related(
            Prefetch("actions", queryset=Action.objects.prefetch_related("contributors")), "indicators"
        )
        return (
            ActionPlan.objects.filter(instance__in=instances_for(self.request.user))
            .select_related("instance")
            .prefetch_related(Prefetch("objectives", queryset=objectives))
            .order_by("-created_at", "pk")
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = actions.create_plan(self.request.user, instance, data)

    def perform_update(self, serializer) -> None:
        serializer.instance = actions.update_plan(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: ActionPlan) -> None:
        actions.delete_plan(self.request.user, instance)

    def _detail(self, plan: ActionPlan, code: int = http.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data, status=code)

    def _body(self, serializer_class, plan: ActionPlan, instance=None, partial: bool = False) -> dict:
        context = {**self.get_serializer_context(), "plan": plan}
        body = serializer_class(instance, data=self.request.data, partial=partial, context=context)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _part(self, model, plan: ActionPlan, part_pk, path: str):
        return get_object_or_404(model, pk=part_pk, **{path: plan})

    @extend_schema(request=ObjectiveSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None, **kwargs) -> Response:
        plan = self.get_object()
        actions.add_objective(request.user, plan, self._body(ObjectiveSerializer, plan))
        return self._detail(plan)

    @extend_schema(request=ObjectiveSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["patch"], url_path=r"objectives/(?P<objective_pk>\d+)")
    def objective(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        objective = self._part(Objective, plan, objective_pk, "plan")
        actions.update_objective(request.user, objective, self._body(ObjectiveSerializer, plan, objective, True))
        return self._detail(plan)

    @extend_schema(request=None, responses={204: None})
    @objective.mapping.delete
    def delete_objective(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        """The objective goes with its actions and indicators."""
        plan = self.get_object()
        actions.delete_objective(request.user, self._part(Objective, plan, objective_pk, "plan"))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActionSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"objectives/(?P<objective_pk>\d+)/actions")
    def add_action(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        objective = self._part(Objective, plan, objective_pk, "plan")
        actions.add_action(request.user, objective, self._body(ActionSerializer, plan))
        return self._detail(plan)

    @extend_schema(request=ActionSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["patch"], url_path=r"actions/(?P<action_pk>\d+)")
    def plan_action(self, request, pk=None, action_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        item = self._part(Action, plan, action_pk, "objective__plan")
        actions.update_action(request.user, item, self._body(ActionSerializer, plan, item, True))
        return self._detail(plan)

    @extend_schema(request=None, responses={204: None})
    @plan_action.mapping.delete
    def delete_action(self, request, pk=None, action_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        actions.delete_action(request.user, self._part(Action, plan, action_pk, "objective__plan"))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=IndicatorSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"objectives/(?P<objective_pk>\d+)/indicators")
    def add_indicator(self, request, pk=None, objective_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        objective = self._part(Objective, plan, objective_pk, "plan")
        actions.add_indicator(request.user, objective, self._body(IndicatorSerializer, plan))
        return self._detail(plan)

    @extend_schema(request=IndicatorSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["patch"], url_path=r"indicators/(?P<indicator_pk>\d+)")
    def indicator(self, request, pk=None, indicator_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        item = self._part(Indicator, plan, indicator_pk, "objective__plan")
        actions.update_indicator(request.user, item, self._body(IndicatorSerializer, plan, item, True))
        return self._detail(plan)

    @extend_schema(request=None, responses={204: None})
    @indicator.mapping.delete
    def delete_indicator(self, request, pk=None, indicator_pk=None, **kwargs) -> Response:
        plan = self.get_object()
        actions.delete_indicator(request.user, self._part(Indicator, plan, indicator_pk, "objective__plan"))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=PlanProgressSerializer, filters=False)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None, **kwargs) -> Response:
        """Actions by status, overdue actions and indicators toward their targets."""
        progress = analytics.plan_progress(self.get_object())
        body = {
            **{k: progress[k] for k in ("actions", "by_status", "done_share")},
            "overdue": [a.pk for a in progress["overdue"]],
            "indicators": [
                {"id": row["indicator"].pk, "progress": row["progress"], "reached": row["reached"]}
                for row in progress["indicators"]
            ],
        }
        return Response(PlanProgressSerializer(body).data)


class DemarcheViewSet(viewsets.ModelViewSet):
    """A démarche starts with its seven stages (domain.md §10); action plans drawn from it stay when it goes."""

    serializer_class = DemarcheSerializer
    pagination_class = Pagination
    filterset_class = DemarcheFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Demarche.objects.filter(instance__in=instances_for(self.request.user))
            .select_related("instance")
            .prefetch_related("stages")
            .order_by("-created_at", "pk")
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = actions.start_demarche(self.request.user, instance, data)

    def perform_update(self, serializer) -> None:
        serializer.instance = actions.update_demarche(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Demarche) -> None:
        actions.delete_demarche(self.request.user, instance)

    @extend_schema(request=StageSerializer, responses=StageSerializer)
    @action(detail=True, methods=["patch"], url_path=r"stages/(?P<stage_pk>\d+)")
    def stage(self, request, pk=None, stage_pk=None, **kwargs) -> Response:
        """A stage's status, dates and deliverables."""
        stage = get_object_or_404(DemarcheStage, pk=stage_pk, demarche=self.get_object())
        body = StageSerializer(stage, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return Response(StageSerializer(actions.update_stage(request.user, stage, dict(body.validated_data))).data)


@extend_schema(responses=ParticipationSerializer, description="Distinct member organisations per year.")
@api_view(["GET"])
def participation(request, pk: int, **kwargs) -> Response:
    instance = get_object_or_404(instances_for(request.user), pk=pk)
    body = {"instance": instance.pk, "years": analytics.participation_by_year(instance)}
    return Response(ParticipationSerializer(body).data)


@extend_schema(
    parameters=[
        OpenApiParameter("territory", int, required=True),
        OpenApiParameter("year", int, required=True),
        OpenApiParameter("hours", float, description="Flag those above this many hours instead of the top decile."),
    ],
    responses={
        200: ConcertationLoadSerializer,
        400: OpenApiResponse(FIELD_ERRORS, description="A missing or refused parameter (parameter → messages)."),
    },
    description="Concertation load (hyperconcertation) of a territory in a year, per organisation and per person.",
)
@api_view(["GET"])
def concertation_load(request, **kwargs) -> Response:
    form = LoadForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    return Response(analytics.concertation_load(data["territory"], data["year"], data.get("hours")))
