"""iCalendar (RFC 5545) for meetings: the invitation attached to a convocation, and the personal feed.

Times are written in UTC so that every calendar application places them right without a VTIMEZONE block.
"""

import calendar
import datetime
from collections.abc import Callable, Iterable
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from concertation.models import AgendaItem, Meeting

PRODID = "-//Maillage//Concertation//FR"
UTC = datetime.UTC


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so an update or a cancellation replaces the event already received."""
    return f"meeting-{meeting.pk}@maillage"


def agenda_text(meeting: Meeting, items: Iterable[AgendaItem]) -> str:
    lines = [f"{meeting.instance.name}", "", _("Agenda")]
    lines += [f"{item.order}. {item.title}" for item in items]
    if meeting.video_url:
        lines += ["", _("Video link: %(url)s") % {"url": meeting.video_url}]
    return "\n".join(lines)


def meeting_event(meeting: Meeting, url: str, description: str) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.title} — {meeting.instance.name}")
    event.add("location", meeting.location or meeting.video_url or "")
    event.add("url", url)
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def invitation(
    meeting: Meeting, items: Iterable[AgendaItem], *, url: str, attendee_email: str, attendee_name: str
) -> bytes:
    """A one-event calendar for one recipient: METHOD:REQUEST, or METHOD:CANCEL for a cancelled meeting."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    event = meeting_event(meeting, url, agenda_text(meeting, items))
    organizer_name, organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name or "Maillage")
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical()


def feed(meetings: Iterable[Meeting], *, name: str, url_for: Callable[[Meeting], str]) -> bytes:
    """A subscribable calendar of meetings (no METHOD: a published calendar, not a scheduling message)."""
    cal = _calendar(name=name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url_for(meeting), meeting.instance.name))
    return cal.to_ical()


def month_weeks(year: int, month: int, meetings: Iterable[Meeting], first_weekday: int) -> list[list[dict]]:
    """The weeks of a month for a calendar table: each day with its meetings (local dates); None outside the month.

    first_weekday follows Django's FIRST_DAY_OF_WEEK (0 = Sunday, 1 = Monday) of the active language."""
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    grid = calendar.Calendar(firstweekday=(first_weekday - 1) % 7)
    return [
        [{"date": day, "meetings": by_day.get(day, [])} if day.month == month else None for day in week]
        for week in grid.monthdatescalendar(year, month)
    ]


def weekday_names(first_weekday: int) -> list[datetime.date]:
    """Seven dates of one week in display order, for the header row (formatted by the template)."""
    start = datetime.date(2024, 1, 7 + first_weekday)  # 2024-01-07 was a Sunday
    return [start + datetime.timedelta(days=i) for i in range(7)]
