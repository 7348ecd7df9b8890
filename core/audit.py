"""Writing the audit log. Actions call `record`; views that show personal information call `record_view`."""

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent

# The client address of the request being served, set by core.middleware.AuditContextMiddleware, so that actions
# record it without taking the request as a parameter (commands and tasks have none: it stays None).
client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return client_address.get()
    # REMOTE_ADDR only: forwarded headers are client-controlled unless a trusted proxy rewrites them.
    return request.META.get("REMOTE_ADDR") or None


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    request: HttpRequest | None = None,
    label: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else label)[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
        ip_address=client_ip(request),
    )


def record_view(request: HttpRequest, obj: models.Model) -> None:
    """Reads of personal information are logged (Quebec privacy law: keep and monitor access logs)."""
    record(request.user, AuditEvent.Action.VIEW, obj, request=request)


def history_for(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


EXTRA_LABELS = {
    "territories": _("territories served"),
    "funding": _("funding"),
    "affiliations": _("affiliations"),
    "affiliation_end": _("end of affiliation"),
    "grouped_municipalities": _("grouped municipalities"),
    "memberships": _("members"),
    "membership": _("membership"),
    "delegations": _("delegations"),
    "agenda": _("agenda"),
    "agenda_order": _("order of the agenda"),
    "minutes": _("minutes"),
    "attendance": _("attendance"),
    "decision": _("decision"),
    "follow_up": _("follow-up item"),
    "approved_minutes": _("approved minutes"),
    "calendar_feed": _("calendar feed"),
    "format": _("format"),
    "created": _("created"),
    "revoked": _("revoked"),
}


def _readable_value(field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_readable_value(field, v) for v in value)
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    if choices and value in choices:
        return str(choices[value])
    return str(value)


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    """None for a key that is not a field of the model (territories list, funding, a free-form key)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def readable_changes(model: type[models.Model], changes: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) rows for a history page: field names and codes as the user reads them."""
    rows = []
    for name, values in changes.items():
        field = _model_field(model, name)
        label = str(field.verbose_name if field else EXTRA_LABELS.get(name, name.replace("_", " ")))
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        rows.append((label[:1].upper() + label[1:], _readable_value(field, before), _readable_value(field, after)))
    return rows
