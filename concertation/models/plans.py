"""Démarches (process stages, domain.md §10) and action plans with objectives, actions and indicators."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from registry.models import Organization

from .instances import Instance


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    CANCELLED = "cancelled", _("Cancelled")


class Demarche(TimeStamped):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="demarches")
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("process (démarche)")
        verbose_name_plural = _("processes (démarches)")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("concertation:demarche_detail", args=[self.pk])


class DemarcheStage(models.Model):
    class Kind(models.TextChoices):
        MOBILISATION = "mobilisation", _("Mobilise the partners")
        CONSENSUS = "consensus", _("Basic consensus")
        ANALYSIS = "analysis", _("Shared analysis of the community and its needs")
        PROJECTS = "projects", _("Formulate projects")
        ACTION_PLAN = "action_plan", _("Action plan")
        IMPLEMENTATION = "implementation", _("Implementation")
        EVALUATION = "evaluation", _("Evaluation")

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    deliverables = models.TextField(_("deliverables"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED)

    class Meta:
        ordering = ["demarche", "order"]
        constraints = [
            models.UniqueConstraint(fields=["demarche", "kind"], name="stage_once_per_demarche"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="stage_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ActionPlan(TimeStamped):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="action_plans")
    demarche = models.ForeignKey(Demarche, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="plan_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("concertation:plan_detail", args=[self.pk])


class Objective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("objective"), max_length=255)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=255)
    lead = models.ForeignKey(
        Organization, verbose_name=_("lead organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    contributors = models.ManyToManyField(
        Organization, verbose_name=_("contributing organisations"), blank=True, related_name="+"
    )
    resources = models.TextField(_("resources committed"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["objective", "deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    measured = models.DecimalField(_("measured value"), max_digits=12, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def progress(self) -> int | None:
        if self.target in (None, 0) or self.measured is None:
            return None
        return min(100, int(self.measured * 100 / self.target))
