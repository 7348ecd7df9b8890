"""The synthetic benchmark dataset: deterministic for a seed, consistent tree paths, refuses to pile up; its
concertation part (instances, memberships, meetings, attendance) and its agreements keep the models' invariants."""

import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from agreements.actions.agreements import content_of, required_codes
from agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    FundingAmount,
    NegotiationIssue,
    NegotiationPosition,
    Party,
    PartyContact,
    Report,
    StatusChange,
)
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
from demo.management.commands.generate_synthetic import SCALES, place_names
from demo.synthetic.agreements import REFERENCE_DAY
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
        "agreements": rows(
            Agreement.objects.values_list(
                "title", "kind", "status", "rls__name", "start_date", "end_date", "version", "joint_committee__name"
            )
        ),
        "parties": rows(Party.objects.values_list("agreement__title", "organization__name", "role")),
        "contacts": rows(PartyContact.objects.values_list("party__organization__name", "person__email", "role")),
        "versions": rows(AgreementVersion.objects.values_list("agreement__title", "number", "created_at", "note")),
        "history": rows(StatusChange.objects.values_list("agreement__title", "from_status", "to_status", "at")),
        "reports": rows(Report.objects.values_list("agreement__title", "title", "due_on", "submitted_on")),
        "amounts": rows(FundingAmount.objects.values_list("agreement__title", "year", "amount", "funder__role")),
        "issues": rows(NegotiationIssue.objects.values_list("agreement__title", "subject", "settled_on")),
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
    # The agreements, at the density per RLS of the province scale (20,000 over 93 RLS).
    assert Agreement.objects.count() == SCALES["small"].agreements.agreements == 860
    assert SCALES["province"].agreements.agreements == 20_000
    assert Party.objects.count() >= 2 * 860
    assert AgreementSection.objects.exists() and StatusChange.objects.count() >= 860
    assert AgreementVersion.objects.exists() and Report.objects.exists() and FundingAmount.objects.exists()
    assert NegotiationIssue.objects.exists() and NegotiationPosition.objects.exists()
    assert "ententes" in output and "ententes : texts" in output


