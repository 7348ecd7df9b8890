"""Meetings: scheduling, agenda, convocation, attendance, minutes, decisions, follow-ups and approval.

Every function here is atomic and audited; e-mail leaves only after the transaction commits.
"""

import datetime
import logging
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concertation import calendar as meeting_calendar
from concertation import rules as scope
from concertation.actions.common import apply
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Instance, Meeting, Membership
from core import audit, guard
from core.errors import Conflict
from core.mail import absolute_url, recipient_language, send_after_commit
from core.models import AuditEvent
from registry.models import Person

logger = logging.getLogger(__name__)

MEETING_FIELDS = ["title", "starts_at", "ends_at", "location", "video_url"]
DECISION_FIELDS = ["agenda_item", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"]
FOLLOW_UP_FIELDS = ["description", "agenda_item", "owner_organization", "owner_person", "due_date", "status"]
VOTE_COUNTS = ("votes_for", "votes_against", "abstentions")
CLOSED = (FollowUp.Status.DONE, FollowUp.Status.CANCELLED)
# Which status each change may come from; "approved" is reached only by approving the minutes at a later meeting.
TRANSITIONS: dict[str, set[str]] = {
    Meeting.Status.HELD: {Meeting.Status.PLANNED, Meeting.Status.CONVENED},
    Meeting.Status.CANCELLED: {Meeting.Status.PLANNED, Meeting.Status.CONVENED},
    Meeting.Status.PLANNED: {Meeting.Status.CANCELLED},
}


def _require(acting_user, meeting: Meeting) -> None:
    guard.require(acting_user, "concertation.change_instance", meeting.instance)


def check_editable(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.APPROVED:
        raise Conflict(_("The minutes of this meeting are approved: they can no longer be changed."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict(_("This meeting is cancelled: reinstate it first."))


MAX_LENGTH = datetime.timedelta(hours=24)  # and Meeting.hours (5 digits, 2 decimals) holds it


def _check_times(meeting: Meeting) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if meeting.starts_at and meeting.ends_at and meeting.ends_at - meeting.starts_at > MAX_LENGTH:
        raise ValidationError(
            {"ends_at": _("A meeting lasts at most 24 hours: schedule a longer event as several meetings.")}
        )


# Meetings -----------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(acting_user, instance: Instance, data: dict[str, Any]) -> Meeting:
    guard.require(acting_user, "concertation.change_instance", instance)
    meeting = Meeting(instance=instance)
    apply(meeting, MEETING_FIELDS, data)
    _check_times(meeting)
    meeting.full_clean()
    meeting.save()
    after = audit.snapshot(meeting, MEETING_FIELDS)
    audit.record(acting_user, AuditEvent.Action.CREATE, meeting, audit.diff({}, after))
    return meeting


@transaction.atomic
def update_meeting(acting_user, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    _require(acting_user, meeting)
    check_editable(meeting)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    apply(meeting, MEETING_FIELDS, data)
    _check_times(meeting)
    meeting.full_clean()
    meeting.save()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, changes)
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked until commit, so two coordinators cannot convene or approve it twice at once."""
    return Meeting.objects.select_for_update().select_related("instance").get(pk=meeting.pk)


def _set_status(acting_user, meeting: Meeting, status: str, **extra) -> None:
    before = {"status": meeting.status, **{k: audit.jsonable(getattr(meeting, k)) for k in extra}}
    meeting.status = status
    for name, value in extra.items():
        setattr(meeting, name, value)
    meeting.save()
    after = {"status": status, **{k: audit.jsonable(v) for k, v in extra.items()}}
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, audit.diff(before, after))


@transaction.atomic
def convene_meeting(acting_user, meeting: Meeting) -> int:
    """E-mail the convocation (agenda and .ics) to every member representative; again after a change, as an update.

    Returns the number of e-mails that will leave once the transaction commits."""
    _require(acting_user, meeting)
    meeting = _locked(meeting)
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.CONVENED):
        raise Conflict(_("Only a planned or convened meeting can be convened."))
    if meeting.starts_at <= timezone.now():
        raise Conflict(_("This meeting has already started: it can no longer be convened."))
    update = meeting.convened_at is not None
    extra: dict[str, Any] = {"sequence": meeting.sequence + 1} if update else {"convened_at": timezone.now()}
    _set_status(acting_user, meeting, Meeting.Status.CONVENED, **extra)
    return _send_to_members(meeting, "convocation", update=update)


@transaction.atomic
def set_meeting_status(acting_user, meeting: Meeting, status: str) -> Meeting:
    """Held, cancelled, or back to planned (a cancelled meeting reinstated); a convened meeting's cancellation is
    e-mailed to the members with a METHOD:CANCEL invitation."""
    _require(acting_user, meeting)
    meeting = _locked(meeting)
    if meeting.status == status:
        # Two coordinators on the same page: the second one learns the first was quicker.
        raise Conflict(_("This meeting is already “%(status)s”.") % {"status": meeting.get_status_display()})
    if status not in TRANSITIONS or meeting.status not in TRANSITIONS[status]:
        raise Conflict(
            _("A meeting cannot go from “%(old)s” to “%(new)s”.")
            % {"old": meeting.get_status_display(), "new": Meeting.Status(status).label}
        )
    if status == Meeting.Status.HELD and meeting.starts_at > timezone.now():
        raise Conflict(_("A meeting can be marked as held only once it has started."))
    was_convened = meeting.status == Meeting.Status.CONVENED
    extra = {"sequence": meeting.sequence + 1} if status == Meeting.Status.CANCELLED and was_convened else {}
    _set_status(acting_user, meeting, status, **extra)
    if extra:
        _send_to_members(meeting, "cancellation", update=True)
    return meeting


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The instance's last meeting held before this one (whose minutes this meeting approves)."""
    return (
        Meeting.objects.filter(
            instance_id=meeting.instance_id,
            starts_at__lt=meeting.starts_at,
            status__in=(Meeting.Status.HELD, Meeting.Status.APPROVED),
        )
        .order_by("-starts_at")
        .first()
    )


@transaction.atomic
def approve_previous_minutes(acting_user, meeting: Meeting) -> Meeting:
    _require(acting_user, meeting)
    meeting = _locked(meeting)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.PLANNED) or meeting.starts_at > timezone.now():
        raise Conflict(_("Minutes are approved during a convened or held meeting that has started."))
    previous = previous_meeting(meeting)
    if previous is None:
        raise Conflict(_("There is no earlier held meeting whose minutes could be approved."))
    if previous.status == Meeting.Status.APPROVED:
        raise Conflict(_("The minutes of the previous meeting are already approved."))
    previous = _locked(previous)
    now = timezone.now()
    _set_status(acting_user, previous, Meeting.Status.APPROVED, minutes_approved_at=now, minutes_approved_in=meeting)
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, {"approved_minutes": [None, str(previous)]})
    return previous


# Convocation e-mail -------------------------------------------------------------------------------


def convocation_recipients(meeting: Meeting) -> list[Person]:
    """The current representatives (membership active on the meeting's date) who have an e-mail, once each."""
    day = timezone.localdate(meeting.starts_at)
    memberships = (
        meeting.instance.memberships.active_on(day)
        .filter(person__isnull=False, person__archived_at__isnull=True)
        .exclude(person__email="")
        .select_related("person__account")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    people: dict[str, Person] = {}
    for membership in memberships:
        people.setdefault(membership.person.email.lower(), membership.person)
    return list(people.values())


def _message(meeting: Meeting, items: list[AgendaItem], person: Person, kind: str, update: bool, url: str):
    language = recipient_language(person)
    with translation.override(language):
        context = {"meeting": meeting, "instance": meeting.instance, "items": items, "person": person,
                   "update": update, "url": url, "language": language}  # fmt: skip
        subject = " ".join(render_to_string(f"concertation/email/{kind}_subject.txt", context).split())
        text = render_to_string(f"concertation/email/{kind}.txt", context)
        html = render_to_string(f"concertation/email/{kind}.html", context)
        ics = meeting_calendar.invitation(
            meeting, items, url=url, attendee_email=person.email, attendee_name=str(person)
        )
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [formataddr((str(person), person.email))],
        headers={"Content-Language": f"{language}-CA"},
    )
    message.attach_alternative(html, "text/html")
    method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
    message.attach("invitation.ics", ics.decode(), f"text/calendar; method={method}")
    return message


def _send_to_members(meeting: Meeting, kind: str, update: bool) -> int:
    items = list(meeting.agenda_items.order_by("order"))
    url = absolute_url(meeting.get_absolute_url())
    # A mail server failure is logged; the meeting stays convened and can be convened again.
    return send_after_commit(
        [_message(meeting, items, person, kind, update, url) for person in convocation_recipients(meeting)]
    )


# Agenda and minutes -------------------------------------------------------------------------------


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.agenda_items.order_by("order"), start=1):
        if item.order != position:
            AgendaItem.objects.filter(pk=item.pk).update(order=position)


@transaction.atomic
def add_agenda_item(acting_user, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    _require(acting_user, meeting)
    meeting = _locked(meeting)
    check_editable(meeting)
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(meeting=meeting, order=last + 1)
    apply(item, ["title", "description"], data)
    item.full_clean()
    item.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, {"agenda": [None, str(item)]})
    return item


@transaction.atomic
def update_agenda_item(acting_user, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    _require(acting_user, item.meeting)
    check_editable(item.meeting)
    before = audit.snapshot(item, ["title", "description", "minutes"])
    apply(item, ["title", "description", "minutes"], data)
    item.full_clean()
    item.save()
    after = audit.snapshot(item, ["title", "description", "minutes"])
    if after != before:
        changes = {
            "agenda": [f"{item.order}. {before['title']}", str(item)],
            **{name: [f"{item.order}. {before[name]}", f"{item.order}. {after[name]}"]
               for name in ("description", "minutes") if before[name] != after[name]},
        }  # fmt: skip
        audit.record(acting_user, AuditEvent.Action.UPDATE, item.meeting, changes)
    return item


@transaction.atomic
def move_agenda_item(acting_user, item: AgendaItem, direction: str) -> AgendaItem:
    _require(acting_user, item.meeting)
    meeting = _locked(item.meeting)
    check_editable(meeting)
    siblings = list(meeting.agenda_items.order_by("order"))
    index = next(i for i, other in enumerate(siblings) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return item
    other = siblings[target]
    old, new = siblings[index].order, other.order
    # Three steps because (meeting, order) is unique: park the item on 0 while the other takes its place.
    AgendaItem.objects.filter(pk=item.pk).update(order=0)
    AgendaItem.objects.filter(pk=other.pk).update(order=old)
    AgendaItem.objects.filter(pk=item.pk).update(order=new)
    item.order = new
    changes = {"agenda_order": [f"{old}. {item.title}", f"{new}. {item.title}"]}
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, changes)
    return item


@transaction.atomic
def remove_agenda_item(acting_user, item: AgendaItem) -> None:
    _require(acting_user, item.meeting)
    meeting = _locked(item.meeting)
    check_editable(meeting)
    label = str(item)
    item.delete()
    _renumber(meeting)
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, {"agenda": [label, None]})


@transaction.atomic
def record_minutes(acting_user, meeting: Meeting, minutes: dict[int, str]) -> None:
    """Agenda item id → its minutes; ids of other meetings' items are refused."""
    _require(acting_user, meeting)
    check_editable(meeting)
    if set(minutes) - set(meeting.agenda_items.values_list("pk", flat=True)):
        raise ValidationError({"minutes": _("Choose an item of this meeting's agenda.")})
    for item in meeting.agenda_items.filter(pk__in=minutes).order_by("order"):
        if item.minutes != minutes[item.pk]:
            # One event per item: the history shows which item's minutes changed, before and after.
            changes = {"minutes": [f"{item}: {item.minutes}", f"{item}: {minutes[item.pk]}"]}
            item.minutes = minutes[item.pk]
            item.save(update_fields=["minutes"])
            audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, changes)


