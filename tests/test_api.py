"""The /api/v1 contract: fields, filters, pagination, tokens, permissions object by object, bad input."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ApiToken, AuditEvent
from registry.models import Organization, Person, Territory
from tests.factories import OrganizationFactory, make_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as():
    """An API client authenticated with a real Bearer token of the given user."""

    def make(user, language: str = "fr") -> APIClient:
        _, key = ApiToken.issue(user, "test")
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


ORG_FIELDS = {"id", "name", "sector", "is_aca", "neq", "mission", "territories", "website", "email", "phone", "funding"}


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/organizations/" in document["paths"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert client.get("/api/v1/docs/").status_code == 200


def test_anonymous_and_bad_tokens_are_refused(world):
    assert APIClient().get("/api/v1/organizations/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer mlg_not-a-token")
    assert client.get("/api/v1/organizations/").status_code == 401


def test_revoked_token_stops_working(world, api_as, django_user_model):
    token, key = ApiToken.issue(world.coordinator, "script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/organizations/").status_code == 200
    client.force_authenticate(None)
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/v1/organizations/").status_code == 401


def test_create_api_token_command_prints_a_working_token(world, capsys):
    call_command("create_api_token", world.analyst.username)
    key = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/territories/").status_code == 200
    assert ApiToken.objects.filter(user=world.analyst, digest=ApiToken.hash(key)).exists()


def test_profile_page_creates_and_revokes_tokens(client, world):
    client.force_login(world.rep_a)
    response = client.post(reverse("token_create"), {"name": "Tableur"}, follow=True)
    key = response.context["new_key"]
    assert key.startswith("mlg_")
    token = ApiToken.objects.get(user=world.rep_a)
    assert token.digest == ApiToken.hash(key) and key not in token.digest
    client.post(reverse("token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Someone else's token cannot be revoked by id.
    other, _ = ApiToken.issue(world.rep_b, "autre")
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404


def test_organization_list_is_paginated_scoped_and_uses_stable_fields(world, api_as):
    body = api_as(world.coordinator).get("/api/v1/organizations/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    names = {o["name"] for o in body["results"]}
    assert names == {world.org_a.name, world.org_b.name}
    assert set(body["results"][0]) >= ORG_FIELDS
    popote = next(o for o in body["results"] if o["name"] == world.org_a.name)
    assert popote["territories"] == [world.town.pk]
    line = world.org_a.funding_lines.get()
    assert popote["funding"] == [
        {"id": line.pk, "year": 2024, "source": "psoc_mission", "amount": "100000.00", "funder": ""}
    ]


def test_filters_sector_territory_with_descendants_and_search(world, api_as):
    OrganizationFactory(name="Ville du Val", sector="municipal", rls=world.rls)
    client = api_as(world.admin)
    assert [o["name"] for o in client.get("/api/v1/organizations/?sector=municipal").json()["results"]] == [
        "Ville du Val"
    ]
    # org_a serves a municipality under the MRC: filtering on the MRC finds it.
    in_mrc = client.get(f"/api/v1/organizations/?territory={world.mrc.pk}").json()["results"]
    assert world.org_a.name in {o["name"] for o in in_mrc}
    assert world.org_elsewhere.name not in {o["name"] for o in in_mrc}
    found = client.get("/api/v1/organizations/?search=popote").json()
    assert found["count"] == 1


def test_query_count_of_the_list_does_not_grow_with_rows(world, api_as, django_assert_max_num_queries):
    client = api_as(world.admin)
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/organizations/")
    for i in range(30):
        org = OrganizationFactory(name=f"Organisme supplémentaire {i}", rls=world.rls)
        org.territories.set([world.town, world.mrc])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/v1/organizations/")


def test_coordinator_creates_an_organization_with_funding(world, api_as):
    payload = {
        "name": "Maison de la famille du Val",
        "sector": "community",
        "is_aca": True,
        "neq": "1234567890",
        "rls": world.rls.pk,
        "territories": [world.town.pk],
        "funding": [{"year": 2025, "source": "psoc_mission", "amount": "85000.00"}],
    }
    response = api_as(world.coordinator).post("/api/v1/organizations/", payload, format="json")
    assert response.status_code == 201, response.json()
    org = Organization.objects.get(name="Maison de la famille du Val")
    assert org.funding_lines.get().amount == 85000
    assert AuditEvent.objects.filter(action="create", object_id=str(org.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"neq": "12345"}, "neq"),
        ({"email": "pas-un-courriel"}, "email"),
        ({"is_aca": True, "sector": "municipal"}, "is_aca"),
        ({"name": "POPOTE ROULANTE DU VAL"}, "name"),
        ({"funding": [{"year": 2025, "source": "psoc_mission", "amount": "-5"}]}, "funding"),
        ({"sector": "pirate"}, "sector"),
    ],
)
def test_invalid_organization_is_refused_in_french_and_nothing_is_written(world, api_as, change, field):
    payload = {"name": "Nouvel organisme", "sector": "community", "rls": world.rls.pk, **change}
    before = Organization.objects.count()
    response = api_as(world.coordinator).post("/api/v1/organizations/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Organization.objects.count() == before


def test_error_messages_follow_the_request_language(world, api_as):
    payload = {"name": "Popote roulante du Val", "sector": "community", "rls": world.rls.pk}
    french = api_as(world.coordinator, "fr").post("/api/v1/organizations/", payload, format="json").json()
    english = api_as(world.coordinator, "en").post("/api/v1/organizations/", payload, format="json").json()
    assert "existe déjà" in french["name"][0]
    assert "already exists" in english["name"][0]


def test_representative_edits_own_organization_but_not_another(world, api_as):
    client = api_as(world.rep_a)
    assert client.patch(f"/api/v1/organizations/{world.org_a.pk}/", {"phone": "819 555-0101"}).status_code == 200
    world.org_a.refresh_from_db()
    assert world.org_a.phone == "819 555-0101"
    # Organisation B: invisible, whatever the verb.
    for method in ("get", "patch", "put", "delete"):
        response = getattr(client, method)(f"/api/v1/organizations/{world.org_b.pk}/", {"phone": "1"}, format="json")
        assert response.status_code == 404, method
    world.org_b.refresh_from_db()
    assert world.org_b.phone == "" and world.org_b.archived_at is None


def test_representative_cannot_move_own_organization_to_another_rls(world, api_as):
    response = api_as(world.rep_a).patch(
        f"/api/v1/organizations/{world.org_a.pk}/", {"rls": world.other_rls.pk}, format="json"
    )
    assert response.status_code == 400 and "rls" in response.json()


def test_analyst_reads_but_cannot_write(world, api_as):
    client = api_as(world.analyst)
    assert client.get(f"/api/v1/organizations/{world.org_a.pk}/").status_code == 200
    assert client.patch(f"/api/v1/organizations/{world.org_a.pk}/", {"phone": "819 555-0101"}).status_code == 403
    assert client.delete(f"/api/v1/organizations/{world.org_a.pk}/").status_code == 403
    payload = {"name": "X", "sector": "community", "rls": world.rls.pk}
    assert client.post("/api/v1/organizations/", payload, format="json").status_code in (400, 403)
    assert not Organization.objects.filter(name="X").exists()


def test_delete_archives_and_the_archive_filter_finds_it(world, api_as):
    client = api_as(world.coordinator)
    assert client.delete(f"/api/v1/organizations/{world.org_b.pk}/").status_code == 204
    world.org_b.refresh_from_db()
    assert world.org_b.archived_at is not None
    names = {o["name"] for o in client.get("/api/v1/organizations/").json()["results"]}
    assert world.org_b.name not in names
    archived = client.get("/api/v1/organizations/?archived=true").json()["results"]
    assert [o["name"] for o in archived] == [world.org_b.name]


def test_people_are_scoped_logged_and_created_with_an_affiliation(world, api_as):
    client = api_as(world.rep_a)
    body = client.get("/api/v1/people/").json()
    assert [p["last_name"] for p in body["results"]] == ["Tremblay"]
    assert client.get(f"/api/v1/people/{world.person_b.pk}/").status_code == 404
    detail = client.get(f"/api/v1/people/{world.person_a.pk}/").json()
    assert set(detail) >= {"id", "first_name", "last_name", "email", "position", "decision_level", "affiliations"}
    assert AuditEvent.objects.filter(action="view", object_id=str(world.person_a.pk), actor=world.rep_a).exists()

    missing = client.post("/api/v1/people/", {"first_name": "Léa", "last_name": "Roy", "decision_level": "staff"})
    assert missing.status_code == 400 and "affiliations" in missing.json()
    other_org = {
        "first_name": "Léa", "last_name": "Roy", "decision_level": "staff",
        "affiliations": [{"organization": world.org_b.pk, "start_date": "2024-01-01"}],
    }  # fmt: skip
    assert client.post("/api/v1/people/", other_org, format="json").status_code == 400
    ok = {**other_org, "affiliations": [{"organization": world.org_a.pk, "start_date": "2024-01-01"}]}
    assert client.post("/api/v1/people/", ok, format="json").status_code == 201
    assert Person.objects.filter(last_name="Roy").count() == 1


def test_affiliation_ending_before_it_starts_is_refused(world, api_as):
    payload = {
        "first_name": "Léa", "last_name": "Roy", "decision_level": "manager",
        "affiliations": [{"organization": world.org_a.pk, "start_date": "2024-05-01", "end_date": "2024-01-01"}],
    }  # fmt: skip
    response = api_as(world.rep_a).post("/api/v1/people/", payload, format="json")  # A keeps its own record
    assert response.status_code == 400
    assert response.json() == {"affiliations": ["La date de fin ne peut pas précéder la date de début."]}
    assert not Person.objects.filter(last_name="Roy").exists()


def test_updating_a_person_keeps_affiliations_with_organisations_the_user_does_not_manage(world, api_as):
    world.person_a.affiliations.create(organization=world.org_b, start_date="2021-01-01")
    payload = {"affiliations": [{"organization": world.org_a.pk, "start_date": "2019-01-01", "title": "Directrice"}]}
    response = api_as(world.rep_a).patch(f"/api/v1/people/{world.person_a.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    kept = {(a.organization_id, a.title) for a in world.person_a.affiliations.all()}
    assert kept == {(world.org_a.pk, "Directrice"), (world.org_b.pk, "")}


def test_territory_fields_filters_and_cycles(world, api_as):
    client = api_as(world.coordinator)
    body = client.get(f"/api/v1/territories/{world.town.pk}/").json()
    assert body == {
        "id": world.town.pk, "name": "Saint-Clément", "kind": "municipality", "parent": world.mrc.pk,
        "population": 3000, "population_65_plus": 900, "year": 2024, "code": "", "description": "",
        "grouped_municipalities": [],
    }  # fmt: skip
    kinds = {t["kind"] for t in client.get("/api/v1/territories/?kind=rls").json()["results"]}
    assert kinds == {"rls"}
    # The MRC cannot go under its own municipality.
    response = client.patch(f"/api/v1/territories/{world.mrc.pk}/", {"parent": world.town.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    world.mrc.refresh_from_db()
    assert world.mrc.parent_id == world.rls.pk


def test_coordinator_creates_a_territory_of_belonging_and_moves_it(world, api_as):
    client = api_as(world.coordinator)
    payload = {
        "name": "Communauté des Érables", "kind": "community", "parent": world.mrc.pk,
        "grouped_municipalities": [world.town.pk], "year": 2024, "population": 3000, "population_65_plus": 900,
    }  # fmt: skip
    response = client.post("/api/v1/territories/", payload, format="json")
    assert response.status_code == 201, response.json()
    created = Territory.objects.get(name="Communauté des Érables")
    assert created.path == f"{world.mrc.path}{created.pk}/"
    moved = client.patch(f"/api/v1/territories/{created.pk}/", {"parent": world.rls.pk}, format="json")
    assert moved.status_code == 200
    created.refresh_from_db()
    assert created.path == f"{world.rls.path}{created.pk}/"
    # Another RLS is out of reach.
    elsewhere = {**payload, "name": "Ailleurs", "parent": world.other_rls.pk}
    assert client.post("/api/v1/territories/", elsewhere, format="json").status_code == 400


def test_population_65_above_total_is_refused(world, api_as):
    payload = {"population": 100, "population_65_plus": 200, "year": 2025}
    response = api_as(world.admin).patch(f"/api/v1/territories/{world.town.pk}/", payload, format="json")
    assert response.status_code == 400 and "population_65_plus" in response.json()


def test_a_territory_in_use_cannot_be_deleted(world, api_as):
    client = api_as(world.admin)
    assert client.delete(f"/api/v1/territories/{world.town.pk}/").status_code == 409
    empty = make_territory("Hameau", "municipality", world.mrc)
    assert client.delete(f"/api/v1/territories/{empty.pk}/").status_code == 204


@pytest.mark.django_db
def test_a_hidden_or_missing_object_answers_the_same_translated_404(world):
    """Django's own message would name the model in English ("No Organization matches the given query.")."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_authenticate(world.rep_a)
    hidden = client.get(f"/api/v1/organizations/{world.org_elsewhere.pk}/")
    missing = client.get("/api/v1/organizations/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Non trouvé."}
