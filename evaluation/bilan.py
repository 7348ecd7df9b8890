"""The bilan of an RLS's concertation: the figures of its dashboard and of its PDF, read as one user may see them.

Pure reads over the other apps' analytics, a fixed number of queries whatever the size of the RLS (about fifty,
twenty of them the diagnosis, six the concertation-load report):
- participation: distinct member organisations per year across the RLS's instances (one aggregate), the members of
  each instance in the last year (one grouped count), the exits by year and reason, the context events on the curve;
- load: the share of the seats held by the most present tenth of the organisations (concertation.analytics);
- agreements: those in force and their funding (agreements.analytics.dashboard over the agreements the user reads),
  and the community organisations whose service-agreement money overtakes their mission funding;
- surveys: the latest closed campaign of each instrument among those the user may open (evaluation.rules), their
  section means and levels, hidden like on the results page when the campaign has too few respondents;
- diagnosis: the placements of evaluation.diagnosis.diagnose_rls.

`summary(rls, user)` is the dashboard (every year up to this one); `summary(rls, user, start, end)` the bilan of a
period (its years, its events, the surveys opened in it, the load and the diagnosis of its last year).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agreements import analytics as agreement_analytics
from agreements.models import Agreement
from agreements.rules import agreements_for
from concertation import analytics as concertation_analytics
from concertation.analytics import overlaps_year
from concertation.models import ContextEvent, Instance, Membership
from concertation.rules import instances_for
from concertation.views.analytics import participation_chart
from core import charts
from evaluation.cache import kept
from evaluation.diagnosis import diagnose_rls
from evaluation.models import Answer, Campaign, Invitation, Item, Report, Response, Scale, Section
from evaluation.results import Level, _level, _mean, campaign_results
from evaluation.rules import campaigns_for, sees_unreleased_rls
from registry.models import Organization, Territory
from registry.rules import organizations_for

TOP_ORGANIZATIONS = 5  # the most solicited organisations named on the dashboard; the load page has them all
CONFIDENCE = {
    "low": pgettext_lazy("confidence", "low"),
    "medium": pgettext_lazy("confidence", "medium"),
    "high": pgettext_lazy("confidence", "high"),
}


@dataclass(frozen=True)
class SectionScore:
    section: Section
    n: int
    mean: float | None
    level: str | None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""


@dataclass(frozen=True)
class Survey:
    campaign: Campaign
    invited: int
    answered: int
    respondents: int
    suppressed: bool  # too few respondents: no figure, as on the results page
    sections: tuple[SectionScore, ...]


# Participation ---------------------------------------------------------------------------------------------


def _years(memberships: QuerySet, start: datetime.date | None, end: datetime.date) -> list[int]:
    if start is not None:
        return list(range(start.year, end.year + 1))
    first = memberships.aggregate(first=Min("start_date"))["first"]
    return [] if first is None else list(range(min(first.year, end.year), end.year + 1))


def participation(instances: QuerySet, rls: Territory, start: datetime.date | None, end: datetime.date) -> dict:
    """Member organisations (and instances with members) per year across the instances, the members of each
    instance in the last year, the exits by year and the context events, with the chart that shows them."""
    memberships = Membership.objects.filter(instance__in=instances)
    years = _years(memberships, start, end)
    counts = memberships.aggregate(
        **{f"o{year}": Count("organization", distinct=True, filter=overlaps_year(year)) for year in years},
        **{f"i{year}": Count("instance", distinct=True, filter=overlaps_year(year)) for year in years},
    )
    series = [{"year": y, "organizations": counts[f"o{y}"], "instances": counts[f"i{y}"]} for y in years]
    last = years[-1] if years else end.year
    per_instance = list(
        instances.annotate(members=Count("memberships", filter=overlaps_year(last, "memberships__"), distinct=True))
        .order_by("name", "pk")
        .values("pk", "name", "kind", "members")
    )
    events = list(
        ContextEvent.objects.filter(Q(instance__isnull=True) | Q(instance__in=instances), rls=rls)
        .filter(**({"date__gte": start} if start else {}), date__lte=end)
        .select_related("instance")
        .order_by("date", "pk")
    )
    on_chart = [event for event in events if years and years[0] <= event.date.year <= years[-1]]
    for number, event in enumerate(on_chart, start=1):
        event.marker = number
    exits = _exits(memberships, years)
    return {
        "series": series, "year": last, "per_instance": per_instance, "events": events, "exits": exits,
        "chart": participation_chart(series, on_chart, exits),
    }  # fmt: skip


def _exits(memberships: QuerySet, years: list[int]) -> list[dict]:
    """As concertation.views.analytics.exits_by_year, across every instance and within the years shown."""
    labels = dict(Membership.ExitReason.choices)
    by_year: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if years:
        rows = memberships.filter(end_date__year__gte=years[0], end_date__year__lte=years[-1]).exits_by_year()
        for row in rows:
            by_year[row["year"]].append((row["exit_reason"], row["count"]))
    result = []
    for year, rows in sorted(by_year.items()):
        rows.sort(key=lambda r: (r[0] == "", -r[1], r[0]))
        reasons = [(str(labels[code]) if code else _("Not said"), count) for code, count in rows]
        result.append({"year": year, "count": sum(count for _code, count in rows), "reasons": reasons})
    return result


# Load ------------------------------------------------------------------------------------------------------


def load(rls: Territory, year: int) -> dict:
    report = concertation_analytics.concertation_load(rls, year)
    top = report["organizations"][:TOP_ORGANIZATIONS]
    chart = None
    if top and top[0]["hours"]:
        chart = charts.hbar_chart(
            [(row["name"], row["hours"]) for row in top],
            title=_("Meeting hours of the most solicited organisations, %(year)s") % {"year": year},
            label_header=_("Organisation"), value_header=_("Meeting hours"),
            highlight=[row["name"] for row in top if row["over_solicited"]], decimals=1, unit="h",
        )  # fmt: skip
    return {"year": year, "concentration": report["concentration"], "totals": report["totals"], "top": top,
            "chart": chart}  # fmt: skip


# Agreements and funding dependence -------------------------------------------------------------------------


def agreements(rls: Territory, user, start: datetime.date | None, end: datetime.date) -> dict:
    data = agreement_analytics.dashboard(agreements_for(user).filter(rls=rls), today=end)
    organizations = organizations_for(user).filter(rls=rls)
    drifting, drifting_count = agreement_analytics.drifting_organizations(organizations)
    kinds = Agreement.Kind.values  # analytics.dashboard counts them in this order
    funding = [
        row for row in data["funding"] if (start is None or row["year"] >= start.year) and row["year"] <= end.year
    ]
    return {
        "in_force": data["in_force"], "funding": funding,
        "by_kind": [(code, label, n) for code, (label, n) in zip(kinds, data["by_kind"], strict=True) if n],
        "expiring_count": data["expiring_count"], "late_count": data["late_count"], "window": data["window"],
        "drifting": drifting, "drifting_count": drifting_count,
        "community": organizations.filter(sector=Organization.Sector.COMMUNITY).count(),
    }  # fmt: skip


# Surveys ---------------------------------------------------------------------------------------------------


def latest_campaigns(campaigns: QuerySet, start: datetime.date | None, end: datetime.date) -> list[Campaign]:
    """The latest closed campaign of each instrument (opened in the period, when there is one), in one query."""
    today = timezone.localdate()
    closed = campaigns.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today), opens_on__lte=end)
    if start is not None:
        closed = closed.filter(opens_on__gte=start)
    latest = closed.filter(instrument=OuterRef("instrument")).order_by("-opens_on", "-pk").values("pk")[:1]
    chosen = closed.filter(pk=Subquery(latest)).select_related("instrument")
    return list(chosen.order_by("-opens_on", "pk"))


def surveys(campaigns: list[Campaign]) -> list[Survey]:
    """Section means and levels of each campaign, read together in five queries.

    The anonymity rule is the results page's (evaluation.results.campaign_results): below its smallest group, an
    individual campaign shows no figure at all; a section's mean is the mean of each respondent's own mean."""
    if not campaigns:
        return []
    ids = [c.pk for c in campaigns]
    respondents = dict(Response.objects.filter(campaign__in=ids).values_list("campaign").annotate(n=Count("pk")))
    links = {
        row["campaign"]: row
        for row in Invitation.objects.filter(campaign__in=ids)
        .values("campaign")
        .annotate(invited=Count("pk"), used=Count("pk", filter=Q(used=True)))
        .order_by()
    }
    hidden = {c.pk for c in campaigns if c.mode != Campaign.Mode.GROUP and respondents.get(c.pk, 0) < c.min_group_size}
    shown = [c for c in campaigns if c.pk not in hidden]
    sections: dict[int, list[Section]] = defaultdict(list)
    for section in Section.objects.filter(instrument__in=[c.instrument_id for c in shown]).order_by("position", "pk"):
        sections[section.instrument_id].append(section)
    sums = _likert_sums(shown)
    result = []
    for campaign in campaigns:
        counted = links.get(campaign.pk, {})
        scores = () if campaign.pk in hidden else _scores(campaign, sections.get(campaign.instrument_id, []), sums)
        result.append(Survey(
            campaign=campaign, invited=counted.get("invited", 0), answered=counted.get("used", 0),
            respondents=respondents.get(campaign.pk, 0), suppressed=campaign.pk in hidden, sections=scores,
        ))  # fmt: skip
    return result


def _scores(campaign: Campaign, sections: list[Section], sums: dict) -> tuple[SectionScore, ...]:
    scores = []
    for section in sections:
        if section.pk not in sums:
            continue  # no Likert item in it, or nobody answered one: the results page gives it no mean
        n, mean = _mean(sums[section.pk].values())
        scores.append(
            SectionScore(section, n, None if mean is None else float(mean), _level(campaign.instrument, mean))
        )
    return tuple(scores)


def _likert_sums(campaigns: list[Campaign]) -> dict[int, dict[int, tuple[int, int]]]:
    """Section id → respondent → (sum, count) of their Likert answers. A section belongs to one instrument and each
    instrument here to one campaign, so the section says which campaign a row is of."""
    if not campaigns:
        return {}
    likert = Item.objects.filter(section__instrument__in=[c.instrument_id for c in campaigns], scale=Scale.LIKERT)
    section_of = dict(likert.values_list("pk", "section_id"))
    rows = (
        Answer.objects.filter(response__campaign__in=[c.pk for c in campaigns], item_id__in=list(section_of))
        .exclude(value="")
        .values_list("response_id", "item_id", "value")
    )
    sums: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for response_id, item_id, value in rows.iterator(chunk_size=5000):
        if value.isdigit():
            respondents = sums[section_of[item_id]]
            total, count = respondents.get(response_id, (0, 0))
            respondents[response_id] = (total + int(value), count + 1)
    return sums


# Diagnosis -------------------------------------------------------------------------------------------------


def diagnosis(rls: Territory, user, year: int | None) -> dict:
    # Campaigns the members have not released count only for a reader who sees them all: the RLS's coordinators.
    found = diagnose_rls(rls, year, include_unreleased=sees_unreleased_rls(user, rls))
    placements = [
        {"dimension_code": p.dimension, "dimension": p.dimension_label, "code": p.placement, "placement": p.label,
         "confidence": p.confidence, "confidence_label": str(CONFIDENCE.get(p.confidence, p.confidence))}
        for p in found.placements
    ]  # fmt: skip
    return {"placements": placements, "period": found.period, "url": diagnosis_url(rls)}


def diagnosis_url(rls: Territory) -> str | None:
    """The RLS's diagnosis page, once it exists."""
    try:
        return reverse("evaluation:rls_diagnosis", args=[rls.pk])
    except NoReverseMatch:
        return None


