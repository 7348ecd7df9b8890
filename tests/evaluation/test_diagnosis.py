"""The transparent partnership diagnosis (evaluation.diagnosis): Bourque's reading, every rule of the table on data
built for it and on the opposite data, insufficient evidence, the indicators read from the registry, the VES story
year by year, thresholds from settings, recommendations, the rendered rules document and the query count."""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agreements.models import Agreement
from concertation.diagnosis import bourque_for, derive_bourque_type
from concertation.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidate,
    ContextEvent,
    Decision,
    Instance,
    Meeting,
    Membership,
    Objective,
    PriorityExercise,
    VotingRound,
)
from evaluation.diagnosis import INSUFFICIENT_EVIDENCE, NONE_DETECTED, RULES, diagnose_instance, diagnose_rls
from evaluation.diagnosis.docs import DOC_PATH, render
from evaluation.diagnosis.engine import place
from evaluation.diagnosis.rules import DIMENSIONS, THRESHOLDS, thresholds
from evaluation.diagnosis.specs import SPECS
from evaluation.diagnosis.types import HIGH, LOW, MEDIUM, Indicator
from evaluation.models import Answer, Campaign, Response
from registry.models import FundingLine
from tests.evaluation.conftest import items
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """Labels and reasons are asserted in their English source wording, whatever the catalogue holds."""
    with translation.override("en"):
        yield


D = datetime.date
EXIT = Membership.ExitReason
CHAIR, MEMBER = Membership.Role.CHAIR, Membership.Role.MEMBER


# Building data --------------------------------------------------------------------------------------------------


def make_instance(world, name="Assemblée des partenaires", **fields) -> Instance:
    data = {"kind": Instance.Kind.ASSEMBLY, "basis": Instance.Basis.TERRITORIAL, "level": Instance.Level.LOCAL,
            "bourque_object": "population", "rls": world.rls, "territory": world.rls, **fields}  # fmt: skip
    return Instance.objects.create(name=name, **data)


def org(world, sector="community", name=None):
    return OrganizationFactory(sector=sector, rls=world.rls, **({"name": name} if name else {}))


def seat(instance, organization, start, end=None, role=MEMBER, exit_reason="", level="staff") -> Membership:
    person = PersonFactory(decision_level=level)
    return Membership.objects.create(
        instance=instance, organization=organization, person=person, role=role, start_date=start, end_date=end,
        exit_reason=exit_reason,
    )  # fmt: skip


def meeting(instance, day: datetime.date, status=Meeting.Status.HELD) -> Meeting:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return Meeting.objects.create(instance=instance, title=f"Rencontre {day}", starts_at=starts,
                                  ends_at=starts + datetime.timedelta(hours=2), status=status)  # fmt: skip


def decide(instance, day: datetime.date, mode=Decision.Mode.CONSENSUS, dissent="", against=None) -> Decision:
    """A decision at the instance's meeting of that day (a new meeting when there is none)."""
    held = Meeting.objects.filter(instance=instance, starts_at__date=day).first() or meeting(instance, day)
    return Decision.objects.create(meeting=held, text="Résolution", mode=mode, dissent=dissent,
                                   votes_against=against)  # fmt: skip


def priorities(instance, year: int, retained: list[str], rejected: list[str] = ()) -> PriorityExercise:
    """A plenary of three voters in `year`: every voter adheres to the `retained` origins' candidates, none to the
    `rejected` ones."""
    exercise = PriorityExercise.objects.create(instance=instance, title=f"Priorités {year}", secret=False)
    closed = timezone.make_aware(datetime.datetime(year, 5, 1, 12))
    voting = VotingRound.objects.create(exercise=exercise, number=1, opened_at=closed, closed_at=closed)
    kept = [Candidate.objects.create(exercise=exercise, title=f"Besoin {n}", origin=o) for n, o in enumerate(retained)]
    for n, origin in enumerate(rejected):
        Candidate.objects.create(exercise=exercise, title=f"Autre {n}", origin=origin)
    for n in range(3):
        ballot = Ballot.objects.create(round=voting, voter=PersonFactory())
        for candidate in kept:
            BallotChoice.objects.create(round=voting, candidate=candidate, ballot=ballot, ballot_key=f"k{n}")
    return exercise


