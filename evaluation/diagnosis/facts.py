"""Everything a diagnosis reads, in a fixed number of queries whatever the size of the data.

Rows are aggregated in the database (by year, mode, sector…) and filtered to the period in Python: an RLS has
about twenty instances and a few hundred organisations, so the rows are few. The scope is one instance or every
instance of an RLS; the same queries serve both.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from agreements.models import Agreement
from concertation.analytics import concertation_load, turnover_by_year
from concertation.models import (
    Action,
    AgendaItem,
    Ballot,
    BallotChoice,
    Candidate,
    ContextEvent,
    Decision,
    Instance,
    Meeting,
    Membership,
    VotingRound,
)
from concertation.models.plans import WorkStatus
from evaluation.diagnosis.surveys import survey_rows
from registry.models import FundingLine, Organization, Territory


class Seat(NamedTuple):
    instance_id: int
    organization_id: int
    name: str
    sector: str
    role: str
    person_id: int | None
    decision_level: str | None
    start: datetime.date
    end: datetime.date | None
    exit_reason: str


class CandidateRow(NamedTuple):
    origin: str
    year: int
    voters: int
    adherents: int
    threshold: int
    sealed: bool


@dataclass(frozen=True)
class Scope:
    rls: Territory
    instance: Instance | None = None

    def q(self, prefix: str = "") -> Q:
        """Rows of the scope's instances, through `prefix` (e.g. "meeting__")."""
        if self.instance is not None:
            return Q(**{f"{prefix}instance_id": self.instance.pk})
        return Q(**{f"{prefix}instance__rls_id": self.rls.pk})

    def instances(self):
        if self.instance is not None:
            return Instance.objects.filter(pk=self.instance.pk)
        return Instance.objects.filter(rls_id=self.rls.pk)


@dataclass
class Facts:
    scope: Scope
    today: datetime.date
    instances: list[dict[str, Any]] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    turnover: list[dict[str, Any]] | None = None  # concertation.analytics.turnover_by_year, for one instance
    meetings: dict[int, int] = field(default_factory=dict)  # year → meetings held
    decisions: list[tuple[int, str, int, int]] = field(default_factory=list)  # (year, mode, n, with dissent)
    agenda: list[tuple[int, str | None, int]] | None = None  # (year, proposer's sector, n); None: not recorded
    candidates: list[CandidateRow] = field(default_factory=list)
    actions: list[tuple[int, int, str | None, int]] = field(default_factory=list)  # (first, last year, sector, n)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    funding: list[tuple[int, int, str, float]] = field(default_factory=list)  # (organisation, year, source, total)
    load: dict[str, Any] | None = None
    surveys: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


PUBLIC_SECTORS = frozenset({Organization.Sector.PUBLIC, Organization.Sector.GOVERNMENT})
SEAT_ROLES = frozenset({Membership.Role.MEMBER, Membership.Role.CHAIR, Membership.Role.DELEGATE})


def agenda_proposer_field() -> str | None:
    """AgendaItem does not say who proposed an item yet; read it as soon as the model does."""
    names = {f.name for f in AgendaItem._meta.get_fields()}
    return next((name for name in ("proposed_by", "proposer") if name in names), None)


def gather_before_period(scope: Scope) -> Facts:
    """What fixes the period: the instances, the seats and the meetings (three queries; four for an instance)."""
    facts = Facts(scope=scope, today=timezone.localdate())
    facts.instances = list(
        scope.instances().values(
            "pk", "name", "kind", "level", "basis", "bourque_object", "bourque_override", "bourque_override_reason",
            "opened_on", "closed_on", support=F("support_organization__sector"),
            secretariat=F("secretariat_organization__sector"),
        )
    )  # fmt: skip
    # The organisations' seats: the indicators read organisations and their sectors; citizen seats (no
    # organisation) are counted apart by concertation.analytics.
    facts.seats = [
        Seat(*row)
        for row in Membership.objects.filter(scope.q(), organization__isnull=False)
        .order_by()
        .values_list(
            "instance_id", "organization_id", "organization__name", "organization__sector", "role", "person_id",
            "person__decision_level", "start_date", "end_date", "exit_reason",
        )
    ]  # fmt: skip
    if scope.instance is not None:
        facts.turnover = turnover_by_year(scope.instance)
    # Meetings held: not cancelled, and already started (a planned meeting of next month is not yet activity).
    held = Meeting.objects.filter(scope.q(), starts_at__lte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)
    facts.meetings = dict(
        held.annotate(year=ExtractYear("starts_at")).order_by().values_list("year").annotate(n=Count("pk"))
    )
    return facts


def gather_rest(facts: Facts, first: int, last: int, load_year: int, load_hours: Any, include_unreleased: bool) -> None:
    """The rest, once the period is known: about fifteen queries, six of them the RLS's load report."""
    scope = facts.scope
    facts.decisions = _decisions(scope)
    facts.agenda = _agenda(scope)
    facts.candidates = _candidates(scope)
    facts.actions = _actions(scope)
    facts.agreements = _agreements(scope)
    facts.funding = _funding(scope, last)
    facts.load = concertation_load(scope.rls, min(load_year, facts.today.year), load_hours)
    facts.surveys = survey_rows(scope, first, last, include_unreleased)
    facts.events = list(
        ContextEvent.objects.filter(scope.q() | Q(rls_id=scope.rls.pk, instance__isnull=True))
        .order_by("date", "pk")
        .values("date", "kind", "title", "instance_id")
    )


