"""The map of concertations (docs/network.md): the instances of a territory tied by the organisations they share in
a year, how many of those instances each organisation sits on (the sedimentation), and where two instances recruit
so much the same organisations that they could merge or coordinate.

Two queries whatever the size (the instances the user may read, then their members that year); the ties come from
one product of the instance × organisation incidence matrix, so there is no loop over pairs of instances."""

import numpy as np
from django.utils.translation import gettext as _

from concertation.models import Instance
from concertation.rules import instances_for
from evaluation.network.graphs import Scope, active_memberships, in_territory

# An assembly or a coordination committee gathers the other instances' members by design: a pair where either is
# one is drawn and listed like any other, but suggests nothing (every table would otherwise "coordinate" with it).
STRUCTURAL = frozenset({Instance.Kind.ASSEMBLY, Instance.Kind.COORDINATION_COMMITTEE})
# "Most of their members": two thirds, compared in integers (3·shared ≥ 2·members) so that 2 of 3 counts.
MOST_NUMERATOR, MOST_DENOMINATOR = 2, 3


def instance_map(user, scope: Scope) -> dict:
    """`{"nodes", "edges", "organizations", "suggestions"}` as api.network.InstanceMapSerializer describes them."""
    readable = instances_for(user).filter(in_territory(scope.territory))
    found = {
        pk: (name, kind, theme)
        for pk, name, kind, theme in readable.values_list("pk", "name", "kind", "theme").order_by()
    }
    rows = list(
        active_memberships(scope)
        .filter(instance__in=readable.values("pk"))
        .order_by()
        .values_list("instance_id", "organization_id", "organization__name")
        .distinct()
    )
    rows = [row for row in rows if row[0] in found]  # an instance made unreadable between the two queries
    if not rows:
        return {"nodes": [], "edges": [], "organizations": [], "suggestions": []}

    # Instances in name order (a tie's source comes before its target in that order), organisations by id.
    instance_ids = sorted({row[0] for row in rows}, key=lambda pk: (found[pk][0].casefold(), pk))
    organization_ids, org_index = np.unique(np.array([row[1] for row in rows], dtype=np.int64), return_inverse=True)
    position = {pk: index for index, pk in enumerate(instance_ids)}
    incidence = np.zeros((len(instance_ids), len(organization_ids)), dtype=np.float32)
    incidence[[position[row[0]] for row in rows], org_index.ravel()] = 1.0  # a second seat counts once
    # float32 so the product goes through BLAS; counts stay exact far beyond any territory's size (2^24).
    shared = np.rint(incidence @ incidence.T).astype(np.int64)
    members = np.diagonal(shared).copy()

    nodes = [
        {"id": pk, "name": found[pk][0], "kind": found[pk][1], "members": int(members[index])}
        for index, pk in enumerate(instance_ids)
    ]
    edges, suggestions = _ties(instance_ids, found, shared, members)
    return {
        "nodes": nodes,
        "edges": edges,
        "organizations": _sedimentation(rows, organization_ids, incidence),
        "suggestions": suggestions,
    }


def _ties(instance_ids: list[int], found: dict, shared: np.ndarray, members: np.ndarray) -> tuple[list, list]:
    source, target = np.nonzero(np.triu(shared, 1))
    count = shared[source, target]
    order = np.lexsort((target, source, -count))  # most shared first, then in name order
    source, target, count = source[order], target[order], count[order]
    of_source, of_target = count / members[source], count / members[target]

    # Never a suggestion when either side is structural. Otherwise both sides hold most of their members on the
    # other → merge, when they share a theme; else the smaller holds most of its members on the other → coordinate.
    most = MOST_DENOMINATOR * count
    mutual = (most >= MOST_NUMERATOR * members[source]) & (most >= MOST_NUMERATOR * members[target])
    nested = most >= MOST_NUMERATOR * np.minimum(members[source], members[target])
    themes = np.array([found[pk][2].strip().casefold() for pk in instance_ids], dtype=object)
    structural = np.array([found[pk][1] in STRUCTURAL for pk in instance_ids], dtype=bool)
    same_theme = (themes[source] == themes[target]) & (themes[source] != "")
    ordinary = ~structural[source] & ~structural[target]
    merge = mutual & same_theme & ordinary
    coordinate = nested & ordinary & ~merge

    edges = []
    merges, coordinations = [], []
    for k in range(len(count)):  # the ties that exist, to output rows
        a, b = instance_ids[source[k]], instance_ids[target[k]]
        edges.append(
            {
                "source": a,
                "target": b,
                "shared": int(count[k]),
                "share_of_source": round(float(of_source[k]), 3),
                "share_of_target": round(float(of_target[k]), 3),
            }
        )
        if merge[k]:
            merges.append(_merge(found[a], found[b], int(count[k]), of_source[k], of_target[k]) | {"instances": [a, b]})
        elif coordinate[k]:
            row = _coordinate(found[a], found[b], int(count[k]), of_source[k], of_target[k])
            coordinations.append(row | {"instances": [a, b]})
    return edges, merges + coordinations


def _percent(share: float) -> int:
    return round(float(share) * 100)


# A reason gives the pair's figures only; the rule and what a merge or a coordination would spare the organisations
# are said once, above the list, by the page.
def _merge(a: tuple, b: tuple, shared: int, of_a: float, of_b: float) -> dict:
    reason = _(
        "“%(a)s” and “%(b)s” share %(shared)s organisations: %(of_a)s%% of the members of “%(a)s” sit on “%(b)s” "
        "and %(of_b)s%% of those of “%(b)s” sit on “%(a)s”, and both have the theme “%(theme)s”."
    ) % {"a": a[0], "b": b[0], "shared": shared, "of_a": _percent(of_a), "of_b": _percent(of_b), "theme": a[2].strip()}
    return {"kind": "merge", "reason": reason}


def _coordinate(a: tuple, b: tuple, shared: int, of_a: float, of_b: float) -> dict:
    (small, of_small), (big, of_big) = sorted([(a, of_a), (b, of_b)], key=lambda side: -side[1])
    reason = _(
        "%(of_small)s%% of the members of “%(small)s” also sit on “%(big)s” (%(shared)s organisations; "
        "%(of_big)s%% of the members of “%(big)s”)."
    ) % {"small": small[0], "big": big[0], "shared": shared, "of_small": _percent(of_small), "of_big": _percent(of_big)}
    return {"kind": "coordinate", "reason": reason}


def _sedimentation(rows: list, organization_ids: np.ndarray, incidence: np.ndarray) -> list[dict]:
    """The organisations that sit on two instances or more, the most seated first, then by name."""
    seats = incidence.sum(axis=0).astype(np.int64)
    names = {org: name for _instance, org, name in rows}
    several = [(int(org), int(n)) for org, n in zip(organization_ids, seats, strict=True) if n >= 2]
    several.sort(key=lambda item: (-item[1], names[item[0]].casefold(), item[0]))
    return [{"organization": org, "name": names[org], "instances": n} for org, n in several]
