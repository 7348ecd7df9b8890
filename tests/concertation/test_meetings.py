"""Meetings: scheduling, agenda, convocation (.ics), attendance, decisions, follow-ups, approval of minutes,
exports, calendar page and personal feed, permissions and query counts."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from concertation.actions import instances as instance_actions
from concertation.actions import meetings as actions
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Meeting
from concertation.models.meetings import CalendarFeed
from core.models import AuditEvent
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 14) -> datetime.datetime:
    """A local time `days` from today, at `hour` o'clock."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def meeting_of(instance, days: int, title: str = "Rencontre régulière", **extra) -> Meeting:
    data = {"title": title, "starts_at": at(days), "ends_at": at(days, 16), "location": "Salle du conseil", **extra}
    return actions.schedule_meeting(get_user_model().objects.get(username="admin"), instance, data)


def audit_count(obj) -> int:
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)).count()


@pytest.fixture(autouse=True)
def english(world):
    """Pages in English, the source language, so assertions do not depend on the French catalogue's progress."""
    world.coordinator.__class__.objects.update(language="en")


@pytest.fixture
def local(world, ves):
    """The local action committee with a second member (org B, represented by Bruno, who has no account)."""
    instance_actions.add_membership(
        world.admin,
        ves["local"],
        {"organization": world.org_b, "person": world.person_b, "start_date": datetime.date(2020, 1, 1)},
    )
    return ves["local"]


# Scheduling -------------------------------------------------------------------------------------------


def test_coordinator_schedules_a_meeting_through_the_page(client, world, local):
    client.force_login(world.coordinator)
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("concertation:meeting_create", args=[local.pk]),
        {"title": "Rencontre de mars", "date": day.isoformat(), "start_time": "13:30", "end_time": "15:45",
         "location": "Centre communautaire", "video_url": "https://visio.example.org/cal"},
    )  # fmt: skip
    meeting = Meeting.objects.get(title="Rencontre de mars")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(13, 30)
    assert timezone.localtime(meeting.ends_at).date() == day
    assert meeting.status == Meeting.Status.PLANNED
    assert str(meeting.hours) == "2.25"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(meeting.pk)).exists()
    page = client.get(local.get_absolute_url()).content.decode()
    assert "Rencontre de mars" in page and "Schedule a meeting" in page


@pytest.mark.parametrize("end", ["13:30", "12:00"])
def test_a_meeting_ending_before_or_when_it_starts_is_refused(client, world, local, end):
    client.force_login(world.coordinator)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("concertation:meeting_create", args=[local.pk]),
        {"title": "À l'envers", "date": "2030-03-04", "start_time": "13:30", "end_time": end},
    )
    assert response.status_code == 400
    assert "end_time" in response.context["form"].errors
    page = response.content.decode()
    assert "End time" in page and "must end after it starts" in page
    assert not Meeting.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_action_refuses_an_end_before_the_start_too(world, local):
    with pytest.raises(ValidationError) as error:
        actions.schedule_meeting(world.admin, local, {"title": "X", "starts_at": at(3, 15), "ends_at": at(3, 14)})
    assert "ends_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_agenda_items_are_added_reordered_edited_and_removed(client, world, local):
    meeting = meeting_of(local, 5)
    client.force_login(world.coordinator)
    for title in ("Mot de bienvenue", "Plan d'action", "Varia"):
        client.post(reverse("concertation:agenda_item_add", args=[meeting.pk]), {"agenda-title": title})
    titles = lambda: list(meeting.agenda_items.order_by("order").values_list("order", "title"))  # noqa: E731
    assert titles() == [(1, "Mot de bienvenue"), (2, "Plan d'action"), (3, "Varia")]
    varia = AgendaItem.objects.get(title="Varia")
    client.post(reverse("concertation:agenda_item_move", args=[varia.pk]), {"direction": "up"})
    assert titles() == [(1, "Mot de bienvenue"), (2, "Varia"), (3, "Plan d'action")]
    client.post(
        reverse("concertation:agenda_item_edit", args=[varia.pk]),
        {"title": "Varia et affaires nouvelles", "description": "", "minutes": "Rien à signaler."},
    )
    client.post(reverse("concertation:agenda_item_delete", args=[AgendaItem.objects.get(order=1).pk]))
    assert titles() == [(1, "Varia et affaires nouvelles"), (2, "Plan d'action")]
    assert AgendaItem.objects.get(order=1).minutes == "Rien à signaler."
    assert audit_count(meeting) >= 6


