"""Participation analytics pages: an instance's participation over the years (with its context events and the
reasons members left), attendance and turnover; the concertation load (hyperconcertation, domain.md §5) of a
territory in a year."""

import calendar
from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from concertation import analytics
from concertation.forms_plans import LoadForm, load_territories_for
from concertation.models import ContextEvent, Instance, Membership
from concertation.views.common import get_instance
from core import charts
from registry.rules import scope_for

TOP_ROWS = 100  # rows of each ranking shown on the load page; the totals count everyone


def event_markers(events: list[ContextEvent]) -> list[charts.Marker]:
    """Each event in its year's column, at its day of the year."""
    markers = []
    for event in events:
        year = event.date.year
        days = 366 if calendar.isleap(year) else 365
        position = (event.date.timetuple().tm_yday - 0.5) / days
        markers.append(charts.Marker(str(year), position, f"{event.date:%Y-%m-%d} — {event.title}"))
    return markers


def exits_by_year(instance: Instance) -> list[dict]:
    """``[{"year", "count", "reasons": [(label, count), ...]}, ...]``: memberships that ended, by year and reason
    (those with no reason given last, as "Not said")."""
    labels = dict(Membership.ExitReason.choices)
    years: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in Membership.objects.filter(instance=instance).exits_by_year():
        years[row["year"]].append((row["exit_reason"], row["count"]))
    result = []
    for year, rows in sorted(years.items()):
        rows.sort(key=lambda r: (r[0] == "", -r[1], r[0]))
        reasons = [(str(labels[code]) if code else _("Not said"), count) for code, count in rows]
        result.append({"year": year, "count": sum(count for _, count in rows), "reasons": reasons})
    return result


def exit_notes(exits: list[dict]) -> dict[str, tuple[str, str]]:
    """Under each year's bar: how many left, and in its tooltip why."""
    notes = {}
    for row in exits:
        said = ngettext("%(count)s exit", "%(count)s exits", row["count"]) % {"count": row["count"]}
        reasons = "; ".join(
            _("%(label)s: %(count)s") % {"label": label, "count": count} for label, count in row["reasons"]
        )
        notes[str(row["year"])] = (said, f"{row['year']} — {said} ({reasons})")
    return notes


def participation_chart(
    series: list[dict], events: Sequence[ContextEvent] = (), exits: Sequence[dict] = ()
) -> charts.Chart | None:
    """Member organisations per year, the context events as numbered markers at their dates, and under each year
    how many members left (why, in its tooltip): a reader sees why the members became fewer."""
    if not series:
        return None
    return charts.bar_chart(
        [(str(row["year"]), row["organizations"]) for row in series],
        title=_("Member organisations per year"),
        label_header=_("Year"),
        value_header=_("Organisations"),
        markers=event_markers(list(events)),
        notes=exit_notes(list(exits)),
    )


def participation(instance: Instance) -> dict:
    """The participation curve and what it shows: the series, the context events in date order, the exits."""
    series = analytics.participation_by_year(instance)
    events = list(ContextEvent.objects.for_instance(instance).order_by("date", "pk"))
    years = {row["year"] for row in series}
    on_chart = [event for event in events if event.date.year in years]
    for number, event in enumerate(on_chart, start=1):
        event.marker = number  # the number of its marker on the chart (the events outside its years have none)
    exits = exits_by_year(instance)
    chart = participation_chart(series, on_chart, exits)
    return {"series": series, "chart": chart, "events": events, "exits": exits}


def can_see_load(request: HttpRequest, instance: Instance) -> bool:
    """The load report of the instance's RLS names people: its coordinators and analysts only (and admins)."""
    scope = scope_for(request.user)
    return scope.is_admin or instance.rls_id in scope.readable_rls


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_analytics.html)."""
    return {"analytics_section": {**participation(instance), "can_see_load": can_see_load(request, instance)}}


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


@login_required
@require_GET
def instance_analytics(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk)
    curve = participation(instance)
    series = curve["series"]
    year = _year_param(request)
    attendance = analytics.attendance_by_organization(instance, year=year)
    rated = [row for row in attendance if row["rate"] is not None]
    attendance_chart = (
        charts.hbar_chart(
            [(row["name"], round(row["rate"] * 100)) for row in rated],
            title=_("Attendance rate per organisation"),
            label_header=_("Organisation"),
            value_header=_("Attendance rate (%)"),
            unit="%",
            maximum=100,
        )
        if rated
        else None
    )
    context = {
        "instance": instance,
        **curve,
        "attendance": attendance,
        "attendance_chart": attendance_chart,
        # Citizens who sit as themselves, counted apart from the organisations (issue 11).
        "citizens_by_year": [row for row in series if row["citizens"]],
        "citizen_attendance": analytics.attendance_of_citizens(instance, year=year),
        "turnover": analytics.turnover_by_year(instance),
        "year": year,
        "years": [row["year"] for row in series],
        "can_see_load": can_see_load(request, instance),
        "this_year": timezone.localdate().year,
    }
    return render(request, "concertation/analytics_instance.html", context)


@login_required
@require_GET
def concertation_load(request: HttpRequest) -> HttpResponse:
    """`?territory=ID&year=YYYY[&hours=N]`: who carries the concertation of a territory (RLS readers; admin any)."""
    territories = load_territories_for(request.user)
    choices = list(territories[:2])
    if not choices:
        raise PermissionDenied
    data = request.GET if "territory" in request.GET else None
    if data is None and len(choices) == 1:
        # One territory in scope: show it for this year straight away.
        data = {"territory": choices[0].pk, "year": timezone.localdate().year}
    form = LoadForm(data, user=request.user)
    report, chart = None, None
    if data is not None and form.is_valid():
        territory, year = form.cleaned_data["territory"], form.cleaned_data["year"]
        report = analytics.concertation_load(territory, year, form.cleaned_data.get("hours"))
        top = report["organizations"][:15]
        if top and top[0]["hours"]:
            chart = charts.hbar_chart(
                [(row["name"], row["hours"]) for row in top],
                title=_("Meeting hours of the most solicited organisations, %(year)s") % {"year": year},
                label_header=_("Organisation"),
                value_header=_("Meeting hours"),
                highlight=[row["name"] for row in top if row["over_solicited"]],
                decimals=1,
                unit="h",
            )
    context = {
        "form": form,
        "report": report,
        "chart": chart,
        "organizations": report["organizations"][:TOP_ROWS] if report else [],
        "people": report["people"][:TOP_ROWS] if report else [],
        "top_rows": TOP_ROWS,
        "current_year": timezone.localdate().year,
    }
    return render(request, "concertation/analytics_load.html", context)
