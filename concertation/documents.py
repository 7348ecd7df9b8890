"""The minutes of a meeting as data (for its page) and as documents: PDF (WeasyPrint) and DOCX (python-docx)."""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from concertation.actions.meetings import carried_over, previous_meeting
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Meeting


@dataclass
class Minutes:
    meeting: Meeting
    items: list[AgendaItem]
    attendances: list[Attendance]
    decisions: list[Decision]  # all of them, in order
    loose_decisions: list[Decision]  # those not tied to an agenda item
    follow_ups: list[FollowUp]  # created at this meeting
    carried: list[FollowUp]  # from earlier meetings, open at this one (or closed at it)
    previous: Meeting | None
    present: int = field(default=0)  # organisations present
    citizens_present: int = field(default=0)  # citizen seats present, counted apart


def minutes_for(meeting: Meeting) -> Minutes:
    """Everything the minutes show, in a fixed number of queries whatever the size of the meeting."""
    items = list(meeting.agenda_items.order_by("order"))
    decisions = list(meeting.decisions.order_by("pk"))
    by_item: dict[int, list[Decision]] = {}
    for decision in decisions:
        by_item.setdefault(decision.agenda_item_id, []).append(decision)
    for item in items:
        item.decision_list = by_item.get(item.pk, [])
    attendances = list(
        meeting.attendances.select_related(
            "organization", "membership__organization", "membership__person", "substitute"
        ).order_by("organization__name", "membership__person__last_name", "pk")
    )
    follow_ups = list(
        meeting.follow_ups.select_related("owner_organization", "owner_person", "closed_in", "agenda_item")
    )
    return Minutes(
        meeting=meeting,
        items=items,
        attendances=attendances,
        decisions=decisions,
        loose_decisions=by_item.get(None, []),
        follow_ups=follow_ups,
        carried=list(carried_over(meeting).order_by("due_date", "pk")),
        previous=previous_meeting(meeting),
        present=sum(1 for a in attendances if a.status == Attendance.Status.PRESENT and a.organization_id),
        citizens_present=sum(1 for a in attendances if a.status == Attendance.Status.PRESENT and not a.organization_id),
    )


def filename(meeting: Meeting, extension: str) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{_('minutes')}-{slugify(meeting.instance.name)[:60]}-{day}.{extension}"


def decision_mode(decision: Decision) -> str:
    if decision.mode == Decision.Mode.VOTE:
        return _("Vote: %(for)s for, %(against)s against, %(abstentions)s abstentions") % {
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstentions": decision.abstentions,
        }
    return str(decision.get_mode_display())


def minutes_pdf(meeting: Meeting) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML

    html = render_to_string("concertation/meeting_minutes_pdf.html", {"minutes": minutes_for(meeting)})
    return HTML(string=html).write_pdf()


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return "{} {}, {} – {}".format(
        formats.date_format(start, "l"),
        formats.date_format(start, "DATE_FORMAT"),
        formats.time_format(start, "TIME_FORMAT"),
        formats.time_format(end, "TIME_FORMAT"),
    )


def _person(person) -> str:
    return str(person) if person else "—"


def minutes_docx(meeting: Meeting) -> bytes:
    from docx import Document

    m = minutes_for(meeting)
    doc = Document()
    doc.core_properties.title = f"{meeting.instance.name} — {meeting.title}"
    doc.add_heading(_("Minutes"), level=0)
    doc.add_paragraph(f"{meeting.instance.name} — {meeting.title}")
    facts = [(_("Date"), _when(meeting)), (_("Status"), str(meeting.get_status_display()))]
    if meeting.location:
        facts.append((_("Place"), meeting.location))
    if meeting.video_url:
        facts.append((_("Video link"), meeting.video_url))
    if meeting.minutes_approved_in_id:
        approved = formats.date_format(timezone.localtime(meeting.minutes_approved_at), "DATE_FORMAT")
        facts.append((_("Minutes approved"), approved))
    for label, value in facts:
        _labelled(doc.add_paragraph(), label, value)

    doc.add_heading(_("Attendance"), level=1)
    if m.attendances:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, (_("Organisation"), _("Attendance"), _("Representative")), strict=True
        ):
            cell.text = text
        for a in m.attendances:
            who = (
                _("%(substitute)s (substitute)") % {"substitute": a.substitute}
                if a.substitute
                else _person(a.membership.person)
            )
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = a.membership.seat_label, str(a.get_status_display()), who
    else:
        doc.add_paragraph(_("Attendance was not recorded."))

    doc.add_heading(_("Agenda"), level=1)
    for item in m.items:
        doc.add_paragraph(item.title, style="List Number")
    for item in m.items:
        doc.add_heading(f"{item.order}. {item.title}", level=2)
        if item.description:
            doc.add_paragraph(item.description)
        for line in (item.minutes or _("No minutes recorded.")).splitlines() or [""]:
            doc.add_paragraph(line)
        _docx_decisions(doc, item.decision_list)
    if m.loose_decisions:
        doc.add_heading(_("Other decisions"), level=2)
        _docx_decisions(doc, m.loose_decisions)

    doc.add_heading(_("Follow-up items"), level=1)
    rows = [*m.follow_ups, *m.carried]
    if rows:
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        headers = (_("What"), _("Responsible organisation"), _("Responsible person"), _("Due date"), _("Status"))
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        for f in rows:
            cells = table.add_row().cells
            cells[0].text = f.description
            cells[1].text = f.owner_organization.name if f.owner_organization else "—"
            cells[2].text = _person(f.owner_person)
            cells[3].text = formats.date_format(f.due_date, "SHORT_DATE_FORMAT") if f.due_date else "—"
            cells[4].text = str(f.get_status_display())
    else:
        doc.add_paragraph(_("No follow-up item."))

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_decisions(doc, decisions: list[Decision]) -> None:
    for decision in decisions:
        paragraph = doc.add_paragraph(style="List Bullet")
        _labelled(paragraph, _("Decision"), decision.text)
        paragraph.add_run(f" ({decision_mode(decision)})").italic = True
        if decision.dissent:
            _labelled(doc.add_paragraph(style="List Bullet 2"), _("Dissent recorded"), decision.dissent)


def _labelled(paragraph, label: str, value: str) -> None:
    # The colon is part of the translated string: French puts a space before it.
    paragraph.add_run(_("%(label)s:") % {"label": label} + " ").bold = True
    paragraph.add_run(value)
