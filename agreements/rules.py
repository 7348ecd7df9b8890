"""Who may see and work on an agreement (issue: "only parties' representatives and the network coordinator
see an agreement; the public sees nothing unless the parties publish it").

Readers: the network coordinators of its RLS and the representatives of its parties; once the parties publish
it, also every analyst and representative of the RLS (and anonymous visitors, on its public page). Writers:
the coordinators of its RLS and the representatives of its parties. Everyone else gets 404.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import Agreement, Party
from registry.models import Organization
from registry.rules import scope_for


def _party_q(org_ids) -> Exists:
    return Exists(Party.objects.filter(agreement=OuterRef("pk"), organization_id__in=org_ids))


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
    )


def editable_agreements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Agreement.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(rls_id__in=scope.coordinated_rls) | _party_q(scope.represented_orgs))


@rules.predicate
def can_read_agreement(user, agreement: Agreement) -> bool:
    return agreements_for(user, Agreement.objects.filter(pk=agreement.pk)).exists()


@rules.predicate
def can_work_on_agreement(user, agreement: Agreement) -> bool:
    return editable_agreements_for(user, Agreement.objects.filter(pk=agreement.pk)).exists()


@rules.predicate
def can_add_agreement(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.coordinated_rls or scope.represented_orgs)


@rules.predicate
def can_see_dashboard(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.readable_rls or scope.represented_orgs)


rules.add_perm("agreements.view_agreement", can_read_agreement)
rules.add_perm("agreements.add_agreement", can_add_agreement)
rules.add_perm("agreements.change_agreement", can_work_on_agreement)
rules.add_perm("agreements.view_register", can_see_dashboard)
