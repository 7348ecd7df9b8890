"""Lookups scoped to the user and the form page shared by the agreement views."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from agreements.models import Agreement, Attachment
from agreements.rules import agreements_for, attachments_for


def get_agreement(request: HttpRequest, pk: int, work: bool = False) -> Agreement:
    """The agreement if the user may see it (404 otherwise); with work=True, only for its writers (403)."""
    agreement = get_object_or_404(
        agreements_for(request.user).select_related("rls", "legal_basis", "information_basis", "joint_committee"), pk=pk
    )
    if work and not request.user.has_perm("agreements.change_agreement", agreement):
        raise PermissionDenied
    return agreement


def get_part(request: HttpRequest, model, pk: int, path: str = "agreement", perm: str = "", why=""):
    """A party, contact, report… of an agreement the user sees (404 otherwise). A form page answers 403 to whoever
    may not use it: `perm` on the part (a party's contacts), else the right to work on the agreement."""
    # A confidential file is not there for whoever may not see it: 404, as for a file of a hidden agreement.
    found = (
        attachments_for(request.user)
        if model is Attachment
        else model.objects.filter(**{f"{path}__in": agreements_for(request.user)})
    )
    obj = get_object_or_404(found, pk=pk)
    agreement = obj
    for step in path.split("__"):
        agreement = getattr(agreement, step)
    allowed = (
        request.user.has_perm(perm, obj) if perm else request.user.has_perm("agreements.change_agreement", agreement)
    )
    if not allowed:
        raise PermissionDenied(why)
    return obj, agreement
