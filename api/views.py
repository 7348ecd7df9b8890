"""The /api/v1 registry endpoints: thin viewsets that fetch within the user's scope (404 outside it) and call
registry.actions, which check the permission (403) and the rules (400, 409) the same way as for the pages."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, pagination, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.schema import CONFLICT
from core import audit
from core.models import AuditEvent
from registry import actions
from registry import rules as perms
from registry.filters import OrganizationFilter, PersonFilter, TerritoryFilter
from registry.models import Affiliation, FundingLine, OrganizationLink, Territory, TerritoryPopulation

from .serializers import (
    AffiliationSerializer,
    EndAffiliationSerializer,
    FundingLineSerializer,
    OrganizationSerializer,
    PersonSerializer,
    TerritorySerializer,
)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        """A page size that is not a whole number of at least 1 is refused (400), not silently replaced."""
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        try:
            size = forms.IntegerField(min_value=1).clean(value)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({self.page_size_query_param: error.messages}) from error
        return min(size, self.max_page_size)


class RegistryViewSet(viewsets.ModelViewSet):
    """Objects come from the user's scope (404 outside it); the actions decide what the user may do."""

    pagination_class = Pagination

    def http_method_not_allowed(self, request, *args, **kwargs):
        # A record outside the user's scope does not exist for them, whatever the method: 404 before 405.
        if self.detail:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Filters narrow lists; a record is found by its id, archived or not (so that it can be restored).
        return queryset if self.detail else super().filter_queryset(queryset)

    def perform_create(self, serializer) -> None:
        serializer.instance = self.create_action(self.request.user, dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = self.update_action(self.request.user, serializer.instance, data)

    def body(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    destroy=extend_schema(description="Archives the organisation (it stays in the history and can be restored)."),
)
class OrganizationViewSet(RegistryViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return (
            perms.organizations_for(self.request.user)
            .select_related("rls")
            .annotate(has_representative=perms.has_representative())
            .prefetch_related(
                Prefetch("territories", queryset=Territory.objects.only("id")),
                "funding_lines",
                Prefetch("predecessor_links", queryset=OrganizationLink.objects.select_related("predecessor")),
                Prefetch("successor_links", queryset=OrganizationLink.objects.select_related("successor")),
            )
            .order_by("name", "pk")
        )

    def create_action(self, user, data):
        return actions.create_organization(user, data)

    def update_action(self, user, org, data):
        return actions.update_organization(user, org, data)

    def perform_destroy(self, org) -> None:
        actions.archive_organization(self.request.user, org)

    @extend_schema(summary="Restore an archived organisation", request=None, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, **kwargs) -> Response:
        org = actions.restore_organization(request.user, self.get_object())
        return Response(self.get_serializer(org).data)

    @extend_schema(summary="Add a funding line", request=FundingLineSerializer, responses={201: FundingLineSerializer})
    @action(detail=True, methods=["post"], url_path="funding")
    def add_funding(self, request, **kwargs) -> Response:
        org = self.get_object()
        line = actions.add_funding_line(request.user, org, self.body(FundingLineSerializer))
        return Response(FundingLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a funding line",
        parameters=[OpenApiParameter("line_pk", int, OpenApiParameter.PATH, description="The funding line's id.")],
        request=None,
        responses={204: OpenApiResponse(description="Removed.")},
    )
    @action(detail=True, methods=["delete"], url_path=r"funding/(?P<line_pk>[0-9]+)")
    def remove_funding(self, request, line_pk: str, **kwargs) -> Response:
        line = get_object_or_404(FundingLine, pk=line_pk, organization=self.get_object())
        actions.remove_funding_line(request.user, line)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(destroy=extend_schema(description="Archives the person (they stay in the history)."))
class PersonViewSet(RegistryViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        affiliations = Affiliation.objects.order_by("-start_date")
        return (
            perms.people_for(self.request.user)
            .prefetch_related(Prefetch("affiliations", queryset=affiliations))
            .order_by("last_name", "first_name", "pk")
        )

    def list(self, request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        # Personal information: every access is logged, lists included.
        audit.record(request.user, AuditEvent.Action.VIEW, changes={"list": "people", "query": request.GET.urlencode()})
        return response

    def retrieve(self, request, *args, **kwargs) -> Response:
        person = self.get_object()
        audit.record_view(request, person)
        return Response(self.get_serializer(person).data)

    def create_action(self, user, data):
        return actions.create_person(user, data)

    def update_action(self, user, person, data):
        return actions.update_person(user, person, data)

    def perform_destroy(self, person) -> None:
        actions.archive_person(self.request.user, person)

    @extend_schema(summary="Restore an archived person", request=None, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, **kwargs) -> Response:
        person = actions.restore_person(request.user, self.get_object())
        return Response(self.get_serializer(person).data)

    @extend_schema(
        summary="Affiliate the person with an organisation",
        request=AffiliationSerializer,
        responses={201: AffiliationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="affiliations")
    def add_affiliation(self, request, **kwargs) -> Response:
        person = self.get_object()
        affiliation = actions.add_affiliation(request.user, person, self.body(AffiliationSerializer))
        context = self.get_serializer_context()
        return Response(AffiliationSerializer(affiliation, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End an affiliation",
        parameters=[OpenApiParameter("affiliation_pk", int, OpenApiParameter.PATH, description="Its id.")],
        request=EndAffiliationSerializer,
        responses=AffiliationSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"affiliations/(?P<affiliation_pk>[0-9]+)/end")
    def end_affiliation(self, request, affiliation_pk: str, **kwargs) -> Response:
        affiliation = get_object_or_404(Affiliation, pk=affiliation_pk, person=self.get_object())
        end_date = self.body(EndAffiliationSerializer)["end_date"]
        affiliation = actions.end_affiliation(request.user, affiliation, end_date)
        return Response(AffiliationSerializer(affiliation, context=self.get_serializer_context()).data)


@extend_schema_view(
    destroy=extend_schema(
        description="Deletes a territory that has no sub-territory and no organisation (409 otherwise).",
        responses={204: OpenApiResponse(description="Deleted."), **CONFLICT},
    )
)
class TerritoryViewSet(RegistryViewSet):
    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter

    def get_queryset(self):
        figures = TerritoryPopulation.objects.order_by("-year")
        return (
            perms.territories_for(self.request.user)
            .prefetch_related(
                Prefetch("populations", queryset=figures, to_attr="prefetched_populations"),
                "grouped_municipalities",
            )
            .order_by("path")
        )

    def create_action(self, user, data):
        return actions.create_territory(user, data)

    def update_action(self, user, territory, data):
        territory = actions.update_territory(user, territory, data)
        vars(territory).pop("prefetched_populations", None)  # the figures may have changed: read them again
        return territory

    def perform_destroy(self, territory) -> None:
        actions.delete_territory(self.request.user, territory)
