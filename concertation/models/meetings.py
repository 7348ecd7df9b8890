"""Meetings: agenda, convocation, attendance, minutes, decisions and follow-up items."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from registry.models import Organization, Person

from .instances import Instance, Membership


class Meeting(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        APPROVED = "approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=255, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    minutes_approved_in = models.ForeignKey(
        "self", verbose_name=_("minutes approved at the meeting of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="approved_minutes",
    )  # fmt: skip
    # Meeting length in hours, kept with the row so the concertation-load report can sum it in the database.
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=0, editable=False)
    # iCalendar SEQUENCE (RFC 5545): raised each time the invitation is sent again, so calendars take the update.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]
        indexes = [
            # Instance page (its meetings, by date) and the calendar.
            models.Index(fields=["instance", "starts_at"], name="meeting_instance_start_idx"),
            models.Index(fields=["starts_at"], name="meeting_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("concertation:meeting_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        if self.starts_at and self.ends_at:
            self.hours = round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    # Denormalised from the membership so that load and attendance reports aggregate without joins; empty for a
    # citizen seat.
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT)
    substitute = models.ForeignKey(
        Person, verbose_name=_("represented by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who sat in place of the usual representative."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once_per_meeting")]
        indexes = [
            # Concertation load and attendance rate per organisation.
            models.Index(fields=["organization", "status"], name="attendance_org_status_idx"),
            # Covering index for the concertation-load report: its aggregate reads only these columns.
            models.Index(fields=["meeting", "status", "membership", "substitute"], name="attendance_load_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.seat_label} — {self.get_status_display()}"


class Decision(models.Model):
    class Mode(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        VOTE = "vote", _("Vote")
        DEFERRED = "deferred", _("Deferred")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="decisions",
    )  # fmt: skip
    text = models.TextField(_("decision"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    dissent = models.TextField(_("dissent recorded"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(models.Model):
    """An item to follow up; it carries over from meeting to meeting until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="follow_ups")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("agenda item")
    )
    description = models.TextField(_("what"))
    owner_organization = models.ForeignKey(
        Organization, verbose_name=_("responsible organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    owner_person = models.ForeignKey(
        Person, verbose_name=_("responsible person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_in = models.ForeignKey(
        Meeting, verbose_name=_("closed at the meeting of"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="closed_follow_ups",
    )  # fmt: skip

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["instance", "status"], name="followup_instance_status_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed. Calendar apps subscribe without a session, so the URL carries a secret
    key; only its SHA-256 digest is stored, and regenerating the key revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> tuple["CalendarFeed", str]:
        """A new key for the user (replacing any earlier one); the clear key is returned once, never stored."""
        key = secrets.token_urlsafe(32)
        feed, _created = cls.objects.update_or_create(
            user=user, defaults={"digest": cls.hash(key), "created_at": timezone.now(), "last_used_at": None}
        )
        return feed, key
