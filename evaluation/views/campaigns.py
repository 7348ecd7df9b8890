"""Campaign pages: the list, launching one, its page (live response rate, reminders, closing, release), the
group answer, the results and their exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concertation.models import Instance
from core.pages import button, form_page, history_page
from evaluation import rules
from evaluation.actions import campaigns as actions
from evaluation.actions import responses
from evaluation.cache import data_stamp, kept
from evaluation.exports import results_csv_rows
from evaluation.forms import AnswerForm, CampaignForm, ReleaseForm
from evaluation.models import Campaign
from evaluation.results import campaign_results as campaign_results_of
from evaluation.views.common import get_campaign
from registry import exports


@login_required
@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = rules.campaigns_for(request.user).select_related("instrument", "rls").with_counts()
    return render(request, "evaluation/campaign_list.html", {
        "campaigns": campaigns.order_by("-opens_on", "pk")[:200],
        "can_add": request.user.has_perm("evaluation.add_campaign"),
    })  # fmt: skip


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evaluation.add_campaign"):
        raise PermissionDenied(_("Only network coordinators launch an evaluation campaign."))
    initial = {}
    instance_id = request.GET.get("instance", "")
    if instance_id.isdigit():
        initial["instances"] = Instance.objects.filter(pk=int(instance_id))
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request, form, title=_("Launch an evaluation campaign"), back=None, to_result=True,
        cancel_url=reverse("evaluation:campaign_list"), save=lambda data: actions.create_campaign(request.user, data),
        success=_("Campaign launched: the personal links are being sent."),
    )  # fmt: skip


@login_required
@require_safe
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    counted = Campaign.objects.filter(pk=campaign.pk).with_counts().values("invited", "answered").get()
    context = {
        "campaign": campaign,
        "instances": campaign.instances.order_by("name"),
        "invited": counted["invited"],
        "answered": counted["answered"],
        "rate": counted["answered"] / counted["invited"] if counted["invited"] else None,
        "responses": campaign.responses.count(),
        "can_run": request.user.has_perm("evaluation.change_campaign", campaign),
    }
    # The response rate refreshes itself while the campaign is open (htmx polls this partial).
    if request.htmx and request.GET.get("part") == "rate":
        return render(request, "evaluation/_rate.html", context)
    return render(request, "evaluation/campaign_detail.html", context)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk, run=True)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    return form_page(
        request, form, title=_("Edit the campaign “%(title)s”") % {"title": campaign.title}, back=campaign,
        save=lambda data: actions.update_campaign(request.user, campaign, data), success=_("Changes saved."),
    )  # fmt: skip


@login_required
@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk, run=True)
    done = _("Reminders are being sent to those who have not answered.")
    button(request, lambda: actions.send_reminders(request.user, campaign), done)
    return redirect(campaign)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk, run=True)
    done = _("Campaign closed: no more answers are accepted.")
    button(request, lambda: actions.close_campaign(request.user, campaign), done)
    return redirect(campaign)


@login_required
def campaign_release(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk, run=True)
    form = ReleaseForm(request.POST or None, campaign=campaign)
    return form_page(
        request, form, title=_("Release the results of “%(title)s”") % {"title": campaign.title}, back=campaign,
        save=lambda data: actions.release_results(request.user, campaign, data["decision"]),
        success=_("Results released: the network's readers can now see them."),
    )  # fmt: skip


@login_required
def campaign_group_answer(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk, run=True)
    form = AnswerForm(request.POST or None, instrument=campaign.instrument, with_notes=True)
    return form_page(
        request, form, title=_("The group's answer: %(title)s") % {"title": campaign.title}, back=campaign,
        template="evaluation/answer_form.html", extra={"campaign": campaign, "group": True},
        save=lambda data: responses.record_group_answer(
            request.user, campaign, form.answers(), form.notes(), data.get("summary", "")
        ),
        success=_("The group's answer is recorded."),
    )  # fmt: skip


@login_required
@require_safe
def campaign_history(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    return history_page(request, campaign, campaign.get_absolute_url())


@login_required
@require_safe
def campaign_results(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    # Kept per reader (the comparison reads only the campaigns they may see) until anything is written.
    results = kept(
        f"results:{campaign.pk}:{request.user.pk}",
        lambda: campaign_results_of(campaign, visible=rules.campaigns_for(request.user)),
    )
    # The breakdowns as table rows, one column per section that has a mean.
    scored = [s.section for s in results.sections if s.mean is not None]
    context = {
        # The reader's own results (as kept above), in their language, today (a campaign closes with the date).
        "fragment": f"{campaign.pk}:{request.user.pk}:{get_language()}:{timezone.localdate()}:{data_stamp()}",
        "campaign": campaign,
        "results": results,
        "scored": scored,
        "sector_rows": [(g, [g.means.get(s.code) for s in scored]) for g in results.by_sector],
        "instance_rows": [(g, [g.means.get(s.code) for s in scored]) for g in results.by_instance],
        "gap": [results.sector_gap.get(s.code) for s in scored] if results.sector_gap else [],
        "deltas": [(s, results.previous.deltas.get(s.code)) for s in scored] if results.previous else [],
    }
    return render(request, "evaluation/campaign_results.html", context)


@login_required
@require_safe
def campaign_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    rows = results_csv_rows(campaign)
    return exports.respond(request, f"evaluation-{campaign.pk}", next(rows), rows)
