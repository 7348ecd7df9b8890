"""Agreements (ententes, domain.md §8): their legal bases as data, parties, sections, versions and states."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from registry.models import Organization, Person, Territory


class SectionCode(models.TextChoices):
    """The required contents of an agreement (domain.md §8), plus the two clauses of collaboration agreements."""

    CLIENTELE_OFFER = "clientele_offer", _("Target clientele and service offer")
    OBLIGATIONS = "obligations", _("Obligations of the parties")
    ACCESS_COORDINATION = "access_coordination", _("Access and coordination modalities")
    FINANCIAL_RESOURCES = "financial_resources", _("Financial resources")
    RESPONDENTS_COMMITTEE = "respondents_committee", _("Respondents and joint committee")
    DISAGREEMENT = "disagreement_modification_termination", _("Disagreement, modification and termination")
    AUTONOMY_RESPECT = "autonomy_respect", _("Respect of the community organisation's autonomy")
    COMPLAINTS = "complaints", _("Complaints")


class LegalBasis(models.Model):
    """A law and article an agreement rests on. Reference data an administrator updates when the law moves
    (the LSSSS articles of 2010 are the defaults; Santé Québec's G-1.021 since December 2024)."""

    law = models.CharField(_("law"), max_length=200)
    article = models.CharField(_("article"), max_length=50)
    summary = models.TextField(_("summary"))
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["law", "article"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_to__gte=models.F("in_force_from")),
                name="legal_basis_period",
                violation_error_message=_("The end of validity cannot be before its start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.law}, art. {self.article}"


class Kind(models.TextChoices):
    SERVICE = "service", _("Service agreement")
    COLLABORATION = "collaboration", _("Collaboration agreement")
    FRAMEWORK = "framework", _("Protocol / framework agreement")
    FUNDING = "funding", _("Funding agreement")
    OTHER = "other", _("Other agreement")


class KindRule(models.Model):
    """What a kind of agreement requires: its legal basis and its required sections (data, not code)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    complaints_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis of complaints"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    required_sections = models.JSONField(_("required sections"), default=list, blank=True)

    class Meta:
        verbose_name = _("rule of a kind of agreement")
        verbose_name_plural = _("rules of the kinds of agreement")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATION = "negotiation", _("In negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class AgreementQuerySet(models.QuerySet):
    def in_force(self) -> "AgreementQuerySet":
        return self.filter(status=Status.IN_FORCE)

    def expiring_within(self, days: int, today: datetime.date | None = None) -> "AgreementQuerySet":
        today = today or timezone.localdate()
        return self.filter(
            status__in=[Status.SIGNED, Status.IN_FORCE],
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=days),
        )


class Agreement(TimeStamped):
    Kind = Kind
    Status = Status

    # The text of a signed agreement changes only through an amendment (a new version).
    EDITABLE_STATUSES = (Status.DRAFT, Status.NEGOTIATION)
    FINAL_STATUSES = (Status.EXPIRED, Status.TERMINATED)

    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The RLS whose coordinators follow the agreement.
    rls = models.ForeignKey(
        Territory, verbose_name=_("local services network (RLS)"), on_delete=models.PROTECT,
        related_name="agreements", limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    # Kept on the agreement: the basis it was signed under stays when the kind's rule moves to a new law.
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    renewal_terms = models.TextField(_("renewal terms"), blank=True)
    joint_committee = models.ForeignKey(
        "concertation.Instance", verbose_name=_("joint committee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="joint_agreements",
        limit_choices_to={"kind": "joint_committee"},
    )  # fmt: skip
    instances = models.ManyToManyField(
        "concertation.Instance", verbose_name=_("linked instances"), blank=True, related_name="agreements"
    )
    action_plans = models.ManyToManyField(
        "concertation.ActionPlan", verbose_name=_("linked action plans"), blank=True, related_name="agreements"
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder before the end (days)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    is_public = models.BooleanField(
        _("published by the parties"), default=False, help_text=_("Anyone can then read its text.")
    )
    status_reason = models.TextField(_("reason of the last change of state"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            # The register of an RLS filters by status and kind and sorts by dates.
            models.Index(fields=["rls", "status", "kind"], name="agreement_rls_status_idx"),
            # Upcoming expiries (dashboard, reminders, "expiring within N days").
            models.Index(fields=["status", "end_date"], name="agreement_status_end_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_amendable(self) -> bool:
        return self.status in (Status.SIGNED, Status.IN_FORCE)


class Party(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(_("role in the agreement"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="party_once_per_agreement",
                violation_error_message=_("This organisation is already a party to the agreement."),
            )
        ]
        indexes = [
            # "Filter by party" and the agreements of an organisation.
            models.Index(fields=["organization", "agreement"], name="party_org_agreement_idx"),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class PartyContact(models.Model):
    """A signatory or a respondent (répondant) of a party: a person affiliated with its organisation."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        RESPONDENT = "respondent", _("Respondent")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Who recorded it: the party's own representative, or the RLS coordinator (who then attaches the signed page).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("contact of a party")
        verbose_name_plural = _("contacts of the parties")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "person", "role"],
                name="party_contact_once",
                violation_error_message=_("This person already has this role for the party."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class AgreementSection(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("section"), max_length=40, choices=SectionCode.choices)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"],
                name="section_once_per_agreement",
                violation_error_message=_("The agreement already has this section."),
            )
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())


class AgreementVersion(models.Model):
    """The frozen text of an agreement: version 1 at signature, one more per amendment."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("reason of the amendment"), blank=True)
    # {"title", "start_date", "end_date", "renewal_terms", "sections": {code: text}, "parties": [names]}
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.agreement} — v{self.number}"


class StatusChange(models.Model):
    """Every change of state, dated and attributed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")
        ordering = ["agreement", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.from_status} → {self.to_status}"