# Attendance ---------------------------------------------------------------------------------------


def attendance_memberships(meeting: Meeting) -> list[Membership]:
    """The memberships whose attendance is taken: active on the meeting's date, plus any already recorded."""
    day = timezone.localdate(meeting.starts_at)
    recorded = meeting.attendances.values("membership_id")
    active = meeting.instance.memberships.active_on(day)
    return list(
        Membership.objects.filter(Q(pk__in=active.values("pk")) | Q(pk__in=recorded))
        .select_related("organization", "person")
        .order_by("organization__name", "person__last_name", "person__first_name", "pk")
    )


@transaction.atomic
def record_attendance(acting_user, meeting: Meeting, rows: list[tuple[Membership, str, Person | None]]) -> None:
    """One row per membership: its status and, when the organisation attended through someone else, the
    substitute (a person affiliated with the organisation)."""
    _require(acting_user, meeting)
    check_editable(meeting)
    guard.within(Membership.objects.filter(pk__in=[m.pk for m in attendance_memberships(meeting)]),
                 [m for m, _status, _sub in rows], "membership")  # fmt: skip
    if any(substitute is not None and status != Attendance.Status.PRESENT for _m, status, substitute in rows):
        raise ValidationError({"substitute": _("A substitute is recorded only when the organisation attends.")})
    for membership, _status, substitute in rows:
        if membership.organization_id is None:
            if substitute is not None:
                raise ValidationError({"substitute": _("A citizen sits in person: nobody replaces them.")})
            continue
        guard.within(scope.people_affiliated_with(membership.organization), substitute, "substitute")
    existing = {a.membership_id: a for a in meeting.attendances.all()}
    new, changed, before, after = [], [], [], []
    for membership, status, substitute in rows:
        row = existing.get(membership.pk)
        substitute_id = substitute.pk if substitute else None
        label = membership.seat_label
        if row is None:
            new.append(Attendance(meeting=meeting, membership=membership, organization_id=membership.organization_id,
                                  status=status, substitute_id=substitute_id))  # fmt: skip
            after.append(f"{label}: {_status_label(status, substitute)}")
        elif (row.status, row.substitute_id) != (status, substitute_id):
            before.append(f"{label}: {_status_label(row.status, row.substitute)}")
            after.append(f"{label}: {_status_label(status, substitute)}")
            row.status, row.substitute_id = status, substitute_id
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "substitute"])
    if after:
        changes = {"attendance": ["; ".join(before) or None, "; ".join(after)]}
        audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, changes)


