"""Who may see and run concertation instances.

Coordinators of an instance: the network coordinators of its RLS and the users named on the instance.
Readers: coordinators and analysts of the RLS, and the representatives of member organisations; public
instances are also visible to every representative of an organisation of the RLS. Private instances stay
hidden from everyone else (404).
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from concertation.models import Instance, Membership
from registry.models import Organization
from registry.rules import scope_for


def _member_orgs_q(org_ids) -> Exists:
    return Exists(Membership.objects.filter(instance=OuterRef("pk"), organization_id__in=org_ids))


def _named_coordinator_q(user) -> Exists:
    return Exists(Instance.coordinators.through.objects.filter(instance=OuterRef("pk"), user=user))


def instances_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Instance.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    rep_rls = Organization.objects.filter(pk__in=scope.represented_orgs).values("rls_id")
    return qs.filter(
        Q(rls_id__in=scope.readable_rls)
        | _named_coordinator_q(user)
        | _member_orgs_q(scope.represented_orgs)
        | Exists(Membership.objects.filter(instance=OuterRef("pk"), person__account=user))
        | Q(is_public=True, rls_id__in=rep_rls)
    )


def coordinated_instances_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Instance.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(rls_id__in=scope.coordinated_rls) | _named_coordinator_q(user))


@rules.predicate
def coordinates_instance(user, instance: Instance) -> bool:
    scope = scope_for(user)
    if scope.is_admin or instance.rls_id in scope.coordinated_rls:
        return True
    return instance.coordinators.filter(pk=user.pk).exists()


@rules.predicate
def can_read_instance(user, instance: Instance) -> bool:
    return instances_for(user, Instance.objects.filter(pk=instance.pk)).exists()


@rules.predicate
def can_add_instance(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.coordinated_rls)


rules.add_perm("concertation.view_instance", can_read_instance)
rules.add_perm("concertation.add_instance", can_add_instance)
rules.add_perm("concertation.change_instance", coordinates_instance)
