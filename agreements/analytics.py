"""Read-only computations of the register: the dashboard and an organisation's funding dependence.

Pure functions over querysets, aggregated in the database, so that the evaluation module can call them."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from agreements.models import Agreement, FundingAmount, Party, Report
from registry.models import FundingLine, Organization

EXPIRY_WINDOW = 90  # days: the default reminder delay
LIST_LIMIT = 20

# The logics of domain.md §1: mission funding keeps autonomy; service-agreement money pulls toward the
# complementarist logic. Programme funding sits between them.
MISSION = FundingLine.Source.PSOC_MISSION
SERVICE = FundingLine.Source.SERVICE_AGREEMENT
PROGRAMME = FundingLine.Source.PROGRAMME


def dashboard(agreements: QuerySet, today: datetime.date | None = None) -> dict:
    """Agreements in force by kind and by party, funding per year, upcoming expiries and late reports."""
    today = today or timezone.localdate()
    in_force = agreements.filter(status=Agreement.Status.IN_FORCE)
    by_kind = dict(in_force.order_by().values_list("kind").annotate(n=Count("pk")))
    by_party = (
        Party.objects.filter(agreement__in=in_force)
        .values("organization_id", "organization__name")
        .annotate(n=Count("agreement_id"))
        .order_by("-n", "organization__name")[:LIST_LIMIT]
    )
    funding = (
        FundingAmount.objects.filter(agreement__in=agreements.exclude(status=Agreement.Status.TERMINATED))
        .values("year")
        .annotate(total=Sum("amount"), n=Count("agreement_id"))
        .order_by("year")
    )
    expiring = agreements.expiring_within(EXPIRY_WINDOW, today).select_related("rls").order_by("end_date", "pk")
    late = Report.objects.late(today).filter(agreement__in=agreements.filter(status__in=_ACTIVE))
    return {
        "by_kind": [(label, by_kind.get(code, 0)) for code, label in Agreement.Kind.choices],
        "in_force": sum(by_kind.values()),
        "by_party": list(by_party),
        "funding": list(funding),
        "expiring": list(expiring[:LIST_LIMIT]),
        "expiring_count": expiring.count(),
        "late": list(late.select_related("agreement").order_by("due_on", "pk")[:LIST_LIMIT]),
        "late_count": late.count(),
        "window": EXPIRY_WINDOW,
    }


_ACTIVE = [Agreement.Status.SIGNED, Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED]


def dependence(organization: Organization) -> list[dict]:
    """Per year, the organisation's funding by source and the shares of mission, programme and service
    agreements, with `drift` when service-agreement money overtakes mission funding."""
    rows = (
        FundingLine.objects.filter(organization=organization)
        .values("year", "source")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    years: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        years[row["year"]][row["source"]] = row["total"]
    result = []
    for year, amounts in sorted(years.items()):
        total = sum(amounts.values(), Decimal(0))
        mission, service = amounts.get(MISSION, Decimal(0)), amounts.get(SERVICE, Decimal(0))
        result.append(
            {
                "year": year,
                "total": total,
                "amounts": amounts,
                "mission_share": _share(mission, total),
                "programme_share": _share(amounts.get(PROGRAMME, Decimal(0)), total),
                "service_share": _share(service, total),
                "drift": service > mission,
            }
        )
    return result


def _share(part: Decimal, total: Decimal) -> float:
    return round(float(part * 100 / total), 1) if total else 0.0


def drifting_organizations(organizations: QuerySet, limit: int = LIST_LIMIT) -> tuple[list[dict], int]:
    """Community organisations whose latest year of funding has more service-agreement than mission money."""
    community = organizations.filter(sector=Organization.Sector.COMMUNITY)
    latest = FundingLine.objects.filter(organization__in=community).order_by("-year").values_list("year", flat=True)
    year = latest.first()
    if year is None:
        return [], 0
    sums = (
        FundingLine.objects.filter(organization__in=community, year=year)
        .values("organization_id", "organization__name")
        .annotate(
            mission=Sum("amount", filter=Q(source=MISSION), default=0),
            service=Sum("amount", filter=Q(source=SERVICE), default=0),
            total=Sum("amount"),
        )
        .filter(service__gt=F("mission"))
        .order_by("organization__name")
    )
    drifting = [
        {**row, "year": year, "service_share": _share(Decimal(row["service"]), Decimal(row["total"]))} for row in sums
    ]
    drifting.sort(key=lambda r: -r["service_share"])
    return drifting[:limit], len(drifting)


# The sources under which an organisation declares the money of its agreements (registry FundingLine).
AGREEMENT_SOURCES = [
    source for source in (SERVICE, getattr(FundingLine.Source, "COLLABORATION_AGREEMENT", None)) if source is not None
]


def reconcile(organization: Organization, agreements: QuerySet) -> list[dict]:
    """Per year, what the organisation's agreements (those given, signed at least) record as paid to it, against
    the funding lines it declares from agreements (service or collaboration agreements), with the difference and
    the agreements behind the amounts. `status` says it plainly: "match", "mismatch", "undeclared" (agreement money
    with no declared line) or "unrecorded" (a declared line with no agreement amount that year)."""
    counted = agreements.filter(status__in=_ACTIVE).filter(parties__organization=organization)
    # Money the organisation pays is not money it receives: amounts paid by its own party are left out.
    amounts = (
        FundingAmount.objects.filter(agreement__in=counted.values("pk"))
        .exclude(funder__organization=organization)
        .values("year", "agreement_id", "agreement__title")
        .annotate(total=Sum("amount"))
        .order_by("year", "agreement__title")
    )
    recorded: dict[int, Decimal] = defaultdict(Decimal)
    behind: dict[int, list[str]] = defaultdict(list)
    for row in amounts:
        recorded[row["year"]] += row["total"]
        behind[row["year"]].append(row["agreement__title"])
    declared = dict(
        FundingLine.objects.filter(organization=organization, source__in=AGREEMENT_SOURCES)
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("year", "total")
    )
    rows = []
    for year in sorted(set(recorded) | set(declared)):
        agreed, said = recorded.get(year, Decimal(0)), declared.get(year, Decimal(0))
        if agreed == said:
            status = "match"
        elif not said:
            status = "undeclared"
        elif not agreed:
            status = "unrecorded"
        else:
            status = "mismatch"
        rows.append(
            {
                "year": year,
                "agreements_total": agreed,
                "declared_total": said,
                "difference": agreed - said,
                "status": status,
                "agreements": behind.get(year, []),
            }
        )
    return rows
