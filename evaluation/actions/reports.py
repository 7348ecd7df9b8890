"""PDF reports: the bilan of an RLS's concertation over a period, and a campaign's results. The request is written
here and the PDF built by a background task (evaluation.tasks.build_report) once the request has committed.

Who (the rules below belong in evaluation.rules; they are here until that module takes them):
- the bilan of an RLS is requested by its coordinators and analysts (and administrators): the readers of the RLS,
  who also read its dashboard. Analysts are included because everything the bilan shows they already read (the
  registry and the concertation load of their RLS), except what the rules keep from them: unreleased survey results
  and unpublished agreements. So a report is built as its requester sees the RLS (evaluation.bilan.summary with
  the requester), and read by its requester and by those who see at least as much: the RLS's coordinators and the
  administrators. An analyst therefore reads only the reports they asked for.
- a campaign's report is requested by whoever may open the campaign's results (evaluation.rules.campaigns_for) and
  read, likewise, by its requester and the coordinators of the campaign's RLS.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, guard
from core.models import AuditEvent
from evaluation.models import Campaign, Report
from evaluation.rules import campaigns_for
from registry.models import Territory

MAX_YEARS = 15  # the longest period a bilan covers (the bound)


# Requests --------------------------------------------------------------------------------------------------


def check_period(start: datetime.date | None, end: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    """A period that has happened: in order, over by today, and at most MAX_YEARS long."""
    if start is None or end is None:
        missing = {"period_start": start, "period_end": end}
        raise ValidationError({field: _("This field is required.") for field, day in missing.items() if day is None})
    if end < start:
        raise ValidationError({"period_end": _("The end of the period cannot be before its start.")})
    if end > timezone.localdate():
        raise ValidationError({"period_end": _("The period cannot end after today.")})
    if start < _years_before(end, MAX_YEARS):
        raise ValidationError({"period_start": _("A bilan covers at most %(years)d years.") % {"years": MAX_YEARS}})
    return start, end


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _check_language(language: str) -> None:
    if language not in Report.Language.values:
        raise ValidationError({"language": _("Choose French or English.")})


def _enqueue(report: Report) -> None:
    def enqueue() -> None:
        from evaluation import tasks  # the tasks module imports the actions: imported when used

        tasks.build_report.enqueue(report.pk)

    transaction.on_commit(enqueue)


def _record(acting_user, report: Report, changes: dict) -> Report:
    audit.record(acting_user, AuditEvent.Action.CREATE, report, {**changes, "language": [None, report.language]})
    _enqueue(report)
    return report


@transaction.atomic
def request_bilan(
    acting_user, rls: Territory | None, period_start: datetime.date | None, period_end: datetime.date | None,
    language: str,
) -> Report:  # fmt: skip
    """Ask for the bilan of the RLS's concertation over the period, as a PDF in French or English."""
    if rls is None or rls.kind != Territory.Kind.RLS:
        raise ValidationError({"rls": _("Choose a local services network (RLS).")})
    guard.require(
        acting_user, "evaluation.request_bilan", rls, _("Only the RLS's coordinators and analysts ask for its bilan.")
    )
    start, end = check_period(period_start, period_end)
    _check_language(language)
    report = Report.objects.create(
        kind=Report.Kind.BILAN, rls=rls, period_start=start, period_end=end, language=language,
        requested_by=acting_user,
    )  # fmt: skip
    period = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return _record(acting_user, report, {"rls": [None, rls.name], "period": [None, period]})


@transaction.atomic
def request_campaign_report(acting_user, campaign: Campaign | None, language: str) -> Report:
    """Ask for a campaign's results as a PDF, with the same figures hidden as on its results page."""
    if campaign is None:
        raise ValidationError({"campaign": _("Choose a campaign.")})
    if not campaigns_for(acting_user, Campaign.objects.filter(pk=campaign.pk)).exists():
        raise PermissionDenied(_("Only those who may see the campaign's results ask for its report."))
    _check_language(language)
    report = Report.objects.create(
        kind=Report.Kind.CAMPAIGN, rls_id=campaign.rls_id, campaign=campaign, period_start=campaign.opens_on,
        period_end=campaign.closes_on, language=language, requested_by=acting_user,
    )  # fmt: skip
    return _record(acting_user, report, {"campaign": [None, campaign.title]})