def plan(instance, year: int, leads: list) -> ActionPlan:
    action_plan = ActionPlan.objects.create(instance=instance, title=f"Plan {year}", start_date=D(year, 1, 1),
                                            end_date=D(year, 12, 31))  # fmt: skip
    objective = Objective.objects.create(plan=action_plan, title="Objectif")
    for n, lead in enumerate(leads):
        Action.objects.create(objective=objective, title=f"Action {n}", lead=lead)
    return action_plan


@contextmanager
def override_thresholds(**chosen):
    with override_settings(DIAGNOSIS_THRESHOLDS=chosen):
        yield


def placement(diagnosis, dimension: str) -> set[str]:
    return {p.placement for p in diagnosis.placements_of(dimension)}


def value(diagnosis, code: str):
    return diagnosis.indicator(code).value


# Bourque's type, read from the object -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "bourque_object", "kind", "expected", "typical"),
    [
        ("national", "political", "table", "politique", True),
        ("regional", "planning", "table", "planification_orientation", True),
        ("local", "population", "assembly", "operationnel_territoire", True),
        ("subregional", "population", "table", "operationnel_territoire", True),
        # A population-based table of a whole region is territorial partnership, not planning.
        ("regional", "population", "table", "operationnel_territoire", True),
        ("national", "programme", "table", "operationnel_programme", True),
        ("regional", "programme", "table", "operationnel_programme", True),
        ("local", "programme", "working_group", "operationnel_programme", True),
        ("local", "", "joint_committee", "partenariat_gestion", True),
        ("regional", "population", "joint_committee", "partenariat_gestion", True),
        ("local", "agreement", "table", "partenariat_gestion", True),
        ("regional", "", "table", "insufficient_evidence", True),
        ("national", "", "table", "insufficient_evidence", True),
        ("local", "political", "table", "politique", False),
        ("local", "planning", "table", "planification_orientation", False),
    ],
)
def test_bourque_reading_table(level, bourque_object, kind, expected, typical):
    diagnosis = derive_bourque_type(level, bourque_object, kind, "territorial")
    assert (diagnosis.type, diagnosis.typical) == (expected, typical)
    assert diagnosis.reason and diagnosis.label


def test_a_missing_object_asks_for_it_and_the_override_still_wins(world):
    instance = make_instance(world, level="regional", bourque_object="")
    diagnosis = bourque_for(instance, {"public", "community"})
    assert diagnosis.type == "insufficient_evidence" and "object" in diagnosis.reason
    assert diagnosis.label == "Insufficient evidence"
    instance.bourque_override, instance.bourque_override_reason = "planification_orientation", "Table régionale"
    chosen = bourque_for(instance, set())
    assert chosen.type == "planification_orientation" and chosen.overridden and "Table régionale" in chosen.reason


def test_territorial_reading_notes_missing_sectors_without_changing_the_type(world):
    instance = make_instance(world)
    alone = bourque_for(instance, {"community"})
    together = bourque_for(instance, {"community", "public"})
    assert alone.type == together.type == "operationnel_territoire"
    assert "sectors missing" in alone.reason and "sectors missing" not in together.reason


def test_instance_diagnosis_places_its_bourque_type_with_its_evidence(world):
    territorial = diagnose_instance(make_instance(world))
    (found,) = territorial.placements_of("bourque_type")
    assert (found.placement, found.confidence) == ("operationnel_territoire", HIGH)
    assert {e.indicator: e.value for e in found.evidence}["instance_object"] == "population"
    unsaid = diagnose_instance(make_instance(world, name="Table", bourque_object=""))
    (missing,) = unsaid.placements_of("bourque_type")
    assert missing.placement == INSUFFICIENT_EVIDENCE
    assert any("object" in r.condition for r in unsaid.recommendations)
    atypical = diagnose_instance(make_instance(world, name="Locale", bourque_object="planning"))
    assert atypical.placements_of("bourque_type")[0].confidence == MEDIUM


# Every rule of the table, on data built for it and on the opposite --------------------------------------------------

VALUES = thresholds()
OPPOSITE = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


def satisfying(op: str, limit: float) -> float:
    return {">=": limit, ">": limit + 1, "<=": limit, "<": limit - 1}[op]


