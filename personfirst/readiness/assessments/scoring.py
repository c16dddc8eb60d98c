"""Readiness scores: the rules in docs/scoring.md, as plain functions.

No database and no HTTP in here, so the rules can be tested exhaustively.

- An item's score comes from its type (personfirst.core.definitions: a
  ladder or milestones item with n levels answered at level k scores
  100·(k−1)/(n−1); a rating item its chosen option's score). Not relevant,
  skipped or not applicable items have no score.
- A section scores the mean of its scored items; a section with none has
  no score.
- The overall score is the mean of the section scores that exist.
- Scores are shown to one decimal place, halves rounded up.

Scores are exact fractions (fractions.Fraction), not floats: a mean that is
exactly 0.05 must be shown as 0.1, and in binary floating point it comes out
as 0.04999… and would be shown as 0.0. A rating option's score counts as the
decimal number the instrument file wrote (33.3 is 333/10).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from personfirst.core.definitions.items import ItemDefinition, Response, exact

__all__ = ["ItemDefinition", "Response", "exact", "item_score", "mean", "one_decimal", "overall_score", "section_score"]

Number = int | float | Decimal | Fraction


def item_score(item: ItemDefinition, response: Response | None) -> Fraction | None:
    """The item's score for this answer, by its type (ItemType.score)."""
    try:
        kind = item.kind
    except ValueError as unknown:
        raise ValueError(f"{item.key}: {unknown}") from None
    return kind.score(item, response)


def mean(values: Iterable[Number | None]) -> Fraction | None:
    scored = [exact(value) for value in values if value is not None]
    return sum(scored, Fraction(0)) / len(scored) if scored else None


def section_score(items: Iterable[ItemDefinition], responses: Mapping[str, Response | None]) -> Fraction | None:
    return mean(item_score(item, responses.get(item.key)) for item in items)


def overall_score(section_scores: Iterable[Number | None]) -> Fraction | None:
    return mean(section_scores)


def one_decimal(value: Number | None) -> Decimal | None:
    """Round for display: 62.25 → 62.3, 12.35 → 12.4, −2.25 → −2.3 (halves
    away from zero, not to even), computed on the exact value."""
    if value is None:
        return None
    value = exact(value)
    tenths = abs(value) * 10
    rounded = int(tenths + Fraction(1, 2))  # floor, as tenths + ½ is positive
    if value < 0:
        rounded = -rounded
    return (Decimal(rounded) / 10).quantize(Decimal("0.1"))
