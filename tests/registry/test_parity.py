"""The same input through the page and through the API: refused on the same field, with the same message when the
action is the one refusing, and nothing written either way."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    user: str
    page: tuple[str, str]  # URL name, "object" it takes: "org", "person", "affiliation", "town" or ""
    api: str  # method and path, with {org}, {person}, {affiliation}, {town}
    data: dict[str, Any]  # the same fields for both; "ORG_A", "TOWN"… are replaced by ids
    field: str
    # False where the page's form refuses a choice it does not offer, or where the API's serializer checks the bounds
    # of a number it documents (in Django REST framework's words: "…égale à\u00a01600").
    same_message: bool = True
    form: str = "form"


ORG = {"name": "Maison de la famille", "sector": "community", "rls": "RLS"}
CASES = {
    "aca_outside_community": Case(
        "coordinator", ("organization_create", ""), "post /organizations/",
        {**ORG, "sector": "public", "aca_criteria": ["aca_rooted"]}, "aca_criteria",
    ),
    "duplicate_name": Case(
        "coordinator", ("organization_create", ""), "post /organizations/", {**ORG, "name": "POPOTE ROULANTE DU VAL"},
        "name",
    ),
    "founding_year": Case(
        "coordinator", ("organization_create", ""), "post /organizations/", {**ORG, "founded_year": 1492},
        "founded_year", same_message=False,
    ),
    "territory_of_another_rls": Case(
        "admin", ("organization_create", ""), "post /organizations/", {**ORG, "territories": ["OTHER_RLS"]},
        "territories",
    ),
    "rls_not_coordinated": Case(
        "coordinator", ("organization_create", ""), "post /organizations/", {**ORG, "rls": "OTHER_RLS"}, "rls",
        same_message=False,
    ),
    "negative_amount": Case(
        "rep_a", ("funding_add", "org"), "post /organizations/{org}/funding/",
        {"year": 2025, "source": "programme", "amount": "-1"}, "amount", form="funding_form",
    ),
    "funding_year": Case(
        "rep_a", ("funding_add", "org"), "post /organizations/{org}/funding/",
        {"year": 1492, "source": "programme", "amount": "1"}, "year", same_message=False,
        form="funding_form",
    ),
    "affiliation_ends_before_it_starts": Case(
        "rep_a", ("affiliation_add", "person"), "post /people/{person}/affiliations/",
        {"organization": "ORG_A", "start_date": "2022-05-01", "end_date": "2021-01-31"}, "end_date",
        form="affiliation_form",
    ),
    "affiliation_with_a_hidden_organisation": Case(
        "rep_a", ("affiliation_add", "person"), "post /people/{person}/affiliations/",
        {"organization": "ORG_B", "start_date": "2022-05-01"}, "organization", same_message=False,
        form="affiliation_form",
    ),
    "ending_before_the_start": Case(
        "rep_a", ("affiliation_end", "affiliation"), "post /people/{person}/affiliations/{affiliation}/end/",
        {"end_date": "2019-12-31"}, "end_date", form="end_form",
    ),
    "rls_under_a_municipality": Case(
        "admin", ("territory_create", ""), "post /territories/",
        {"name": "RLS Fantôme", "kind": "rls", "parent": "TOWN"}, "parent",
    ),
    "older_population_above_total": Case(
        "coordinator", ("territory_create", ""), "post /territories/",
        {"name": "Secteur", "kind": "community", "parent": "MRC", "year": 2024, "population": 10,
         "population_65_plus": 20},
        "population_65_plus",
    ),
    "figures_without_a_year": Case(
        "coordinator", ("territory_create", ""), "post /territories/",
        {"name": "Secteur", "kind": "community", "parent": "MRC", "population": 10}, "year",
    ),
    "province_by_a_coordinator": Case(
        "coordinator", ("territory_create", ""), "post /territories/", {"name": "Ma province", "kind": "province"},
        "parent",
    ),
    "moving_under_a_descendant": Case(
        "admin", ("territory_edit", "mrc"), "patch /territories/{mrc}/",
        {"name": "MRC du Val", "kind": "mrc", "parent": "TOWN"}, "parent", same_message=False,
    ),
}  # fmt: skip


def ids(world) -> dict[str, int]:
    return {
        "RLS": world.rls.pk, "OTHER_RLS": world.other_rls.pk, "ORG_A": world.org_a.pk, "ORG_B": world.org_b.pk,
        "TOWN": world.town.pk, "MRC": world.mrc.pk,
    }  # fmt: skip


def resolved(world, data: dict) -> dict:
    values = ids(world)

    def one(value):
        return [one(v) for v in value] if isinstance(value, list) else values.get(value, value)

    return {key: one(value) for key, value in data.items()}


def objects(world) -> dict[str, int]:
    affiliation = world.person_a.affiliations.get()
    return {"org": world.org_a.pk, "person": world.person_a.pk, "affiliation": affiliation.pk, "mrc": world.mrc.pk}


def page_url(world, page: tuple[str, str]) -> str:
    name, target = page
    if not target:
        return reverse(f"registry:{name}")
    if target == "affiliation":
        return reverse(f"registry:{name}", args=[world.person_a.pk, objects(world)["affiliation"]])
    return reverse(f"registry:{name}", args=[objects(world)[target]])


def page_data(data: dict) -> dict:
    # An HTML form sends a ticked box as "on" and leaves an unticked one out.
    return {key: ("on" if value is True else value) for key, value in data.items() if value is not False}


@pytest.mark.parametrize("name", CASES)
def test_page_and_api_refuse_alike(client, world, api_as, registry_state, name):
    case = CASES[name]
    user = getattr(world, case.user)
    data = resolved(world, case.data)
    before = registry_state()

    client.force_login(user)
    page = client.post(page_url(world, case.page), page_data(data))
    assert page.status_code == 400
    page_errors = page.context[case.form].errors
    assert case.field in page_errors, dict(page_errors)

    method, path = case.api.split()
    api = getattr(api_as(user), method)("/api/v1" + path.format(**objects(world)), data, format="json")
    assert api.status_code == 400
    assert case.field in api.json(), api.json()

    if case.same_message:
        assert list(page_errors[case.field]) == api.json()[case.field]
    assert registry_state() == before
