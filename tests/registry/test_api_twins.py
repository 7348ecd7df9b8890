"""The API operations that do what the registry pages do: funding lines, affiliations added and ended, archived
records restored. Each: the happy path (audited), the access test, and bad input."""

import pytest

from core import audit
from registry.models import Affiliation, FundingLine

pytestmark = pytest.mark.django_db

LINE = {"year": 2025, "source": "programme", "amount": "2500.00", "funder": "Centraide"}


def test_representative_adds_and_removes_a_funding_line(world, api_as):
    client = api_as(world.rep_a)
    response = client.post(f"/api/v1/organizations/{world.org_a.pk}/funding/", LINE, format="json")
    assert response.status_code == 201, response.json()
    line = FundingLine.objects.get(funder="Centraide")
    assert response.json() == {"id": line.pk, **LINE}
    removed = client.delete(f"/api/v1/organizations/{world.org_a.pk}/funding/{line.pk}/")
    assert removed.status_code == 204
    assert not FundingLine.objects.filter(pk=line.pk).exists()
    changes = [e.changes["funding"] for e in audit.history_for(world.org_a).filter(action="update").order_by("pk")]
    assert changes == [[None, str(line)], [str(line), None]]


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("rep_b", 404), ("other_coordinator", 404)])
def test_funding_lines_of_an_organisation_the_user_does_not_manage(world, api_as, registry_state, role, status):
    client = api_as(getattr(world, role))
    line = world.org_a.funding_lines.get()
    before = registry_state()
    assert client.post(f"/api/v1/organizations/{world.org_a.pk}/funding/", LINE, format="json").status_code == status
    assert client.delete(f"/api/v1/organizations/{world.org_a.pk}/funding/{line.pk}/").status_code == status
    assert registry_state() == before


def test_a_funding_line_of_another_organisation_is_not_found(world, api_as, registry_state):
    other = FundingLine.objects.create(organization=world.org_b, year=2024, source="programme", amount=1)
    before = registry_state()
    response = api_as(world.coordinator).delete(f"/api/v1/organizations/{world.org_a.pk}/funding/{other.pk}/")
    assert response.status_code == 404
    assert registry_state() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"year": 1492}, "year"),
        ({"source": "loot"}, "source"),
        ({"amount": "x"}, "amount"),
    ],
)
def test_bad_funding_line(world, api_as, registry_state, change, field):
    before = registry_state()
    response = api_as(world.rep_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/funding/", {**LINE, **change}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert registry_state() == before


def test_archive_and_restore_an_organisation(world, api_as):
    client = api_as(world.coordinator)
    assert client.delete(f"/api/v1/organizations/{world.org_b.pk}/").status_code == 204
    restored = client.post(f"/api/v1/organizations/{world.org_b.pk}/restore/")
    assert restored.status_code == 200
    assert restored.json()["archived"] is False
    world.org_b.refresh_from_db()
    assert world.org_b.archived_at is None
    assert sorted(audit.history_for(world.org_b).values_list("action", flat=True)) == ["archive", "restore"]


@pytest.mark.parametrize(("role", "status"), [("rep_a", 403), ("analyst", 403), ("rep_b", 404)])
def test_only_coordinators_restore_organisations(world, api_as, registry_state, role, status):
    world.org_a.archived_at = "2024-01-01T00:00:00Z"
    world.org_a.save()
    before = registry_state()
    assert api_as(getattr(world, role)).post(f"/api/v1/organizations/{world.org_a.pk}/restore/").status_code == status
    assert registry_state() == before


def test_archive_and_restore_a_person(world, api_as):
    client = api_as(world.rep_a)
    assert client.delete(f"/api/v1/people/{world.person_a.pk}/").status_code == 204
    world.person_a.refresh_from_db()
    assert world.person_a.archived_at is not None
    restored = client.post(f"/api/v1/people/{world.person_a.pk}/restore/")
    assert restored.status_code == 200 and restored.json()["archived"] is False
    assert api_as(world.rep_b).post(f"/api/v1/people/{world.person_a.pk}/restore/").status_code == 404


def test_representative_adds_and_ends_an_affiliation(world, api_as):
    client = api_as(world.rep_a)
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/"
    payload = {"organization": world.org_a.pk, "title": "Bénévole", "start_date": "2018-05-01"}
    response = client.post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    affiliation = Affiliation.objects.get(title="Bénévole")
    assert response.json() == {**payload, "id": affiliation.pk, "end_date": None}
    ended = client.post(f"{url}{affiliation.pk}/end/", {"end_date": "2019-12-31"}, format="json")
    assert ended.status_code == 200
    assert ended.json()["end_date"] == "2019-12-31"
    affiliation.refresh_from_db()
    assert str(affiliation.end_date) == "2019-12-31"
    assert audit.history_for(world.person_a).filter(action="update").count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_date": "2018-05-01"}, "organization"),
        ({"organization": "ORG", "start_date": "pas une date"}, "start_date"),
        ({"organization": "ORG", "start_date": "2018-05-01", "end_date": "2017-01-01"}, "end_date"),
    ],
)
def test_bad_affiliation(world, api_as, registry_state, payload, field):
    payload = {k: (world.org_a.pk if v == "ORG" else v) for k, v in payload.items()}
    before = registry_state()
    response = api_as(world.rep_a).post(f"/api/v1/people/{world.person_a.pk}/affiliations/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert registry_state() == before


@pytest.mark.parametrize("payload", [{}, {"end_date": "x"}, {"end_date": None}])
def test_ending_an_affiliation_needs_a_date(world, api_as, registry_state, payload):
    affiliation = world.person_a.affiliations.get()
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/{affiliation.pk}/end/"
    response = api_as(world.rep_a).post(url, payload, format="json")
    assert response.status_code == 400 and list(response.json()) == ["end_date"]
    assert registry_state() == before


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("rep_b", 404), ("other_coordinator", 404)])
def test_affiliations_of_a_person_the_user_does_not_manage(world, api_as, registry_state, role, status):
    client = api_as(getattr(world, role))
    affiliation = world.person_a.affiliations.get()
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/"
    added = client.post(url, {"organization": world.org_a.pk, "start_date": "2018-05-01"}, format="json")
    # The analyst is offered no organisation: the input is refused before the action would say 403.
    assert added.status_code == (400 if role == "analyst" else status)
    assert client.post(f"{url}{affiliation.pk}/end/", {"end_date": "2024-06-30"}, format="json").status_code == status
    assert registry_state() == before


def test_an_affiliation_of_another_person_is_not_found(world, api_as, registry_state):
    other = world.person_b.affiliations.get()
    before = registry_state()
    url = f"/api/v1/people/{world.person_a.pk}/affiliations/{other.pk}/end/"
    assert api_as(world.coordinator).post(url, {"end_date": "2024-06-30"}, format="json").status_code == 404
    assert registry_state() == before