def indicators_for(rule, negate: bool = False) -> list[Indicator]:
    """Indicator values meeting every signal of the rule (or none of them), its dimension's gate open, and every
    other indicator unknown."""
    values = {}
    for signal in [*DIMENSIONS[rule.dimension].gate]:
        values[signal.indicator] = satisfying(signal.op, signal.limit(VALUES))
    for signal in [*([rule.key] if rule.key else []), *rule.signals]:
        op = OPPOSITE[signal.op] if negate else signal.op
        values[signal.indicator] = satisfying(op, signal.limit(VALUES))
    return [
        Indicator(code, str(spec.label), values.get(code), spec.unit, str(spec.source)) for code, spec in SPECS.items()
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.dimension}-{r.placement}")
def test_each_rule_fires_on_its_data_and_not_on_the_opposite(rule):
    placements, _recommendations = place(indicators_for(rule), VALUES, "rls")
    fired = [p for p in placements if p.dimension == rule.dimension and p.placement == rule.placement]
    assert fired, placements
    assert {e.indicator for e in fired[0].evidence} >= {s.indicator for s in rule.signals}
    assert fired[0].rule and fired[0].confidence in {LOW, MEDIUM, HIGH}
    placements, _recommendations = place(indicators_for(rule, negate=True), VALUES, "rls")
    assert rule.placement not in {p.placement for p in placements if p.dimension == rule.dimension}


def test_unfavourable_rules_that_fire_advise_and_favourable_ones_advise_what_is_unmet():
    instrumentation = next(r for r in RULES if r.placement == "instrumentation")
    _placements, recommendations = place(indicators_for(instrumentation), VALUES, "rls")
    conditions = " ".join(r.condition for r in recommendations)
    assert "Retained priorities from the institution or the ministry < 50%" in conditions
    assert all(r.suggestion and r.source for r in recommendations)
    appropriation = next(r for r in RULES if r.placement == "appropriation")
    _placements, recommendations = place(indicators_for(appropriation), VALUES, "rls")
    assert not any("Retained priorities from local actors" in r.condition for r in recommendations)


def test_enough_evidence_that_fits_no_placement_is_none_detected():
    known = {"meetings_held": 3, "priority_local_share": 40.0, "priority_institutional_share": 30.0}
    indicators = [Indicator(code, str(spec.label), known.get(code), spec.unit, str(spec.source))
                  for code, spec in SPECS.items()]  # fmt: skip
    placements, _recommendations = place(indicators, VALUES, "rls")
    (found,) = [p for p in placements if p.dimension == "instrumentation_appropriation"]
    assert (found.placement, found.confidence) == (NONE_DETECTED, LOW)
    assert {e.indicator for e in found.evidence} == {"priority_local_share", "priority_institutional_share"}


# Insufficient evidence ------------------------------------------------------------------------------------------------


def test_an_instance_with_members_only_has_insufficient_evidence(world):
    instance = make_instance(world)
    for sector in ["community", "community", "public"]:
        seat(instance, org(world, sector), D(2020, 1, 1))
    diagnosis = diagnose_instance(instance)
    for dimension in DIMENSIONS:
        if dimension not in ("bourque_type", "risks"):
            assert placement(diagnosis, dimension) == {INSUFFICIENT_EVIDENCE}, dimension
    gate = diagnosis.placements_of("instrumentation_appropriation")[0]
    assert gate.evidence[0].indicator == "meetings_held" and gate.evidence[0].value == 0
    assert any("meetings" in r.suggestion for r in diagnosis.recommendations)


def test_meetings_without_priorities_or_plans_are_not_enough_to_place(world):
    instance = make_instance(world)
    seat(instance, org(world), D(2020, 1, 1))
    meeting(instance, D(2021, 3, 1))
    diagnosis = diagnose_instance(instance)
    (found,) = diagnosis.placements_of("instrumentation_appropriation")
    assert found.placement == INSUFFICIENT_EVIDENCE
    assert {e.indicator for e in found.evidence} >= {"priority_local_share", "response_public_lead_share"}
    assert all(e.value is None for e in found.evidence)
    assert value(diagnosis, "retained_priorities") == 0 and value(diagnosis, "priority_local_share") is None


def test_what_the_data_cannot_tell_is_none_with_its_reason(world):
    diagnosis = diagnose_instance(make_instance(world))
    reversal = diagnosis.indicator("decision_reversal_share")
    assert reversal.value is None and reversal.source.startswith("Not determinable")
    agenda = diagnosis.indicator("agenda_institution_share")
    if not any(f.name == "proposed_by" for f in AgendaItem._meta.get_fields()):
        assert agenda.value is None and "does not say who proposed" in agenda.source


