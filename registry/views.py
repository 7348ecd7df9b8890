"""Registry pages: organisations, people, territories. Short views; rules in rules.py, writes in actions.py."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import audit
from core.pages import button, error_status, form_page, history_page, list_page, show_errors
from registry import actions, change_requests, exports
from registry import rules as perms
from registry.filters import OrganizationFilter, PersonFilter, TerritoryFilter
from registry.forms import (
    AffiliationForm,
    EndAffiliationForm,
    FundingLineForm,
    FundingVisibilityForm,
    NewPersonForm,
    OrganizationForm,
    PersonForm,
    RefuseChangeForm,
    TerritoryForm,
)
from registry.models import (
    Affiliation,
    ChangeRequest,
    FundingLine,
    Organization,
    OrganizationLink,
    Person,
    Territory,
    TerritoryPopulation,
)


def get_for_user(request: HttpRequest, visible: Callable, pk: int, perm: str | None = None):
    """Fetch an object the user may see (404 otherwise). With `perm`, a form page the user cannot use answers 403
    before showing the form; the writes themselves are checked by the actions."""
    obj = get_object_or_404(visible(request.user), pk=pk)
    if perm and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def require_registry_access(request: HttpRequest) -> None:
    if not request.user.has_perm("registry.view_registry"):
        raise PermissionDenied


def scoped_territory_choices(user) -> QuerySet:
    """Territory filter choices: the user's RLS subtrees, or the upper levels for a platform administrator."""
    scope = perms.scope_for(user)
    if scope.is_admin:
        # Upper levels only: ~110 options instead of every municipality (the API filter takes any id).
        upper = [Territory.Kind.PROVINCE, Territory.Kind.HEALTH_REGION, Territory.Kind.RLS]
        return Territory.objects.filter(kind__in=upper).order_by("path")
    paths = Territory.objects.filter(
        pk__in=scope.readable_rls
        | set(Organization.objects.filter(pk__in=scope.represented_orgs).values_list("rls", flat=True))
    ).values_list("path", flat=True)
    return Territory.objects.filter(perms.under_paths(paths)).order_by("path")


# Home ---------------------------------------------------------------------------------------


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    orgs = perms.organizations_for(user).active()
    context = {
        "organization_count": orgs.count(),
        "people_count": perms.people_for(user).active().count(),
        "sectors": orgs.values("sector").annotate(n=Count("id")).order_by("-n"),
        "sector_labels": dict(Organization.Sector.choices),
        "my_organizations": Organization.objects.filter(pk__in=perms.scope_for(user).represented_orgs),
        "scope": perms.scope_for(user),
    }
    return render(request, "registry/home.html", context)


# Organisations ------------------------------------------------------------------------------


@login_required
@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    require_registry_access(request)
    queryset = perms.organizations_for(request.user).select_related("rls").order_by("name", "pk")
    filterset = OrganizationFilter(request.GET, queryset=queryset, request=request)
    filterset.form.fields["territory"].queryset = scoped_territory_choices(request.user)
    if request.GET.get("format") in exports.FORMATS:
        return exports.organizations(request, filterset.qs)
    return list_page(
        request,
        filterset,
        "registry/organization_list.html",
        "registry/_organization_rows.html",
        # One label dict per page: get_sector_display rebuilds the translated choices on every row.
        {
            "can_add": request.user.has_perm("registry.add_organization"),
            "sector_labels": dict(Organization.Sector.choices),
        },
    )


@login_required
@require_safe
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return organization_page(request, get_for_user(request, perms.organizations_for, pk))


def organization_page(request: HttpRequest, org: Organization, funding_form=None, status: int = 200) -> HttpResponse:
    """The organisation page; an invalid funding line comes back on it with the user's input and the errors."""
    org = Organization.objects.select_related("rls").prefetch_related("territories", "funding_lines").get(pk=org.pk)
    user = request.user
    affiliations = (
        Affiliation.objects.filter(organization=org, person__archived_at__isnull=True)
        .select_related("person")
        .order_by("end_date", "person__last_name")
    )
    can_edit = user.has_perm("registry.change_organization", org)
    can_propose = user.has_perm("registry.propose_change", org)
    can_read_funding = user.has_perm("registry.view_funding", org)
    if funding_form is None and (can_edit or can_propose):
        funding_form = FundingLineForm()
    proposals = change_requests.proposals_for(user, org)
    context = {
        "org": org,
        "affiliations": affiliations,
        "can_edit": can_edit,
        "can_propose": can_propose,
        "owned": perms.is_owned(org),
        "can_archive": user.has_perm("registry.archive_organization", org),
        "funding_form": funding_form if can_read_funding or can_edit or can_propose else None,
        "can_read_funding": can_read_funding,
        "funding_by_year": funding_by_year(org.funding_lines.all()) if can_read_funding else [],
        "visibility_form": (
            FundingVisibilityForm(initial={"funding_visibility": org.funding_visibility})
            if user.has_perm("registry.set_funding_visibility", org)
            else None
        ),
        "proposals": proposals,
        "can_answer": org.pk in perms.scope_for(user).represented_orgs,
        "aca_criteria": Organization.AcaCriterion.choices,
        "predecessors": OrganizationLink.objects.filter(successor=org).select_related("predecessor"),
        "successors": OrganizationLink.objects.filter(predecessor=org).select_related("successor"),
    }
    return render(request, "registry/organization_detail.html", context, status=status)


