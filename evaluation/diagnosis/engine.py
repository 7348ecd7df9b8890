"""Reading the rules table against the indicators: placements with their evidence and confidence, and the
recommendations drawn from the conditions left unmet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from concertation.diagnosis import INSUFFICIENT_EVIDENCE as NO_OBJECT
from concertation.diagnosis import SOURCE as BOURQUE_SOURCE
from evaluation.diagnosis.rules import DIMENSIONS, RULES, SUGGESTIONS, Dimension, Rule, Signal
from evaluation.diagnosis.types import (
    HIGH,
    INSUFFICIENT_EVIDENCE,
    LOW,
    MEDIUM,
    NONE_DETECTED,
    Evidence,
    Indicator,
    Placement,
    Recommendation,
)


class Reading:
    """One diagnosis' indicators (by code) and thresholds, and what the rules make of them."""

    def __init__(self, indicators: list[Indicator], values: dict[str, Any], scope: str) -> None:
        self.by_code = {indicator.code: indicator for indicator in indicators}
        self.values, self.scope = values, scope

    def value(self, code: str) -> Any:
        indicator = self.by_code.get(code)
        return None if indicator is None else indicator.value

    def holds(self, signal: Signal) -> bool | None:
        return signal.holds(self.value(signal.indicator), self.values)

    def evidence(self, code: str) -> Evidence:
        indicator = self.by_code[code]
        return Evidence(code, indicator.value, indicator.source)

    # Placements ---------------------------------------------------------------------------------------------

    def placements(self) -> list[Placement]:
        result: list[Placement] = []
        for dimension in DIMENSIONS.values():
            if self.scope not in dimension.scopes:
                continue
            if dimension.code == "bourque_type":
                result.append(self._bourque())
            else:
                result.extend(self._dimension(dimension))
        return result

    def _bourque(self) -> Placement:
        indicator = self.by_code["bourque_type"]
        detail = indicator.detail
        evidence = [self.evidence(code) for code in ("instance_level", "instance_object", "instance_kind")]
        if indicator.value == NO_OBJECT:
            return Placement("bourque_type", INSUFFICIENT_EVIDENCE, LOW, evidence, detail["reason"])
        confidence = HIGH if detail["overridden"] or detail["typical"] else MEDIUM
        return Placement("bourque_type", indicator.value, confidence, evidence, detail["reason"])

    def _dimension(self, dimension: Dimension) -> list[Placement]:
        closed = [signal for signal in dimension.gate if not self.holds(signal)]
        if closed:
            rule = "; ".join(signal.describe(self.values) for signal in dimension.gate)
            evidence = [self.evidence(signal.indicator) for signal in closed]
            return [Placement(dimension.code, INSUFFICIENT_EVIDENCE, LOW, evidence, rule)]
        rules = [rule for rule in RULES if rule.dimension == dimension.code]
        codes = list(dict.fromkeys(s.indicator for rule in rules for s in _signals(rule)))
        known = [code for code in codes if self.value(code) is not None]
        if len(known) < self.values["min_evidence"]:
            missing = [self.evidence(code) for code in codes if self.value(code) is None]
            rule = _("at least %(n)s of these indicators with a value") % {"n": self.values["min_evidence"]}
            return [Placement(dimension.code, INSUFFICIENT_EVIDENCE, LOW, missing, rule)]
        scores = {rule.placement: self._score(rule) for rule in rules}
        fired = [rule for rule in rules if scores[rule.placement] is not None]
        if not fired:
            confidence = MEDIUM if len(known) >= 4 else LOW
            rule = _("none of the placements' conditions holds")
            return [Placement(dimension.code, NONE_DETECTED, confidence, [self.evidence(c) for c in known], rule)]
        if dimension.exclusive:
            best = max(scores[rule.placement] for rule in fired)
            fired = [rule for rule in fired if scores[rule.placement] == best]
        return [self._placement(rule, scores, dimension.exclusive, len(fired) > 1) for rule in fired]

    def _score(self, rule: Rule) -> int | None:
        """How many of the rule's signals hold (its key included), or None when it does not fire."""
        if rule.key is not None and not self.holds(rule.key):
            return None
        met = sum(1 for signal in rule.signals if self.holds(signal))
        return met + (rule.key is not None) if met >= rule.min_signals else None

    def _placement(self, rule: Rule, scores: dict[str, int | None], exclusive: bool, tied: bool) -> Placement:
        met = scores[rule.placement] or 0
        # In an exclusive dimension, what speaks for the other placements (fired or not) lowers the confidence.
        others = [self._met(r) for r in RULES if r.dimension == rule.dimension and r is not rule]
        rival = max(others, default=0) if exclusive else 0
        if tied:
            confidence = LOW
        elif met >= 3 and rival == 0:
            confidence = HIGH
        elif met >= 2 and met > rival:
            confidence = MEDIUM
        else:
            confidence = LOW
        evidence = list(dict.fromkeys(self.evidence(s.indicator) for s in _signals(rule) if self.holds(s)))
        return Placement(rule.dimension, rule.placement, confidence, evidence, rule.describe(self.values))

    def _met(self, rule: Rule) -> int:
        return sum(1 for signal in _signals(rule) if self.holds(signal))

    # Recommendations ----------------------------------------------------------------------------------------

    def recommendations(self, placements: list[Placement]) -> list[Recommendation]:
        result: dict[str, Recommendation] = {}
        fired = {(p.dimension, p.placement) for p in placements}
        if self.scope == "instance" and self.value("bourque_type") == NO_OBJECT:
            condition = _("The instance's object is said")
            reason = self.by_code["bourque_type"].detail["reason"]
            result["instance_object"] = Recommendation(condition, reason, str(BOURQUE_SOURCE))
        for dimension in DIMENSIONS.values():
            for signal in dimension.gate:
                if self.scope in dimension.scopes and not self.holds(signal):
                    self._advise(result, signal, str(dimension.source), negate=False)
        for rule in RULES:
            if self.scope not in DIMENSIONS[rule.dimension].scopes:
                continue
            for signal in _signals(rule):
                held = self.holds(signal)
                if rule.tone == "favourable" and not held:
                    self._advise(result, signal, str(rule.source), negate=False)
                elif rule.tone == "unfavourable" and held and (rule.dimension, rule.placement) in fired:
                    self._advise(result, signal, str(rule.source), negate=True)
        return list(result.values())

    def _advise(self, result: dict[str, Recommendation], signal: Signal, source: str, negate: bool) -> None:
        code = signal.indicator
        if code in result or code not in SUGGESTIONS or not signal.advise or code not in self.by_code:
            return
        condition = signal.describe(self.values, negate=negate)
        suggestion, citation = SUGGESTIONS[code]
        indicator = self.by_code[code]
        if indicator.value is not None:
            result[code] = Recommendation(condition, str(suggestion), str(citation))
        elif not indicator.detail.get("unavailable"):
            # Data the platform cannot record yet is explained in the indicator's source, not asked for.
            asked = _("No data to check this yet; record it in Maillage. It reads: %(source)s")
            result[code] = Recommendation(condition, asked % {"source": indicator.source}, source)


def _signals(rule: Rule) -> list[Signal]:
    return [rule.key, *rule.signals] if rule.key is not None else list(rule.signals)


def place(indicators: list[Indicator], values: dict[str, Any], scope: str) -> tuple[list, list]:
    reading = Reading(indicators, values, scope)
    placements = reading.placements()
    return placements, reading.recommendations(placements)
