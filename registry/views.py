"""Registry pages: organisations, people, territories. Short views; rules in rules.py, writes in actions.py."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.pages import history_page, list_page
from registry import actions, exports
from registry import rules as perms
from registry.filters import OrganizationFilter, PersonFilter, TerritoryFilter
from registry.forms import (
    AffiliationForm,
    EndAffiliationForm,
    FundingLineForm,
    NewPersonForm,
    OrganizationForm,
    PersonForm,
    TerritoryForm,
)
from registry.models import Affiliation, FundingLine, Organization, Person, Territory, TerritoryPopulation


def get_for_user(request: HttpRequest, visible: Callable, pk: int, perm: str | None = None):
    """Fetch an object the user may see (404 otherwise), then check the action's permission (403)."""
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
def organization_list(request: HttpRequest) -> HttpResponse:
    require_registry_access(request)
    queryset = perms.organizations_for(request.user).select_related("rls").order_by("name", "pk")
    filterset = OrganizationFilter(request.GET, queryset=queryset)
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
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return organization_page(request, get_for_user(request, perms.organizations_for, pk))


def organization_page(request: HttpRequest, org: Organization, funding_form=None, status: int = 200) -> HttpResponse:
    """The organisation page; an invalid funding line comes back on it with the user's input and the errors."""
    org = Organization.objects.select_related("rls").prefetch_related("territories", "funding_lines").get(pk=org.pk)
    affiliations = (
        Affiliation.objects.filter(organization=org, person__archived_at__isnull=True)
        .select_related("person")
        .order_by("end_date", "person__last_name")
    )
    can_edit = request.user.has_perm("registry.change_organization", org)
    context = {
        "org": org,
        "affiliations": affiliations,
        "can_edit": can_edit,
        "can_archive": request.user.has_perm("registry.archive_organization", org),
        "funding_form": funding_form if funding_form is not None else (FundingLineForm() if can_edit else None),
        "funding_by_year": funding_by_year(org.funding_lines.all()),
    }
    return render(request, "registry/organization_detail.html", context, status=status)


def funding_by_year(lines) -> list[dict]:
    years: dict[int, dict] = {}
    for line in lines:
        entry = years.setdefault(line.year, {"year": line.year, "lines": [], "total": 0})
        entry["lines"].append(line)
        entry["total"] += line.amount
    return sorted(years.values(), key=lambda e: -e["year"])


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("registry.add_organization"):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        org = actions.create_organization(request.user, form.cleaned_data, request)
        messages.success(request, _("Organisation “%(name)s” created.") % {"name": org.name})
        return redirect("registry:organization_detail", pk=org.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("New organisation"), "cancel_url": reverse("registry:organization_list")},
    )


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk, "registry.change_organization")
    form = OrganizationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_organization(request.user, Organization.objects.get(pk=org.pk), form.cleaned_data, request)
        messages.success(request, _("Changes saved."))
        return redirect("registry:organization_detail", pk=org.pk)
    return render(request, "form.html", {"form": form, "title": _("Edit %(name)s") % {"name": org.name}, "object": org})


