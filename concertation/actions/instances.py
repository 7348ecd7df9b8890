"""Instances, memberships and delegations."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concertation import rules as scope
from concertation.actions.common import apply
from concertation.models import Delegation, Instance, Membership
from core import audit, guard
from core.models import AuditEvent
from registry.models import Person, Territory

INSTANCE_FIELDS = [
    "name", "kind", "mandate", "basis", "theme", "territory", "rls", "level", "parent",
    "support_organization", "secretariat_organization", "is_public", "opened_on", "closed_on", "bourque_object",
]  # fmt: skip
MEMBERSHIP_FIELDS = ["organization", "person", "role", "start_date", "end_date", "exit_reason", "exit_note"]
CITIZEN_FIELDS = ["first_name", "last_name", "email", "phone"]


def field_label(name: str) -> str:
    """A person field's label, as its form shows it."""
    return str(getattr(Person._meta.get_field(name), "verbose_name", name))


def check_parent(instance: Instance, parent: Instance | None) -> None:
    """A parent must be in the same RLS and must not be the instance itself or one of its descendants."""
    if parent is None:
        return
    if instance.rls_id and parent.rls_id != instance.rls_id:
        raise ValidationError({"parent": _("The parent instance must belong to the same RLS.")})
    node: Instance | None = parent
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        if instance.pk is not None and node.pk == instance.pk:
            raise ValidationError(
                {"parent": _("An instance cannot be placed under itself or one of its sub-instances.")}
            )
        seen.add(node.pk)
        node = node.parent


def _validate(acting_user, instance: Instance, allowed_rls) -> None:
    if instance.rls_id is None:
        instance.full_clean()  # says the RLS is required
    guard.within(allowed_rls, instance.rls, "rls")
    guard.within(scope.instances_for(acting_user), instance.parent, "parent")
    # The instance draws on its RLS's registry: its territory, parent and organisations come from there.
    guard.within(scope.territories_of(instance), instance.territory, "territory")
    guard.within(scope.organizations_of(instance), instance.support_organization, "support_organization")
    guard.within(scope.organizations_of(instance), instance.secretariat_organization, "secretariat_organization")
    if instance.basis == Instance.Basis.TERRITORIAL and instance.territory_id is None:
        raise ValidationError({"territory": _("A territorial instance needs its territory.")})
    check_parent(instance, instance.parent)
    if instance.opened_on and instance.closed_on and instance.closed_on < instance.opened_on:
        raise ValidationError({"closed_on": _("The closing date cannot be before the opening date.")})
    instance.full_clean()


@transaction.atomic
def create_instance(acting_user, data: dict[str, Any]) -> Instance:
    guard.require(acting_user, "concertation.add_instance")
    instance = Instance()
    apply(instance, INSTANCE_FIELDS, data)
    _validate(acting_user, instance, scope.rls_for(acting_user))
    instance.save()
    if "coordinators" in data:
        instance.coordinators.set(data["coordinators"])
    audit.record(
        acting_user, AuditEvent.Action.CREATE, instance, audit.diff({}, audit.snapshot(instance, INSTANCE_FIELDS))
    )
    return instance


