"""Who may see and work on an agreement (issue: "only parties' representatives and the network coordinator
see an agreement; the public sees nothing unless the parties publish it").

Readers: the network coordinators of its RLS and the representatives of its parties; once the parties publish
it, also every analyst and representative of the RLS (and anonymous visitors, on its public page). Once signed,
an agreement with a public body as a party is also read by the members of the RLS's concertation instances (issue
11 §3: a public body's agreements are accessible documents): the representatives of an organisation holding a
current seat on an instance of the RLS, and the people who hold such a seat through their own account (a citizen
seat, or the member's named representative). Drafts and negotiations stay with the parties and the coordinators.
Writers: the coordinators of its RLS and the representatives of its parties. Everyone else gets 404.

Readers who are neither parties nor coordinators ("outsiders": analysts, the RLS's representatives of a published
agreement, the members of the concertation) read the text, the parties, the funding and the versions, but not the
negotiation log, the history, nor the attachments marked confidential (`attachments_for`, `is_insider`).

Parties act for themselves: a party's signatories and respondents are recorded by that party's representatives,
or by the coordinators of the agreement's RLS (who attach the signed page when they record a signature).

The scopes of what an agreement names: its RLS is one the user drafts in (`drafting_rls_for`), its parties are
organisations of that RLS (`organizations_of`), its contacts people currently affiliated with the party's
organisation (`people_of`), its instances and plans those of the RLS the user can see (`instances_of`, `plans_of`).
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.models import Agreement, Attachment, Party
from concertation.models import ActionPlan, Instance, Membership
from concertation.rules import instances_for
from registry.models import Affiliation, Organization, Person, Territory
from registry.rules import organizations_for, scope_for


def _party_q(org_ids) -> Exists:
    return Exists(Party.objects.filter(agreement=OuterRef("pk"), organization_id__in=org_ids))


# Signed, in force, expired or terminated: no longer a draft or a negotiation.
SIGNED_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED,
                   Agreement.Status.TERMINATED)  # fmt: skip


def concertation_rls_of(user, scope) -> QuerySet:
    """The RLS where the user sits in the concertation today: an instance of it holds a current seat of an
    organisation they represent, or a seat held through their own account (as concertation.rules.instances_for
    counts members)."""
    seats = Membership.objects.active_on(timezone.localdate()).filter(
        Q(organization_id__in=scope.represented_orgs) | Q(person__account=user)
    )
    return seats.values("instance__rls_id")


def _public_party_q() -> Exists:
    return Exists(Party.objects.filter(agreement=OuterRef("pk"), organization__sector=Organization.Sector.PUBLIC))


def agreements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Agreement.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    rep_rls = Organization.objects.filter(pk__in=scope.represented_orgs).values("rls_id")
    return qs.filter(
        Q(rls_id__in=scope.coordinated_rls)
        | _party_q(scope.represented_orgs)
        | Q(is_public=True, rls_id__in=scope.analysed_rls)
        | Q(is_public=True, rls_id__in=rep_rls)
        | (Q(status__in=SIGNED_STATUSES, rls_id__in=concertation_rls_of(user, scope)) & _public_party_q())
    )


def editable_agreements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Agreement.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(rls_id__in=scope.coordinated_rls) | _party_q(scope.represented_orgs))


def attachments_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The files the user may list and download: those of the agreements they read, except the confidential ones
    of agreements they only read (a confidential file stays with the parties, the coordinators and the admin)."""
    qs = Attachment.objects.all() if queryset is None else queryset
    if scope_for(user).is_admin:
        return qs
    return qs.filter(agreement__in=agreements_for(user)).filter(
        Q(confidential=False) | Q(agreement__in=editable_agreements_for(user))
    )


def drafting_rls_for(user) -> QuerySet:
    """The RLS where the user may draft: those they coordinate and those of the organisations they represent."""
    rls = Territory.objects.filter(kind=Territory.Kind.RLS).order_by("name")
    scope = scope_for(user)
    if scope.is_admin:
        return rls
    represented = Organization.objects.filter(pk__in=scope.represented_orgs).values("rls_id")
    return rls.filter(Q(pk__in=scope.coordinated_rls) | Q(pk__in=represented))


