"""Proposals of change to the record of an organisation that keeps its own (it has a representative account).

An RLS coordinator fills the same forms as for a direct edit; the input is checked as the write would check it
(rehearsed in a savepoint rolled back) and saved as a proposal with what it changes, before and after. A
representative of the organisation accepts it (the registry's actions apply it, audited, within the scope of the
coordinator who proposed it) or refuses it, with an optional reason; the coordinators may withdraw it while it
waits. Every step is audited on the proposal; an accepted one is also in the organisation's (or person's) history.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit
from core.errors import Conflict
from core.models import AuditEvent
from registry import actions
from registry import rules as perms
from registry.models import ChangeRequest, FundingLine, Organization, Person, Territory

Kind = ChangeRequest.Kind

# What a proposal may carry: the organisation's choice of funding visibility and its list of funding lines as a
# whole are its own; affiliations are each organisation's.
PROPOSABLE_ORGANIZATION_FIELDS = [
    *[name for name in actions.ORGANIZATION_FIELDS if name != "funding_visibility"],
    "territories",
    "aca_criteria",
    "is_aca",
]
NOT_PROPOSABLE = _lazy("Only the organisation changes this.")


class _Rehearsed(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def _rehearse(write: Callable[[], Any]) -> Any:
    """Run a write with every check of the real one, then roll it back; return what it computed."""
    try:
        with transaction.atomic():
            raise _Rehearsed(write())
    except _Rehearsed as done:
        return done.result


# Payload: the action's input, stored as JSON ---------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all") and callable(value.all):
        items = value.all() if hasattr(value, "all") else value
        return [_encode(item) for item in items]
    if isinstance(value, (datetime.date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _decode(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    data = dict(payload)
    if kind == Kind.ORGANIZATION:
        if data.get("rls") is not None:
            data["rls"] = Territory.objects.filter(pk=data["rls"]).first()
        if "territories" in data:
            data["territories"] = list(Territory.objects.filter(pk__in=data["territories"] or []))
        if data.get("aca_verified_on"):
            data["aca_verified_on"] = datetime.date.fromisoformat(data["aca_verified_on"])
    elif kind == Kind.FUNDING_ADD and data.get("amount") is not None:
        data["amount"] = Decimal(data["amount"])
    return data


def _payload(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    allowed = {
        Kind.ORGANIZATION: PROPOSABLE_ORGANIZATION_FIELDS,
        Kind.FUNDING_ADD: actions.FUNDING_FIELDS,
        Kind.PERSON: actions.PERSON_FIELDS,
        Kind.FUNDING_REMOVE: [],
    }[Kind(kind)]
    refused = {name: [str(NOT_PROPOSABLE)] for name in data if name not in allowed}
    if refused:
        raise ValidationError(refused)
    return {name: _encode(value) for name, value in data.items()}


def _current(record: models.Model, name: str) -> Any:
    if name == "territories":
        return sorted(t.pk for t in record.territories.all())  # type: ignore[attr-defined]
    if name == "funding":
        return None  # a list of lines: never a proposal (refused below)
    if name == "aca_criteria":
        return sorted(record.aca_criteria)  # type: ignore[attr-defined]
    return _encode(getattr(record, name))


def _changed_only(record: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """The fields the proposal changes, alone: accepting it later leaves the others as the organisation keeps them
    (the same form sends every field)."""
    changed = {}
    for name, value in data.items():
        wanted = sorted(_encode(value)) if name in ("territories", "aca_criteria") else _encode(value)
        if wanted != _current(record, name):
            changed[name] = value
    return changed


# What a proposal changes -----------------------------------------------------------------------------------


def _organization_changes(author, org: Organization, data: dict[str, Any]) -> dict[str, list[Any]]:
    def write() -> dict[str, list[Any]]:
        fresh = Organization.objects.get(pk=org.pk)
        before = actions._organization_state(fresh)
        actions._save_organization(author, fresh, data)
        return audit.diff(before, actions._organization_state(fresh))

    return _rehearse(write)


def _person_changes(person: Person, data: dict[str, Any]) -> dict[str, list[Any]]:
    def write() -> dict[str, list[Any]]:
        fresh = Person.objects.get(pk=person.pk)
        before = audit.snapshot(fresh, actions.PERSON_FIELDS)
        actions._apply(fresh, data, actions.PERSON_FIELDS)
        actions._validate(fresh, {})
        return audit.diff(before, audit.snapshot(fresh, actions.PERSON_FIELDS))

    return _rehearse(write)


def _funding_changes(org: Organization, data: dict[str, Any]) -> dict[str, list[Any]]:
    line = _rehearse(lambda: str(actions._new_funding_line(org, data)))
    return {"funding": [None, line]}


# Proposing -------------------------------------------------------------------------------------------------


def _require(allowed: bool, why: Any = "") -> None:
    """The predicates are asked directly, not through has_perm: Django grants every permission to a superuser, and
    only the organisation answers its proposals (the administrator edits directly, proposing nothing)."""
    if not allowed:
        raise PermissionDenied(why)


def _require_proposer(acting_user, org: Organization) -> None:
    why: Any = ""
    if acting_user.has_perm("registry.change_organization", org):
        why = _lazy("You edit this organisation's record directly: there is nothing to propose.")
    _require(perms.can_propose_change(acting_user, org), why)


def _save(acting_user, org: Organization, kind: str, payload: dict, changes: dict, **links: Any) -> ChangeRequest:
    if not changes:
        raise ValidationError(_("This proposal changes nothing: the record already reads so."))
    change = ChangeRequest.objects.create(
        organization=org, kind=kind, payload=payload, changes=changes, proposed_by=acting_user, **links
    )
    audit.record(acting_user, AuditEvent.Action.CREATE, change, {"proposal": [None, changes]})
    return change


@transaction.atomic
def propose_organization_change(acting_user, org: Organization, data: dict[str, Any]) -> ChangeRequest:
    """The organisation form's input, as for update_organization."""
    _require_proposer(acting_user, org)
    data = _changed_only(org, data)
    payload = _payload(Kind.ORGANIZATION, data)
    return _save(acting_user, org, Kind.ORGANIZATION, payload, _organization_changes(acting_user, org, data))


