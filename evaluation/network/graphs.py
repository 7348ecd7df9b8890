"""The three graphs of organisations, read from the database for a territory and a year.

Each reads a few columns as plain rows and turns groups (an instance's members, an agreement's parties) into ties
with numpy, one group at a time: never a Python loop over pairs."""

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Q

from agreements.models import Party
from agreements.models.agreements import Status
from agreements.rules import agreements_for
from concertation.models import Instance, Membership
from evaluation.models import Campaign, GraphKind, Relation, Response
from evaluation.network.metrics import Network
from evaluation.rules import campaigns_for
from registry.models import Organization, Territory

# An agreement counts in the years it was signed and ran: drafts and negotiations tie nobody yet.
SIGNED = [Status.SIGNED, Status.IN_FORCE, Status.EXPIRED, Status.TERMINATED]


@dataclass(frozen=True)
class Scope:
    territory: Territory
    year: int
    instance: Instance | None = None  # only the organisations that sat on it that year
    # Whose reading rights bound the agreements and the survey answers read (an analyst reads only the published
    # agreements and the released surveys); None for the background computation, which only administrators read.
    viewer: Any = None

    @property
    def viewer_key(self) -> str:
        return str(self.viewer.pk) if self.viewer is not None else "all"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


def in_territory(territory: Territory, prefix: str = "") -> Q:
    """Rows whose RLS is the territory or lies under it (`prefix` leads to the RLS field)."""
    if territory.kind == Territory.Kind.RLS:
        return Q(**{f"{prefix}rls": territory})
    return Q(**{f"{prefix}rls__path__startswith": territory.path})


def build(graph: str, scope: Scope) -> Network:
    builders = {
        GraphKind.CO_MEMBERSHIP: co_membership,
        GraphKind.AGREEMENTS: agreements,
        GraphKind.RELATIONS: relations,
    }
    return builders[graph](scope)


def active_memberships(scope: Scope):
    """The organisations' seats of the year: the networks are of organisations, so a citizen seat (a person who
    sits as themself, no organisation) is not a node."""
    return Membership.objects.filter(
        in_territory(scope.territory, "instance__"),
        Q(end_date__isnull=True) | Q(end_date__gte=scope.first_day),
        organization__isnull=False,
        start_date__lte=scope.last_day,
    )


def co_membership(scope: Scope) -> Network:
    """Tied when both sat on the same instance during the year; strength = instances shared, and the days they
    sat together as a second weight."""
    first, last = scope.first_day.toordinal(), scope.last_day.toordinal()
    rows = np.array(
        [
            (instance, org, max(start.toordinal(), first), min(end.toordinal(), last) if end else last)
            for instance, org, start, end in active_memberships(scope).values_list(
                "instance_id", "organization_id", "start_date", "end_date"
            )
        ],
        dtype=np.int64,
    ).reshape(-1, 4)
    rows = _one_span_per_member(rows)
    keep = _members_of(scope.instance, rows) if scope.instance else None
    if keep is not None:
        rows = rows[np.isin(rows[:, 1], keep)]
    pairs, overlaps = [], []
    for group in _groups(rows[:, 0]):
        members = rows[group]
        i, j = np.triu_indices(len(members), 1)
        pairs.append(np.column_stack([members[i, 1], members[j, 1]]))
        together = np.minimum(members[i, 3], members[j, 3]) - np.maximum(members[i, 2], members[j, 2]) + 1
        overlaps.append(np.maximum(together, 0))
    network = _network(np.unique(rows[:, 1]), *_ties(pairs, overlaps))
    return network


def _one_span_per_member(rows: np.ndarray) -> np.ndarray:
    """An organisation that left and came back (or holds two seats) counts once per instance, from its first day
    to its last of the year: shared instances are counted, not seats."""
    if not len(rows):
        return rows
    keys, inverse = np.unique(rows[:, :2], axis=0, return_inverse=True)
    inverse = inverse.ravel()
    starts = np.full(len(keys), np.iinfo(np.int64).max)
    ends = np.full(len(keys), np.iinfo(np.int64).min)
    np.minimum.at(starts, inverse, rows[:, 2])
    np.maximum.at(ends, inverse, rows[:, 3])
    return np.column_stack([keys, starts, ends])


def _members_of(instance: Instance, rows: np.ndarray) -> np.ndarray:
    return np.unique(rows[rows[:, 0] == instance.pk, 1])


def _groups(group_ids: np.ndarray) -> list[np.ndarray]:
    """Row indices per group, for groups of two or more (rows sorted by group first)."""
    order = np.argsort(group_ids, kind="stable")
    bounds = np.flatnonzero(np.diff(group_ids[order])) + 1
    return [g for g in np.split(order, bounds) if len(g) > 1]


