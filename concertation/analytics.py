"""Participation analytics and action-plan progress (issue 3): pure read-only functions.

Nothing here writes. Pages, the API and (later) the evaluation module call these functions; each one runs
a fixed number of queries whatever the size of the data, and aggregates in the database wherever the rows
could be many (attendance: one million records at province scale).

Years are calendar years. A membership counts for a year when it overlaps it (starts on or before
31 December and has not ended before 1 January); a meeting counts for a year when it starts in it.

Citizen seats (a person sitting as themself, no organisation) are counted apart from the organisations: the
participation series gives both, attendance and turnover are per organisation, and the citizens' attendance has
its own function.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Case, Count, FloatField, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from concertation.models import Action, ActionPlan, Attendance, Indicator, Instance, Meeting, Membership
from concertation.models.plans import WorkStatus
from registry.models import Organization, Person, Territory

TOP_SHARE = Decimal("0.10")  # the "top decile" of the load report and of the concentration measure


def _pk(obj: Any) -> int:
    return getattr(obj, "pk", obj)


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset straight from the cursor. Only for integer and float columns, which
    both backends return as Python ints and floats: Django's per-value converters cost a third of the load
    report's time on the province's 80,000 rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_hours(value: float) -> Decimal:
    """Hours with two decimals, as Decimal (the sums are floats: exact enough for meeting lengths)."""
    return Decimal(round(value * 100)).scaleb(-2)


def overlaps_year(year: int, prefix: str = "") -> Q:
    """Memberships (or anything with start_date/end_date) active at some point of the year."""
    return Q(**{f"{prefix}start_date__lte": date(year, 12, 31)}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": date(year, 1, 1)})
    )


def year_range(year: int) -> tuple[datetime, datetime]:
    """Aware bounds [1 January, next 1 January) in the site's time zone, for index-friendly range filters."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone)
    return start, end


# Per instance -----------------------------------------------------------------------------------


def participation_by_year(instance: Instance | int, until: int | None = None) -> list[dict[str, int]]:
    """Distinct member organisations, and apart from them distinct citizens sitting as themselves, per year, from
    the first membership year to `until` (default: this year).

    Shape: ``[{"year": 2010, "organizations": 16, "citizens": 2}, ...]``; empty when the instance never had a
    member. Two queries: the first year, then the counts per year computed in a single aggregate.
    """
    memberships = Membership.objects.filter(instance_id=_pk(instance))
    first = memberships.aggregate(first=Min("start_date"))["first"]
    if first is None:
        return []
    last = max(until or timezone.localdate().year, first.year)
    years = range(first.year, last + 1)
    citizen = Q(organization__isnull=True)
    counts = memberships.aggregate(
        **{f"y{year}": Count("organization", distinct=True, filter=overlaps_year(year)) for year in years},
        **{f"c{year}": Count("person", distinct=True, filter=overlaps_year(year) & citizen) for year in years},
    )
    return [{"year": year, "organizations": counts[f"y{year}"], "citizens": counts[f"c{year}"]} for year in years]


def attendance_by_organization(instance: Instance | int, year: int | None = None) -> list[dict[str, Any]]:
    """Attendance rate per organisation: present / (present + excused + absent), cancelled meetings aside.

    Shape: ``[{"organization_id", "name", "present", "excused", "absent", "recorded", "rate"}, ...]`` sorted by
    name; ``rate`` is a float between 0 and 1 (None when nothing was recorded). One query. Citizen seats are
    left out (see `attendance_of_citizens`).
    """
    attendances = _attendances(instance, year).filter(organization__isnull=False)
    status = Attendance.Status
    rows = (
        attendances.values("organization_id", "organization__name")
        .annotate(
            present=Count("pk", filter=Q(status=status.PRESENT)),
            excused=Count("pk", filter=Q(status=status.EXCUSED)),
            absent=Count("pk", filter=Q(status=status.ABSENT)),
        )
        .order_by("organization__name", "organization_id")
    )
    result = []
    for row in rows:
        recorded = row["present"] + row["excused"] + row["absent"]
        result.append(
            {
                "organization_id": row["organization_id"],
                "name": row["organization__name"],
                "present": row["present"],
                "excused": row["excused"],
                "absent": row["absent"],
                "recorded": recorded,
                "rate": round(row["present"] / recorded, 3) if recorded else None,
            }
        )
    return result


