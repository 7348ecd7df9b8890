"""/api/v1/priority-exercises: candidates, proposals, workshops, plenary rounds, ballots and results.

Who may do what (and vote for whom) is decided by concertation.actions.priorities; a step the exercise has
passed answers 409."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.response import Response

from api.concertation import ScopedSerializer
from api.schema import CONFLICT
from api.views import Pagination
from concertation import rules as scope
from concertation.actions import priorities as actions
from concertation.filters import PriorityExerciseFilter
from concertation.forms_priorities import candidate_proposers
from concertation.models import Candidate, PriorityExercise, VotingRound, Workshop
from concertation.results import exercise_results
from registry.models import Person


class CandidateSerializer(serializers.ModelSerializer):
    """Proposers offered: the instance's member organisations and the RLS's other instances (context "exercise");
    for a member's proposal ("proposal": True), those on whose behalf the user may propose."""

    class Meta:
        model = Candidate
        fields = ["id", "title", "description", "origin", "proposed_by", "proposed_by_instance"]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        exercise = self.context.get("exercise")
        if exercise is not None:
            if self.context.get("proposal"):
                choices = scope.proposers_for(self.context["request"].user, exercise)
            else:
                choices = candidate_proposers(exercise)
            fields["proposed_by"].queryset, fields["proposed_by_instance"].queryset = choices
        return fields


class ProposalSerializer(CandidateSerializer):
    class Meta(CandidateSerializer.Meta):
        extra_kwargs = {"origin": {"required": False, "help_text": "Local actors unless said otherwise."}}


class WorkshopSerializer(serializers.ModelSerializer):
    selections = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = ["id", "name", "participants", "selections"]
        read_only_fields = ["id", "selections"]

    def get_fields(self):
        fields = super().get_fields()
        exercise = self.context.get("exercise")
        if exercise is not None:
            fields["participants"].child_relation.queryset = actions.eligible_voters(exercise)
        return fields

    def get_selections(self, workshop: Workshop) -> list[int]:
        return [s.candidate_id for s in workshop.selections.all()]


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = VotingRound
        fields = ["number", "opened_at", "closed_at"]


class ExerciseSerializer(ScopedSerializer):
    candidates = CandidateSerializer(many=True, read_only=True)
    workshops = WorkshopSerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)
    scoped = {"instance": scope.instances_for}
    read_only_on_update = ("instance",)

    class Meta:
        model = PriorityExercise
        fields = [
            "id", "instance", "title", "description", "status", "method", "points_per_voter", "threshold", "secret",
            "candidates", "workshops", "rounds",
        ]  # fmt: skip
        read_only_fields = ["status"]
        validators = []


class SelectionSerializer(serializers.Serializer):
    candidates = serializers.PrimaryKeyRelatedField(many=True, queryset=Candidate.objects.none())

    def get_fields(self):
        fields = super().get_fields()
        if "exercise" in self.context:
            fields["candidates"].child_relation.queryset = self.context["exercise"].candidates.all()
        return fields


class CloseRoundSerializer(serializers.Serializer):
    close_exercise = serializers.BooleanField(
        default=True, help_text="False when another round follows (the exercise stays at the plenary)."
    )


class BallotSerializer(serializers.Serializer):
    voter = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        help_text="A participant of the plenary; a participant who is not a coordinator names themself.",
    )
    choices = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Candidate id → points (approval voting: any positive number means adherence).",
    )

    def get_fields(self):
        fields = super().get_fields()
        if "exercise" in self.context:
            fields["voter"].queryset = scope.people_of(self.context["exercise"].instance)
        return fields

    def validate_choices(self, choices: dict) -> dict[int, int]:
        if not all(str(key).isdigit() for key in choices):
            raise serializers.ValidationError(_("Use candidate ids as keys."))
        return {int(key): points for key, points in choices.items()}


class BallotReceiptSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    voter = serializers.IntegerField()


class ResultRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    origin = serializers.ChoiceField(choices=Candidate.Origin.choices)
    origin_label = serializers.CharField()
    teams = serializers.IntegerField(help_text="Workshop teams that selected it.")
    adherents = serializers.IntegerField(allow_null=True, help_text="None while a secret round is open.")
    points = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True, help_text="Percent of the round's voters adhering.")
    retained = serializers.BooleanField()
    committee = serializers.IntegerField(allow_null=True, help_text="The committee that proposed it, if one did.")
    committee_name = serializers.CharField(allow_blank=True)


class OriginsSerializer(serializers.Serializer):
    local = serializers.IntegerField(help_text="From local actors or the population.")
    institutional = serializers.IntegerField()
    evidence = serializers.IntegerField()


class CommitteeResultsSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="None for the candidates no committee proposed.")
    name = serializers.CharField(allow_blank=True)
    candidates = ResultRowSerializer(many=True)
    retained = serializers.IntegerField()
    origins = OriginsSerializer(help_text="The committee's retained priorities by origin.")
    local_share = serializers.FloatField(allow_null=True)
    institutional_share = serializers.FloatField(allow_null=True)