# Convocation ------------------------------------------------------------------------------------------


def parse_invitation(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "invitation.ics"
    assert attachment.mimetype.startswith("text/calendar")
    return Calendar.from_ical(attachment.content)


def test_convocation_emails_each_member_representative_with_an_ics_in_their_language(
    client, world, local, mailoutbox, django_capture_on_commit_callbacks
):
    world.person_a.account = UserFactory(username="alice", language="en")
    world.person_a.save()
    nobody_mail = PersonFactory(first_name="Sans", last_name="Courriel", email="")
    third = OrganizationFactory(name="Maison de la famille du Val", rls=world.rls)
    AffiliationFactory(person=nobody_mail, organization=third)
    instance_actions.add_membership(
        world.admin, local, {"organization": third, "person": nobody_mail, "start_date": datetime.date(2020, 1, 1)}
    )
    meeting = meeting_of(local, 8, video_url="https://visio.example.org/cal")
    for title in ("Mot de bienvenue", "Plan d'action 2025"):
        actions.add_agenda_item(world.admin, meeting, {"title": title})

    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("concertation:meeting_convene", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED and meeting.convened_at is not None

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert len(mailoutbox) == 2, "one e-mail per representative with an address, none for the one without"
    alice = next(m for to, m in by_recipient.items() if world.person_a.email in to)
    bruno = next(m for to, m in by_recipient.items() if world.person_b.email in to)
    assert alice.extra_headers["Content-Language"] == "en-CA"
    assert bruno.extra_headers["Content-Language"] == "fr-CA"
    assert "Convocation" in alice.subject and "Plan d'action 2025" in alice.body
    assert "Comité d'action locale de Saint-Clément" in alice.subject, "plain text, not HTML-escaped"
    html = alice.alternatives[0][0]
    assert 'lang="en-CA"' in html and "Plan d&#x27;action 2025" in html
    assert 'lang="fr-CA"' in bruno.alternatives[0][0]

    calendar = parse_invitation(alice)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0), "DTSTART in UTC"
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["UID"]) == f"meeting-{meeting.pk}@maillage"
    assert str(event["LOCATION"]) == "Salle du conseil"
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert int(event["SEQUENCE"]) == 0
    description = str(event["DESCRIPTION"])
    assert "1. Mot de bienvenue" in description and "2. Plan d'action 2025" in description
    assert world.person_a.email in str(event["ATTENDEE"])


