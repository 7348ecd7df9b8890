"""The registry reproductions of issue 8, through the API and through the pages: each is refused with a 4xx, a
clear message in French, nothing about what the caller may not see, and the registry left as it was."""

import json
from html import unescape

import pytest
from django.urls import reverse

from registry.models import Affiliation
from tests.factories import make_territory
from tests.registry.conftest import OUT_OF_SCOPE, french

pytestmark = pytest.mark.django_db

END_BEFORE_START = "The end date cannot be before the start date."


def body_of(response) -> str:
    return unescape(response.content.decode())


# Territories of another RLS linked to an organisation ------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator", "rep_a"])
def test_api_refuses_linking_territories_of_another_rls(world, maintained, api_as, registry_state, role):
    before = registry_state()
    org = maintained if role == "coordinator" else world.org_a
    url = f"/api/v1/organizations/{org.pk}/"
    response = api_as(getattr(world, role)).patch(url, {"territories": [world.town.pk, world.other_rls.pk]})
    assert response.status_code == 400
    assert response.json() == {"territories": [french(OUT_OF_SCOPE)]}
    assert registry_state() == before


def test_page_refuses_linking_territories_of_another_rls(client, world, registry_state):
    """The administrator is offered every territory; the action keeps an organisation's to its RLS."""
    client.force_login(world.admin)
    before = registry_state()
    data = {"name": world.org_a.name, "sector": "community", "rls": world.rls.pk, "territories": [world.other_rls.pk]}
    response = client.post(reverse("registry:organization_edit", args=[world.org_a.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["territories"] == [french(OUT_OF_SCOPE)]
    assert french(OUT_OF_SCOPE) in body_of(response)
    assert registry_state() == before


def test_coordinator_page_offers_only_territories_of_their_rls(client, world, maintained, registry_state):
    client.force_login(world.coordinator)
    before = registry_state()
    data = {"name": maintained.name, "sector": "community", "rls": world.rls.pk, "territories": [world.other_rls.pk]}
    response = client.post(reverse("registry:organization_edit", args=[maintained.pk]), data)
    assert response.status_code == 400
    assert "territories" in response.context["form"].errors
    assert registry_state() == before


def test_a_territory_already_served_outside_the_rls_may_stay(world, api_as):
    """Only what changes is checked: an old link stays when something else is edited."""
    world.org_a.territories.add(world.other_rls)
    payload = {"territories": [world.town.pk, world.other_rls.pk], "mission": "Repas"}
    response = api_as(world.rep_a).patch(f"/api/v1/organizations/{world.org_a.pk}/", payload)
    assert response.status_code == 200, response.json()


# Moving an organisation to another RLS ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "rep_a"])
def test_api_refuses_moving_an_organisation_to_another_rls(world, maintained, api_as, registry_state, role):
    before = registry_state()
    org = maintained if role == "coordinator" else world.org_a
    url = f"/api/v1/organizations/{org.pk}/"
    response = api_as(getattr(world, role)).patch(url, {"rls": world.other_rls.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"rls": [french(OUT_OF_SCOPE)]}
    assert registry_state() == before


def test_api_refuses_creating_an_organisation_in_another_rls(world, api_as, registry_state):
    before = registry_state()
    payload = {"name": "Organisme ailleurs", "sector": "community", "rls": world.other_rls.pk}
    response = api_as(world.coordinator).post("/api/v1/organizations/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"rls": [french(OUT_OF_SCOPE)]}
    assert registry_state() == before


# A message naming an organisation the caller may not see ---------------------------------------------------------


def person_payload(org_pk: int) -> dict:
    return {
        "first_name": "Léa", "last_name": "Roy", "decision_level": "staff",
        "affiliations": [{"organization": org_pk, "start_date": "2024-01-01"}],
    }  # fmt: skip


def assert_hidden_like_missing(hidden, missing, hidden_pk: int) -> None:
    """A hidden organisation and one that does not exist get the same answer: nothing tells them apart."""
    assert hidden.status_code == missing.status_code == 400
    assert json.dumps(hidden.json()).replace(str(hidden_pk), "ID") == json.dumps(missing.json()).replace("999999", "ID")


@pytest.mark.parametrize("method", ["create", "update"])
def test_api_affiliation_with_a_hidden_organisation_names_nothing(world, api_as, registry_state, method):
    client = api_as(world.rep_a)
    before = registry_state()

    def send(org_pk):
        if method == "create":
            return client.post("/api/v1/people/", person_payload(org_pk), format="json")
        payload = {"affiliations": person_payload(org_pk)["affiliations"]}
        return client.patch(f"/api/v1/people/{world.person_a.pk}/", payload, format="json")

    hidden, missing = send(world.org_b.pk), send(999999)
    assert_hidden_like_missing(hidden, missing, world.org_b.pk)
    assert "affiliations" in hidden.json()
    text = hidden.content.decode()
    assert world.org_b.name not in text and "affilier de personnes" not in text
    assert registry_state() == before


def test_api_affiliation_add_with_a_hidden_organisation_names_nothing(world, api_as, registry_state):
    client = api_as(world.rep_a)
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/"
    hidden = client.post(url, {"organization": world.org_b.pk, "start_date": "2024-01-01"}, format="json")
    missing = client.post(url, {"organization": 999999, "start_date": "2024-01-01"}, format="json")
    assert_hidden_like_missing(hidden, missing, world.org_b.pk)
    assert world.org_b.name not in hidden.content.decode()
    assert registry_state() == before


@pytest.mark.parametrize("page", ["affiliation_add", "person_create"])
def test_page_affiliation_with_a_hidden_organisation_names_nothing(client, world, registry_state, page):
    client.force_login(world.rep_a)
    before = registry_state()
    data = {"first_name": "Léa", "last_name": "Roy", "decision_level": "staff", "start_date": "2024-01-01"}
    url = reverse(f"registry:{page}", args=[world.person_a.pk] if page == "affiliation_add" else [])
    hidden = client.post(url, {**data, "organization": world.org_b.pk})
    missing = client.post(url, {**data, "organization": 999999})
    assert hidden.status_code == missing.status_code == 400
    form = hidden.context["affiliation_form" if page == "affiliation_add" else "form"]
    assert "organization" in form.errors
    html = body_of(hidden)
    assert world.org_b.name not in html and "affilier de personnes" not in html
    missing_form = missing.context["affiliation_form" if page == "affiliation_add" else "form"]
    assert str(form.errors).replace(str(world.org_b.pk), "ID") == str(missing_form.errors).replace("999999", "ID")
    assert registry_state() == before


# Malformed nested items: 400, never 500 --------------------------------------------------------------------------


PERSON_ITEMS = [
    # DRF keys a nested list's errors by the item's index.
    ([{"start_date": "2024-01-01"}], {"0": {"organization": ["Ce champ est obligatoire."]}}),
    ([{"organization": "ORG_A"}], {"0": {"start_date": ["Ce champ est obligatoire."]}}),
    ("abc", None),
    (["abc"], None),
    ([{"organization": "x", "start_date": "2024-01-01"}], None),
    ([{"organization": "ORG_A", "start_date": "2024-13-45"}], None),
    ([{"organization": "ORG_A", "start_date": "2024-05-01", "end_date": "2024-01-01"}], "END"),
]


@pytest.mark.parametrize(("items", "expected"), PERSON_ITEMS)
def test_api_person_patch_with_a_malformed_affiliation(world, api_as, registry_state, items, expected):
    items = json.loads(json.dumps(items).replace('"ORG_A"', str(world.org_a.pk)))
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/"
    response = api_as(world.rep_a).patch(url, {"affiliations": items}, format="json")
    assert response.status_code == 400
    errors = response.json()["affiliations"]
    if expected == "END":
        assert errors == [french(END_BEFORE_START)]
    elif expected is not None:
        assert errors == expected
    assert registry_state() == before


ORGANIZATION_INPUT = [
    {"funding": [{"year": 2025}]},
    {"funding": "x"},
    {"funding": [{"year": "abc", "source": "programme", "amount": "1"}]},
    {"funding": [{"year": 2025, "source": "programme", "amount": "-1"}]},
    {"funding": [{"year": 1492, "source": "programme", "amount": "1"}]},
    {"territories": "x"},
    {"territories": ["x"]},
    {"territories": [999999]},
    {"rls": "x"},
    {"rls": None},
    {"sector": "nope"},
]


@pytest.mark.parametrize("payload", ORGANIZATION_INPUT)
def test_api_organization_patch_with_malformed_input(world, maintained, api_as, registry_state, payload):
    before = registry_state()
    url = f"/api/v1/organizations/{maintained.pk}/"
    response = api_as(world.coordinator).patch(url, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(payload)
    assert registry_state() == before


def test_a_negative_amount_is_refused_in_the_same_words_as_the_page(world, maintained, api_as):
    payload = {"funding": [{"year": 2025, "source": "programme", "amount": "-1"}]}
    response = api_as(world.coordinator).patch(f"/api/v1/organizations/{maintained.pk}/", payload, format="json")
    assert response.json() == {"funding": [french("The amount cannot be negative.")]}


# Territories of another RLS --------------------------------------------------------------------------------------


@pytest.fixture
def far_town(world):
    return make_territory("Ville des Collines", "municipality", world.other_rls)


TERRITORY_CASES = [
    ("parent", lambda w, far: {"name": "Secteur", "kind": "community", "parent": w.other_rls.pk}),
    (
        "grouped_municipalities",
        lambda w, far: {"name": "Secteur", "kind": "community", "parent": w.mrc.pk, "grouped_municipalities": [far.pk]},
    ),
]


@pytest.mark.parametrize(("field", "payload"), TERRITORY_CASES)
def test_api_refuses_territories_in_another_rls(world, api_as, registry_state, far_town, field, payload):
    before = registry_state()
    response = api_as(world.coordinator).post("/api/v1/territories/", payload(world, far_town), format="json")
    assert response.status_code == 400
    assert response.json() == {field: [french(OUT_OF_SCOPE)]}
    assert registry_state() == before


def test_api_refuses_moving_a_territory_into_another_rls(world, api_as, registry_state, far_town):
    before = registry_state()
    url = f"/api/v1/territories/{world.town.pk}/"
    response = api_as(world.coordinator).patch(url, {"parent": world.other_rls.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"parent": [french(OUT_OF_SCOPE)]}
    assert registry_state() == before


@pytest.mark.parametrize(("field", "payload"), TERRITORY_CASES)
def test_page_refuses_territories_in_another_rls(client, world, registry_state, far_town, field, payload):
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:territory_create"), payload(world, far_town))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert registry_state() == before


# Ending an affiliation -------------------------------------------------------------------------------------------


def test_api_refuses_ending_an_affiliation_before_it_starts(world, api_as, registry_state):
    affiliation = world.person_a.affiliations.get()
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/{affiliation.pk}/end/"
    response = api_as(world.rep_a).post(url, {"end_date": "2019-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"end_date": [french(END_BEFORE_START)]}
    assert registry_state() == before


def test_page_refuses_ending_an_affiliation_before_it_starts(client, world, registry_state):
    client.force_login(world.rep_a)
    affiliation = world.person_a.affiliations.get()
    before = registry_state()
    url = reverse("registry:affiliation_end", args=[world.person_a.pk, affiliation.pk])
    response = client.post(url, {"end_date": "2019-12-31"})
    assert response.status_code == 400
    html = body_of(response)
    assert french(END_BEFORE_START) in html
    assert f'href="#end-{affiliation.pk}-end_date"' in html, "the error summary links to the date field"
    assert 'value="2019-12-31"' in html, "the input is kept"
    assert registry_state() == before


@pytest.fixture
def shared_person(world):
    """Alice works for A and, since 2021, for B: B's representative sees her, and manages only B's affiliation."""
    Affiliation.objects.create(person=world.person_a, organization=world.org_b, start_date="2021-01-01")
    return world.person_a


def test_api_representative_cannot_end_another_organisations_affiliation(world, api_as, registry_state, shared_person):
    affiliation = shared_person.affiliations.get(organization=world.org_a)
    before = registry_state()
    url = f"/api/v1/people/{shared_person.pk}/affiliations/{affiliation.pk}/end/"
    response = api_as(world.rep_b).post(url, {"end_date": "2024-06-30"}, format="json")
    assert response.status_code == 403
    assert registry_state() == before


def test_page_representative_cannot_end_another_organisations_affiliation(client, world, registry_state, shared_person):
    client.force_login(world.rep_b)
    affiliation = shared_person.affiliations.get(organization=world.org_a)
    before = registry_state()
    url = reverse("registry:affiliation_end", args=[shared_person.pk, affiliation.pk])
    assert client.post(url, {"end_date": "2024-06-30"}).status_code == 403
    assert registry_state() == before


def test_representative_replacing_affiliations_keeps_another_organisations(world, api_as, shared_person):
    payload = {"affiliations": [{"organization": world.org_b.pk, "start_date": "2022-02-01", "title": "Agente"}]}
    response = api_as(world.rep_b).patch(f"/api/v1/people/{shared_person.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    kept = {(a.organization_id, str(a.start_date), a.title) for a in shared_person.affiliations.all()}
    assert kept == {(world.org_a.pk, "2020-01-01", ""), (world.org_b.pk, "2022-02-01", "Agente")}