def _status_label(status: str, substitute: Person | None) -> str:
    label = str(Attendance.Status(status).label)
    return f"{label} ({substitute})" if substitute else label


# Decisions ----------------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    item = decision.agenda_item
    if item is not None and item.meeting_id != decision.meeting_id:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    counts = {name: getattr(decision, name) for name in VOTE_COUNTS}
    if decision.mode == Decision.Mode.VOTE:
        missing = {name: _("Required for a vote.") for name, value in counts.items() if value is None}
        if missing:
            raise ValidationError(missing)
    else:
        extra = {name: _("Counts are recorded only for a vote.") for name, value in counts.items() if value is not None}
        if extra:
            raise ValidationError(extra)
    decision.full_clean()


def _decision_label(decision: Decision) -> str:
    mode = str(decision.get_mode_display())
    if decision.mode == Decision.Mode.VOTE:
        mode += f" {decision.votes_for}/{decision.votes_against}/{decision.abstentions}"
    dissent = f" — {_('dissent')}: {decision.dissent}" if decision.dissent else ""
    return f"{decision.text} ({mode}){dissent}"


@transaction.atomic
def record_decision(acting_user, meeting: Meeting, data: dict[str, Any]) -> Decision:
    _require(acting_user, meeting)
    check_editable(meeting)
    decision = Decision(meeting=meeting)
    apply(decision, DECISION_FIELDS, data)
    _check_decision(decision)
    decision.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, {"decision": [None, _decision_label(decision)]})
    return decision


