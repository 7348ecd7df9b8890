"""The machinery of the parity tests (issue 8): one table of writes, each sent through its page and through the API
from the same state, expecting the same outcome.

A case says who sends what where, and what should come of it: "accepted" (the page redirects, the API answers 2xx,
and what each wrote reads back the same), refused on a field (400 both, the field in the page's form errors and in
the API's body, the same message when the action is the one refusing), or a status (403, 409) both answer. Each
side runs in a savepoint rolled back afterwards, so the API starts from the state the page started from; a refusal
writes nothing, an accepted write changes as many rows of each table on both sides.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ApiToken, AuditEvent

ACCEPTED = "accepted"
API_NON_FIELD = "non_field_errors"
TOKEN = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass
class Case:
    user: str  # an attribute of the world, or a key of the objects ("outsider_rep"…)
    page: tuple[str, ...]  # URL name, then the objects its arguments are
    api: str  # method and path under /api/v1, with {object} placeholders
    data: dict[str, Any] = field(default_factory=dict)  # the same fields for both; "ORG_A"… become ids
    expect: str | int = ACCEPTED  # "accepted", the field refused, or the status both answer (403, 409)
    # Where the page form and the API name or shape an input differently, each side's own part (the case says why);
    # a callable taking the objects where it depends on them.
    page_only: dict[str, Any] | Callable[[dict], dict] = field(default_factory=dict)
    api_only: dict[str, Any] | Callable[[dict], dict] = field(default_factory=dict)
    # The refused field as each side names it, when the names differ (else `expect`).
    page_field: str = ""
    api_field: str = ""
    # False where an adapter refuses before the action: a choice the page does not offer, a bound the model states.
    same_message: bool = True
    form: str = "form"  # the form's name in the page's context
    prefix: str = ""  # the form's prefix on the page (a form embedded in another page)
    read: Callable[[dict], Any] | None = None  # what an accepted write left, read back from the database
    multipart: bool = False


@dataclass
class Outcome:
    status: int
    errors: dict[str, list[str]]  # field → messages ("__all__" for the rest)
    extra: dict[str, Any]  # machine-readable details of a refusal (missing sections)
    written: Any
    changes: dict[str, tuple[int, int, int]]  # table → rows added, removed, changed


def api_as(user, language: str = "fr") -> APIClient:
    """An API client with a real Bearer token of the user, asking for French (as the pages answer by default)."""
    _, key = ApiToken.issue(user, "parity")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def state_of(*app_labels: str) -> Callable[[], dict[str, dict]]:
    """A callable returning every row of the apps' tables (their many-to-many tables too) and the audited writes."""
    models = [m for label in app_labels for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    reads = {a for a in AuditEvent.Action.values if a in {"view", "export", "login", "login_failed", "logout", "token"}}

    def snapshot() -> dict[str, dict]:
        tables = {m._meta.db_table: {row["id"]: row for row in m.objects.values()} for m in models}
        tables["audit"] = {row["id"]: row for row in AuditEvent.objects.exclude(action__in=reads).values()}
        return tables

    return snapshot


def changes(before: dict[str, dict], after: dict[str, dict]) -> dict[str, tuple[int, int, int]]:
    counted = {}
    for table, rows in after.items():
        old = before[table]
        added, removed = len(rows.keys() - old.keys()), len(old.keys() - rows.keys())
        changed = sum(1 for pk in rows.keys() & old.keys() if rows[pk] != old[pk])
        if added or removed or changed:
            counted[table] = (added, removed, changed)
    return counted


def resolved(value: Any, ids: dict[str, int]) -> Any:
    """Tokens become ids ("ORG_A" → objects["org_a"].pk, "{meeting}" in a key → the meeting's id), through lists
    and dicts; a callable (a file to upload, read once per side) is called."""
    if callable(value):
        return value()
    if isinstance(value, dict):
        return {key.format(**ids): resolved(v, ids) for key, v in value.items()}
    if isinstance(value, list):
        return [resolved(v, ids) for v in value]
    if isinstance(value, str) and TOKEN.match(value) and value.lower() in ids:
        return ids[value.lower()]
    return value


def page_form_data(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    # An HTML form sends a ticked box as "on" and leaves an unticked box and an empty choice out.
    named = {f"{prefix}-{key}" if prefix else key: value for key, value in data.items()}
    return {
        key: "on" if value is True else value
        for key, value in named.items()
        if value is not False and value is not None
    }


def _own(part: dict | Callable[[dict], dict], objects: dict) -> dict:
    return part(objects) if callable(part) else part


def _send_page(client, case: Case, objects: dict, ids: dict[str, int]):
    name, *targets = case.page
    url = reverse(name, args=[ids[target] for target in targets])
    data = resolved({**case.data, **_own(case.page_only, objects)}, ids)
    return client.post(url, page_form_data(data, case.prefix))


def _send_api(client, case: Case, objects: dict, ids: dict[str, int]):
    method, path = case.api.split()
    data = resolved({**case.data, **_own(case.api_only, objects)}, ids)
    send = getattr(client, method)
    url = "/api/v1" + path.format(**ids)
    return send(url, data, format="multipart") if case.multipart else send(url, data, format="json")


def _page_errors(response, case: Case) -> tuple[dict[str, list[str]], dict[str, Any]]:
    context = response.context or {}
    if case.form in context and context[case.form].errors:
        return {key: list(messages) for key, messages in context[case.form].errors.items()}, {}
    if "refused_fields" in context:  # concertation's page for a refused button (concertation.views.common.refused)
        return dict(context["refused_fields"]), {}
    if "refusal" in context:  # the agreement page, after a refused change of state
        return {NON_FIELD_ERRORS: list(context["refusal"])}, {"missing_sections": context["refused_missing"]}
    return {}, {}


def _api_errors(response) -> tuple[dict[str, list[str]], dict[str, Any]]:
    body = response.json() if response.content and response.status_code >= 400 else {}
    if not isinstance(body, dict):
        return {}, {}
    errors = {(NON_FIELD_ERRORS if k == API_NON_FIELD else k): v for k, v in body.items() if k != "missing_sections"}
    return errors, {k: v for k, v in body.items() if k == "missing_sections"}


def attempt(send: Callable, errors: Callable, case: Case, snapshot: Callable, objects: dict) -> Outcome:
    """Send, read what came of it, and roll it all back."""
    with transaction.atomic():
        before = snapshot()
        response = send()
        after = snapshot()
        written = case.read(objects) if case.read and response.status_code < 400 else None
        transaction.set_rollback(True)
    found, extra = errors(response)
    return Outcome(response.status_code, found, extra, written, changes(before, after))


def messages(errors: dict[str, list[str]]) -> list[str]:
    return sorted(message for found in errors.values() for message in found)


def check(case: Case, page_client, api_client, objects: dict, snapshot: Callable) -> None:
    """Send the case through the page and through the API, and compare what each answered and wrote."""
    ids = {name: obj.pk for name, obj in objects.items() if hasattr(obj, "pk")}
    page = attempt(lambda: _send_page(page_client, case, objects, ids), lambda r: _page_errors(r, case), case,
                   snapshot, objects)  # fmt: skip
    api = attempt(lambda: _send_api(api_client, case, objects, ids), _api_errors, case, snapshot, objects)

    if case.expect == ACCEPTED:
        assert page.status == 302, (page.status, page.errors)
        assert 200 <= api.status < 300, (api.status, api.errors)
        assert page.written is not None and page.written == api.written, (page.written, api.written)
        assert page.changes and page.changes == api.changes, (page.changes, api.changes)
        return

    assert not page.changes, page.changes
    assert not api.changes, api.changes
    if isinstance(case.expect, int):
        assert (page.status, api.status) == (case.expect, case.expect), (page.status, page.errors, api.errors)
        if case.expect == 409:  # the state refuses the change: the same reasons, with the same details
            assert messages(page.errors) == messages(api.errors), (page.errors, api.errors)
            assert page.extra == api.extra, (page.extra, api.extra)
        return

    page_field, api_field = (
        name.format(**ids) for name in (case.page_field or case.expect, case.api_field or case.expect)
    )
    assert page.status == 400, (page.status, page.errors)
    assert api.status == 400, (api.status, api.errors)
    assert page_field in page.errors, page.errors
    assert api_field in api.errors, api.errors
    if case.same_message:
        assert page.errors[page_field] == api.errors[api_field], (page.errors, api.errors)
