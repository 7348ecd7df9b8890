"""Registry list filters of the API: a bad value answers 400 naming the parameter, never a 500; an organisation the
user may not see is refused like one that does not exist."""

import pytest

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    ("organizations", "sector", "nope"),
    ("organizations", "territory", "x"),
    ("organizations", "territory", "999999"),
    ("organizations", "is_aca", "abc"),
    ("organizations", "archived", "maybe"),
    ("organizations", "page_size", "abc"),
    ("organizations", "page_size", "0"),
    ("organizations", "page_size", "-5"),
    ("people", "decision_level", "nope"),
    ("people", "organization", "x"),
    ("people", "organization", "999999"),
    ("people", "archived", "abc"),
    ("people", "page_size", "1.5"),
    ("territories", "kind", "nope"),
    ("territories", "parent", "x"),
    ("territories", "parent", "999999"),
    ("territories", "page_size", "abc"),
]


@pytest.mark.parametrize(("endpoint", "parameter", "value"), BAD_VALUES)
def test_a_bad_filter_value_answers_400_naming_the_parameter(world, api_as, endpoint, parameter, value):
    response = api_as(world.coordinator).get(f"/api/v1/{endpoint}/", {parameter: value})
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    message = response.json()[parameter][0]
    assert message.startswith(("Sélectionnez un choix valide", "Saisissez un nombre entier", "Assurez-vous")), message


@pytest.mark.parametrize(
    ("endpoint", "query", "count"),
    [
        ("organizations", {"is_aca": "false"}, 2),
        ("organizations", {"archived": "true"}, 0),
        ("organizations", {"page_size": "1"}, 2),
        ("organizations", {"page_size": "5000"}, 2),
        ("people", {"organization": "ORG_A"}, 1),
        ("territories", {"kind": "rls", "page_size": "200"}, 2),
    ],
)
def test_good_filter_values(world, api_as, endpoint, query, count):
    query = {k: (world.org_a.pk if v == "ORG_A" else v) for k, v in query.items()}
    response = api_as(world.coordinator).get(f"/api/v1/{endpoint}/", query)
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == count


def test_the_page_size_is_capped(world, api_as):
    from registry.models import Territory
    from tests.factories import make_territory

    for i in range(3):
        make_territory(f"Village {i}", "municipality", world.mrc)
    response = api_as(world.admin).get("/api/v1/territories/", {"page_size": "2"})
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == Territory.objects.count()


def test_a_hidden_organisation_filters_like_one_that_does_not_exist(world, api_as):
    client = api_as(world.rep_a)
    hidden = client.get("/api/v1/people/", {"organization": world.org_b.pk})
    missing = client.get("/api/v1/people/", {"organization": 999999})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["organization"][0].replace(str(world.org_b.pk), "ID") == missing.json()["organization"][
        0
    ].replace("999999", "ID")


def test_the_schema_documents_every_registry_filter(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/organizations/": {"search", "sector", "territory", "is_aca", "archived", "page", "page_size"},
        "/api/v1/people/": {"search", "decision_level", "organization", "archived", "page", "page_size"},
        "/api/v1/territories/": {"search", "kind", "parent", "page", "page_size"},
    }
    for path, names in expected.items():
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert set(parameters) == names, path
        assert "400" in paths[path]["get"]["responses"]
    organization = {p["name"]: p for p in paths["/api/v1/people/"]["get"]["parameters"]}["organization"]
    assert organization["schema"]["type"] == "integer"
