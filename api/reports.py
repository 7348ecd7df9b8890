"""/api/v1 PDF reports (the bilan of an RLS, a campaign's results) and the figures of an RLS's dashboard."""

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from api.evaluation import ScopedViewSet
from api.plans import ConcentrationSerializer, OrganizationLoadSerializer
from concertation.filters import IdFilter
from evaluation import bilan, rules
from evaluation.actions import reports as report_actions
from evaluation.models import Campaign, Report
from evaluation.rules import campaigns_for
from evaluation.views import bilan as bilan_views
from registry.models import Territory

# PDF reports ----------------------------------------------------------------------------------------------
# Built in the background: a request answers 202 with the report waiting; its status and progress are read back
# until it is `done`, then `download_url` gives the PDF. Kinds, statuses and languages are plain strings here (the
# schema already has enums named `kind`, `status` and `language` with other values).


class PdfReportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="`bilan` (an RLS over a period) or `campaign`.")
    language = serializers.CharField(read_only=True, help_text="`fr` or `en`.")
    status = serializers.CharField(read_only=True, help_text="`queued`, `running`, `done` or `failed`.")
    progress = serializers.IntegerField(read_only=True, help_text="Percent done (0 to 100).")
    error = serializers.CharField(read_only=True, help_text="The step that failed and the kind of error, if any.")
    download_url = serializers.SerializerMethodField(help_text="The PDF once `done`; null before.")

    class Meta:
        model = Report
        fields = [
            "id", "kind", "rls", "campaign", "period_start", "period_end", "language", "status", "progress",
            "requested_at", "finished_at", "error", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if not report.is_ready:
            return None
        path = reverse("report-file", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PdfReportRequestSerializer(serializers.Serializer):
    """A bilan names its RLS and period; a campaign's report names the campaign. The action checks the rest."""

    kind = serializers.CharField(help_text="`bilan` or `campaign`.")
    rls = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.filter(kind=Territory.Kind.RLS), required=False, allow_null=True,
        help_text="A bilan: the RLS (one the user coordinates or analyses).",
    )  # fmt: skip
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.none(), required=False, allow_null=True,
        help_text="A campaign's report: a campaign whose results the user sees.",
    )  # fmt: skip
    period_start = serializers.DateField(required=False, allow_null=True, help_text="A bilan: the first day.")
    period_end = serializers.DateField(
        required=False, allow_null=True, help_text="A bilan: the last day, today at the latest (15 years at most)."
    )
    language = serializers.CharField(required=False, default="fr", help_text="`fr` (default) or `en`.")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = campaigns_for(request.user)
        return fields

    def validate_kind(self, value: str) -> str:
        if value not in Report.Kind.values:
            raise serializers.ValidationError(_("Choose `bilan` or `campaign`."))
        return value


class ReportFilter(django_filters.FilterSet):
    rls = IdFilter(field_name="rls")
    campaign = IdFilter(field_name="campaign")

    class Meta:
        model = Report
        fields = ["rls", "campaign"]