def _attendances(instance: Instance | int, year: int | None) -> QuerySet:
    attendances = Attendance.objects.filter(meeting__instance_id=_pk(instance)).exclude(
        meeting__status=Meeting.Status.CANCELLED
    )
    if year is not None:
        start, end = year_range(year)
        attendances = attendances.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
    return attendances


def attendance_of_citizens(instance: Instance | int, year: int | None = None) -> list[dict[str, Any]]:
    """Attendance rate of each citizen who sits as themself, as `attendance_by_organization` computes it per
    organisation. Shape: ``[{"person_id", "name", "present", "excused", "absent", "recorded", "rate"}, ...]``
    sorted by name. One query."""
    status = Attendance.Status
    rows = (
        _attendances(instance, year)
        .filter(organization__isnull=True)
        .values("membership__person_id", "membership__person__first_name", "membership__person__last_name")
        .annotate(
            present=Count("pk", filter=Q(status=status.PRESENT)),
            excused=Count("pk", filter=Q(status=status.EXCUSED)),
            absent=Count("pk", filter=Q(status=status.ABSENT)),
        )
        .order_by("membership__person__last_name", "membership__person__first_name", "membership__person_id")
    )
    result = []
    for row in rows:
        recorded = row["present"] + row["excused"] + row["absent"]
        result.append(
            {
                "person_id": row["membership__person_id"],
                "name": f"{row['membership__person__first_name']} {row['membership__person__last_name']}".strip(),
                "present": row["present"],
                "excused": row["excused"],
                "absent": row["absent"],
                "recorded": recorded,
                "rate": round(row["present"] / recorded, 3) if recorded else None,
            }
        )
    return result


def turnover_by_year(instance: Instance | int, until: int | None = None) -> list[dict[str, Any]]:
    """Organisations that joined and left the instance, per year.

    *Joined* in Y: a member during Y that was not a member during Y−1 (everyone joins in the first year).
    *Left* in Y: a member during Y that is no longer one during Y+1 (for the current year: no longer a member
    today). So ``members(Y) = members(Y−1) + joined(Y) − left(Y−1)``, which is what the participation chart shows.

    Shape: ``[{"year", "members", "joined", "left", "joined_names", "left_names"}, ...]`` from the first
    membership year to `until` (default: this year). One query: an instance has at most a few hundred
    memberships, so the yearly sets are built from them in Python. Organisations only: citizen seats are
    counted apart (`participation_by_year`).
    """
    rows = list(
        Membership.objects.filter(instance_id=_pk(instance), organization__isnull=False).values_list(
            "organization_id", "organization__name", "start_date", "end_date"
        )
    )
    if not rows:
        return []
    today = timezone.localdate()
    first = min(start for _, _, start, _ in rows).year
    last = max(until or today.year, first)
    names = {org: name for org, name, _, _ in rows}
    members: dict[int, set[int]] = defaultdict(set)
    active_today: set[int] = set()
    for org, _, start, end in rows:
        for year in range(start.year, min(end.year if end else last + 1, last + 1) + 1):
            members[year].add(org)
        if start <= today and (end is None or end >= today):
            active_today.add(org)
    result = []
    for year in range(first, last + 1):
        after = active_today if year == today.year else members[year + 1]
        joined = members[year] - members[year - 1]
        left = members[year] - after if year <= today.year else set()
        result.append(
            {
                "year": year,
                "members": len(members[year]),
                "joined": len(joined),
                "left": len(left),
                "joined_names": sorted(names[o] for o in joined),
                "left_names": sorted(names[o] for o in left),
            }
        )
    return result


# Concertation load (hyperconcertation, domain.md §5) -------------------------------------------------------


