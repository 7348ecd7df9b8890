"""The evaluation app's background work, through Django's tasks API (the django-tasks backport: on Django 6 only the
import changes, to `django.tasks`). Jobs are listed in the administration (django-tasks-db's "Task results").

Neither the database backend nor the RQ one retries a failed task, so these tasks retry themselves: a failed run
enqueues the next attempt (a few minutes later where the backend can defer), at most MAX_ATTEMPTS in all, then
raises so the run is recorded as failed with its traceback. Every task here is idempotent, so a retry is safe."""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from evaluation import bilan, mail
from evaluation.actions.campaigns import opening_today
from evaluation.models import Campaign, Report

MAX_ATTEMPTS = 3
RETRY_DELAY = datetime.timedelta(minutes=5)


def _retry(job: Task, attempt: int, *args: Any, **kwargs: Any) -> None:
    """Enqueue the next attempt, if any is left; each waits longer than the last (a mail server coming back)."""
    if attempt >= MAX_ATTEMPTS:
        return
    if job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + RETRY_DELAY * attempt)
    job.enqueue(*args, attempt=attempt + 1, **kwargs)


@task()
def send_campaign_mail(campaign_id: int, reminder: bool, attempt: int = 1, reminder_round: int | None = None) -> int:
    """Mail a campaign's personal links (the first mail, or a reminder to the unused links); returns how many left.

    `attempt` and `reminder_round` are set by the retries only: a retried reminder keeps its round, so the people it
    already reached are not reminded twice."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not campaign.is_open():
        return 0  # deleted, closed, or not open yet (send_due_links sends on the opening day)
    if reminder and reminder_round is None:
        reminder_round = mail.next_reminder_round(campaign)
    try:
        return mail.send_campaign_links(campaign, reminder, reminder_round)
    except Exception:
        _retry(send_campaign_mail, attempt, campaign_id, reminder, reminder_round=reminder_round)
        raise


@task()
def send_due_links() -> int:
    """Queue the links of the campaigns that open today, launched ahead of their opening; returns how many campaigns.
    Run daily by `manage.py send_survey_links`. One task per campaign, so each is retried on its own."""
    campaign_ids = list(opening_today().values_list("pk", flat=True))
    for campaign_id in campaign_ids:
        send_campaign_mail.enqueue(campaign_id, False)
    return len(campaign_ids)


# PDF reports -----------------------------------------------------------------------------------------------


class RequesterGone(Exception):
    """The account that asked for the report was deleted or deactivated: nobody's view to build it with."""


def _progress(report_id: int, percent: int, **fields: Any) -> None:
    # An update, not a save: the page polling the progress reads it at once, and nothing else of the row is touched.
    Report.objects.filter(pk=report_id).update(progress=percent, **fields)


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this task needs.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _failed(report: Report, stage: str, error: Exception, final: bool) -> None:
    """The stage and the kind of error only: an exception's message may quote the data being printed."""
    status = Report.Status.FAILED if final else Report.Status.QUEUED
    finished = timezone.now() if final else None
    error_text = f"{stage}: {type(error).__name__}"[:200]
    Report.objects.filter(pk=report.pk).update(status=status, error=error_text, finished_at=finished)


def _build(report: Report, stage: list[str]) -> None:
    """Gather, render, convert and save, saying how far it got (`stage` names the step under way, for the error)."""
    with translation.override(report.language):
        html = bilan.report_html(report, progress=lambda percent: _progress(report.pk, percent))
        _progress(report.pk, 70)
        stage[0] = "pdf"
        content = _pdf(html)
    stage[0] = "file"
    report.file.save("report.pdf", ContentFile(content), save=False)  # under a random name (report_path)
    _progress(report.pk, 100, status=Report.Status.DONE, file=report.file.name, finished_at=timezone.now(), error="")


@task()
def build_report(report_id: int, attempt: int = 1) -> str:
    """Build a requested PDF report (evaluation.actions.reports) as its requester sees what it is about; returns its
    status. A failed run leaves the report waiting while a retry is left, and marks it failed after the last one."""
    report = Report.objects.select_related("rls", "campaign__instrument", "requested_by").filter(pk=report_id).first()
    if report is None or report.status == Report.Status.DONE:
        return "" if report is None else report.status
    _progress(report.pk, 10, status=Report.Status.RUNNING)
    stage = ["figures"]
    try:
        if report.requested_by is None or not report.requested_by.is_active:
            raise RequesterGone(report.pk)
        _build(report, stage)
    except Exception as error:
        _failed(report, stage[0], error, final=attempt >= MAX_ATTEMPTS)
        _retry(build_report, attempt, report_id)
        raise
    return Report.Status.DONE


# Networks ------------------------------------------------------------------------------------------------------


@task()
def compute_network(territory_id: int, year: int, graph: str, attempt: int = 1) -> float:
    """Compute and store a health region's or the province's network (evaluation.network.store); returns seconds."""
    from evaluation.network import store  # store queues this task

    try:
        return store.refresh(territory_id, year, graph)
    except Exception:
        _retry(compute_network, attempt, territory_id, year, graph)
        raise
