"""What each indicator reads (SPECS): its label, unit and source, shown with every value and rendered to
docs/diagnosis-rules.md. The computation is in evaluation.diagnosis.indicators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PERCENT, COUNT, PER_YEAR, RANK_GAP, SCORE, CODE = "percent", "count", "per_year", "rank_gap", "score", "code"


@dataclass(frozen=True)
class Spec:
    label: Promise
    unit: str
    source: Promise
    scopes: tuple[str, ...] = ("instance", "rls")


INSTANCE = ("instance",)
SPECS: dict[str, Spec] = {
    "instance_kind": Spec(_("Kind of instance"), CODE,
        _("The instance's kind, as recorded."), INSTANCE),
    "instance_level": Spec(_("Level"), CODE,
        _("The instance's level (national, regional, sub-regional, local)."), INSTANCE),
    "instance_object": Spec(_("Object of the partnership"), CODE,
        _("The instance's object, as recorded; empty when not said."), INSTANCE),
    "bourque_type": Spec(_("Type of partnership (Bourque)"), CODE,
        _("Read from the object and the level (and the kind for a joint committee), or chosen by a coordinator "
          "with a justification."), INSTANCE),
    "instances": Spec(_("Instances"), COUNT,
        _("The RLS's instances, by Bourque type in the detail."), ("rls",)),
    "member_organizations": Spec(_("Member organisations"), COUNT,
        _("Organisations with a seat (member, chair or delegate) during the last year of the period.")),
    "participation_trend": Spec(_("Change in member organisations"), PERCENT,
        _("Member organisations in the last year of the period against the year before, as on the participation"
          " chart (memberships by year); none when there was no member the year before.")),
    "turnover_rate": Spec(_("Turnover"), PERCENT,
        _("Organisations that left during the period, against those that were members during it (memberships by"
          " year).")),
    "exit_over_solicitation_share": Spec(_("Exits for over-solicitation"), PERCENT,
        _("Memberships that ended during the period with the reason “too many concertations”, against those "
          "that ended with a reason; none when no exit reason is recorded.")),
    "exit_disagreement_count": Spec(_("Exits for disagreement"), COUNT,
        _("Memberships that ended during the period with the reason “disagreement”; none when exits have no "
          "recorded reason.")),
    "chair_public_share": Spec(_("Chair seats held by public institutions"), PERCENT,
        _("Memberships with the chair role during the period, by the sector of their organisation (public "
          "institution or government); none when no chair is recorded.")),
    "chair_community_share": Spec(_("Chair seats held by community organisations"), PERCENT,
        _("Memberships with the chair role during the period held by community organisations.")),
    "chair_sectors": Spec(_("Sectors in the chair"), COUNT,
        _("Distinct sectors of the organisations holding the chair during the period.")),
    "community_seat_share": Spec(_("Community organisations among members"), PERCENT,
        _("Member organisations of the period (members, chairs, delegates) that are community organisations; "
          "every sector in the detail.")),
    "public_seat_share": Spec(_("Public institutions among members"), PERCENT,
        _("Member organisations of the period that are public institutions or government.")),
    "sector_count": Spec(_("Sectors at the table"), COUNT,
        _("Distinct sectors of the member organisations of the period.")),
    "decision_level_spread": Spec(_("Gap between representatives' decision levels"), RANK_GAP,
        _("Highest minus lowest decision level of the representatives of the period (executive 4, manager 3, "
          "staff 2, volunteer or citizen 1), as on the instance page.")),
    "executive_share": Spec(_("Representatives at executive level"), PERCENT,
        _("Representatives of the period whose decision level is executive (director, elected official).")),
    "meetings_held": Spec(_("Meetings held"), COUNT,
        _("Meetings of the period, not cancelled, already started.")),
    "meetings_per_year": Spec(_("Meetings a year"), PER_YEAR,
        _("Meetings held divided by the years of the period (for an RLS, also by its instances with members).")),
    "decision_count": Spec(_("Decisions recorded"), COUNT,
        _("Decisions in the minutes of the period's meetings.")),
    "decision_vote_share": Spec(_("Decisions taken by vote"), PERCENT,
        _("Decisions of the period whose mode is a vote; every mode in the detail.")),
    "decision_dissent_share": Spec(_("Decisions with dissent"), PERCENT,
        _("Decisions of the period with a vote against or a recorded dissent.")),
    "decision_reversal_share": Spec(_("Decisions reversing members' proposals"), PERCENT,
        _("Not determinable: a decision records neither whose proposal it answers nor whether it overturns it. "
          "Record the proposer of agenda items and the outcome of each proposal to measure it.")),
    "agenda_institution_share": Spec(_("Agenda items proposed by public institutions"), PERCENT,
        _("Agenda items of the period by the sector of the organisation that proposed them.")),
    "retained_priorities": Spec(_("Retained priorities"), COUNT,
        _("Candidates retained in the latest plenary round of the period's priority exercises (adherents above "
          "the exercise's threshold).")),
    "priority_local_share": Spec(_("Retained priorities from local actors or the population"), PERCENT,
        _("Origin of the retained priorities of the period: local actors or the population; none when no "
          "priority was retained.")),
    "priority_institutional_share": Spec(_("Retained priorities from the institution or the ministry"), PERCENT,
        _("Origin of the retained priorities of the period: the institution or the ministry.")),
    "local_priority_retention": Spec(_("Local actors' candidates retained"), PERCENT,
        _("Candidates proposed by local actors or the population in a plenary vote of the period, retained.")),
    "response_public_lead_share": Spec(_("Actions led by public institutions"), PERCENT,
        _("Actions of the action plans of the period, by the sector of their lead organisation: who controls "
          "the response; none when no action has a lead.")),
    "formal_agreements": Spec(_("Agreements and protocols"), COUNT,
        _("Agreements (signed, in force, expired or terminated) linked to the instances or naming one as joint "
          "committee, in force during the period; by kind in the detail.")),
    "service_agreements": Spec(_("Service agreements"), COUNT,
        _("Those of the agreements that are service agreements.")),
    "joint_committees": Spec(_("Joint committees"), COUNT,
        _("Instances that are joint committees or that an agreement names as its joint committee.")),
    "public_support_share": Spec(_("Instances supported by a public institution"), PERCENT,
        _("Instances whose support organisation or secretariat is a public institution; none when neither is "
          "recorded.")),
    "funding_dependence_share": Spec(_("Community members dependent on programme funding"), PERCENT,
        _("Community member organisations whose programme or project money and service-agreement money together"
          " exceed their mission funding (PSOC), in their latest year of funding lines up to the end of the "
          "period.")),
    "over_solicited_member_share": Spec(_("Over-solicited members"), PERCENT,
        _("Members of the last year of the period that the RLS's concertation-load report flags as "
          "over-solicited and that sit on several instances that year.")),
    "seat_concentration": Spec(_("Concentration of the RLS's seats"), PERCENT,
        _("Share of the RLS's seats held by its most present 10 % of organisations (concertation-load report).")),
    "survey_score": Spec(_("Survey score"), SCORE,
        _("Mean score (1 to 5) of the latest campaign of the period, each respondent's mean first; only "
          "campaigns whose results may be shown (anonymity threshold, release by the members).")),
    "institutional_changes": Spec(_("Institutional changes"), COUNT,
        _("Context events of the period: change of direction, manager turnover, ministerial directive or loss "
          "of the support mandate.")),
}  # fmt: skip


def format_value(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or unit == CODE:
        return str(value)
    number = formats.number_format(value, 0 if float(value).is_integer() else (2 if unit == SCORE else 1))
    if unit == PERCENT:
        return gettext("%(value)s%%") % {"value": number}
    return number