@transaction.atomic
def update_instance(acting_user, instance: Instance, data: dict[str, Any]) -> Instance:
    guard.require(acting_user, "concertation.change_instance", instance)
    before = audit.snapshot(instance, INSTANCE_FIELDS)
    # An instance stays in its RLS unless the user coordinates the one it moves to.
    allowed_rls = scope.rls_for(acting_user) | Territory.objects.filter(pk=instance.rls_id)
    apply(instance, INSTANCE_FIELDS, data)
    _validate(acting_user, instance, allowed_rls)
    instance.save()
    if "coordinators" in data:
        instance.coordinators.set(data["coordinators"])
    changes = audit.diff(before, audit.snapshot(instance, INSTANCE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, instance, changes)
    return instance


@transaction.atomic
def override_bourque_type(acting_user, instance: Instance, bourque_type: str, reason: str) -> Instance:
    """A coordinator may set the type by hand; the justification stays on record (and in the history)."""
    guard.require(acting_user, "concertation.change_instance", instance)
    if bourque_type and not reason.strip():
        raise ValidationError({"bourque_override_reason": _("Justify the chosen Bourque type.")})
    before = audit.snapshot(instance, ["bourque_override", "bourque_override_reason"])
    instance.bourque_override = bourque_type
    instance.bourque_override_reason = reason.strip() if bourque_type else ""
    instance.full_clean()
    instance.save(update_fields=["bourque_override", "bourque_override_reason", "updated_at"])
    after = audit.snapshot(instance, ["bourque_override", "bourque_override_reason"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, instance, audit.diff(before, after))
    return instance


def _check_membership(membership: Membership, new_citizen: bool = False) -> None:
    """An organisation's seat (its representative, if named, affiliated with it) or a citizen seat (a person and no
    organisation, who needs no affiliation). `new_citizen`: the person was just entered with the seat."""
    instance = membership.instance
    organization = membership.organization if membership.organization_id else None
    if organization is None and membership.role in ("", Membership.Role.MEMBER):
        # A member who sits for no organisation is a citizen (the role a page or a client leaves at its default).
        membership.role = Membership.Role.CITIZEN
    guard.within(scope.organizations_of(instance), organization, "organization")
    if not new_citizen:
        guard.within(scope.people_of(instance), membership.person, "person")
    person = membership.person
    if organization is None:
        if person is None:
            raise ValidationError({"organization": _("Name the organisation, or the person who sits as a citizen.")})
    else:
        if membership.role == Membership.Role.CITIZEN:
            raise ValidationError(
                {"role": _("The citizen role is for a person who sits as themself: leave the organisation empty.")}
            )
        affiliated = person is not None and person.affiliations.filter(organization=membership.organization).exists()
        if person is not None and not affiliated:
            raise ValidationError({"person": _("This person is not affiliated with the organisation.")})
    guard.check_dates(membership.start_date, membership.end_date)
    if membership.end_date is None:
        # The reason of an exit is said when the membership ends: without its date the curve cannot place it.
        if membership.exit_reason:
            raise ValidationError({"exit_reason": _("An exit reason needs the end date of the membership.")})
        if membership.exit_note.strip():
            raise ValidationError({"exit_note": _("A note on the exit needs the end date of the membership.")})
    membership.full_clean()


def _new_citizen(data: dict[str, Any]) -> Person:
    """A citizen entered with their seat: a person of the registry with no affiliation (the citizen's decision
    level), checked before anything is saved."""
    person = Person(decision_level=Person.DecisionLevel.CITIZEN)
    for name in CITIZEN_FIELDS:
        setattr(person, name, (data.get(name) or "").strip())
    try:
        person.full_clean()
    except ValidationError as error:
        said = [
            _("%(label)s: %(message)s") % {"label": field_label(field), "message": message}
            if field in CITIZEN_FIELDS else message
            for field, messages in error.message_dict.items() for message in messages
        ]  # fmt: skip
        raise ValidationError({"new_citizen": said}) from error
    return person


@transaction.atomic
def add_membership(acting_user, instance: Instance, data: dict[str, Any]) -> Membership:
    """Add a seat. Without an organisation, it is a citizen seat: `person` names someone the instance may name, or
    `new_citizen` (first_name, last_name, and optionally email and phone) enters a citizen who is not yet in the
    registry; the voting member's role (the default) becomes the citizen's."""
    guard.require(acting_user, "concertation.change_instance", instance)
    membership = Membership(instance=instance)
    apply(membership, MEMBERSHIP_FIELDS, data)
    citizen_data = data.get("new_citizen")
    if citizen_data:
        if membership.organization_id or membership.person_id:
            raise ValidationError(
                {"new_citizen": _("A new citizen sits as themself: leave the organisation and the person empty.")}
            )
        # Saved inside the transaction: a refusal of the seat below rolls the new person back with it.
        person = _new_citizen(citizen_data)
        person.save()
        membership.person = person
        audit.record(
            acting_user, AuditEvent.Action.CREATE, person,
            audit.diff({}, audit.snapshot(person, [*CITIZEN_FIELDS, "decision_level"])),
        )  # fmt: skip
    _check_membership(membership, new_citizen=bool(citizen_data))
    membership.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, instance, {"memberships": [None, str(membership)]})
    return membership


def _membership_summary(membership: Membership) -> list[str]:
    return [
        str(membership),
        membership.role,
        str(membership.end_date or ""),
        membership.exit_reason,
        membership.exit_note,
    ]


@transaction.atomic
def update_membership(acting_user, membership: Membership, data: dict[str, Any]) -> Membership:
    guard.require(acting_user, "concertation.change_instance", membership.instance)
    before = _membership_summary(membership)
    apply(membership, MEMBERSHIP_FIELDS, data)
    _check_membership(membership)
    membership.save()
    after = _membership_summary(membership)
    audit.record(acting_user, AuditEvent.Action.UPDATE, membership.instance, {"membership": [before, after]})
    return membership


@transaction.atomic
def delegate(acting_user, source: Membership, to_instance: Instance, start_date: datetime.date) -> Delegation:
    """Give a member of one instance a delegate's seat in another instance of the same RLS."""
    guard.require(acting_user, "concertation.change_instance", source.instance)
    guard.within(scope.instances_for(acting_user), to_instance, "to_instance")
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
    _check_membership(seat)
    seat.save()
    delegation = Delegation.objects.create(source=source, seat=seat)
    audit.record(acting_user, AuditEvent.Action.UPDATE, to_instance, {"delegations": [None, str(delegation)]})
    return delegation
