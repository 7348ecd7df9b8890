"""The concertation API keeps its contract (issue 8): declared filters (a bad value answers 400 naming the
parameter), documented shapes that match what is returned, 409 when the object's state refuses a change, and an
API operation for every write the pages offer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from concertation.actions import instances as instance_actions
from concertation.actions import meetings as meeting_actions
from concertation.actions import plans as plan_actions
from concertation.actions import priorities as priority_actions
from concertation.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Candidate,
    Decision,
    Delegation,
    Demarche,
    Indicator,
    Meeting,
    Objective,
)
from core.models import ApiToken

pytestmark = pytest.mark.django_db


def api(user, language: str = "fr") -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def at(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


# Filters -----------------------------------------------------------------------------------------------------

BAD_FILTERS = [
    ("meetings", "from", "abc"),
    ("meetings", "to", "2026-13-45"),
    ("meetings", "instance", "x"),
    ("instances", "rls", "abc"),
    ("instances", "kind", "nope"),
    ("memberships", "instance", "x"),
    ("memberships", "organization", "x"),
    ("action-plans", "instance", "x"),
    ("priority-exercises", "instance", "x"),
    ("demarches", "instance", "x"),
    # Found by the fuzzer: an id past the database's largest integer overflowed the query (500).
    ("instances", "rls", str(2**63)),
    ("meetings", "instance", str(2**64)),
    ("memberships", "organization", str(2**63)),
    ("action-plans", "instance", "-1"),
]


@pytest.mark.parametrize(("endpoint", "parameter", "value"), BAD_FILTERS)
def test_a_bad_filter_value_answers_400_naming_the_parameter(world, ves, endpoint, parameter, value):
    response = api(world.coordinator).get(f"/api/v1/{endpoint}/", {parameter: value})
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_filters_keep_their_names_and_meaning(world, ves):
    client = api(world.coordinator)
    local = ves["local"]
    meeting_actions.schedule_meeting(world.admin, local, {"title": "R", "starts_at": at(3), "ends_at": at(3, 16)})
    day = timezone.localdate() + datetime.timedelta(days=3)
    assert client.get("/api/v1/meetings/", {"from": day.isoformat(), "to": day.isoformat()}).json()["count"] == 1
    assert (
        client.get("/api/v1/meetings/", {"from": (day + datetime.timedelta(days=1)).isoformat()}).json()["count"] == 0
    )
    assert client.get("/api/v1/meetings/", {"instance": ves["assembly"].pk}).json()["count"] == 0
    assert client.get("/api/v1/instances/", {"rls": world.rls.pk}).json()["count"] == 3
    assert client.get("/api/v1/instances/", {"rls": world.other_rls.pk}).json()["count"] == 0
    assert client.get("/api/v1/instances/", {"kind": "assembly", "search": "partenaires"}).json()["count"] == 1
    assert client.get("/api/v1/memberships/", {"instance": local.pk}).json()["count"] == 1
    plan_actions.create_plan(world.admin, local, {"title": "Plan"})
    plan_actions.start_demarche(world.admin, local, {"title": "Démarche"})
    priority_actions.create_exercise(world.admin, local, {"title": "Priorités"})
    for endpoint in ("action-plans", "demarches", "priority-exercises"):
        assert client.get(f"/api/v1/{endpoint}/", {"instance": local.pk}).json()["count"] == 1
        assert client.get(f"/api/v1/{endpoint}/", {"instance": ves["assembly"].pk}).json()["count"] == 0


def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_filters_are_in_the_schema():
    paths = schema()["paths"]
    expected = {
        "/api/v1/instances/": {"kind", "basis", "level", "rls", "search"},
        "/api/v1/memberships/": {"instance", "organization"},
        "/api/v1/meetings/": {"instance", "from", "to"},
        "/api/v1/priority-exercises/": {"instance"},
        "/api/v1/action-plans/": {"instance"},
        "/api/v1/demarches/": {"instance"},
    }
    for path, names in expected.items():
        declared = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert names <= declared, path


# Documented shapes -----------------------------------------------------------------------------------------


def _response_schema(document: dict, path: str, method: str = "get", code: str = "200") -> dict:
    content = document["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
    if "$ref" in content:
        return document["components"]["schemas"][content["$ref"].rsplit("/", 1)[-1]]
    return content


def test_custom_operations_document_what_they_return(world, ves):
    instance_actions.add_membership(
        world.admin,
        ves["assembly"],
        {"organization": world.org_a, "person": world.person_a, "start_date": datetime.date(2020, 1, 1)},
    )
    plan = plan_actions.create_plan(world.admin, ves["local"], {"title": "Plan"})
    objective = plan_actions.add_objective(world.admin, plan, {"title": "Objectif"})
    plan_actions.add_action(world.admin, objective, {"title": "En retard", "deadline": datetime.date(2020, 1, 1)})
    plan_actions.add_indicator(world.admin, objective, {"name": "Aînés", "target": 10, "measured": 5})
    exercise = priority_actions.create_exercise(world.admin, ves["assembly"], {"title": "Priorités"})
    candidate = priority_actions.add_candidate(world.admin, exercise, {"title": "Transport", "origin": "ministry"})
    priority_actions.open_round(world.admin, exercise)
    client, document = api(world.coordinator), schema()
    answers = {
        ("/api/v1/action-plans/{id}/progress/", "get", "200"): client.get(f"/api/v1/action-plans/{plan.pk}/progress/"),
        ("/api/v1/instances/{id}/participation/", "get", "200"): client.get(
            f"/api/v1/instances/{ves['local'].pk}/participation/"
        ),
        ("/api/v1/priority-exercises/{id}/results/", "get", "200"): client.get(
            f"/api/v1/priority-exercises/{exercise.pk}/results/"
        ),
        ("/api/v1/priority-exercises/{id}/ballots/", "post", "201"): client.post(
            f"/api/v1/priority-exercises/{exercise.pk}/ballots/",
            {"voter": world.person_a.pk, "choices": {str(candidate.pk): 1}},
            format="json",
        ),
        ("/api/v1/analytics/concertation-load/", "get", "200"): client.get(
            "/api/v1/analytics/concertation-load/", {"territory": world.rls.pk, "year": 2024}
        ),
    }
    for (path, method, code), response in answers.items():
        assert str(response.status_code) == code, (path, response.content)
        documented = _response_schema(document, path, method, code)
        assert set(response.json()) == set(documented["properties"]), path
    progress = answers[("/api/v1/action-plans/{id}/progress/", "get", "200")].json()
    assert progress["overdue"] == [objective.actions.get().pk]
    assert progress["indicators"] == [{"id": objective.indicators.get().pk, "progress": 50, "reached": False}]


# Refused state changes: 409 ----------------------------------------------------------------------------------


def test_refused_state_changes_answer_409_in_the_api_and_on_the_pages(client, world, ves):
    local = ves["local"]
    past = meeting_actions.schedule_meeting(
        world.admin, local, {"title": "P", "starts_at": at(-2), "ends_at": at(-2, 16)}
    )
    coordinator = api(world.coordinator, "en")
    convened = coordinator.post(f"/api/v1/meetings/{past.pk}/convene/")
    assert convened.status_code == 409 and "already started" in str(convened.json())
    back = coordinator.post(f"/api/v1/meetings/{past.pk}/status/", {"status": "planned"}, format="json")
    assert back.status_code == 409
    meeting_actions.set_meeting_status(world.admin, past, Meeting.Status.CANCELLED)
    item = coordinator.post(f"/api/v1/meetings/{past.pk}/agenda-items/", {"title": "X"}, format="json")
    assert item.status_code == 409 and not AgendaItem.objects.exists()
    exercise = priority_actions.create_exercise(world.admin, local, {"title": "P"})
    priority_actions.add_candidate(world.admin, exercise, {"title": "T", "origin": "ministry"})
    priority_actions.open_round(world.admin, exercise)
    priority_actions.close_round(world.admin, exercise)
    reopened = coordinator.post(f"/api/v1/priority-exercises/{exercise.pk}/open-round/")
    assert reopened.status_code == 409 and exercise.rounds.count() == 1
    added = coordinator.post(
        f"/api/v1/priority-exercises/{exercise.pk}/candidates/", {"title": "Y", "origin": "ministry"}, format="json"
    )
    assert added.status_code == 409 and exercise.candidates.count() == 1

    client.force_login(world.coordinator)
    page = client.post(reverse("concertation:meeting_set_status", args=[past.pk]), {"status": "held"})
    assert page.status_code == 409 and "error-summary" in page.content.decode()
    page = client.post(reverse("concertation:round_open", args=[exercise.pk]))
    assert page.status_code == 409
    assert exercise.rounds.count() == 1


def test_approved_minutes_answer_409(world, ves):
    local = ves["local"]
    first = meeting_actions.schedule_meeting(
        world.admin, local, {"title": "A", "starts_at": at(-9), "ends_at": at(-9, 16)}
    )
    meeting_actions.set_meeting_status(world.admin, first, Meeting.Status.HELD)
    second = meeting_actions.schedule_meeting(
        world.admin, local, {"title": "B", "starts_at": at(-1), "ends_at": at(-1, 16)}
    )
    meeting_actions.set_meeting_status(world.admin, second, Meeting.Status.HELD)
    client = api(world.coordinator)
    assert client.post(f"/api/v1/meetings/{second.pk}/approve-previous/").status_code == 200
    assert client.post(f"/api/v1/meetings/{second.pk}/approve-previous/").status_code == 409
    edit = client.patch(f"/api/v1/meetings/{first.pk}/", {"title": "Changé"}, format="json")
    assert edit.status_code == 409
    first.refresh_from_db()
    assert first.title == "A"


# Every page write has its API twin -----------------------------------------------------------------------------


def test_delegation_through_the_api(world, ves):
    client = api(world.coordinator)
    url = f"/api/v1/memberships/{ves['member_a'].pk}/delegations/"
    response = client.post(url, {"to_instance": ves["coordination"].pk, "start_date": "2024-01-01"}, format="json")
    assert response.status_code == 201, response.json()
    delegation = Delegation.objects.get()
    assert response.json()["seat"]["instance"] == ves["coordination"].pk
    assert delegation.seat.role == "delegate" and delegation.seat.person == world.person_a
    same = client.post(url, {"to_instance": ves["local"].pk, "start_date": "2024-01-01"}, format="json")
    assert same.status_code == 400 and "to_instance" in same.json()
    assert api(world.rep_a).post(url, {"to_instance": ves["coordination"].pk, "start_date": "2024-01-01"},
                                 format="json").status_code == 403  # fmt: skip
    assert Delegation.objects.count() == 1


def test_meeting_parts_through_the_api(world, ves):
    meeting = meeting_actions.schedule_meeting(
        world.admin, ves["local"], {"title": "R", "starts_at": at(-1), "ends_at": at(-1, 16)}
    )
    client = api(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/"
    for title in ("Accueil", "Plan", "Varia"):
        assert client.post(url + "agenda-items/", {"title": title}, format="json").status_code == 200
    varia = AgendaItem.objects.get(title="Varia")
    assert client.post(url + f"agenda-items/{varia.pk}/move/", {"direction": "up"}, format="json").status_code == 200
    edited = client.patch(url + f"agenda-items/{varia.pk}/", {"title": "Varia et affaires nouvelles"}, format="json")
    assert edited.status_code == 200 and edited.json()["order"] == 2
    minutes = {"items": [{"id": varia.pk, "minutes": "Rien à signaler."}]}
    assert client.post(url + "minutes/", minutes, format="json").status_code == 200
    assert AgendaItem.objects.get(pk=varia.pk).minutes == "Rien à signaler."
    other = meeting_actions.schedule_meeting(
        world.admin, ves["local"], {"title": "O", "starts_at": at(9), "ends_at": at(9, 16)}
    )
    foreign = meeting_actions.add_agenda_item(world.admin, other, {"title": "Ailleurs"})
    wrong = client.post(url + "minutes/", {"items": [{"id": foreign.pk, "minutes": "X"}]}, format="json")
    assert wrong.status_code == 400 and AgendaItem.objects.get(pk=foreign.pk).minutes == ""
    assert client.delete(url + f"agenda-items/{AgendaItem.objects.get(title='Accueil').pk}/").status_code == 204
    assert list(meeting.agenda_items.order_by("order").values_list("order", flat=True)) == [1, 2]
    decision = {"text": "Adopter", "mode": "consensus"}
    client.post(url + "decisions/", decision, format="json")
    pk = Decision.objects.get().pk
    changed = client.patch(url + f"decisions/{pk}/", {"dissent": "Le CAB s'abstient."}, format="json")
    assert changed.status_code == 200 and changed.json()["dissent"] == "Le CAB s'abstient."
    assert client.delete(url + f"decisions/{pk}/").status_code == 204 and not Decision.objects.exists()
    assert api(world.rep_a).delete(url + f"agenda-items/{varia.pk}/").status_code == 403
    assert client.delete(url).status_code == 405  # a meeting is cancelled, not deleted


def test_candidates_and_proposals_through_the_api(world, ves):
    instance_actions.add_membership(
        world.admin, ves["assembly"], {"organization": world.org_a, "start_date": datetime.date(2020, 1, 1)}
    )
    exercise = priority_actions.create_exercise(world.admin, ves["assembly"], {"title": "Priorités"})
    url = f"/api/v1/priority-exercises/{exercise.pk}/"
    proposal = api(world.rep_a).post(url + "proposals/", {"title": "Transport", "proposed_by": world.org_a.pk},
                                     format="json")  # fmt: skip
    assert proposal.status_code == 200, proposal.json()
    candidate = Candidate.objects.get()
    assert candidate.origin == "local_actors" and candidate.proposed_by == world.org_a
    for_b = api(world.rep_a).post(url + "proposals/", {"title": "Logement", "proposed_by": world.org_b.pk},
                                  format="json")  # fmt: skip
    assert for_b.status_code == 400 and "proposed_by" in for_b.json()
    assert api(world.analyst).post(url + "proposals/", {"title": "X"}, format="json").status_code == 403
    coordinator = api(world.coordinator)
    edited = coordinator.patch(url + f"candidates/{candidate.pk}/", {"title": "Transport collectif"}, format="json")
    assert edited.status_code == 200 and edited.json()["candidates"][0]["title"] == "Transport collectif"
    assert api(world.rep_a).delete(url + f"candidates/{candidate.pk}/").status_code == 403
    assert coordinator.delete(url + f"candidates/{candidate.pk}/").status_code == 204
    assert not Candidate.objects.exists()


def test_demarches_and_plan_parts_through_the_api(world, ves):
    client = api(world.coordinator)
    created = client.post("/api/v1/demarches/", {"instance": ves["local"].pk, "title": "Démarche"}, format="json")
    assert created.status_code == 201 and len(created.json()["stages"]) == 7
    demarche = Demarche.objects.get()
    stage = demarche.stages.get(kind="analysis")
    url = f"/api/v1/demarches/{demarche.pk}/"
    wrong = client.patch(url + f"stages/{stage.pk}/", {"start_date": "2024-05-01", "end_date": "2024-04-01"},
                         format="json")  # fmt: skip
    assert wrong.status_code == 400 and "end_date" in wrong.json()
    done = client.patch(url + f"stages/{stage.pk}/", {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert client.patch(url, {"title": "Démarche 2025"}, format="json").json()["title"] == "Démarche 2025"
    assert api(world.rep_a).post("/api/v1/demarches/", {"instance": ves["local"].pk, "title": "X"},
                                 format="json").status_code == 403  # fmt: skip

    plan = plan_actions.create_plan(world.admin, ves["local"], {"title": "Plan"})
    objective = plan_actions.add_objective(world.admin, plan, {"title": "Objectif"})
    action = plan_actions.add_action(world.admin, objective, {"title": "Action", "lead": world.org_a})
    indicator = plan_actions.add_indicator(world.admin, objective, {"name": "Indicateur", "target": 10})
    purl = f"/api/v1/action-plans/{plan.pk}/"
    changed = client.patch(purl + f"objectives/{objective.pk}/", {"title": "Objectif révisé"}, format="json")
    assert changed.status_code == 200 and changed.json()["objectives"][0]["title"] == "Objectif révisé"
    moved = client.patch(purl + f"actions/{action.pk}/", {"contributors": [world.org_a.pk, world.org_b.pk]},
                         format="json")  # fmt: skip
    assert moved.status_code == 200
    assert list(Action.objects.get().contributors.all()) == [world.org_b], "the lead is not also a contributor"
    measured = client.patch(purl + f"indicators/{indicator.pk}/", {"measured": "4"}, format="json")
    assert measured.status_code == 200 and Indicator.objects.get().measured_on == timezone.localdate()
    assert client.delete(purl + f"indicators/{indicator.pk}/").status_code == 204
    assert client.delete(purl + f"actions/{action.pk}/").status_code == 204
    assert client.delete(purl + f"objectives/{objective.pk}/").status_code == 204 and not Objective.objects.exists()
    assert api(world.rep_a).delete(purl).status_code == 403
    assert client.delete(purl).status_code == 204 and not ActionPlan.objects.exists()
    assert client.delete(url).status_code == 204 and not Demarche.objects.exists()


def test_the_calendar_feed_is_issued_and_revoked_by_audited_actions(client, world):
    from concertation.actions import calendar
    from core.models import AuditEvent

    key = calendar.issue_calendar_feed(world.rep_a)
    assert client.get(reverse("concertation:calendar_feed", args=[key])).status_code == 200
    assert calendar.revoke_calendar_feed(world.rep_a) is True
    assert client.get(reverse("concertation:calendar_feed", args=[key])).status_code == 404
    assert AuditEvent.objects.filter(action="token", object_id=str(world.rep_a.pk)).count() == 2


def test_a_meeting_lasting_days_is_refused_and_nothing_changes(world, ves):
    """Found by the fuzzer: a meeting of several days overflowed its stored length (500, then 500 on every read)."""
    meeting = meeting_actions.schedule_meeting(
        world.coordinator, ves["assembly"], {"title": "Rencontre", "starts_at": at(10), "ends_at": at(10, 16)}
    )
    response = api(world.coordinator).patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"starts_at": at(10).isoformat(), "ends_at": at(60).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "ends_at": ["Une rencontre dure au plus 24 heures : planifiez un événement plus long en plusieurs rencontres."]
    }
    meeting.refresh_from_db()
    assert meeting.ends_at == at(10, 16)
    assert api(world.coordinator).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200
