"""Participatory priority setting (the VES partners' assembly, domain.md §7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from registry.models import Organization, Person

from .instances import Instance


class PriorityExercise(TimeStamped):
    class Status(models.TextChoices):
        CANDIDATES = "candidates", _("Collecting candidate priorities")
        WORKSHOPS = "workshops", _("Workshops")
        PLENARY = "plenary", _("Plenary vote")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        APPROVAL = "approval", _("Approval voting")
        POINTS = "points", _("Dot (points) voting")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="priority_exercises")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATES)
    method = models.CharField(_("voting method"), max_length=20, choices=Method.choices, default=Method.APPROVAL)
    points_per_voter = models.PositiveSmallIntegerField(_("points per voter"), default=5)
    threshold = models.PositiveSmallIntegerField(
        _("adherence threshold (%)"), default=50,
        help_text=_("A priority is retained when more than this share of plenary voters adheres to it."),
    )  # fmt: skip
    secret = models.BooleanField(_("secret ballot"), default=True)

    class Meta:
        verbose_name = _("priority exercise")
        verbose_name_plural = _("priority exercises")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1, threshold__lte=99),
                name="exercise_threshold_range",
                violation_error_message=_("The threshold is a percentage between 1 and 99."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("concertation:exercise_detail", args=[self.pk])


class Candidate(models.Model):
    class Origin(models.TextChoices):
        LOCAL_ACTORS = "local_actors", _("Local actors")
        INSTITUTION = "institution", _("The institution (CISSS)")
        MINISTRY = "ministry", _("The ministry")
        EVIDENCE = "evidence", _("Evidence (data, research)")
        # Raised by the people concerned themselves (citizens, a consultation of the population): issue 11.
        POPULATION = "population", _("The population")

    exercise = models.ForeignKey(PriorityExercise, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(_("need or priority"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    proposed_by = models.ForeignKey(
        Organization, verbose_name=_("proposed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by_instance = models.ForeignKey(
        Instance, verbose_name=_("proposed by the committee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("candidate priority")
        verbose_name_plural = _("candidate priorities")
        ordering = ["exercise", "pk"]

    def __str__(self) -> str:
        return self.title


class Workshop(models.Model):
    exercise = models.ForeignKey(PriorityExercise, on_delete=models.CASCADE, related_name="workshops")
    name = models.CharField(_("team"), max_length=200)
    participants = models.ManyToManyField(Person, verbose_name=_("participants"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["exercise", "name"]

    def __str__(self) -> str:
        return self.name


class WorkshopSelection(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="selections")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="selections")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "candidate"], name="workshop_selects_once")]

    def __str__(self) -> str:
        return f"{self.workshop} → {self.candidate}"


class VotingRound(models.Model):
    exercise = models.ForeignKey(PriorityExercise, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")
        ordering = ["exercise", "number"]
        constraints = [models.UniqueConstraint(fields=["exercise", "number"], name="round_number_unique")]

    def __str__(self) -> str:
        return f"{self.exercise} — {self.number}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class Ballot(models.Model):
    """One per participant per round (database constraint). For a secret vote the choices are kept on a
    separate anonymous row, so nobody can link a participant to what they chose."""

    round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "voter"],
                name="one_ballot_per_voter_per_round",
                violation_error_message=_("This participant has already voted in this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.voter}"


class BallotChoice(models.Model):
    round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="choices")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="choices")
    points = models.PositiveSmallIntegerField(default=1)
    # Set for named votes only; a secret vote leaves it empty.
    ballot = models.ForeignKey(Ballot, null=True, blank=True, on_delete=models.CASCADE, related_name="choices")
    # Groups the choices of one (possibly anonymous) ballot, to count voters adhering to each candidate.
    ballot_key = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["round", "candidate"], name="choice_round_candidate_idx")]

    def __str__(self) -> str:
        return f"{self.candidate} +{self.points}"
