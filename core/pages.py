"""The view glue every module shares: fetch what the user may see, list pages, form pages that call an action and
show its refusal next to the field, history pages."""

from collections.abc import Callable
from typing import Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.middleware import HtmxDetails

from core import audit
from core.errors import Conflict
from core.models import AuditEvent

PAGE_SIZE = 50


class HtmxRequest(HttpRequest):
    """A request as django_htmx's middleware leaves it (for the type checker)."""

    htmx: HtmxDetails


class HasPage(Protocol):
    """What a form page goes back to: an object with its own page."""

    def get_absolute_url(self) -> str: ...


def list_page(request: HtmxRequest, filterset, template: str, partial: str, extra: dict) -> HttpResponse:
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), **extra}
    # A history restore (back button after a cache miss) needs the whole page, not the partial.
    partial_only = request.htmx and not request.htmx.history_restore_request
    return render(request, partial if partial_only else template, context)


def show_errors(form: Form, error: ValidationError) -> None:
    """An action's refusal, next to the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def error_status(error: ValidationError | None = None) -> int:
    return 409 if isinstance(error, Conflict) else 400


def form_page(
    request: HttpRequest, form: Form, *, title: str, back: HasPage | None, save: Callable, success: str,
    template: str = "form.html", extra: dict | None = None, next_url: str | None = None,
    cancel_url: str | None = None, to_result: bool = False,
) -> HttpResponse:  # fmt: skip
    """Validate, call the action, say so and go on (to `next_url`, to what the action returns with
    `to_result`, else back); a refusal shows next to its field (400, or 409 when the object's state refuses it)
    and nothing is written (the actions are atomic)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = save(form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
                status = error_status(error)
            else:
                messages.success(request, success)
                if next_url:
                    return redirect(next_url)
                target = result if to_result and hasattr(result, "get_absolute_url") else back
                return redirect(target if target is not None else "home")
    cancel = cancel_url or (back.get_absolute_url() if back is not None else None)
    context = {"form": form, "title": title, "object": back, "cancel_url": cancel, **(extra or {})}
    return render(request, template, context, status=status)


def history_page(request: HttpRequest, obj: Model, back: str) -> HttpResponse:
    events = audit.history_for(obj).exclude(action=AuditEvent.Action.VIEW)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.rows = audit.readable_changes(type(obj), event.changes if isinstance(event.changes, dict) else {})
    return render(request, "history.html", {"object": obj, "page": page, "back": back})


def button(request: HttpRequest, write: Callable[[], object], success: str) -> None:
    """A one-button write: say it was done, or why it was refused."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
