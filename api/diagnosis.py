"""/api/v1 endpoints of the partnership diagnosis: the diagnosis of an instance or of an RLS (placements with their
evidence, rule and notes; indicators; recommendations), and the notes members write beside a placement.

The same reads and actions as the pages (evaluation.views.diagnosis, evaluation.actions.notes): whoever reads the
instance reads its diagnosis, an RLS's is read by its coordinators and analysts (404 for anyone else); its
coordinators and the instance's members annotate it (403 for other readers)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from concertation.models import Instance
from evaluation import rules
from evaluation.actions import notes as note_actions
from evaluation.diagnosis import HIGH, LOW, MEDIUM, Diagnosis
from evaluation.diagnosis.rules import DIMENSIONS
from evaluation.diagnosis.specs import CODE, COUNT, PER_YEAR, PERCENT, RANK_GAP, SCORE
from evaluation.forms import DiagnosisYearForm
from evaluation.models import PlacementNote
from evaluation.models.notes import NOTE_MAX_LENGTH
from evaluation.views import diagnosis as pages
from registry.models import Territory

YEAR = OpenApiParameter(
    "year", int, description="Read one calendar year (up to this one); without it, every year with data."
)


@extend_schema_field(OpenApiTypes.ANY)
class AnyValueField(serializers.Field):
    """A number, a code, or null when the data cannot tell (the `source` then says why)."""

    def to_representation(self, value):
        return value


class DiagnosisEvidenceSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's code (see `indicators`).")
    value = AnyValueField(help_text="Its value: a number, a code, or null when the data cannot tell.")
    source = serializers.CharField(help_text="What it reads, and why it is null when it is.")


class NoteOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlacementNoteSerializer(serializers.ModelSerializer):
    placement = serializers.CharField(
        read_only=True,
        help_text="The dimension's placement codes when the note was written (comma-separated when several).",
    )
    year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The year read when written; null: the whole period."
    )
    author = serializers.SerializerMethodField(help_text="The author's name; null once their account is deleted.")
    author_organization = NoteOrganizationSerializer(
        read_only=True, allow_null=True, help_text="The member organisation the author speaks for (a representative)."
    )
    can_delete = serializers.SerializerMethodField(help_text="The caller may delete it (its author or a coordinator).")

    class Meta:
        model = PlacementNote
        fields = [
            "id", "dimension", "placement", "year", "stance", "text", "author", "author_organization", "created_at",
            "can_delete",
        ]  # fmt: skip
        read_only_fields = fields

    def get_author(self, note: PlacementNote) -> str | None:
        author = note.author
        return (author.get_full_name() or author.get_username()) if author is not None else None

    def get_can_delete(self, note: PlacementNote) -> bool:
        if hasattr(note, "can_delete"):
            return note.can_delete
        request = self.context.get("request")
        return bool(request) and request.user.has_perm("evaluation.delete_placementnote", note)


class DiagnosisPlacementSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=list(DIMENSIONS), help_text="The typology (stable code).")
    dimension_label = serializers.CharField(help_text="In the caller's language.")
    placement = serializers.CharField(
        help_text="Where the rules place it (stable code); `insufficient_evidence` or `none_detected` when they cannot."
    )
    label = serializers.CharField(help_text="The placement, in the caller's language.")
    confidence = serializers.ChoiceField(choices=[LOW, MEDIUM, HIGH])
    rule = serializers.CharField(help_text="The condition that placed it, in words.")
    evidence = DiagnosisEvidenceSerializer(
        many=True, help_text="The indicators behind it; for insufficient evidence, those to record."
    )
    notes = PlacementNoteSerializer(
        many=True, help_text="Notes on the placement's dimension, newest first (repeated on each of its placements)."
    )


class DiagnosisIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable English slug.")
    label = serializers.CharField()
    value = AnyValueField(help_text="A number, a code, or null when the data cannot tell.")
    unit = serializers.ChoiceField(choices=[PERCENT, COUNT, PER_YEAR, RANK_GAP, SCORE, CODE])
    source = serializers.CharField(help_text="What it reads, and why it is null when it is.")
    detail = serializers.DictField(help_text="Breakdowns behind the value (by sector, by mode…).")


class DiagnosisRecommendationSerializer(serializers.Serializer):
    condition = serializers.CharField(help_text="The condition found unmet, in words.")
    suggestion = serializers.CharField(help_text="Something concrete to try (or the data to record).")
    source = serializers.CharField(help_text="Where the advice comes from.")


class DiagnosisSerializer(serializers.Serializer):
    period = serializers.ListField(child=serializers.IntegerField(), help_text="The calendar years read.")
    placements = DiagnosisPlacementSerializer(many=True)
    indicators = DiagnosisIndicatorSerializer(many=True)
    recommendations = DiagnosisRecommendationSerializer(many=True)


class PlacementNoteInputSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(
        choices=list(DIMENSIONS), help_text="The dimension annotated (`bourque_type`: an instance's diagnosis only)."
    )
    stance = serializers.ChoiceField(choices=PlacementNote.Stance.choices)
    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    year = serializers.IntegerField(
        required=False, allow_null=True, help_text="The year whose placement is annotated; the whole period if none."
    )


def _year(request) -> int | None:
    form = DiagnosisYearForm(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data["year"]


def _answer(request, *, instance: Instance | None = None, rls: Territory) -> Response:
    year = _year(request)
    found: Diagnosis = pages.diagnosis_for(request.user, instance=instance, rls=rls, year=year)
    notes = pages.notes_by_dimension(request.user, instance=instance, rls=rls)
    placements = [
        {"dimension": p.dimension, "dimension_label": p.dimension_label, "placement": p.placement, "label": p.label,
         "confidence": p.confidence, "rule": p.rule, "evidence": p.evidence, "notes": notes.get(p.dimension, [])}
        for p in found.placements
    ]  # fmt: skip
    body = {"period": found.period, "placements": placements, "indicators": found.indicators,
            "recommendations": found.recommendations}  # fmt: skip
    return Response(DiagnosisSerializer(body, context={"request": request}).data)


def _annotate(request, *, instance: Instance | None = None, rls: Territory | None = None) -> Response:
    target = {"instance": instance} if instance is not None else {"rls": rls}
    if not pages.may_annotate(request.user, **target):
        raise PermissionDenied(_("Only the coordinators and the members annotate this diagnosis."))
    body = PlacementNoteInputSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    note = pages.annotate(request.user, dict(body.validated_data), **target)
    return Response(PlacementNoteSerializer(note, context={"request": request}).data, status=status.HTTP_201_CREATED)


NOTE_RESPONSES = {201: PlacementNoteSerializer}


@extend_schema(
    parameters=[YEAR], responses=DiagnosisSerializer,
    description="The diagnosis of an instance, for whoever reads the instance.",
)  # fmt: skip
@api_view(["GET"])
def instance_diagnosis(request, pk: int, **kwargs) -> Response:
    instance = pages.get_diagnosed_instance(request, pk)
    return _answer(request, instance=instance, rls=instance.rls)


@extend_schema(
    parameters=[YEAR], responses=DiagnosisSerializer,
    description="The diagnosis of an RLS's concertation as a whole, for its coordinators and analysts.",
)  # fmt: skip
@api_view(["GET"])
def rls_diagnosis(request, pk: int, **kwargs) -> Response:
    rls = pages.get_diagnosed_rls(request, pk)
    return _answer(request, rls=rls)


@extend_schema(
    request=PlacementNoteInputSerializer, responses=NOTE_RESPONSES,
    description="A note beside one dimension of the instance's diagnosis (its coordinators and members); the "
    "placement is the one the diagnosis shows now.",
)  # fmt: skip
@api_view(["POST"])
def instance_diagnosis_note(request, pk: int, **kwargs) -> Response:
    return _annotate(request, instance=pages.get_diagnosed_instance(request, pk))


@extend_schema(
    request=PlacementNoteInputSerializer, responses=NOTE_RESPONSES,
    description="A note beside one dimension of the RLS's diagnosis (its coordinators); the placement is the one "
    "the diagnosis shows now.",
)  # fmt: skip
@api_view(["POST"])
def rls_diagnosis_note(request, pk: int, **kwargs) -> Response:
    return _annotate(request, rls=pages.get_diagnosed_rls(request, pk))


@extend_schema(
    methods=["GET"], responses=PlacementNoteSerializer, description="A note beside a diagnosis the caller reads."
)
@extend_schema(
    methods=["DELETE"], request=None,
    responses={204: OpenApiResponse(description="Deleted; nothing to return.")},
    description="Delete a note (its author, or a coordinator of what it annotates).",
)  # fmt: skip
@api_view(["GET", "DELETE"])
def diagnosis_note(request, pk: int, **kwargs) -> Response:
    notes = rules.placement_notes_for(request.user).select_related("instance", "rls", "author", "author_organization")
    note = get_object_or_404(notes, pk=pk)
    if request.method == "DELETE":
        note_actions.delete_note(request.user, note)
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(PlacementNoteSerializer(note, context={"request": request}).data)