# Indicators read from the data ----------------------------------------------------------------------------------


def test_funding_dependence_counts_programme_money_against_mission_funding(world):
    instance = make_instance(world)
    programme_heavy, mission_led = org(world, name="Programme"), org(world, name="Mission")
    for organization in (programme_heavy, mission_led, org(world, "public")):
        seat(instance, organization, D(2020, 1, 1))
    meeting(instance, D(2024, 2, 1))
    source = FundingLine.Source
    lines = [(programme_heavy, source.PSOC_MISSION, 100), (programme_heavy, source.PROGRAMME, 80),
             (programme_heavy, source.SERVICE_AGREEMENT, 30), (mission_led, source.PSOC_MISSION, 100),
             (mission_led, source.PROGRAMME, 40), (mission_led, source.SERVICE_AGREEMENT, 20)]  # fmt: skip
    for organization, kind, amount in lines:
        FundingLine.objects.create(organization=organization, year=2024, source=kind, amount=Decimal(amount))
    dependence = diagnose_instance(instance, 2024).indicator("funding_dependence_share")
    # Service money alone (30) stays under the mission funding (100); with programme money (110) it does not.
    assert dependence.value == 50.0 and dependence.detail["dependent"] == ["Programme"]


def test_chairs_seats_and_decision_levels(world):
    instance = make_instance(world)
    cisss, community, town = org(world, "public"), org(world), org(world, "municipal")
    seat(instance, cisss, D(2020, 1, 1), role=CHAIR, level="executive")
    seat(instance, community, D(2020, 1, 1), role=CHAIR, level="staff")
    seat(instance, town, D(2020, 1, 1), level="volunteer")
    seat(instance, org(world), D(2020, 1, 1), role=Membership.Role.OBSERVER)
    diagnosis = diagnose_instance(instance, 2021)
    assert value(diagnosis, "chair_public_share") == 50.0 and value(diagnosis, "chair_sectors") == 2
    assert value(diagnosis, "community_seat_share") == pytest.approx(33.3)
    assert value(diagnosis, "sector_count") == 3 and value(diagnosis, "decision_level_spread") == 3


def test_exit_reasons_turnover_and_trend_for_the_year(world):
    instance = make_instance(world)
    stayers = [org(world) for _ in range(6)]
    leavers = [org(world) for _ in range(4)]
    for organization in stayers:
        seat(instance, organization, D(2019, 1, 1))
    reasons = [EXIT.OVER_SOLICITATION, EXIT.OVER_SOLICITATION, EXIT.DISAGREEMENT, EXIT.STAFF_TURNOVER]
    for organization, reason in zip(leavers, reasons, strict=True):
        seat(instance, organization, D(2019, 1, 1), D(2021, 6, 30), exit_reason=reason)
    diagnosis = diagnose_instance(instance, 2022)
    assert value(diagnosis, "participation_trend") == -40.0
    this_year = diagnose_instance(instance, 2021)
    assert value(this_year, "turnover_rate") == 40.0
    assert value(this_year, "exit_over_solicitation_share") == 50.0
    assert value(this_year, "exit_disagreement_count") == 1


def test_priority_origins_and_who_leads_the_response(world):
    instance = make_instance(world)
    cisss, community = org(world, "public"), org(world)
    seat(instance, cisss, D(2020, 1, 1))
    priorities(instance, 2021, ["local_actors", "local_actors", "institution"], rejected=["ministry"])
    plan(instance, 2021, [community, community, cisss, None])
    diagnosis = diagnose_instance(instance, 2021)
    assert value(diagnosis, "retained_priorities") == 3
    assert value(diagnosis, "priority_local_share") == pytest.approx(66.7)
    assert value(diagnosis, "priority_institutional_share") == pytest.approx(33.3)
    assert value(diagnosis, "response_public_lead_share") == pytest.approx(33.3)
    assert value(diagnose_instance(instance, 2022), "retained_priorities") == 0