@login_required
@require_POST
def organization_archive(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk, "registry.archive_organization")
    if request.POST.get("restore"):
        actions.restore_organization(request.user, org, request)
        messages.success(request, _("Organisation restored."))
    else:
        actions.archive_organization(request.user, org, request)
        messages.success(request, _("Organisation archived. It no longer appears in lists; you can restore it here."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
@require_POST
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk, "registry.change_organization")
    form = FundingLineForm(request.POST)
    if not form.is_valid():
        return organization_page(request, org, funding_form=form, status=400)
    actions.add_funding_line(request.user, org, form.cleaned_data, request)
    messages.success(request, _("Funding line added."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
@require_POST
def funding_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk, "registry.change_organization")
    line = get_object_or_404(FundingLine, pk=line_pk, organization=org)
    actions.remove_funding_line(request.user, line, request)
    messages.success(request, _("Funding line removed."))
    return redirect("registry:organization_detail", pk=org.pk)


@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(request, perms.organizations_for, pk)
    return history_page(request, org, "registry:organization_detail")


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
def person_list(request: HttpRequest) -> HttpResponse:
    require_registry_access(request)
    current = Affiliation.objects.filter(end_date__isnull=True).select_related("organization")
    queryset = (
        perms.people_for(request.user)
        .prefetch_related(Prefetch("affiliations", queryset=current, to_attr="current_affiliations"))
        .order_by("last_name", "first_name", "pk")
    )
    filterset = PersonFilter(request.GET, queryset=queryset)
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
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk)
    audit.record_view(request, person)
    can_edit = request.user.has_perm("registry.change_person", person)
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organization"),
        "can_edit": can_edit,
        "affiliation_form": AffiliationForm(user=request.user) if can_edit else None,
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("registry.add_person"):
        raise PermissionDenied
    form = NewPersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["affiliations"] = [
            {"organization": data.pop("organization"), "title": data.pop("title"), "start_date": data.pop("start_date")}
        ]
        person = actions.create_person(request.user, data, request)
        messages.success(request, _("Person “%(name)s” added.") % {"name": person})
        return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("New person"), "cancel_url": reverse("registry:person_list")},
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk, "registry.change_person")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        actions.update_person(request.user, Person.objects.get(pk=person.pk), form.cleaned_data, request)
        messages.success(request, _("Changes saved."))
        return redirect("registry:person_detail", pk=person.pk)
    return render(
        request, "form.html", {"form": form, "title": _("Edit %(name)s") % {"name": person}, "object": person}
    )


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk, "registry.archive_person")
    if request.POST.get("restore"):
        actions.restore_person(request.user, person, request)
        messages.success(request, _("Person restored."))
    else:
        actions.archive_person(request.user, person, request)
        messages.success(request, _("Person archived. You can restore them here."))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def affiliation_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk, "registry.change_person")
    form = AffiliationForm(request.POST, user=request.user)
    if form.is_valid():
        actions.add_affiliation(request.user, person, form.cleaned_data, request)
        messages.success(request, _("Affiliation added."))
        return redirect("registry:person_detail", pk=person.pk)
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organization"),
        "can_edit": True,
        "affiliation_form": form,
    }
    return render(request, "registry/person_detail.html", context, status=400)


@login_required
@require_POST
def affiliation_end(request: HttpRequest, pk: int, affiliation_pk: int) -> HttpResponse:
    person = get_for_user(request, perms.people_for, pk, "registry.change_person")
    affiliation = get_object_or_404(Affiliation, pk=affiliation_pk, person=person)
    # A person shared by two organisations: each one's representative ends only their own affiliation.
    if not request.user.has_perm("registry.change_organization", affiliation.organization):
        raise PermissionDenied
    form = EndAffiliationForm(request.POST, affiliation=affiliation)
    if form.is_valid():
        actions.end_affiliation(request.user, affiliation, form.cleaned_data["end_date"], request)
        messages.success(request, _("Affiliation ended."))
    else:
        messages.error(request, " ".join(form.errors.get("end_date", [_("Enter a valid end date.")])))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
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
def territory_list(request: HttpRequest) -> HttpResponse:
    queryset = with_latest_population(perms.territories_for(request.user).select_related("parent")).order_by("path")
    filterset = TerritoryFilter(request.GET, queryset=queryset)
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
    form = TerritoryForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        territory = actions.create_territory(request.user, form.cleaned_data, request)
        messages.success(request, _("Territory “%(name)s” created.") % {"name": territory.name})
        return redirect("registry:territory_detail", pk=territory.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("New territory"), "cancel_url": reverse("registry:territory_list")},
    )


@login_required
def territory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_for_user(request, perms.territories_for, pk, "registry.change_territory")
    form = TerritoryForm(request.POST or None, instance=territory, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_territory(request.user, Territory.objects.get(pk=territory.pk), form.cleaned_data, request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:territory_detail", pk=territory.pk)
    title = _("Edit %(name)s") % {"name": territory.name}
    return render(request, "form.html", {"form": form, "title": title, "object": territory})


@login_required
def territory_history(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_for_user(request, perms.territories_for, pk)
    return history_page(request, territory, "registry:territory_detail")