def test_agreements_structure_and_invariants():
    generate("--seed", "1")
    S = Agreement.Status
    agreements = Agreement.objects.all()
    # A realistic mix: most in force or expired, every status present.
    statuses = Counter(agreements.values_list("status", flat=True))
    assert set(statuses) == set(S.values)
    assert statuses[S.IN_FORCE] + statuses[S.EXPIRED] > 0.6 * 860
    assert set(agreements.values_list("kind", flat=True)) == set(Agreement.Kind.values)
    # Every RLS has its share (about 215 at either scale, in proportion to its organisations).
    per_rls = Counter(agreements.values_list("rls", flat=True))
    assert len(per_rls) == 4 and min(per_rls.values()) > 100
    # Parties: 2 to 4 organisations of the agreement's RLS, usually with a public institution.
    parties = Counter(Party.objects.values_list("agreement", flat=True))
    assert set(parties.values()) <= {2, 3, 4} and len(parties) == 860
    assert not Party.objects.exclude(organization__rls=F("agreement__rls")).exists()
    assert agreements.filter(parties__organization__sector="public").distinct().count() > 0.6 * 860
    assert not agreements.filter(end_date__lt=F("start_date")).exists()
    # Signatories and respondents belong to their party's organisation.
    assert not PartyContact.objects.exclude(person__affiliations__organization=F("party__organization")).exists()
    # Versions: 1 to 3 for an agreement that was signed, none for a draft; `version` is their number.
    signed = agreements.filter(version__gt=0)
    assert not agreements.filter(status__in=[S.DRAFT, S.NEGOTIATION], version__gt=0).exists()
    assert not agreements.filter(status__in=[S.SIGNED, S.IN_FORCE, S.EXPIRED], version=0).exists()
    assert set(signed.values_list("version", flat=True)) == {1, 2, 3}
    assert not agreements.annotate(n=Count("versions")).exclude(n=F("version")).exists()
    # The last version froze what content_of gives for the agreement as it stands; required sections are filled.
    for agreement in signed.order_by("pk")[:60]:
        assert agreement.versions.order_by("-number").first().content == content_of(agreement)
        codes = set(agreement.sections.exclude(body="").values_list("code", flat=True))
        assert codes == set(required_codes(agreement.kind))
    # The history ends on the current status, in order, never after the reference day.
    for agreement in agreements.prefetch_related("status_changes")[:200]:
        changes = list(agreement.status_changes.all())
        assert changes[0].from_status == "" and changes[0].to_status == S.DRAFT
        assert changes[-1].to_status == agreement.status
        assert [c.at for c in changes] == sorted(c.at for c in changes)
    assert not StatusChange.objects.filter(at__date__gt=REFERENCE_DAY).exists()
    assert not agreements.filter(status=S.TERMINATED, status_reason="").exists()
    # Reports: 2 to 4 per agreement in force or expired, and only for them; some late on the reference day.
    reports = Counter(Report.objects.values_list("agreement", flat=True))
    assert set(reports.values()) <= {2, 3, 4}
    assert set(reports) == set(agreements.filter(status__in=[S.IN_FORCE, S.EXPIRED]).values_list("pk", flat=True))
    late = Report.objects.late(today=REFERENCE_DAY).count()
    assert 0.03 * len(reports) < late < Report.objects.filter(due_on__lt=REFERENCE_DAY).count() / 4
    assert not Report.objects.filter(submitted_on__gt=REFERENCE_DAY).exists()
    assert Report.objects.filter(submitted_on__gt=F("due_on")).exists()  # some submitted after their due date
    # Some end within 90 days of the reference day; in force means started and not yet ended on that day.
    assert agreements.expiring_within(90, today=REFERENCE_DAY).count() >= 10
    in_force = agreements.filter(status=S.IN_FORCE)
    assert not in_force.filter(Q(start_date__gt=REFERENCE_DAY) | Q(end_date__lt=REFERENCE_DAY)).exists()
    assert not agreements.filter(status=S.EXPIRED, end_date__gte=REFERENCE_DAY).exists()
    # Funding per year for about 60 % of the signed agreements, paid by one of their parties, within the period.
    funded = signed.filter(amounts__isnull=False).distinct().count()
    assert 0.45 < funded / signed.count() < 0.75
    assert not FundingAmount.objects.exclude(funder__agreement=F("agreement")).exists()
    assert not FundingAmount.objects.filter(
        Q(year__lt=F("agreement__start_date__year")) | Q(year__gt=F("agreement__end_date__year"))
    ).exists()
    # Every agreement in negotiation logs its issues, with a position per party.
    negotiating = agreements.filter(status=S.NEGOTIATION)
    assert negotiating.filter(negotiation_issues__isnull=False).distinct().count() == negotiating.count()
    assert not NegotiationPosition.objects.exclude(party__agreement=F("issue__agreement")).exists()
    # Joint committees of the concertation follow some agreements of their own RLS.
    linked = agreements.exclude(joint_committee=None)
    assert linked.exists() and not linked.exclude(joint_committee__rls=F("rls")).exists()


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


def test_flush_removes_the_concertation_and_the_agreements():
    generate("--seed", "1")
    generate("--seed", "2", "--flush")
    assert Instance.objects.count() == SCALES["small"].concertation.instances
    assert Attendance.objects.count() == SCALES["small"].concertation.attendance
    assert Agreement.objects.count() == SCALES["small"].agreements.agreements
    assert Party.objects.values("agreement").distinct().count() == SCALES["small"].agreements.agreements


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
    own = Agreement.objects.create(title="Entente du Val", kind="service", rls=world.rls)
    Party.objects.create(agreement=own, organization=world.org_a)
    generate("--seed", "1")
    generate("--seed", "1", "--flush")
    assert Organization.objects.filter(pk=world.org_a.pk).exists()
    assert Organization.objects.count() == 300 + 3
    assert Agreement.objects.count() == 860 + 1 and own.parties.count() == 1


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate("--seed", "1")


def test_the_name_pool_covers_the_province_scale():
    scale = SCALES["province"]
    needed = scale.rls + 2 * scale.rls + scale.municipalities  # RLS, at most two MRCs each, municipalities
    assert len(set(place_names(random.Random(1)))) >= needed
