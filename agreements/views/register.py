"""The register of agreements, the dashboard, an organisation's funding dependence and the public page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agreements import analytics
from agreements.actions.agreements import section_order
from agreements.filters import AgreementFilter
from agreements.models import Agreement, AgreementSection, FundingAmount, Party, Report
from agreements.rules import agreements_for
from core import charts
from registry import rules as registry_rules
from registry.models import FundingLine
from registry.views import scoped_territory_choices

PAGE_SIZE = 50


def _require_register(request: HttpRequest) -> None:
    if not request.user.has_perm("agreements.view_register"):
        raise PermissionDenied


@login_required
@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    _require_register(request)
    parties = Party.objects.select_related("organization").only("agreement_id", "organization__name")
    queryset = (
        agreements_for(request.user)
        .select_related("rls")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .annotate(
            funding=Sum("amounts__amount"),
            late_reports=Exists(Report.objects.late().filter(agreement=OuterRef("pk"))),
        )
        .order_by("-start_date", "title", "pk")
    )
    filterset = AgreementFilter(request.GET, queryset=queryset, request=request)
    filterset.form.fields["territory"].queryset = scoped_territory_choices(request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_add": request.user.has_perm("agreements.add_agreement"),
        "kind_labels": dict(Agreement.Kind.choices),
        "status_labels": dict(Agreement.Status.choices),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "agreements/_rows.html" if partial else "agreements/agreement_list.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_register(request)
    data = analytics.dashboard(agreements_for(request.user))
    drifting, drifting_count = analytics.drifting_organizations(registry_rules.organizations_for(request.user))
    funding_chart = charts.bar_chart(
        [(str(row["year"]), row["total"]) for row in data["funding"]],
        title=_("Funding of the agreements per year"), label_header=_("Year"), value_header=_("Amount (CAD)"),
        unit="$",
    )  # fmt: skip
    context = {**data, "funding_chart": funding_chart, "drifting": drifting, "drifting_count": drifting_count}
    return render(request, "agreements/dashboard.html", context)


@login_required
@require_safe
def dependence(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a community organisation's money comes from, year by year (domain.md §1: the complementarist drift)."""
    org = get_object_or_404(registry_rules.organizations_for(request.user), pk=pk)
    # The organisation chooses who reads the detail of its funding lines (registry.rules).
    reads_funding = registry_rules.can_read_funding(request.user, org)
    years = analytics.dependence(org) if reads_funding else []
    drift_years = [str(row["year"]) for row in years if row["drift"]]
    mission_chart = charts.line_chart(
        [(str(row["year"]), row["mission_share"]) for row in years],
        title=_("Share of mission funding (PSOC)"), label_header=_("Year"), value_header=_("Share (%)"),
        highlight=drift_years, decimals=1, unit="%",
    )  # fmt: skip
    service_chart = charts.line_chart(
        [(str(row["year"]), row["service_share"]) for row in years],
        title=_("Share of service-agreement money"), label_header=_("Year"), value_header=_("Share (%)"),
        highlight=drift_years, decimals=1, unit="%",
    )  # fmt: skip
    agreements = (
        agreements_for(request.user)
        .filter(Exists(Party.objects.filter(agreement=OuterRef("pk"), organization=org)))
        .annotate(funding=Sum("amounts__amount"))
        .order_by("-start_date", "pk")
    )
    context = {
        "reads_funding": reads_funding,
        # Only the agreements the user reads are counted: the page says so.
        "reconciliation": analytics.reconcile(org, agreements_for(request.user)) if reads_funding else [],
        "org": org,
        "years": years,
        "sources": FundingLine.Source.choices,
        "drift_years": drift_years,
        "mission_chart": mission_chart,
        "service_chart": service_chart,
        "agreements": agreements,
    }
    return render(request, "agreements/dependence.html", context)


@require_safe
def public_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """What anonymous visitors may read, once the parties have published the agreement."""
    agreement = get_object_or_404(
        Agreement.objects.select_related("legal_basis").exclude(status=Agreement.Status.DRAFT), pk=pk, is_public=True
    )
    sections = AgreementSection.objects.filter(agreement=agreement).exclude(body="")
    context = {
        "agreement": agreement,
        "parties": agreement.parties.select_related("organization"),
        "sections": sorted(sections, key=section_order),
        "funding": FundingAmount.objects.filter(agreement=agreement).order_by("year"),
    }
    return render(request, "agreements/public_agreement.html", context)