def test_formalisation_counts_linked_agreements_once_signed(world):
    instance = make_instance(world)
    signed = Agreement.objects.create(title="Entente", kind="service", status="in_force", rls=world.rls,
                                      start_date=D(2020, 1, 1))  # fmt: skip
    signed.instances.add(instance)
    draft = Agreement.objects.create(title="Projet", kind="collaboration", status="draft", rls=world.rls)
    draft.instances.add(instance)
    diagnosis = diagnose_instance(instance, 2021)
    assert value(diagnosis, "formal_agreements") == 1 and value(diagnosis, "service_agreements") == 1
    assert value(diagnose_instance(instance, 2019), "formal_agreements") == 0


def test_survey_score_only_from_campaigns_that_may_be_shown(world, assembly, instrument):
    def campaign(answers: list[str], released: bool, size: int = 3) -> Campaign:
        created = Campaign.objects.create(
            instrument=instrument, title="Bilan", rls=world.rls, opens_on=D(2024, 3, 1), closes_on=D(2024, 3, 31),
            min_group_size=size, release_decision=decide(assembly.instance, D(2024, 4, 1)) if released else None,
        )  # fmt: skip
        created.instances.set([assembly.instance])
        for answer in answers:
            response = Response.objects.create(campaign=created, submitted_on=D(2024, 3, 5), sector="community",
                                               instance=assembly.instance)  # fmt: skip
            Answer.objects.create(response=response, item=items(instrument)["ecoute"], value=answer)
        return created

    campaign(["4", "5", "3"], released=False)
    assert value(diagnose_instance(assembly.instance, 2024), "survey_score") is None
    assert value(diagnose_instance(assembly.instance, 2024, include_unreleased=True), "survey_score") == 4.0
    campaign(["1", "1"], released=True)  # below its anonymity threshold of three
    assert value(diagnose_instance(assembly.instance, 2024), "survey_score") is None


def test_hyperconcertation_from_the_load_report(world):
    """A community organisation sitting on four instances and at every meeting, among others who come once."""
    busy, cisss = org(world, name="Toujours là"), org(world, "public")
    tables = [make_instance(world, name=f"Table {n}") for n in range(4)]
    others = [org(world) for _ in range(12)]
    for n, table in enumerate(tables):
        seats = [seat(table, busy, D(2020, 1, 1)), seat(table, cisss, D(2020, 1, 1))]
        seats += [seat(table, other, D(2020, 1, 1)) for other in others[3 * n : 3 * n + 3]]
        for month in (2, 5, 9):
            held = meeting(table, D(2024, month, 1 + n))
            for present in seats[:1] + seats[2:3]:
                Attendance.objects.create(meeting=held, membership=present, organization_id=present.organization_id)
    diagnosis = diagnose_instance(tables[0], 2024)
    assert value(diagnosis, "over_solicited_member_share") == 20.0  # 1 of the table's 5 members
    assert diagnosis.indicator("over_solicited_member_share").detail["names"] == ["Toujours là"]
    assert "hyperconcertation" not in placement(diagnosis, "risks")
    with override_thresholds(over_solicited_members=20):
        assert "hyperconcertation" in placement(diagnose_instance(tables[0], 2024), "risks")


def test_survey_score_hides_an_instance_the_results_page_hides(world, assembly, instrument):
    """Secondary suppression: the other instance is below the threshold, so ours is hidden too, or the campaign's
    total minus ours would give the other back."""
    other = make_instance(world, name="Table voisine")
    campaign = Campaign.objects.create(instrument=instrument, title="Bilan", rls=world.rls, opens_on=D(2024, 3, 1),
                                       closes_on=D(2024, 3, 31), min_group_size=3)  # fmt: skip
    campaign.instances.set([assembly.instance, other])
    for instance, n in ((assembly.instance, 4), (other, 2)):
        for _ in range(n):
            response = Response.objects.create(campaign=campaign, submitted_on=D(2024, 3, 5), instance=instance)
            Answer.objects.create(response=response, item=items(instrument)["ecoute"], value="4")
    assert value(diagnose_instance(assembly.instance, 2024, include_unreleased=True), "survey_score") is None
    assert value(diagnose_rls(world.rls, 2024, include_unreleased=True), "survey_score") == 4.0


# The VES story, year by year (domain.md §6) --------------------------------------------------------------------------


