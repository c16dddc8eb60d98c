"""Readiness scores: the rules in docs/scoring.md, as plain functions.

No database and no HTTP in here, so the rules can be tested exhaustively.

- An item's score comes from its type (personfirst.core.definitions: a
  ladder or milestones item with n levels answered at level k scores
  100·(k−1)/(n−1); a rating item its chosen option's score). Not relevant,
  skipped or not applicable items have no score.
- A section scores the mean of its scored items; a section with none has
  no score.
- The overall score is the weighted mean of the section scores that exist:
  each section's score times its weight (1 unless the instrument gives
  one), summed, divided by the sum of those sections' weights. With every
  weight 1 that is the plain mean.
- Context questions have no score; "Don't know" and "Not relevant" answers
  have no score: they are left out of every mean, as unanswered items are.
- Scores are shown to one decimal place, halves rounded up.

Scores are exact fractions (fractions.Fraction), not floats: a mean that is
exactly 0.05 must be shown as 0.1, and in binary floating point it comes out
as 0.04999… and would be shown as 0.0. A rating option's score counts as the
decimal number the instrument file wrote (33.3 is 333/10).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def overall_score(section_scores: Iterable[Number | None], weights: Iterable[Number] | None = None) -> Fraction | None:
    """The weighted mean of the section scores that exist (weights in the
    same order; None: every weight 1). Every consumer (results, history,
    caseload, reports, the API and insight) comes here."""
    if weights is None:
        return mean(section_scores)
    total = Fraction(0)
    weight_total = Fraction(0)
    for score, weight in zip(section_scores, weights, strict=True):
        if score is None:
            continue
        weight = exact(weight)
        if weight <= 0:
            raise ValueError(f"a section's weight must be more than 0, not {weight}")
        total += exact(score) * weight
        weight_total += weight
    return total / weight_total if weight_total else None


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


# --------------------------------------------------------------------------
# Strengths and development needs

TOP = 3

NO_SCORES = "No section has a score yet, so there are no strengths or development needs to show."
ONE_SCORE = (
    "Only one section has a score, so there is nothing to rank it against. "
    "Strengths and development needs are shown when two or more sections have scores."
)
ALL_SAME = "Every section has the same score, so none stands out as a strength or a development need."
NONE_ABOVE = "No section scores clearly above the others."
NONE_BELOW = "No section scores clearly below the others."


@dataclass(frozen=True)
class Ranking:
    """Which sections are strengths (highest first) and which are
    development needs (lowest first), by key, and what to say in place of
    an empty list."""

    strengths: list[str]
    needs: list[str]
    no_strengths: str = ""
    no_needs: str = ""


def rank_sections(scores: Iterable[tuple[str, Number | None]], top: int = TOP) -> Ranking:
    """Strengths and development needs among the sections that have a score.

    - Only scored sections are ranked; with fewer than two there is nothing
      to rank.
    - Each list holds at most ``top`` sections and at most half of the scored
      ones, so no section is ever both.
    - A strength scores strictly more than every section that is not one, and
      a need strictly less than every section that is not one: a section
      tied with one left out is left out too. So every strength scores more
      than every need, and when all scores are equal there are neither.
    - Ties within a list keep the order given (the caller sorts by title).
    """
    scored = [(key, exact(score)) for key, score in scores if score is not None]
    if not scored:
        return Ranking([], [], NO_SCORES, NO_SCORES)
    if len(scored) == 1:
        return Ranking([], [], ONE_SCORE, ONE_SCORE)
    if len({score for _key, score in scored}) == 1:
        return Ranking([], [], ALL_SAME, ALL_SAME)
    k = min(top, len(scored) // 2)
    highest = sorted(scored, key=lambda pair: -pair[1])
    lowest = sorted(scored, key=lambda pair: pair[1])
    strengths = [key for key, score in highest[:k] if score > highest[k][1]]
    needs = [key for key, score in lowest[:k] if score < lowest[k][1]]
    return Ranking(
        strengths=strengths,
        needs=needs,
        no_strengths="" if strengths else NONE_ABOVE,
        no_needs="" if needs else NONE_BELOW,
    )
