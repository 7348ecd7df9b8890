"""The registry: territories, organisations (actors), people and their affiliations, funding lines."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped

neq_validator = RegexValidator(r"^\d{10}$", _("The Quebec enterprise number (NEQ) has exactly 10 digits."))
phone_validator = RegexValidator(
    r"^[0-9+() .\-x]{7,30}$", _("Enter a phone number using digits, spaces, dashes, parentheses or +.")
)


class Territory(TimeStamped):
    """A node of the territorial tree. `path` (materialised ids, "/1/5/23/") makes descendant filters one query."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        HEALTH_REGION = "health_region", _("Health region")
        # An establishment's territory (territoire de réseau de services): several per region in Montréal and
        # Montérégie, one elsewhere.
        RTS = "rts", _("Establishment territory (RTS)")
        RLS = "rls", _("Local services network (RLS)")
        MRC = "mrc", _("MRC")
        CLSC = "clsc", _("CLSC territory")
        MUNICIPALITY = "municipality", _("Municipality")
        COMMUNITY = "community", _("Community / territory of belonging")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    code = models.CharField(_("official code"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    # A territory of belonging groups municipalities chosen by the partners (shared needs, geography).
    grouped_municipalities = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="belonging_groups", verbose_name=_("grouped municipalities")
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="territory_kind_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:territory_detail", args=[self.pk])

    def ancestors(self) -> "models.QuerySet[Territory]":
        ids = [int(i) for i in self.path.strip("/").split("/") if i and int(i) != self.pk]
        return Territory.objects.filter(pk__in=ids).order_by("path")

    def descendants(self, include_self: bool = True) -> "models.QuerySet[Territory]":
        qs = Territory.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def rls(self) -> "Territory | None":
        if self.kind == self.Kind.RLS:
            return self
        return self.ancestors().filter(kind=self.Kind.RLS).first()

    def latest_population(self) -> "TerritoryPopulation | None":
        figures = getattr(self, "prefetched_populations", None)
        if figures is not None:
            return figures[0] if figures else None
        return self.populations.order_by("-year").first()


class TerritoryPopulation(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    population = models.PositiveIntegerField(_("population"))
    population_65_plus = models.PositiveIntegerField(_("population aged 65+"))

    class Meta:
        verbose_name = _("population figure")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="population_one_per_year"),
            models.CheckConstraint(
                condition=Q(population_65_plus__lte=models.F("population")),
                name="population_65_within_total",
                violation_error_message=_("The population aged 65+ cannot exceed the total population."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.year}"


class OrganizationQuerySet(models.QuerySet):
    def active(self) -> "OrganizationQuerySet":
        return self.filter(archived_at__isnull=True)

    def in_territory(self, territory: Territory) -> "OrganizationQuerySet":
        """Organisations serving the territory or any territory below it."""
        served = Organization.territories.through.objects.filter(
            organization=OuterRef("pk"), territory__path__startswith=territory.path
        )
        return self.filter(Q(Exists(served)) | Q(rls__path__startswith=territory.path))


class Organization(TimeStamped):
    class FundingVisibility(models.TextChoices):
        COORDINATORS = "coordinators", _("The organisation and the RLS coordinators")
        ORGANIZATION = "organization", _("The organisation only")
        READERS = "readers", _("Everyone who may read the organisation")

    class AcaCriterion(models.TextChoices):
        """The 2001 recognition policy (domain.md, "Independent community action"): four criteria of a community
        organisation, then four more of autonomous community action. Values are the model's field names."""

        NON_PROFIT = "aca_non_profit", _("Is a non-profit organisation")
        ROOTED = "aca_rooted", _("Is rooted in its community")
        DEMOCRATIC = "aca_democratic", _("Has an associative and democratic life")
        FREE = "aca_free", _("Is free to set its mission, orientations, approaches and practices")
        COMMUNITY_INITIATIVE = "aca_community_initiative", _("Was created at the initiative of people of the community")
        SOCIAL_TRANSFORMATION = "aca_social_transformation", _("Pursues a mission of social transformation")
        CITIZEN_PRACTICES = "aca_citizen_practices", _("Has citizen practices and broad approaches to the problems")
        INDEPENDENT_BOARD = "aca_independent_board", _("Has a board independent of the public network")

    class Sector(models.TextChoices):
        COMMUNITY = "community", _("Community organisation")
        PUBLIC = "public", _("Public institution")
        MUNICIPAL = "municipal", _("Municipal")
        EDUCATION = "education", _("Education")
        PRIVATE = "private", _("Private")
        SOCIAL_ECONOMY = "social_economy", _("Social economy")
        PHILANTHROPY = "philanthropy", _("Philanthropy")
        GOVERNMENT = "government", _("Government")
        CITIZEN_GROUP = "citizen_group", _("Citizen group")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    # Kept, and kept true only when the eight criteria below are met (the actions compute it): lists, filters,
    # exports and analytics read this one column.
    is_aca = models.BooleanField(
        _("autonomous community action (ACA)"),
        default=False,
        help_text=_("Only community organisations can be recognised as ACA."),
    )
    aca_non_profit = models.BooleanField(AcaCriterion.NON_PROFIT.label, default=False)
    aca_rooted = models.BooleanField(AcaCriterion.ROOTED.label, default=False)
    aca_democratic = models.BooleanField(AcaCriterion.DEMOCRATIC.label, default=False)
    aca_free = models.BooleanField(AcaCriterion.FREE.label, default=False)
    aca_community_initiative = models.BooleanField(AcaCriterion.COMMUNITY_INITIATIVE.label, default=False)
    aca_social_transformation = models.BooleanField(AcaCriterion.SOCIAL_TRANSFORMATION.label, default=False)
    aca_citizen_practices = models.BooleanField(AcaCriterion.CITIZEN_PRACTICES.label, default=False)
    aca_independent_board = models.BooleanField(AcaCriterion.INDEPENDENT_BOARD.label, default=False)
    aca_verified_on = models.DateField(_("ACA criteria last checked on"), null=True, blank=True)
    funding_visibility = models.CharField(
        _("who sees the detail of the funding"),
        max_length=20,
        choices=FundingVisibility.choices,
        default=FundingVisibility.COORDINATORS,
        help_text=_("Totals per year stay available, without the detail, to the network-wide analytics."),
    )
    neq = models.CharField(_("Quebec enterprise number (NEQ)"), max_length=10, blank=True, validators=[neq_validator])
    mission = models.TextField(_("mission"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=[MinValueValidator(1600), MaxValueValidator(2100)]
    )
    rls = models.ForeignKey(
        Territory,
        verbose_name=_("local services network (RLS)"),
        on_delete=models.PROTECT,
        related_name="rls_organizations",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )
    territories = models.ManyToManyField(
        Territory, verbose_name=_("territories served"), blank=True, related_name="organizations"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(
        _("publish a public page"),
        default=False,
        help_text=_("Anyone can then see its name, mission and contact details."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "rls",
                name="organization_name_unique_in_rls",
                violation_error_message=_("An organisation with this name already exists in this RLS."),
            ),
            models.CheckConstraint(
                condition=Q(is_aca=False) | Q(sector="community"),
                name="organization_aca_community",
                violation_error_message=_("Only community organisations can be recognised as ACA."),
            ),
        ]
        indexes = [
            # The organisation list filters by RLS and sector and sorts by name.
            models.Index(fields=["rls", "sector", "name"], name="org_rls_sector_name_idx"),
            models.Index(fields=["rls", "name"], name="org_rls_name_idx"),
            # The administrator's unfiltered list sorts every organisation by name.
            models.Index(fields=["name", "id"], name="org_name_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organization_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def aca_criteria(self) -> list[str]:
        """The criteria met, as codes (the form's and the API's value)."""
        return [code for code in self.AcaCriterion.values if getattr(self, code)]


class OrganizationLink(models.Model):
    """One organisation followed another: a merger (CSSS → CISSS in 2015) or a replacement (a commission scolaire by
    a centre de services scolaire in 2020), so history, memberships and agreements read across the change."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("Merger")
        REPLACEMENT = "replacement", _("Replacement")

    predecessor = models.ForeignKey(
        Organization, verbose_name=_("predecessor"), on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Organization, verbose_name=_("successor"), on_delete=models.CASCADE, related_name="predecessor_links"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="organization_link_once"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="organization_link_not_itself",
                violation_error_message=_("An organisation cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date})"


class FundingLine(models.Model):
    class Source(models.TextChoices):
        PSOC_MISSION = "psoc_mission", _("Core mission funding (PSOC)")
        PROGRAMME = "programme", _("Programme or project funding")
        SERVICE_AGREEMENT = "service_agreement", _("Service agreement")
        COLLABORATION_AGREEMENT = "collaboration", _("Collaboration agreement")
        MUNICIPAL = "municipal", _("Municipal")
        PHILANTHROPIC = "philanthropic", _("Philanthropic")
        OWN_REVENUE = "own_revenue", _("Own revenue")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="funding_lines")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("amount (CAD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    funder = models.CharField(_("funder"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["-year", "source"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} {self.amount} $"


class PersonQuerySet(models.QuerySet):
    def active(self) -> "PersonQuerySet":
        return self.filter(archived_at__isnull=True)


class Person(TimeStamped):
    class DecisionLevel(models.TextChoices):
        EXECUTIVE = "executive", _("Executive (director, elected official)")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")
        VOLUNTEER = "volunteer", _("Volunteer")
        CITIZEN = "citizen", _("Citizen")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    position = models.CharField(_("position"), max_length=200, blank=True)
    decision_level = models.CharField(_("decision level"), max_length=20, choices=DecisionLevel.choices)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # The person's own Maillage account, if any: lets them vote in plenaries and follow their meetings.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )  # fmt: skip

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:person_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Affiliation(models.Model):
    """A person represents or works for an organisation over a period (several over the years)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="affiliations")
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="affiliation_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]
        indexes = [models.Index(fields=["organization", "person"], name="affiliation_org_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()


class RoleAssignment(models.Model):
    """What a user may do: coordinate or analyse an RLS, or represent an organisation."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Network coordinator")
        ANALYST = "analyst", _("Analyst")
        REPRESENTATIVE = "representative", _("Organisation representative")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    rls = models.ForeignKey(
        Territory,
        verbose_name=_("RLS"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        limit_choices_to={"kind": Territory.Kind.RLS},
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="representative", organization__isnull=False, rls__isnull=True))
                | (Q(role__in=["coordinator", "analyst"], rls__isnull=False, organization__isnull=True)),
                name="role_scope_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.rls or self.organization}"


class ImportBatch(models.Model):
    """An uploaded file checked in a dry run, waiting for the user's confirmation (all rows or none)."""

    class Kind(models.TextChoices):
        ORGANIZATIONS = "organizations", _("Organisations")
        PEOPLE = "people", _("People")
        TERRITORIES = "territories", _("Territories")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"


class ChangeRequest(models.Model):
    """A change an RLS coordinator proposes to the record of an organisation that keeps its own (it has a
    representative account): the organisation accepts it (applied through the registry's actions) or refuses it."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Profile of the organisation")
        FUNDING_ADD = "funding_add", _("New funding line")
        FUNDING_REMOVE = "funding_remove", _("Removal of a funding line")
        PERSON = "person", _("Details of a person")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organisation's answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    funding_line = models.ForeignKey(
        FundingLine, verbose_name=_("funding line"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The input as the action takes it (ids for related objects), applied as it stands when accepted.
    payload = models.JSONField(default=dict)
    # What the proposal changes, field → [before, after], computed when proposed: the history keeps it.
    changes = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            # The organisation page lists its proposals, pending first.
            models.Index(fields=["organization", "status"], name="change_request_org_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organization}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