@pytest.fixture
def ves(world):
    """An assembly whose members went from 16 (2010) to 30 (2011) and 44 (2012), with a shared chair and local
    priorities; then, after the CSSS changed managers (2013), institution-set priorities and plans, the CSSS alone
    in the chair and members leaving for over-solicitation."""
    cisss = org(world, "public", "CSSS du Val")
    assembly = make_instance(world, support_organization=cisss)
    seat(assembly, cisss, D(2010, 1, 15), role=CHAIR, level="executive")
    community_chair = org(world, name="Table des aînés")
    seat(assembly, community_chair, D(2010, 1, 15), D(2012, 12, 31), role=CHAIR, level="executive")
    members = [org(world, "municipal" if n % 7 == 0 else "community") for n in range(42)]
    starts = [D(2010, 1, 15)] * 14 + [D(2011, 2, 1)] * 14 + [D(2012, 2, 1)] * 14
    ends = [D(2013, 6, 30)] * 8 + [D(2014, 9, 30)] * 10 + [None] * 24
    reasons = [EXIT.OVER_SOLICITATION] * 8 + [EXIT.OVER_SOLICITATION] * 6 + [EXIT.STAFF_TURNOVER] * 4 + [""] * 24
    for organization, start, end, reason in zip(members, starts, ends, reasons, strict=True):
        seat(assembly, organization, start, end, exit_reason=reason, level="executive")
    for year in range(2010, 2016):
        meeting(assembly, D(year, 4, 10))
        meeting(assembly, D(year, 10, 10))
    decide(assembly, D(2011, 4, 10), Decision.Mode.VOTE, dissent="Deux organismes préfèrent un autre découpage.")
    priorities(assembly, 2011, ["local_actors", "local_actors", "local_actors"], rejected=["institution"])
    plan(assembly, 2011, [members[1], members[2], members[3], cisss])
    ContextEvent.objects.create(rls=world.rls, instance=assembly, date=D(2013, 3, 1), kind="manager_turnover",
                                title="Nouvelle direction au CSSS")  # fmt: skip
    priorities(assembly, 2014, ["institution", "institution", "ministry"], rejected=["local_actors", "local_actors"])
    plan(assembly, 2014, [cisss, cisss, cisss])
    decide(assembly, D(2014, 4, 10))
    decide(assembly, D(2014, 10, 10))
    return assembly


def test_ves_members_grow_then_decline(ves):
    assert value(diagnose_instance(ves, 2011), "participation_trend") == pytest.approx(87.5)  # 16 → 30
    assert value(diagnose_instance(ves, 2012), "member_organizations") == 44
    assert value(diagnose_instance(ves, 2014), "participation_trend") < -10


def test_ves_2011_is_appropriation_and_co_construction(ves):
    diagnosis = diagnose_instance(ves, 2011)
    (appropriation,) = diagnosis.placements_of("instrumentation_appropriation")
    assert (appropriation.placement, appropriation.confidence) == ("appropriation", HIGH)
    assert {e.indicator for e in appropriation.evidence} >= {"priority_local_share", "chair_public_share"}
    assert placement(diagnosis, "coproduction_coconstruction") == {"co_construction"}
    assert placement(diagnosis, "lebeau_viens_phase") == {"euphoria"}
    assert placement(diagnosis, "institution_tendency") == {"participative"}
    assert placement(diagnosis, "vaillancourt") == {"negotiated_conflictual_cooperation"}
    assert placement(diagnosis, "paternariat_partnership") == {"real_partnership"}


def test_ves_2014_shows_instrumentation(ves):
    diagnosis = diagnose_instance(ves, 2014)
    (instrumentation,) = diagnosis.placements_of("instrumentation_appropriation")
    assert (instrumentation.placement, instrumentation.confidence) == ("instrumentation", HIGH)
    evidence = {e.indicator: e.value for e in instrumentation.evidence}
    assert evidence["priority_institutional_share"] == 100.0 and evidence["exit_over_solicitation_share"] == 60.0
    assert placement(diagnosis, "lebeau_viens_phase") <= {
        "controlled_concertation",
        "restricted_transferred_concertation",
    }
    assert placement(diagnosis, "lebeau_viens_phase")
    assert placement(diagnosis, "institution_tendency") == {"administrative"}
    assert placement(diagnosis, "paternariat_partnership") == {"paternariat"}
    assert value(diagnosis, "institutional_changes") == 0 and value(
        diagnose_instance(ves, 2013), "institutional_changes"
    )
    advice = {r.condition: r for r in diagnosis.recommendations}
    assert any(c.startswith("Retained priorities from the institution or the ministry <") for c in advice)
    assert any("Exits for over-solicitation <" in c for c in advice)


