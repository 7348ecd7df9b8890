from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import (
    agreements,
    change_requests,
    concertation,
    diagnosis,
    errors,
    evaluation,
    legal_bases,
    meetings,
    network,
    plans,
    priorities,
    reports,
    views,
)

router = DefaultRouter(trailing_slash="/?")
router.include_root_view = False
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("change-requests", change_requests.ChangeRequestViewSet, basename="change-request")
router.register("instances", concertation.InstanceViewSet, basename="instance")
router.register("memberships", concertation.MembershipViewSet, basename="membership")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("priority-exercises", priorities.PriorityExerciseViewSet, basename="priority-exercise")
router.register("action-plans", plans.ActionPlanViewSet, basename="action-plan")
router.register("demarches", plans.DemarcheViewSet, basename="demarche")
router.register("agreements", agreements.AgreementViewSet, basename="agreement")
router.register("legal-bases", legal_bases.LegalBasisViewSet, basename="legal-basis")
router.register("instruments", evaluation.InstrumentViewSet, basename="instrument")
router.register("campaigns", evaluation.CampaignViewSet, basename="campaign")
router.register("responses", evaluation.ResponseViewSet, basename="response")
router.register("reports", reports.ReportViewSet, basename="report")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^instances/(?P<pk>[0-9]+)/participation/?$", plans.participation, name="instance-participation"),
    re_path(r"^analytics/concertation-load/?$", plans.concertation_load, name="concertation-load"),
    re_path(r"^rls/(?P<pk>[0-9]+)/dashboard/?$", reports.rls_dashboard, name="rls-dashboard"),
    re_path(r"^instances/(?P<pk>[0-9]+)/diagnosis/?$", diagnosis.instance_diagnosis, name="instance-diagnosis"),
    re_path(
        r"^instances/(?P<pk>[0-9]+)/diagnosis/notes/?$",
        diagnosis.instance_diagnosis_note,
        name="instance-diagnosis-note",
    ),
    re_path(r"^rls/(?P<pk>[0-9]+)/diagnosis/?$", diagnosis.rls_diagnosis, name="rls-diagnosis"),
    re_path(r"^rls/(?P<pk>[0-9]+)/diagnosis/notes/?$", diagnosis.rls_diagnosis_note, name="rls-diagnosis-note"),
    re_path(r"^diagnosis-notes/(?P<pk>[0-9]+)/?$", diagnosis.diagnosis_note, name="diagnosis-note"),
    re_path(r"^network/?$", network.network, name="network"),
    re_path(r"^network/instances/?$", network.instances, name="network-instances"),
    path("", include(router.urls)),
    re_path(
        r"", errors.not_found, name="api-not-found"
    ),  # any other address under /api/v1/ answers a JSON 404, not the HTML page
]