def _ties(pairs: list[np.ndarray], days: list[np.ndarray] | None = None):
    """Pairs of organisation ids (one row per group they share) summed into ties: (a, b, groups shared, days)."""
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 2), dtype=np.int64), empty.astype(float), (empty if days is not None else None)
    both = np.sort(np.concatenate(pairs), axis=1)  # (smaller id, larger id): a tie is undirected
    ties, inverse = np.unique(both, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    strength = np.bincount(inverse, minlength=len(ties)).astype(float)
    shared_days = (
        np.bincount(inverse, weights=np.concatenate(days), minlength=len(ties)).astype(np.int64) if days else None
    )
    return ties, strength, shared_days


def _network(org_ids: np.ndarray, ties: np.ndarray, strength: np.ndarray, days: np.ndarray | None) -> Network:
    """Nodes in name order; ties as node indices."""
    found = {
        pk: (name, sector)
        for pk, name, sector in Organization.objects.filter(pk__in=org_ids.tolist()).values_list("pk", "name", "sector")
    }
    organizations = sorted(found, key=lambda pk: (found[pk][0].casefold(), pk))
    position = np.full(int(org_ids.max()) + 1 if len(org_ids) else 1, -1, dtype=np.int64)
    position[organizations] = np.arange(len(organizations))
    sources = position[ties[:, 0]] if len(ties) else np.zeros(0, dtype=np.int64)
    targets = position[ties[:, 1]] if len(ties) else np.zeros(0, dtype=np.int64)
    return Network(
        organizations=organizations,
        names=[found[pk][0] for pk in organizations],
        sectors=[found[pk][1] for pk in organizations],
        sources=sources,
        targets=targets,
        weights=strength,
        days=days,
    )


def agreements(scope: Scope) -> Network:
    """Tied when parties to the same agreement that ran during the year; strength = agreements shared."""
    parties = Party.objects.filter(
        in_territory(scope.territory, "agreement__"),
        Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=scope.first_day),
        agreement__status__in=SIGNED,
        agreement__start_date__lte=scope.last_day,
    )
    if scope.viewer is not None:
        parties = parties.filter(agreement__in=agreements_for(scope.viewer).values("pk"))
    rows = np.array(list(parties.values_list("agreement_id", "organization_id").distinct()), dtype=np.int64)
    rows = rows.reshape(-1, 2)
    if scope.instance:
        rows = rows[np.isin(rows[:, 1], _instance_members(scope))]
    pairs = []
    for group in _groups(rows[:, 0]):
        members = rows[group, 1]
        i, j = np.triu_indices(len(members), 1)
        pairs.append(np.column_stack([members[i], members[j]]))
    ties, strength, _days = _ties(pairs)
    return _network(np.unique(rows[:, 1]), ties, strength, None)


def _instance_members(scope: Scope) -> np.ndarray:
    rows = active_memberships(scope).filter(instance=scope.instance).values_list("organization_id", flat=True)
    return np.unique(np.array(list(rows), dtype=np.int64))


def relation_campaigns(scope: Scope):
    """The relations surveys of the territory that opened that year, whose results the viewer may read (released,
    for an analyst)."""
    campaigns = Campaign.objects.filter(
        in_territory(scope.territory), opens_on__year=scope.year, instrument__sections__items__scale="relations"
    )
    if scope.viewer is not None:
        campaigns = campaigns_for(scope.viewer, campaigns)
    return campaigns.distinct()


def relation_responses(scope: Scope):
    """The relations survey's answers for the territory and the year."""
    return Response.objects.filter(
        campaign__in=relation_campaigns(scope).values("pk"), organization__isnull=False, relations__isnull=False
    ).distinct()


def relations(scope: Scope) -> Network:
    """Tied where at least one side names the other; strength = the mean frequency the sides gave (1 to 5)."""
    rows = np.array(
        list(
            Relation.objects.filter(response__in=relation_responses(scope)).values_list(
                "response__organization_id", "organization_id", "frequency"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    rows = rows[rows[:, 0] != rows[:, 1]]
    if scope.instance:
        members = _instance_members(scope)
        rows = rows[np.isin(rows[:, 0], members) & np.isin(rows[:, 1], members)]
    both = np.sort(rows[:, :2], axis=1)
    ties, inverse = np.unique(both, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    counts = np.bincount(inverse, minlength=len(ties))
    strength = np.bincount(inverse, weights=rows[:, 2], minlength=len(ties)) / np.maximum(counts, 1)
    return _network(np.unique(rows[:, :2]), ties.reshape(-1, 2), strength, None)