def _decisions(scope: Scope) -> list[tuple[int, str, int, int]]:
    dissent = ~Q(dissent="") | Q(votes_against__gt=0)
    return list(
        Decision.objects.filter(scope.q("meeting__"))
        .annotate(year=ExtractYear("meeting__starts_at"))
        .order_by()
        .values_list("year", "mode")
        .annotate(n=Count("pk"), dissenting=Count("pk", filter=dissent))
    )


def _agenda(scope: Scope) -> list[tuple[int, str | None, int]] | None:
    proposer = agenda_proposer_field()
    if proposer is None:
        return None
    return list(
        AgendaItem.objects.filter(scope.q("meeting__"))
        .annotate(year=ExtractYear("meeting__starts_at"))
        .order_by()
        .values_list("year", f"{proposer}__sector")
        .annotate(n=Count("pk"))
    )


def _candidates(scope: Scope) -> list[CandidateRow]:
    """Each candidate with its exercise's latest round: voters, and voters adhering to it (at least one point).
    Retention is concertation.results' rule (adherents / voters above the threshold), read in one query for
    every exercise of the scope."""
    latest = VotingRound.objects.filter(exercise_id=OuterRef("exercise_id")).order_by("-number")
    voters = Ballot.objects.filter(round_id=OuterRef("round_id")).order_by().values("round_id")
    adherents = (
        BallotChoice.objects.filter(round_id=OuterRef("round_id"), candidate_id=OuterRef("pk"), points__gte=1)
        .order_by()
        .values("candidate_id")
    )
    rows = (
        Candidate.objects.filter(scope.q("exercise__"))
        .annotate(
            round_id=Subquery(latest.values("pk")[:1]),
            opened=Subquery(latest.values("opened_at")[:1]),
            closed=Subquery(latest.values("closed_at")[:1]),
        )
        .annotate(
            voters=Coalesce(Subquery(voters.annotate(n=Count("pk")).values("n")[:1]), 0),
            adherents=Coalesce(Subquery(adherents.annotate(n=Count("ballot_key", distinct=True)).values("n")[:1]), 0),
        )
        .order_by()
        .values_list("origin", "exercise__created_at", "opened", "closed", "voters", "adherents",
                     "exercise__threshold", "exercise__secret")
    )  # fmt: skip
    zone = timezone.get_current_timezone()
    result = []
    for origin, created, opened, closed, n_voters, n_adherents, threshold, secret in rows:
        when = closed or opened or created
        sealed = bool(secret and opened is not None and closed is None)
        result.append(CandidateRow(origin, when.astimezone(zone).year, n_voters, n_adherents, threshold, sealed))
    return result


def _actions(scope: Scope) -> list[tuple[int, int, str | None, int]]:
    """Actions by their lead's sector, per plan; a plan spans its dates (its creation year when it has none)."""
    rows = (
        Action.objects.filter(scope.q("objective__plan__"))
        .exclude(status=WorkStatus.CANCELLED)
        .annotate(created=ExtractYear("objective__plan__created_at"))
        .order_by()
        .values_list("objective__plan__start_date", "objective__plan__end_date", "created", "lead__sector")
        .annotate(n=Count("pk"))
    )
    result = []
    for start, end, created, sector, n in rows:
        first = start.year if start else created
        last = end.year if end else (9999 if start else created)
        result.append((first, last, sector, n))
    return result


def _agreements(scope: Scope) -> list[dict[str, Any]]:
    """Agreements linked to the scope's instances, or naming one of them as joint committee, once formalised."""
    if scope.instance is not None:
        linked = Q(instances=scope.instance.pk) | Q(joint_committee=scope.instance.pk)
    else:
        linked = Q(instances__rls_id=scope.rls.pk) | Q(joint_committee__rls_id=scope.rls.pk)
    return list(
        Agreement.objects.filter(linked)
        .exclude(status__in=[Agreement.Status.DRAFT, Agreement.Status.NEGOTIATION])
        .order_by()
        .values("pk", "kind", "start_date", "end_date", "joint_committee_id", "created_at")
        .distinct()
    )


def _funding(scope: Scope, last: int) -> list[tuple[int, int, str, float]]:
    community = Membership.objects.filter(scope.q(), organization__sector=Organization.Sector.COMMUNITY)
    return [
        (org, year, source, float(total or 0))
        for org, year, source, total in FundingLine.objects.filter(
            organization_id__in=community.values("organization_id"), year__lte=last
        )
        .order_by()
        .values_list("organization_id", "year", "source")
        .annotate(total=Sum("amount"))
    ]


def members_by_year(seats: list[Seat], first: int, last: int, roles: frozenset | None = None) -> dict[int, set[int]]:
    """Organisations with a membership during each year (it counts for every year it overlaps), as
    concertation.analytics.turnover_by_year counts them; `roles` keeps only some roles."""
    members: dict[int, set[int]] = defaultdict(set)
    for seat in seats:
        if roles is not None and seat.role not in roles:
            continue
        for year in range(max(seat.start.year, first), min(seat.end.year if seat.end else last, last) + 1):
            members[year].add(seat.organization_id)
    return members
