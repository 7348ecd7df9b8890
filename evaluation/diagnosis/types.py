"""What a diagnosis returns: plain frozen dataclasses that pages and the API show as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INSUFFICIENT_EVIDENCE = "insufficient_evidence"
# Enough evidence was read and none of the dimension's placements fits it.
NONE_DETECTED = "none_detected"
LOW, MEDIUM, HIGH = "low", "medium", "high"


@dataclass(frozen=True)
class Indicator:
    code: str  # stable English slug
    label: str
    value: Any  # a number, a code, or None when the data cannot tell
    unit: str  # "percent", "count", "per_year", "rank_gap", "score", "code"
    source: str  # what it reads, and why it is None when it is
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    indicator: str
    value: Any
    source: str


@dataclass(frozen=True)
class Placement:
    dimension: str
    placement: str
    confidence: str  # "low" | "medium" | "high"
    evidence: list[Evidence]
    rule: str  # the condition that placed it, in words

    @property
    def label(self) -> str:
        from evaluation.diagnosis.rules import placement_label

        return placement_label(self.dimension, self.placement)

    @property
    def dimension_label(self) -> str:
        from evaluation.diagnosis.rules import DIMENSIONS

        return str(DIMENSIONS[self.dimension].label)


@dataclass(frozen=True)
class Recommendation:
    condition: str
    suggestion: str
    source: str


@dataclass(frozen=True)
class Diagnosis:
    indicators: list[Indicator]
    placements: list[Placement]
    recommendations: list[Recommendation]
    period: list[int]  # the calendar years covered

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def placements_of(self, dimension: str) -> list[Placement]:
        return [p for p in self.placements if p.dimension == dimension]
