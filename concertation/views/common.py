"""Helpers shared by the concertation views."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from concertation.models import Instance
from concertation.rules import instances_for


def get_instance(request: HttpRequest, pk: int, manage: bool = False) -> Instance:
    """The instance if the user may see it (404 otherwise); with manage=True, only for its coordinators (403)."""
    instance = get_object_or_404(instances_for(request.user).select_related("rls", "territory", "parent"), pk=pk)
    if manage and not request.user.has_perm("concertation.change_instance", instance):
        raise PermissionDenied
    return instance