def funding_by_year(lines) -> list[dict]:
    years: dict[int, dict] = {}
    for line in lines:
        entry = years.setdefault(line.year, {"year": line.year, "lines": [], "total": 0})
        entry["lines"].append(line)
        entry["total"] += line.amount
    return sorted(years.values(), key=lambda e: -e["year"])


def create_page(
    request: HttpRequest, form, *, title: str, cancel_url: str, save: Callable, success: Callable[[Model], str]
) -> HttpResponse:
    """A creation form: the action's refusal shows next to its field (400, nothing written); success goes to the new
    record's page."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                created = save(form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
                status = error_status(error)
            else:
                messages.success(request, success(created))
                return redirect(created)
    return render(request, "form.html", {"form": form, "title": title, "cancel_url": cancel_url}, status=status)


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("registry.add_organization"):
        raise PermissionDenied
    return create_page(
        request,
        OrganizationForm(request.POST or None, user=request.user),
        title=_("New organisation"),
        cancel_url=reverse("registry:organization_list"),
        save=lambda data: actions.create_organization(request.user, data),
        success=lambda org: _("Organisation “%(name)s” created.") % {"name": org.name},
    )


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    actions.require_edit(request.user, org)  # the API's answer: 403, saying to propose the change instead
    title = _("Edit %(name)s") % {"name": org.name}
    return form_page(
        request,
        OrganizationForm(request.POST or None, instance=org, user=request.user),
        title=title,
        back=org,
        # A fresh copy: validating the form wrote the input on `org`.
        save=lambda data: actions.update_organization(request.user, Organization.objects.get(pk=org.pk), data),
        success=_("Changes saved."),
    )


@login_required
def organization_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit form of an organisation keeping its own record, saved as a proposal it accepts or refuses."""
    org = get_for_user(request, perms.organizations_for, pk, "registry.propose_change")
    return form_page(
        request,
        OrganizationForm(request.POST or None, instance=org, user=request.user),
        title=_("Propose a change to %(name)s") % {"name": org.name},
        back=org,
        save=lambda data: change_requests.propose_organization_change(
            request.user, Organization.objects.get(pk=org.pk), data
        ),
        success=_("Your proposal was sent to the organisation, which will accept or refuse it."),
    )


@login_required
@require_POST
def funding_propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _funding_line_form(
        request, pk, change_requests.propose_funding_line,
        _("Your proposal was sent to the organisation, which will accept or refuse it."),
    )  # fmt: skip


