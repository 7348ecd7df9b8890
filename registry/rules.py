"""Who may see and change what in the registry, object by object (django-rules).

Each permission has a matching queryset helper so lists show only what the user may see.
Roles: platform administrator (superuser), network coordinator and analyst (scoped to an RLS),
organisation representative (scoped to an organisation).

An organisation with at least one representative account keeps its own record (profile, people, funding lines):
its representatives edit it, the RLS coordinators propose changes it accepts or refuses (ChangeRequest), and the
administrator keeps direct editing for platform support. An organisation without a representative is maintained by
the coordinators. It also chooses who reads the detail of its funding lines (`funding_visibility`).
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.models import Affiliation, ChangeRequest, FundingLine, Organization, Person, RoleAssignment, Territory


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    coordinated_rls: frozenset[int] = field(default_factory=frozenset)
    analysed_rls: frozenset[int] = field(default_factory=frozenset)
    represented_orgs: frozenset[int] = field(default_factory=frozenset)

    @property
    def readable_rls(self) -> frozenset[int]:
        return self.coordinated_rls | self.analysed_rls


def scope_for(user) -> Scope:
    """The user's roles, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_maillage_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_admin=True)
    else:
        coordinated, analysed, represented = set(), set(), set()
        for role, rls_id, org_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "rls_id", "organization_id"
        ):
            if role == RoleAssignment.Role.COORDINATOR:
                coordinated.add(rls_id)
            elif role == RoleAssignment.Role.ANALYST:
                analysed.add(rls_id)
            else:
                represented.add(org_id)
        scope = Scope(False, frozenset(coordinated), frozenset(analysed), frozenset(represented))
    user._maillage_scope = scope
    return scope


# Querysets ----------------------------------------------------------------------------------


def organizations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Organization.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(Q(rls_id__in=scope.readable_rls) | Q(pk__in=scope.represented_orgs))


def has_representative() -> Exists:
    """True for an organisation that keeps its own record: at least one representative account."""
    return Exists(RoleAssignment.objects.filter(role=RoleAssignment.Role.REPRESENTATIVE, organization=OuterRef("pk")))


def is_owned(org: Organization) -> bool:
    """Read once per organisation object (the pages ask several rules about the same one)."""
    owned = getattr(org, "_maillage_owned", getattr(org, "has_representative", None))  # annotated on API lists
    if owned is None:
        owned = RoleAssignment.objects.filter(role=RoleAssignment.Role.REPRESENTATIVE, organization=org).exists()
        org._maillage_owned = owned
    return owned


def editable_organizations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Organisations whose record the user edits directly: their own, and for a coordinator those of their RLS that
    have no representative (an organisation with one keeps its record: the coordinator proposes changes)."""
    qs = Organization.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(rls_id__in=scope.coordinated_rls, pk__in=Organization.objects.exclude(has_representative()).values("pk"))
        | Q(pk__in=scope.represented_orgs)
    )


def proposable_organizations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Organisations of the coordinator's RLS that keep their own record: changes to them are proposed."""
    qs = Organization.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin or not scope.coordinated_rls:
        return qs.none()
    return qs.filter(has_representative(), rls_id__in=scope.coordinated_rls).exclude(pk__in=scope.represented_orgs)


def change_requests_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Proposals the user sees: those to their organisation, those of the RLS they coordinate (all: admin)."""
    qs = ChangeRequest.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(Q(organization__rls_id__in=scope.coordinated_rls) | Q(organization_id__in=scope.represented_orgs))


def funding_readable_organizations_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Organisations whose funding lines the user reads in detail, as each one chose (`funding_visibility`).

    Network-wide analytics read totals without this rule; every page, export or API answer showing an
    organisation's lines or its amounts by source goes through it."""
    qs = organizations_for(user, queryset)
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    visibility = Organization.FundingVisibility
    return qs.filter(
        Q(pk__in=scope.represented_orgs)
        | Q(funding_visibility=visibility.READERS)
        | Q(funding_visibility=visibility.COORDINATORS, rls_id__in=scope.coordinated_rls)
    )


def funding_lines_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = FundingLine.objects.all() if queryset is None else queryset
    return qs.filter(organization__in=funding_readable_organizations_for(user))


def _affiliated_with(orgs_q: Q) -> Exists:
    return Exists(Affiliation.objects.filter(orgs_q, person=OuterRef("pk")))


def people_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Person.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(
        _affiliated_with(Q(organization__rls_id__in=scope.readable_rls) | Q(organization_id__in=scope.represented_orgs))
    )


def editable_people_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """People affiliated with an organisation whose record the user edits directly. A person shared with an
    organisation maintained by the coordinator stays editable by the coordinator through it."""
    qs = Person.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    return qs.filter(_affiliated_with(Q(organization__in=editable_organizations_for(user))))


def proposable_people_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """People the coordinator cannot edit directly but who belong to an organisation of their RLS keeping its own
    record: their changes are proposed to that organisation."""
    qs = Person.objects.all() if queryset is None else queryset
    return qs.filter(_affiliated_with(Q(organization__in=proposable_organizations_for(user)))).exclude(
        pk__in=editable_people_for(user).values("pk")
    )


