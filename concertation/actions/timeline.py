"""The context timeline: dated events of an instance or of its whole RLS (a change of direction, a manager leaving,
a ministerial directive...), recorded by their coordinators so the participation curve can be read."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation import rules as scope
from concertation.actions.common import apply
from concertation.models import ContextEvent, Instance
from core import audit, guard
from core.models import AuditEvent
from registry.rules import scope_for

EVENT_FIELDS = ["date", "kind", "title", "description"]
AUDITED_FIELDS = ["rls", "instance", *EVENT_FIELDS]
# A date before 1990 is taken for a typing error (1921 typed for 2021); a year ahead leaves room for an announced
# directive or merger, not for a mistyped year.
EARLIEST = datetime.date(1990, 1, 1)
AHEAD = datetime.timedelta(days=365)


def coordinates_rls(user, rls_id: int | None) -> bool:
    found = scope_for(user)
    return found.is_admin or rls_id in found.coordinated_rls


def may_manage(user, event: ContextEvent) -> bool:
    """An instance's event: its coordinators (those of its RLS and those named on it); an RLS's: its coordinators."""
    if event.instance_id is None:
        return coordinates_rls(user, event.rls_id)
    return user.has_perm("concertation.change_instance", event.instance)


def _require(user, event: ContextEvent) -> None:
    if event.instance_id is not None:
        why = _("Only the coordinators of the instance record its context.")
        guard.require(user, "concertation.change_instance", event.instance, why=why)
    elif not coordinates_rls(user, event.rls_id):
        # Someone who coordinates no RLS may not record one's context (403); a coordinator of another RLS is told
        # that this RLS is not among their choices (400), as for any reference outside their scope.
        guard.require(user, "concertation.add_instance", why=_("Only the coordinators of the RLS record its context."))
        guard.within(scope.rls_for(user), event.rls, "rls")


def check_date(day: datetime.date | None) -> None:
    if day is None:
        return
    if day < EARLIEST:
        raise ValidationError({"date": _("The date cannot be before 1990.")})
    if day > timezone.localdate() + AHEAD:
        raise ValidationError({"date": _("The date cannot be more than a year from today.")})


def _validate(acting_user, event: ContextEvent) -> None:
    instance = event.instance
    if instance is not None:
        guard.within(scope.instances_for(acting_user), instance, "instance")
        if event.rls_id is not None and instance.rls_id != event.rls_id:
            raise ValidationError({"instance": _("The instance must belong to the RLS of the event.")})
    if event.rls_id is None:
        event.full_clean()  # says the RLS is required
    _require(acting_user, event)
    check_date(event.date)
    event.full_clean()


@transaction.atomic
def add_context_event(acting_user, data: dict[str, Any]) -> ContextEvent:
    """`data`: rls, instance (None or absent for an event of the whole RLS), date, kind, title, description."""
    event = ContextEvent(created_by=acting_user if acting_user.is_authenticated else None)
    apply(event, ["rls", "instance", *EVENT_FIELDS], data)
    _validate(acting_user, event)
    event.save()
    audit.record(acting_user, AuditEvent.Action.CREATE, event, audit.diff({}, audit.snapshot(event, AUDITED_FIELDS)))
    return event


@transaction.atomic
def update_context_event(acting_user, event: ContextEvent, data: dict[str, Any]) -> ContextEvent:
    """The date, kind, title and description; an event stays where it was recorded (its instance or its RLS)."""
    _require(acting_user, event)
    before = audit.snapshot(event, AUDITED_FIELDS)
    apply(event, EVENT_FIELDS, data)
    _validate(acting_user, event)
    event.save()
    changes = audit.diff(before, audit.snapshot(event, AUDITED_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, event, changes)
    return event


@transaction.atomic
def delete_context_event(acting_user, event: ContextEvent) -> None:
    _require(acting_user, event)
    gone = {name: [value, None] for name, value in audit.snapshot(event, AUDITED_FIELDS).items()}
    audit.record(acting_user, AuditEvent.Action.DELETE, event, gone)
    event.delete()


def event_data(instance: Instance, data: dict[str, Any]) -> dict[str, Any]:
    """What a page or the API sends about a new event of an instance, as `add_context_event` takes it: the RLS is
    the instance's, and `whole_rls` records it for the whole RLS instead of the instance alone."""
    fields = {name: data[name] for name in EVENT_FIELDS if name in data}
    return {**fields, "rls": instance.rls, "instance": None if data.get("whole_rls") else instance}
