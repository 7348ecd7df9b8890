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
from django.db.models import Exists, OuterRef, Q, QuerySet

from concertation.models import Instance, Membership
from concertation.rules import coordinated_instances_for
from evaluation.models import Campaign, Instrument
from registry.models import Territory
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
