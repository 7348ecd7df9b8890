"""Concertation instances (tables, assemblies, committees), their memberships over time and delegations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Voting member")
        OBSERVER = "observer", _("Observer")
        CHAIR = "chair", _("Chair / facilitation")
        SECRETARIAT = "secretariat", _("Secretariat")
        DELEGATE = "delegate", _("Delegate")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("representative"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="memberships",
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

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
            )
        ]
        indexes = [
            # Participation per year and the member list of an instance.
            models.Index(fields=["instance", "start_date"], name="membership_instance_start_idx"),
            # Concertation load per organisation.
            models.Index(fields=["organization", "start_date"], name="membership_org_start_idx"),
        ]

    def __str__(self) -> str:
        who = f" ({self.person})" if self.person_id else ""
        return f"{self.organization}{who} — {self.instance}"


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
