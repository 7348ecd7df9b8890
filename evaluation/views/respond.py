"""Answering through a personal link: no account, the link is the credential. The page never says who the link
belongs to, and says plainly whether the answers are anonymous or confidential, and when the respondent's
organisation is recorded with them (an instrument that asks who it works with)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import Conflict
from evaluation import links
from evaluation.actions import responses
from evaluation.forms import AnswerForm
from evaluation.results import raters_needed


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = links.find_invitation(token)
    if invitation is None:
        raise Http404
    campaign = invitation.campaign
    context = {"campaign": campaign, "instrument": campaign.instrument}
    refused = 409 if request.method == "POST" else 200
    if invitation.used and campaign.privacy == campaign.Privacy.ANONYMOUS:
        return render(request, "evaluation/respond_done.html", {**context, "already": True}, status=refused)
    if not campaign.is_open():
        return render(request, "evaluation/respond_closed.html", context, status=refused)
    # A relations question offers the RLS's organisations, the respondent's own left out.
    partners = None
    context["records_organization"] = responses.asks_relations(campaign.instrument_id)
    context["min_raters"] = raters_needed(campaign)
    if invitation.organization_id and context["records_organization"]:
        partners = responses.partners_offered(campaign, invitation.organization)
    form = AnswerForm(request.POST or None, instrument=campaign.instrument, partners=partners)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                responses.submit_response(invitation, form.answers())
            except Conflict as error:
                context["reason"] = " ".join(error.messages)
                return render(request, "evaluation/respond_closed.html", context, status=409)
            except ValidationError as error:
                form.show_refusal(error)
            else:
                return render(request, "evaluation/respond_done.html", context)
    return render(request, "evaluation/answer_form.html", {**context, "form": form, "group": False}, status=status)
