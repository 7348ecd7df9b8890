"""Survey links by e-mail through the background tasks (run at once in tests: tests/conftest.py): one personal
link per member in their language, nothing sent twice, reminders to the unused links only, links of a campaign
launched ahead of time sent on its opening day, and a refused address retried a bounded number of times."""

import datetime
import io
import re
import smtplib
from urllib.parse import urlsplit

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import formats, timezone, translation

from evaluation import links, tasks
from evaluation.actions import campaigns as actions
from evaluation.models import Campaign, Invitation
from tests.factories import UserFactory

LINK = re.compile(r"https?://\S+/evaluation/r/\S+/")
ANONYMOUS = (
    "Your answers are anonymous: they are kept without any link to you, not even by the platform. Results are shown "
    "only for groups of enough people."
)
CONFIDENTIAL = (
    "Your answers are confidential: the platform keeps the link between your answers and your personal link so you "
    "can correct them until the survey closes, and results are shown only for groups of enough people."
)


def in_language(language: str, message: str) -> str:
    """The sentence as the catalogue gives it in that language (English until the French is added)."""
    with translation.override(language):
        return translation.gettext(message)


def launch(world, assembly, instrument, capture, opens_on=None, **extra) -> Campaign:
    opens_on = opens_on or timezone.localdate()
    data = {"title": "Bilan de l’assemblée", "instrument": instrument, "instances": [assembly.instance],
            "opens_on": opens_on, "closes_on": opens_on + datetime.timedelta(days=14), **extra}  # fmt: skip
    with capture(execute=True):
        return actions.create_campaign(world.coordinator, data)


def link_in(message) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


def token_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]


class RefusingBackend(EmailBackend):
    """A mail server that refuses the addresses in `refused` and counts every try."""

    refused: set[str] = set()
    tries: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0].rsplit("<", 1)[-1].rstrip(">")
            self.tries.append(address)
            if address in self.refused:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"No such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def refusing_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused, RefusingBackend.tries = set(), []
    return RefusingBackend


@pytest.fixture
def on_day(monkeypatch):
    """Move the platform's today (timezone.localdate without argument) to the given day."""
    real = timezone.localdate

    def move(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else day)

    return move


def test_launch_mails_each_member_a_working_personal_link_in_their_language(
    client, world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks
):
    english = assembly.members[0][1]
    english.account = UserFactory(language="en")
    english.save()

    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == len(assembly.members) == 8
    by_address = {message.to[0].rsplit("<", 1)[-1].rstrip(">"): message for message in mailoutbox}
    closes = campaign.closes_on
    for _, person in assembly.members:
        message = by_address[person.email]
        language = "en" if person == english else "fr"
        url = link_in(message)
        invitation = links.find_invitation(token_of(url))
        assert invitation is not None and invitation.person == person and invitation.campaign == campaign
        assert message.extra_headers["Content-Language"] == f"{language}-CA"
        assert in_language(language, "Hello %(name)s,") % {"name": person.first_name} in message.body
        with translation.override(language):
            assert formats.date_format(closes, "DATE_FORMAT") in message.body, "closing date in their language"
        assert campaign.title in message.subject and assembly.instance.name in message.body
    assert "Bonjour" in by_address[assembly.members[1][1].email].body
    assert "Hello" in by_address[english.email].body
    page = client.get(urlsplit(link_in(by_address[english.email])).path)
    assert page.status_code == 200 and campaign.title in page.content.decode(), "the link opens the questionnaire"
    assert set(Invitation.objects.values_list("sent_on", flat=True)) == {timezone.localdate()}


def test_running_the_task_again_sends_nothing_new(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks
):
    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 8

    result = tasks.send_campaign_mail.enqueue(campaign.pk, False)

    assert result.status == "SUCCESSFUL" and result.return_value == 0
    assert len(mailoutbox) == 8


