"""Who may see and run evaluations.

- Instruments: the shipped ones are read by every user with a role; a copy belongs to its RLS, read by that
  RLS's readers and edited by its coordinators. Only coordinators (and administrators) copy an instrument.
- Campaigns: run by the coordinators of their RLS. Results of an instance are visible to its members (the
  representatives of member organisations, and people holding a membership) and the RLS coordinators only;
  analysts and the rest of the network see them once a recorded decision of the members releases them (the
  self-evaluation rule of Bilodeau et al.'s tool, applied to every campaign).
- Answering needs no account: the personal link is the credential (evaluation.links).
"""

import rules
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from concertation.models import Instance, Membership
from concertation.rules import coordinated_instances_for, coordinates_instance, instances_for
from evaluation.models import Campaign, Instrument, PlacementNote, Report
from registry.models import Organization, Territory
from registry.rules import scope_for


def instruments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Instrument.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(rls__isnull=True) | Q(rls_id__in=scope.readable_rls))


def evaluation_rls_for(user) -> QuerySet:
    """The RLS where the user runs evaluations: those they coordinate (every RLS for an administrator)."""
    qs = Territory.objects.filter(kind=Territory.Kind.RLS)
    scope = scope_for(user)
    return qs if scope.is_admin else qs.filter(pk__in=scope.coordinated_rls)


def _member_of_q(user, org_ids) -> Q:
    members = Membership.objects.filter(instance__campaigns=OuterRef("pk"))
    return Q(Exists(members.filter(organization_id__in=org_ids))) | Q(Exists(members.filter(person__account=user)))


def campaigns_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Campaigns whose page (response rate, results) the user may open."""
    qs = Campaign.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(
        Q(rls_id__in=scope.coordinated_rls)
        | _member_of_q(user, scope.represented_orgs)
        | Q(release_decision__isnull=False, rls_id__in=scope.readable_rls)
    )


def campaign_instances_for(user) -> QuerySet:
    """Instances a campaign may be sent to: those the user coordinates."""
    return coordinated_instances_for(user, Instance.objects.filter(rls__kind=Territory.Kind.RLS))


# Predicates ------------------------------------------------------------------------------------------------


@rules.predicate
def runs_evaluations(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.coordinated_rls)


@rules.predicate
def coordinates_rls_of(user, obj) -> bool:
    scope = scope_for(user)
    return scope.is_admin or (obj.rls_id is not None and obj.rls_id in scope.coordinated_rls)


@rules.predicate
def can_read_instrument(user, instrument: Instrument) -> bool:
    return instruments_for(user, Instrument.objects.filter(pk=instrument.pk)).exists()


@rules.predicate
def can_read_campaign(user, campaign: Campaign) -> bool:
    return campaigns_for(user, Campaign.objects.filter(pk=campaign.pk)).exists()


rules.add_perm("evaluation.view_instrument", can_read_instrument)
rules.add_perm("evaluation.add_instrument", runs_evaluations)
rules.add_perm("evaluation.change_instrument", coordinates_rls_of)
rules.add_perm("evaluation.add_campaign", runs_evaluations)
rules.add_perm("evaluation.view_campaign", can_read_campaign)
rules.add_perm("evaluation.change_campaign", coordinates_rls_of)


# The diagnosis and the notes beside it ---------------------------------------------------------------------
# An instance's diagnosis is read by whoever reads the instance; an RLS's, which reads every instance of the RLS
# (private ones included), by its coordinators and analysts. Its coordinators and the instance's members annotate
# it; unreleased survey campaigns count only for those who see their results (campaigns_for).


def diagnosis_rls_for(user) -> QuerySet:
    """The RLS whose diagnosis the user reads: those they coordinate or analyse (every RLS for an administrator)."""
    qs = Territory.objects.filter(kind=Territory.Kind.RLS)
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(pk__in=scope.readable_rls)


def _seats_of(user, instance: Instance) -> QuerySet:
    """The instance's memberships through which the user is a member: their organisation's seat, or their own."""
    return Membership.objects.filter(
        Q(organization_id__in=scope_for(user).represented_orgs) | Q(person__account=user), instance=instance
    )


def is_instance_member(user, instance: Instance) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return _seats_of(user, instance).exists()


def sees_unreleased_instance(user, instance: Instance) -> bool:
    """Unreleased campaigns count in the instance's diagnosis for the RLS's coordinators and the members."""
    scope = scope_for(user)
    return scope.is_admin or instance.rls_id in scope.coordinated_rls or is_instance_member(user, instance)


def coordinates_rls(user, rls: Territory) -> bool:
    scope = scope_for(user)
    return scope.is_admin or rls.pk in scope.coordinated_rls


def sees_unreleased_rls(user, rls: Territory) -> bool:
    """Unreleased campaigns count in an RLS's diagnosis for its coordinators only (as on its dashboard)."""
    return coordinates_rls(user, rls)


