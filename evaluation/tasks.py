"""The evaluation app's background work, through Django's tasks API (the django-tasks backport: on Django 6 only the
import changes, to `django.tasks`). Jobs are listed in the administration (django-tasks-db's "Task results").

Neither the database backend nor the RQ one retries a failed task, so these tasks retry themselves: a failed run
enqueues the next attempt (a few minutes later where the backend can defer), at most MAX_ATTEMPTS in all, then
raises so the run is recorded as failed with its traceback. Every task here is idempotent, so a retry is safe."""

import datetime
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from evaluation import mail
from evaluation.actions.campaigns import opening_today
from evaluation.models import Campaign

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
