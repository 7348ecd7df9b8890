"""The network of organisations of a territory (docs/network.md): its map, its metrics in plain words with their
evolution, the list of organisations the map draws (what a keyboard and a screen reader use), and the exports."""

import csv
import io
from xml.sax.saxutils import escape as xml_escape

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import audit, charts
from core.models import AuditEvent
from evaluation import rules
from evaluation.actions.network import instance_choices, network_scope
from evaluation.cache import kept
from evaluation.forms import NetworkForm
from evaluation.models import GraphKind
from evaluation.network import store
from evaluation.network.graphs import Scope
from registry.exports import _safe as spreadsheet_safe
from registry.models import Organization

LIST_SHOWN = 300  # organisations listed under the map; the exports carry them all
MAP_EDGES = 20_000  # ties drawn on the map (the strongest): a province has over 100,000, megabytes of page


def _read(request: HttpRequest) -> tuple[NetworkForm, Scope | None, str]:
    """The filter form and what it asks for; the scope is None when the form holds errors (shown on the page)."""
    form = NetworkForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    if not data:
        # Still asks the action, which refuses a user who reads no network (403) before any filter is read.
        network_scope(request.user, territory=None, year=None)
        return form, None, GraphKind.CO_MEMBERSHIP
    try:
        scope = network_scope(
            request.user, territory=data["territory"], year=data["year"], graph=data["graph"],
            instance=data["instance"],
        )  # fmt: skip
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return form, None, data["graph"]
    return form, scope, data["graph"]


def _evolution_chart(graph: str, scope: Scope) -> tuple[charts.Chart, list[dict]] | None:
    instance = scope.instance.pk if scope.instance else ""
    rows = kept(
        f"network-evolution:{graph}:{scope.territory.pk}:{instance}",
        lambda: store.evolution(graph, scope.territory, scope.instance),
    )
    if len(rows) < 2:
        return None
    return charts.line_chart(
        [(str(row["year"]), row["density"]) for row in rows],
        title=_("Density of the network, year by year"),
        label_header=_("Year"),
        value_header=_("Density"),
        highlight=[str(scope.year)],
        decimals=2,
    ), rows


@login_required
@require_safe
def network_page(request: HttpRequest) -> HttpResponse:
    form, scope, graph = _read(request)
    context = {"form": form, "scope": scope, "graph": graph, "graph_label": GraphKind(graph).label}
    if scope is not None:
        found = store.network(graph, scope)
        context.update(_page_context(request, graph, scope, found))
    status = 200 if scope is not None else 400
    return render(request, "evaluation/network.html", context, status=status)


def _page_context(request: HttpRequest, graph: str, scope: Scope, found: dict | None) -> dict:
    territories = rules.network_territories_for(request.user)
    context = {
        "territories": territories[:200],
        "instances": instance_choices(request.user, scope.territory)[:500],
        "sectors": Organization.Sector.choices,
        "graphs": GraphKind.choices,
        "first_year": store.years(graph, scope.territory)[0],
        "computing": found is None,
        "query": request.GET.urlencode(),
    }
    if found is None:
        return context
    sector = request.GET.get("sector", "")
    by_org = {node["organization"]: node for node in found["nodes"]}
    listed = sorted(found["nodes"], key=lambda node: (-node["weighted_degree"], node["name"]))
    if sector:
        listed = [node for node in listed if node["sector"] == sector]
    evolution = _evolution_chart(graph, scope)
    edges = found["edges"]
    if len(edges) > MAP_EDGES:
        edges = sorted(edges, key=lambda edge: -edge["weight"])[:MAP_EDGES]
    context.update(
        network=found,
        map_network={**found, "edges": edges},
        map_trimmed=len(edges) < len(found["edges"]),
        metrics=found["metrics"],
        core=[by_org[org] for org in found["metrics"]["dynamic_core"] if org in by_org],
        listed=listed[:LIST_SHOWN],
        listed_total=len(listed),
        sector=sector,
        sector_labels=dict(Organization.Sector.choices),
        chart=evolution[0] if evolution else None,
        evolution=evolution[1] if evolution else [],
    )
    return context


@login_required
@require_safe
def network_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The network as GraphML (Gephi, Kumu, yEd…) or as two CSV tables in one file (nodes, then ties)."""
    form, scope, graph = _read(request)
    if scope is None:
        return render(request, "evaluation/network.html", {"form": form, "scope": None, "graph": graph}, status=400)
    found = store.network(graph, scope)
    if found is None:
        return HttpResponse(_("This network is being computed; ask again in a minute."), status=202)
    name = f"network-{scope.territory.pk}-{scope.year}-{graph}"
    audit.record(request.user, AuditEvent.Action.EXPORT, changes={"network": name}, request=request)
    if fmt == "graphml":
        response = HttpResponse(graphml(found), content_type="application/graphml+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.graphml"'
        return response
    response = HttpResponse(network_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


NODE_KEYS = [
    ("organization", "int"), ("name", "string"), ("sector", "string"), ("degree", "int"),
    ("weighted_degree", "double"), ("betweenness", "double"), ("closeness", "double"), ("coreness", "int"),
    ("community", "int"), ("broker", "boolean"), ("isolate", "boolean"),
]  # fmt: skip


def graphml(found: dict) -> str:
    """GraphML with every node metric as an attribute and the tie strength as the edge weight."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    lines += [f'<key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>' for key, kind in NODE_KEYS]
    lines.append('<key id="weight" for="edge" attr.name="weight" attr.type="double"/>')
    lines.append('<graph id="network" edgedefault="undirected">')
    for node in found["nodes"]:
        data = "".join(
            f'<data key="{key}">{xml_escape(_graphml_value(node.get(key)))}</data>' for key, _kind in NODE_KEYS
        )
        lines.append(f'<node id="n{node["id"]}">{data}</node>')
    for index, edge in enumerate(found["edges"]):
        lines.append(
            f'<edge id="e{index}" source="n{edge["source"]}" target="n{edge["target"]}">'
            f'<data key="weight">{edge["weight"]}</data></edge>'
        )
    lines += ["</graph>", "</graphml>", ""]
    return "\n".join(lines)


def _graphml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def network_csv(found: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([key for key, _kind in NODE_KEYS])
    for node in found["nodes"]:
        writer.writerow([spreadsheet_safe(node.get(key, "")) for key, _kind in NODE_KEYS])
    writer.writerow([])
    writer.writerow(["source_organization", "target_organization", "weight", "days"])
    organizations = [node["organization"] for node in found["nodes"]]
    for edge in found["edges"]:
        source, target = organizations[edge["source"]], organizations[edge["target"]]
        writer.writerow([source, target, edge["weight"], edge.get("days", "")])
    return out.getvalue()
