"""The networks read from the data (co-membership and agreements), their page and API, their scope and bad input,
and the stored networks of a region computed in the background."""

import datetime
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement, Party
from concertation.models import Instance, Membership
from evaluation.models import GraphKind, StoredNetwork
from evaluation.network import graphs, store
from evaluation.network.graphs import Scope
from tests.factories import OrganizationFactory

D = datetime.date


@pytest.fixture
def tables(world):
    """Two tables of the world's RLS in 2023: A, B and C on the first (C from July), B and C on the second; D on a
    table of another RLS."""
    first = Instance.objects.create(
        name="Table des aînés", kind=Instance.Kind.TABLE, basis=Instance.Basis.THEMATIC, level="local", rls=world.rls
    )
    second = Instance.objects.create(
        name="Comité de quartier", kind=Instance.Kind.TABLE, basis=Instance.Basis.TERRITORIAL, level="local",
        rls=world.rls,
    )  # fmt: skip
    elsewhere = Instance.objects.create(
        name="Table des Collines", kind=Instance.Kind.TABLE, basis=Instance.Basis.THEMATIC, level="local",
        rls=world.other_rls,
    )  # fmt: skip
    a, b = world.org_a, world.org_b
    c = OrganizationFactory(name="CLSC du Val", sector="public", rls=world.rls)
    for org, start, end in [(a, D(2020, 1, 1), None), (b, D(2022, 5, 1), None), (c, D(2023, 7, 1), None)]:
        Membership.objects.create(instance=first, organization=org, start_date=start, end_date=end)
    Membership.objects.create(instance=second, organization=b, start_date=D(2023, 1, 1), end_date=D(2023, 3, 31))
    Membership.objects.create(instance=second, organization=c, start_date=D(2023, 1, 1))
    Membership.objects.create(instance=elsewhere, organization=world.org_elsewhere, start_date=D(2020, 1, 1))
    return {"first": first, "second": second, "a": a, "b": b, "c": c}


def ties(result) -> dict:
    names = {node["id"]: node["name"] for node in result["nodes"]}
    return {tuple(sorted((names[e["source"]], names[e["target"]]))): e for e in result["edges"]}


def test_co_membership_counts_instances_and_days_shared(world, tables):
    result = store.computed(GraphKind.CO_MEMBERSHIP, Scope(world.rls, 2023))
    found = ties(result)
    b_c = found[("CLSC du Val", "Centre d'action bénévole du Val")]
    assert b_c["weight"] == 2  # both tables
    # first table: July to December (184 days); second: B left on March 31 and C joined in January (90 days)
    assert b_c["days"] == 184 + 90
    assert found[("Centre d'action bénévole du Val", "Popote roulante du Val")]["weight"] == 1
    assert {n["name"] for n in result["nodes"]} == {"Popote roulante du Val", "Centre d'action bénévole du Val",
                                                    "CLSC du Val"}  # fmt: skip
    assert result["metrics"]["cross_sector_share"] == pytest.approx(2 / 3, abs=1e-3)


def test_a_year_before_a_membership_leaves_it_out(world, tables):
    result = store.computed(GraphKind.CO_MEMBERSHIP, Scope(world.rls, 2021))
    assert [n["name"] for n in result["nodes"]] == ["Popote roulante du Val"]
    assert result["edges"] == []


def test_the_instance_filter_keeps_its_members_and_their_ties_elsewhere(world, tables):
    result = store.computed(GraphKind.CO_MEMBERSHIP, Scope(world.rls, 2023, tables["second"]))
    assert {n["name"] for n in result["nodes"]} == {"Centre d'action bénévole du Val", "CLSC du Val"}
    assert list(ties(result).values())[0]["weight"] == 2


def test_agreements_tie_the_parties_of_those_that_ran_that_year(world, tables):
    signed = Agreement.objects.create(
        title="Entente de service", kind="service", status="in_force", rls=world.rls,
        start_date=D(2023, 4, 1), end_date=D(2026, 3, 31),
    )  # fmt: skip
    draft = Agreement.objects.create(title="Projet", kind="service", status="draft", rls=world.rls,
                                     start_date=D(2023, 4, 1))  # fmt: skip
    for org in (tables["a"], tables["b"], tables["c"]):
        Party.objects.create(agreement=signed, organization=org)
    Party.objects.create(agreement=draft, organization=tables["a"])
    Party.objects.create(agreement=draft, organization=world.org_b)
    result = store.computed(GraphKind.AGREEMENTS, Scope(world.rls, 2024))
    assert result["metrics"]["edges"] == 3 and all(e["weight"] == 1 for e in result["edges"])
    assert store.computed(GraphKind.AGREEMENTS, Scope(world.rls, 2022))["nodes"] == []


