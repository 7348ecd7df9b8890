"""Where a network comes from: computed on request for an RLS or an instance (a few hundred organisations, well
under a second), and for a health region or the province (thousands) computed by a background task and served
from its stored result, recomputed when its data changes (debounced: a burst of changes queues one computation)."""

import datetime
import json
import time
from dataclasses import replace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Avg, Count, Max, Min
from django.utils import timezone

from agreements.models import Agreement, Party
from concertation.models import Membership
from core.models import AuditEvent
from evaluation.cache import kept
from evaluation.models import Campaign, GraphKind, Invitation, Relation, Response, StoredNetwork
from evaluation.models.network import MIN_RATERS
from evaluation.network import graphs
from evaluation.network.graphs import Scope
from evaluation.network.metrics import PARAMETERS, compute, library
from registry.models import Territory

BACKGROUND_KINDS = {Territory.Kind.PROVINCE, Territory.Kind.HEALTH_REGION}
DEBOUNCE = datetime.timedelta(minutes=2)
STUCK_AFTER = datetime.timedelta(minutes=30)  # a queued computation that never ran is queued again
SOURCES = {
    GraphKind.CO_MEMBERSHIP: (Membership,),
    GraphKind.AGREEMENTS: (Agreement, Party),
    GraphKind.RELATIONS: (Response, Relation),
}


def computed_in_background(scope: Scope) -> bool:
    return scope.territory.kind in BACKGROUND_KINDS and scope.instance is None


def network(graph: str, scope: Scope) -> dict | None:
    """The network with its metrics and how it was computed; None while a first background computation runs."""
    if computed_in_background(scope):
        return stored(graph, scope)
    return kept(f"network:{graph}:{key(graph, scope)}:{scope.year}", lambda: computed(graph, scope))


def key(graph: str, scope: Scope) -> str:
    """The territory, the instance and, where reading rights bound what is read, the viewer (not the year)."""
    viewer = scope.viewer_key if graph != GraphKind.CO_MEMBERSHIP else "any"
    return f"{scope.territory.pk}:{scope.instance.pk if scope.instance else ''}:{viewer}"


