"""Campaigns send an instrument to the members of one or more instances.

Anonymous by design, as LimeSurvey's anonymised mode does it: an invitation (the personal link) holds no key
to the answers and only records that it was used; a response keeps the day it was given, never the time, so
it cannot be matched to when the links or reminders went out; and it keeps the respondent's sector and
instance only to compare groups, which results show only when the group is large enough (evaluation.results).
A confidential campaign keeps the link on the response so its respondent can correct it until closing; the
results are the same aggregates."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concertation.models import Decision, Instance
from evaluation.models.instruments import Instrument, Item
from registry.models import Organization, Person, Territory

# Below three respondents a group's answers can be read back to a person, whatever the setting says.
MIN_GROUP_FLOOR = 3
DEFAULT_MIN_GROUP = 5


class CampaignQuerySet(models.QuerySet):
    def with_counts(self) -> "CampaignQuerySet":
        """`invited` and `answered` (links used): all a campaign says of who took part."""
        return self.annotate(
            invited=models.Count("invitations", distinct=True),
            answered=models.Count("invitations", filter=Q(invitations__used=True), distinct=True),
        )


class Campaign(models.Model):
    class Mode(models.TextChoices):
        INDIVIDUAL = "individual", _("Each member answers")
        GROUP = "group", _("One consensual answer by the group")

    class Privacy(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous: nobody, not even the platform, can link an answer to a person")
        CONFIDENTIAL = (
            "confidential",
            _(
                "Confidential: the platform links each answer to its link so it can be corrected; results show only "
                "aggregates"
            ),
        )

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    rls = models.ForeignKey(
        Territory, verbose_name=_("RLS"), on_delete=models.PROTECT, related_name="campaigns",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    instances = models.ManyToManyField(Instance, verbose_name=_("instances"), related_name="campaigns")
    mode = models.CharField(
        pgettext_lazy("survey campaign", "mode"), max_length=12, choices=Mode.choices, default=Mode.INDIVIDUAL
    )
    privacy = models.CharField(_("privacy"), max_length=12, choices=Privacy.choices, default=Privacy.ANONYMOUS)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=DEFAULT_MIN_GROUP, validators=[MinValueValidator(MIN_GROUP_FLOOR)],
        help_text=_("A group of fewer respondents is hidden wherever results are shown (never below 3)."),
    )  # fmt: skip
    # Self-evaluation instruments: the members' decision that lets the results leave the instance.
    release_decision = models.ForeignKey(
        Decision, verbose_name=_("decision releasing the results"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    group_notes = models.TextField(_("discussion notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="campaign_closes_after_opening",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_FLOOR),
                name="campaign_min_group_floor",
                violation_error_message=_("The smallest group shown cannot be below 3 respondents."),
            ),
        ]
        indexes = [
            # The campaign list of an RLS, latest first.
            models.Index(fields=["rls", "opens_on"], name="campaign_rls_opens_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:campaign_detail", args=[self.pk])

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.closed_at is None and self.opens_on <= day <= self.closes_on

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None or self.closes_on < timezone.localdate()


class Invitation(models.Model):
    """A personal link: who was invited and whether the link was used, nothing that leads to the answers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    # Respondents are grouped by the instance and sector they were invited for (never finer).
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    # The link is the invitation's id and an HMAC of it with this nonce (evaluation.links): unguessable, and the
    # same link can be sent again in a reminder without keeping it anywhere.
    nonce = models.CharField(max_length=32)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    used = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="invitation_once_per_person")]

    def __str__(self) -> str:
        return str(self.person)


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    # The day only: a time would match the answer to the moment its link was sent or reminded.
    submitted_on = models.DateField(_("submitted on"))
    instance = models.ForeignKey(Instance, null=True, on_delete=models.SET_NULL, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Organization.Sector.choices, blank=True)
    is_group = models.BooleanField(_("group answer"), default=False)
    # Only when the instrument asks who the respondent works with: a tie needs both of its ends.
    organization = models.ForeignKey(
        Organization, verbose_name=_("respondent's organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # Only in a confidential campaign.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            # The results page reads one campaign's responses.
            models.Index(fields=["campaign", "sector"], name="response_campaign_sector_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("value"), max_length=40, blank=True)
    text = models.TextField(_("text"), blank=True)
    note = models.TextField(_("discussion note"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")]

    def __str__(self) -> str:
        return self.value or self.text[:40]
