"""The RLS dashboard a coordinator shows at the partners' assembly, and the PDF reports built in the background (the
bilan of the concertation over a period, a campaign's results): asking for one, following its progress (htmx polls
each pending report), downloading it (logged)."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import audit
from core.forms import DateInput
from core.models import AuditEvent
from core.pages import button, form_page
from evaluation import bilan, rules
from evaluation.actions import reports as actions
from evaluation.cache import data_stamp
from evaluation.models import Report
from evaluation.views.common import get_campaign
from registry.models import Territory

REPORTS_SHOWN = 10  # the latest reports listed under the form; older ones stay downloadable by their address


class BilanForm(forms.Form):
    """The period and language of a bilan; the action checks the period (evaluation.actions.reports)."""

    period_start = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    period_end = forms.DateField(label=gettext_lazy("To"), widget=DateInput())
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Report.Language.choices)


def _language(request: HttpRequest) -> str:
    language = (translation.get_language() or "fr")[:2]
    return language if language in Report.Language.values else Report.Language.FR


def _bilan_form(request: HttpRequest, data=None) -> BilanForm:
    today = timezone.localdate()
    initial = {"period_start": datetime.date(today.year - 1, 1, 1), "period_end": today, "language": _language(request)}
    return BilanForm(data, initial=initial)


def _get_rls(request: HttpRequest, pk: int) -> Territory:
    return get_object_or_404(rules.diagnosis_rls_for(request.user), pk=pk)


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1990 <= int(value) <= timezone.localdate().year else None


@login_required
@require_safe
def rls_list(request: HttpRequest) -> HttpResponse:
    """The dashboards the user reads: straight to it when there is one."""
    territories = list(rules.diagnosis_rls_for(request.user).order_by("name")[:500])
    if not territories:
        raise PermissionDenied(_("The RLS dashboards are for the network coordinators and analysts."))
    if len(territories) == 1:
        return redirect("evaluation:rls_dashboard", territories[0].pk)
    return render(request, "evaluation/rls_list.html", {"territories": territories})


@login_required
@require_safe
def rls_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    rls = _get_rls(request, pk)
    this_year = timezone.localdate().year
    year = _year_param(request) or this_year
    data = bilan.dashboard(rls, request.user, year)
    reports = rules.reports_for(request.user).filter(rls=rls, kind=Report.Kind.BILAN).select_related("rls")
    context = {
        **data,
        # The dashboard is the user's own view (what they may see of the RLS): the fragment is theirs too.
        "fragment": f"{rls.pk}:{year}:{request.user.pk}:{get_language()}:{data_stamp()}",
        "load_years": list(range(this_year, this_year - 6, -1)),
        "form": _bilan_form(request),
        "reports": reports[:REPORTS_SHOWN],
        "can_see_register": request.user.has_perm("agreements.view_register"),
    }
    return render(request, "evaluation/rls_dashboard.html", context)


@login_required
def rls_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    rls = _get_rls(request, pk)
    dashboard = reverse("evaluation:rls_dashboard", args=[rls.pk])
    form = _bilan_form(request, request.POST or None)
    return form_page(
        request, form, title=_("Bilan of the concertation (PDF): %(rls)s") % {"rls": rls.name}, back=None,
        cancel_url=dashboard, next_url=f"{dashboard}#reports",
        save=lambda data: actions.request_bilan(
            request.user, rls, data["period_start"], data["period_end"], data["language"]
        ),
        success=_("The bilan is being produced: it will be ready to download below in a moment."),
    )  # fmt: skip


@login_required
@require_POST
def campaign_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    language = request.POST.get("language") or _language(request)
    done = _("The report is being produced: it will be ready to download in a moment.")
    button(request, lambda: actions.request_campaign_report(request.user, campaign, language), done)
    return redirect(reverse("evaluation:campaign_reports", args=[campaign.pk]))


@login_required
@require_safe
def campaign_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's PDF reports the user may download (loaded into the campaign page, or a page of its own)."""
    campaign = get_campaign(request, pk)
    reports = rules.reports_for(request.user).filter(campaign=campaign).select_related("campaign", "rls")
    context = {"campaign": campaign, "reports": reports[:REPORTS_SHOWN], "languages": Report.Language.choices}
    if request.htmx:
        return render(request, "evaluation/_reports.html", context)
    return render(request, "evaluation/campaign_reports.html", context)


def _get_report(request: HttpRequest, pk: int) -> Report:
    reports = rules.reports_for(request.user).select_related("rls", "campaign")
    return get_object_or_404(reports, pk=pk)


@login_required
@require_safe
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's status and progress: the row htmx swaps in while it is being produced, or a page of its own."""
    report = _get_report(request, pk)
    if request.htmx:
        return render(request, "evaluation/_report.html", {"report": report})
    return render(request, "evaluation/report_detail.html", {"report": report})


@login_required
@require_safe
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    report = _get_report(request, pk)
    if not report.is_ready:
        raise Http404
    return download(request, report)


def download(request: HttpRequest, report: Report) -> FileResponse:
    """The PDF as a download, for the page and the API alike: the read is logged and browsers may not sniff."""
    try:
        content = report.file.open("rb")
    except OSError as missing:  # removed from the storage since it was built: ask for it again
        raise Http404 from missing
    audit.record(request.user, AuditEvent.Action.EXPORT, report, {"format": [None, "PDF"]}, request)
    response = FileResponse(
        content, as_attachment=True, filename=report.download_name(), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