def computed(graph: str, scope: Scope) -> dict:
    started = time.perf_counter()
    result = compute(graphs.build(graph, scope))
    result["computed"] = {
        "library": library(),
        "parameters": PARAMETERS,
        "seconds": round(time.perf_counter() - started, 3),
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    result["survey"] = survey_coverage(scope) if graph == GraphKind.RELATIONS else None
    if graph == GraphKind.RELATIONS:
        _add_ratings(result, scope)
    return result


def _add_ratings(result: dict, scope: Scope) -> None:
    """Each named organisation's mean usefulness and trust, only when MIN_RATERS respondents or more rated it."""
    rows = (
        Relation.objects.filter(response__in=graphs.relation_responses(scope))
        .values("organization")
        .annotate(raters=Count("response__organization", distinct=True), usefulness=Avg("usefulness"),
                  trust=Avg("trust"))
    )  # fmt: skip
    rated = {
        row["organization"]: {"raters": row["raters"], "usefulness": round(row["usefulness"], 2),
                              "trust": round(row["trust"], 2)}
        for row in rows
        if row["raters"] >= MIN_RATERS
    }  # fmt: skip
    for node in result["nodes"]:
        node["ratings"] = rated.get(node["organization"])


def evolution(graph: str, scope: Scope) -> list[dict]:
    """The network's own metrics year by year (no path metrics: they are the costly ones)."""
    first, last = years(graph, scope.territory)
    rows = []
    for year in range(first, last + 1):
        metrics = compute(graphs.build(graph, replace(scope, year=year)), paths=False)["metrics"]
        rows.append({"year": year, **{k: v for k, v in metrics.items() if k != "dynamic_core"}})
    return rows


def years(graph: str, territory: Territory) -> tuple[int, int]:
    """The first and last year the graph has data for in the territory (this year when there is none)."""
    this_year = timezone.localdate().year
    if graph == GraphKind.CO_MEMBERSHIP:
        memberships = Membership.objects.filter(graphs.in_territory(territory, "instance__"))
        found = memberships.aggregate(first=Min("start_date"))
    elif graph == GraphKind.AGREEMENTS:
        found = Agreement.objects.filter(graphs.in_territory(territory), status__in=graphs.SIGNED).aggregate(
            first=Min("start_date")
        )
    else:
        found = Campaign.objects.filter(graphs.in_territory(territory), responses__relations__isnull=False).aggregate(
            first=Min("opens_on"), last=Max("opens_on")
        )
        if found["first"] is None:
            return this_year, this_year
        return found["first"].year, found["last"].year
    return (found["first"].year if found["first"] else this_year), this_year


def survey_coverage(scope: Scope) -> dict:
    """How many organisations the relations survey asked and how many answered: betweenness and centralisation
    depend on the missing answers, so the pages and the API show it beside them."""
    asked = Invitation.objects.filter(
        campaign__in=graphs.relation_campaigns(scope).values("pk"), organization__isnull=False
    )
    answered = graphs.relation_responses(scope).values("organization").distinct().count()
    invited = asked.values("organization").distinct().count()
    return {"invited": invited, "answered": answered, "rate": round(answered / invited, 3) if invited else None}


# Stored networks (a health region, the province) ---------------------------------------------------------------


def source_stamp(graph: str) -> str:
    """Changes when the graph's data may have changed: the last row written and the last audited change of the
    models it reads (every platform write is audited; survey answers are counted by their own ids)."""
    models = SOURCES[graph]
    parts = [str(model.objects.aggregate(last=Max("pk"))["last"]) for model in models]
    types = ContentType.objects.get_for_models(*models).values()
    parts.append(str(AuditEvent.objects.filter(content_type__in=types).aggregate(last=Max("pk"))["last"]))
    return "-".join(parts)


def stored(graph: str, scope: Scope) -> dict | None:
    text = stored_text(graph, scope)
    return None if text is None else json.loads(text)


def stored_text(graph: str, scope: Scope) -> str | None:
    """The stored network as the JSON text it is kept in (the API sends it as it is: the province's is megabytes,
    and decoding it only to encode it again would double the time to serve it); None until first computed. A
    stored network older than its data is served while its recomputation is queued."""
    row = (
        StoredNetwork.objects.filter(territory=scope.territory, year=scope.year, graph=graph)
        .values("stamp", "computed_at", "data")
        .first()
    )
    if row is None or row["stamp"] != source_stamp(graph):
        request(graph, scope.territory, scope.year)
    if row is None or row["computed_at"] is None:
        return None
    return row["data"]


def request(graph: str, territory: Territory, year: int) -> None:
    """Queue a computation, unless one is queued already. A first one runs at once; a recomputation waits
    DEBOUNCE, so that the changes made meanwhile are taken in the same run."""
    from evaluation.tasks import compute_network  # the tasks module imports this one

    now = timezone.now()
    with transaction.atomic():
        row, created = StoredNetwork.objects.select_for_update().get_or_create(
            territory=territory, year=year, graph=graph
        )
        if row.requested_at is not None and now - row.requested_at < STUCK_AFTER:
            return
        row.requested_at = now
        row.save(update_fields=["requested_at"])
        job = compute_network
        if row.computed_at is not None and job.get_backend().supports_defer:
            job = job.using(run_after=now + DEBOUNCE)
        transaction.on_commit(lambda: job.enqueue(territory.pk, year, graph))


def refresh(territory_id: int, year: int, graph: str) -> float:
    """Compute and store one network (the background task); returns the seconds it took."""
    territory = Territory.objects.get(pk=territory_id)
    stamp = source_stamp(graph)  # read first: a change made during the computation queues another
    result = computed(graph, Scope(territory, year))
    StoredNetwork.objects.update_or_create(
        territory=territory,
        year=year,
        graph=graph,
        defaults={
            "stamp": stamp,
            "computed_at": timezone.now(),
            "requested_at": None,
            "seconds": result["computed"]["seconds"],
            "library": result["computed"]["library"],
            "parameters": result["computed"]["parameters"],
            "data": json.dumps(result, separators=(",", ":"), ensure_ascii=False),
        },
    )
    return result["computed"]["seconds"]


def data_changed(graph: str, rls: Territory | None) -> None:
    """A membership, party or answer changed in an RLS: the stored networks above it are recomputed (debounced)."""
    if rls is None:
        return
    above = [int(pk) for pk in rls.path.strip("/").split("/") if pk]
    for row in StoredNetwork.objects.filter(graph=graph, territory_id__in=above, computed_at__isnull=False):
        request(graph, row.territory, row.year)
