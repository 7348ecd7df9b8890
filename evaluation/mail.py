"""Survey links by e-mail: one message per invitation, in the recipient's language, with their personal link.

Sent by a background task (evaluation.tasks) once the launch has committed. Each invitation records the day its
link first left and how many reminders followed, as soon as its own message has left, so running the same job
again (a retry, the daily command) sends nobody the same message twice."""

import logging
import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Max, QuerySet, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from core.mail import absolute_url, recipient_language
from evaluation import links
from evaluation.models import Campaign, Invitation

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused some links; the others left and are recorded, so a retry sends only these."""


def respond_path(token: str) -> str:
    return reverse("evaluation:respond", args=[token])


def next_reminder_round(campaign: Campaign) -> int:
    """The reminder a new run sends: one more than the most any unused link has had. A retry of the same run keeps
    its round, so the people it already reached are not reminded twice."""
    latest = campaign.invitations.filter(used=False).aggregate(latest=Max("reminders"))["latest"]
    return (latest or 0) + 1


def due_invitations(campaign: Campaign, reminder: bool, reminder_round: int) -> QuerySet[Invitation]:
    invitations = campaign.invitations.select_related("person__account").order_by("pk")
    if reminder:
        return invitations.filter(used=False, reminders__lt=reminder_round)
    return invitations.filter(sent_on__isnull=True)


def _recipient(person) -> str:
    try:
        return formataddr((str(person), person.email))
    except UnicodeEncodeError:  # formataddr cannot quote an address with accents in it; Django's mail can
        return person.email


def build_message(invitation: Invitation, reminder: bool, instance_names: list[str]) -> EmailMessage:
    person = invitation.person
    language = recipient_language(person)
    campaign = invitation.campaign
    with translation.override(language):
        context = {
            "person": person,
            "campaign": campaign,
            "instances": get_text_list(instance_names, _("and")),
            "instance_count": len(instance_names),
            "anonymous": campaign.privacy == Campaign.Privacy.ANONYMOUS,
            "url": absolute_url(respond_path(links.token_for(invitation))),
        }
        if reminder:
            subject = _("Reminder: questionnaire “%(title)s”") % {"title": campaign.title}
        else:
            subject = _("Questionnaire: “%(title)s”") % {"title": campaign.title}
        template = "evaluation/mail/reminder.txt" if reminder else "evaluation/mail/invitation.txt"
        body = render_to_string(template, context)
    return EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [_recipient(person)],
        headers={"Content-Language": f"{language}-CA"},
    )  # fmt: skip


def _record(invitation: Invitation, reminder: bool) -> None:
    today = timezone.localdate()
    sent = Invitation.objects.filter(pk=invitation.pk)
    if reminder:
        sent.update(reminders=F("reminders") + 1, sent_on=Coalesce(F("sent_on"), Value(today)))
    else:
        sent.filter(sent_on__isnull=True).update(sent_on=today)


def send_campaign_links(campaign: Campaign, reminder: bool, reminder_round: int | None = None) -> int:
    """Mail the links still due (the first mail, or a reminder to the unused links) and return how many left.

    One refused address does not hold back the others: every message is tried, then MailNotSent is raised if any
    was refused, so the task fails and is retried for those alone. A server that cannot be reached raises at once.
    """
    if reminder and reminder_round is None:
        reminder_round = next_reminder_round(campaign)
    instance_names = [instance.name for instance in campaign.instances.order_by("name")]
    sent, refused = 0, 0
    with get_connection() as connection:
        for invitation in due_invitations(campaign, reminder, reminder_round or 0):
            invitation.campaign = campaign
            message = build_message(invitation, reminder, instance_names)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                # The invitation's id and the kind of error only: the server's message names the address, and the
                # log is no place for who was invited to a survey.
                logger.warning("Survey link of invitation %s not sent: %s", invitation.pk, type(error).__name__)
                refused += 1
                continue
            _record(invitation, reminder)
            sent += 1
    if refused:
        raise MailNotSent(f"campaign {campaign.pk}: {refused} of {sent + refused} links refused by the mail server")
    return sent
