"""Who may see and run concertation instances, and whom an instance may name.

Coordinators of an instance: the network coordinators of its RLS and the users named on the instance.
Readers: coordinators and analysts of the RLS, and the representatives of member organisations; public
instances are also visible to every representative of an organisation of the RLS. Private instances stay
hidden from everyone else (404).

An instance draws on its RLS's registry: the organisations and people it names (members, owners of follow-up
items, substitutes, workshop participants, action leads and contributors, proposers of priorities) are
organisations of its RLS and people affiliated with one of them. The `*_of` helpers below are those scopes;
the actions check every reference against them, and the forms and serializers offer their choices from them.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from concertation.models import Instance, Meeting, Membership, PriorityExercise, Workshop
from registry.models import Affiliation, Organization, Person, Territory
from registry.rules import scope_for, under_paths


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


def rls_for(user) -> QuerySet:
    """The RLS where the user may create instances: those they coordinate (every RLS for an administrator)."""
    qs = Territory.objects.filter(kind=Territory.Kind.RLS)
    scope = scope_for(user)
    return qs if scope.is_admin else qs.filter(pk__in=scope.coordinated_rls)


# What an instance may name ---------------------------------------------------------------------------------


def organizations_of(instance: Instance) -> QuerySet:
    return Organization.objects.filter(rls_id=instance.rls_id)


def people_of(instance: Instance) -> QuerySet:
    """People affiliated with an organisation of the instance's RLS, and the citizens who hold (or held) a citizen
    seat on one of its instances: a citizen need not be affiliated with any organisation."""
    return Person.objects.filter(
        Exists(Affiliation.objects.filter(person=OuterRef("pk"), organization__rls_id=instance.rls_id))
        | Exists(citizen_seats_in([instance.rls_id]).filter(person=OuterRef("pk")))
    )


def citizen_seats_in(rls_ids) -> QuerySet:
    """Citizen seats (a person without an organisation) on the instances of these RLS."""
    return Membership.objects.filter(organization__isnull=True, instance__rls_id__in=rls_ids)


def citizens_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Citizens the user may name: those sitting (or who sat) on an instance of an RLS the user reads or
    coordinates (everyone for an administrator). The registry shows people through their affiliations; a
    citizen has none."""
    qs = Person.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(Exists(citizen_seats_in(scope.readable_rls).filter(person=OuterRef("pk"))))


def people_affiliated_with(organizations) -> QuerySet:
    """People affiliated with the organisation (or with one of the organisations of a queryset)."""
    if isinstance(organizations, Organization):
        organizations = Organization.objects.filter(pk=organizations.pk)
    return Person.objects.filter(
        Exists(Affiliation.objects.filter(person=OuterRef("pk"), organization__in=organizations))
    )


def territories_of(instance: Instance) -> QuerySet:
    """The instance's RLS and the territories under it."""
    return Territory.objects.filter(
        under_paths(Territory.objects.filter(pk=instance.rls_id).values_list("path", flat=True))
    )


def instances_of(instance: Instance) -> QuerySet:
    return Instance.objects.filter(rls_id=instance.rls_id)


def member_organizations(meeting: Meeting) -> QuerySet:
    """Organisations sitting on the instance on the meeting's date (who may own a follow-up item)."""
    day = timezone.localdate(meeting.starts_at)
    return Organization.objects.filter(pk__in=meeting.instance.memberships.active_on(day).values("organization_id"))


def committees_under(instance: Instance) -> set[int]:
    """Instances below this one in the structure (local committees under the assembly), any depth."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Instance.objects.filter(rls_id=instance.rls_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [instance.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != instance.pk:
                found.add(child)
                todo.append(child)
    return found


def proposers_for(user, exercise: PriorityExercise) -> tuple[QuerySet, QuerySet]:
    """On whose behalf the user may propose a candidate: current member organisations they represent or whose
    seat they hold, and the committees under the instance that they coordinate."""
    seats = exercise.instance.memberships.active_on(timezone.localdate()).filter(
        Q(organization_id__in=scope_for(user).represented_orgs) | Q(person__account=user)
    )
    organizations = Organization.objects.filter(pk__in=seats.values("organization")).order_by("name")
    under = Instance.objects.filter(pk__in=committees_under(exercise.instance))
    committees = coordinated_instances_for(user, under).order_by("name")
    return organizations, committees


def own_person(user) -> Person | None:
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def eligible_voters(exercise: PriorityExercise) -> QuerySet:
    """Plenary participants: the current representatives of the instance's members and the workshop participants."""
    today = timezone.localdate()
    members = exercise.instance.memberships.active_on(today).exclude(person=None).values("person")
    workshops = Workshop.participants.through.objects.filter(workshop__exercise=exercise).values("person")
    return Person.objects.active().filter(Q(pk__in=members) | Q(pk__in=workshops))


# Predicates ------------------------------------------------------------------------------------------------


@rules.predicate
def coordinates_instance(user, instance: Instance) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
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


@rules.predicate
def coordinates_exercise(user, exercise: PriorityExercise) -> bool:
    return coordinates_instance(user, exercise.instance)


@rules.predicate
def may_propose(user, exercise: PriorityExercise) -> bool:
    organizations, committees = proposers_for(user, exercise)
    return organizations.exists() or committees.exists()


@rules.predicate
def takes_part_in_plenary(user, exercise: PriorityExercise) -> bool:
    person = own_person(user)
    return person is not None and eligible_voters(exercise).filter(pk=person.pk).exists()


rules.add_perm("concertation.view_instance", can_read_instance)
rules.add_perm("concertation.add_instance", can_add_instance)
rules.add_perm("concertation.change_instance", coordinates_instance)
# Members propose priorities while candidates are collected; coordinators add them (change_instance).
rules.add_perm("concertation.propose_candidate", may_propose)
# Coordinators record any participant's ballot; a participant whose account is linked votes as themself.
rules.add_perm("concertation.cast_ballot", coordinates_exercise | takes_part_in_plenary)
rules.add_perm("concertation.manage_calendar_feed", rules.is_authenticated)
