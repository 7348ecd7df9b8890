"""Instances, memberships and delegations."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concertation.models import Delegation, Instance, Membership
from core import audit
from core.models import AuditEvent

INSTANCE_FIELDS = [
    "name", "kind", "mandate", "basis", "theme", "territory", "rls", "level", "parent",
    "support_organization", "secretariat_organization", "is_public", "opened_on", "closed_on",
]  # fmt: skip


def check_parent(instance: Instance, parent: Instance | None) -> None:
    """A parent must be in the same RLS and must not be the instance itself or one of its descendants."""
    if parent is None:
        return
    if instance.rls_id and parent.rls_id != instance.rls_id:
        raise ValidationError({"parent": _("The parent instance must belong to the same RLS.")})
    node, seen = parent, set()
    while node is not None and node.pk not in seen:
        if instance.pk is not None and node.pk == instance.pk:
            raise ValidationError(
                {"parent": _("An instance cannot be placed under itself or one of its sub-instances.")}
            )
        seen.add(node.pk)
        node = node.parent


def _apply(instance: Instance, data: dict[str, Any]) -> None:
    for name in INSTANCE_FIELDS:
        if name in data:
            setattr(instance, name, data[name])


def _validate(instance: Instance) -> None:
    if instance.basis == Instance.Basis.TERRITORIAL and instance.territory_id is None:
        raise ValidationError({"territory": _("A territorial instance needs its territory.")})
    check_parent(instance, instance.parent)
    instance.full_clean()


@transaction.atomic
def create_instance(acting_user, data: dict[str, Any], request=None) -> Instance:
    instance = Instance()
    _apply(instance, data)
    _validate(instance)
    instance.save()
    if "coordinators" in data:
        instance.coordinators.set(data["coordinators"])
    audit.record(
        acting_user,
        AuditEvent.Action.CREATE,
        instance,
        audit.diff({}, audit.snapshot(instance, INSTANCE_FIELDS)),
        request,
    )
    return instance


@transaction.atomic
def update_instance(acting_user, instance: Instance, data: dict[str, Any], request=None) -> Instance:
    before = audit.snapshot(instance, INSTANCE_FIELDS)
    _apply(instance, data)
    _validate(instance)
    instance.save()
    if "coordinators" in data:
        instance.coordinators.set(data["coordinators"])
    changes = audit.diff(before, audit.snapshot(instance, INSTANCE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, instance, changes, request)
    return instance


@transaction.atomic
def override_bourque_type(acting_user, instance: Instance, bourque_type: str, reason: str, request=None) -> Instance:
    """A coordinator may set the type by hand; the justification stays on record (and in the history)."""
    if bourque_type and not reason.strip():
        raise ValidationError({"bourque_override_reason": _("Justify the chosen Bourque type.")})
    before = audit.snapshot(instance, ["bourque_override", "bourque_override_reason"])
    instance.bourque_override = bourque_type
    instance.bourque_override_reason = reason.strip() if bourque_type else ""
    instance.full_clean()
    instance.save(update_fields=["bourque_override", "bourque_override_reason", "updated_at"])
    after = audit.snapshot(instance, ["bourque_override", "bourque_override_reason"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, instance, audit.diff(before, after), request)
    return instance


MEMBERSHIP_FIELDS = ["organization", "person", "role", "start_date", "end_date"]


def _check_membership(membership: Membership) -> None:
    # Regional organisations may sit on an RLS's instances: no RLS check on the organisation itself.
    if (
        membership.person_id
        and not membership.person.affiliations.filter(organization=membership.organization).exists()
    ):
        raise ValidationError({"person": _("This person is not affiliated with the organisation.")})
    membership.full_clean()


@transaction.atomic
def add_membership(acting_user, instance: Instance, data: dict[str, Any], request=None) -> Membership:
    membership = Membership(instance=instance, **{k: v for k, v in data.items() if k in MEMBERSHIP_FIELDS})
    _check_membership(membership)
    membership.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, instance, {"memberships": [None, str(membership)]}, request)
    return membership


@transaction.atomic
def update_membership(acting_user, membership: Membership, data: dict[str, Any], request=None) -> Membership:
    before = str(membership), membership.role, str(membership.end_date or "")
    for name in MEMBERSHIP_FIELDS:
        if name in data:
            setattr(membership, name, data[name])
    _check_membership(membership)
    membership.save()
    after = str(membership), membership.role, str(membership.end_date or "")
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, membership.instance, {"membership": [list(before), list(after)]}, request
    )
    return membership


@transaction.atomic
def delegate(acting_user, source: Membership, to_instance: Instance, start_date, request=None) -> Delegation:
    """Give a member of one instance a delegate's seat in another instance of the same RLS."""
    if to_instance.rls_id != source.instance.rls_id:
        raise ValidationError({"to_instance": _("A delegation can only go to an instance of the same RLS.")})
    if to_instance.pk == source.instance_id:
        raise ValidationError({"to_instance": _("Choose another instance than the one the member sits on.")})
    seat = Membership(
        instance=to_instance,
        organization=source.organization,
        person=source.person,
        role=Membership.Role.DELEGATE,
        start_date=start_date,
    )
    seat.full_clean()
    seat.save()
    delegation = Delegation.objects.create(source=source, seat=seat)
    audit.record(acting_user, AuditEvent.Action.UPDATE, to_instance, {"delegations": [None, str(delegation)]}, request)
    return delegation
