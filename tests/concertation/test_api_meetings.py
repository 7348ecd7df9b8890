"""/api/v1/meetings: the same rules as the pages, through the meeting actions."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from concertation.models import Decision, Meeting
from core.models import ApiToken

pytestmark = pytest.mark.django_db


def api(user, language="fr") -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def new_meeting(client, instance, hours=2, days=7):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    end = start + datetime.timedelta(hours=hours)
    payload = {"instance": instance.pk, "title": "Rencontre du comité", "starts_at": start.isoformat(),
               "ends_at": end.isoformat(), "location": "Salle municipale"}  # fmt: skip
    return client.post("/api/v1/meetings/", payload, format="json")


def test_a_coordinator_runs_a_meeting_through_the_api(world, ves, mailoutbox, django_capture_on_commit_callbacks):
    world.person_a.email = "alice@popote.example.org"
    world.person_a.save()
    client = api(world.coordinator)
    created = new_meeting(client, ves["local"])
    assert created.status_code == 201, created.json()
    url = f"/api/v1/meetings/{created.json()['id']}/"
    item = {"title": "Bilan des visites d'amitié"}
    assert client.post(url + "agenda-items/", item, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        convened = client.post(url + "convene/")
    assert convened.status_code == 200 and convened.json()["status"] == "convened"
    assert [m.to for m in mailoutbox] == [["Alice Tremblay <alice@popote.example.org>"]]
    rows = {"rows": [{"membership": ves["member_a"].pk, "status": "present"}]}
    attended = client.post(url + "attendance/", rows, format="json")
    assert attended.status_code == 200, attended.json()
    assert attended.json()["attendance"][0]["organization"] == world.org_a.pk
    decision = {"text": "Adopter le plan", "mode": "vote", "votes_for": 5, "votes_against": 1, "abstentions": 0,
                "dissent": "La popote demande plus de ressources."}  # fmt: skip
    assert client.post(url + "decisions/", decision, format="json").status_code == 200
    detail = client.get(url).json()
    assert detail["decisions"][0]["dissent"].startswith("La popote")
    assert detail["agenda_items"][0]["order"] == 1


def test_meeting_ending_before_it_starts_is_refused(world, ves):
    response = new_meeting(api(world.coordinator, "en"), ves["local"], hours=-1)
    assert response.status_code == 400 and "end after it starts" in response.json()["ends_at"][0]
    assert not Meeting.objects.exists()


def test_a_vote_without_counts_is_refused(world, ves):
    client = api(world.coordinator)
    url = f"/api/v1/meetings/{new_meeting(client, ves['local']).json()['id']}/decisions/"
    response = client.post(url, {"text": "Adopter", "mode": "vote"}, format="json")
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_only_coordinators_write_and_non_members_do_not_see(world, ves):
    meeting_id = new_meeting(api(world.coordinator), ves["local"]).json()["id"]
    member = api(world.rep_a)
    assert member.get(f"/api/v1/meetings/{meeting_id}/").status_code == 200
    assert member.post(f"/api/v1/meetings/{meeting_id}/convene/").status_code == 403
    assert new_meeting(member, ves["local"]).status_code == 403
    assert api(world.rep_b).get(f"/api/v1/meetings/{meeting_id}/").status_code == 404
    assert api(world.rep_b).get("/api/v1/meetings/").json()["count"] == 0
