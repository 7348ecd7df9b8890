"""The synthetic benchmark dataset: deterministic for a seed, consistent tree paths, refuses to pile up; its
concertation part (instances, memberships, meetings, attendance), its agreements and its evaluation (campaigns,
invitations, responses, answers, context events) keep the models' invariants."""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef, Q

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
    ContextEvent,
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
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Response, Scale
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
        "campaigns": rows(
            Campaign.objects.values_list(
                "title", "rls__name", "instrument__title_fr", "mode", "privacy", "opens_on", "closes_on",
                "min_group_size", "release_decision__meeting__starts_at",
            )
        ),
        "invitations": rows(
            Invitation.objects.values_list("campaign__title", "person__email", "instance__name", "used", "reminders")
        ),
        "responses": rows(
            Response.objects.values_list("campaign__title", "submitted_on", "instance__name", "sector", "is_group")
        ),
        "answers": rows(
            Answer.objects.values_list("response__campaign__title", "item__code", "value", "text")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "events": rows(ContextEvent.objects.values_list("rls__name", "instance__name", "date", "kind", "title")),
    }  # fmt: skip


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
    # The evaluation: campaigns on every RLS, with invitations, responses and answers; context events.
    assert set(Campaign.objects.values_list("rls", flat=True)) == set(
        Territory.objects.filter(kind="rls").values_list("pk", flat=True)
    )
    assert Invitation.objects.exists() and Response.objects.exists() and Answer.objects.exists()
    assert ContextEvent.objects.exists()
    assert "campagnes d'évaluation" in output and "évaluation : campagnes" in output
    assert "évaluation : réponses" in output


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


def test_evaluation_campaigns_and_their_invitations():
    generate("--seed", "1")
    today = datetime.date.today()
    campaigns = Campaign.objects.all()
    # Conditions de la concertation on each assembly every two or three years from 2015–2017, copy or not.
    conditions = Q(instrument__code="conditions-concertation") | Q(
        instrument__copied_from__code="conditions-concertation"
    )
    for rls in Territory.objects.filter(kind="rls"):
        assembly = Instance.objects.get(rls=rls, kind="assembly")
        years = sorted(campaigns.filter(conditions, instances=assembly).values_list("opens_on__year", flat=True))
        assert 2015 <= years[0] <= 2017 and years[-1] >= 2022
        assert {b - a for a, b in zip(years, years[1:], strict=False)} <= {2, 3}
    # Closed, in the concertation's years, sent to instances of their own RLS.
    assert not campaigns.filter(closes_on__gte=today).exists()
    assert {c.opens_on.year for c in campaigns} <= set(range(2015, 2026))
    assert not campaigns.exclude(instances__rls=F("rls")).exists()
    assert set(campaigns.values_list("instrument__scoring", flat=True)) == set(Instrument.Scoring.values)
    # Invited: a person with a seat on one of the campaign's instances, active at the opening.
    seated = Membership.objects.filter(
        instance=OuterRef("instance"), person=OuterRef("person"), start_date__lte=OuterRef("campaign__opens_on")
    ).filter(Q(end_date=None) | Q(end_date__gte=OuterRef("campaign__opens_on")))
    invitations = Invitation.objects.all()
    assert not invitations.exclude(Exists(seated)).exists()
    assert not invitations.exclude(campaign__instances=F("instance")).exists()
    assert not invitations.filter(campaign__mode="group").exists()
    # The bench coordinator's RLS made its own copy of Conditions, with an open question, and uses it.
    coordinated = RoleAssignment.objects.get(user__username="bench-coord").rls
    copy = Instrument.objects.get(rls=coordinated)
    assert copy.copied_from.code == "conditions-concertation" and copy.copied_from.rls is None
    assert Item.objects.filter(section__instrument=copy, scale=Scale.TEXT).count() == 1
    assert campaigns.filter(instrument=copy).exists()