def speaks_for(user, *, instance: Instance | None = None, rls: Territory | None = None) -> Organization | None:
    """The organisation a note's author speaks for: the member organisation whose seat they hold or represent (the
    current seat first), or for an RLS the organisation of that RLS they represent; None for a coordinator."""
    if not getattr(user, "is_authenticated", False):
        return None
    if instance is not None:
        seat = _seats_of(user, instance).select_related("organization").order_by(
            F("end_date").desc(nulls_first=True), "-start_date", "pk"
        ).first()  # fmt: skip
        return seat.organization if seat is not None else None
    represented = scope_for(user).represented_orgs
    return Organization.objects.filter(pk__in=represented, rls=rls).order_by("name", "pk").first()


def placement_notes_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Notes beside the diagnoses the user reads."""
    qs = PlacementNote.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(
        Q(instance__isnull=False, instance__in=instances_for(user))
        | Q(instance__isnull=True, rls_id__in=scope.readable_rls)
    )


@rules.predicate
def can_read_instance_diagnosis(user, instance: Instance) -> bool:
    return instances_for(user, Instance.objects.filter(pk=instance.pk)).exists()


@rules.predicate
def can_read_rls_diagnosis(user, rls: Territory) -> bool:
    return diagnosis_rls_for(user).filter(pk=rls.pk).exists()


@rules.predicate
def annotates_instance_diagnosis(user, instance: Instance) -> bool:
    return coordinates_instance(user, instance) or is_instance_member(user, instance)


@rules.predicate
def annotates_rls_diagnosis(user, rls: Territory) -> bool:
    """Its coordinators, and the representatives of its organisations among those who read it."""
    if coordinates_rls(user, rls):
        return True
    represents = Organization.objects.filter(pk__in=scope_for(user).represented_orgs, rls=rls).exists()
    return represents and can_read_rls_diagnosis(user, rls)


@rules.predicate
def may_delete_note(user, note: PlacementNote) -> bool:
    """Its author, or a coordinator of what it annotates."""
    if not getattr(user, "is_authenticated", False):
        return False
    if note.author_id == user.pk:
        return True
    if note.instance_id is not None:
        return coordinates_instance(user, note.instance)
    return coordinates_rls(user, note.rls)


rules.add_perm("evaluation.view_instance_diagnosis", can_read_instance_diagnosis)
rules.add_perm("evaluation.view_rls_diagnosis", can_read_rls_diagnosis)
rules.add_perm("evaluation.annotate_instance_diagnosis", annotates_instance_diagnosis)
rules.add_perm("evaluation.annotate_rls_diagnosis", annotates_rls_diagnosis)
rules.add_perm("evaluation.delete_placementnote", may_delete_note)


# The RLS dashboard and PDF reports ------------------------------------------------------------------------


def reports_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Reports the user may follow and download: their own while they still read what it is about, and every report
    of the RLS they coordinate."""
    qs = Report.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = Q(requested_by=user) & (
        Q(kind=Report.Kind.BILAN, rls_id__in=scope.readable_rls)
        | Q(kind=Report.Kind.CAMPAIGN, campaign__in=campaigns_for(user).values("pk"))
    )
    return qs.filter(own | Q(rls_id__in=scope.coordinated_rls))


@rules.predicate
def reads_an_rls(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.readable_rls)


@rules.predicate
def reads_rls(user, rls: Territory | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or (rls is not None and rls.pk in scope.readable_rls)


rules.add_perm("evaluation.view_rls_dashboard", reads_an_rls)
rules.add_perm("evaluation.request_bilan", reads_rls)


# Networks (docs/network.md) -------------------------------------------------------------------------------------


def network_territories_for(user) -> QuerySet:
    """The territories whose networks the user reads: the RLS they coordinate or analyse (every RLS, health region
    and the province for an administrator). A network names every organisation in it, so it goes no wider than
    the registry the user reads."""
    qs = Territory.objects.filter(
        kind__in=[Territory.Kind.PROVINCE, Territory.Kind.HEALTH_REGION, Territory.Kind.RLS]
    ).order_by("path")
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(pk__in=scope.readable_rls)