class ResultsSerializer(serializers.Serializer):
    round = serializers.IntegerField(allow_null=True)
    open = serializers.BooleanField()
    sealed = serializers.BooleanField(help_text="A secret round still open: no tallies yet.")
    voters = serializers.IntegerField()
    threshold = serializers.IntegerField()
    method = serializers.ChoiceField(choices=PriorityExercise.Method.choices)
    candidates = ResultRowSerializer(many=True)
    retained = serializers.IntegerField()
    origins = OriginsSerializer(help_text="Retained priorities by origin.")
    local_share = serializers.FloatField(allow_null=True)
    institutional_share = serializers.FloatField(allow_null=True)
    committees = CommitteeResultsSerializer(
        many=True,
        help_text="For an exercise run across committees: each committee's proposed priorities and the plenary's "
        "adherence to them, then those no committee proposed; empty when no committee proposed any.",
    )


@extend_schema_view(partial_update=extend_schema(responses={200: ExerciseSerializer, **CONFLICT}))
class PriorityExerciseViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """An exercise is not deleted (its results stay readable); DELETE removes a candidate before the plenary."""

    serializer_class = ExerciseSerializer
    pagination_class = Pagination
    filterset_class = PriorityExerciseFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            PriorityExercise.objects.filter(instance__in=scope.instances_for(self.request.user))
            .select_related("instance")
            .prefetch_related("candidates", "workshops__selections", "workshops__participants", "rounds")
            .order_by("-created_at", "pk")
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = actions.create_exercise(self.request.user, instance, data)

    def perform_update(self, serializer) -> None:
        serializer.instance = actions.update_exercise(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    def _detail(self, exercise: PriorityExercise, code: int = http.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=exercise.pk)).data, status=code)

    def _body(self, serializer_class, exercise: PriorityExercise, instance=None, **context) -> dict:
        context = {**self.get_serializer_context(), "exercise": exercise, **context}
        body = serializer_class(instance, data=self.request.data, partial=instance is not None, context=context)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=CandidateSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None, **kwargs) -> Response:
        """A coordinator adds a candidate priority (before the plenary)."""
        exercise = self.get_object()
        actions.add_candidate(request.user, exercise, self._body(CandidateSerializer, exercise))
        return self._detail(exercise)

    @extend_schema(request=ProposalSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def proposals(self, request, pk=None, **kwargs) -> Response:
        """A member proposes a candidate on behalf of a member organisation they represent or of a committee under
        the instance that they coordinate (while candidates are collected)."""
        exercise = self.get_object()
        actions.propose_candidate(request.user, exercise, self._body(ProposalSerializer, exercise, proposal=True))
        return self._detail(exercise)

    @extend_schema(request=CandidateSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"candidates/(?P<candidate_pk>\d+)")
    def candidate(self, request, pk=None, candidate_pk=None, **kwargs) -> Response:
        exercise = self.get_object()
        candidate = get_object_or_404(Candidate, pk=candidate_pk, exercise=exercise)
        actions.update_candidate(request.user, candidate, self._body(CandidateSerializer, exercise, candidate))
        return self._detail(exercise)

    @extend_schema(request=None, responses={204: None, **CONFLICT})
    @candidate.mapping.delete
    def remove_candidate(self, request, pk=None, candidate_pk=None, **kwargs) -> Response:
        exercise = self.get_object()
        actions.remove_candidate(request.user, get_object_or_404(Candidate, pk=candidate_pk, exercise=exercise))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=WorkshopSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def workshops(self, request, pk=None, **kwargs) -> Response:
        """A workshop team, among the plenary's participants."""
        exercise = self.get_object()
        actions.add_workshop(request.user, exercise, self._body(WorkshopSerializer, exercise))
        return self._detail(exercise)

    @extend_schema(request=SelectionSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"workshops/(?P<workshop_pk>\d+)/selections")
    def selections(self, request, pk=None, workshop_pk=None, **kwargs) -> Response:
        exercise = self.get_object()
        workshop = get_object_or_404(Workshop, pk=workshop_pk, exercise=exercise)
        candidates = self._body(SelectionSerializer, exercise)["candidates"]
        actions.select_priorities(request.user, workshop, candidates)
        return self._detail(exercise)

    @extend_schema(request=None, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="open-round")
    def open_round(self, request, pk=None, **kwargs) -> Response:
        exercise = self.get_object()
        actions.open_round(request.user, exercise)
        return self._detail(exercise)

    @extend_schema(request=CloseRoundSerializer, responses={200: ExerciseSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="close-round")
    def close_round(self, request, pk=None, **kwargs) -> Response:
        exercise = self.get_object()
        close_exercise = self._body(CloseRoundSerializer, exercise)["close_exercise"]
        actions.close_round(request.user, exercise, close_exercise=close_exercise)
        return self._detail(exercise)

    @extend_schema(request=BallotSerializer, responses={201: BallotReceiptSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None, **kwargs) -> Response:
        """Coordinators record a participant's ballot; a participant whose account is linked votes as themself."""
        exercise = self.get_object()
        body = self._body(BallotSerializer, exercise)
        ballot = actions.cast_ballot(request.user, exercise, body["voter"], body["choices"])
        receipt = {"round": ballot.round.number, "voter": ballot.voter_id}
        return Response(BallotReceiptSerializer(receipt).data, status=http.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ResultsSerializer, filters=False)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None, **kwargs) -> Response:
        """Adherence per candidate, retained priorities and their origins (see concertation.results)."""
        return Response(ResultsSerializer(exercise_results(self.get_object())).data)