def test_evaluation_responses_and_answers():
    generate("--seed", "1")
    individual = Campaign.objects.filter(mode="individual").annotate(
        invited=Count("invitations", distinct=True),
        used=Count("invitations", filter=Q(invitations__used=True), distinct=True),
        answered=Count("responses", distinct=True),
    )
    for campaign in individual:
        assert campaign.answered <= campaign.invited
        # One link, one response: the links used are the responses, anonymous or confidential.
        assert campaign.used == campaign.answered
    rate = sum(c.used for c in individual) / sum(c.invited for c in individual)
    assert 0.45 < rate < 0.75
    # Anonymous responses keep no link; a confidential one keeps its own campaign's used link.
    assert not Response.objects.filter(campaign__privacy="anonymous").exclude(invitation=None).exists()
    confidential = Response.objects.filter(campaign__privacy="confidential")
    assert confidential.exists() and not confidential.exclude(invitation__campaign=F("campaign")).exists()
    assert not confidential.exclude(invitation__used=True).exists()
    # Given while the campaign was open, for one of its instances.
    responses = Response.objects.all()
    assert not responses.filter(
        Q(submitted_on__lt=F("campaign__opens_on")) | Q(submitted_on__gt=F("campaign__closes_on"))
    ).exists()
    assert not responses.exclude(campaign__instances=F("instance")).exists()
    assert len(set(responses.values_list("sector", flat=True))) > 3
    # A group campaign: one consensual answer, A/B/C for every item.
    for campaign in Campaign.objects.filter(mode="group"):
        assert list(campaign.responses.values_list("is_group", flat=True)) == [True]
    # Answers within each item's scale; an open question gets text, never a value.
    scales = {item.pk: item for item in Item.objects.all()}
    for item_id, value, text in Answer.objects.values_list("item_id", "value", "text"):
        item = scales[item_id]
        assert (text and not value) if item.scale == Scale.TEXT else value in item.values()
    assert not Answer.objects.exclude(item__section__instrument=F("response__campaign__instrument")).exists()
    # Every Likert item answered by almost everyone: a few left blank, a few open comments.
    likert = Answer.objects.filter(item__scale=Scale.LIKERT).count()
    expected = sum(
        Item.objects.filter(section__instrument=c.instrument_id, scale=Scale.LIKERT).count() * c.responses.count()
        for c in Campaign.objects.filter(instrument__scoring="mean")
    )
    assert 0.9 * expected < likert < expected
    comments = Answer.objects.filter(item__scale=Scale.TEXT)
    assert 0 < comments.count() < Response.objects.filter(campaign__instrument__rls__isnull=False).count() / 4
    # Answers differ between RLS and between sectors: drawn around their own means.
    means = {
        rls: sum(int(v) for v in values) / len(values)
        for rls, values in _likert_by(
            Answer.objects.filter(item__scale=Scale.LIKERT), "response__campaign__rls"
        ).items()
    }
    assert max(means.values()) - min(means.values()) > 0.1


def _likert_by(answers, key: str) -> dict:
    found: dict = {}
    for group, value in answers.values_list(key, "value"):
        found.setdefault(group, []).append(value)
    return found


def test_evaluation_releases_and_context_events():
    generate("--seed", "1")
    released = Campaign.objects.exclude(release_decision=None).select_related("release_decision__meeting")
    assert 0.2 * Campaign.objects.count() < released.count() < 0.7 * Campaign.objects.count()
    for campaign in released:
        meeting = campaign.release_decision.meeting
        assert meeting.instance_id in set(campaign.instances.values_list("pk", flat=True))
        assert meeting.starts_at.date() > campaign.closes_on
    per_rls = Counter(ContextEvent.objects.values_list("rls", flat=True))
    assert len(per_rls) == 4 and set(per_rls.values()) <= {2, 3, 4}
    assert not ContextEvent.objects.exclude(instance=None).exclude(instance__rls=F("rls")).exists()
    assert set(ContextEvent.objects.values_list("kind", flat=True)) <= set(ContextEvent.Kind.values)


def test_flush_removes_the_evaluation_and_keeps_the_shipped_instruments():
    shipped = rows(Item.objects.filter(section__instrument__rls=None).values_list("section__instrument__code", "code"))
    generate("--seed", "1")
    first = Counter(
        {"campaigns": Campaign.objects.count(), "invitations": Invitation.objects.count(),
         "responses": Response.objects.count(), "answers": Answer.objects.count(),
         "copies": Instrument.objects.exclude(rls=None).count(), "events": ContextEvent.objects.count()}
    )  # fmt: skip
    generate("--seed", "1", "--flush")
    again = Counter(
        {"campaigns": Campaign.objects.count(), "invitations": Invitation.objects.count(),
         "responses": Response.objects.count(), "answers": Answer.objects.count(),
         "copies": Instrument.objects.exclude(rls=None).count(), "events": ContextEvent.objects.count()}
    )  # fmt: skip
    assert again == first and min(first.values()) > 0
    assert (
        rows(Item.objects.filter(section__instrument__rls=None).values_list("section__instrument__code", "code"))
        == shipped
    )
    assert Instrument.objects.filter(rls=None).count() == 5  # the shipped ones


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
    table = Instance.objects.create(name="Table du Val", kind="table", basis="thematic", level="local", rls=world.rls)
    survey = Campaign.objects.create(
        instrument=Instrument.objects.get(code="facteurs-collaboration"), title="Sondage du Val", rls=world.rls,
        opens_on=datetime.date(2024, 5, 1), closes_on=datetime.date(2024, 5, 21),
    )  # fmt: skip
    survey.instances.set([table])
    Response.objects.create(campaign=survey, submitted_on=datetime.date(2024, 5, 2), instance=table)
    generate("--seed", "1")
    generate("--seed", "1", "--flush")
    assert Organization.objects.filter(pk=world.org_a.pk).exists()
    assert Organization.objects.count() == 300 + 3
    assert Agreement.objects.count() == 860 + 1 and own.parties.count() == 1
    assert Campaign.objects.filter(rls=world.rls).get() == survey and survey.responses.count() == 1


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate("--seed", "1")


def test_the_name_pool_covers_the_province_scale():
    scale = SCALES["province"]
    needed = scale.rls + 2 * scale.rls + scale.municipalities  # RLS, at most two MRCs each, municipalities
    assert len(set(place_names(random.Random(1)))) >= needed
