"""Reminders e-mailed to the respondents of an agreement's parties, once each (the Reminder rows):
the end date approaching (the agreement's own number of days, 90 by default), a report due within
REPORT_NOTICE_DAYS, and a report late. Meant for a daily cron: `python manage.py send_reminders`.

The same run moves the agreements whose end date has passed from in force to expired."""

import datetime
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agreements.actions.agreements import expire
from agreements.models import Agreement, PartyContact, Reminder, Report
from core.mail import absolute_url, recipient_language

REPORT_NOTICE_DAYS = 14


@dataclass
class Sent:
    end_approaching: int = 0
    report_due: int = 0
    report_late: int = 0
    expired: int = 0
    messages: int = 0


def _respondents(agreement: Agreement) -> list:
    contacts = PartyContact.objects.filter(party__agreement=agreement, role=PartyContact.Role.RESPONDENT)
    people = [c.person for c in contacts.select_related("person__account").order_by("pk")]
    return [p for p in dict.fromkeys(people) if p.email]


def _messages(agreement: Agreement, kind: str, report: Report | None, today: datetime.date) -> list:
    url = absolute_url(agreement.get_absolute_url())
    messages = []
    for person in _respondents(agreement):
        language = recipient_language(person)
        with translation.override(language):
            days = (agreement.end_date - today).days if agreement.end_date else None
            context = {"agreement": agreement, "report": report, "person": person, "url": url, "kind": kind,
                       "today": today, "days": days}  # fmt: skip
            subject = " ".join(render_to_string("agreements/email/reminder_subject.txt", context).split())
            text = render_to_string("agreements/email/reminder.txt", context)
        messages.append(
            EmailMultiAlternatives(
                subject,
                text,
                settings.DEFAULT_FROM_EMAIL,
                [formataddr((str(person), person.email))],
                headers={"Content-Language": f"{language}-CA"},
            )  # fmt: skip
        )
    return messages


def _remind(agreement, kind: str, key: str, report, today, sent: Sent, outbox: list) -> None:
    reminder, created = Reminder.objects.get_or_create(agreement=agreement, kind=kind, key=key)
    if not created:
        return
    messages = _messages(agreement, kind, report, today)
    reminder.recipients = len(messages)
    reminder.save(update_fields=["recipients"])
    outbox.extend(messages)
    setattr(sent, kind, getattr(sent, kind) + 1)


@transaction.atomic
def send_reminders(today: datetime.date | None = None) -> Sent:
    today = today or timezone.localdate()
    sent, outbox = Sent(), []
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE, end_date__lt=today):
        expire(agreement)
        sent.expired += 1
    active = [Agreement.Status.SIGNED, Agreement.Status.IN_FORCE]
    for agreement in Agreement.objects.filter(status__in=active, end_date__gte=today).iterator():
        if agreement.end_date <= today + datetime.timedelta(days=agreement.reminder_days):
            _remind(agreement, Reminder.Kind.END_APPROACHING, str(agreement.end_date), None, today, sent, outbox)
    reports = Report.objects.filter(
        submitted_on__isnull=True, agreement__status__in=active,
        due_on__lte=today + datetime.timedelta(days=REPORT_NOTICE_DAYS),
    ).select_related("agreement")  # fmt: skip
    for report in reports:
        kind = Reminder.Kind.REPORT_LATE if report.due_on < today else Reminder.Kind.REPORT_DUE
        _remind(report.agreement, kind, f"{report.pk}:{report.due_on}", report, today, sent, outbox)
    sent.messages = len(outbox)
    if outbox:
        # robust: a mail server failure is logged; the reminder rows stay, so nobody gets it twice.
        transaction.on_commit(lambda: get_connection().send_messages(outbox), robust=True)
    return sent