@extend_schema_view(list=extend_schema(description="The reports the user may download, latest first."))
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """A report is read by its requester and by the coordinators of its RLS (404 otherwise)."""

    serializer_class = PdfReportSerializer
    filterset_class = ReportFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return rules.reports_for(self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(request=PdfReportRequestSerializer, responses={202: PdfReportSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        """Ask for a PDF report: the bilan of an RLS's concertation over a period, or a campaign's results. It is
        produced in the background; follow its `status` and `progress`."""
        data = self._input(PdfReportRequestSerializer)
        if data["kind"] == Report.Kind.CAMPAIGN:
            report = report_actions.request_campaign_report(request.user, data.get("campaign"), data["language"])
        else:
            report = report_actions.request_bilan(
                request.user, data.get("rls"), data.get("period_start"), data.get("period_end"), data["language"]
            )
        fresh = Report.objects.get(pk=report.pk)  # a backend that runs it at once has already moved it on
        return Response(self.get_serializer(fresh).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filterset_class=None)
    def file(self, request, pk=None, **kwargs) -> FileResponse:
        """The PDF of a report that is `done` (404 before); the download is logged."""
        report = self.get_object()
        if not report.is_ready:
            raise Http404
        return bilan_views.download(request, report)


# The RLS dashboard's figures ------------------------------------------------------------------------------


class SeriesYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organizations = serializers.IntegerField(help_text="Distinct member organisations across the instances.")
    instances = serializers.IntegerField(help_text="Instances with at least one member that year.")


class InstanceMembersSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    members = serializers.IntegerField(help_text="Member organisations in the last year shown.")


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    date = serializers.DateField()
    kind = serializers.CharField(help_text="The context event's kind (as in /instances/{id}/timeline/).")
    title = serializers.CharField()
    instance = serializers.IntegerField(source="instance_id", allow_null=True, help_text="Null: the whole RLS.")


class ExitYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Memberships that ended that year.")


class ParticipationBlockSerializer(serializers.Serializer):
    years = SeriesYearSerializer(many=True, source="series")
    year = serializers.IntegerField(help_text="The last year shown, that of `instances`.")
    instances = InstanceMembersSerializer(many=True, source="per_instance")
    events = EventSerializer(many=True)
    exits = ExitYearSerializer(many=True)


class LoadBlockSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    concentration = ConcentrationSerializer()
    top = OrganizationLoadSerializer(many=True, help_text="The most solicited organisations, by meeting hours.")


class AgreementKindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

    def to_representation(self, row: tuple) -> dict:
        kind, label, count = row
        return {"kind": kind, "label": str(label), "count": count}


class FundingYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="CAD.")
    agreements = serializers.IntegerField(source="n")


class DriftingSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    name = serializers.CharField(source="organization__name")
    year = serializers.IntegerField()
    service_share = serializers.FloatField(help_text="Percent of the year's funding from service agreements.")


class AgreementsBlockSerializer(serializers.Serializer):
    in_force = serializers.IntegerField()
    by_kind = AgreementKindCountSerializer(many=True, help_text="Agreements in force by kind (kinds with any).")
    funding = FundingYearSerializer(many=True)
    expiring = serializers.IntegerField(source="expiring_count")
    late_reports = serializers.IntegerField(source="late_count")
    community_organizations = serializers.IntegerField(source="community")
    drifting_count = serializers.IntegerField(
        help_text="Community organisations whose service-agreement money overtakes mission funding."
    )
    drifting = DriftingSerializer(many=True)


class SectionScoreSerializer(serializers.Serializer):
    code = serializers.CharField(source="section.code")
    title = serializers.CharField(source="section.title")
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    level = serializers.CharField(allow_null=True, help_text="`strength`, `watch` or `concern`.")


class SurveySerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk")
    title = serializers.CharField(source="campaign.title")
    instrument = serializers.IntegerField(source="campaign.instrument_id")
    opens_on = serializers.DateField(source="campaign.opens_on")
    closes_on = serializers.DateField(source="campaign.closes_on")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    respondents = serializers.IntegerField()
    suppressed = serializers.BooleanField(help_text="Too few respondents: no figure, as in the campaign's results.")
    sections = SectionScoreSerializer(many=True)


class PlacementSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension_code")
    dimension_label = serializers.CharField(source="dimension")
    placement = serializers.CharField(source="code")
    placement_label = serializers.CharField(source="placement")
    confidence = serializers.CharField(help_text="`low`, `medium` or `high`.")


class DiagnosisBlockSerializer(serializers.Serializer):
    period = serializers.ListField(child=serializers.IntegerField(), help_text="The calendar years read.")
    placements = PlacementSerializer(many=True)


class RlsDashboardSerializer(serializers.Serializer):
    rls = serializers.IntegerField(source="rls.pk")
    name = serializers.CharField(source="rls.name")
    participation = ParticipationBlockSerializer()
    load = LoadBlockSerializer()
    agreements = AgreementsBlockSerializer()
    surveys = SurveySerializer(many=True, help_text="The latest closed campaign of each instrument the user sees.")
    diagnosis = DiagnosisBlockSerializer()


@extend_schema(
    parameters=[
        OpenApiParameter("year", int, description="The year of the concertation load (this year if not given).")
    ],
    responses=RlsDashboardSerializer,
    description="The figures of an RLS's dashboard, as the user may see them (its coordinators and analysts).",
)
@api_view(["GET"])
def rls_dashboard(request, pk: int, **kwargs) -> Response:
    rls = get_object_or_404(rules.diagnosis_rls_for(request.user), pk=pk)
    year = request.query_params.get("year", "")
    this_year = timezone.localdate().year
    load_year = int(year) if year.isdigit() and 1990 <= int(year) <= this_year else None
    return Response(RlsDashboardSerializer(bilan.dashboard(rls, request.user, load_year)).data)
