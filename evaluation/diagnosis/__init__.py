"""The transparent partnership diagnosis (issue §2): indicators read from what the platform holds, and the rules
table (evaluation.diagnosis.rules, rendered to docs/diagnosis-rules.md) that places an instance, or an RLS as a
whole, on the seeds' typologies, each placement with its evidence and confidence.

    diagnose_instance(instance, year=None) -> Diagnosis
    diagnose_rls(rls, year=None) -> Diagnosis

`year` restricts the diagnosis to one calendar year; without it, it covers every year with data (first membership
or meeting to the last activity, this year at most). Pure reads, a fixed number of queries whatever the data
(about twenty; six of them the RLS's concertation-load report).

Modules: types (the result), facts (the queries), indicators (what each indicator reads), rules (the table and
thresholds), engine (placements and recommendations), surveys (survey scores), docs (the rendered table).
"""

from __future__ import annotations

from concertation.models import Instance
from evaluation.cache import kept
from evaluation.diagnosis.engine import place
from evaluation.diagnosis.facts import Facts, Scope, gather_before_period, gather_rest
from evaluation.diagnosis.indicators import compute
from evaluation.diagnosis.rules import RULES, THRESHOLDS, thresholds
from evaluation.diagnosis.types import (
    HIGH,
    INSUFFICIENT_EVIDENCE,
    LOW,
    MEDIUM,
    NONE_DETECTED,
    Diagnosis,
    Evidence,
    Indicator,
    Placement,
    Recommendation,
)
from registry.models import Territory

__all__ = [
    "HIGH", "INSUFFICIENT_EVIDENCE", "LOW", "MEDIUM", "NONE_DETECTED", "RULES", "THRESHOLDS", "Diagnosis",
    "Evidence", "Indicator", "Placement", "Recommendation", "diagnose_instance", "diagnose_rls", "thresholds",
]  # fmt: skip


def diagnose_instance(instance: Instance, year: int | None = None, *, include_unreleased: bool = False) -> Diagnosis:
    """The diagnosis of one instance. `include_unreleased` counts survey campaigns the members have not released:
    only for a reader who may see them (a member of the instance or its coordinator, evaluation.rules)."""
    return _diagnose(Scope(rls=instance.rls, instance=instance), year, include_unreleased)


def diagnose_rls(rls: Territory, year: int | None = None, *, include_unreleased: bool = False) -> Diagnosis:
    """The diagnosis of an RLS's concertation as a whole: every instance of the RLS read together."""
    return _diagnose(Scope(rls=rls), year, include_unreleased)


def _diagnose(scope: Scope, year: int | None, include_unreleased: bool) -> Diagnosis:
    subject = f"i{scope.instance.pk}" if scope.instance else f"r{scope.rls.pk}"
    settings_hash = hash(tuple(sorted(thresholds().items())))
    key = f"diagnosis:{subject}:{year}:{int(include_unreleased)}:{settings_hash}"
    return kept(key, lambda: _compute(scope, year, include_unreleased))


def _compute(scope: Scope, year: int | None, include_unreleased: bool) -> Diagnosis:
    values = thresholds()
    facts = gather_before_period(scope)
    period = [year] if year is not None else _period(facts)
    # The load report of the period's last year with meetings: the current year has barely begun to be recorded.
    load_year = max((y for y in facts.meetings if y <= period[-1]), default=period[-1])
    gather_rest(facts, period[0], period[-1], load_year, values["load_hours"], include_unreleased)
    indicators = compute(facts, period, values)
    placements, recommendations = place(indicators, values, "instance" if scope.instance else "rls")
    return Diagnosis(indicators, placements, recommendations, period)


def _period(facts: Facts) -> list[int]:
    """From the first membership or meeting to the last activity: this year while a membership is open, else the
    last end of membership or meeting."""
    today = facts.today
    starts = [seat.start.year for seat in facts.seats] + list(facts.meetings)
    if not starts:
        return [today.year]
    first = min(starts)
    if any(seat.end is None or seat.end >= today for seat in facts.seats):
        last = today.year
    else:
        last = max([seat.end.year for seat in facts.seats if seat.end] + list(facts.meetings) + [first])
    last = min(last, today.year)
    return list(range(min(first, last), last + 1))
