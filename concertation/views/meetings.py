"""Meeting pages: scheduling, agenda, convocation, attendance, minutes, decisions, follow-ups, exports, calendar.

Members and readers of an instance see its meetings; only its coordinators change them (get_instance rules).
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concertation import calendar as meeting_calendar
from concertation import documents
from concertation.actions import calendar as calendar_actions
from concertation.actions import meetings as actions
from concertation.forms_meetings import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    FollowUpForm,
    FollowUpStatusForm,
    MeetingForm,
    MeetingStatusForm,
    MinutesForm,
    MonthForm,
    NewAgendaItemForm,
)
from concertation.models import AgendaItem, Decision, FollowUp, Instance, Meeting, Membership
from concertation.models.meetings import CalendarFeed
from concertation.rules import instances_for
from concertation.views.common import form_errors, get_instance, refused, run, save_page
from core import audit
from core.models import AuditEvent
from core.pages import history_page

SECTION_SIZE = 5  # meetings listed on the instance page, upcoming and recent each
FEED_PAST_DAYS = 365
FEED_UPCOMING, FEED_PAST = 1500, 500  # bounds the feed of a province-wide administrator
CALENDAR_LIMIT = 500  # meetings shown for one month (an administrator sees the whole province)


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_meetings.html)."""
    now = timezone.now()
    return {
        "upcoming_meetings": list(instance.meetings.filter(ends_at__gte=now).order_by("starts_at")[:SECTION_SIZE]),
        "recent_meetings": list(instance.meetings.filter(ends_at__lt=now).order_by("-starts_at")[:SECTION_SIZE]),
        "can_schedule_meeting": request.user.has_perm("concertation.change_instance", instance),
    }


def get_meeting(request: HttpRequest, pk: int, manage: bool = False) -> Meeting:
    """The meeting if the user may see its instance (404 otherwise); with manage=True, for a form or button of its
    coordinators only (403). The action checks the permission again: this only spares the others a useless form."""
    visible = Meeting.objects.filter(instance__in=instances_for(request.user)).select_related(
        "instance__rls", "minutes_approved_in"
    )
    meeting = get_object_or_404(visible, pk=pk)
    if manage and not request.user.has_perm("concertation.change_instance", meeting.instance):
        raise PermissionDenied
    return meeting


def _get_part(request: HttpRequest, model, pk: int):
    """An agenda item, decision or follow-up of a meeting the user may see (404 otherwise) and run (403)."""
    obj = get_object_or_404(model.objects.select_related("meeting__instance"), pk=pk)
    obj.meeting = get_meeting(request, obj.meeting_id, manage=True)
    return obj


def _anchor(meeting: Meeting, anchor: str) -> str:
    return f"{meeting.get_absolute_url()}#{anchor}"


def _times(write):
    """The action says "ends_at"; the form asks for a date and two times: its refusal goes next to the end time."""

    def save(data):
        try:
            return write(data)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "ends_at" in error.error_dict:
                error.error_dict["end_time"] = error.error_dict.pop("ends_at")
            raise

    return save


# Meetings ---------------------------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = MeetingForm(request.POST or None, initial={"title": _("Regular meeting")})
    return save_page(
        request, form, title=_("Schedule a meeting of %(name)s") % {"name": instance.name}, back=instance,
        save=_times(lambda data: actions.schedule_meeting(request.user, instance, data)),
        success=_("Meeting scheduled. Add its agenda, then send the convocation."),
    )  # fmt: skip


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    convened = meeting.status == Meeting.Status.CONVENED
    return save_page(
        request, form, title=_("Edit the meeting"), back=meeting,
        save=_times(lambda data: actions.update_meeting(request.user, meeting, data)),
        success=_("Changes saved. Send the convocation again so members get the update.")
        if convened
        else _("Changes saved."),
    )  # fmt: skip


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    can_manage = request.user.has_perm("concertation.change_instance", meeting.instance)
    minutes = documents.minutes_for(meeting)
    context = {
        "meeting": meeting,
        "instance": meeting.instance,
        "minutes": minutes,
        "can_manage": can_manage,
        "editable": can_manage and meeting.status not in (Meeting.Status.APPROVED, Meeting.Status.CANCELLED),
        "agenda_form": NewAgendaItemForm(prefix="agenda") if can_manage else None,
        "follow_up_statuses": FollowUp.Status.choices,
        "now": timezone.now(),
        "Status": Meeting.Status,
    }
    return render(request, "concertation/meeting_detail.html", context)


@login_required
@require_GET
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_meeting(request, pk), "concertation:meeting_detail")