def territories_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Territories are public reference data for every signed-in user."""
    qs = Territory.objects.all() if queryset is None else queryset
    return qs if getattr(user, "is_authenticated", False) else qs.none()


def editable_territories_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Territory.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not scope.coordinated_rls:
        return qs.none()
    return qs.filter(under_paths(Territory.objects.filter(pk__in=scope.coordinated_rls).values_list("path", flat=True)))


def placeable_rls_for(user) -> QuerySet:
    """The RLS a user may place an organisation in: those they coordinate (every one for the administrator)."""
    rls = Territory.objects.filter(kind=Territory.Kind.RLS)
    scope = scope_for(user)
    return rls if scope.is_admin else rls.filter(pk__in=scope.coordinated_rls)


def under_paths(paths) -> Q:
    """Territories at or below any of the given tree paths (matches nothing when there are none)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


# Predicates ---------------------------------------------------------------------------------


@rules.predicate
def is_admin(user) -> bool:
    return scope_for(user).is_admin


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(scope_for(user).coordinated_rls)


@rules.predicate
def is_registry_reader(user) -> bool:
    scope = scope_for(user)
    return bool(scope.readable_rls)


@rules.predicate
def has_any_role(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.readable_rls or scope.represented_orgs)


@rules.predicate
def can_read_organization(user, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or org.rls_id in scope.readable_rls or org.pk in scope.represented_orgs


@rules.predicate
def can_edit_organization(user, org: Organization) -> bool:
    scope = scope_for(user)
    if scope.is_admin or org.pk in scope.represented_orgs:
        return True
    return org.rls_id in scope.coordinated_rls and not is_owned(org)


@rules.predicate
def can_propose_change(user, org: Organization) -> bool:
    scope = scope_for(user)
    if scope.is_admin or org.pk in scope.represented_orgs:
        return False
    return org.rls_id in scope.coordinated_rls and is_owned(org)


@rules.predicate
def can_propose_person_change(user, person: Person) -> bool:
    return proposable_people_for(user, Person.objects.filter(pk=person.pk)).exists()


@rules.predicate
def can_answer_change(user, change: ChangeRequest) -> bool:
    """Only the organisation answers the proposals made to it."""
    return change.organization_id in scope_for(user).represented_orgs


@rules.predicate
def can_withdraw_change(user, change: ChangeRequest) -> bool:
    scope = scope_for(user)
    return scope.is_admin or change.organization.rls_id in scope.coordinated_rls


@rules.predicate
def can_read_funding(user, org: Organization) -> bool:
    """The same rule as funding_readable_organizations_for, on one object without a query (API lists)."""
    scope = scope_for(user)
    if not can_read_organization(user, org):
        return False
    if scope.is_admin or org.pk in scope.represented_orgs:
        return True
    visibility = Organization.FundingVisibility
    if org.funding_visibility == visibility.READERS:
        return True
    return org.funding_visibility == visibility.COORDINATORS and org.rls_id in scope.coordinated_rls


@rules.predicate
def can_set_funding_visibility(user, org: Organization) -> bool:
    """The organisation's own choice (the administrator may correct it for platform support)."""
    scope = scope_for(user)
    return scope.is_admin or org.pk in scope.represented_orgs


@rules.predicate
def coordinates_organization(user, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or org.rls_id in scope.coordinated_rls


@rules.predicate
def can_read_person(user, person: Person) -> bool:
    return people_for(user, Person.objects.filter(pk=person.pk)).exists()


@rules.predicate
def can_edit_person(user, person: Person) -> bool:
    return editable_people_for(user, Person.objects.filter(pk=person.pk)).exists()


@rules.predicate
def can_edit_affiliation(user, affiliation: Affiliation) -> bool:
    """A person shared by two organisations: each one's people manage only their own affiliation."""
    return can_edit_organization(user, affiliation.organization)


@rules.predicate
def can_edit_territory(user, territory: Territory) -> bool:
    return editable_territories_for(user, Territory.objects.filter(pk=territory.pk)).exists()


can_create_people = is_admin | is_coordinator | rules.predicate(lambda user: bool(scope_for(user).represented_orgs))

rules.add_perm("registry.view_registry", has_any_role)
rules.add_perm("registry.view_organization", can_read_organization)
rules.add_perm("registry.add_organization", is_admin | is_coordinator)
rules.add_perm("registry.change_organization", can_edit_organization)
rules.add_perm("registry.archive_organization", coordinates_organization)
rules.add_perm("registry.propose_change", can_propose_change)
rules.add_perm("registry.propose_person_change", can_propose_person_change)
rules.add_perm("registry.answer_change", can_answer_change)
rules.add_perm("registry.withdraw_change", can_withdraw_change)
rules.add_perm("registry.view_funding", can_read_funding)
rules.add_perm("registry.set_funding_visibility", can_set_funding_visibility)
rules.add_perm("registry.view_person", can_read_person)
rules.add_perm("registry.add_person", can_create_people)
rules.add_perm("registry.change_person", can_edit_person)
rules.add_perm("registry.archive_person", can_edit_person)
rules.add_perm("registry.change_affiliation", can_edit_affiliation)
rules.add_perm("registry.view_territory", rules.is_authenticated)
rules.add_perm("registry.add_territory", is_admin | is_coordinator)
rules.add_perm("registry.change_territory", can_edit_territory)
rules.add_perm("registry.delete_territory", can_edit_territory)
rules.add_perm("registry.import_registry", is_admin | is_coordinator)
rules.add_perm("registry.export_registry", is_admin | is_registry_reader | has_any_role)