# The whole -------------------------------------------------------------------------------------------------


def summary(
    rls: Territory, user, start: datetime.date | None = None, end: datetime.date | None = None, progress=None,
    load_year: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Every block of the dashboard (or of the bilan of [start, end]) as `user` may see it; the load is that of
    `load_year` (the last year shown by default). `progress(percent)` is called between the blocks (the PDF task's
    progress bar)."""
    step = progress or (lambda percent: None)
    end = end or timezone.localdate()
    instances = instances_for(user, Instance.objects.filter(rls=rls))
    data: dict[str, Any] = {"rls": rls, "start": start, "end": end}
    data["participation"] = participation(instances, rls, start, end)
    step(20)
    data["load"] = load(rls, load_year or end.year)
    data["agreements"] = agreements(rls, user, start, end)
    step(30)
    data["surveys"] = surveys(latest_campaigns(campaigns_for(user).filter(rls=rls), start, end))
    data["diagnosis"] = diagnosis(rls, user, end.year if start is not None else None)
    step(40)
    return data


def dashboard(rls: Territory, user, load_year: int) -> dict[str, Any]:
    """The dashboard's blocks, kept for this user until anything is written: a coordinator opens it again and
    again at an assembly, and the data rarely moves in between."""
    return kept(f"dashboard:{rls.pk}:{user.pk}:{load_year}", lambda: summary(rls, user, load_year=load_year))


# The PDF ---------------------------------------------------------------------------------------------------


def report_html(report: Report, progress=None) -> str:
    """The report's HTML, in the current language (the task sets the report's), as its requester may see it."""
    user = report.requested_by
    if report.kind == Report.Kind.CAMPAIGN:
        results = campaign_results(report.campaign, visible=campaigns_for(user))
        if progress:
            progress(40)
        scored = [s.section for s in results.sections if s.mean is not None]
        context = {
            "report": report, "campaign": report.campaign, "results": results, "scored": scored,
            "sector_rows": [(g, [g.means.get(s.code) for s in scored]) for g in results.by_sector],
            "instance_rows": [(g, [g.means.get(s.code) for s in scored]) for g in results.by_instance],
            "gap": [results.sector_gap.get(s.code) for s in scored] if results.sector_gap else [],
            "deltas": [(s, results.previous.deltas.get(s.code)) for s in scored] if results.previous else [],
            "generated": timezone.localtime(),
        }  # fmt: skip
        return render_to_string("evaluation/report_campaign_pdf.html", context)
    data = summary(report.rls, user, report.period_start, report.period_end, progress)
    return render_to_string(
        "evaluation/report_bilan_pdf.html", {**data, "report": report, "generated": timezone.localtime()}
    )
