"""The map of concertations (docs/network.md): which instances of a territory recruit the same organisations, how
many tables each organisation sits on, and where two instances could merge or coordinate. Same filters and scope
as the network page; its API twin is GET /api/v1/network/instances/."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from concertation.models import Instance
from evaluation import rules
from evaluation.network.instance_drawing import instance_svg
from evaluation.network.instances import instance_map
from evaluation.views.network import _read, refusal_status


@login_required
@require_safe
def instances_page(request: HttpRequest) -> HttpResponse:
    form, scope, _graph = _read(request)  # 403 without a network to read, 404 for a territory the user may not read
    context = {"form": form, "scope": scope, "territories": rules.network_territories_for(request.user)[:200]}
    if scope is None:
        return render(request, "evaluation/network_instances.html", context, status=refusal_status(form))
    found = instance_map(request.user, scope)
    names = {node["id"]: node["name"] for node in found["nodes"]}
    kinds = dict(Instance.Kind.choices)
    context.update(
        nodes=[node | {"kind_label": kinds.get(node["kind"], node["kind"])} for node in found["nodes"]],
        ties=[
            edge | {"source_name": names[edge["source"]], "target_name": names[edge["target"]]}
            for edge in found["edges"]
        ],
        organizations=found["organizations"],
        suggestions=found["suggestions"],
        drawing=instance_svg(found["nodes"], found["edges"]),
    )
    return render(request, "evaluation/network_instances.html", context)