# API and page --------------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_coordinator_reads_the_network_of_their_rls(world, tables):
    response = api(world.coordinator).get("/api/v1/network/", {"territory": world.rls.pk, "year": 2023})
    assert response.status_code == 200
    body = response.json()
    assert body["graph"] == "co_membership" and body["year"] == 2023
    assert body["metrics"]["nodes"] == 3 and body["metrics"]["edges"] == 3
    assert set(body["nodes"][0]) >= {"id", "organization", "name", "sector", "degree", "weighted_degree",
                                     "betweenness", "closeness", "coreness", "community"}  # fmt: skip
    assert body["computed"]["library"].startswith("igraph ")
    assert body["computed"]["parameters"]["communities"]["objective_function"] == "modularity"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"graph": "friends"}, "graph"),
        ({"year": 1990}, "year"),
        ({"year": "abc"}, "year"),
        ({"instance": "x"}, "instance"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, tables, query, field):
    response = api(world.coordinator).get("/api/v1/network/", {"territory": world.rls.pk, **query})
    assert response.status_code == 400
    assert field in response.json()


def test_an_instance_of_another_rls_is_refused(world, tables):
    other = Instance.objects.get(name="Table des Collines")
    response = api(world.coordinator).get("/api/v1/network/", {"territory": world.rls.pk, "instance": other.pk})
    assert response.status_code == 400 and "instance" in response.json()


def test_a_territory_the_user_may_not_read_answers_as_an_unknown_one(world, tables):
    client = api(world.coordinator)
    hidden = client.get("/api/v1/network/", {"territory": world.other_rls.pk})
    unknown = client.get("/api/v1/network/", {"territory": 999999})
    region = client.get("/api/v1/network/", {"territory": world.region.pk})
    assert hidden.status_code == unknown.status_code == region.status_code == 404
    assert hidden.json() == unknown.json()


def test_a_representative_reads_no_network_on_the_page_or_the_api(world, tables, client):
    assert api(world.rep_a).get("/api/v1/network/").status_code == 403
    client.force_login(world.rep_a)
    assert client.get(reverse("evaluation:network")).status_code == 403


def test_the_page_names_the_dynamic_core_and_lists_every_organisation(world, tables, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("evaluation:network"), {"territory": world.rls.pk, "year": 2023})
    assert response.status_code == 200
    page = response.content.decode()
    assert "CLSC du Val" in page and "Popote roulante du Val" in page
    assert 'id="network-data"' in page


def test_the_page_says_what_is_wrong_with_the_year(world, tables, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("evaluation:network"), {"territory": world.rls.pk, "year": 1990})
    assert response.status_code == 400
    assert "2020" in response.content.decode()  # "This network has data from 2020 to …"


def test_graphml_and_csv_exports(world, tables, client):
    client.force_login(world.coordinator)
    query = {"territory": world.rls.pk, "year": 2023}
    graphml = client.get(reverse("evaluation:network_graphml"), query)
    assert graphml.status_code == 200 and graphml["Content-Type"].startswith("application/graphml+xml")
    text = graphml.content.decode()
    assert text.count("<node ") == 3 and text.count("<edge ") == 3 and "CLSC du Val" in text
    csv = client.get(reverse("evaluation:network_csv"), query).content.decode()
    assert csv.splitlines()[0].startswith("\ufefforganization,name,sector,degree")  # a BOM for Excel
    assert len(csv.splitlines()) == 1 + 3
    ties = client.get(reverse("evaluation:network_csv"), {**query, "table": "ties"}).content.decode()
    assert ties.splitlines()[0] == "\ufeffsource_organization,target_organization,weight,days"
    assert len(ties.splitlines()) == 1 + 3


# Stored networks ------------------------------------------------------------------------------------------------