@transaction.atomic
def propose_funding_line(acting_user, org: Organization, data: dict[str, Any]) -> ChangeRequest:
    _require_proposer(acting_user, org)
    payload = _payload(Kind.FUNDING_ADD, data)
    return _save(acting_user, org, Kind.FUNDING_ADD, payload, _funding_changes(org, data))


@transaction.atomic
def propose_funding_removal(acting_user, line: FundingLine) -> ChangeRequest:
    org = line.organization
    _require_proposer(acting_user, org)
    changes = {"funding": [str(line), None]}
    return _save(acting_user, org, Kind.FUNDING_REMOVE, {"line": line.pk}, changes, funding_line=line)


def _organization_of(acting_user, person: Person) -> Organization:
    """The organisation that answers for a person: the first of the user's RLS, keeping its record, that the person
    is affiliated with (currently, if any)."""
    orgs = perms.proposable_organizations_for(acting_user).filter(affiliations__person=person)
    org = orgs.order_by(models.F("affiliations__end_date").desc(nulls_first=True), "name").first()
    if org is None:
        raise Conflict(_("This person belongs to no organisation that keeps its own record."))
    return org


@transaction.atomic
def propose_person_change(acting_user, person: Person, data: dict[str, Any]) -> ChangeRequest:
    why: Any = ""
    if acting_user.has_perm("registry.change_person", person):
        why = _lazy("You edit this person's record directly: there is nothing to propose.")
    _require(perms.can_propose_person_change(acting_user, person), why)
    data = _changed_only(person, {name: value for name, value in data.items() if name != "affiliations"})
    payload = _payload(Kind.PERSON, data)
    org = _organization_of(acting_user, person)
    return _save(acting_user, org, Kind.PERSON, payload, _person_changes(person, data), person=person)


