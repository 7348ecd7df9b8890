"""The indicators: what each one reads (SPECS, rendered to docs/diagnosis-rules.md) and how it is computed from the
facts (evaluation.diagnosis.facts). A value is None when the data cannot tell; its source then says why."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.utils.translation import gettext as _

from concertation.diagnosis import bourque_for, derive_bourque_type
from concertation.models import ContextEvent, Decision, Instance, Membership
from concertation.results import ORIGIN_GROUPS
from concertation.views.instances import DECISION_RANK
from evaluation.diagnosis.facts import PUBLIC_SECTORS, SEAT_ROLES, Facts, members_by_year
from evaluation.diagnosis.specs import SPECS
from evaluation.diagnosis.types import Indicator
from registry.models import FundingLine, Organization, Person

CHANGE_KINDS = {
    ContextEvent.Kind.CHANGE_OF_DIRECTION,
    ContextEvent.Kind.MANAGER_TURNOVER,
    ContextEvent.Kind.MINISTERIAL_DIRECTIVE,
    ContextEvent.Kind.LOST_MANDATE,
}
MISSION = FundingLine.Source.PSOC_MISSION
NON_MISSION = {FundingLine.Source.PROGRAMME, FundingLine.Source.SERVICE_AGREEMENT}


# (value, detail), or (value, detail, source) when the source must say why the value is missing.
Result = tuple[Any, ...]


def share(part: int | float, total: int | float) -> float | None:
    return round(100 * part / total, 1) if total else None


class Computation:
    """The indicators of one diagnosis; each method returns (value, detail), optionally a source saying why the
    value is missing."""

    def __init__(self, facts: Facts, period: list[int], values: dict[str, Any]) -> None:
        self.facts, self.values = facts, values
        self.first, self.last = period[0], period[-1]
        self.years = len(period)
        self.seats = [
            s for s in facts.seats if s.start.year <= self.last and (s.end is None or s.end.year >= self.first)
        ]
        self.voting = [s for s in self.seats if s.role in SEAT_ROLES]
        self.ended = [
            s
            for s in facts.seats
            if s.end is not None and self.first <= s.end.year <= self.last and s.end <= facts.today
        ]

    def indicators(self) -> list[Indicator]:
        scope = "instance" if self.facts.scope.instance is not None else "rls"
        result = []
        for code, spec in SPECS.items():
            if scope not in spec.scopes:
                continue
            value, detail, *why = getattr(self, code)()
            result.append(
                Indicator(code, str(spec.label), value, spec.unit, str(why[0] if why else spec.source), detail)
            )
        return result

    # The instance and its type ------------------------------------------------------------------------------

    def _instance(self) -> dict[str, Any]:
        return self.facts.instances[0]

    def instance_kind(self) -> Result:
        return self._instance()["kind"], {}

    def instance_level(self) -> Result:
        return self._instance()["level"], {}

    def instance_object(self) -> Result:
        return self._instance()["bourque_object"] or None, {}

    def bourque_type(self) -> Result:
        sectors = {s.sector for s in self.voting if _active(s, self.last)}
        diagnosis = bourque_for(self.facts.scope.instance, sectors)
        detail = {"reason": diagnosis.reason, "overridden": diagnosis.overridden, "typical": diagnosis.typical}
        return diagnosis.type, detail

    def instances(self) -> Result:
        types = Counter()
        for row in self.facts.instances:
            if row["bourque_override"]:
                types[row["bourque_override"]] += 1
            else:
                types[derive_bourque_type(row["level"], row["bourque_object"], row["kind"], row["basis"]).type] += 1
        return len(self.facts.instances), {"by_bourque_type": dict(sorted(types.items()))}

    # Participation ------------------------------------------------------------------------------------------

    def _series(self) -> dict[int, tuple[int, int, list[str]]]:
        """year → (members, organisations that left during it, their names): concertation.analytics'
        turnover_by_year for an instance; the same definitions over every instance for an RLS."""
        if self.facts.turnover is not None:
            return {r["year"]: (r["members"], r["left"], r["left_names"]) for r in self.facts.turnover}
        if not self.facts.seats:
            return {}
        today = self.facts.today
        first = min(s.start.year for s in self.facts.seats)
        members = members_by_year(self.facts.seats, first, today.year + 1)
        names = {s.organization_id: s.name for s in self.facts.seats}
        active = {s.organization_id for s in self.facts.seats if s.start <= today and (s.end is None or s.end >= today)}
        series = {}
        for year in range(first, today.year + 1):
            left = members[year] - (active if year == today.year else members[year + 1])
            series[year] = (len(members[year]), len(left), sorted(names[o] for o in left))
        return series

    def member_organizations(self) -> Result:
        return len({s.organization_id for s in self.voting if _active(s, self.last)}), {}

    def participation_trend(self) -> Result:
        series = self._series()
        before, now = series.get(self.last - 1, (0,))[0], series.get(self.last, (0,))[0]
        detail = {"series": {year: row[0] for year, row in series.items()}, "before": before, "now": now}
        return (round(100 * (now - before) / before, 1) if before else None), detail

    def turnover_rate(self) -> Result:
        series = self._series()
        left = sum(series.get(year, (0, 0))[1] for year in range(self.first, self.last + 1))
        names = sorted({n for year in range(self.first, self.last + 1) for n in series.get(year, (0, 0, []))[2]})
        members = len({s.organization_id for s in self.seats})
        return share(left, members), {"left": left, "members": members, "left_names": names}

    def _reasons(self) -> Counter:
        return Counter(s.exit_reason for s in self.ended if s.exit_reason)

    def exit_over_solicitation_share(self) -> Result:
        reasons = self._reasons()
        detail = {"exits": len(self.ended), "with_reason": sum(reasons.values()), "reasons": dict(reasons)}
        return share(reasons[Membership.ExitReason.OVER_SOLICITATION], sum(reasons.values())), detail

    def exit_disagreement_count(self) -> Result:
        reasons = self._reasons()
        if self.ended and not reasons:
            return None, {"exits": len(self.ended)}
        return reasons[Membership.ExitReason.DISAGREEMENT], {"exits": len(self.ended)}

    # Who chairs, who sits -----------------------------------------------------------------------------------

    def _chairs(self) -> list:
        return [s for s in self.seats if s.role == Membership.Role.CHAIR]

    def chair_public_share(self) -> Result:
        chairs = self._chairs()
        sectors = Counter(s.sector for s in chairs)
        return share(sum(1 for s in chairs if s.sector in PUBLIC_SECTORS), len(chairs)), {"sectors": dict(sectors)}

    def chair_community_share(self) -> Result:
        chairs = self._chairs()
        return share(sum(1 for s in chairs if s.sector == Organization.Sector.COMMUNITY), len(chairs)), {}

    def chair_sectors(self) -> Result:
        chairs = self._chairs()
        return (len({s.sector for s in chairs}) if chairs else None), {}

    def _sectors(self) -> dict[int, str]:
        return {s.organization_id: s.sector for s in self.voting}

    def community_seat_share(self) -> Result:
        sectors = self._sectors()
        counts = Counter(sectors.values())
        return share(counts[Organization.Sector.COMMUNITY], len(sectors)), {"sectors": dict(counts)}

    def public_seat_share(self) -> Result:
        sectors = self._sectors()
        return share(sum(1 for s in sectors.values() if s in PUBLIC_SECTORS), len(sectors)), {}

    def sector_count(self) -> Result:
        sectors = self._sectors()
        return (len(set(sectors.values())) if sectors else None), {}

    def _levels(self) -> dict[int, str]:
        return {s.person_id: s.decision_level for s in self.voting if s.person_id and s.decision_level}

    def decision_level_spread(self) -> Result:
        levels = self._levels()
        ranks = [DECISION_RANK[level] for level in levels.values()]
        detail = {"levels": dict(Counter(levels.values()))}
        return (max(ranks) - min(ranks) if len(ranks) >= 2 else None), detail

    def executive_share(self) -> Result:
        levels = self._levels()
        return share(sum(1 for lv in levels.values() if lv == Person.DecisionLevel.EXECUTIVE), len(levels)), {}

    # Meetings, decisions, agenda ----------------------------------------------------------------------------

    def _in_period(self, year: int) -> bool:
        return self.first <= year <= self.last

    def meetings_held(self) -> Result:
        by_year = {y: n for y, n in self.facts.meetings.items() if self._in_period(y)}
        return sum(by_year.values()), {"by_year": dict(sorted(by_year.items()))}

    def meetings_per_year(self) -> Result:
        held = self.meetings_held()[0]
        # For an RLS, per instance: the thresholds read the rhythm of one concertation.
        instances = len({s.instance_id for s in self.seats}) or 1
        return round(held / self.years / instances, 1), {"instances": instances}

    def _decisions(self) -> tuple[Counter, int]:
        modes: Counter = Counter()
        dissenting = 0
        for year, mode, n, with_dissent in self.facts.decisions:
            if self._in_period(year):
                modes[mode] += n
                dissenting += with_dissent
        return modes, dissenting

    def decision_count(self) -> Result:
        modes, _dissent = self._decisions()
        return sum(modes.values()), {"modes": dict(modes)}

    def decision_vote_share(self) -> Result:
        modes, _dissent = self._decisions()
        return share(modes[Decision.Mode.VOTE], sum(modes.values())), {"modes": dict(modes)}

    def decision_dissent_share(self) -> Result:
        modes, dissenting = self._decisions()
        return share(dissenting, sum(modes.values())), {"with_dissent": dissenting}

    def decision_reversal_share(self) -> Result:
        return None, {"unavailable": True}

    def agenda_institution_share(self) -> Result:
        if self.facts.agenda is None:
            return None, {"unavailable": True}, _("Not recorded: an agenda item does not say who proposed it yet.")
        sectors: Counter = Counter()
        for year, sector, n in self.facts.agenda:
            if self._in_period(year):
                sectors[sector or ""] += n
        known = sum(n for sector, n in sectors.items() if sector)
        public = sum(n for sector, n in sectors.items() if sector in PUBLIC_SECTORS)
        return share(public, known), {"sectors": dict(sectors)}

    # Priorities and the response ----------------------------------------------------------------------------

    def _voted(self) -> list:
        return [c for c in self.facts.candidates if self._in_period(c.year) and c.voters and not c.sealed]

    @staticmethod
    def _retained(c) -> bool:
        return 100 * c.adherents / c.voters > c.threshold

    @staticmethod
    def _group(origin: str) -> str:
        # concertation.results groups the origins; the population, where recorded, speaks as local actors do.
        return ORIGIN_GROUPS.get(origin, "local" if origin == "population" else "evidence")

    def _origins(self) -> Counter:
        return Counter(c.origin for c in self._voted() if self._retained(c))

    def retained_priorities(self) -> Result:
        origins = self._origins()
        return sum(origins.values()), {"origins": dict(origins)}

    def priority_local_share(self) -> Result:
        origins = self._origins()
        local = sum(n for origin, n in origins.items() if self._group(origin) == "local")
        return share(local, sum(origins.values())), {"origins": dict(origins)}

    def priority_institutional_share(self) -> Result:
        origins = self._origins()
        institutional = sum(n for origin, n in origins.items() if self._group(origin) == "institutional")
        return share(institutional, sum(origins.values())), {}

    def local_priority_retention(self) -> Result:
        local = [c for c in self._voted() if self._group(c.origin) == "local"]
        retained = sum(1 for c in local if self._retained(c))
        return share(retained, len(local)), {"candidates": len(local), "retained": retained}

    def response_public_lead_share(self) -> Result:
        sectors: Counter = Counter()
        for first, last, sector, n in self.facts.actions:
            if first <= self.last and last >= self.first:
                sectors[sector or ""] += n
        led = sum(n for sector, n in sectors.items() if sector)
        public = sum(n for sector, n in sectors.items() if sector in PUBLIC_SECTORS)
        return share(public, led), {"sectors": dict(sectors)}

    # Formalisation and funding ------------------------------------------------------------------------------

    def _agreements(self) -> list[dict[str, Any]]:
        def span(row: dict[str, Any]) -> tuple[int, int]:
            start = row["start_date"].year if row["start_date"] else row["created_at"].year
            return start, row["end_date"].year if row["end_date"] else 9999

        return [row for row in self.facts.agreements if span(row)[0] <= self.last and span(row)[1] >= self.first]

    def formal_agreements(self) -> Result:
        rows = self._agreements()
        return len(rows), {"by_kind": dict(Counter(row["kind"] for row in rows))}

    def service_agreements(self) -> Result:
        return sum(1 for row in self._agreements() if row["kind"] == "service"), {}

    def joint_committees(self) -> Result:
        named = {row["joint_committee_id"] for row in self._agreements() if row["joint_committee_id"]}
        kinds = {row["pk"] for row in self.facts.instances if row["kind"] == Instance.Kind.JOINT_COMMITTEE}
        return len(named | kinds), {}

    def public_support_share(self) -> Result:
        rows = [row for row in self.facts.instances if row["support"] or row["secretariat"]]
        public = sum(1 for row in rows if {row["support"], row["secretariat"]} & PUBLIC_SECTORS)
        return share(public, len(rows)), {}

    def funding_dependence_share(self) -> Result:
        community = {s.organization_id: s.name for s in self.voting if s.sector == Organization.Sector.COMMUNITY}
        by_org: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
        for org, year, source, total in self.facts.funding:
            if org in community:
                by_org[org][year][source] = total
        dependent, shares, years = [], [], set()
        for org, by_year in by_org.items():
            year = max(by_year)
            amounts = by_year[year]
            years.add(year)
            other, total = sum(amounts.get(s, 0.0) for s in NON_MISSION), sum(amounts.values())
            shares.append(share(other, total) or 0.0)
            if other > amounts.get(MISSION, 0.0):
                dependent.append(community[org])
        detail = {
            "organizations": len(by_org), "dependent": sorted(dependent), "years": sorted(years),
            "mean_non_mission_share": round(sum(shares) / len(shares), 1) if shares else None,
        }  # fmt: skip
        return share(len(dependent), len(by_org)), detail

    # Load, surveys, context ---------------------------------------------------------------------------------

    def over_solicited_member_share(self) -> Result:
        load = self.facts.load
        if not load or not load["totals"]["meetings"]:
            return None, {}
        members = {s.organization_id for s in self.voting if _active(s, load["year"])}
        minimum = self.values["load_instances"]
        flagged = sorted(
            row["name"] for row in load["organizations"]
            if row["id"] in members and row["over_solicited"] and row["instances"] >= minimum
        )  # fmt: skip
        detail = {"year": load["year"], "criterion": load["criterion"], "names": flagged}
        return share(len(flagged), len(members)), detail

    def seat_concentration(self) -> Result:
        concentration = (self.facts.load or {}).get("concentration") or {}
        value = concentration.get("share")
        return (None if value is None else round(100 * value, 1)), {"year": (self.facts.load or {}).get("year")}

    def survey_score(self) -> Result:
        rows = self.facts.surveys
        detail = {"campaigns": [{k: (str(v) if k == "closes_on" else v) for k, v in r.items()} for r in rows]}
        return (rows[-1]["mean"] if rows else None), detail

    def institutional_changes(self) -> Result:
        events = [e for e in self.facts.events if self._in_period(e["date"].year)]
        listed = [{"date": e["date"].isoformat(), "kind": e["kind"], "title": e["title"]} for e in events]
        return sum(1 for e in events if e["kind"] in CHANGE_KINDS), {"events": listed}


def _active(seat, year: int) -> bool:
    return seat.start.year <= year and (seat.end is None or seat.end.year >= year)


def compute(facts: Facts, period: list[int], values: dict[str, Any]) -> list[Indicator]:
    return Computation(facts, period, values).indicators()
