"""The synthetic benchmark dataset: deterministic for a seed, consistent tree paths, refuses to pile up; its
concertation part (instances, memberships, meetings, attendance) keeps the models' invariants."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from concertation.models import (
    ActionPlan,
    AgendaItem,
    Attendance,
    Ballot,
    Decision,
    Delegation,
    FollowUp,
    Instance,
    Meeting,
    Membership,
    PriorityExercise,
)
from core.models import User
from registry.management.commands.generate_synthetic import SCALES, place_names
from registry.models import Affiliation, FundingLine, Organization, Person, RoleAssignment, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_synthetic", "--scale", "small", *args, stdout=out)
    return out.getvalue()


def rows(queryset) -> list[tuple]:
    """Sortable whatever the NULLs: every value as text."""
    return sorted(tuple("" if value is None else str(value) for value in row) for row in queryset)


def snapshot() -> dict:
    """What must not depend on database ids: names, counts, the shape of the tree."""
    return {
        "territories": sorted((t.kind, t.name, t.path.count("/")) for t in Territory.objects.all()),
        "organizations": sorted(Organization.objects.values_list("name", "sector", "rls__name", "neq")),
        "people": sorted(Person.objects.values_list("first_name", "last_name", "email", "decision_level")),
        "funding": FundingLine.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "instances": rows(Instance.objects.values_list("name", "kind", "rls__name", "parent__name")),
        "memberships": rows(
            Membership.objects.values_list("instance__name", "organization__name", "person__email", "start_date")
        ),
        "meetings": rows(Meeting.objects.values_list("instance__name", "starts_at", "hours", "status")),
        "attendance": rows(
            Attendance.objects.values_list(
                "meeting__instance__name", "meeting__starts_at", "organization__name", "status", "substitute__email"
            )
        ),
        "attendance_statuses": dict(Attendance.objects.values_list("status").annotate(n=Count("pk"))),
    }


def test_same_seed_gives_the_same_data():
    generate("--seed", "1")
    first = snapshot()
    generate("--seed", "1", "--flush")
    assert snapshot() == first
    generate("--seed", "2", "--flush")
    assert snapshot()["organizations"] != first["organizations"]


def test_small_scale_counts():
    output = generate("--seed", "1")
    assert Territory.objects.filter(kind="health_region").count() == 2
    assert Territory.objects.filter(kind="rls").count() == 4
    assert Territory.objects.filter(kind="municipality").count() == 40
    assert Organization.objects.count() == 300
    assert Person.objects.count() == 750
    assert Affiliation.objects.count() >= 750
    assert FundingLine.objects.exists()
    assert "Durée" in output
    # The concertation, at the density per RLS of the province scale.
    concertation = SCALES["small"].concertation
    assert Instance.objects.count() == concertation.instances
    assert Membership.objects.count() == concertation.memberships
    assert Meeting.objects.count() == concertation.meetings
    assert Attendance.objects.count() == concertation.attendance
    assert AgendaItem.objects.exists() and Decision.objects.exists() and FollowUp.objects.exists()
    assert PriorityExercise.objects.filter(status="closed").count() == concertation.exercises
    assert Ballot.objects.exists()
    assert ActionPlan.objects.count() == concertation.plans
    assert "présences" in output and "concertation : attendance" in output


def test_concertation_structure_and_invariants():
    generate("--seed", "1")
    for rls in Territory.objects.filter(kind="rls"):
        instances = Instance.objects.filter(rls=rls)
        assembly = instances.get(kind="assembly")
        coordination = instances.get(kind="coordination_committee")
        assert coordination.parent == assembly
        local = instances.filter(kind="local_action_committee")
        assert local.exists() and set(local.values_list("parent", flat=True)) == {coordination.pk}
        assert not instances.filter(kind="working_group").exclude(parent__kind="table").exists()
        assert 15 <= instances.count() <= 30
    # Each local committee delegates a member: a delegate seat of the same organisation and person.
    delegations = Delegation.objects.select_related("source__instance", "seat__instance")
    assert delegations.count() == Instance.objects.filter(kind="local_action_committee").count()
    for delegation in delegations:
        assert delegation.seat.instance_id == delegation.source.instance.parent_id
        assert delegation.seat.role == "delegate"
        assert (delegation.seat.organization_id, delegation.seat.person_id) == (
            delegation.source.organization_id,
            delegation.source.person_id,
        )
    assert not Membership.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Membership.objects.exclude(organization__rls=F("instance__rls")).exists()
    assert (
        not Membership.objects.exclude(person=None)
        .exclude(person__affiliations__organization=F("organization"))
        .exists()
    )
    # Meetings: 2015–2025, hours as Meeting.save() computes them, minutes approved at the next meeting.
    assert {m.year for m in Meeting.objects.dates("starts_at", "year")} <= set(range(2015, 2026))
    for meeting in Meeting.objects.all()[:500]:
        assert meeting.hours == round((meeting.ends_at - meeting.starts_at).total_seconds() / 3600, 2)
    approved = Meeting.objects.filter(status="approved")
    assert approved.exists() and not approved.filter(minutes_approved_in=None).exists()
    assert not approved.exclude(minutes_approved_in__instance=F("instance")).exists()
    assert not approved.filter(minutes_approved_in__starts_at__lte=F("starts_at")).exists()
    # Attendance: the organisation is the membership's, the membership sits on the meeting's instance and was
    # active that day; no attendance at a cancelled meeting.
    assert not Attendance.objects.exclude(organization=F("membership__organization")).exists()
    assert not Attendance.objects.exclude(meeting__instance=F("membership__instance")).exists()
    assert not Attendance.objects.filter(meeting__status="cancelled").exists()
    assert not Attendance.objects.filter(
        Q(membership__start_date__gt=F("meeting__starts_at__date"))
        | Q(membership__end_date__lt=F("meeting__starts_at__date"))
    ).exists()
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present", "excused", "absent"}
    assert Attendance.objects.exclude(substitute=None).exists()
    assert not Decision.objects.filter(mode="vote", votes_for=None).exists()
    assert not Decision.objects.exclude(mode="vote").exclude(votes_for=None).exists()


def test_flush_removes_the_concertation():
    generate("--seed", "1")
    generate("--seed", "2", "--flush")
    assert Instance.objects.count() == SCALES["small"].concertation.instances
    assert Attendance.objects.count() == SCALES["small"].concertation.attendance


def test_territory_paths_follow_the_parents():
    generate("--seed", "1")
    for territory in Territory.objects.select_related("parent"):
        parent_path = territory.parent.path if territory.parent else "/"
        assert territory.path == f"{parent_path}{territory.pk}/"
    municipality = Territory.objects.filter(kind="municipality").first()
    assert [t.kind for t in municipality.ancestors()] == ["province", "health_region", "rls", "mrc"]


def test_population_of_a_region_is_the_sum_of_its_municipalities():
    generate("--seed", "1")
    region = Territory.objects.filter(kind="health_region").first()
    municipalities = region.descendants().filter(kind="municipality")
    total = sum(m.latest_population().population for m in municipalities)
    assert region.latest_population().population == total


def test_bench_accounts_have_their_roles():
    generate("--seed", "1")
    assert User.objects.get(username="bench-admin").is_superuser
    coordinator_role = RoleAssignment.objects.get(user__username="bench-coord")
    assert coordinator_role.role == "coordinator"
    # The common case lists a full page (50 rows) of organisations.
    assert Organization.objects.filter(rls=coordinator_role.rls).count() > 50
    assert RoleAssignment.objects.filter(user__username__startswith="coord-rls-").count() == 4


def test_refuses_to_run_twice_without_flush():
    generate("--seed", "1")
    with pytest.raises(CommandError, match="--flush"):
        generate("--seed", "1")
    assert Organization.objects.count() == 300


def test_flush_keeps_other_data(world):
    generate("--seed", "1")
    generate("--seed", "1", "--flush")
    assert Organization.objects.filter(pk=world.org_a.pk).exists()
    assert Organization.objects.count() == 300 + 3


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate("--seed", "1")


def test_the_name_pool_covers_the_province_scale():
    scale = SCALES["province"]
    needed = scale.rls + 2 * scale.rls + scale.municipalities  # RLS, at most two MRCs each, municipalities
    assert len(set(place_names(random.Random(1)))) >= needed
