"""Priorities per committee (issue 11): an exercise run across several committees shows results per committee as
well as overall, on the page and in the API; "population" is an origin of priorities, counted with local actors
(appropriation)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from concertation.actions import instances as instance_actions
from concertation.actions import priorities as actions
from concertation.models import Candidate, Instance
from concertation.results import exercise_results
from core.models import ApiToken
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def across(world, ves):
    """An assembly exercise with priorities of two local committees and one of a member organisation; four voters.

    Adherents (of 4): Rangs — Isolement 3 (retained), Haltes 1 (population); Plateau — Transport 4 (retained);
    no committee — Chutes 2 (50 %: a tie is no majority)."""
    assembly = ves["assembly"]
    plateau = instance_actions.create_instance(
        world.admin,
        {"name": "Comité du Plateau", "kind": "local_action_committee", "basis": "territorial", "level": "local",
         "rls": world.rls, "territory": world.town, "parent": ves["coordination"]},
    )  # fmt: skip
    rangs = ves["local"]
    people = []
    for i in range(4):
        org = OrganizationFactory(name=f"Membre {i}", rls=world.rls)
        person = PersonFactory(first_name=f"Votant{i}")
        AffiliationFactory(person=person, organization=org)
        instance_actions.add_membership(
            world.admin, assembly, {"organization": org, "person": person, "start_date": datetime.date(2020, 1, 1)}
        )
        people.append(person)
    exercise = actions.create_exercise(world.admin, assembly, {"title": "Priorités 2026"})

    def add(title, origin, **by):
        return actions.add_candidate(world.admin, exercise, {"title": title, "origin": origin, **by})

    isolation = add("Isolement", "local_actors", proposed_by_instance=rangs)
    benches = add("Haltes", "population", proposed_by_instance=rangs)
    transport = add("Transport", "local_actors", proposed_by_instance=plateau)
    falls = add("Chutes", "ministry", proposed_by=world.org_a)
    actions.open_round(world.admin, exercise)
    votes = [
        [isolation, transport, falls],
        [isolation, transport, benches],
        [isolation, transport, falls],
        [transport],
    ]
    for person, chosen in zip(people, votes, strict=True):
        actions.cast_ballot(world.admin, exercise, person, {c.pk: 1 for c in chosen})
    actions.close_round(world.admin, exercise)
    return {"exercise": exercise, "rangs": rangs, "plateau": plateau}


def test_results_per_committee_and_overall(world, ves, across):
    results = exercise_results(across["exercise"])
    assert results["retained"] == 2
    assert results["origins"] == {"local": 2, "institutional": 0, "evidence": 0}
    committees = results["committees"]
    # Committees in name order, then the priorities no committee proposed.
    # (« Comité d'action locale de Saint-Clément » before « Comité du Plateau »)
    assert [c["id"] for c in committees] == [across["rangs"].pk, across["plateau"].pk, None]
    rangs, plateau, rest = committees
    assert [row["title"] for row in plateau["candidates"]] == ["Transport"]
    assert plateau["retained"] == 1 and plateau["local_share"] == 100.0
    assert [(row["title"], row["adherents"], row["retained"]) for row in rangs["candidates"]] == [
        ("Isolement", 3, True),
        ("Haltes", 1, False),
    ]
    assert rangs["retained"] == 1
    assert [row["title"] for row in rest["candidates"]] == ["Chutes"] and rest["retained"] == 0
    assert rest["name"] == "" and rest["local_share"] is None


def test_an_exercise_without_committees_has_no_breakdown(world, ves):
    exercise = actions.create_exercise(world.admin, ves["assembly"], {"title": "P"})
    actions.add_candidate(world.admin, exercise, {"title": "Besoin", "origin": "local_actors"})
    assert exercise_results(exercise)["committees"] == []


def test_the_results_page_shows_each_committee(client, world, ves, across):
    client.force_login(world.coordinator)
    page = client.get(reverse("concertation:exercise_results", args=[across["exercise"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Comité du Plateau" in text and across["rangs"].name.replace("'", "&#x27;") in text
    assert text.count("<h3>") >= 3


def test_the_api_gives_the_same_breakdown(world, ves, across):
    body = api(world.coordinator).get(f"/api/v1/priority-exercises/{across['exercise'].pk}/results/").json()
    expected = exercise_results(across["exercise"])
    assert [c["id"] for c in body["committees"]] == [c["id"] for c in expected["committees"]]
    assert body["committees"][0]["candidates"][0]["committee"] == across["rangs"].pk
    assert body["committees"][0]["candidates"][1]["origin"] == "population"
    assert body["origins"] == expected["origins"]


def test_population_is_an_origin_of_priorities_in_page_and_api(client, world, ves):
    exercise = actions.create_exercise(world.admin, ves["assembly"], {"title": "P"})
    response = api(world.coordinator).post(
        f"/api/v1/priority-exercises/{exercise.pk}/candidates/",
        {"title": "Des bancs au village", "origin": "population"},
        format="json",
    )
    assert response.status_code in (200, 201), response.json()
    assert Candidate.objects.get(title="Des bancs au village").origin == Candidate.Origin.POPULATION
    client.force_login(world.coordinator)
    page = client.get(exercise.get_absolute_url())
    assert page.status_code == 200 and 'value="population"' in page.content.decode()
    refused = api(world.coordinator).post(
        f"/api/v1/priority-exercises/{exercise.pk}/candidates/", {"title": "X", "origin": "citizens"}, format="json"
    )
    assert refused.status_code == 400 and "origin" in refused.json()
    assert not Candidate.objects.filter(title="X").exists()


def test_a_committee_of_another_rls_cannot_propose(world, ves):
    exercise = actions.create_exercise(world.admin, ves["assembly"], {"title": "P"})
    theirs = Instance.objects.create(
        name="Table des Collines", kind="table", basis="thematic", theme="Aînés", level="local", rls=world.other_rls
    )
    with pytest.raises(Exception, match="proposed_by_instance"):
        actions.add_candidate(
            world.coordinator, exercise, {"title": "X", "origin": "population", "proposed_by_instance": theirs}
        )
    assert not exercise.candidates.exists()
