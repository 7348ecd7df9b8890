"""The network of organisations of a territory (docs/network.md): its map, its metrics in plain words with their
evolution, the list of organisations the map draws (what a keyboard and a screen reader use), and the exports."""

import csv
import io
from xml.sax.saxutils import escape as xml_escape

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import audit, charts
from core.models import AuditEvent
from evaluation import rules
from evaluation.actions.network import check_reads_networks, default_territory, instance_choices, network_scope
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
    check_reads_networks(request.user)  # before any filter is read, as the API does
    form = NetworkForm(request.GET)
    if not form.is_valid():
        return form, None, GraphKind.CO_MEMBERSHIP
    data = form.cleaned_data
    try:
        scope = network_scope(
            request.user, territory=data["territory"], year=data["year"], graph=data["graph"],
            instance=data["instance"],
        )  # fmt: skip
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return form, None, data["graph"]
    except Http404:
        # The API's 404 (an unknown territory and a hidden one alike), said on the form so that it can be corrected.
        form.add_error("territory", ValidationError(_("Choose one of the territories offered."), code="not_found"))
        return form, None, data["graph"]
    return form, scope, data["graph"]


def refusal_status(form: NetworkForm) -> int:
    return 404 if form.has_error("territory", code="not_found") else 400


def _filters(request: HttpRequest, form: NetworkForm, scope: Scope | None, graph: str) -> dict:
    """The filter menus, filled and showing what was asked even when it was refused (the user corrects it)."""
    territories = rules.network_territories_for(request.user)
    chosen = scope.territory if scope else None
    if chosen is None:
        asked = form.data.get("territory", "")
        chosen = territories.filter(pk=int(asked)).first() if asked.isascii() and asked.isdigit() else None
        chosen = chosen or default_territory(request.user)
    return {
        "territories": territories[:200],
        "instances": instance_choices(request.user, chosen)[:500] if chosen else [],
        "sectors": Organization.Sector.choices,
        "graphs": GraphKind.choices,
        "selected": {
            "territory": chosen.pk if chosen else None,
            "year": scope.year if scope else form.data.get("year", ""),
            "graph": graph,
            "instance": str(scope.instance.pk) if scope and scope.instance else form.data.get("instance", ""),
            "sector": form.data.get("sector", ""),
        },
    }


def _evolution_chart(graph: str, scope: Scope) -> tuple[charts.Chart, list[dict]] | None:
    rows = kept(f"network-evolution:{graph}:{store.key(graph, scope)}", lambda: store.evolution(graph, scope))
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
    context = {"form": form, "scope": scope, "graph": graph, **_filters(request, form, scope, graph)}
    status = refusal_status(form)
    if scope is not None:
        found = store.network(graph, scope)
        context.update(_page_context(request, scope, found))
        status = 202 if found is None else 200  # as the API answers while a region is computed
    return render(request, "evaluation/network.html", context, status=status)


def _page_context(request: HttpRequest, scope: Scope, found: dict | None) -> dict:
    context = {"computing": found is None, "query": request.GET.urlencode()}
    if found is None:
        return context
    graph = context["graph"] = request.GET.get("graph") or GraphKind.CO_MEMBERSHIP
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
        cross_sector_percent=round(found["metrics"]["cross_sector_share"] * 100),
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
    """The network as GraphML (Gephi, Kumu, yEd…) or as CSV (`?table=ties` for the ties, the organisations
    otherwise)."""
    form, scope, graph = _read(request)
    if scope is None:
        context = {"form": form, "scope": None, "graph": graph, **_filters(request, form, scope, graph)}
        return render(request, "evaluation/network.html", context, status=refusal_status(form))
    found = store.network(graph, scope)
    if found is None:
        return HttpResponse(_("This network is being computed; ask again in a minute."), status=202)
    name = f"network-{scope.territory.pk}-{scope.year}-{graph}"
    audit.record(request.user, AuditEvent.Action.EXPORT, changes={"network": name}, request=request)
    if fmt == "graphml":
        response = HttpResponse(graphml(found), content_type="application/graphml+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.graphml"'
        return response
    table = "ties" if request.GET.get("table") == "ties" else "organizations"
    response = HttpResponse(network_csv(found, table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{table}.csv"'
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


def network_csv(found: dict, table: str = "organizations") -> str:
    """One table per file, as spreadsheets expect: the organisations with their metrics, or the ties (by
    organisation id). With a byte order mark, so that Excel reads the accents (as the registry's exports)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    if table == "ties":
        organizations = [node["organization"] for node in found["nodes"]]
        writer.writerow(["source_organization", "target_organization", "weight", "days"])
        for edge in found["edges"]:
            source, target = organizations[edge["source"]], organizations[edge["target"]]
            writer.writerow([source, target, edge["weight"], edge.get("days", "")])
        return out.getvalue()
    writer.writerow([key for key, _kind in NODE_KEYS])
    for node in found["nodes"]:
        writer.writerow([spreadsheet_safe(node.get(key, "")) for key, _kind in NODE_KEYS])
    return out.getvalue()
