"""The concertation actions are the only guard (issue 8): each checks the user's permission and that everyone an
instance names — members, owners of follow-up items, substitutes, workshop participants, action leads and
contributors, proposers — belongs to the instance's RLS. Through the API, through the pages, and called directly,
the answer is the same: refused, in French, without naming the hidden person or organisation, nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from concertation.actions import instances as instance_actions
from concertation.actions import meetings as meeting_actions
from concertation.actions import plans as plan_actions
from concertation.actions import priorities as priority_actions
from concertation.models import (
    Action,
    Attendance,
    Candidate,
    Delegation,
    FollowUp,
    Instance,
    Membership,
    Workshop,
)
from core.models import ApiToken, AuditEvent
from registry.models import RoleAssignment
from tests.factories import AffiliationFactory, PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

GENERIC = "Choose among the options offered: this choice is not available to you."


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def api(user, language: str = "fr") -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def state() -> dict:
    """What a refused write must leave as it was."""
    writes = AuditEvent.objects.exclude(action__in=["view", "export", "login", "login_failed", "logout", "token"])
    return {
        "memberships": list(Membership.objects.order_by("pk").values()),
        "follow_ups": list(FollowUp.objects.order_by("pk").values()),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "workshops": list(Workshop.participants.through.objects.order_by("pk").values()),
        "actions": list(Action.objects.order_by("pk").values()),
        "contributors": list(Action.contributors.through.objects.order_by("pk").values()),
        "candidates": list(Candidate.objects.order_by("pk").values()),
        "delegations": Delegation.objects.count(),
        "audit": writes.count(),
    }


@pytest.fixture
def outsider(world):
    """Someone of the other RLS, whose name must never show in an answer to the coordinator of the first."""
    person = PersonFactory(first_name="Odile", last_name="Horizon-Lointain", email="odile@collines.example.org")
    AffiliationFactory(person=person, organization=world.org_elsewhere)
    return person


@pytest.fixture
def both_coordinator(world):
    """A coordinator of both RLS: the registry shows them everyone, so only the action can refuse."""
    user = grant(UserFactory(username="coord_both"), RoleAssignment.Role.COORDINATOR, rls=world.rls)
    return grant(user, RoleAssignment.Role.COORDINATOR, rls=world.other_rls)


@pytest.fixture
def local(world, ves):
    """The local action committee, with org B (Bruno) beside org A (Alice)."""
    instance_actions.add_membership(
        world.admin,
        ves["local"],
        {"organization": world.org_b, "person": world.person_b, "start_date": datetime.date(2020, 1, 1)},
    )
    return ves["local"]


def at(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def meeting(world, local):
    return meeting_actions.schedule_meeting(
        world.admin, local, {"title": "Rencontre", "starts_at": at(-1), "ends_at": at(-1, 16)}
    )


@pytest.fixture
def exercise(world, local):
    exercise = priority_actions.create_exercise(world.admin, local, {"title": "Priorités"})
    priority_actions.add_candidate(world.admin, exercise, {"title": "Transport", "origin": "local_actors"})
    return exercise


@pytest.fixture
def objective(world, local):
    plan = plan_actions.create_plan(world.admin, local, {"title": "Plan"})
    return plan_actions.add_objective(world.admin, plan, {"title": "Briser l'isolement"})


def refused_quietly(response, field: str, outsider_names: list[str]) -> None:
    """A 400 on the field, in French, that names no one hidden."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body or any(field in key for key in body), body
    text = response.content.decode()
    for name in outsider_names:
        assert name not in text


# Reproductions through the API -----------------------------------------------------------------------------


def test_api_follow_up_owner_of_another_rls_is_refused(world, meeting, outsider, both_coordinator):
    before = state()
    url = f"/api/v1/meetings/{meeting.pk}/follow-ups/"
    for user in (world.coordinator, both_coordinator, world.admin):
        payload = {"description": "Appeler la mairie", "owner_person": outsider.pk}
        refused_quietly(api(user).post(url, payload, format="json"), "owner_person", [outsider.last_name])
        payload = {"description": "Appeler la mairie", "owner_organization": world.org_elsewhere.pk}
        refused_quietly(api(user).post(url, payload, format="json"), "owner_organization", [world.org_elsewhere.name])
    assert state() == before


