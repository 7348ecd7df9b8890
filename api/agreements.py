"""/api/v1/agreements: the register, an agreement with its parties, sections and amounts, its lifecycle
(`POST …/transition`), versions, negotiation log, reports and documents. Calls agreements.actions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agreements import documents
from agreements.actions import agreements as actions
from agreements.actions import follow_up
from agreements.filters import AgreementFilter
from agreements.models import (
    Agreement,
    AgreementVersion,
    FundingAmount,
    NegotiationIssue,
    Party,
    PartyContact,
    Report,
    SectionCode,
)
from agreements.rules import agreements_for
from api.views import Pagination, as_api_error
from concertation.models import ActionPlan, Instance
from concertation.rules import instances_for
from core import audit
from core.models import AuditEvent
from registry.models import Organization, Territory
from registry.rules import scope_for


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyContact
        fields = ["id", "person", "role", "signed_on"]


class PartySerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "organization", "role", "contacts"]


class AmountSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingAmount
        fields = ["year", "amount", "funder"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    organizations = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, write_only=True, required=False,
        help_text="On creation: the organisations that are parties (two or more).",
    )  # fmt: skip
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))
    joint_committee = serializers.PrimaryKeyRelatedField(
        queryset=Instance.objects.filter(kind=Instance.Kind.JOINT_COMMITTEE), allow_null=True, required=False
    )
    instances = serializers.PrimaryKeyRelatedField(queryset=Instance.objects.all(), many=True, required=False)
    action_plans = serializers.PrimaryKeyRelatedField(queryset=ActionPlan.objects.all(), many=True, required=False)
    sections = serializers.SerializerMethodField()
    amounts = AmountSerializer(many=True, read_only=True)
    missing_sections = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "title", "kind", "status", "rls", "legal_basis", "parties", "organizations", "summary",
            "start_date", "end_date", "renewal_terms", "sections", "missing_sections", "amounts", "joint_committee",
            "instances", "action_plans", "version", "is_public", "reminder_days",
        ]  # fmt: skip
        read_only_fields = ["status", "legal_basis", "version"]

    def get_sections(self, agreement: Agreement) -> dict[str, str]:
        return {s.code: s.body for s in agreement.sections.all()}

    def get_missing_sections(self, agreement: Agreement) -> list[str]:
        # The rules are read once per response, not once per agreement of the list.
        if "required_codes" not in self.context:
            self.context["required_codes"] = actions.required_codes_by_kind()
        filled = {s.code for s in agreement.sections.all() if s.body.strip()}
        return [code for code in self.context["required_codes"][agreement.kind] if code not in filled]

    def validate_rls(self, rls: Territory) -> Territory:
        if self.instance is not None and rls.pk != self.instance.rls_id:
            raise serializers.ValidationError(_("An agreement cannot move to another RLS."))
        return rls

    def _visible(self, instances: list[Instance]) -> None:
        visible = set(instances_for(self.context["request"].user).values_list("pk", flat=True))
        if any(i.pk not in visible for i in instances):
            raise serializers.ValidationError(_("Link only instances that you can see."))

    def validate_instances(self, instances: list[Instance]) -> list[Instance]:
        self._visible(instances)
        return instances

    def validate_action_plans(self, plans: list[ActionPlan]) -> list[ActionPlan]:
        self._visible([plan.instance for plan in plans])
        return plans

    def validate_joint_committee(self, committee: Instance | None) -> Instance | None:
        if committee is not None:
            self._visible([committee])
        return committee

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return attrs


class SectionsSerializer(serializers.Serializer):
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True))


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Agreement.Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AmendmentSerializer(serializers.Serializer):
    note = serializers.CharField()
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    end_date = serializers.DateField(required=False, allow_null=True)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["number", "created_at", "created_by", "note", "content"]


class PositionSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    initial_position = serializers.CharField(allow_blank=True, required=False, default="")
    concession = serializers.CharField(allow_blank=True, required=False, default="")


class IssueSerializer(serializers.ModelSerializer):
    positions = PositionSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = NegotiationIssue
        fields = ["id", "subject", "compromise", "settled_on", "positions"]

    def to_representation(self, issue):
        data = super().to_representation(issue)
        data["positions"] = [
            {"party": p.party_id, "initial_position": p.initial_position, "concession": p.concession}
            for p in issue.positions.all()
        ]
        return data


class ReportSerializer(serializers.ModelSerializer):
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "title", "due_on", "submitted_on", "note", "is_late"]
        read_only_fields = ["submitted_on", "note"]


def _write(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except actions.TransitionRefused:
        raise
    except DjangoValidationError as error:
        raise as_api_error(error) from error


@extend_schema(parameters=[OpenApiParameter(n, str) for n in AgreementFilter.base_filters])
class AgreementViewSet(viewsets.ModelViewSet):
    """Only the parties' representatives and the network coordinators see an agreement (404 otherwise)."""

    serializer_class = AgreementSerializer
    pagination_class = Pagination
    filterset_class = AgreementFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        parties = Party.objects.prefetch_related("contacts")
        return (
            agreements_for(self.request.user)
            .prefetch_related(Prefetch("parties", queryset=parties), "sections", "amounts", "instances", "action_plans")
            .order_by("-start_date", "title", "pk")
        )

    def working(self) -> Agreement:
        agreement = self.get_object()
        if not self.request.user.has_perm("agreements.change_agreement", agreement):
            raise exceptions.PermissionDenied
        return agreement

    def perform_create(self, serializer) -> None:
        user = self.request.user
        if not user.has_perm("agreements.add_agreement"):
            raise exceptions.PermissionDenied
        data = dict(serializer.validated_data)
        data["parties"] = data.pop("organizations", [])
        scope_orgs = {o.pk for o in data["parties"]}
        scope = scope_for(user)
        if not (scope.is_admin or data["rls"].pk in scope.coordinated_rls or scope_orgs & scope.represented_orgs):
            raise exceptions.PermissionDenied(_("You may only draft agreements of your RLS or of your organisation."))
        serializer.instance = _write(actions.create_agreement, user, data, self.request)

    def perform_update(self, serializer) -> None:
        self.working()
        data = dict(serializer.validated_data)
        data.pop("organizations", None)
        serializer.instance = _write(
            actions.update_agreement, self.request.user, serializer.instance, data, self.request
        )

    def _detail(self, agreement: Agreement, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data, status=code)

    @extend_schema(request=SectionsSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["patch"])
    def sections(self, request, pk=None, **kwargs) -> Response:
        """Write sections by code while the agreement is a draft or in negotiation."""
        agreement = self.working()
        body = SectionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unknown = [c for c in body.validated_data["sections"] if c not in SectionCode.values]
        if unknown:
            raise exceptions.ValidationError(
                {"sections": [_("Unknown section: %(code)s.") % {"code": c} for c in unknown]}
            )
        with transaction.atomic():
            for code, text in body.validated_data["sections"].items():
                _write(actions.update_section, request.user, agreement, code, text, request)
        return self._detail(agreement)

    @extend_schema(
        request=TransitionSerializer, responses={200: AgreementSerializer, 409: dict},
        description="Change the state. Refused with 409 and `missing_sections` (section codes) when it may not move.",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None, **kwargs) -> Response:
        agreement = self.working()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            actions.transition(
                request.user, agreement, body.validated_data["to"], body.validated_data["reason"], request
            )
        except actions.TransitionRefused as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"to": error.messages}
            return Response({**detail, "missing_sections": error.missing_sections}, status=status.HTTP_409_CONFLICT)
        return self._detail(agreement)

    @extend_schema(request=AmendmentSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def amendments(self, request, pk=None, **kwargs) -> Response:
        agreement = self.working()
        body = AmendmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _write(actions.amend, request.user, agreement, dict(body.validated_data), request)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        return Response(VersionSerializer(agreement.versions.order_by("number"), many=True).data)

    @extend_schema(request=IssueSerializer, responses=IssueSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def negotiation(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object() if request.method == "GET" else self.working()
        if request.method == "POST":
            body = IssueSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
            parties = {p.pk: p for p in agreement.parties.all()}
            positions = {}
            for row in data.pop("positions", []):
                if row["party"] not in parties:
                    raise exceptions.ValidationError(
                        {"positions": _("Positions are those of the agreement's parties.")}
                    )
                positions[parties[row["party"]]] = (row["initial_position"], row["concession"])
            _write(follow_up.log_issue, request.user, agreement, {**data, "positions": positions}, request=request)
        issues = agreement.negotiation_issues.prefetch_related("positions").order_by("pk")
        return Response(IssueSerializer(issues, many=True).data)

    @extend_schema(request=ReportSerializer, responses=ReportSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object() if request.method == "GET" else self.working()
        if request.method == "POST":
            body = ReportSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            _write(follow_up.add_report, request.user, agreement, dict(body.validated_data), request)
        return Response(ReportSerializer(agreement.reports.order_by("due_on", "pk"), many=True).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<report_pk>\d+)/submit")
    def submit_report(self, request, pk=None, report_pk=None, **kwargs) -> Response:
        """File a report: `submitted_on`, `note` and an optional `file` (multipart)."""
        agreement = self.working()
        report = get_object_or_404(Report, pk=report_pk, agreement=agreement)
        data = {"submitted_on": serializers.DateField(required=False).to_internal_value(request.data["submitted_on"])
                if request.data.get("submitted_on") else None,
                "note": request.data.get("note", ""), "file": request.FILES.get("file")}  # fmt: skip
        _write(follow_up.submit_report, request.user, report, data, request)
        report.refresh_from_db()
        return Response(ReportSerializer(report).data)

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=["fr", "en"])],
        responses={(200, "application/pdf"): bytes},
    )
    @action(detail=True, methods=["get"], url_path=r"document/(?P<extension>pdf|docx)")
    def document(self, request, pk=None, extension=None, **kwargs) -> HttpResponse:
        agreement = self.get_object()
        audit.record(request.user, AuditEvent.Action.EXPORT, agreement, {"format": extension}, request)
        return documents.download(agreement, extension, request.query_params.get("lang", ""))