def test_a_region_is_computed_in_the_background_then_served_stored(world, tables, django_capture_on_commit_callbacks):
    # Tests run tasks at once (conftest): the first request queues the computation, which runs after the commit.
    client = api(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get("/api/v1/network/", {"territory": world.region.pk, "year": 2023})
    stored = StoredNetwork.objects.get(territory=world.region, year=2023, graph=GraphKind.CO_MEMBERSHIP)
    assert stored.computed_at is not None and stored.requested_at is None
    assert stored.library.startswith("igraph ")
    second = client.get("/api/v1/network/", {"territory": world.region.pk, "year": 2023})
    assert first.status_code == 202 and "calcul" in first.json()["detail"]  # "being computed", in French
    assert second.status_code == 200
    assert second.json()["metrics"]["nodes"] == 4  # the region: both RLS


def test_a_new_membership_queues_the_recomputation_of_the_stored_network(
    world, tables, settings, django_capture_on_commit_callbacks
):
    # A backend that keeps the job: the recomputation waits, as the debounce makes it in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    store.refresh(world.region.pk, 2023, GraphKind.CO_MEMBERSHIP)
    before = StoredNetwork.objects.get(territory=world.region, year=2023)
    assert before.stamp == store.source_stamp(GraphKind.CO_MEMBERSHIP)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(instance=tables["second"], organization=tables["a"], start_date=D(2023, 6, 1))
    after = StoredNetwork.objects.get(territory=world.region, year=2023)
    assert after.requested_at is not None  # queued
    served = store.stored(GraphKind.CO_MEMBERSHIP, Scope(world.region, 2023))
    assert served == json.loads(before.data)  # the stored one is served meanwhile


def test_graphs_read_only_their_territory(world, tables):
    rows = graphs.active_memberships(Scope(world.rls, 2023)).values_list("organization__name", flat=True)
    assert "Maison des aînés des Collines" not in set(rows)


# Reading rights and the review's findings ----------------------------------------------------------------------


def test_an_analyst_sees_the_ties_of_published_agreements_only(world, tables):
    kept = Agreement.objects.create(title="Entente publiée", kind="service", status="in_force", rls=world.rls,
                                    start_date=D(2023, 1, 1), is_public=True)  # fmt: skip
    hidden = Agreement.objects.create(title="Entente entre parties", kind="service", status="in_force",
                                      rls=world.rls, start_date=D(2023, 1, 1))  # fmt: skip
    Party.objects.create(agreement=kept, organization=tables["a"])
    Party.objects.create(agreement=kept, organization=tables["b"])
    Party.objects.create(agreement=hidden, organization=tables["b"])
    Party.objects.create(agreement=hidden, organization=tables["c"])
    query = {"territory": world.rls.pk, "year": 2024, "graph": "agreements"}
    analyst = api(world.analyst).get("/api/v1/network/", query).json()
    coordinator = api(world.coordinator).get("/api/v1/network/", query).json()
    assert analyst["metrics"]["edges"] == 1 and "CLSC du Val" not in {n["name"] for n in analyst["nodes"]}
    assert coordinator["metrics"]["edges"] == 2


def test_a_representative_is_refused_before_the_filters_are_read(world, tables, client):
    assert api(world.rep_a).get("/api/v1/network/", {"year": "abc", "graph": "x"}).status_code == 403
    assert api(world.rep_a).get("/api/v1/network/instances/", {"territory": "abc"}).status_code == 403
    client.force_login(world.rep_a)
    assert client.get(reverse("evaluation:network"), {"year": "abc"}).status_code == 403


def test_the_page_keeps_its_menus_and_says_what_to_correct(world, tables, client):
    client.force_login(world.coordinator)
    refused = client.get(
        reverse("evaluation:network"), {"territory": world.rls.pk, "year": 1990, "graph": "agreements"}
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert f'<option value="{world.rls.pk}" selected>' in page and 'value="agreements" selected' in page
    unknown = client.get(reverse("evaluation:network"), {"territory": 999999})
    assert unknown.status_code == 404  # as the API answers
    assert "Table des aînés" in unknown.content.decode()  # the menus of the user's own RLS, to choose again


def test_the_map_of_concertations_reads_only_the_territory_and_the_year(world, tables):
    client = api(world.coordinator)
    response = client.get("/api/v1/network/instances/", {"territory": world.rls.pk, "year": 2023, "graph": "x"})
    assert response.status_code == 200  # `graph` is not one of its parameters