# Answering -------------------------------------------------------------------------------------------------


def _lock_pending(change: ChangeRequest) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().select_related("organization", "proposed_by").get(pk=change.pk)
    if not change.is_pending:
        raise Conflict(
            _("This proposal was already answered (%(status)s).") % {"status": change.get_status_display().lower()}
        )
    return change


def _close(acting_user, change: ChangeRequest, status: str, reason: str = "") -> ChangeRequest:
    change.status = status
    change.decided_by = acting_user
    change.decided_at = timezone.now()
    change.reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    changes: dict[str, list[Any]] = {"status": [ChangeRequest.Status.PENDING, status]}
    if reason:
        changes["reason"] = [None, reason]
    audit.record(acting_user, AuditEvent.Action.UPDATE, change, changes)
    return change


def _apply(acting_user, change: ChangeRequest) -> None:
    note = {"change_request": [None, f"#{change.pk} ({change.proposed_by.get_username()})"]}
    data = _decode(change.kind, change.payload)
    org = Organization.objects.get(pk=change.organization_id)
    if change.kind == Kind.ORGANIZATION:
        if "rls" in data and data["rls"] is None:
            raise Conflict(_("The proposed RLS no longer exists."))
        # Within the scope of the coordinator who proposed it: a territory they no longer coordinate is refused.
        actions._apply_organization_update(change.proposed_by, acting_user, org, data, note)
    elif change.kind == Kind.FUNDING_ADD:
        actions._apply_funding_line(acting_user, org, data, note)
    elif change.kind == Kind.FUNDING_REMOVE:
        line = FundingLine.objects.filter(pk=change.funding_line_id or 0, organization=org).first()
        if line is None:
            raise Conflict(_("This funding line was removed in the meantime."))
        actions._apply_funding_removal(acting_user, line, note)
    elif change.kind == Kind.PERSON:
        if change.person is None:
            raise Conflict(_("This person no longer exists."))
        actions._apply_person_update(acting_user, change.person, data, note)


@transaction.atomic
def accept_change(acting_user, change: ChangeRequest) -> ChangeRequest:
    """Applied as it was proposed, through the registry's actions; a refusal of the input leaves it waiting."""
    _require(perms.can_answer_change(acting_user, change), _lazy("Only the organisation answers its proposals."))
    change = _lock_pending(change)
    _apply(acting_user, change)
    return _close(acting_user, change, ChangeRequest.Status.ACCEPTED)


@transaction.atomic
def refuse_change(acting_user, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    _require(perms.can_answer_change(acting_user, change), _lazy("Only the organisation answers its proposals."))
    change = _lock_pending(change)
    return _close(acting_user, change, ChangeRequest.Status.REFUSED, (reason or "").strip())


@transaction.atomic
def withdraw_change(acting_user, change: ChangeRequest) -> ChangeRequest:
    _require(perms.can_withdraw_change(acting_user, change))
    change = _lock_pending(change)
    return _close(acting_user, change, ChangeRequest.Status.WITHDRAWN)


def proposals_for(user, org: Organization, limit: int = 30) -> list[ChangeRequest]:
    """The organisation page's list: pending first, then the latest answered (the history page keeps the rest)."""
    visible = perms.change_requests_for(user, ChangeRequest.objects.filter(organization=org)).select_related(
        "proposed_by", "decided_by", "person"
    )
    pending = list(visible.filter(status=ChangeRequest.Status.PENDING))
    shown = pending + list(visible.exclude(status=ChangeRequest.Status.PENDING)[: max(limit - len(pending), 0)])
    for change in shown:
        model = Person if change.kind == Kind.PERSON else Organization
        change.rows = audit.readable_changes(model, change.changes)  # type: ignore[attr-defined]
    return shown