def test_convening_again_after_a_change_sends_an_update(
    client, world, local, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_of(local, 8)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("concertation:meeting_convene", args=[meeting.pk]))
    new_day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=1)
    client.post(
        reverse("concertation:meeting_edit", args=[meeting.pk]),
        {"title": meeting.title, "date": new_day.isoformat(), "start_time": "09:00", "end_time": "11:00",
         "location": "Salle B"},
    )  # fmt: skip
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("concertation:meeting_convene", args=[meeting.pk]))
    assert len(mailoutbox) == 2
    event = parse_invitation(mailoutbox[0]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == f"meeting-{meeting.pk}@maillage"
    assert str(event["LOCATION"]) == "Salle B"
    assert timezone.localtime(event.decoded("DTSTART")).date() == new_day
    assert "mise à jour" in mailoutbox[0].subject  # the recipient has no account: French


def test_no_mail_leaves_before_commit_and_former_members_are_not_convened(world, local, mailoutbox):
    membership = local.memberships.get(organization=world.org_b)
    membership.end_date = datetime.date(2021, 1, 1)
    membership.save()
    meeting = meeting_of(local, 8)
    assert actions.convene_meeting(world.coordinator, meeting) == 1
    assert mailoutbox == [], "sent only after the transaction commits"


def test_cancelling_a_convened_meeting_sends_a_cancellation(
    world, local, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_of(local, 8)
    with django_capture_on_commit_callbacks(execute=True):
        actions.convene_meeting(world.coordinator, meeting)
        actions.set_meeting_status(world.coordinator, meeting, Meeting.Status.CANCELLED)
    cancellation = mailoutbox[-1]
    calendar = parse_invitation(cancellation)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_status_changes_follow_the_life_of_a_meeting(world, local):
    future, past = meeting_of(local, 8), meeting_of(local, -8)
    with pytest.raises(ValidationError, match="once it has started"):
        actions.set_meeting_status(world.coordinator, future, Meeting.Status.HELD)
    with pytest.raises(ValidationError, match="already started"):
        actions.convene_meeting(world.coordinator, past)
    actions.set_meeting_status(world.coordinator, past, Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        actions.set_meeting_status(world.coordinator, past, Meeting.Status.CANCELLED)
    actions.set_meeting_status(world.coordinator, future, Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        actions.add_agenda_item(world.coordinator, future, {"title": "X"})
    actions.set_meeting_status(world.coordinator, future, Meeting.Status.PLANNED)
    statuses = AuditEvent.objects.filter(object_id=str(future.pk), changes__has_key="status").count()
    assert statuses == 2


# Attendance -------------------------------------------------------------------------------------------


def test_attendance_is_taken_for_all_members_at_once(client, world, local):
    meeting = meeting_of(local, -3)
    member_a, member_b = (
        local.memberships.get(organization=world.org_a),
        local.memberships.get(organization=world.org_b),
    )
    substitute = PersonFactory(first_name="Sophie", last_name="Remplaçante")
    AffiliationFactory(person=substitute, organization=world.org_a)
    client.force_login(world.coordinator)
    url = reverse("concertation:meeting_attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Popote roulante du Val" in page and "Sophie Remplaçante" in page
    response = client.post(
        url,
        {f"status_{member_a.pk}": "present", f"substitute_{member_a.pk}": substitute.pk,
         f"status_{member_b.pk}": "excused", f"substitute_{member_b.pk}": ""},
    )  # fmt: skip
    assert response.status_code == 302
    rows = {a.membership_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[member_a.pk].status == "present" and rows[member_a.pk].substitute == substitute
    assert rows[member_a.pk].organization == world.org_a, "denormalised from the membership"
    assert rows[member_b.pk].status == "excused" and rows[member_b.pk].organization == world.org_b

    # A substitute for an absent organisation, or from another organisation, is refused; nothing changes.
    response = client.post(
        url,
        {f"status_{member_a.pk}": "absent", f"substitute_{member_a.pk}": substitute.pk,
         f"status_{member_b.pk}": "present", f"substitute_{member_b.pk}": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "only when the organisation attends" in response.content.decode()
    response = client.post(
        url,
        {f"status_{member_a.pk}": "present", f"substitute_{member_a.pk}": "",
         f"status_{member_b.pk}": "present", f"substitute_{member_b.pk}": substitute.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert Attendance.objects.get(membership=member_a, meeting=meeting).status == "present"
    client.post(url, {f"status_{member_a.pk}": "absent", f"status_{member_b.pk}": "present"})
    assert Attendance.objects.get(membership=member_a, meeting=meeting).status == "absent"
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    history = client.get(reverse("concertation:meeting_history", args=[meeting.pk])).content.decode()
    assert "Popote roulante du Val: Present (Sophie Remplaçante)" in history
    assert "Popote roulante du Val: Absent" in history


# Decisions --------------------------------------------------------------------------------------------


def test_a_vote_is_recorded_with_its_counts_and_dissent(client, world, local):
    meeting = meeting_of(local, -3)
    item = actions.add_agenda_item(world.admin, meeting, {"title": "Priorités 2025"})
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:decision_add", args=[meeting.pk]),
        {"agenda_item": item.pk, "text": "Retenir le transport comme priorité", "mode": "vote",
         "votes_for": "9", "votes_against": "2", "abstentions": "1",
         "dissent": "Le CAB craint pour le maintien à domicile."},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (9, 2, 1)
    assert decision.agenda_item == item and "maintien à domicile" in decision.dissent
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Retenir le transport comme priorité" in page and "maintien à domicile" in page


def test_a_vote_without_its_counts_is_refused(client, world, local):
    meeting = meeting_of(local, -3)
    client.force_login(world.coordinator)
    url = reverse("concertation:decision_add", args=[meeting.pk])
    response = client.post(url, {"text": "Adopter le plan", "mode": "vote", "votes_for": "7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Required for a vote." in page and "Against" in page
    response = client.post(url, {"text": "Adopter le plan", "mode": "consensus", "votes_for": "7"})
    assert "Counts are recorded only for a vote." in response.content.decode()
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError) as error:
        actions.record_decision(world.admin, meeting, {"text": "X", "mode": "vote", "votes_for": 1})
    assert set(error.value.message_dict) == {"votes_against", "abstentions"}


# Follow-ups and approval ------------------------------------------------------------------------------


def test_follow_ups_carry_over_to_later_meetings_until_closed(client, world, local):
    first, second, third = meeting_of(local, -60), meeting_of(local, -30), meeting_of(local, -1)
    client.force_login(world.coordinator)
    client.post(
        reverse("concertation:follow_up_add", args=[first.pk]),
        {"description": "Relancer la municipalité pour le local", "owner_organization": world.org_a.pk,
         "owner_person": world.person_a.pk, "due_date": "2030-01-31", "status": "open"},
    )  # fmt: skip
    follow_up = FollowUp.objects.get()
    assert follow_up.instance == local and follow_up.meeting == first
    for meeting in (second, third):
        assert "Relancer la municipalité" in client.get(meeting.get_absolute_url()).content.decode()

    response = client.post(
        reverse("concertation:follow_up_status", args=[second.pk]), {"follow_up": follow_up.pk, "status": "done"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.closed_in == second
    assert "Relancer la municipalité" in client.get(second.get_absolute_url()).content.decode(), "closed here"
    assert "Relancer la municipalité" not in client.get(third.get_absolute_url()).content.decode()
    assert list(actions.carried_over(third)) == []


def test_minutes_of_the_previous_meeting_are_approved_at_the_next(client, world, local):
    previous, current = meeting_of(local, -30), meeting_of(local, -1)
    actions.set_meeting_status(world.coordinator, previous, Meeting.Status.HELD)
    actions.set_meeting_status(world.coordinator, current, Meeting.Status.HELD)
    client.force_login(world.coordinator)
    assert "Approve these minutes" in client.get(current.get_absolute_url()).content.decode()
    response = client.post(reverse("concertation:meeting_approve_previous", args=[current.pk]))
    assert response.status_code == 302
    previous.refresh_from_db()
    assert previous.status == Meeting.Status.APPROVED
    assert previous.minutes_approved_in == current and previous.minutes_approved_at is not None
    assert AuditEvent.objects.filter(object_id=str(previous.pk), changes__status=["held", "approved"]).exists()
    # Approved minutes are frozen; approving twice is refused.
    with pytest.raises(ValidationError, match="approved"):
        actions.add_agenda_item(world.coordinator, previous, {"title": "Ajout tardif"})
    with pytest.raises(ValidationError, match="already approved"):
        actions.approve_previous_minutes(world.coordinator, current)


# Exports ----------------------------------------------------------------------------------------------


@pytest.fixture
def held_meeting(world, local):
    meeting = meeting_of(local, -2, title="Rencontre de bilan")
    item = actions.add_agenda_item(world.admin, meeting, {"title": "Bilan de l'année"})
    actions.record_minutes(world.admin, meeting, {item.pk: "Les partenaires ont présenté leurs bilans."})
    actions.record_decision(
        world.admin,
        meeting,
        {"agenda_item": item, "text": "Adopter le bilan annuel", "mode": "vote", "votes_for": 8, "votes_against": 1,
         "abstentions": 0, "dissent": "Un membre juge le bilan incomplet."},
    )  # fmt: skip
    member = local.memberships.get(organization=world.org_a)
    actions.record_attendance(world.admin, meeting, [(member, "present", None)])
    actions.add_follow_up(world.admin, meeting, {"description": "Diffuser le bilan", "owner_organization": world.org_a})
    return meeting


def test_minutes_export_to_pdf(client, world, held_meeting):
    client.force_login(world.rep_a)
    response = client.get(reverse("concertation:meeting_pdf", args=[held_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_minutes_export_to_docx(client, world, held_meeting):
    from docx import Document

    client.force_login(world.coordinator)
    response = client.get(reverse("concertation:meeting_docx", args=[held_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and ".docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Adopter le bilan annuel" in text and "8 for, 1 against, 0 abstentions" in text
    assert "Un membre juge le bilan incomplet." in text
    assert "Les partenaires ont présenté leurs bilans." in text
    assert "Popote roulante du Val" in cells and "Diffuser le bilan" in cells


def test_exports_are_refused_to_whoever_may_not_see_the_instance(client, world, held_meeting):
    client.force_login(world.other_coordinator)
    for name in ("meeting_pdf", "meeting_docx", "meeting_ics", "meeting_detail"):
        assert client.get(reverse(f"concertation:{name}", args=[held_meeting.pk])).status_code == 404


# Calendar page and personal feed ----------------------------------------------------------------------


def test_calendar_page_shows_the_month_with_navigation(client, world, local, ves):
    meeting = meeting_of(local, 0, title="Rencontre du mois")
    hidden = meeting_of(ves["coordination"], 0, title="Comité de coordination du mois")
    month = timezone.localdate().strftime("%Y-%m")
    client.force_login(world.rep_a)
    page = client.get(reverse("concertation:calendar"), {"month": month}).content.decode()
    assert meeting.get_absolute_url() in page
    assert hidden.get_absolute_url() not in page, "rep A's organisation does not sit on the coordination committee"
    assert 'rel="prev"' in page and 'rel="next"' in page and "<table" in page
    next_month = re.search(r'href="\?month=([0-9-]+)" rel="next"', page).group(1)
    assert (
        meeting.get_absolute_url()
        not in client.get(reverse("concertation:calendar"), {"month": next_month}).content.decode()
    )
    assert client.get(reverse("concertation:calendar"), {"month": "nonsense"}).status_code == 200


def test_personal_feed_works_without_a_session_and_a_new_key_revokes_the_old(client, world, local):
    meeting = meeting_of(local, 4, title="Rencontre abonnée")
    client.force_login(world.rep_a)
    client.post(reverse("concertation:calendar_feed_issue"))
    page = client.get(reverse("concertation:calendar")).content.decode()
    first_url = re.search(r'id="feed-url" readonly value="([^"]+)"', page).group(1)
    assert first_url not in client.get(reverse("concertation:calendar")).content.decode(), "shown once"
    feed = CalendarFeed.objects.get(user=world.rep_a)
    assert first_url.rsplit("/", 1)[1].removesuffix(".ics") not in feed.digest, "only the digest is stored"

    client.logout()
    response = client.get(first_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{meeting.pk}@maillage"]
    assert client.get(reverse("concertation:calendar_feed", args=["not-the-key"])).status_code == 404

    client.force_login(world.rep_a)
    client.post(reverse("concertation:calendar_feed_issue"))
    page = client.get(reverse("concertation:calendar")).content.decode()
    second_url = re.search(r'id="feed-url" readonly value="([^"]+)"', page).group(1)
    client.logout()
    assert client.get(first_url).status_code == 404
    assert client.get(second_url).status_code == 200

    client.force_login(world.rep_a)
    client.post(reverse("concertation:calendar_feed_revoke"))
    client.logout()
    assert client.get(second_url).status_code == 404


def test_feed_lists_the_meetings_where_the_users_person_sits(client, world, local):
    """A person with an account but no role still follows the meetings where they represent their organisation."""
    account = UserFactory(username="alice")
    world.person_a.account = account
    world.person_a.save()
    meeting = meeting_of(local, 4)
    _feed, key = CalendarFeed.issue(account)
    events = Calendar.from_ical(client.get(reverse("concertation:calendar_feed", args=[key])).content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{meeting.pk}@maillage"]


# Permissions ------------------------------------------------------------------------------------------


def test_members_see_meetings_but_only_coordinators_write(client, world, local, mailoutbox):
    meeting = meeting_of(local, 5)
    item = actions.add_agenda_item(world.admin, meeting, {"title": "Point"})
    client.force_login(world.rep_a)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200 and "Send the convocation" not in page.content.decode()
    assert "Schedule a meeting" not in client.get(local.get_absolute_url()).content.decode()
    writes = [
        ("meeting_create", local.pk), ("meeting_edit", meeting.pk), ("meeting_convene", meeting.pk),
        ("meeting_set_status", meeting.pk), ("agenda_item_add", meeting.pk), ("meeting_attendance", meeting.pk),
        ("decision_add", meeting.pk), ("follow_up_add", meeting.pk), ("meeting_minutes", meeting.pk),
        ("agenda_item_edit", item.pk), ("agenda_item_delete", item.pk), ("meeting_approve_previous", meeting.pk),
    ]  # fmt: skip
    for name, pk in writes:
        response = client.post(reverse(f"concertation:{name}", args=[pk]), {"title": "Piraté", "status": "cancelled"})
        assert response.status_code == 403, name
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.agenda_items.count() == 1 and not mailoutbox


def test_a_non_member_gets_404_on_a_private_instance(client, world, local):
    meeting = meeting_of(local, 5)
    item = actions.add_agenda_item(world.admin, meeting, {"title": "Point"})
    client.force_login(world.rep_b)  # org B sits on the coordination committee, not on this local committee...
    local.memberships.filter(organization=world.org_b).delete()  # ...once its seat here is gone
    assert client.get(meeting.get_absolute_url()).status_code == 404
    for name, pk in [("meeting_convene", meeting.pk), ("agenda_item_edit", item.pk), ("meeting_create", local.pk)]:
        assert client.post(reverse(f"concertation:{name}", args=[pk])).status_code == 404, name
    client.force_login(world.other_coordinator)
    assert client.get(meeting.get_absolute_url()).status_code == 404


# Query counts -----------------------------------------------------------------------------------------


def fill(world, meeting, first: int, last: int) -> None:
    """Agenda items, decisions, attendances (with substitutes) and follow-ups numbered first..last-1."""
    for i in range(first, last):
        item = actions.add_agenda_item(world.admin, meeting, {"title": f"Point {i}"})
        actions.record_decision(
            world.admin, meeting, {"agenda_item": item, "text": f"Décision {i}", "mode": "consensus"}
        )
        org = world.org_a.__class__.objects.create(name=f"Organisme {i}", sector="community", rls=world.rls)
        person = PersonFactory()
        AffiliationFactory(person=person, organization=org)
        membership = instance_actions.add_membership(
            world.admin,
            meeting.instance,
            {"organization": org, "person": person, "start_date": datetime.date(2020, 1, 1)},
        )
        actions.record_attendance(world.admin, meeting, [(membership, "present", person)])
        actions.add_follow_up(world.admin, meeting, {"description": f"Suivi {i}", "owner_organization": org})


def test_meeting_page_queries_do_not_grow_with_its_size(client, world, local, django_assert_max_num_queries):
    earlier = meeting_of(local, -40)
    actions.add_follow_up(world.admin, earlier, {"description": "Suivi reporté", "owner_person": world.person_a})
    meeting = meeting_of(local, -1)
    client.force_login(world.coordinator)
    fill(world, meeting, 0, 2)
    with django_assert_max_num_queries(12) as small:
        client.get(meeting.get_absolute_url())
    fill(world, meeting, 2, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(meeting.get_absolute_url())
    page = response.content.decode()
    assert all(f"Suivi {i}<" in page and f"Décision {i}" in page for i in range(20)) and "Suivi reporté" in page


def test_instance_section_is_bounded(client, world, local, django_assert_max_num_queries):
    for days in range(-10, 10):
        meeting_of(local, days * 7)
    client.force_login(world.coordinator)
    page = client.get(local.get_absolute_url()).content.decode()
    assert page.count('href="/concertation/meetings/') == 2 * 5
