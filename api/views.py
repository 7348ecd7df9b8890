"""The /api/v1 endpoints: thin viewsets that scope every query to the user and call registry.actions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, pagination, viewsets
from rest_framework.response import Response

from core import audit
from core.models import AuditEvent
from registry import actions
from registry import rules as perms
from registry.filters import OrganizationFilter, PersonFilter, TerritoryFilter
from registry.models import Affiliation, Territory, TerritoryPopulation

from .serializers import OrganizationSerializer, PersonSerializer, TerritorySerializer


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class RegistryViewSet(viewsets.ModelViewSet):
    """Lists come from the user's scope (404 outside it); writes check the object permission (403)."""

    pagination_class = Pagination
    change_perm = ""
    delete_perm = ""
    add_perm = ""

    def check_object_permissions(self, request, obj) -> None:
        super().check_object_permissions(request, obj)
        needed = {"PUT": self.change_perm, "PATCH": self.change_perm, "DELETE": self.delete_perm}.get(request.method)
        if needed and not request.user.has_perm(needed, obj):
            raise exceptions.PermissionDenied

    def perform_create(self, serializer) -> None:
        if not self.request.user.has_perm(self.add_perm):
            raise exceptions.PermissionDenied
        try:
            serializer.instance = self.create_action(self.request.user, dict(serializer.validated_data), self.request)
        except DjangoValidationError as error:
            raise as_api_error(error) from error

    def perform_update(self, serializer) -> None:
        try:
            serializer.instance = self.update_action(
                self.request.user, serializer.instance, dict(serializer.validated_data), self.request
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error


@extend_schema_view(
    destroy=extend_schema(description="Archives the organisation (it stays in the history and can be restored)."),
)
class OrganizationViewSet(RegistryViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    change_perm = "registry.change_organization"
    delete_perm = "registry.archive_organization"
    add_perm = "registry.add_organization"

    def get_queryset(self):
        return (
            perms.organizations_for(self.request.user)
            .select_related("rls")
            .prefetch_related(Prefetch("territories", queryset=Territory.objects.only("id")), "funding_lines")
            .order_by("name", "pk")
        )

    def create_action(self, user, data, request):
        return actions.create_organization(user, data, request)

    def update_action(self, user, org, data, request):
        return actions.update_organization(user, org, data, request)

    def perform_destroy(self, org) -> None:
        actions.archive_organization(self.request.user, org, self.request)


@extend_schema_view(destroy=extend_schema(description="Archives the person (they stay in the history)."))
class PersonViewSet(RegistryViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    change_perm = "registry.change_person"
    delete_perm = "registry.archive_person"
    add_perm = "registry.add_person"

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
        changes = {"list": "people", "query": request.GET.urlencode()}
        audit.record(request.user, AuditEvent.Action.VIEW, changes=changes, request=request)
        return response

    def retrieve(self, request, *args, **kwargs) -> Response:
        person = self.get_object()
        audit.record_view(request, person)
        return Response(self.get_serializer(person).data)

    def create_action(self, user, data, request):
        return actions.create_person(user, data, request)

    def update_action(self, user, person, data, request):
        if "affiliations" in data:
            # Affiliations with organisations the user does not manage are kept as they are.
            editable = perms.editable_organizations_for(user).values_list("pk", flat=True)
            kept = person.affiliations.exclude(organization__in=editable).values(
                "organization_id", "title", "start_date", "end_date"
            )
            data["affiliations"] = [*data["affiliations"], *kept]
        return actions.update_person(user, person, data, request)

    def perform_destroy(self, person) -> None:
        actions.archive_person(self.request.user, person, self.request)


class TerritoryViewSet(RegistryViewSet):
    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter
    change_perm = "registry.change_territory"
    delete_perm = "registry.change_territory"
    add_perm = "registry.add_territory"

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

    def create_action(self, user, data, request):
        return actions.create_territory(user, data, request)

    def update_action(self, user, territory, data, request):
        return actions.update_territory(user, territory, data, request)

    def perform_destroy(self, territory) -> None:
        try:
            actions.delete_territory(self.request.user, territory, self.request)
        except DjangoValidationError as error:
            raise as_api_error(error) from error
