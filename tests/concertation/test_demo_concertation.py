"""The concertation part of the demo network (concertation/demo_data.py), loaded by `load_demo`.

The demo is loaded once for the module, inside a transaction rolled back at the end (as TestCase.setUpTestData
does); each test runs in its own savepoint on top of it.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from concertation import demo_data
from concertation.actions.priorities import eligible_voters
from concertation.analytics import participation_by_year
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
    Demarche,
    DemarcheStage,
    FollowUp,
    Indicator,
    Instance,
    Meeting,
    Membership,
    Objective,
    PriorityExercise,
    VotingRound,
    Workshop,
    WorkshopSelection,
)
from concertation.results import exercise_results
from core.models import AuditEvent, User
from registry.models import Affiliation, Organization, Person

pytestmark = pytest.mark.django_db

MODELS = [
    Instance, Membership, Delegation, Meeting, AgendaItem, Attendance, Decision, FollowUp, PriorityExercise,
    Candidate, Workshop, WorkshopSelection, VotingRound, Ballot, BallotChoice, Demarche, DemarcheStage, ActionPlan,
    Objective, Action, Indicator, Organization, AuditEvent,
]  # fmt: skip


def instance(kind: str, **filters) -> Instance:
    return Instance.objects.get(kind=kind, **filters)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_reports_the_concertation(demo):
    assert "Concertation : 9 instances" in demo


def test_idempotent(demo):
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "(0 enregistrements créés par ce chargement)" in out.getvalue()
    call_command("load_demo_concertation", stdout=StringIO())
    assert counts() == before


def test_the_ves_structure(demo):
    assembly = instance("assembly")
    coordination = instance("coordination_committee")
    assert (assembly.basis, assembly.level, assembly.parent, assembly.territory.kind) == (
        "territorial",
        "local",
        None,
        "rls",
    )
    assert coordination.parent == assembly
    locals_ = list(Instance.objects.filter(kind="local_action_committee"))
    assert len(locals_) == 5
    assert {c.parent for c in locals_} == {coordination}
    assert {c.territory.kind for c in locals_} == {"community"}
    # Each local committee delegates one of its members to the coordination committee (a delegate seat).
    delegations = Delegation.objects.select_related("source__instance", "seat__instance")
    assert sorted(d.source.instance.name for d in delegations) == sorted(c.name for c in locals_)
    for delegation in delegations:
        assert delegation.seat.instance == coordination
        assert delegation.seat.role == Membership.Role.DELEGATE
        assert (delegation.seat.organization, delegation.seat.person) == (
            delegation.source.organization,
            delegation.source.person,
        )
    table = instance("table")
    assert table.basis == "thematic" and table.theme
    joint = instance("joint_committee")
    assert not joint.is_public
    assert list(joint.coordinators.values_list("username", flat=True)) == ["cab"]


def test_the_assembly_participation_curve(demo):
    series = {row["year"]: row["organizations"] for row in participation_by_year(instance("assembly"))}
    assert (series[2010], series[2012]) == (16, 44)
    assert 25 <= series[2011] <= 35
    assert max(series.values()) == 44
    # The decline from 2013: never back up, well below the peak.
    years = sorted(y for y in series if y >= 2012)
    assert all(series[a] >= series[b] for a, b in zip(years, years[1:], strict=False))
    assert series[2013] < 44 and series[2015] < 30
    for year, expected in demo_data.ASSEMBLY_CURVE.items():
        assert series[year] == expected
    # Organisations of the early years that no longer exist are archived in the registry.
    gone = Organization.objects.filter(name__in=[o.name for o in demo_data.HISTORICAL_ORGANIZATIONS])
    assert gone.count() == len(demo_data.HISTORICAL_ORGANIZATIONS)
    assert all(org.archived_at for org in gone)


def test_representatives_are_affiliated_with_their_organisation(demo):
    memberships = Membership.objects.filter(person__isnull=False, organization__isnull=False)
    assert memberships.count() > 100
    affiliated = Affiliation.objects.filter(person_id=F("person_id"))
    for membership in memberships.select_related("person", "organization"):
        assert affiliated.filter(person=membership.person, organization=membership.organization).exists(), membership
    assert not Membership.objects.filter(end_date__lt=F("start_date")).exists()
    # The CSSS's manager change of 2013 shows in the assembly's chair: three successive representatives.
    cisss = Membership.objects.filter(
        instance__kind="assembly", organization__name__startswith="CISSS", role=Membership.Role.CHAIR
    )
    assert [str(m.person) for m in cisss.order_by("start_date")] == [
        "Marc-André Pelletier",
        "Isabelle Gagné",
        "Geneviève Lapointe",
    ]


def test_three_years_of_meetings_and_the_assemblys_first_years(demo):
    assembly = instance("assembly")
    history = datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC)
    held = Meeting.objects.filter(status__in=["held", "approved"]).exclude(starts_at__lt=history)
    # Three years up to now, and a few weeks ahead (the demo follows the day it is loaded).
    today = timezone.localdate()
    this_year = today.year
    first = timezone.localtime(held.earliest("starts_at").starts_at).date()
    assert (
        datetime.date(this_year - 3, today.month, 1)
        <= first
        <= datetime.date(this_year - 3, today.month, 28) + (datetime.timedelta(days=62))
    )
    assert not held.filter(starts_at__gt=timezone.now()).exists()
    for year in (*range(2010, 2016), this_year - 2, this_year - 1):
        assert assembly.meetings.filter(starts_at__year=year).count() == 2, year  # twice a year
    for committee in Instance.objects.filter(kind__in=["coordination_committee", "local_action_committee"]):
        assert committee.meetings.filter(status__in=["held", "approved"]).count() >= 10
    assert not Meeting.objects.filter(ends_at__lte=F("starts_at")).exists()
    for meeting in Meeting.objects.all():
        assert meeting.hours == round((meeting.ends_at - meeting.starts_at).total_seconds() / 3600, 2)
    # What comes next: planned or convened meetings; one cancelled meeting.
    assert Meeting.objects.filter(status__in=["planned", "convened"]).exists()
    assert Meeting.objects.filter(status="cancelled").count() == 1
    # Minutes: each held meeting's minutes approved at the next one, the last one awaiting approval; the assembly's
    # first years apart (its last meeting of 2015 approved without a meeting, the assembly not meeting again until
    # the years the demo follows).
    first_years = list(assembly.meetings.filter(starts_at__lt=history).order_by("starts_at"))
    assert {m.status for m in first_years} == {"approved"} and first_years[-1].minutes_approved_in is None
    for previous, following in zip(first_years, first_years[1:], strict=False):
        assert previous.minutes_approved_in_id == following.pk
    for committee in Instance.objects.all():
        meetings = list(
            committee.meetings.filter(status__in=["held", "approved"], starts_at__gte=history).order_by("starts_at")
        )
        assert [m.status for m in meetings] == ["approved"] * (len(meetings) - 1) + ["held"]
        for previous, following in zip(meetings, meetings[1:], strict=False):
            assert previous.minutes_approved_in_id == following.pk
    assert not AgendaItem.objects.filter(meeting__status__in=["held", "approved"], minutes="").exists()
    assert AgendaItem.objects.filter(title__startswith="Adoption du compte rendu").exists()


def test_decisions_follow_ups_and_attendance(demo):
    modes = Decision.objects.values_list("mode", flat=True)
    assert {"consensus", "vote", "deferred"} <= set(modes)
    votes = Decision.objects.filter(mode="vote")
    assert not votes.filter(Q(votes_for=None) | Q(votes_against=None) | Q(abstentions=None)).exists()
    assert not Decision.objects.exclude(mode="vote").exclude(votes_for=None).exists()
    assert votes.exclude(dissent="").exists()
    # Follow-ups: most closed at the next meeting, some still open and carried over.
    assert FollowUp.objects.filter(status="done", closed_in__isnull=False).count() > 50
    open_items = FollowUp.objects.filter(status__in=["open", "in_progress"])
    assert open_items.count() >= 5 and not open_items.exclude(closed_in=None).exists()
    oldest = open_items.order_by("meeting__starts_at").first()
    assert oldest.instance.meetings.filter(starts_at__gt=oldest.meeting.starts_at).count() >= 5  # carried over
    for item in FollowUp.objects.exclude(owner_person=None).select_related("owner_person"):
        assert item.owner_person.affiliations.filter(organization=item.owner_organization_id).exists()
    # Attendance: taken at held meetings only, organisation denormalised, substitutes from the same organisation.
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present", "excused", "absent"}
    assert not Attendance.objects.exclude(meeting__status__in=["held", "approved"]).exists()
    assert (
        not Attendance.objects.filter(organization__isnull=False)
        .exclude(organization=F("membership__organization"))
        .exists()
    )
    citizens = Attendance.objects.filter(membership__organization__isnull=True)
    assert citizens.exists() and not citizens.exclude(organization=None).exists()
    assert not citizens.exclude(substitute=None).exists()  # a citizen sits in person
    assert not Attendance.objects.exclude(meeting__instance=F("membership__instance")).exists()
    substitutes = Attendance.objects.exclude(substitute=None).select_related("substitute", "membership")
    assert substitutes.exists()
    for row in substitutes:
        assert row.substitute_id != row.membership.person_id
        assert row.substitute.affiliations.filter(organization=row.organization_id).exists()


def current_exercise() -> PriorityExercise:
    past = [p.title for p in demo_data.PAST_EXERCISES]
    return PriorityExercise.objects.exclude(title__in=past).get(instance__kind="assembly")


def test_completed_priority_exercise(demo):
    exercise = current_exercise()
    assert exercise.status == "closed"
    origins = set(exercise.candidates.values_list("origin", flat=True))
    assert origins == {"local_actors", "institution", "ministry", "evidence", "population"}
    assert exercise.workshops.count() == 5
    assert not exercise.workshops.annotate(n=Count("selections")).filter(n=0).exists()
    assert not exercise.workshops.annotate(n=Count("participants")).filter(n=0).exists()
    (plenary,) = exercise.rounds.all()
    assert plenary.opened_at and plenary.closed_at and not plenary.is_open
    voters = plenary.ballots.count()
    assert voters == len(demo_data.PLENARY_VOTERS)
    assert exercise.secret and not BallotChoice.objects.exclude(ballot=None).exists()
    adherents = dict(
        Candidate.objects.filter(exercise=exercise)
        .annotate(n=Count("choices__ballot_key", distinct=True))
        .values_list("title", "n")
    )
    assert adherents == {c.title: c.adherents for c in demo_data.CANDIDATES}
    retained = [title for title, n in adherents.items() if n * 100 > exercise.threshold * voters]
    assert len(retained) == 5
    # What the results page shows: five retained priorities, three of them from local actors.
    results = exercise_results(exercise)
    assert (results["voters"], results["retained"]) == (20, 5)
    assert results["origins"] == {"local": 3, "institutional": 1, "evidence": 1}
    assert results["local_share"] == 60.0
    # Per committee: the local committees' own priorities, then those proposed by organisations.
    committees = {c["name"]: c for c in results["committees"]}
    plateau = committees["Comité d'action locale du Plateau"]
    assert [row["origin"] for row in plateau["candidates"]] == ["local_actors", "population"]
    assert plateau["retained"] == 1
    assert results["committees"][-1]["id"] is None
    # Every voter could vote in that plenary.
    eligible = set(eligible_voters(exercise).values_list("pk", flat=True))
    assert set(plenary.ballots.values_list("voter", flat=True)) <= eligible
    # The plenary's voters include the demo accounts' people, who vote through their account.
    assert plenary.ballots.filter(voter__account__username="popote").exists()


def test_demarche_and_action_plan(demo):
    demarche = Demarche.objects.get(instance__kind="assembly")
    stages = list(demarche.stages.order_by("order"))
    assert [s.kind for s in stages] == [k for k, _ in DemarcheStage.Kind.choices]
    assert [s.status for s in stages] == ["done"] * 5 + ["in_progress", "not_started"]
    plan = ActionPlan.objects.get(demarche=demarche)
    objectives = list(plan.objectives.all())
    assert 4 <= len(objectives) <= 5
    for objective in objectives:
        assert objective.actions.exists() and objective.indicators.exists()
    actions = Action.objects.filter(objective__plan=plan)
    assert not actions.filter(lead=None).exists()
    assert actions.annotate(n=Count("contributors")).filter(n__gt=0).count() >= 8
    assert {"done", "in_progress", "late", "not_started", "cancelled"} <= set(actions.values_list("status", flat=True))
    assert not Indicator.objects.filter(objective__plan=plan).filter(Q(target=None) | Q(measured=None)).exists()


def test_demo_accounts_are_people_of_the_network(demo):
    for username, name in demo_data.ACCOUNT_PEOPLE.items():
        person = Person.objects.get(account__username=username)
        assert str(person) == name
    popote = Person.objects.get(account__username="popote")
    assert Membership.objects.active_on(Meeting.objects.latest("starts_at").starts_at.date()).filter(
        person=popote, instance__kind="local_action_committee"
    )
    assert User.objects.get(username="coordination").roles.filter(role="coordinator", rls__kind="rls").exists()


def test_pages_of_the_demo_render(demo, client):
    client.force_login(User.objects.get(username="coordination"))
    assembly = instance("assembly")
    meeting = assembly.meetings.filter(status="approved").first()
    for url in [
        reverse("concertation:instance_detail", args=[assembly.pk]),
        reverse("concertation:meeting_detail", args=[meeting.pk]),
        reverse("concertation:instance_analytics", args=[assembly.pk]),
        reverse("concertation:structure", args=[assembly.rls_id]),
        reverse("concertation:exercise_results", args=[current_exercise().pk]),
        reverse("concertation:plan_detail", args=[assembly.action_plans.get().pk]),
        reverse("concertation:demarche_detail", args=[assembly.demarches.get().pk]),
        reverse("concertation:concertation_load") + f"?territory={assembly.rls_id}&year={meeting.starts_at.year}",
    ]:
        assert client.get(url).status_code == 200, url
    # A member of the popote sees the public instances and her local committee, not the private joint committee.
    client.force_login(User.objects.get(username="popote"))
    assert client.get(reverse("concertation:instance_detail", args=[assembly.pk])).status_code == 200
    joint = instance("joint_committee")
    assert client.get(reverse("concertation:instance_detail", args=[joint.pk])).status_code == 404


@pytest.mark.parametrize("today", [datetime.date(2027, 1, 10), datetime.date(2026, 6, 20)])
def test_loads_whatever_the_day(demo, today):
    """Meetings follow the day of loading: early January (nothing held yet this year) and mid-June work too."""
    Instance.objects.update(parent=None)
    Instance.objects.all().delete()
    counts = demo_data.load(User.objects.get(username="admin"), today=today)
    assert counts.instances == 9 and counts.meetings > 100
    held = Meeting.objects.filter(status__in=["held", "approved"], starts_at__year__gt=2015)
    assert timezone.localtime(held.earliest("starts_at").starts_at).date() >= datetime.date(
        today.year - 3, today.month, 1
    )
    assert timezone.localtime(held.latest("starts_at").starts_at).date() <= today
    assert Meeting.objects.filter(status__in=["planned", "convened"]).exists()
    assert Meeting.objects.filter(status="cancelled").count() == 1
    assert current_exercise().rounds.get().closed_at.year == today.year - 1
    assert Meeting.objects.filter(instance__kind="assembly", starts_at__year__lte=2015).count() == 12
    assert FollowUp.objects.filter(status__in=["open", "in_progress"]).exists()
    # The assembly voted its priorities at its spring meeting last year.
    spring = Meeting.objects.get(instance__kind="assembly", starts_at__year=today.year - 1, starts_at__month=5)
    assert spring.agenda_items.filter(title__startswith="Priorités").exists()


def test_the_assemblys_first_years_tell_the_turn(demo):
    """2010–2012: priorities from the milieux, votes with dissent, a chair shared by the CDC and the CSSS; from the
    autumn of 2013: the CSSS's programme priorities, the CSSS alone in the chair, fewer community members present."""
    assembly = instance("assembly")
    meetings = list(assembly.meetings.filter(starts_at__year__lte=2015).order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).month for m in meetings] == [5, 11] * 6

    def chairs(day: datetime.date) -> set[str]:
        active = Membership.objects.active_on(day).filter(instance=assembly, role=Membership.Role.CHAIR)
        return set(active.values_list("organization__sector", flat=True))

    assert chairs(datetime.date(2011, 11, 16)) == {"community", "public"}
    assert chairs(datetime.date(2014, 5, 14)) == {"public"}
    # Attendance follows the seats of the day; votes count the members present.
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        seats = Membership.objects.active_on(day).filter(instance=assembly)
        assert meeting.attendances.count() == seats.count()
        present = meeting.attendances.filter(status="present").count()
        for decision in meeting.decisions.filter(mode="vote"):
            assert decision.votes_for + decision.votes_against + decision.abstentions == present

    def community_present(year: int) -> int:
        rows = Attendance.objects.filter(meeting__in=meetings, meeting__starts_at__year=year, status="present")
        return rows.filter(organization__sector__in=["community", "citizen_group"]).count()

    assert community_present(2014) < community_present(2012) * 2 / 3
    early = Decision.objects.filter(meeting__in=meetings[:6])
    late = Decision.objects.filter(meeting__in=meetings[8:])
    assert early.filter(mode="vote").exclude(dissent="").count() >= 3
    assert not late.exclude(dissent="").exists() and not late.filter(votes_against__gt=0).exists()
    # What the assembly decides from 2014: the institution's programme, its tools and its frameworks.
    institutional = Q(text__contains="CSSS") | Q(text__contains="CISSS") | Q(text__contains="SAPA")
    assert late.count() >= 4 and not late.exclude(institutional).exists()
    # Two plenaries: local actors' priorities retained in 2011, the institution's and the ministry's in 2014.
    for past, wanted in zip(
        [demo_data.PAST_EXERCISES[0], demo_data.PAST_EXERCISES[-1]],
        [{"local": 4}, {"institutional": 3, "local": 1}],
        strict=True,
    ):
        results = exercise_results(PriorityExercise.objects.get(title=past.title))
        assert {k: v for k, v in results["origins"].items() if v} == wanted, past.title


def test_two_citizens_sit_on_a_local_committee_as_themselves(demo):
    plateau = instance("local_action_committee", name="Comité d'action locale du Plateau")
    seats = plateau.memberships.filter(organization=None).select_related("person")
    assert sorted(str(seat.person) for seat in seats) == ["Gilles Ouimet", "Monique Tardif"]
    for seat in seats:
        assert seat.role == Membership.Role.CITIZEN and seat.end_date is None
        assert seat.person.decision_level == "citizen" and not seat.person.affiliations.exists()
    series = participation_by_year(plateau)
    assert series[-1]["citizens"] == 2
    assert series[-1]["organizations"] >= 6  # the organisations, counted apart