@transaction.atomic
def update_decision(acting_user, decision: Decision, data: dict[str, Any]) -> Decision:
    _require(acting_user, decision.meeting)
    check_editable(decision.meeting)
    before = _decision_label(decision)
    apply(decision, DECISION_FIELDS, data)
    _check_decision(decision)
    decision.save()
    if _decision_label(decision) != before:
        changes = {"decision": [before, _decision_label(decision)]}
        audit.record(acting_user, AuditEvent.Action.UPDATE, decision.meeting, changes)
    return decision


@transaction.atomic
def delete_decision(acting_user, decision: Decision) -> None:
    _require(acting_user, decision.meeting)
    check_editable(decision.meeting)
    label = _decision_label(decision)
    decision.delete()
    audit.record(acting_user, AuditEvent.Action.UPDATE, decision.meeting, {"decision": [label, None]})


# Follow-up items ----------------------------------------------------------------------------------


def carried_over(meeting: Meeting):
    """Follow-ups from the instance's earlier meetings still open at this meeting (or closed at it)."""
    earlier = FollowUp.objects.filter(instance_id=meeting.instance_id, meeting__starts_at__lt=meeting.starts_at)
    still_open = earlier.exclude(status__in=CLOSED)
    closed_here_or_later = earlier.filter(status__in=CLOSED, closed_in__starts_at__gte=meeting.starts_at)
    return (still_open | closed_here_or_later).select_related(
        "meeting", "owner_organization", "owner_person", "closed_in"
    )


