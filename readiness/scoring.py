"""Readiness scores: the rules in docs/scoring.md, as plain functions.

No database and no HTTP in here, so the rules can be tested exhaustively.

- An item with n levels (ladder or milestones) answered at level k (1-based)
  scores 100·(k−1)/(n−1). A rating item scores its chosen option's score.
  Not relevant, skipped or not applicable items have no score.
- A section scores the mean of its scored items; a section with none has
  no score.
- The overall score is the mean of the section scores that exist.
- Scores are shown to one decimal place, halves rounded up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ItemRule:
    key: str
    type: str  # "ladder" | "milestones" | "rating"
    levels: int = 0
    option_scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    level: int | None = None
    option: str | None = None
    not_relevant: bool = False


def item_score(rule: ItemRule, response: Response | None) -> float | None:
    if response is None or response.not_relevant:
        return None
    if rule.type in ("ladder", "milestones"):
        if response.level is None:
            return None
        if not 1 <= response.level <= rule.levels or rule.levels < 2:
            raise ValueError(f"{rule.key}: level {response.level} is not between 1 and {rule.levels}")
        return 100 * (response.level - 1) / (rule.levels - 1)
    if rule.type == "rating":
        if not response.option:
            return None
        if response.option not in rule.option_scores:
            raise ValueError(f"{rule.key}: {response.option!r} is not one of its options")
        return float(rule.option_scores[response.option])
    raise ValueError(f"{rule.key}: unknown item type {rule.type!r}")


def mean(values: Iterable[float | None]) -> float | None:
    scored = [value for value in values if value is not None]
    return sum(scored) / len(scored) if scored else None


def section_score(rules: Iterable[ItemRule], responses: Mapping[str, Response]) -> float | None:
    return mean(item_score(rule, responses.get(rule.key)) for rule in rules)


def overall_score(section_scores: Iterable[float | None]) -> float | None:
    return mean(section_scores)


def one_decimal(value: float | None) -> Decimal | None:
    """Round for display: 62.25 → 62.3, 12.35 → 12.4 (halves up, not to even)."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def level_distance(a: int, b: int) -> int:
    return abs(a - b)