def test_api_membership_of_another_rls_is_refused(world, ves, outsider, both_coordinator):
    before = state()
    for user in (world.coordinator, both_coordinator):
        client = api(user)
        org = {"instance": ves["local"].pk, "organization": world.org_elsewhere.pk, "start_date": "2024-01-01"}
        refused_quietly(client.post("/api/v1/memberships/", org, format="json"), "organization", ["Collines"])
        person = {**org, "organization": world.org_a.pk, "person": outsider.pk}
        refused_quietly(client.post("/api/v1/memberships/", person, format="json"), "person", [outsider.last_name])
        moved = client.patch(f"/api/v1/memberships/{ves['member_a'].pk}/", {"person": outsider.pk}, format="json")
        refused_quietly(moved, "person", [outsider.last_name])
    # The coordinator of both sees the refusal from the action itself, in French.
    response = api(both_coordinator).post(
        "/api/v1/memberships/",
        {"instance": ves["local"].pk, "organization": world.org_elsewhere.pk, "start_date": "2024-01-01"},
        format="json",
    )
    assert response.json() == {"organization": [fr(GENERIC)]}
    assert state() == before


def test_api_member_must_be_affiliated_with_the_organisation(world, ves):
    response = api(world.coordinator).post(
        "/api/v1/memberships/",
        {"instance": ves["local"].pk, "organization": world.org_a.pk, "person": world.person_b.pk,
         "start_date": "2024-01-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["person"] == [fr("This person is not affiliated with the organisation.")]


def test_api_attendance_substitute_of_another_rls_is_refused(world, meeting, outsider, both_coordinator):
    before = state()
    for user in (world.coordinator, both_coordinator):
        rows = {"rows": [{"membership": meeting.instance.memberships.get(organization=world.org_a).pk,
                          "status": "present", "substitute": outsider.pk}]}  # fmt: skip
        response = api(user).post(f"/api/v1/meetings/{meeting.pk}/attendance/", rows, format="json")
        refused_quietly(response, "rows", [outsider.last_name])
    assert state() == before


def test_api_workshop_participants_of_another_rls_are_refused(world, exercise, outsider, both_coordinator):
    before = state()
    for user in (world.coordinator, both_coordinator):
        payload = {"name": "Équipe", "participants": [world.person_a.pk, outsider.pk]}
        response = api(user).post(f"/api/v1/priority-exercises/{exercise.pk}/workshops/", payload, format="json")
        refused_quietly(response, "participants", [outsider.last_name])
    assert state() == before


def test_api_action_lead_and_contributors_of_another_rls_are_refused(world, objective, both_coordinator):
    before = state()
    url = f"/api/v1/action-plans/{objective.plan_id}/objectives/{objective.pk}/actions/"
    for user in (world.coordinator, both_coordinator):
        lead = {"title": "Visites", "lead": world.org_elsewhere.pk}
        refused_quietly(api(user).post(url, lead, format="json"), "lead", [world.org_elsewhere.name])
        contributors = {"title": "Visites", "lead": world.org_a.pk, "contributors": [world.org_elsewhere.pk]}
        refused_quietly(api(user).post(url, contributors, format="json"), "contributors", [world.org_elsewhere.name])
    assert state() == before


def test_api_candidate_proposer_of_another_rls_is_refused(world, exercise, both_coordinator):
    before = state()
    payload = {"title": "Logement", "origin": "local_actors", "proposed_by": world.org_elsewhere.pk}
    response = api(both_coordinator).post(
        f"/api/v1/priority-exercises/{exercise.pk}/candidates/", payload, format="json"
    )
    refused_quietly(response, "proposed_by", [world.org_elsewhere.name])
    assert state() == before


def test_api_delegation_to_another_rls_is_refused(world, ves, both_coordinator):
    elsewhere = instance_actions.create_instance(
        world.admin,
        {"name": "Table des Collines", "kind": "table", "basis": "thematic", "level": "local", "rls": world.other_rls},
    )
    before = state()
    url = f"/api/v1/memberships/{ves['member_a'].pk}/delegations/"
    hidden = api(world.coordinator).post(url, {"to_instance": elsewhere.pk, "start_date": "2024-01-01"}, format="json")
    refused_quietly(hidden, "to_instance", ["Collines"])
    seen = api(both_coordinator).post(url, {"to_instance": elsewhere.pk, "start_date": "2024-01-01"}, format="json")
    assert seen.status_code == 400
    assert seen.json()["to_instance"] == [fr("A delegation can only go to an instance of the same RLS.")]
    assert state() == before


# The convocation follows the memberships --------------------------------------------------------------------


def test_convocation_never_reaches_someone_of_another_rls(
    world, local, outsider, both_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    refused = api(both_coordinator).post(
        "/api/v1/memberships/",
        {"instance": local.pk, "organization": world.org_a.pk, "person": outsider.pk, "start_date": "2020-01-01"},
        format="json",
    )
    assert refused.status_code == 400
    meeting = meeting_actions.schedule_meeting(
        world.admin, local, {"title": "Rencontre", "starts_at": at(5), "ends_at": at(5, 16)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert api(world.coordinator).post(f"/api/v1/meetings/{meeting.pk}/convene/").status_code == 200
    recipients = " ".join(address for message in mailoutbox for address in message.to)
    assert mailoutbox and outsider.email not in recipients
    assert world.person_a.email in recipients


# The same refusals through the pages -------------------------------------------------------------------------


def test_page_follow_up_owner_of_another_rls_is_refused(client, world, meeting, outsider):
    client.force_login(world.coordinator)
    before = state()
    url = reverse("concertation:follow_up_add", args=[meeting.pk])
    response = client.post(url, {"description": "Appeler", "owner_person": outsider.pk, "status": "open"})
    assert response.status_code == 400
    assert "owner_person" in response.context["form"].errors
    assert outsider.last_name not in response.content.decode()
    assert state() == before


def test_page_follow_up_owner_is_checked_by_the_action_too(client, world, meeting):
    """A seat held by an organisation of another RLS (recorded before the rule) is offered by the page, and
    refused by the action, next to the field, in French."""
    Membership.objects.create(instance=meeting.instance, organization=world.org_elsewhere,
                              start_date=datetime.date(2020, 1, 1))  # fmt: skip
    client.force_login(world.coordinator)
    before = state()
    url = reverse("concertation:follow_up_add", args=[meeting.pk])
    response = client.post(url, {"description": "X", "owner_organization": world.org_elsewhere.pk, "status": "open"})
    assert response.status_code == 400
    assert response.context["form"].errors["owner_organization"] == [fr(GENERIC)]
    assert state() == before


def test_page_membership_of_another_rls_is_refused(client, world, ves, outsider):
    client.force_login(world.coordinator)
    before = state()
    url = reverse("concertation:membership_add", args=[ves["local"].pk])
    for data, field in [
        ({"organization": world.org_elsewhere.pk, "role": "member", "start_date": "2024-01-01"}, "organization"),
        ({"organization": world.org_a.pk, "person": outsider.pk, "role": "member", "start_date": "2024-01-01"},
         "person"),
    ]:  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        page = response.content.decode()
        assert outsider.last_name not in page and "Collines" not in page
    assert state() == before


def test_page_membership_person_must_be_affiliated(client, world, ves):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:membership_add", args=[ves["local"].pk]),
        {"organization": world.org_a.pk, "person": world.person_b.pk, "role": "member", "start_date": "2024-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [fr("This person is not affiliated with the organisation.")]


def test_page_attendance_substitute_of_another_rls_is_refused(client, world, meeting, outsider):
    client.force_login(world.coordinator)
    before = state()
    member = meeting.instance.memberships.get(organization=world.org_a)
    data = {f"status_{m.pk}": "present" for m in meeting.instance.memberships.all()}
    response = client.post(
        reverse("concertation:meeting_attendance", args=[meeting.pk]), {**data, f"substitute_{member.pk}": outsider.pk}
    )
    assert response.status_code == 400
    assert outsider.last_name not in response.content.decode()
    assert state() == before


def test_page_workshop_participants_of_another_rls_are_refused(client, world, exercise, outsider):
    client.force_login(world.coordinator)
    before = state()
    response = client.post(
        reverse("concertation:workshop_add", args=[exercise.pk]), {"name": "Équipe", "participants": [outsider.pk]}
    )
    assert response.status_code == 400
    assert outsider.last_name not in response.content.decode()
    assert state() == before


def test_page_action_lead_of_another_rls_is_refused(client, world, objective):
    client.force_login(world.coordinator)
    before = state()
    url = reverse("concertation:action_create", args=[objective.pk])
    for data in ({"title": "A", "lead": world.org_elsewhere.pk, "status": "not_started"},
                 {"title": "A", "contributors": [world.org_elsewhere.pk], "status": "not_started"}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400
        assert world.org_elsewhere.name not in response.content.decode()
    assert state() == before


# Called directly: the action refuses whoever calls it ---------------------------------------------------------


def test_actions_refuse_people_and_organisations_of_another_rls(world, meeting, exercise, objective, outsider):
    before = state()
    member = meeting.instance.memberships.get(organization=world.org_a)
    local = meeting.instance
    refusals = [
        ("organization", lambda: instance_actions.add_membership(
            world.admin, local, {"organization": world.org_elsewhere, "start_date": datetime.date(2024, 1, 1)})),
        ("person", lambda: instance_actions.add_membership(
            world.admin, local, {"organization": world.org_a, "person": outsider,
                                 "start_date": datetime.date(2024, 1, 1)})),
        ("person", lambda: instance_actions.update_membership(world.admin, member, {"person": outsider})),
        ("owner_person", lambda: meeting_actions.add_follow_up(
            world.admin, meeting, {"description": "X", "owner_person": outsider})),
        ("owner_organization", lambda: meeting_actions.add_follow_up(
            world.admin, meeting, {"description": "X", "owner_organization": world.org_elsewhere})),
        ("substitute", lambda: meeting_actions.record_attendance(
            world.admin, meeting, [(member, "present", outsider)])),
        ("participants", lambda: priority_actions.add_workshop(
            world.admin, exercise, {"name": "Équipe", "participants": [outsider]})),
        ("proposed_by", lambda: priority_actions.add_candidate(
            world.admin, exercise, {"title": "X", "origin": "local_actors", "proposed_by": world.org_elsewhere})),
        ("lead", lambda: plan_actions.add_action(world.admin, objective, {"title": "X", "lead": world.org_elsewhere})),
        ("contributors", lambda: plan_actions.add_action(
            world.admin, objective, {"title": "X", "contributors": [world.org_elsewhere]})),
        ("support_organization", lambda: instance_actions.update_instance(
            world.admin, Instance.objects.get(pk=local.pk), {"support_organization": world.org_elsewhere})),
    ]  # fmt: skip
    for field, write in refusals:
        with pytest.raises(ValidationError) as error:
            write()
        assert error.value.message_dict == {field: [fr(GENERIC)]}, field
    assert state() == before


def test_a_membership_elsewhere_is_refused_even_for_its_own_rls_coordinator(world, ves):
    """The organisation is checked against the instance's RLS, not the user's: the coordinator of the other RLS
    cannot seat its organisations here, nor can an administrator."""
    for user in (world.admin, world.other_coordinator):
        with pytest.raises((ValidationError, PermissionDenied)):
            instance_actions.add_membership(
                user, ves["local"], {"organization": world.org_elsewhere, "start_date": datetime.date(2024, 1, 1)}
            )
    assert not ves["local"].memberships.filter(organization=world.org_elsewhere).exists()


# Role × action ---------------------------------------------------------------------------------------------


@pytest.fixture
def named(world, ves):
    """A user named coordinator of the local committee (no role in the registry)."""
    user = UserFactory(username="named")
    ves["local"].coordinators.add(user)
    return user


@pytest.fixture
def voting(world, exercise):
    """Alice (org A's seat on the local committee) has an account: rep_a. The plenary is open."""
    world.person_a.account = world.rep_a
    world.person_a.save()
    priority_actions.open_round(world.admin, exercise)
    return exercise


ACTIONS = {
    "create_instance": lambda w, u, x: instance_actions.create_instance(
        u, {"name": "Table", "kind": "table", "basis": "thematic", "level": "local", "rls": w.rls}
    ),
    "add_member": lambda w, u, x: instance_actions.add_membership(
        u, x["local"], {"organization": w.org_b, "person": w.person_b, "start_date": datetime.date(2024, 1, 1)}
    ),
    "schedule_meeting": lambda w, u, x: meeting_actions.schedule_meeting(
        u, x["local"], {"title": "R", "starts_at": at(3), "ends_at": at(3, 16)}
    ),
    "add_follow_up": lambda w, u, x: meeting_actions.add_follow_up(
        u, x["meeting"], {"description": "Suivi", "owner_organization": w.org_a}
    ),
    "open_round": lambda w, u, x: priority_actions.open_round(u, x["exercise"]),
    "cast_ballot": lambda w, u, x: priority_actions.cast_ballot(
        u, x["exercise"], w.person_a, {x["exercise"].candidates.get().pk: 1}
    ),
    "propose": lambda w, u, x: priority_actions.propose_candidate(
        u, x["collecting"], {"title": "Logement", "origin": "local_actors", "proposed_by": w.org_a}
    ),
    "add_action": lambda w, u, x: plan_actions.add_action(u, x["objective"], {"title": "A", "lead": w.org_a}),
}
RUN_INSTANCE = {"add_member", "schedule_meeting", "add_follow_up", "open_round", "add_action"}
ALLOWED = {
    "admin": {"create_instance", "cast_ballot", *RUN_INSTANCE},
    "coordinator": {"create_instance", "cast_ballot", *RUN_INSTANCE},
    "named": {"cast_ballot", *RUN_INSTANCE},
    "other_coordinator": set(),
    "analyst": set(),
    "rep_a": {"cast_ballot", "propose"},  # votes as themself; proposes for the organisation they represent
    "rep_b": set(),
}
# Refused on a field (400) rather than 403: the other RLS's coordinator creates instances, but not in this RLS;
# the administrator holds every permission but proposes for no organisation; org B's representative (org B sits
# on the committee too) proposes for org B, not for org A.
REFUSED_ON_A_FIELD = {("other_coordinator", "create_instance"), ("admin", "propose"), ("rep_b", "propose")}


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_role_action_table(world, ves, meeting, objective, named, voting, role, name):
    user = named if role == "named" else getattr(world, role)
    collecting = priority_actions.create_exercise(world.admin, ves["local"], {"title": "Besoins 2027"})
    objects = {"local": ves["local"], "meeting": meeting, "exercise": voting, "objective": objective,
               "collecting": collecting}  # fmt: skip
    if name == "open_round":
        priority_actions.close_round(world.admin, voting, close_exercise=False)
    if name in ALLOWED[role]:
        ACTIONS[name](world, user, objects)
        return
    before = state()
    expected = ValidationError if (role, name) in REFUSED_ON_A_FIELD else PermissionDenied
    with pytest.raises(expected):
        ACTIONS[name](world, user, objects)
    assert state() == before


def test_a_participant_votes_for_themself_only(world, voting):
    candidate = voting.candidates.get()
    with pytest.raises(PermissionDenied):
        priority_actions.cast_ballot(world.rep_a, voting, world.person_b, {candidate.pk: 1})
    assert not voting.rounds.get().ballots.exists()
    response = api(world.rep_a).post(
        f"/api/v1/priority-exercises/{voting.pk}/ballots/",
        {"voter": world.person_b.pk, "choices": {str(candidate.pk): 1}},
        format="json",
    )
    assert response.status_code == 403
