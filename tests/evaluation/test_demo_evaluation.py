"""The evaluation part of the demo network (evaluation/demo_data.py), loaded by `load_demo`: the VES story told by
two surveys of the assembly, a self-evaluation of the coordination committee, the context timeline and the reasons
members left.

The demo is loaded once for the module, inside a transaction rolled back at the end (as TestCase.setUpTestData
does); each test runs in its own savepoint on top of it.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from concertation.diagnosis import bourque_for
from concertation.models import ContextEvent, Instance, Membership
from core.models import AuditEvent, User
from evaluation import demo_data
from evaluation import rules as evaluation_rules
from evaluation.diagnosis import diagnose_instance
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Response, Scale
from evaluation.results import campaign_results
from registry.models import Person

pytestmark = pytest.mark.django_db

MODELS = [Instrument, Item, Campaign, Invitation, Response, Answer, ContextEvent, Membership, Instance, AuditEvent]
SPRING_2012, SPRING_2014 = demo_data.SURVEYS


def assembly() -> Instance:
    return Instance.objects.get(kind=Instance.Kind.ASSEMBLY)


def survey(spec: demo_data.SurveySpec) -> Campaign:
    return Campaign.objects.get(title=spec.title)


def community(results) -> dict:
    group = next(g for g in results.by_sector if g.key == "community")
    assert not group.suppressed and group.n >= 5
    return group.means


def section_mean(results, code: str) -> float:
    return next(s.mean for s in results.sections if s.section.code == code)


def evaluation_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Évaluation :"))


def test_load_demo_reports_the_evaluation(demo):
    assert evaluation_line(demo).startswith("Évaluation : 3 campagnes, 53 invitations, 42 réponses ; 5 événements")


def test_two_surveys_of_the_assembly_two_years_apart(demo):
    shipped = Instrument.objects.get(code="conditions-concertation")
    for spec in (SPRING_2012, SPRING_2014):
        campaign = survey(spec)
        assert list(campaign.instances.all()) == [assembly()]
        assert (campaign.mode, campaign.privacy, campaign.min_group_size) == ("individual", "anonymous", 5)
        assert campaign.is_closed and campaign.opens_on.month == 5
        # The shipped instrument's 29 questions, and the open question the RLS's copy adds.
        assert campaign.instrument.copied_from == shipped
        assert campaign.instrument.rls_id == campaign.rls_id
        scales = list(Item.objects.filter(section__instrument=campaign.instrument).values_list("scale", flat=True))
        assert scales.count(Scale.LIKERT) == 29 and scales.count(Scale.TEXT) == 1
        # Invited: the members that day who had a representative, each link sent and used by those who answered.
        invitations = list(campaign.invitations.all())
        active = Membership.objects.active_on(campaign.opens_on).filter(instance=assembly())
        for invitation in invitations:
            assert active.filter(person=invitation.person, organization=invitation.organization).exists()
            assert invitation.sent_on == campaign.opens_on
        responses = list(campaign.responses.all())
        assert sum(i.used for i in invitations) == len(responses) >= 10
        for response in responses:
            assert campaign.opens_on <= response.submitted_on <= campaign.closes_on
            assert response.instance == assembly() and response.sector and response.invitation_id is None
    assert survey(SPRING_2014).opens_on.year - survey(SPRING_2012).opens_on.year == 2


def test_community_members_less_satisfied_after_the_2013_turn(demo):
    before, after = campaign_results(survey(SPRING_2012)), campaign_results(survey(SPRING_2014))
    assert not before.suppressed and not after.suppressed
    was, now = community(before), community(after)
    # 2012: everyone fairly satisfied, community members a little more than the assembly as a whole.
    assert all(3.75 <= s.mean <= 4.4 for s in before.sections if s.mean is not None)
    assert was["participation"] >= section_mean(before, "participation")
    # 2014: feeling heard and able to influence, shared leadership, the composition of power all fall for them.
    for code in ("participation", "animation", "composition"):
        assert 2.5 <= now[code] <= 3.0
        assert now[code] < was[code] - 0.9
        # The rest of the assembly reads the same conditions higher.
        assert now[code] < section_mean(after, code) - 0.2
    assert after.previous.campaign == survey(SPRING_2012)
    assert after.previous.deltas["participation"] < -0.5


def test_each_survey_has_a_few_plain_comments(demo):
    names = {name for p in Person.objects.all() for name in (p.first_name, p.last_name)}
    for spec in (SPRING_2012, SPRING_2014):
        comments = campaign_results(survey(spec)).comments
        assert len(comments) == len(spec.comments) >= 4
        # Nothing in them points to anyone; French typography applied.
        assert not any(name in comment for name in names for comment in comments)
        assert not any("'" in c or " ;" in c or " :" in c for c in comments)
    assert any("entériner" in c for c in campaign_results(survey(SPRING_2014)).comments)


def test_the_coordination_committee_evaluated_itself_in_2011(demo, client):
    campaign = Campaign.objects.get(title=demo_data.GROUP_TITLE)
    assert campaign.mode == "group" and campaign.opens_on.year == 2011 and campaign.group_notes
    assert [i.kind for i in campaign.instances.all()] == [Instance.Kind.COORDINATION_COMMITTEE]
    assert campaign.instrument.code == "action-partenariat" and not campaign.invitations.exists()
    (response,) = campaign.responses.all()
    assert response.is_group
    answers = list(response.answers.all())
    assert len(answers) == Item.objects.filter(section__instrument=campaign.instrument).count() == 18
    assert {a.value for a in answers} <= {"A", "B", "C"} and sum(bool(a.note) for a in answers) >= 4
    results = campaign_results(campaign)
    assert not results.suppressed and results.abc["A"] > results.abc["B"] > results.abc["C"] == 0
    # Not released by the members: the coordinator reads it, the RLS's analyst does not.
    assert campaign.release_decision is None
    assert evaluation_rules.campaigns_for(User.objects.get(username="coordination")).filter(pk=campaign.pk).exists()
    assert not evaluation_rules.campaigns_for(User.objects.get(username="analyste")).filter(pk=campaign.pk).exists()


def test_the_timeline_of_the_turn(demo):
    events = {(e.date.year, e.kind): e for e in ContextEvent.objects.for_instance(assembly())}
    kinds = ContextEvent.Kind
    for key in [
        (2013, kinds.MINISTERIAL_DIRECTIVE),
        (2013, kinds.MANAGER_TURNOVER),
        (2013, kinds.CHANGE_OF_DIRECTION),
        (2014, kinds.LOST_MANDATE),
        (2015, kinds.MERGER),
    ]:
        assert key in events, key
    assert events[2013, kinds.CHANGE_OF_DIRECTION].instance == assembly()
    assert events[2015, kinds.MERGER].whole_rls
    assert AuditEvent.objects.filter(content_type__model="contextevent", actor__username="admin").count() == 5


def test_members_who_left_from_2013_say_why(demo):
    ended = list(
        assembly()
        .memberships.filter(end_date__gte=datetime.date(2013, 1, 1), end_date__lte=timezone.localdate())
        .select_related("organization")
    )
    assert len(ended) >= 30 and all(m.exit_reason for m in ended)
    seats = list(assembly().memberships.all())

    def kept_its_seat(m: Membership) -> bool:
        """A later seat, or another seat still held (the CDC leaving the chair, the CISSS sending fewer people)."""
        return any(
            o.organization_id == m.organization_id
            and o.pk != m.pk
            and (o.start_date > m.end_date or o.end_date is None or o.end_date > m.end_date)
            for o in seats
        )

    left = [m for m in ended if not kept_its_seat(m)]
    reasons = [m.exit_reason for m in left]
    R = Membership.ExitReason
    assert reasons.count(R.OVER_SOLICITATION) + reasons.count(R.LOST_FUNDING) > len(left) / 2
    assert reasons.count(R.OVER_SOLICITATION) > reasons.count(R.LOST_FUNDING) > reasons.count(R.MANDATE_ENDED) > 0
    assert reasons.count(R.DISAGREEMENT) == 2 and R.STAFF_TURNOVER not in reasons
    # A change of representative is not a departure: the organisation kept its seat.
    assert all(kept_its_seat(m) for m in ended if m.exit_reason == R.STAFF_TURNOVER)
    assert all(m.exit_note for m in ended)


def test_instances_say_their_object(demo):
    objects = dict(Instance.objects.values_list("kind", "bourque_object").distinct())
    assert objects == {
        "assembly": "population",
        "coordination_committee": "population",
        "local_action_committee": "population",
        "table": "programme",
        "joint_committee": "agreement",
    }
    assert bourque_for(assembly()).type == "operationnel_territoire"


def test_the_diagnosis_reads_the_story(demo):
    diagnosis = diagnose_instance(assembly(), include_unreleased=True)
    surveys = {row["closes_on"][:4]: row["mean"] for row in diagnosis.indicator("survey_score").detail["campaigns"]}
    assert surveys["2012"] >= 4.0 > surveys["2014"]
    assert diagnosis.indicator("exit_over_solicitation_share").value >= 25
    assert diagnosis.indicator("institutional_changes").value == 4
    assert diagnosis.indicator("exit_disagreement_count").value == 2
    phase = diagnosis.placements_of("lebeau_viens_phase")
    assert [p.placement for p in phase] == ["controlled_concertation"]


def test_the_public_group_answers_both_surveys(demo):
    """The CSSS's and the CLSC's managers on the assembly answer too: enough of them for their group to show, and
    in 2014 the gap between community members and the institution opens."""
    before, after = campaign_results(survey(SPRING_2012)), campaign_results(survey(SPRING_2014))
    for results in (before, after):
        public = next(g for g in results.by_sector if g.key == "public")
        assert not public.suppressed and public.n >= 5
    public = next(g for g in after.by_sector if g.key == "public").means
    for code in ("participation", "animation", "composition"):
        assert 3.6 <= public[code] <= 4.1
        assert after.sector_gap[code] < -0.75
    # In 2012 community members were, if anything, a little more satisfied than the institution.
    assert all(gap is not None and gap > -0.2 for gap in before.sector_gap.values())


def placements(year: int) -> dict[str, set[str]]:
    diagnosis = diagnose_instance(assembly(), year, include_unreleased=True)
    found: dict[str, set[str]] = {}
    for placement in diagnosis.placements:
        found.setdefault(placement.dimension, set()).add(placement.placement)
    return found


def test_the_diagnosis_places_each_year_of_the_turn(demo):
    """2011: local actors own the issues (appropriation, co-construction, euphoria); 2014: the institution's
    programme, the CSSS alone in the chair, members leaving (instrumentation, controlled concertation)."""
    early = placements(2011)
    assert early["instrumentation_appropriation"] == {"appropriation"}
    assert early["coproduction_coconstruction"] == {"co_construction"}
    assert early["lebeau_viens_phase"] == {"euphoria"}
    assert early["institution_tendency"] == {"participative"}
    assert placements(2012)["instrumentation_appropriation"] == {"appropriation"}
    late = placements(2014)
    assert late["instrumentation_appropriation"] == {"instrumentation"}
    assert late["lebeau_viens_phase"] == {"controlled_concertation"}
    assert late["institution_tendency"] == {"administrative"}
    assert late["paternariat_partnership"] == {"paternariat"}
    diagnosis = diagnose_instance(assembly(), 2014, include_unreleased=True)
    assert diagnosis.indicator("chair_public_share").value == 100
    assert diagnosis.indicator("priority_institutional_share").value >= 50
    assert diagnosis.indicator("participation_trend").value <= -10


def test_pages_of_the_demo_render(demo, client):
    client.force_login(User.objects.get(username="coordination"))
    for campaign in Campaign.objects.all():
        for name in ("campaign_detail", "campaign_results"):
            assert client.get(reverse(f"evaluation:{name}", args=[campaign.pk])).status_code == 200
    page = client.get(reverse("evaluation:campaign_results", args=[survey(SPRING_2014).pk])).content.decode()
    assert "l’assemblée sert surtout à les entériner" in page


def test_idempotent(demo):
    before = {model.__name__: model.objects.count() for model in MODELS}
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert "(0 enregistrements créés par ce chargement)" in evaluation_line(out.getvalue())
    counts = demo_data.load(User.objects.get(username="admin"))
    assert counts.created == 0 and counts.campaigns == 3
