"""/api/v1/priority-exercises: candidates, workshops, plenary rounds, ballots and results."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import Pagination, as_api_error
from concertation.actions import priorities as actions
from concertation.models import Candidate, Instance, PriorityExercise, VotingRound, Workshop
from concertation.results import exercise_results, latest_round
from concertation.rules import instances_for
from registry.models import Person


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", "title", "description", "origin", "proposed_by", "proposed_by_instance"]
        read_only_fields = ["id"]


class WorkshopSerializer(serializers.ModelSerializer):
    selections = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = ["id", "name", "participants", "selections"]
        read_only_fields = ["id", "selections"]

    def get_selections(self, workshop: Workshop) -> list[int]:
        return [s.candidate_id for s in workshop.selections.all()]


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = VotingRound
        fields = ["number", "opened_at", "closed_at"]


class ExerciseSerializer(serializers.ModelSerializer):
    instance = serializers.PrimaryKeyRelatedField(queryset=Instance.objects.all())
    candidates = CandidateSerializer(many=True, read_only=True)
    workshops = WorkshopSerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)

    class Meta:
        model = PriorityExercise
        fields = [
            "id", "instance", "title", "description", "status", "method", "points_per_voter", "threshold", "secret",
            "candidates", "workshops", "rounds",
        ]  # fmt: skip
        read_only_fields = ["status"]

    def validate_instance(self, instance: Instance) -> Instance:
        if self.instance is not None and instance.pk != self.instance.instance_id:
            raise serializers.ValidationError(_("An exercise cannot move to another instance."))
        if not self.context["request"].user.has_perm("concertation.change_instance", instance):
            raise serializers.ValidationError(_("Only the instance's coordinators can run its priority exercises."))
        return instance

    def validate_threshold(self, threshold: int) -> int:
        if not 1 <= threshold <= 99:
            raise serializers.ValidationError(_("The threshold is a percentage between 1 and 99."))
        return threshold


class SelectionSerializer(serializers.Serializer):
    candidates = serializers.PrimaryKeyRelatedField(many=True, queryset=Candidate.objects.all())


class BallotSerializer(serializers.Serializer):
    voter = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    choices = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Candidate id → points (approval voting: any positive number means adherence).",
    )


def _write(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as error:
        raise as_api_error(error) from error


class PriorityExerciseViewSet(viewsets.ModelViewSet):
    serializer_class = ExerciseSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = PriorityExercise.objects.filter(instance__in=instances_for(self.request.user)).prefetch_related(
            "candidates", "workshops__selections", "workshops__participants", "rounds"
        )
        if self.request.query_params.get("instance"):
            qs = qs.filter(instance_id=self.request.query_params["instance"])
        return qs.order_by("-created_at", "pk")

    def managed(self) -> PriorityExercise:
        exercise = self.get_object()
        if not self.request.user.has_perm("concertation.change_instance", exercise.instance):
            raise exceptions.PermissionDenied
        return exercise

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = _write(actions.create_exercise, self.request.user, instance, data, self.request)

    def perform_update(self, serializer) -> None:
        self.managed()
        data = dict(serializer.validated_data)
        data.pop("instance", None)
        serializer.instance = _write(
            actions.update_exercise, self.request.user, serializer.instance, data, self.request
        )

    def _detail(self, exercise: PriorityExercise) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=exercise.pk)).data)

    @extend_schema(request=CandidateSerializer, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None, **kwargs) -> Response:
        exercise = self.managed()
        body = CandidateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_candidate, request.user, exercise, dict(body.validated_data), request)
        return self._detail(exercise)

    @extend_schema(request=WorkshopSerializer, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"])
    def workshops(self, request, pk=None, **kwargs) -> Response:
        exercise = self.managed()
        body = WorkshopSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_workshop, request.user, exercise, dict(body.validated_data), request)
        return self._detail(exercise)

    @extend_schema(request=SelectionSerializer, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"], url_path=r"workshops/(?P<workshop_pk>\d+)/selections")
    def selections(self, request, pk=None, workshop_pk=None, **kwargs) -> Response:
        exercise = self.managed()
        workshop = get_object_or_404(Workshop, pk=workshop_pk, exercise=exercise)
        body = SelectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.select_priorities, request.user, workshop, body.validated_data["candidates"], request)
        return self._detail(exercise)

    @extend_schema(request=None, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"], url_path="open-round")
    def open_round(self, request, pk=None, **kwargs) -> Response:
        exercise = self.managed()
        _write(actions.open_round, request.user, exercise, request)
        return self._detail(exercise)

    @extend_schema(request=None, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"], url_path="close-round")
    def close_round(self, request, pk=None, **kwargs) -> Response:
        exercise = self.managed()
        voting_round = latest_round(exercise)
        if voting_round is None:
            raise exceptions.ValidationError(_("This round is not open."))
        _write(actions.close_round, request.user, voting_round, request=request)
        return self._detail(exercise)

    @extend_schema(request=BallotSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None, **kwargs) -> Response:
        """Coordinators record a participant's ballot; a participant whose account is linked votes for themself."""
        exercise = self.get_object()
        body = BallotSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voter = body.validated_data["voter"]
        own = getattr(request.user, "person", None)
        if not (request.user.has_perm("concertation.change_instance", exercise.instance) or own == voter):
            raise exceptions.PermissionDenied
        voting_round = latest_round(exercise)
        if voting_round is None:
            raise exceptions.ValidationError(_("Voting is not open: the round has not started or is already closed."))
        try:
            choices = {int(k): v for k, v in body.validated_data["choices"].items()}
        except ValueError as error:
            raise exceptions.ValidationError({"choices": _("Use candidate ids as keys.")}) from error
        _write(actions.cast_ballot, request.user, voting_round, voter, choices, request)
        return Response({"round": voting_round.number, "voter": voter.pk}, status=201)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None, **kwargs) -> Response:
        """Adherence per candidate, retained priorities and their origins (see concertation.results)."""
        return Response(exercise_results(self.get_object()))
