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
from concertation.views.common import get_instance
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
    """The meeting if the user may see its instance (404 otherwise); with manage=True, only for its coordinators."""
    visible = Meeting.objects.filter(instance__in=instances_for(request.user)).select_related(
        "instance__rls", "minutes_approved_in"
    )
    meeting = get_object_or_404(visible, pk=pk)
    if manage and not request.user.has_perm("concertation.change_instance", meeting.instance):
        raise PermissionDenied
    return meeting


def _get_part(request: HttpRequest, model, pk: int):
    """An agenda item, decision or follow-up, for the coordinators of its meeting's instance only."""
    obj = get_object_or_404(model.objects.select_related("meeting__instance"), pk=pk)
    get_meeting(request, obj.meeting_id, manage=True)
    return obj


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _message_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_page(request, form, title: str, back: Meeting | Instance, template: str = "form.html"):
    return render(request, template, {"form": form, "title": title, "object": back})


# Meetings ---------------------------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = MeetingForm(request.POST or None, initial={"title": _("Regular meeting")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.schedule_meeting(request.user, instance, form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Meeting scheduled. Add its agenda, then send the convocation."))
            return redirect(meeting)
    return _form_page(request, form, _("Schedule a meeting of %(name)s") % {"name": instance.name}, instance)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_meeting(request.user, meeting, form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            if meeting.status == Meeting.Status.CONVENED:
                messages.warning(request, _("Changes saved. Send the convocation again so members get the update."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect(meeting)
    return _form_page(request, form, _("Edit the meeting"), meeting)


@login_required
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
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_meeting(request, pk), "concertation:meeting_detail")


@login_required
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    try:
        sent = actions.convene_meeting(request.user, meeting, request)
    except ValidationError as error:
        _message_error(request, error)
    else:
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
        messages.error(request, _("Choose a valid status."))
        return redirect(meeting)
    try:
        meeting = actions.set_meeting_status(request.user, meeting, form.cleaned_data["status"], request)
    except ValidationError as error:
        _message_error(request, error)
    else:
        messages.success(request, _("The meeting is now “%(status)s”.") % {"status": meeting.get_status_display()})
    return redirect(meeting)


@login_required
@require_POST
def meeting_approve_previous(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    try:
        previous = actions.approve_previous_minutes(request.user, meeting, request)
    except ValidationError as error:
        _message_error(request, error)
    else:
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
    if form.is_valid():
        try:
            actions.add_agenda_item(request.user, meeting, form.cleaned_data, request)
        except ValidationError as error:
            _message_error(request, error)
    else:
        messages.error(request, _("Give the agenda item a title."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_agenda_item(request.user, AgendaItem.objects.get(pk=item.pk), form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Agenda item saved."))
            return redirect(f"{item.meeting.get_absolute_url()}#agenda")
    return _form_page(request, form, _("Agenda item %(order)s") % {"order": item.order}, item.meeting)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    try:
        actions.move_agenda_item(request.user, item, "up" if request.POST.get("direction") == "up" else "down", request)
    except ValidationError as error:
        _message_error(request, error)
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@login_required
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_part(request, AgendaItem, pk)
    try:
        actions.remove_agenda_item(request.user, item, request)
    except ValidationError as error:
        _message_error(request, error)
    else:
        messages.success(request, _("Agenda item removed."))
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = MinutesForm(request.POST or None, items=list(meeting.agenda_items.order_by("order")))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_minutes(request.user, meeting, form.minutes(), request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(meeting)
    return _form_page(request, form, _("Minutes of %(title)s") % {"title": meeting.title}, meeting)


# Attendance, decisions, follow-ups --------------------------------------------------------------------


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    existing = {a.membership_id: a for a in meeting.attendances.all()}
    memberships = actions.attendance_memberships(meeting)
    form = AttendanceForm(request.POST or None, memberships=memberships, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(request.user, meeting, form.attendance(), request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    title = _("Attendance at %(title)s") % {"title": meeting.title}
    return render(request, "concertation/meeting_attendance.html", {"form": form, "meeting": meeting, "title": title})


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = DecisionForm(request.POST or None, meeting=meeting, initial={"agenda_item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_decision(request.user, meeting, form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    return _form_page(request, form, _("Record a decision"), meeting)


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_part(request, Decision, pk)
    form = DecisionForm(request.POST or None, instance=decision, meeting=decision.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_decision(request.user, Decision.objects.get(pk=pk), form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect(f"{decision.meeting.get_absolute_url()}#decisions")
    return _form_page(request, form, _("Edit the decision"), decision.meeting)


@login_required
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_part(request, Decision, pk)
    try:
        actions.delete_decision(request.user, decision, request)
    except ValidationError as error:
        _message_error(request, error)
    else:
        messages.success(request, _("Decision removed."))
    return redirect(f"{decision.meeting.get_absolute_url()}#decisions")


@login_required
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk, manage=True)
    form = FollowUpForm(request.POST or None, meeting=meeting, initial={"agenda_item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_follow_up(request.user, meeting, form.cleaned_data, request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Follow-up item added."))
            return redirect(f"{meeting.get_absolute_url()}#follow-ups")
    return _form_page(request, form, _("Add a follow-up item"), meeting)


@login_required
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _get_part(request, FollowUp, pk)
    form = FollowUpForm(request.POST or None, instance=follow_up, meeting=follow_up.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_follow_up(request.user, FollowUp.objects.get(pk=pk), form.cleaned_data, request=request)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Follow-up item saved."))
            return redirect(f"{follow_up.meeting.get_absolute_url()}#follow-ups")
    return _form_page(request, form, _("Edit the follow-up item"), follow_up.meeting)


@login_required
@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status of an item carried over to this meeting: closing it here records this meeting."""
    meeting = get_meeting(request, pk, manage=True)
    form = FollowUpStatusForm(request.POST, queryset=actions.carried_over(meeting))
    if not form.is_valid():
        messages.error(request, _("Choose a follow-up item carried over to this meeting and its status."))
        return redirect(f"{meeting.get_absolute_url()}#carried")
    follow_up = form.cleaned_data["follow_up"]
    try:
        actions.update_follow_up(request.user, follow_up, {"status": form.cleaned_data["status"]}, meeting, request)
    except ValidationError as error:
        _message_error(request, error)
    else:
        messages.success(request, _("Follow-up item updated."))
    return redirect(f"{meeting.get_absolute_url()}#carried")


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
    _feed, key = CalendarFeed.issue(request.user)
    audit.record(request.user, AuditEvent.Action.TOKEN, request.user, {"calendar_feed": [None, "issued"]}, request)
    # Shown once on the next page, then only its digest remains (like an API token).
    request.session["calendar_feed_url"] = request.build_absolute_uri(reverse("concertation:calendar_feed", args=[key]))
    messages.success(request, _("Your personal calendar address is ready. Copy it now: it is shown only once."))
    return redirect("concertation:calendar")


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    deleted, _details = CalendarFeed.objects.filter(user=request.user).delete()
    if deleted:
        audit.record(request.user, AuditEvent.Action.TOKEN, request.user, {"calendar_feed": ["issued", None]}, request)
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