def territory_organizations(territory: Territory) -> QuerySet:
    """Organisations whose RLS is the territory or lies under it (a subquery, never a list of ids)."""
    rls = Territory.objects.filter(kind=Territory.Kind.RLS, path__startswith=territory.path).values("pk")
    return Organization.objects.filter(rls_id__in=rls)


def _decile_cutoff(values: list[Decimal]) -> Decimal | None:
    """Hours at or above which an entry is in the top 10 % (ties at the boundary included); None if no hours."""
    positive = sorted((v for v in values if v > 0), reverse=True)
    if not positive:
        return None
    k = max(1, math.ceil(len(values) * TOP_SHARE))
    return positive[min(k, len(positive)) - 1]


def _rank_and_flag(rows: list[dict[str, Any]], hours_threshold: Decimal | None) -> Decimal | None:
    rows.sort(key=lambda r: (-r["hours"], -r["meetings"], -r["instances"], r["name"].lower()))
    cutoff = _decile_cutoff([r["hours"] for r in rows])
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["top_decile"] = cutoff is not None and row["hours"] >= cutoff
        row["above_threshold"] = None if hours_threshold is None else row["hours"] > hours_threshold
        row["over_solicited"] = row["above_threshold"] if hours_threshold is not None else row["top_decile"]
    return cutoff


