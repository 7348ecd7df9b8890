"""The diagnosis rules: ONE table (RULES), read by the engine and rendered to docs/diagnosis-rules.md.

A rule places a concertation on one of the seeds' typologies when enough of its signals hold. A signal compares
one indicator (evaluation.diagnosis.indicators) with a threshold; thresholds have defaults here and can be
changed in settings.DIAGNOSIS_THRESHOLDS. No weights learnt from data: a reader can check every placement
against this table and the indicators' values.

A rule's `tone` says what recommendations read from it: the unmet signals of a *favourable* rule and the met
signals of an *unfavourable* rule that fired become suggestions; a *neutral* rule describes without advising.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertation.diagnosis import EXTRA_LABELS, BourqueDiagnosis
from concertation.diagnosis import SOURCE as BOURQUE_SOURCE
from concertation.models.instances import BourqueType
from evaluation.diagnosis.specs import SPECS, format_value
from evaluation.diagnosis.types import INSUFFICIENT_EVIDENCE, NONE_DETECTED

# Key → (default, what it means). The meanings are rendered in docs/diagnosis-rules.md only (English).
THRESHOLDS: dict[str, tuple[Any, str]] = {
    "min_evidence": (2, "indicators with a value a dimension needs before it places anything"),
    "local_priorities": (60, "% of retained priorities from local actors or the population: the issues are owned"),
    "institutional_priorities": (50, "% of retained priorities from the institution or the ministry"),
    "institution_chair": (100, "% of chair seats held by public institutions from which the chair is theirs"),
    "shared_chair": (2, "sectors among the chairs from which leadership is shared"),
    "public_lead": (60, "% of action-plan actions led by public institutions from which they control the response"),
    "institution_agenda": (60, "% of agenda items proposed by public institutions from which they set the agenda"),
    "dissent": (10, "% of decisions with a vote against or a recorded dissent: divergences are voiced"),
    "opposition_dissent": (25, "% of decisions with a vote against or a recorded dissent: an opposition"),
    "power_gap": (2, "gap in decision-level ranks from which power is not comparable (as on the instance page)"),
    "formal": (1, "agreements or protocols linked to the instance: the partnership is formalised"),
    "dependence": (50, "% of community members whose programme and service-agreement money exceeds mission funding"),
    "growth": (10, "% growth in member organisations over the year before: a mobilisation"),
    "decline": (-10, "% change in member organisations at or below which participation declines"),
    "turnover": (20, "% of the period's member organisations that left during it"),
    "over_solicitation_exits": (25, "% of exits (with a reason) given as over-solicitation"),
    "over_solicited_members": (30, "% of members over-solicited in the RLS's load report"),
    "load_instances": (3, "instances a member must sit on that year to count as over-solicited"),
    "load_hours": (None, "hours of meetings a year above which an organisation is over-solicited (None: top 10 %)"),
    "concentration": (40, "% of the RLS's seats held by its most present 10 % of organisations"),
    "meetings_low": (2, "meetings a year under which the institution waits rather than invests"),
    "meetings_participative": (4, "meetings a year from which the concertation is actively run"),
    "local_retention": (25, "% of local actors' candidate priorities retained, under which their offers are set aside"),
    "public_support": (50, "% of instances supported or run by a public institution (convening, minutes, staff)"),
    "survey_high": (4.0, "mean survey score (1 to 5) read as a strength, as the shipped instruments do"),
}


def thresholds() -> dict[str, Any]:
    """The defaults, overridden by settings.DIAGNOSIS_THRESHOLDS (an unknown key is a configuration error)."""
    chosen = getattr(settings, "DIAGNOSIS_THRESHOLDS", {}) or {}
    unknown = set(chosen) - set(THRESHOLDS)
    if unknown:
        raise ValueError(f"Unknown DIAGNOSIS_THRESHOLDS keys: {', '.join(sorted(unknown))}")
    return {key: chosen.get(key, default) for key, (default, _meaning) in THRESHOLDS.items()}


OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
NEGATION = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


@dataclass(frozen=True)
class Signal:
    indicator: str
    op: str  # one of OPS
    threshold: str | float  # a key of THRESHOLDS, or a fixed number
    # False when the opposite is not advice (having no service agreement is not a goal).
    advise: bool = True

    def limit(self, values: dict[str, Any]) -> Any:
        return values[self.threshold] if isinstance(self.threshold, str) else self.threshold

    def holds(self, value: Any, values: dict[str, Any]) -> bool | None:
        """True or False, or None when the indicator has no value."""
        if value is None:
            return None
        return bool(OPS[self.op](value, self.limit(values)))

    def describe(self, values: dict[str, Any], negate: bool = False) -> str:
        spec = SPECS[self.indicator]
        op = NEGATION[self.op] if negate else self.op
        return f"{spec.label} {SYMBOLS[op]} {format_value(self.limit(values), spec.unit)}"


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Promise
    exclusive: bool  # one placement (the best supported) or every placement that fits
    source: Promise
    # Conditions without which the dimension cannot be read at all (an instance that never met).
    gate: tuple[Signal, ...] = ()
    scopes: tuple[str, ...] = ("instance", "rls")


@dataclass(frozen=True)
class Rule:
    dimension: str
    placement: str
    signals: tuple[Signal, ...]
    source: Promise
    min_signals: int = 1  # of `signals`, besides the key
    key: Signal | None = None  # when set, it must hold for the rule to fire (and counts as one more signal)
    tone: str = "neutral"  # "favourable" | "unfavourable" | "neutral"

    def describe(self, values: dict[str, Any]) -> str:
        parts = "; ".join(signal.describe(values) for signal in self.signals)
        if len(self.signals) == 1:
            text = parts
        elif self.min_signals >= len(self.signals):
            text = _("all of: %(signals)s") % {"signals": parts}
        else:
            text = _("at least %(n)s of: %(signals)s") % {"n": self.min_signals, "signals": parts}
        if self.key is not None:
            text = _("%(key)s, and %(rest)s") % {"key": self.key.describe(values), "rest": text}
        return text


MET = Signal("meetings_held", ">=", 1)
DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in (
        Dimension("bourque_type", gettext_lazy("Type of partnership (Bourque)"), True,
                  BOURQUE_SOURCE, scopes=("instance",)),
        Dimension("instrumentation_appropriation", gettext_lazy("Instrumentation or appropriation"), True,
                  gettext_lazy("Bourque (2010), slides 13–14"), (MET,)),
        Dimension("coproduction_coconstruction", gettext_lazy("Co-production or co-construction"), True,
                  gettext_lazy("Bourque (2010), slide 33"), (MET,)),
        Dimension("vaillancourt", gettext_lazy("Vaillancourt's three theses"), True,
                  gettext_lazy("Vaillancourt, in Bourque's CÉRIS working paper §1"), (MET,)),
        Dimension("paternariat_partnership", gettext_lazy("Paternariat or real partnership"), True,
                  gettext_lazy("Panet-Raymond & Bourque (1991)"), (MET,)),
        Dimension("institution_tendency", gettext_lazy("Tendency of the institution"), True,
                  gettext_lazy("Bourque (2010), slide 24"),
                  (MET, Signal("public_seat_share", ">", 0))),
        Dimension("community_positions", gettext_lazy("Community positions present"), False,
                  gettext_lazy("Bourque (2010), slide 29"),
                  (MET, Signal("community_seat_share", ">", 0))),
        Dimension("lebeau_viens_phase", gettext_lazy("Phase (Lebeau & Viens)"), True,
                  gettext_lazy("Lebeau & Viens (1991), in Bourque's CÉRIS working paper §4"), (MET,)),
        Dimension("risks", gettext_lazy("Risks"), False,
                  gettext_lazy("Bourque (2010), slide 35; Bourque's CÉRIS working paper §1.3.2")),
    )
}  # fmt: skip

S = Signal
LOCAL = S("priority_local_share", ">=", "local_priorities")
INSTITUTIONAL = S("priority_institutional_share", ">=", "institutional_priorities")
CHAIR_NOT_PUBLIC = S("chair_public_share", "<", "institution_chair")
CHAIR_PUBLIC = S("chair_public_share", ">=", "institution_chair")
CHAIR_SHARED = S("chair_sectors", ">=", "shared_chair")
LEAD_SHARED = S("response_public_lead_share", "<", "public_lead")
LEAD_PUBLIC = S("response_public_lead_share", ">=", "public_lead")
AGENDA_OPEN = S("agenda_institution_share", "<", "institution_agenda")
AGENDA_PUBLIC = S("agenda_institution_share", ">=", "institution_agenda")
OVER_SOLICITATION_EXITS = S("exit_over_solicitation_share", ">=", "over_solicitation_exits")
DEPENDENT = S("funding_dependence_share", ">=", "dependence")
SERVICE = S("service_agreements", ">=", 1, advise=False)
FORMAL = S("formal_agreements", ">=", "formal")
DISSENT = S("decision_dissent_share", ">=", "dissent")
NO_DISSENT = S("decision_dissent_share", "<", "dissent")
GROWING = S("participation_trend", ">=", "growth")
DECLINING = S("participation_trend", "<=", "decline")

SLIDES_13 = gettext_lazy(
    "Bourque (2010), slides 13–14: communities used to carry out public priorities, or local "
    "actors owning the issues with a controlled public contribution"
)
SLIDE_33 = gettext_lazy("Bourque (2010), slide 33: the community helps define services, not only produce them")
VAILLANCOURT = gettext_lazy("Vaillancourt's three theses, in Bourque's CÉRIS working paper §1")
PANET = gettext_lazy("Panet-Raymond & Bourque (1991): unequal relation managed at a distance, or mutual recognition")
SLIDE_24 = gettext_lazy("Bourque (2010), slide 24: the institution's tendencies in drafting clinical projects")
SLIDE_29 = gettext_lazy("Bourque (2010), slide 29: community positions")
LEBEAU = gettext_lazy(
    "Lebeau & Viens (1991): euphoria, controlled concertation, restricted and transferred concertation"
)
SLIDE_35 = gettext_lazy("Bourque (2010), slide 35: the same actors over-solicited, over-investment against mission")
DENATURATION = gettext_lazy(
    "Bourque's CÉRIS working paper §1.3.2: centripetal dénaturation, absorbed as a para-public service"
)

F, U = "favourable", "unfavourable"
RULES: tuple[Rule, ...] = (
    Rule("instrumentation_appropriation", "appropriation", (LOCAL, CHAIR_NOT_PUBLIC, LEAD_SHARED, AGENDA_OPEN),
         SLIDES_13, tone=F),
    Rule("instrumentation_appropriation", "instrumentation",
         (INSTITUTIONAL, CHAIR_PUBLIC, LEAD_PUBLIC, AGENDA_PUBLIC, OVER_SOLICITATION_EXITS), SLIDES_13, tone=U),
    Rule("coproduction_coconstruction", "co_construction",
         (LOCAL, CHAIR_SHARED, AGENDA_OPEN, S("survey_score", ">=", "survey_high")), SLIDE_33, tone=F),
    Rule("coproduction_coconstruction", "co_production",
         (INSTITUTIONAL, AGENDA_PUBLIC, S("response_public_lead_share", "<", "public_lead", advise=False), SERVICE),
         SLIDE_33, min_signals=2),
    Rule("vaillancourt", "technical_complementarity", (DEPENDENT, SERVICE, INSTITUTIONAL), VAILLANCOURT,
         min_signals=2, tone=U),
    Rule("vaillancourt", "perverse_recuperation",
         (OVER_SOLICITATION_EXITS, S("over_solicited_member_share", ">=", "over_solicited_members"), DEPENDENT,
          NO_DISSENT), VAILLANCOURT, min_signals=2, tone=U),
    Rule("vaillancourt", "negotiated_conflictual_cooperation", (DISSENT, FORMAL, LOCAL, CHAIR_SHARED), VAILLANCOURT,
         min_signals=2, tone=F),
    Rule("paternariat_partnership", "paternariat",
         (CHAIR_PUBLIC, DEPENDENT, S("decision_level_spread", ">=", "power_gap"), LEAD_PUBLIC), PANET, tone=U),
    Rule("paternariat_partnership", "real_partnership",
         (CHAIR_NOT_PUBLIC, S("funding_dependence_share", "<", "dependence"),
          S("decision_level_spread", "<", "power_gap"), FORMAL), PANET, tone=F),
    Rule("institution_tendency", "attentiste",
         (S("meetings_per_year", "<", "meetings_low"), S("local_priority_retention", "<", "local_retention")),
         SLIDE_24, tone=U),
    Rule("institution_tendency", "administrative", (INSTITUTIONAL, AGENDA_PUBLIC, NO_DISSENT), SLIDE_24,
         min_signals=2, tone=U),
    Rule("institution_tendency", "participative",
         (S("meetings_per_year", ">=", "meetings_participative"), S("public_support_share", ">=", "public_support"),
          LOCAL, CHAIR_SHARED), SLIDE_24, min_signals=2, tone=F),
    Rule("community_positions", "opposition",
         (S("exit_disagreement_count", ">=", 1), S("decision_dissent_share", ">=", "opposition_dissent")), SLIDE_29),
    Rule("community_positions", "complementarist", (DEPENDENT, SERVICE), SLIDE_29),
    Rule("community_positions", "strategic", (S("chair_community_share", ">", 0), FORMAL, LOCAL), SLIDE_29,
         min_signals=2, tone=F),
    Rule("lebeau_viens_phase", "euphoria", (LOCAL, S("turnover_rate", "<", "turnover")), LEBEAU, key=GROWING),
    Rule("lebeau_viens_phase", "controlled_concertation",
         (DECLINING, INSTITUTIONAL, AGENDA_PUBLIC, OVER_SOLICITATION_EXITS,
          S("institutional_changes", ">=", 1, advise=False)), LEBEAU, min_signals=2, tone=U),
    Rule("lebeau_viens_phase", "restricted_transferred_concertation",
         (CHAIR_PUBLIC, DECLINING, S("turnover_rate", ">=", "turnover")), LEBEAU, key=LEAD_PUBLIC, tone=U),
    Rule("risks", "hyperconcertation",
         (S("over_solicited_member_share", ">=", "over_solicited_members"), OVER_SOLICITATION_EXITS,
          S("seat_concentration", ">=", "concentration")), SLIDE_35, tone=U),
    Rule("risks", "denaturation", (DEPENDENT, SERVICE), DENATURATION, min_signals=2, tone=U),
)  # fmt: skip

PLACEMENT_LABELS: dict[str, Promise] = {
    INSUFFICIENT_EVIDENCE: gettext_lazy("Insufficient evidence"),
    NONE_DETECTED: gettext_lazy("None detected"),
    "appropriation": gettext_lazy("Appropriation"),
    "instrumentation": gettext_lazy("Instrumentation"),
    "co_construction": gettext_lazy("Co-construction"),
    "co_production": gettext_lazy("Co-production"),
    "technical_complementarity": gettext_lazy("Technical complementarity"),
    "perverse_recuperation": gettext_lazy("Perverse recuperation"),
    "negotiated_conflictual_cooperation": gettext_lazy("Negotiated conflictual cooperation"),
    "paternariat": gettext_lazy("Paternariat"),
    "real_partnership": gettext_lazy("Real partnership"),
    "attentiste": gettext_lazy("Wait-and-see"),
    "administrative": gettext_lazy("Administrative"),
    "participative": gettext_lazy("Participative"),
    "opposition": gettext_lazy("Opposition"),
    "complementarist": gettext_lazy("Complementarist"),
    "strategic": gettext_lazy("Strategic"),
    "euphoria": gettext_lazy("Euphoria"),
    "controlled_concertation": gettext_lazy("Controlled concertation"),
    "restricted_transferred_concertation": gettext_lazy("Restricted and transferred concertation"),
    "hyperconcertation": gettext_lazy("Hyperconcertation"),
    "denaturation": gettext_lazy("Dénaturation"),
}


def placement_label(dimension: str, placement: str) -> str:
    if dimension == "bourque_type" and (placement in EXTRA_LABELS or placement in BourqueType.values):
        return BourqueDiagnosis(placement, "").label
    return str(PLACEMENT_LABELS.get(placement, placement))


SHARED_LEADERSHIP = gettext_lazy("VES case study: the second compromise, shared leadership")
# What to do about an indicator when a favourable condition on it is unmet (or an unfavourable one is met).
SUGGESTIONS: dict[str, tuple[Promise, Promise]] = {
    "priority_local_share": (gettext_lazy(
        "Let members and the population propose and choose the priorities: collect candidate needs from every member "
        "organisation, work them in teams, and retain them by a majority of the plenary."),
        gettext_lazy("VES case study: priority setting in the partners' assembly")),
    "priority_institutional_share": (gettext_lazy(
        "Bring the institution's and the ministry's priorities as candidates among others, voted on by the members, "
        "not as a given."), gettext_lazy("Bourque (2010), slides 38–40")),
    "chair_public_share": (gettext_lazy(
        "Share the leadership: a co-chair from a community organisation or another sector, the institution "
        "convening, supporting and committing means."), SHARED_LEADERSHIP),
    "chair_sectors": (gettext_lazy("Have the chair shared by people of at least two sectors."), SHARED_LEADERSHIP),
    "chair_community_share": (gettext_lazy(
        "Give community organisations a seat in the chair, so that they can set conditions on the common action."),
        gettext_lazy("Bourque (2010), slide 29")),
    "response_public_lead_share": (gettext_lazy(
        "Have member organisations lead actions of the plan, with the means the institution commits, so that the "
        "response is not the institution's alone."), gettext_lazy("Bourque (2010), slides 13–14")),
    "agenda_institution_share": (gettext_lazy(
        "Open the agenda: invite every member to propose items before each meeting, and note who proposed each."),
        gettext_lazy("Bourque (2010), slides 38–40: every actor informed, heard and able to influence")),
    "decision_dissent_share": (gettext_lazy(
        "Discuss freely, then decide democratically, and record votes and dissent: divergences are a condition of "
        "relevance, otherwise it is subcontracting."), gettext_lazy("Bourque (2010), slide 11")),
    "decision_level_spread": (gettext_lazy(
        "Ask member organisations to delegate representatives with comparable decision power."),
        gettext_lazy("Bourque (2010), slide 38")),
    "formal_agreements": (gettext_lazy(
        "Set out roles and contributions in a written agreement or protocol, drafted, carried out and evaluated "
        "together."), gettext_lazy("Antil, Drouin & Dugré; Panet-Raymond & Bourque")),
    "funding_dependence_share": (gettext_lazy(
        "Watch programme and service-agreement money overtaking the mission funding of community members, and "
        "defend their mission funding."), gettext_lazy("Fournier et al., in Bourque's CÉRIS working paper §2.1")),
    "participation_trend": (gettext_lazy(
        "Find out why members stay away or leave, and renew the mobilisation around a few objectives with concrete "
        "short-term gains."), gettext_lazy("Saint-Jacques; Bourque (2010), slides 38–40")),
    "turnover_rate": (gettext_lazy(
        "Record why members leave and welcome newcomers, so that the collective actor survives staff changes."),
        gettext_lazy("VES case study: the changes of 2013")),
    "exit_over_solicitation_share": (gettext_lazy(
        "Lighten the load: merge overlapping concertations, spread the seats over more organisations, meet less "
        "often or for less time."), gettext_lazy("Bourque (2010), slide 35")),
    "over_solicited_member_share": (gettext_lazy(
        "Spread the seats: the same organisations sit on too many concertations; invite others or merge tables."),
        gettext_lazy("Bourque (2010), slide 35")),
    "seat_concentration": (gettext_lazy(
        "Account for and integrate the territory's other concertations so that a few organisations do not carry "
        "them all."), gettext_lazy("Bourque (2010), slides 35 and 38")),
    "meetings_per_year": (gettext_lazy(
        "Meet regularly enough to keep the work going, with convening, minutes and follow-up."),
        gettext_lazy("Bourque (2010), slide 24")),
    "local_priority_retention": (gettext_lazy(
        "Give community proposals a real hearing: discuss each one and say in the minutes why it was not retained."),
        gettext_lazy("Bourque (2010), slide 24")),
    "public_support_share": (gettext_lazy(
        "Ask the institution to commit means to the concertation: convening, minutes, a support person."),
        gettext_lazy("VES case study: the CSSS convenes and supports; Bourque (2010), slides 38–40")),
    "survey_score": (gettext_lazy(
        "Discuss the survey results together and work first on the conditions scored lowest; evaluate the "
        "concertation collectively each year."), gettext_lazy("Bourque (2010), slides 38–40")),
    "exit_disagreement_count": (gettext_lazy(
        "Open up controversies: put disagreements on the agenda rather than letting members leave over them."),
        gettext_lazy("Bourque (2010), slides 38–40")),
    "meetings_held": (gettext_lazy(
        "Record the instance's meetings (agenda, attendance, decisions) so that it can be diagnosed."),
        gettext_lazy("Bourque (2010), slides 38–40: professional and technical support")),
}  # fmt: skip