def _check_follow_up(follow_up: FollowUp) -> None:
    instance = follow_up.instance
    guard.within(scope.organizations_of(instance), follow_up.owner_organization, "owner_organization")
    guard.within(scope.people_of(instance), follow_up.owner_person, "owner_person")
    item, person = follow_up.agenda_item, follow_up.owner_person
    if item is not None and item.meeting_id != follow_up.meeting_id:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    if (
        person is not None
        and follow_up.owner_organization_id
        and not person.affiliations.filter(organization_id=follow_up.owner_organization_id).exists()
    ):
        raise ValidationError({"owner_person": _("This person is not affiliated with the responsible organisation.")})
    follow_up.full_clean()


def _follow_up_label(follow_up: FollowUp) -> str:
    owner = follow_up.owner_organization or follow_up.owner_person
    parts = [follow_up.description[:120], str(owner) if owner else "", str(follow_up.due_date or "")]
    return " — ".join([p for p in parts if p] + [str(follow_up.get_status_display())])


def _close_at(follow_up: FollowUp, old_status: str, meeting: Meeting) -> None:
    if follow_up.status in CLOSED and old_status not in CLOSED:
        follow_up.closed_in = meeting
    elif follow_up.status not in CLOSED:
        follow_up.closed_in = None


@transaction.atomic
def add_follow_up(acting_user, meeting: Meeting, data: dict[str, Any]) -> FollowUp:
    _require(acting_user, meeting)
    check_editable(meeting)
    follow_up = FollowUp(meeting=meeting, instance=meeting.instance)
    apply(follow_up, FOLLOW_UP_FIELDS, data)
    _close_at(follow_up, FollowUp.Status.OPEN, meeting)
    _check_follow_up(follow_up)
    follow_up.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, {"follow_up": [None, _follow_up_label(follow_up)]})
    return follow_up


@transaction.atomic
def update_follow_up(
    acting_user, follow_up: FollowUp, data: dict[str, Any], at_meeting: Meeting | None = None
) -> FollowUp:
    """Edit a follow-up; `at_meeting` is the meeting where its status is changed (where it is closed)."""
    meeting = at_meeting or follow_up.meeting
    _require(acting_user, follow_up.meeting)
    if at_meeting is None or set(data) - {"status"}:
        check_editable(follow_up.meeting)
    elif meeting.instance_id != follow_up.instance_id or meeting.starts_at < follow_up.meeting.starts_at:
        raise ValidationError(_("This follow-up item does not belong to this meeting."))
    else:
        check_editable(meeting)
    old_status = follow_up.status
    before = _follow_up_label(follow_up)
    apply(follow_up, FOLLOW_UP_FIELDS, data)
    _close_at(follow_up, old_status, meeting)
    _check_follow_up(follow_up)
    follow_up.save()
    if _follow_up_label(follow_up) != before:
        changes = {"follow_up": [before, _follow_up_label(follow_up)]}
        audit.record(acting_user, AuditEvent.Action.UPDATE, meeting, changes)
    return follow_up
