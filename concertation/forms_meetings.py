"""Forms of the meeting pages: they validate and hand cleaned data to concertation.actions.meetings."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concertation import rules as scope
from concertation.forms import InputForm
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Meeting, Membership
from core.forms import DateInput
from registry.models import Affiliation, Person


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=255, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "title": meeting.title, "date": start.date(), "start_time": start.time(), "end_time": end.time(),
            "location": meeting.location, "video_url": meeting.video_url,
        }  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.datetime.combine(day, end, tzinfo=tz)
        return cleaned


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "minutes": forms.Textarea(attrs={"rows": 8})}


class NewAgendaItemForm(AgendaItemForm):
    class Meta(AgendaItemForm.Meta):
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class MinutesForm(forms.Form):
    """The minutes of every agenda item on one page, as the secretary writes them during the meeting."""

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"minutes_{item.pk}"] = forms.CharField(
                label=f"{item.order}. {item.title}", required=False, initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 6}),
            )  # fmt: skip

    def minutes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"minutes_{item.pk}"] for item in self.items}


class AttendanceForm(forms.Form):
    """Everyone at once: one status and an optional substitute per membership active on the meeting's date."""

    def __init__(self, *args, memberships: list[Membership], existing: dict[int, Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        # One query for every row's choices: the people affiliated with each member organisation.
        affiliations = (
            Affiliation.objects.filter(
                organization_id__in={m.organization_id for m in memberships if m.organization_id}
            )
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
        by_org: dict[int, dict[int, Person]] = {}
        for a in affiliations:
            by_org.setdefault(a.organization_id, {})[a.person_id] = a.person
        self.people = {pk: p for people in by_org.values() for pk, p in people.items()}
        for m in memberships:
            row = existing.get(m.pk)
            people = by_org.get(m.organization_id, {})
            self.fields[f"status_{m.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(org)s") % {"org": m.seat_label}, choices=Attendance.Status.choices,
                initial=row.status if row else Attendance.Status.PRESENT, widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"substitute_{m.pk}"] = forms.TypedChoiceField(
                label=_("Represented by (substitute) for %(org)s") % {"org": m.seat_label},
                choices=[("", "—")] + [(pk, str(p)) for pk, p in people.items()], coerce=int, empty_value=None,
                required=False, initial=row.substitute_id if row else None,
                help_text=_("A person of the organisation who sat in place of its usual representative.")
                if m.organization_id else _("A citizen sits in person: nobody replaces them."),
            )  # fmt: skip

    def rows(self) -> list[dict]:
        """Membership with its two bound fields, for the template's table."""
        return [
            {"membership": m, "status": self[f"status_{m.pk}"], "substitute": self[f"substitute_{m.pk}"]}
            for m in self.memberships
        ]

    def attendance(self) -> list[tuple[Membership, str, Person | None]]:
        return [
            (
                m,
                self.cleaned_data[f"status_{m.pk}"],
                self.people.get(self.cleaned_data[f"substitute_{m.pk}"]),
            )
            for m in self.memberships
        ]


class DecisionForm(InputForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "dissent": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "dissent": _("Divergences are part of a democratic decision: note who disagreed and why."),
            "votes_for": _("For a vote only."),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order")


def follow_up_owners(meeting: Meeting):
    """Who may be named owner of a follow-up item: the organisations sitting on the instance on the meeting's
    date, and the people affiliated with them (the pages and the API offer the same choices)."""
    orgs = scope.member_organizations(meeting).order_by("name")
    return orgs, scope.people_affiliated_with(orgs).order_by("last_name", "first_name")


class FollowUpForm(InputForm):
    class Meta:
        model = FollowUp
        fields = ["description", "agenda_item", "owner_organization", "owner_person", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order")
        orgs, people = follow_up_owners(meeting)
        self.fields["owner_organization"].queryset = orgs
        self.fields["owner_organization"].help_text = _("An organisation that sits on the instance.")
        self.fields["owner_person"].queryset = people


class FollowUpStatusForm(forms.Form):
    """Change the status of a follow-up item carried over to this meeting (closing it here)."""

    follow_up = forms.ModelChoiceField(queryset=FollowUp.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = queryset


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Meeting.Status.HELD, _("Held")),
            (Meeting.Status.CANCELLED, _("Cancelled")),
            (Meeting.Status.PLANNED, _("Planned")),
        ]
    )


class MonthForm(forms.Form):
    month = forms.DateField(input_formats=["%Y-%m"], required=False)
