"""/api/v1/network: the network of organisations of a territory for a year, and the map of concertations.

The query is parsed by the network page's own form and checked by evaluation.actions.network, so the page and the
API answer alike: 404 for a territory the caller may not read (as for an unknown one), 400 naming the field for a
year outside the data, an unknown graph or an instance outside the territory."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from api.errors import DetailError
from evaluation.actions.network import check_reads_networks, network_scope
from evaluation.forms import NetworkForm
from evaluation.models import GraphKind
from evaluation.network import instances as instance_map
from evaluation.network import store
from registry.models import Organization

TERRITORY = OpenApiParameter(
    "territory", OpenApiTypes.INT, description="An RLS, a health region or the province (default: the caller's RLS)."
)
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="A year with data (default: the last one).")
GRAPH = OpenApiParameter(
    "graph", OpenApiTypes.STR, enum=GraphKind.values, description="What ties two organisations (default co_membership)."
)
INSTANCE = OpenApiParameter("instance", OpenApiTypes.INT, description="Only the organisations that sat on it.")
NOT_FOUND = OpenApiResponse(
    DetailError, description="An unknown territory, or one whose networks the user may not read."
)


class RatingsSerializer(serializers.Serializer):
    raters = serializers.IntegerField(help_text="Responding organisations that named and rated it (5 or more).")
    usefulness = serializers.FloatField(help_text="Mean, 1 to 5.")
    trust = serializers.FloatField(help_text="Mean, 1 to 5.")


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The node's index, as `source` and `target` name it.")
    organization = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.ChoiceField(choices=Organization.Sector.choices)
    degree = serializers.IntegerField(help_text="Organisations it is tied to.")
    weighted_degree = serializers.FloatField(help_text="The sum of its ties' strengths.")
    betweenness = serializers.FloatField(help_text="Share of the shortest paths between others that pass through it.")
    closeness = serializers.FloatField(help_text="Harmonic closeness: the mean of 1 / distance to the others.")
    coreness = serializers.IntegerField(help_text="The highest k-core it belongs to.")
    community = serializers.IntegerField(help_text="Leiden community, numbered from the biggest (1).")
    broker = serializers.BooleanField(help_text="Tied to another community and among the highest betweenness.")
    isolate = serializers.BooleanField(help_text="Tied to nobody.")
    x = serializers.FloatField(help_text="Position on the map (computed on the server).")
    y = serializers.FloatField()
    ratings = RatingsSerializer(
        required=False, allow_null=True,
        help_text="Relations survey: the mean usefulness and trust others gave it; null unless 5 or more rated it.",
    )  # fmt: skip


class EdgeSerializer(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    weight = serializers.FloatField(
        help_text="Strength: instances shared, agreements shared, or the mean frequency named (1 to 5)."
    )
    days = serializers.IntegerField(required=False, help_text="Co-membership: days the two sat together that year.")


class NetworkMetricsSerializer(serializers.Serializer):
    nodes = serializers.IntegerField()
    edges = serializers.IntegerField()
    density = serializers.FloatField(help_text="2·ties / (n·(n−1)).")
    components = serializers.IntegerField()
    centralization = serializers.FloatField(help_text="Freeman's degree centralisation, 0 to 1.")
    cross_sector_share = serializers.FloatField(help_text="Share of the ties between organisations of two sectors.")
    max_coreness = serializers.IntegerField()
    core_size = serializers.IntegerField()
    isolates = serializers.IntegerField()
    communities = serializers.IntegerField()
    modularity = serializers.FloatField()
    brokers = serializers.IntegerField()
    dynamic_core = serializers.ListField(
        child=serializers.IntegerField(), help_text="Organisation ids: highest coreness, then weighted degree."
    )


class SurveyCoverageSerializer(serializers.Serializer):
    invited = serializers.IntegerField(help_text="Organisations asked.")
    answered = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class NetworkSerializer(serializers.Serializer):
    territory = serializers.IntegerField()
    year = serializers.IntegerField()
    graph = serializers.ChoiceField(choices=GraphKind.choices)
    instance = serializers.IntegerField(allow_null=True)
    nodes = NodeSerializer(many=True)
    edges = EdgeSerializer(many=True)
    metrics = NetworkMetricsSerializer()
    survey = SurveyCoverageSerializer(
        allow_null=True, help_text="Relations survey: betweenness and centralisation depend on the missing answers."
    )
    computed = serializers.DictField(help_text="Library and version, parameters, seconds and when.")


class ComputingSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _scope(request, fields=("territory", "year", "graph", "instance")):
    """The query parsed by the page's form, only the `fields` this endpoint documents, and checked by the action."""
    check_reads_networks(request.user)
    form = NetworkForm({name: value for name, value in request.query_params.items() if name in fields})
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    return network_scope(
        request.user, territory=data["territory"], year=data["year"], graph=data["graph"], instance=data["instance"]
    ), data["graph"]


