"""Participation analytics pages: an instance's participation over the years, attendance and turnover; the
concertation load (hyperconcertation, domain.md §5) of a territory in a year."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from concertation import analytics
from concertation.forms_plans import LoadForm, load_territories_for
from concertation.models import Instance
from concertation.views.common import get_instance
from core import charts
from registry.rules import scope_for

TOP_ROWS = 100  # rows of each ranking shown on the load page; the totals count everyone


def participation_chart(series: list[dict]) -> charts.Chart | None:
    if not series:
        return None
    return charts.bar_chart(
        [(str(row["year"]), row["organizations"]) for row in series],
        title=_("Member organisations per year"),
        label_header=_("Year"),
        value_header=_("Organisations"),
    )


def can_see_load(request: HttpRequest, instance: Instance) -> bool:
    """The load report of the instance's RLS names people: its coordinators and analysts only (and admins)."""
    scope = scope_for(request.user)
    return scope.is_admin or instance.rls_id in scope.readable_rls


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_analytics.html)."""
    series = analytics.participation_by_year(instance)
    return {
        "analytics_section": {
            "chart": participation_chart(series),
            "series": series,
            "can_see_load": can_see_load(request, instance),
        }
    }


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


@login_required
@require_GET
def instance_analytics(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk)
    series = analytics.participation_by_year(instance)
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
        "series": series,
        "chart": participation_chart(series),
        "attendance": attendance,
        "attendance_chart": attendance_chart,
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
