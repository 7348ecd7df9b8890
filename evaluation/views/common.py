"""Lookups scoped to the user, shared by the evaluation pages: 404 outside what the user sees, 403 for a write
the user may not make on something they see."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from evaluation import rules
from evaluation.models import Campaign, Instrument


def get_instrument(request: HttpRequest, pk: int, edit: bool = False) -> Instrument:
    instrument = get_object_or_404(rules.instruments_for(request.user), pk=pk)
    if edit and not request.user.has_perm("evaluation.change_instrument", instrument):
        raise PermissionDenied
    return instrument


def get_campaign(request: HttpRequest, pk: int, run: bool = False) -> Campaign:
    campaign = get_object_or_404(rules.campaigns_for(request.user).select_related("instrument", "rls"), pk=pk)
    if run and not request.user.has_perm("evaluation.change_campaign", campaign):
        raise PermissionDenied
    return campaign