def _funding_line_form(request: HttpRequest, pk: int, save, success: str) -> HttpResponse:
    """The funding-line form of the organisation page, posted: `save(user, org, data)` adds the line or proposes it."""
    org = get_for_user(request, perms.organizations_for, pk)
    form = FundingLineForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            save(request.user, org, form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
            status = error_status(error)
        else:
            messages.success(request, success)
            return redirect("registry:organization_detail", pk=org.pk)
    return organization_page(request, org, funding_form=form, status=status)


@login_required
@require_POST
def funding_propose_removal(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    line = get_object_or_404(FundingLine, pk=line_pk, organization=org)
    change_requests.propose_funding_removal(request.user, line)
    messages.success(request, _("Your proposal was sent to the organisation, which will accept or refuse it."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
@require_POST
def funding_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    form = FundingVisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who sees the detail of the funding lines."))
        return redirect("registry:organization_detail", pk=org.pk)
    actions.set_funding_visibility(request.user, org, form.cleaned_data["funding_visibility"])
    messages.success(request, _("Changes saved."))
    return redirect("registry:organization_detail", pk=org.pk)


def get_change_for_user(request: HttpRequest, pk: int) -> ChangeRequest:
    return get_object_or_404(perms.change_requests_for(request.user).select_related("organization"), pk=pk)


@login_required
@require_POST
def change_accept(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_change_for_user(request, pk)
    button(request, lambda: change_requests.accept_change(request.user, change),
           _("Proposal accepted: the record is updated."))  # fmt: skip
    return redirect(change.organization.get_absolute_url() + "#proposals")


@login_required
@require_POST
def change_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_change_for_user(request, pk)
    form = RefuseChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(change.organization.get_absolute_url() + "#proposals")
    button(request, lambda: change_requests.refuse_change(request.user, change, form.cleaned_data["reason"]),
           _("Proposal refused: the record stays as it was."))  # fmt: skip
    return redirect(change.organization.get_absolute_url() + "#proposals")


@login_required
@require_POST
def change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_change_for_user(request, pk)
    button(request, lambda: change_requests.withdraw_change(request.user, change), _("Proposal withdrawn."))
    return redirect(change.organization.get_absolute_url() + "#proposals")


@login_required
@require_POST
def organization_archive(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    if request.POST.get("restore"):
        actions.restore_organization(request.user, org)
        messages.success(request, _("Organisation restored."))
    else:
        actions.archive_organization(request.user, org)
        messages.success(request, _("Organisation archived. It no longer appears in lists; you can restore it here."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
@require_POST
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _funding_line_form(request, pk, actions.add_funding_line, _("Funding line added."))


@login_required
@require_POST
def funding_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    line = get_object_or_404(FundingLine, pk=line_pk, organization=org)
    actions.remove_funding_line(request.user, line)
    messages.success(request, _("Funding line removed."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
@require_safe
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    return history_page(request, org, "registry:organization_detail")


@require_safe
def public_organization(request: HttpRequest, pk: int) -> HttpResponse:
    """The only registry page anonymous visitors see, and only when the organisation chose to publish it."""
    org = get_object_or_404(
        Organization.objects.select_related("rls").prefetch_related("territories"),
        pk=pk,
        is_public=True,
        archived_at__isnull=True,
    )
    return render(request, "registry/public_organization.html", {"org": org})


# People -------------------------------------------------------------------------------------


@login_required
@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    require_registry_access(request)
    current = Affiliation.objects.filter(end_date__isnull=True).select_related("organization")
    queryset = (
        perms.people_for(request.user)
        .prefetch_related(Prefetch("affiliations", queryset=current, to_attr="current_affiliations"))
        .order_by("last_name", "first_name", "pk")
    )
    filterset = PersonFilter(request.GET, queryset=queryset, request=request)
    filterset.form.fields["organization"].queryset = perms.organizations_for(request.user).active()
    if request.GET.get("format") in exports.FORMATS:
        return exports.people(request, filterset.qs)
    return list_page(
        request,
        filterset,
        "registry/person_list.html",
        "registry/_person_rows.html",
        {"can_add": request.user.has_perm("registry.add_person")},
    )


@login_required
@require_safe
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    audit.record_view(request, person)
    return person_page(request, person)


def person_page(
    request: HttpRequest, person: Person, affiliation_form=None, end_form=None, ending=None, status: int = 200
) -> HttpResponse:
    """The person's page; a refused affiliation (added or ended) comes back on it with the input and the errors."""
    can_edit = request.user.has_perm("registry.change_person", person)
    can_propose = not can_edit and request.user.has_perm("registry.propose_person_change", person)
    if affiliation_form is None and can_edit:
        affiliation_form = AffiliationForm(user=request.user)
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organization"),
        "can_edit": can_edit,
        "can_propose": can_propose,
        "affiliation_form": affiliation_form,
        "end_form": end_form,
        "ending": ending,
    }
    return render(request, "registry/person_detail.html", context, status=status)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("registry.add_person"):
        raise PermissionDenied

    def save(data: dict) -> Person:
        data = dict(data)
        affiliation = {key: data.pop(key) for key in ("organization", "title", "start_date")}
        return actions.create_person(request.user, {**data, "affiliations": [affiliation]})

    return create_page(
        request,
        NewPersonForm(request.POST or None, user=request.user),
        title=_("New person"),
        cancel_url=reverse("registry:person_list"),
        save=save,
        success=lambda person: _("Person “%(name)s” added.") % {"name": person},
    )


@login_required
def person_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The person form, saved as a proposal to the organisation keeping its own record that the person belongs to."""
    person = get_for_user(request, perms.people_for, pk, "registry.propose_person_change")
    return form_page(
        request,
        PersonForm(request.POST or None, instance=person),
        title=_("Propose a change to %(name)s") % {"name": person},
        back=person,
        save=lambda data: change_requests.propose_person_change(request.user, Person.objects.get(pk=person.pk), data),
        success=_("Your proposal was sent to the organisation, which will accept or refuse it."),
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    if not request.user.has_perm("registry.change_person", person):
        raise PermissionDenied(
            actions.PERSON_OF_OWNED_RECORD if request.user.has_perm("registry.propose_person_change", person) else ""
        )
    return form_page(
        request,
        PersonForm(request.POST or None, instance=person),
        title=_("Edit %(name)s") % {"name": person},
        back=person,
        save=lambda data: actions.update_person(request.user, Person.objects.get(pk=person.pk), data),
        success=_("Changes saved."),
    )


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    if request.POST.get("restore"):
        actions.restore_person(request.user, person)
        messages.success(request, _("Person restored."))
    else:
        actions.archive_person(request.user, person)
        messages.success(request, _("Person archived. You can restore them here."))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def affiliation_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    form = AffiliationForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        try:
            actions.add_affiliation(request.user, person, form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
            status = error_status(error)
        else:
            messages.success(request, _("Affiliation added."))
            return redirect("registry:person_detail", pk=person.pk)
    return person_page(request, person, affiliation_form=form, status=status)


@login_required
@require_POST
def affiliation_end(request: HttpRequest, pk: int, affiliation_pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    affiliation = get_object_or_404(Affiliation, pk=affiliation_pk, person=person)
    # The ids match the end-date field of this affiliation's row, so the error summary links to it.
    form = EndAffiliationForm(request.POST, auto_id=f"end-{affiliation.pk}-%s")
    status = 400
    if form.is_valid():
        try:
            actions.end_affiliation(request.user, affiliation, form.cleaned_data["end_date"])
        except ValidationError as error:
            show_errors(form, error)
            status = error_status(error)
        else:
            messages.success(request, _("Affiliation ended."))
            return redirect("registry:person_detail", pk=person.pk)
    return person_page(request, person, end_form=form, ending=affiliation, status=status)


@login_required
@require_safe
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    return history_page(request, person, "registry:person_detail")


# Territories --------------------------------------------------------------------------------


def with_latest_population(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "populations", queryset=TerritoryPopulation.objects.order_by("-year"), to_attr="prefetched_populations"
        )
    )


@login_required
@require_safe
def territory_list(request: HttpRequest) -> HttpResponse:
    queryset = with_latest_population(perms.territories_for(request.user).select_related("parent")).order_by("path")
    filterset = TerritoryFilter(request.GET, queryset=queryset, request=request)
    if request.GET.get("format") in exports.FORMATS:
        return exports.territories(request, filterset.qs)
    return list_page(
        request,
        filterset,
        "registry/territory_list.html",
        "registry/_territory_rows.html",
        {"can_add": request.user.has_perm("registry.add_territory")},
    )


@login_required
@require_safe
def territory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_for_user(request, perms.territories_for, pk)
    children = with_latest_population(territory.children.all()).annotate(n_children=Count("children"))
    context = {
        "territory": territory,
        "ancestors": territory.ancestors(),
        "children": children,
        "populations": territory.populations.all(),
        "grouped": territory.grouped_municipalities.all(),
        "belonging_groups": territory.belonging_groups.all(),
        "organization_count": perms.organizations_for(request.user).active().in_territory(territory).count(),
        "can_edit": request.user.has_perm("registry.change_territory", territory),
    }
    return render(request, "registry/territory_detail.html", context)


@login_required
def territory_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("registry.add_territory"):
        raise PermissionDenied
    return create_page(
        request,
        TerritoryForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")}),
        title=_("New territory"),
        cancel_url=reverse("registry:territory_list"),
        save=lambda data: actions.create_territory(request.user, data),
        success=lambda territory: _("Territory “%(name)s” created.") % {"name": territory.name},
    )


@login_required
def territory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_for_user(request, perms.territories_for, pk, "registry.change_territory")
    return form_page(
        request,
        TerritoryForm(request.POST or None, instance=territory, user=request.user),
        title=_("Edit %(name)s") % {"name": territory.name},
        back=territory,
        save=lambda data: actions.update_territory(request.user, Territory.objects.get(pk=territory.pk), data),
        success=_("Changes saved."),
    )


@login_required
@require_safe
def territory_history(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_for_user(request, perms.territories_for, pk)
    return history_page(request, territory, "registry:territory_detail")
