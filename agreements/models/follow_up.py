"""What follows an agreement: its negotiation log, funding and payments, accountability reports, attachments
and the reminders already sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.agreements import Agreement, Party, PartyContact


class NegotiationIssue(models.Model):
    """One issue negotiated (domain.md §6): each party's initial position and concession, and the compromise."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="negotiation_issues")
    subject = models.CharField(_("issue negotiated"), max_length=250)
    compromise = models.TextField(_("compromise reached"), blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("negotiated issue")
        verbose_name_plural = _("negotiation log")
        ordering = ["agreement", "pk"]

    def __str__(self) -> str:
        return self.subject


class NegotiationPosition(models.Model):
    issue = models.ForeignKey(NegotiationIssue, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="positions")
    initial_position = models.TextField(_("initial position"), blank=True)
    concession = models.TextField(_("what the party conceded"), blank=True)

    class Meta:
        verbose_name = _("position of a party")
        verbose_name_plural = _("positions of the parties")
        ordering = ["issue", "party"]
        constraints = [models.UniqueConstraint(fields=["issue", "party"], name="position_once_per_party")]

    def __str__(self) -> str:
        return f"{self.issue} — {self.party}"


class FundingAmount(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    amount = models.DecimalField(_("amount (CAD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    funder = models.ForeignKey(
        Party, verbose_name=_("paid by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("funding of a year")
        verbose_name_plural = _("funding")
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="funding_once_per_year",
                violation_error_message=_("This year already has an amount."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="agreement_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]
        # The dashboard sums funding per year.
        indexes = [models.Index(fields=["year", "agreement"], name="agreement_amount_year_idx")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount} $"


class Payment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (CAD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payment schedule")
        ordering = ["agreement", "due_on"]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount} $"


class ReportQuerySet(models.QuerySet):
    def late(self, today=None) -> "ReportQuerySet":
        return self.filter(submitted_on__isnull=True, due_on__lt=today or timezone.localdate())


class Report(models.Model):
    """Accountability (reddition de comptes): a report due on a date, and its submission."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("report"), max_length=250)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability report")
        verbose_name_plural = _("accountability reports")
        ordering = ["agreement", "due_on", "pk"]
        indexes = [
            # Late reports (dashboard, reminders): not submitted and past due.
            models.Index(fields=["submitted_on", "due_on"], name="report_late_idx"),
            # The register's "late report" flag looks up one agreement's reports; without this SQLite walks
            # every late report of the province for each agreement (7 s at province scale).
            models.Index(fields=["agreement", "submitted_on", "due_on"], name="report_agreement_late_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        today = timezone.localdate()
        if self.submitted_on:
            return self.submitted_on > self.due_on
        return self.due_on < today


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # A random name on disk: the user's file name is kept in the database only.
    import uuid

    return f"agreements/{attachment.agreement_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A signed scan, an annex or a report's file. Stored under MEDIA_ROOT (outside the web root) and served
    only by a view that checks access."""

    class Kind(models.TextChoices):
        SIGNED_SCAN = "signed_scan", _("Signed copy")
        ANNEX = "annex", _("Annex")
        REPORT = "report", _("Report file")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        Report, verbose_name=_("report"), null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # The signed page proving a signature recorded by someone other than the party's representative. The file
    # stays with the agreement if the signature is removed.
    contact = models.ForeignKey(
        PartyContact, verbose_name=_("signature"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="evidence",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNEX)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # A confidential file stays with the parties, the RLS coordinators and the administrators: those who read the
    # agreement otherwise (analysts, members of the concertation reading a public body's signed agreement) do not see
    # it. The signed pages proving signatures are confidential when attached (they carry signatures).
    confidential = models.BooleanField(
        _("confidential"), default=False, db_default=False,
        help_text=_("Only the parties, the RLS coordinators and the administrators see a confidential file."),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["agreement", "-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class Reminder(models.Model):
    """A reminder already sent, so that the daily command sends each one once."""

    class Kind(models.TextChoices):
        END_APPROACHING = "end_approaching", _("End date approaching")
        REPORT_DUE = "report_due", _("Report due")
        REPORT_LATE = "report_late", _("Report late")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the reminder is about: the end date, or the report's id and due date.
    key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "kind", "key"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.agreement} {self.kind} {self.key}"
