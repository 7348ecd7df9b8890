"""Agreements (ententes, domain.md §8): their legal bases as data, parties, sections, versions and states."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
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


class LegalBasisQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "LegalBasisQuerySet":
        """The bases in force on the day (an open end counts as in force)."""
        return self.filter(Q(in_force_from__isnull=True) | Q(in_force_from__lte=day)).filter(
            Q(in_force_to__isnull=True) | Q(in_force_to__gte=day)
        )


class LegalBasis(models.Model):
    """An act and article an agreement rests on, with the dates it is in force. Reference data an administrator
    updates when the law moves (the LSSSS until 2024-11-30; Santé Québec's G-1.021 since 2024-12-01): an agreement
    takes the basis of its kind in force on its drafting date, and signing checks it is still in force. Nothing
    legal is written in code or templates: the citation, the complaints clause and the complaints officer's title
    printed in an agreement come from here."""

    class Purpose(models.TextChoices):
        # The bases of one purpose replace one another over time: a kind of agreement follows the purpose of the
        # basis its rule names (KindRule.legal_basis).
        SERVICE_AGREEMENT = "service_agreement", _("Service agreements")
        COLLABORATION_AGREEMENT = "collaboration_agreement", _("Collaboration agreements")
        COMPLAINTS = "complaints", _("Complaints")
        INFORMATION_SHARING = "information_sharing", _("Sharing of personal information")
        OTHER = "other", _("Other")

    # The column keeps its first name ("law"); the API and the pages call it the act.
    law = models.CharField(_("act"), max_length=200, help_text=_("The official title of the act, in French."))
    law_en = models.CharField(_("act (English)"), max_length=200, blank=True)
    chapter = models.CharField(_("RLRQ chapter"), max_length=20, blank=True, help_text=_("For example: S-4.2."))
    article = models.CharField(
        _("article"), max_length=50, blank=True, help_text=_("Left empty while the article is not confirmed.")
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices, default=Purpose.OTHER)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_to = models.DateField(_("in force until"), null=True, blank=True)
    to_verify = models.BooleanField(
        _("to verify"), default=False,
        help_text=_("The article or its text is not confirmed against the official text of the act."),
    )  # fmt: skip
    verification_note = models.TextField(
        _("what is believed and why"), blank=True, help_text=_("The sources read, and what remains to confirm.")
    )
    clause = models.TextField(
        _("clause"), blank=True,
        help_text=_("Printed in the agreements resting on this basis: the complaints clause of an agreement's "
                    "basis, the information-sharing clause of an information-sharing basis."),
    )  # fmt: skip
    clause_en = models.TextField(_("clause (English)"), blank=True)
    complaints_officer = models.CharField(_("title of the complaints officer"), max_length=200, blank=True)
    complaints_officer_en = models.CharField(_("title of the complaints officer (English)"), max_length=200, blank=True)

    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["law", "article", "pk"]
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
        title = self.localized("title")
        return f"{self.citation} — {title}" if title else self.citation

    def localized(self, name: str) -> str:
        """The English text of a field when the current language is English and it has one, else the French."""
        english = getattr(self, f"{name}_en", "") if (get_language() or "").startswith("en") else ""
        return english or getattr(self, name)

    @property
    def act(self) -> str:
        return self.localized("law")

    @property
    def citation(self) -> str:
        act = self.act + (f" (RLRQ, c. {self.chapter})" if self.chapter else "")
        return f"{act}, art. {self.article}" if self.article else act

    def is_in_force(self, day: datetime.date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_to is None or self.in_force_to >= day
        )


class Kind(models.TextChoices):
    SERVICE = "service", _("Service agreement")
    COLLABORATION = "collaboration", _("Collaboration agreement")
    FRAMEWORK = "framework", _("Protocol / framework agreement")
    FUNDING = "funding", _("Funding agreement")
    OTHER = "other", _("Other agreement")


class KindRule(models.Model):
    """What a kind of agreement requires: its legal basis and its required sections (data, not code).

    `legal_basis` names the kind's basis; a new agreement takes, among the bases of the same purpose, the one in
    force on its drafting date (so the rule need not move when the law does)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    legal_basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Agreements take the basis of the same purpose in force on their drafting date."),
    )
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
    # The basis of its kind in force on its drafting date, kept on the agreement: the basis it was signed under stays
    # when the law moves. Signing checks it is in force on the signing date.
    # Null only for rows written outside the actions (the synthetic network): read through `drafting_day`.
    drafted_on = models.DateField(_("drafted on"), default=timezone.localdate, null=True, blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An agreement that exchanges personal information prints the information-sharing clause of its basis.
    shares_personal_information = models.BooleanField(
        _("the parties exchange personal information"), default=False, db_default=False,
        help_text=_("The agreement then carries the information-sharing clause of the law in force."),
    )  # fmt: skip
    information_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis of the information sharing"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # Financial resources are required "le cas échéant" (domain.md §8): without amounts, the parties may say why the
    # section is without object.
    # The database defaults let bulk inserts that predate these columns (demo/synthetic) leave them out.
    financial_resources_not_applicable = models.BooleanField(
        _("financial resources: without object"), default=False, db_default=False
    )
    financial_resources_reason = models.TextField(
        _("why the financial resources are without object"), blank=True, default="", db_default=""
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
    def drafting_day(self) -> datetime.date:
        """The drafting date (for a row written without one: the day it was created)."""
        if self.drafted_on:
            return self.drafted_on
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()

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