@extend_schema(
    parameters=[TERRITORY, YEAR, GRAPH, INSTANCE],
    responses={
        200: NetworkSerializer,
        202: OpenApiResponse(ComputingSerializer, description="A region's or the province's network is computing."),
        404: NOT_FOUND,
    },
    description="The organisations of a territory tied by what they share in a year, with their metrics "
    "(docs/network.md). A health region's and the province's are computed in the background and served stored.",
)
@api_view(["GET"])
def network(request, **kwargs) -> Response | HttpResponse:
    scope, graph = _scope(request)
    head = {"territory": scope.territory.pk, "year": scope.year, "graph": graph,
            "instance": scope.instance.pk if scope.instance else None}  # fmt: skip
    if store.computed_in_background(scope):
        text = store.stored_text(graph, scope)
        if text is not None:
            # The stored JSON object, sent as kept, after the same leading fields.
            return HttpResponse(json.dumps(head)[:-1] + ", " + text.lstrip()[1:], content_type="application/json")
        found = None
    else:
        found = store.network(graph, scope)
    if found is None:
        detail = _("This network is being computed; ask again in a minute.")
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
    return Response({**head, **found})


class InstanceNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The instance.")
    name = serializers.CharField()
    kind = serializers.CharField()
    members = serializers.IntegerField(help_text="Organisations that sat on it that year.")


class InstanceTieSerializer(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    shared = serializers.IntegerField(help_text="Organisations sitting on both.")
    share_of_source = serializers.FloatField(help_text="Share of the source's members also on the target.")
    share_of_target = serializers.FloatField()


class SeatsSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()
    instances = serializers.IntegerField(help_text="Instances of the territory it sat on that year.")


class SuggestionSerializer(serializers.Serializer):
    instances = serializers.ListField(child=serializers.IntegerField())
    kind = serializers.ChoiceField(choices=["merge", "coordinate"])
    reason = serializers.CharField()


class InstanceMapSerializer(serializers.Serializer):
    territory = serializers.IntegerField()
    year = serializers.IntegerField()
    nodes = InstanceNodeSerializer(many=True)
    edges = InstanceTieSerializer(many=True)
    organizations = SeatsSerializer(many=True, help_text="Per organisation, the instances it sits on, most first.")
    suggestions = SuggestionSerializer(many=True)


@extend_schema(
    parameters=[TERRITORY, YEAR],
    responses={200: InstanceMapSerializer, 404: NOT_FOUND},
    description="The map of concertations: instances tied by the organisations they share (sedimentation), "
    "with merges or coordination suggested where two share most of their members.",
)
@api_view(["GET"])
def instances(request, **kwargs) -> Response:
    scope, _graph = _scope(request, fields=("territory", "year"))
    body = {"territory": scope.territory.pk, "year": scope.year, **instance_map.instance_map(request.user, scope)}
    return Response(body)