def test_ves_over_all_years_covers_the_whole_period(ves):
    diagnosis = diagnose_instance(ves)
    assert diagnosis.period[0] == 2010 and diagnosis.period[-1] == timezone.localdate().year
    assert value(diagnosis, "retained_priorities") == 6


# The RLS as a whole ---------------------------------------------------------------------------------------------------


def test_rls_diagnosis_reads_every_instance_together(world, ves):
    table = make_instance(world, name="Table jeunesse", bourque_object="programme", basis="thematic")
    seat(table, org(world), D(2011, 1, 1))
    priorities(table, 2011, ["institution"])
    diagnosis = diagnose_rls(world.rls, 2011)
    assert value(diagnosis, "instances") == 2
    assert diagnosis.indicator("instances").detail["by_bourque_type"] == {
        "operationnel_programme": 1, "operationnel_territoire": 1,
    }  # fmt: skip
    assert value(diagnosis, "retained_priorities") == 4 and value(diagnosis, "priority_local_share") == 75.0
    assert not diagnosis.placements_of("bourque_type")
    assert value(diagnosis, "member_organizations") == 31


def test_rls_participation_matches_the_instance_when_it_has_one(world, ves):
    for year in (2011, 2013, 2014):
        alone, whole = diagnose_instance(ves, year), diagnose_rls(world.rls, year)
        for code in ("participation_trend", "turnover_rate", "member_organizations"):
            assert value(alone, code) == value(whole, code), (year, code)


# Thresholds, the rules document, speed ------------------------------------------------------------------------------


def test_thresholds_come_from_settings(settings, ves):
    assert placement(diagnose_instance(ves, 2011), "lebeau_viens_phase") == {"euphoria"}
    settings.DIAGNOSIS_THRESHOLDS = {"growth": 200}
    assert placement(diagnose_instance(ves, 2011), "lebeau_viens_phase") != {"euphoria"}
    settings.DIAGNOSIS_THRESHOLDS = {"no_such_key": 1}
    with pytest.raises(ValueError, match="no_such_key"):
        thresholds()


def test_every_signal_reads_a_known_indicator_and_threshold():
    for rule in RULES:
        for signal in [*rule.signals, *([rule.key] if rule.key else [])]:
            assert signal.indicator in SPECS
            assert not isinstance(signal.threshold, str) or signal.threshold in THRESHOLDS
        assert rule.dimension in DIMENSIONS and rule.tone in {"favourable", "unfavourable", "neutral"}


def test_the_committed_rules_document_is_the_commands_output():
    out = StringIO()
    call_command("diagnosis_rules", stdout=out)
    assert out.getvalue() == render()
    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run: python manage.py diagnosis_rules --write"
    assert "| `appropriation` (Appropriation) | favourable |" in render()


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_data(world, ves, django_assert_max_num_queries):
    small = make_instance(world, name="Petite table")
    seat(small, org(world), D(2011, 1, 1))
    meeting(small, D(2011, 3, 1))
    baseline = count_queries(lambda: diagnose_instance(small, 2011))
    assert baseline <= 25
    with django_assert_max_num_queries(baseline):
        diagnose_instance(ves, 2011)
    with django_assert_max_num_queries(baseline):
        diagnose_instance(ves)
    with django_assert_max_num_queries(baseline):
        diagnose_rls(world.rls)


def test_placements_and_indicators_use_stable_codes_and_labels(ves):
    diagnosis = diagnose_instance(ves, 2014)
    codes = [i.code for i in diagnosis.indicators]
    assert len(codes) == len(set(codes)) and all(code.isascii() and code == code.lower() for code in codes)
    assert [p.dimension for p in diagnosis.placements][:2] == ["bourque_type", "instrumentation_appropriation"]
    for found in diagnosis.placements:
        assert found.label and found.dimension_label and found.rule
        assert found.confidence in {LOW, MEDIUM, HIGH}
    with translation.override("fr"):
        assert diagnosis.placements_of("risks")[0].dimension_label == str(DIMENSIONS["risks"].label)
