"""/api/v1/priority-exercises: from candidates to plenary results."""

import datetime

import pytest
from rest_framework.test import APIClient

from concertation.actions import instances as instance_actions
from concertation.models import Ballot
from core.models import ApiToken

pytestmark = pytest.mark.django_db


def api(user, language="fr") -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_an_exercise_through_the_api(world, ves):
    instance_actions.add_membership(
        world.admin,
        ves["assembly"],
        {"organization": world.org_a, "person": world.person_a, "start_date": datetime.date(2020, 1, 1)},
    )
    client = api(world.coordinator, "en")
    created = client.post(
        "/api/v1/priority-exercises/", {"instance": ves["assembly"].pk, "title": "Priorités"}, format="json"
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/priority-exercises/{created.json()['id']}/"
    body = client.post(url + "candidates/", {"title": "Transport", "origin": "local_actors"}, format="json").json()
    candidate = body["candidates"][0]["id"]
    early = client.post(url + "ballots/", {"voter": world.person_a.pk, "choices": {str(candidate): 1}}, format="json")
    assert early.status_code == 409 and "not open" in str(early.json())
    assert client.post(url + "open-round/").json()["status"] == "plenary"
    vote = {"voter": world.person_a.pk, "choices": {str(candidate): 1}}
    assert client.post(url + "ballots/", vote, format="json").status_code == 201
    again = client.post(url + "ballots/", vote, format="json")
    assert again.status_code == 409 and "already voted" in str(again.json())
    assert Ballot.objects.count() == 1
    client.post(url + "close-round/")
    results = client.get(url + "results/").json()
    assert results["voters"] == 1 and results["candidates"][0]["retained"] is True
    assert results["origins"]["local"] == 1


def test_participants_vote_for_themselves_only(world, ves):
    world.person_a.account = world.rep_a
    world.person_a.save()
    instance_actions.add_membership(
        world.admin,
        ves["assembly"],
        {"organization": world.org_a, "person": world.person_a, "start_date": datetime.date(2020, 1, 1)},
    )
    coordinator = api(world.coordinator)
    exercise = coordinator.post(
        "/api/v1/priority-exercises/", {"instance": ves["assembly"].pk, "title": "P"}, format="json"
    ).json()
    url = f"/api/v1/priority-exercises/{exercise['id']}/"
    candidate = coordinator.post(url + "candidates/", {"title": "T", "origin": "ministry"}, format="json").json()
    coordinator.post(url + "open-round/")
    choice = {str(candidate["candidates"][0]["id"]): 1}
    member = api(world.rep_a)
    assert (
        member.post(url + "ballots/", {"voter": world.person_b.pk, "choices": choice}, format="json").status_code == 403
    )
    assert (
        member.post(url + "ballots/", {"voter": world.person_a.pk, "choices": choice}, format="json").status_code == 201
    )
    assert member.post(url + "open-round/").status_code == 403