def test_reminders_go_to_unused_links_only_and_repeat_the_same_link(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks
):
    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)
    first = {message.to[0]: link_in(message) for message in mailoutbox}
    answered = [person for _, person in assembly.members[:3]]
    Invitation.objects.filter(campaign=campaign, person__in=answered).update(used=True)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_reminders(world.coordinator, campaign) == 5

    reminded = {message.to[0]: link_in(message) for message in mailoutbox}
    assert len(mailoutbox) == 5
    assert all(person.email not in address for person in answered for address in reminded)
    assert all(reminded[address] == first[address] for address in reminded), "the same personal link"
    counts = dict(Invitation.objects.values_list("person__email", "reminders"))
    assert {counts[person.email] for person in answered} == {0}
    assert sorted(counts.values()) == [0, 0, 0, 1, 1, 1, 1, 1]
    assert in_language("fr", "Reminder: questionnaire “%(title)s”") % {"title": campaign.title} == mailoutbox[0].subject


@pytest.mark.parametrize(("privacy", "sentence"), [("anonymous", ANONYMOUS), ("confidential", CONFIDENTIAL)])
def test_the_mail_says_whether_answers_are_anonymous_or_confidential(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks, privacy, sentence
):
    launch(world, assembly, instrument, django_capture_on_commit_callbacks, privacy=privacy)

    other = CONFIDENTIAL if sentence == ANONYMOUS else ANONYMOUS
    assert all(in_language("fr", sentence) in message.body for message in mailoutbox)
    assert not any(in_language("fr", other) in message.body for message in mailoutbox)


def test_a_campaign_opening_tomorrow_sends_its_links_on_that_day(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks, on_day
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks, opens_on=tomorrow)
    assert mailoutbox == []
    assert tasks.send_due_links.enqueue().return_value == 0
    tasks.send_campaign_mail.enqueue(campaign.pk, False)
    assert mailoutbox == [], "not before its opening day"

    on_day(tomorrow)
    out = io.StringIO()
    call_command("send_survey_links", stdout=out)

    assert len(mailoutbox) == 8
    with translation.override("fr"):  # commands speak the platform's first language
        said = translation.ngettext(
            "Survey links queued for %(count)s campaign opening today.",
            "Survey links queued for %(count)s campaigns opening today.",
            1,
        ) % {"count": 1}
    assert said in out.getvalue()
    assert set(Invitation.objects.values_list("sent_on", flat=True)) == {tomorrow}
    call_command("send_survey_links", stdout=io.StringIO())
    assert len(mailoutbox) == 8, "the daily command run twice sends nothing twice"


def test_a_refused_address_is_retried_three_times_without_resending_the_others(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks, refusing_server
):
    refused = assembly.members[2][1]
    refusing_server.refused = {refused.email}

    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 7, "the others are not held back"
    assert refusing_server.tries.count(refused.email) == tasks.MAX_ATTEMPTS == 3
    assert len(refusing_server.tries) == 7 + 3, "each retry tries the refused address alone"
    assert Invitation.objects.get(campaign=campaign, person=refused).sent_on is None

    refusing_server.refused = set()
    result = tasks.send_campaign_mail.enqueue(campaign.pk, False)
    assert result.return_value == 1 and refused.email in mailoutbox[-1].to[0]


def test_the_last_attempt_is_recorded_as_failed_and_enqueues_no_other(
    world, assembly, instrument, django_capture_on_commit_callbacks, refusing_server
):
    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)
    refusing_server.refused, refusing_server.tries = {assembly.members[0][1].email}, []
    Invitation.objects.filter(campaign=campaign).update(sent_on=None)

    result = tasks.send_campaign_mail.enqueue(campaign.pk, False, attempt=tasks.MAX_ATTEMPTS)

    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "evaluation.mail.MailNotSent"
    assert len(refusing_server.tries) == 8, "one run, no further attempt"


def test_a_retried_reminder_does_not_remind_twice(
    world, assembly, instrument, mailoutbox, django_capture_on_commit_callbacks, refusing_server
):
    campaign = launch(world, assembly, instrument, django_capture_on_commit_callbacks)
    refused = assembly.members[0][1]
    refusing_server.refused = {refused.email}
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_reminders(world.coordinator, campaign)

    assert len(mailoutbox) == 7
    counts = dict(Invitation.objects.values_list("person__email", "reminders"))
    assert counts.pop(refused.email) == 0
    assert set(counts.values()) == {1}, "the retries reminded only the refused address"
