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
    is_aca = models.BooleanField(
        _("autonomous community action (ACA)"),
        default=False,
        help_text=_("Only community organisations can be recognised as ACA."),
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


class FundingLine(models.Model):
    class Source(models.TextChoices):
        PSOC_MISSION = "psoc_mission", _("Mission funding (PSOC)")
        PROGRAMME = "programme", _("Programme or project funding")
        SERVICE_AGREEMENT = "service_agreement", _("Service agreement")
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