@login_required
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    try:
        sent = actions.convene_meeting(request.user, meeting)
    except ValidationError as error:
        return refused(request, error, meeting)
    if sent:
        messages.success(request, _("Convocation sent to %(count)d member representatives.") % {"count": sent})
    else:
        messages.warning(request, _("The meeting is convened, but no member representative has an e-mail."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = MeetingStatusForm(request.POST)
    if not form.is_valid():
        return refused(request, form_errors(form), meeting)
    try:
        meeting = actions.set_meeting_status(request.user, meeting, form.cleaned_data["status"])
    except ValidationError as error:
        return refused(request, error, meeting)
    messages.success(request, _("The meeting is now “%(status)s”.") % {"status": meeting.get_status_display()})
    return redirect(meeting)


@login_required
@require_POST
def meeting_approve_previous(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    try:
        previous = actions.approve_previous_minutes(request.user, meeting)
    except ValidationError as error:
        return refused(request, error, meeting)
    messages.success(request, _("Minutes of the meeting of %(date)s approved.") % {"date": _date(previous)})
    return redirect(meeting)


def _date(meeting: Meeting) -> str:
    return formats.date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")


# Agenda and minutes -----------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = NewAgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        return refused(request, form_errors(form), meeting)
    write = lambda: actions.add_agenda_item(request.user, meeting, form.cleaned_data)  # noqa: E731
    return run(request, meeting, write, next_url=_anchor(meeting, "agenda"))


@login_required
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    form = AgendaItemForm(request.POST or None, instance=AgendaItem.objects.get(pk=pk))
    return save_page(
        request, form, title=_("Agenda item %(order)s") % {"order": item.order}, back=item.meeting,
        save=lambda data: actions.update_agenda_item(request.user, item, data),
        success=_("Agenda item saved."), next_url=_anchor(item.meeting, "agenda"),
    )  # fmt: skip


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    write = lambda: actions.move_agenda_item(request.user, item, direction)  # noqa: E731
    return run(request, item.meeting, write, next_url=_anchor(item.meeting, "agenda"))


@login_required
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    write = lambda: actions.remove_agenda_item(request.user, item)  # noqa: E731
    return run(request, item.meeting, write, _("Agenda item removed."), _anchor(item.meeting, "agenda"))


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = MinutesForm(request.POST or None, items=list(meeting.agenda_items.order_by("order")))
    return save_page(
        request, form, title=_("Minutes of %(title)s") % {"title": meeting.title}, back=meeting,
        save=lambda data: actions.record_minutes(request.user, meeting, form.minutes()), success=_("Minutes saved."),
    )  # fmt: skip


# Attendance, decisions, follow-ups --------------------------------------------------------------------


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    existing = {a.membership_id: a for a in meeting.attendances.all()}
    memberships = actions.attendance_memberships(meeting)
    form = AttendanceForm(request.POST or None, memberships=memberships, existing=existing)
    return save_page(
        request, form, title=_("Attendance at %(title)s") % {"title": meeting.title}, back=meeting,
        save=lambda data: actions.record_attendance(request.user, meeting, form.attendance()),
        success=_("Attendance saved."), next_url=_anchor(meeting, "attendance"),
        template="concertation/meeting_attendance.html", extra={"meeting": meeting},
    )  # fmt: skip


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = DecisionForm(request.POST or None, meeting=meeting, initial={"agenda_item": request.GET.get("item")})
    return save_page(
        request, form, title=_("Record a decision"), back=meeting,
        save=lambda data: actions.record_decision(request.user, meeting, data),
        success=_("Decision recorded."), next_url=_anchor(meeting, "decisions"),
    )  # fmt: skip


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_part(request, Decision, pk)
    form = DecisionForm(request.POST or None, instance=Decision.objects.get(pk=pk), meeting=decision.meeting)
    return save_page(
        request, form, title=_("Edit the decision"), back=decision.meeting,
        save=lambda data: actions.update_decision(request.user, decision, data),
        success=_("Decision saved."), next_url=_anchor(decision.meeting, "decisions"),
    )  # fmt: skip


@login_required
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_part(request, Decision, pk)
    write = lambda: actions.delete_decision(request.user, decision)  # noqa: E731
    return run(request, decision.meeting, write, _("Decision removed."), _anchor(decision.meeting, "decisions"))


@login_required
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = FollowUpForm(request.POST or None, meeting=meeting, initial={"agenda_item": request.GET.get("item")})
    return save_page(
        request, form, title=_("Add a follow-up item"), back=meeting,
        save=lambda data: actions.add_follow_up(request.user, meeting, data),
        success=_("Follow-up item added."), next_url=_anchor(meeting, "follow-ups"),
    )  # fmt: skip


@login_required
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _get_part(request, FollowUp, pk)
    form = FollowUpForm(request.POST or None, instance=FollowUp.objects.get(pk=pk), meeting=follow_up.meeting)
    return save_page(
        request, form, title=_("Edit the follow-up item"), back=follow_up.meeting,
        save=lambda data: actions.update_follow_up(request.user, follow_up, data),
        success=_("Follow-up item saved."), next_url=_anchor(follow_up.meeting, "follow-ups"),
    )  # fmt: skip


@login_required
@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status of an item carried over to this meeting: closing it here records this meeting."""
    meeting = get_meeting(request, pk, manage=True)
    form = FollowUpStatusForm(request.POST, queryset=actions.carried_over(meeting))
    if not form.is_valid():
        return refused(request, form_errors(form), meeting, _anchor(meeting, "carried"))
    data = form.cleaned_data
    write = lambda: actions.update_follow_up(request.user, data["follow_up"], {"status": data["status"]}, meeting)  # noqa: E731
    return run(request, meeting, write, _("Follow-up item updated."), _anchor(meeting, "carried"))


# Exports ----------------------------------------------------------------------------------------------


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    audit.record(request.user, AuditEvent.Action.EXPORT, meeting, {"format": [None, "PDF"]}, request)
    return _attachment(documents.minutes_pdf(meeting), "application/pdf", documents.filename(meeting, "pdf"))


@login_required
@require_GET
def meeting_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    audit.record(request.user, AuditEvent.Action.EXPORT, meeting, {"format": [None, "DOCX"]}, request)
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _attachment(documents.minutes_docx(meeting), docx_type, documents.filename(meeting, "docx"))


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    content = meeting_calendar.feed([meeting], name=meeting.instance.name, url_for=lambda m: url)
    return _attachment(content, "text/calendar; charset=utf-8", f"meeting-{meeting.pk}.ics")


# Calendar ---------------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> datetime.date:
    form = MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"].replace(day=1)
    return timezone.localdate().replace(day=1)


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    first = _month(request)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    meetings = list(
        Meeting.objects.filter(
            instance__in=instances_for(request.user),
            starts_at__gte=datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
            starts_at__lt=datetime.datetime.combine(following, datetime.time(), tzinfo=tz),
        )
        .select_related("instance")
        .order_by("starts_at")[: CALENDAR_LIMIT + 1]
    )
    truncated = len(meetings) > CALENDAR_LIMIT
    meetings = meetings[:CALENDAR_LIMIT]
    first_weekday = int(formats.get_format("FIRST_DAY_OF_WEEK"))
    context = {
        "month": first,
        "previous_month": previous,
        "next_month": following,
        "meetings": meetings,
        "truncated": truncated,
        "weeks": meeting_calendar.month_weeks(first.year, first.month, meetings, first_weekday),
        "weekdays": meeting_calendar.weekday_names(first_weekday),
        "today": timezone.localdate(),
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
        "feed_url": request.session.pop("calendar_feed_url", None),
    }
    return render(request, "concertation/calendar.html", context)


@login_required
@require_POST
def calendar_feed_issue(request: HttpRequest) -> HttpResponse:
    """Create or regenerate the personal feed's secret address; the old address stops working at once."""
    key = calendar_actions.issue_calendar_feed(request.user)
    # Shown once on the next page, then only its digest remains (like an API token).
    request.session["calendar_feed_url"] = request.build_absolute_uri(reverse("concertation:calendar_feed", args=[key]))
    messages.success(request, _("Your personal calendar address is ready. Copy it now: it is shown only once."))
    return redirect("concertation:calendar")


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    calendar_actions.revoke_calendar_feed(request.user)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("concertation:calendar")


def feed_meetings(user) -> list[Meeting]:
    """Meetings of the instances the user may see, or where their own person sits: the coming ones, then the
    past year's."""
    own_seat = Membership.objects.filter(instance=OuterRef("instance_id"), person__account=user)
    meetings = Meeting.objects.filter(Q(instance__in=instances_for(user)) | Exists(own_seat)).select_related("instance")
    now = timezone.now()
    upcoming = meetings.filter(starts_at__gte=now).order_by("starts_at")[:FEED_UPCOMING]
    since = now - datetime.timedelta(days=FEED_PAST_DAYS)
    past = meetings.filter(starts_at__lt=now, starts_at__gte=since).order_by("-starts_at")[:FEED_PAST]
    return [*reversed(past), *upcoming]


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The only anonymous meeting page: calendar apps subscribe without a session, the secret key is the access."""
    feed = CalendarFeed.objects.filter(digest=CalendarFeed.hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    with translation.override(feed.user.language or settings.LANGUAGE_CODE):
        content = meeting_calendar.feed(
            feed_meetings(feed.user),
            name=_("Maillage — my meetings"),
            url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
        )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
