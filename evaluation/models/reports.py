"""PDF reports built in the background: the "bilan de la concertation" of an RLS over a period, and a campaign's
results. The file lies under MEDIA_ROOT (outside the web root) with a random name and is served only by a view
that checks access and logs the download."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.models.campaigns import Campaign
from registry.models import Territory


def report_path(report: "Report", filename: str) -> str:
    # A random name on disk: neither the RLS nor the period can be read from the folder.
    return f"evaluation/reports/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    class Kind(models.TextChoices):
        BILAN = "bilan", _("Bilan of the concertation")
        CAMPAIGN = "campaign", _("Campaign results")

    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report", "Waiting")
        RUNNING = "running", pgettext_lazy("report", "Being produced")
        DONE = "done", pgettext_lazy("report", "Ready")
        FAILED = "failed", pgettext_lazy("report", "Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    rls = models.ForeignKey(
        Territory, verbose_name=_("RLS"), on_delete=models.CASCADE, related_name="+",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=report_path, max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The stage and the kind of error only (never an exception's message: it may quote data).
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="campaign") & Q(campaign__isnull=False))
                | (Q(kind="bilan") & Q(campaign__isnull=True)),
                name="report_campaign_iff_campaign_kind",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
        ]
        indexes = [
            # The report list of the RLS dashboard, latest first.
            models.Index(fields=["rls", "kind", "requested_at"], name="report_rls_kind_requested_idx"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CAMPAIGN and self.campaign_id:
            return f"{self.get_kind_display()} — {self.campaign}"
        return f"{self.get_kind_display()} — {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:report_status", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    def download_name(self) -> str:
        """What the browser saves it as: the subject and the period, no personal data."""
        if self.kind == self.Kind.CAMPAIGN and self.campaign_id:
            subject = slugify(self.campaign.title)[:60] or "campaign"
            return f"{subject}-{self.language}.pdf"
        subject = slugify(self.rls.name)[:60]
        return f"bilan-{subject}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}-{self.language}.pdf"
