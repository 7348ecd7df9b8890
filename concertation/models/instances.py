"""Concertation instances (tables, assemblies, committees), their memberships over time and delegations."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from registry.models import Organization, Person, Territory


class BourqueType(models.TextChoices):
    """Bourque's typology of partnership (domain.md §4)."""

    POLITIQUE = "politique", _("Political (State / community)")
    PLANIFICATION_ORIENTATION = "planification_orientation", _("Planning and orientation")
    OPERATIONNEL_PROGRAMME = "operationnel_programme", _("Operational, by programme")
    OPERATIONNEL_TERRITOIRE = "operationnel_territoire", _("Operational, by territory")


class BourqueObject(models.TextChoices):
    """What the partnership deals with: the "object" variable of Bourque's typology (domain.md §4)."""

    NOT_SAID = "", _("Not said")
    POPULATION = "population", _("The whole population of a territory")
    PROGRAMME = "programme", _("A programme, problem or clientele")
    PLANNING = "planning", _("Regional planning and orientations")
    POLITICAL = "political", _("State / community relations: recognition, funding, evaluation")
    AGREEMENT = "agreement", _("Following one agreement between its parties")


class Instance(TimeStamped):
    class Kind(models.TextChoices):
        TABLE = "table", _("Concertation table")
        ASSEMBLY = "assembly", _("Partners' assembly")
        COORDINATION_COMMITTEE = "coordination_committee", _("Coordination committee")
        LOCAL_ACTION_COMMITTEE = "local_action_committee", _("Local action committee")
        JOINT_COMMITTEE = "joint_committee", _("Joint committee (agreement)")
        WORKING_GROUP = "working_group", _("Working group")
        OTHER = "other", _("Other")

    class Basis(models.TextChoices):
        THEMATIC = "thematic", _("Thematic (programme, problem or clientele)")
        TERRITORIAL = "territorial", _("Territorial")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        SUBREGIONAL = "subregional", _("Sub-regional")
        LOCAL = "local", _("Local")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    mandate = models.TextField(_("mandate"), blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    theme = models.CharField(
        _("theme"), max_length=200, blank=True, help_text=_("Programme, problem or clientele, for a thematic instance.")
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The RLS whose coordinators run the instance and whose registry it draws on.
    rls = models.ForeignKey(
        Territory,
        verbose_name=_("local services network (RLS)"),
        on_delete=models.PROTECT,
        related_name="instances",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent instance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    support_organization = models.ForeignKey(
        Organization, verbose_name=_("support organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="supported_instances",
    )  # fmt: skip
    secretariat_organization = models.ForeignKey(
        Organization, verbose_name=_("secretariat"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="secretariat_instances",
    )  # fmt: skip
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("instance coordinators"), blank=True,
        related_name="coordinated_instances",
        help_text=_("Besides the RLS coordinators, these users may run the instance."),
    )  # fmt: skip
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public instances are visible to every user of the RLS.")
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    bourque_override = models.CharField(
        _("Bourque type (chosen)"), max_length=30, choices=BourqueType.choices, blank=True
    )
    bourque_override_reason = models.TextField(_("justification of the chosen type"), blank=True)
    bourque_object = models.CharField(
        _("object of the partnership"), max_length=20, choices=BourqueObject.choices, blank=True, default="",
        help_text=_("What the partners deal with together: the whole population of a territory, one programme or "
                    "clientele, regional planning, State–community relations, or one agreement."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="instance_closed_after_opened",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(bourque_override="") | ~Q(bourque_override_reason=""),
                name="instance_override_justified",
                violation_error_message=_("Justify the chosen Bourque type."),
            ),
        ]
        indexes = [
            # The instance list of an RLS filters on it and sorts by name.
            models.Index(fields=["rls", "name"], name="instance_rls_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("concertation:instance_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day) -> "MembershipQuerySet":
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def exits(self) -> "MembershipQuerySet":
        """Memberships that end (or ended), whatever the reason given."""
        return self.filter(end_date__isnull=False)

    def exits_by_year(self) -> models.QuerySet:
        """Rows ``{"year", "exit_reason", "count"}`` by year of the end date, in one aggregate query."""
        return (
            self.exits()
            .annotate(year=ExtractYear("end_date"))
            .values("year", "exit_reason")
            .annotate(count=Count("pk"))
            .order_by("year", "exit_reason")
        )


class Membership(models.Model):
    class ExitReason(models.TextChoices):
        LEFT_BY_CHOICE = "left_by_choice", _("Withdrew by choice")
        OVER_SOLICITATION = "over_solicitation", _("Too many concertations")
        LOST_FUNDING = "lost_funding", _("Lost its funding")
        MANDATE_ENDED = "mandate_ended", _("Mandate ended")
        MERGER_OR_CLOSURE = "merger_or_closure", _("Merger or closure")
        DISAGREEMENT = "disagreement", _("Disagreement")
        STAFF_TURNOVER = "staff_turnover", _("Staff turnover")
        OTHER = "other", _("Other")

    class Role(models.TextChoices):
        MEMBER = "member", _("Voting member")
        OBSERVER = "observer", _("Observer")
        CHAIR = "chair", _("Chair / facilitation")
        SECRETARIAT = "secretariat", _("Secretariat")
        DELEGATE = "delegate", _("Delegate")
        # A person who sits as themself, for no organisation (issue 11: the seeds count engaged citizens among the
        # actors, domain.md §1); the participation analytics count these seats apart from the organisations'.
        CITIZEN = "citizen", _("Citizen")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships", help_text=_("Empty for a citizen seat: a person who sits as themself."),
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("representative"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="memberships",
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Why a member left: the participation curve says why 44 members became fewer (domain.md §6).
    exit_reason = models.CharField(_("exit reason"), max_length=30, choices=ExitReason.choices, blank=True)
    exit_note = models.TextField(_("note on the exit"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["instance", "organization__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(exit_reason="") | Q(end_date__isnull=False),
                name="membership_exit_reason_needs_end",
                violation_error_message=_("An exit reason needs the end date of the membership."),
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(person__isnull=False),
                name="membership_names_a_seat_holder",
                violation_error_message=_("Name the organisation, or the person who sits as a citizen."),
            ),
            models.CheckConstraint(
                condition=~Q(role="citizen") | Q(organization__isnull=True),
                name="membership_citizen_without_organization",
                violation_error_message=_(
                    "The citizen role is for a person who sits as themself, without an organisation."
                ),
            ),  # fmt: skip
        ]
        indexes = [
            # Participation per year and the member list of an instance.
            models.Index(fields=["instance", "start_date"], name="membership_instance_start_idx"),
            # Concertation load per organisation.
            models.Index(fields=["organization", "start_date"], name="membership_org_start_idx"),
        ]

    def __str__(self) -> str:
        if self.organization_id is None:
            return f"{self.seat_label} — {self.instance}"
        who = f" ({self.person})" if self.person_id else ""
        return f"{self.organization}{who} — {self.instance}"

    @property
    def is_citizen_seat(self) -> bool:
        return self.organization_id is None

    @property
    def seat_label(self) -> str:
        """Who holds the seat, as pages and minutes name it: the organisation, or the citizen."""
        if self.organization_id is not None:
            return self.organization.name
        return _("%(person)s (citizen)") % {"person": self.person}


class Delegation(models.Model):
    """A member of one instance holds a seat in another (a local committee's delegate to the coordination)."""

    source = models.ForeignKey(
        Membership, verbose_name=_("delegated by"), on_delete=models.CASCADE, related_name="delegations_out"
    )
    seat = models.OneToOneField(
        Membership, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="delegated_from"
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.source.instance} → {self.seat.instance}"


class ContextEventQuerySet(models.QuerySet):
    def for_instance(self, instance: Instance) -> "ContextEventQuerySet":
        """The instance's own events and those of its whole RLS."""
        return self.filter(Q(instance=instance) | Q(instance__isnull=True, rls_id=instance.rls_id))


class ContextEvent(models.Model):
    """A dated event that explains a concertation's course: a change of direction, a manager leaving, a ministerial
    directive, the loss of the support mandate, a merger (domain.md §6: in the VES case, the CSSS's managers changed
    in 2013 and the actors went from 44 down). Without an instance, it is an event of the whole RLS."""

    class Kind(models.TextChoices):
        CHANGE_OF_DIRECTION = "change_of_direction", _("Change of direction")
        MANAGER_TURNOVER = "manager_turnover", _("Manager turnover")
        MINISTERIAL_DIRECTIVE = "ministerial_directive", _("Ministerial directive")
        LOST_MANDATE = "lost_mandate", _("Loss of the support mandate")
        MERGER = "merger", _("Merger")
        FUNDING_CHANGE = "funding_change", _("Change in funding")
        OTHER = "other", _("Other")

    rls = models.ForeignKey(
        Territory, verbose_name=_("local services network (RLS)"), on_delete=models.PROTECT,
        related_name="context_events", limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    instance = models.ForeignKey(
        Instance, verbose_name=_("instance"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="context_events", help_text=_("Empty for an event of the whole RLS."),
    )  # fmt: skip
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of event"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    objects = ContextEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("context event")
        verbose_name_plural = _("context events")
        ordering = ["-date", "-pk"]
        indexes = [
            # The context of an instance page and its participation curve: the RLS's events by date...
            models.Index(fields=["rls", "date"], name="context_event_rls_date_idx"),
            # ...and the instance's own.
            models.Index(fields=["instance", "date"], name="context_event_inst_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} — {self.title}"

    @property
    def whole_rls(self) -> bool:
        return self.instance_id is None
