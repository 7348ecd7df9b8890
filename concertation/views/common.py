"""Helpers shared by the concertation views."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from concertation.models import Instance
from concertation.rules import instances_for
from core.errors import error_dict
from core.pages import error_status, form_page


def get_instance(request: HttpRequest, pk: int, manage: bool = False) -> Instance:
    """The instance if the user may see it (404 otherwise); with manage=True, a form page shown to its
    coordinators only (403): the action checks the permission again when the form is sent."""
    instance = get_object_or_404(instances_for(request.user).select_related("rls", "territory", "parent"), pk=pk)
    if manage and not request.user.has_perm("concertation.change_instance", instance):
        raise PermissionDenied
    return instance


def refused(request: HttpRequest, error: ValidationError, back: Model, back_url: str | None = None) -> HttpResponse:
    """An action's refusal of a button's POST, with its reasons and the way back: 400, or 409 when the object's
    state refuses it; nothing was written (the actions are atomic)."""
    context = {
        "reasons": error.messages, "refused_fields": error_dict(error, NON_FIELD_ERRORS), "back": back,
        "back_url": back_url or back.get_absolute_url(),
    }  # fmt: skip
    return render(request, "concertation/refused.html", context, status=error_status(error))


def run(
    request: HttpRequest, back: Model, write: Callable[[], Any], success: str | None = None, next_url: str | None = None
) -> HttpResponse:
    """Call the action behind a button, say so and go back; a refusal answers `refused`."""
    try:
        write()
    except ValidationError as error:
        return refused(request, error, back, next_url)
    if success:
        messages.success(request, success)
    return redirect(next_url or back.get_absolute_url())


def form_errors(form) -> ValidationError:
    """A button's form refused before any action (a missing field), as the action's refusals are shown (each
    message says its field's label; the error keeps the field, as the action's do)."""

    def said(field: str, errors: list[str]) -> str:
        label = form.fields[field].label if field in form.fields else None
        message = " ".join(errors)
        return _("%(label)s: %(message)s") % {"label": label, "message": message} if label else message

    return ValidationError({field: said(field, errors) for field, errors in form.errors.items()})


# A form page that goes on to what the action returns (a new instance, meeting…).
save_page = partial(form_page, to_result=True)