def organizations_of(rls: Territory | int) -> QuerySet:
    """The organisations that may be parties to an agreement of the RLS: its active organisations."""
    return Organization.objects.active().filter(rls=rls).order_by("name")


def party_choices_for(user) -> QuerySet:
    """Organisations a user may name as parties somewhere (those of the RLS they draft in, and those they see):
    the API's lookup scope, so a hidden id and a nonexistent one get the same answer."""
    return Organization.objects.filter(
        Q(rls__in=drafting_rls_for(user)) | Q(pk__in=organizations_for(user).values("pk"))
    ).order_by("name")


def people_of(organization: Organization | int | QuerySet) -> QuerySet:
    """The people who may sign or answer for an organisation (or any of a queryset of organisation ids): those
    currently affiliated with it."""
    today = timezone.localdate()
    orgs = Q(organization__in=organization) if isinstance(organization, QuerySet) else Q(organization=organization)
    current = Affiliation.objects.filter(orgs, person=OuterRef("pk"), start_date__lte=today)
    current = current.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return Person.objects.active().filter(Exists(current)).order_by("last_name", "first_name")


def instances_of(user, rls: Territory | int) -> QuerySet:
    """Instances an agreement of the RLS may link: those of the RLS the user can see."""
    return instances_for(user).filter(rls=rls)


def plans_of(user, rls: Territory | int) -> QuerySet:
    return ActionPlan.objects.filter(instance__in=instances_of(user, rls)).order_by("title")


def joint_committees_of(user, rls: Territory | int) -> QuerySet:
    return instances_of(user, rls).filter(kind=Instance.Kind.JOINT_COMMITTEE)


def must_be_a_party(user, rls: Territory) -> frozenset[int]:
    """The organisations of which one must be a party when the user drafts in the RLS: none for its coordinators,
    the ones they represent for a representative (they draft only agreements of their own organisation)."""
    scope = scope_for(user)
    return frozenset() if scope.is_admin or rls.pk in scope.coordinated_rls else scope.represented_orgs


@rules.predicate
def can_read_agreement(user, agreement: Agreement) -> bool:
    return agreements_for(user, Agreement.objects.filter(pk=agreement.pk)).exists()


@rules.predicate
def can_work_on_agreement(user, agreement: Agreement) -> bool:
    return editable_agreements_for(user, Agreement.objects.filter(pk=agreement.pk)).exists()


@rules.predicate
def is_insider(user, agreement: Agreement) -> bool:
    """A party's representative, a coordinator of its RLS or an administrator: who sees the negotiation log, the
    history and the confidential files. The same people as the writers (a signed agreement is only amended)."""
    return can_work_on_agreement(user, agreement)


@rules.predicate
def can_add_agreement(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.coordinated_rls or scope.represented_orgs)


@rules.predicate
def coordinates_agreement(user, agreement: Agreement) -> bool:
    scope = scope_for(user)
    return scope.is_admin or agreement.rls_id in scope.coordinated_rls


@rules.predicate
def represents_party(user, party: Party) -> bool:
    return party.organization_id in scope_for(user).represented_orgs


@rules.predicate
def can_act_for_party(user, party: Party) -> bool:
    """Record a party's signatories, respondents and signature dates: its own representatives, or the
    coordinators of the agreement's RLS (and the administrators)."""
    return represents_party(user, party) or coordinates_agreement(user, party.agreement)


@rules.predicate
def can_see_dashboard(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.readable_rls or scope.represented_orgs)


rules.add_perm("agreements.view_agreement", can_read_agreement)
rules.add_perm("agreements.add_agreement", can_add_agreement)
rules.add_perm("agreements.change_agreement", can_work_on_agreement)
rules.add_perm("agreements.view_confidential", is_insider)
rules.add_perm("agreements.view_register", can_see_dashboard)
rules.add_perm("agreements.act_for_party", can_act_for_party)