def concertation_load(territory: Territory, year: int, hours_threshold: Decimal | float | None = None) -> dict:
    """Who carries the concertation of a territory in a year: per organisation and per person.

    `territory` is an RLS or any territory above one (health region, province): organisations whose RLS
    lies under it count. For each organisation: ``instances`` (distinct instances where it held a seat that
    year), ``seats`` (memberships active that year), ``meetings`` (presences: attendance records marked
    present at meetings that started that year) and ``hours`` (sum of those meetings' length; two people of one
    organisation at the same meeting give twice the hours). For each person, the same figures, a presence
    counted for whoever sat (the substitute when there was one, else the seat's representative).

    The over-solicited are flagged: by default the top decile by hours (ties at the cut-off included, zero
    hours never flagged); with `hours_threshold`, those above that many hours.

    Concentration: organisations are ranked by presence (meetings, then seats); ``share`` is the part of all
    seats held by the most present 10 % (rounded up), ``presence_share`` the part of all presences they made.

    Returns::

        {
          "territory": {"id", "name"}, "year": int,
          "criterion": "top_decile" | "threshold", "hours_threshold": Decimal | None,
          "decile_cutoff_hours": Decimal | None,
          "organizations": [{"id", "name", "rank", "instances", "seats", "meetings", "hours",
                             "top_decile", "above_threshold", "over_solicited"}, ...],   # ranked by hours
          "people": [{"id", "name", "rank", "instances", "meetings", "hours",
                      "top_decile", "above_threshold", "over_solicited"}, ...],          # ranked by hours
          "totals": {"organizations", "people", "seats", "meetings", "hours"},
          "concentration": {"organizations", "top_organizations", "seats", "top_seats", "share",
                            "presences", "top_presences", "presence_share"},
        }

    Six queries whatever the size of the territory; the attendance rows are grouped in the database by seat
    and substitute, using the meeting date range (and, for a small territory, the organisation) so that
    indexes apply.
    """
    threshold = None if hours_threshold is None else Decimal(str(hours_threshold))
    orgs = territory_organizations(territory)
    start, end = year_range(year)
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    zero = Decimal(0)

    # Every seat of the territory's organisations that began by the end of the year (at most the province's
    # 40,000): seats and instances are counted from it, and it maps an attendance's seat to its organisation
    # and representative, so the attendance query needs no join other than the meeting's. Integers only:
    # rows without converters keep this cheap.
    active = Case(
        When(Q(end_date__isnull=True) | Q(end_date__gte=first_day), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    seats = _raw_rows(
        Membership.objects.filter(organization_id__in=orgs.values("pk"), start_date__lte=last_day)
        .order_by()
        .values_list("pk", "organization_id", "person_id", "instance_id", active)
    )
    seat_of = {pk: (org, person) for pk, org, person, _, _ in seats}
    org_seats: dict[int, int] = defaultdict(int)
    org_instances: dict[int, set[int]] = defaultdict(set)
    person_instances: dict[int, set[int]] = defaultdict(set)
    for _, org, person, instance_id, is_active in seats:
        if is_active:
            org_seats[org] += 1
            org_instances[org].add(instance_id)
            if person is not None:
                person_instances[person].add(instance_id)

    # The heavy one: one year of attendance (a few hundred thousand rows at province scale), grouped in the
    # database by seat and substitute. The range on meeting__starts_at (not __year) lets the meeting date index
    # apply. For a small territory, the organisation index finds its rows faster; for a large one (a quarter
    # of the RLS or more), reading the year's meetings is faster, and rows of other territories are left out
    # below because their seats are not in `seat_of`. Hours are summed as floats (exact here: two decimals,
    # a few thousand terms at most per row) and given back as Decimal.
    coverage = Territory.objects.filter(kind=Territory.Kind.RLS).aggregate(
        total=Count("pk"), under=Count("pk", filter=Q(path__startswith=territory.path))
    )
    presences = Attendance.objects.filter(
        status=Attendance.Status.PRESENT, meeting__starts_at__gte=start, meeting__starts_at__lt=end
    )
    if coverage["under"] * 4 < coverage["total"]:
        presences = presences.filter(organization_id__in=orgs.values("pk"))
    presences = (
        presences.values("membership_id", "substitute_id")
        .annotate(meetings=Count("*"), hours=Sum(Cast("meeting__hours", output_field=FloatField())))
        .order_by()
        .values_list("membership_id", "substitute_id", "meetings", "hours")
    )
    org_presence: dict[int, list] = defaultdict(lambda: [0, 0.0])
    person_presence: dict[int, list] = defaultdict(lambda: [0, 0.0])
    substitutes: set[int] = set()
    for membership_id, substitute_id, meetings, hours in _raw_rows(presences):
        seat = seat_of.get(membership_id)
        if seat is None:
            continue
        org, representative = seat
        hours = hours or 0.0
        totals = org_presence[org]
        totals[0] += meetings
        totals[1] += hours
        if substitute_id:
            substitutes.add(substitute_id)
        sitter = substitute_id or representative
        if sitter is not None:
            totals = person_presence[sitter]
            totals[0] += meetings
            totals[1] += hours

    org_ids = set(org_seats) | set(org_presence)
    org_names = dict(orgs.order_by().values_list("pk", "name"))
    organizations = []
    for org_id in org_ids:
        meetings, hours = org_presence.get(org_id, (0, 0.0))
        organizations.append(
            {
                "id": org_id,
                "name": org_names.get(org_id, f"#{org_id}"),
                "instances": len(org_instances.get(org_id, ())),
                "seats": org_seats.get(org_id, 0),
                "meetings": meetings,
                "hours": as_hours(hours),
            }
        )
    cutoff = _rank_and_flag(organizations, threshold)

    person_ids = set(person_instances) | set(person_presence)
    person_names = _person_names(
        Membership.objects.filter(organization_id__in=orgs.values("pk"), start_date__lte=last_day).values("person_id"),
        substitutes,
    )
    people = []
    for person_id in person_ids:
        meetings, hours = person_presence.get(person_id, (0, 0.0))
        people.append(
            {
                "id": person_id,
                "name": person_names.get(person_id, f"#{person_id}"),
                "instances": len(person_instances.get(person_id, ())),
                "meetings": meetings,
                "hours": as_hours(hours),
            }
        )
    _rank_and_flag(people, threshold)

    return {
        "territory": {"id": territory.pk, "name": territory.name},
        "year": year,
        "criterion": "threshold" if threshold is not None else "top_decile",
        "hours_threshold": threshold,
        "decile_cutoff_hours": cutoff,
        "organizations": organizations,
        "people": people,
        "totals": {
            "organizations": len(organizations),
            "people": len(people),
            "seats": sum(r["seats"] for r in organizations),
            "meetings": sum(r["meetings"] for r in organizations),
            "hours": sum((r["hours"] for r in organizations), zero),
        },
        "concentration": concentration(organizations),
    }


NAME_CHUNK = 5000  # ids per IN list: well under SQLite's and PostgreSQL's limits on parameters


def _person_names(representatives: QuerySet, extra_ids: set[int]) -> dict[int, str]:
    """Names of the seats' representatives (a subquery) and of the substitutes found in the attendance (ids,
    few in practice; a list of more than NAME_CHUNK costs one more query per chunk)."""
    extra = sorted(extra_ids)
    chunks = [extra[i : i + NAME_CHUNK] for i in range(0, len(extra), NAME_CHUNK)] or [[]]
    names = {}
    for n, chunk in enumerate(chunks):
        condition = Q(pk__in=chunk)
        if n == 0:
            condition |= Q(pk__in=representatives)
        for pk, first, last in Person.objects.filter(condition).order_by().values_list("pk", "first_name", "last_name"):
            names[pk] = f"{first} {last}".strip()
    return names


def concentration(organizations: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of all seats (and of all presences) held by the 10 % most present organisations."""
    holders = [r for r in organizations if r["seats"] or r["meetings"]]
    ranked = sorted(holders, key=lambda r: (-r["meetings"], -r["seats"], r["name"].lower()))
    k = math.ceil(len(ranked) * TOP_SHARE) if ranked else 0
    top = ranked[:k]
    seats, presences = sum(r["seats"] for r in ranked), sum(r["meetings"] for r in ranked)
    top_seats, top_presences = sum(r["seats"] for r in top), sum(r["meetings"] for r in top)
    return {
        "organizations": len(ranked),
        "top_organizations": k,
        "seats": seats,
        "top_seats": top_seats,
        "share": round(top_seats / seats, 3) if seats else None,
        "presences": presences,
        "top_presences": top_presences,
        "presence_share": round(top_presences / presences, 3) if presences else None,
    }


# Action plans ---------------------------------------------------------------------------------------------

OPEN_STATUSES = (WorkStatus.NOT_STARTED, WorkStatus.IN_PROGRESS, WorkStatus.LATE)


def is_overdue(action: Action, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.deadline is not None and action.deadline < today and action.status in OPEN_STATUSES


def plan_progress(plan: ActionPlan | int, today: date | None = None) -> dict[str, Any]:
    """Where an action plan stands: actions by status, overdue actions, indicators toward their targets.

    Shape::

        {"actions": int, "by_status": [{"status", "label", "count", "share"}, ...],   # every status, in order
         "done_share": int (percent of the non-cancelled actions that are done, or None),
         "overdue": [Action, ...],   # open actions past their deadline, oldest first
         "indicators": [{"indicator": Indicator, "objective": str, "progress": int | None,
                         "reached": bool}, ...],
         "indicators_reached": int, "indicators_measured": int}

    Three queries.
    """
    today = today or timezone.localdate()
    plan_id = _pk(plan)
    counts = dict(
        Action.objects.filter(objective__plan_id=plan_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    total = sum(counts.values())
    by_status = [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "share": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value, label in WorkStatus.choices
    ]
    considered = total - counts.get(WorkStatus.CANCELLED, 0)
    overdue = list(
        Action.objects.filter(objective__plan_id=plan_id, deadline__lt=today, status__in=OPEN_STATUSES)
        .select_related("objective", "lead")
        .order_by("deadline", "pk")
    )
    indicators = []
    for indicator in (
        Indicator.objects.filter(objective__plan_id=plan_id)
        .select_related("objective")
        .order_by("objective__order", "objective_id", "pk")
    ):
        progress = indicator.progress
        indicators.append(
            {
                "indicator": indicator,
                "objective": indicator.objective.title,
                "progress": progress,
                "reached": progress is not None and progress >= 100,
            }
        )
    return {
        "actions": total,
        "by_status": by_status,
        "done_share": round(100 * counts.get(WorkStatus.DONE, 0) / considered) if considered else None,
        "overdue": overdue,
        "indicators": indicators,
        "indicators_reached": sum(1 for i in indicators if i["reached"]),
        "indicators_measured": sum(1 for i in indicators if i["progress"] is not None),
    }
