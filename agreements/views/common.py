"""Lookups scoped to the user and the form page shared by the agreement views."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agreements.models import Agreement
from agreements.rules import agreements_for


def get_agreement(request: HttpRequest, pk: int, work: bool = False) -> Agreement:
    """The agreement if the user may see it (404 otherwise); with work=True, only for its writers (403)."""
    agreement = get_object_or_404(
        agreements_for(request.user).select_related("rls", "legal_basis", "joint_committee"), pk=pk
    )
    if work and not request.user.has_perm("agreements.change_agreement", agreement):
        raise PermissionDenied
    return agreement


def get_part(request: HttpRequest, model, pk: int, path: str = "agreement"):
    """A party, contact, report… of an agreement the user works on (404 if the agreement is hidden)."""
    obj = get_object_or_404(model.objects.filter(**{f"{path}__in": agreements_for(request.user)}), pk=pk)
    agreement = obj
    for step in path.split("__"):
        agreement = getattr(agreement, step)
    if not request.user.has_perm("agreements.change_agreement", agreement):
        raise PermissionDenied
    return obj, agreement


def show_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(
    request: HttpRequest, form: Form, *, title: str, back: Agreement, save: Callable, success: str,
    template: str = "registry/form.html", extra: dict | None = None,
) -> HttpResponse:  # fmt: skip
    """Validate, call the action, say so and go back to the agreement; a refusal shows next to its field and
    nothing is written (the actions are atomic)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    context = {"form": form, "title": title, "object": back, "cancel_url": back.get_absolute_url(), **(extra or {})}
    return render(request, template, context)
