"""The same input through the page and through the API, for each write of the concertation module: the same outcome
(accepted and written alike, or refused on the same field, with the same message when the action refuses it), and
nothing written on refusal. The machinery is in tests/parity.py."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from concertation.actions import instances as instance_actions
from concertation.actions import meetings as meeting_actions
from concertation.actions import plans as plan_actions
from concertation.actions import priorities as priority_actions
from concertation.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidate,
    Decision,
    Delegation,
    DemarcheStage,
    FollowUp,
    Indicator,
    Instance,
    Meeting,
    Membership,
    PriorityExercise,
    Workshop,
)
from tests.factories import AffiliationFactory, PersonFactory
from tests.parity import ACCEPTED, Case, api_as, check, state_of

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def objects(world, ves) -> dict:
    """The VES structure, a meeting held yesterday and one cancelled, a démarche and a plan, an exercise collecting
    candidates and one at its plenary vote, and Odile, affiliated with an organisation of the other RLS."""
    admin, local = world.admin, ves["local"]
    member_b = instance_actions.add_membership(
        admin, local, {"organization": world.org_b, "person": world.person_b, "start_date": datetime.date(2020, 1, 1)}
    )
    outsider = PersonFactory(first_name="Odile", last_name="Horizon-Lointain")
    AffiliationFactory(person=outsider, organization=world.org_elsewhere)
    # Alice, org A's representative on the local committee, votes with her own account (rep_a).
    world.person_a.account = world.rep_a
    world.person_a.save()
    meeting = meeting_actions.schedule_meeting(admin, local, {"title": "Rencontre", "starts_at": at(-1, 14),
                                                              "ends_at": at(-1, 16)})  # fmt: skip
    cancelled = meeting_actions.schedule_meeting(admin, local, {"title": "Annulée", "starts_at": at(7, 14),
                                                                "ends_at": at(7, 16)})  # fmt: skip
    meeting_actions.set_meeting_status(admin, cancelled, Meeting.Status.CANCELLED)
    demarche = plan_actions.start_demarche(admin, local, {"title": "Démarche du Val"})
    plan = plan_actions.create_plan(admin, local, {"title": "Plan 2025"})
    objective = plan_actions.add_objective(admin, plan, {"title": "Briser l'isolement"})
    exercise = priority_actions.create_exercise(admin, local, {"title": "Priorités 2025"})
    plenary = priority_actions.create_exercise(admin, local, {"title": "Plénière"})
    candidate = priority_actions.add_candidate(admin, plenary, {"title": "Transport", "origin": "local_actors"})
    priority_actions.open_round(admin, plenary)
    return {
        **{name: getattr(world, name) for name in ("rls", "other_rls", "town", "org_a", "org_b", "org_elsewhere",
                                                    "person_a", "person_b")},
        "assembly": ves["assembly"], "coordination": ves["coordination"], "local": local,
        "member_a": ves["member_a"], "member_b": member_b, "outsider": outsider, "meeting": meeting,
        "cancelled": cancelled, "demarche": demarche, "stage": demarche.stages.order_by("order").first(),
        "plan": plan, "objective": objective, "exercise": exercise, "plenary": plenary, "candidate": candidate,
    }  # fmt: skip


# What an accepted write left, read back from the database (no ids of rows the write itself created).


def _instance(name: str):
    fields = ["name", "kind", "basis", "level", "theme", "rls", "territory", "parent", "mandate", "is_public",
              "support_organization", "opened_on", "closed_on"]  # fmt: skip
    return lambda o: Instance.objects.filter(name=name).values(*fields).get()


def _membership(o):
    return list(Membership.objects.filter(instance=o["local"], organization=o["org_b"])
                .values("person", "role", "start_date", "end_date").order_by("pk"))  # fmt: skip


def _delegation(o):
    row = Delegation.objects.select_related("seat").get(source=o["member_a"])
    return [row.seat.instance_id, row.seat.organization_id, row.seat.person_id, row.seat.role, row.seat.start_date]


def _meeting(o):
    fields = ["title", "starts_at", "ends_at", "location", "video_url", "status", "hours"]
    return Meeting.objects.filter(instance=o["local"], title="Rencontre de mars").values(*fields).get()


def _agenda(o):
    return list(AgendaItem.objects.filter(meeting=o["meeting"]).values("order", "title", "description", "minutes"))


def _decision(o):
    fields = ["agenda_item", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"]
    return list(Decision.objects.filter(meeting=o["meeting"]).values(*fields))


def _follow_up(o):
    fields = ["description", "owner_organization", "owner_person", "due_date", "status", "closed_in", "instance"]
    return list(FollowUp.objects.filter(meeting=o["meeting"]).values(*fields))


def _attendance(o):
    rows = Attendance.objects.filter(meeting=o["meeting"]).order_by("membership")
    return list(rows.values("membership", "organization", "status", "substitute"))


def _exercise(o):
    fields = ["title", "description", "status", "method", "points_per_voter", "threshold", "secret"]
    return PriorityExercise.objects.filter(title="Priorités du Val").values(*fields).get()


def _candidate(o):
    fields = ["title", "description", "origin", "proposed_by", "proposed_by_instance"]
    return list(Candidate.objects.filter(exercise=o["exercise"]).values(*fields))


def _workshop(o):
    workshop = Workshop.objects.get(exercise=o["exercise"])
    exercise = PriorityExercise.objects.get(pk=o["exercise"].pk)
    return [workshop.name, sorted(p.pk for p in workshop.participants.all()), exercise.status]


def _ballot(o):
    ballots = Ballot.objects.filter(round__exercise=o["plenary"])
    choices = BallotChoice.objects.filter(round__exercise=o["plenary"])
    return [list(ballots.values_list("voter", "recorded_by")), list(choices.values_list("candidate", "points"))]


def _stage(o):
    return (
        DemarcheStage.objects.filter(pk=o["stage"].pk).values("status", "start_date", "end_date", "deliverables").get()
    )


def _plan(o):
    return ActionPlan.objects.filter(title="Plan du Val").values("instance", "demarche", "start_date", "end_date").get()


def _action(o):
    action = Action.objects.get(objective=o["objective"])
    row = {name: getattr(action, name) for name in ("title", "lead_id", "resources", "deadline", "status")}
    return {**row, "contributors": sorted(c.pk for c in action.contributors.all())}


def _indicator(o):
    fields = ["name", "unit", "target", "measured", "measured_on"]
    return list(Indicator.objects.filter(objective=o["objective"]).values(*fields))


INSTANCE = {"name": "Table des aînés du Val", "kind": "table", "basis": "thematic", "level": "local", "rls": "RLS",
            "theme": "Aînés", "mandate": "Se concerter sur le vieillissement.", "is_public": True}  # fmt: skip
LOCAL = {"name": "Comité d'action locale de Saint-Clément", "kind": "local_action_committee", "basis": "territorial",
         "level": "local", "rls": "RLS", "territory": "TOWN", "parent": "COORDINATION",
         "opened_on": "2020-01-01"}  # fmt: skip
MEMBER = {"organization": "ORG_B", "person": "PERSON_B", "role": "observer", "start_date": "2024-01-01"}
MARCH = {"title": "Rencontre de mars", "location": "Salle municipale"}
# The page asks for a day and two times; the API takes two instants (ISO 8601, here in Montreal's winter time).
MARCH_PAGE = {"date": "2024-03-05", "start_time": "14:00", "end_time": "16:00"}
MARCH_API = {"starts_at": "2024-03-05T14:00:00-05:00", "ends_at": "2024-03-05T16:00:00-05:00"}
# The page lays out the attendance as two fields per membership (status_<id>, substitute_<id>); the API takes rows.
ATTENDANCE_PAGE = {"status_{member_a}": "present", "substitute_{member_a}": "PERSON_A", "status_{member_b}": "excused"}
ATTENDANCE_API = {"rows": [{"membership": "MEMBER_A", "status": "present", "substitute": "PERSON_A"},
                           {"membership": "MEMBER_B", "status": "excused"}]}  # fmt: skip
EXERCISE = {"title": "Priorités du Val", "description": "Trois priorités pour 2025.", "method": "points",
            "points_per_voter": 3, "threshold": 40, "secret": False}  # fmt: skip
ACTION = {"title": "Visites d'amitié", "lead": "ORG_A", "contributors": ["ORG_B"], "resources": "Deux bénévoles",
          "deadline": "2025-06-30", "status": "in_progress"}  # fmt: skip
STAGE = {"status": "in_progress", "start_date": "2024-01-15", "deliverables": "Un portrait du territoire"}

CASES = {
    # Instances --------------------------------------------------------------------------------------------------
    "instance_create": Case(
        "coordinator", ("concertation:instance_create",), "post /instances/", INSTANCE,
        read=_instance(INSTANCE["name"]),
    ),
    "instance_territorial_without_territory": Case(
        "coordinator", ("concertation:instance_create",), "post /instances/", {**INSTANCE, "basis": "territorial"},
        "territory",
    ),
    "instance_support_organisation_of_another_rls": Case(
        # The administrator is offered every organisation on both sides: the action refuses.
        "admin", ("concertation:instance_create",), "post /instances/",
        {**INSTANCE, "support_organization": "ORG_ELSEWHERE"}, "support_organization",
    ),
    # A form sends every field and the API's PATCH only those given: the case sends them all to both.
    "instance_edit": Case(
        "coordinator", ("concertation:instance_edit", "local"), "patch /instances/{local}/",
        {**LOCAL, "name": "CAL de Saint-Clément", "mandate": "Agir localement.", "support_organization": "ORG_A"},
        read=_instance("CAL de Saint-Clément"),
    ),
    "instance_closed_before_opened": Case(
        "coordinator", ("concertation:instance_edit", "local"), "patch /instances/{local}/",
        {**LOCAL, "closed_on": "2019-12-31"}, "closed_on",
    ),
    # Memberships and delegations: the page has the instance in its address, the API in the body ----------------
    "membership_add": Case(
        "coordinator", ("concertation:membership_add", "local"), "post /memberships/", MEMBER,
        api_only={"instance": "LOCAL"}, read=_membership,
    ),
    "membership_organisation_of_another_rls": Case(
        # The coordinator is neither offered it by the page nor by the API (each says so in its own words).
        "coordinator", ("concertation:membership_add", "local"), "post /memberships/",
        {**MEMBER, "organization": "ORG_ELSEWHERE", "person": None}, "organization", api_only={"instance": "LOCAL"},
        same_message=False,
    ),
    "membership_person_not_affiliated": Case(
        "coordinator", ("concertation:membership_add", "local"), "post /memberships/",
        {**MEMBER, "organization": "ORG_A"}, "person", api_only={"instance": "LOCAL"},
    ),
    "membership_person_of_another_rls": Case(
        "coordinator", ("concertation:membership_add", "local"), "post /memberships/",
        {**MEMBER, "organization": "ORG_A", "person": "OUTSIDER"}, "person", api_only={"instance": "LOCAL"},
        same_message=False,
    ),
    "delegation_add": Case(
        "coordinator", ("concertation:delegation_add", "local", "member_a"),
        "post /memberships/{member_a}/delegations/", {"to_instance": "ASSEMBLY", "start_date": "2024-09-01"},
        read=_delegation,
    ),
    # Meetings -----------------------------------------------------------------------------------------------
    "meeting_in_the_past": Case(
        # Recording a past meeting is allowed (a meeting held before the platform): both accept it.
        "coordinator", ("concertation:meeting_create", "local"), "post /meetings/", MARCH,
        page_only=MARCH_PAGE, api_only={**MARCH_API, "instance": "LOCAL"}, read=_meeting,
    ),
    "meeting_ends_before_it_starts": Case(
        # The action says "ends_at"; the page shows it next to its end time.
        "coordinator", ("concertation:meeting_create", "local"), "post /meetings/", MARCH,
        "ends_at", page_only={**MARCH_PAGE, "end_time": "13:00"},
        api_only={"instance": "LOCAL", "starts_at": MARCH_API["starts_at"], "ends_at": "2024-03-05T13:00:00-05:00"},
        page_field="end_time",
    ),
    "agenda_item": Case(
        # The agenda form is embedded in the meeting page, under the prefix "agenda".
        "coordinator", ("concertation:agenda_item_add", "meeting"), "post /meetings/{meeting}/agenda-items/",
        {"title": "Bilan des visites", "description": "Présenté par la popote"}, prefix="agenda", read=_agenda,
    ),
    "agenda_item_of_a_cancelled_meeting": Case(
        "coordinator", ("concertation:agenda_item_add", "cancelled"), "post /meetings/{cancelled}/agenda-items/",
        {"title": "Bilan"}, 409, prefix="agenda",
    ),
    "decision_by_vote": Case(
        "coordinator", ("concertation:decision_add", "meeting"), "post /meetings/{meeting}/decisions/",
        {"text": "Adopter le plan", "mode": "vote", "votes_for": 7, "votes_against": 1, "abstentions": 0,
         "dissent": "Le CAB préfère attendre."},
        read=_decision,
    ),
    "decision_vote_without_counts": Case(
        "coordinator", ("concertation:decision_add", "meeting"), "post /meetings/{meeting}/decisions/",
        {"text": "Adopter le plan", "mode": "vote", "votes_for": 7}, "votes_against",
    ),
    "decision_counts_without_a_vote": Case(
        "coordinator", ("concertation:decision_add", "meeting"), "post /meetings/{meeting}/decisions/",
        {"text": "Adopter le plan", "mode": "consensus", "votes_for": 7}, "votes_for",
    ),
    "follow_up": Case(
        "coordinator", ("concertation:follow_up_add", "meeting"), "post /meetings/{meeting}/follow-ups/",
        {"description": "Appeler la mairie", "owner_organization": "ORG_A", "owner_person": "PERSON_A",
         "due_date": "2025-02-01", "status": "open"},
        read=_follow_up,
    ),
    "follow_up_owner_of_another_rls": Case(
        "coordinator", ("concertation:follow_up_add", "meeting"), "post /meetings/{meeting}/follow-ups/",
        {"description": "Appeler la mairie", "owner_person": "OUTSIDER", "status": "open"}, "owner_person",
        same_message=False,
    ),
    "follow_up_owner_not_of_the_organisation": Case(
        "coordinator", ("concertation:follow_up_add", "meeting"), "post /meetings/{meeting}/follow-ups/",
        {"description": "Appeler la mairie", "owner_organization": "ORG_A", "owner_person": "PERSON_B",
         "status": "open"},
        "owner_person",
    ),
    "attendance": Case(
        "coordinator", ("concertation:meeting_attendance", "meeting"), "post /meetings/{meeting}/attendance/",
        page_only=ATTENDANCE_PAGE, api_only=ATTENDANCE_API, read=_attendance,
    ),
    "attendance_substitute_of_another_rls": Case(
        "coordinator", ("concertation:meeting_attendance", "meeting"), "post /meetings/{meeting}/attendance/",
        expect="substitute", page_only={**ATTENDANCE_PAGE, "substitute_{member_a}": "OUTSIDER"},
        api_only={"rows": [{**ATTENDANCE_API["rows"][0], "substitute": "OUTSIDER"}, ATTENDANCE_API["rows"][1]]},
        page_field="substitute_{member_a}", api_field="rows", same_message=False,
    ),
    # Priorities -----------------------------------------------------------------------------------------
    "exercise_create": Case(
        "coordinator", ("concertation:exercise_create", "local"), "post /priority-exercises/", EXERCISE,
        api_only={"instance": "LOCAL"}, read=_exercise,
    ),
    "exercise_threshold_out_of_range": Case(
        "coordinator", ("concertation:exercise_create", "local"), "post /priority-exercises/",
        {**EXERCISE, "threshold": 150}, "threshold", api_only={"instance": "LOCAL"},
    ),
    "candidate": Case(
        "coordinator", ("concertation:candidate_add", "exercise"), "post /priority-exercises/{exercise}/candidates/",
        {"title": "Logement", "description": "Des logements abordables", "origin": "local_actors",
         "proposed_by": "ORG_A"},
        read=_candidate,
    ),
    "candidate_proposed_by_another_rls": Case(
        "coordinator", ("concertation:candidate_add", "exercise"), "post /priority-exercises/{exercise}/candidates/",
        {"title": "Logement", "origin": "local_actors", "proposed_by": "ORG_ELSEWHERE"}, "proposed_by",
        same_message=False,
    ),
    # A member's proposal: the page's form sits on the exercise page under the prefix "proposal".
    "proposal": Case(
        "rep_a", ("concertation:candidate_propose", "exercise"), "post /priority-exercises/{exercise}/proposals/",
        {"title": "Transport adapté", "origin": "local_actors", "proposed_by": "ORG_A"}, prefix="proposal",
        read=_candidate,
    ),
    "proposal_on_behalf_of_no_one": Case(
        "rep_a", ("concertation:candidate_propose", "exercise"), "post /priority-exercises/{exercise}/proposals/",
        {"title": "Transport adapté", "origin": "local_actors"}, NON_FIELD_ERRORS, prefix="proposal",
    ),
    "proposal_on_behalf_of_another_organisation": Case(
        "rep_a", ("concertation:candidate_propose", "exercise"), "post /priority-exercises/{exercise}/proposals/",
        {"title": "Transport adapté", "origin": "local_actors", "proposed_by": "ORG_B"}, "proposed_by",
        prefix="proposal", same_message=False,
    ),
    "workshop": Case(
        "coordinator", ("concertation:workshop_add", "exercise"), "post /priority-exercises/{exercise}/workshops/",
        {"name": "Équipe 1", "participants": ["PERSON_A", "PERSON_B"]}, read=_workshop,
    ),
    "workshop_participant_of_another_rls": Case(
        "coordinator", ("concertation:workshop_add", "exercise"), "post /priority-exercises/{exercise}/workshops/",
        {"name": "Équipe 1", "participants": ["PERSON_A", "OUTSIDER"]}, "participants", same_message=False,
    ),
    # The page has a box per candidate (c<id>); the API takes candidate id → points.
    "ballot_as_oneself": Case(
        "rep_a", ("concertation:ballot_cast", "plenary"), "post /priority-exercises/{plenary}/ballots/",
        {"voter": "PERSON_A"}, page_only={"c{candidate}": True}, api_only={"choices": {"{candidate}": 1}},
        read=_ballot,
    ),
    "ballot_for_someone_else": Case(
        # A participant votes as themself only: Alice may not vote for Bruno.
        "rep_a", ("concertation:ballot_cast", "plenary"), "post /priority-exercises/{plenary}/ballots/",
        {"voter": "PERSON_B"}, 403, page_only={"c{candidate}": True}, api_only={"choices": {"{candidate}": 1}},
    ),
    # Démarches and action plans -------------------------------------------------------------------------
    "stage": Case(
        "coordinator", ("concertation:stage_edit", "stage"), "patch /demarches/{demarche}/stages/{stage}/",
        {**STAGE, "end_date": "2024-03-31"}, read=_stage,
    ),
    "stage_ends_before_it_starts": Case(
        "coordinator", ("concertation:stage_edit", "stage"), "patch /demarches/{demarche}/stages/{stage}/",
        {**STAGE, "end_date": "2023-12-31"}, "end_date",
    ),
    "plan_create": Case(
        "coordinator", ("concertation:plan_create", "local"), "post /action-plans/",
        {"title": "Plan du Val", "demarche": "DEMARCHE", "start_date": "2025-01-01", "end_date": "2027-12-31"},
        api_only={"instance": "LOCAL"}, read=_plan,
    ),
    "plan_ends_before_it_starts": Case(
        "coordinator", ("concertation:plan_create", "local"), "post /action-plans/",
        {"title": "Plan du Val", "start_date": "2025-01-01", "end_date": "2024-12-31"}, "end_date",
        api_only={"instance": "LOCAL"},
    ),
    "action": Case(
        "coordinator", ("concertation:action_create", "objective"),
        "post /action-plans/{plan}/objectives/{objective}/actions/", ACTION, read=_action,
    ),
    "action_lead_of_another_rls": Case(
        "coordinator", ("concertation:action_create", "objective"),
        "post /action-plans/{plan}/objectives/{objective}/actions/", {**ACTION, "lead": "ORG_ELSEWHERE"}, "lead",
        same_message=False,
    ),
    "action_contributor_of_another_rls": Case(
        "admin", ("concertation:action_create", "objective"),
        "post /action-plans/{plan}/objectives/{objective}/actions/", {**ACTION, "contributors": ["ORG_ELSEWHERE"]},
        "contributors", same_message=False,
    ),
    "indicator": Case(
        "coordinator", ("concertation:indicator_create", "objective"),
        "post /action-plans/{plan}/objectives/{objective}/indicators/",
        {"name": "Aînés visités", "unit": "personnes", "target": "120.00", "measured": "45.00",
         "measured_on": "2024-06-30"},
        read=_indicator,
    ),
}  # fmt: skip


def test_the_table_covers_accepted_writes_and_refusals():
    accepted = [name for name, case in CASES.items() if case.expect == ACCEPTED]
    assert len(accepted) >= 4 and len(CASES) - len(accepted) >= 4


@pytest.mark.parametrize("name", CASES)
def test_page_and_api_answer_alike(client, world, objects, name):
    case = CASES[name]
    user = getattr(world, case.user)
    client.force_login(user)
    check(case, client, api_as(user), objects, state_of("concertation"))
