"""A reference implementation of the scoring rules, written from the issue's
words (not from readiness/scoring.py) with exact fractions, for the tests
to compare the real code with.

- Item: ladder or milestones with n levels at level k → 100·(k−1)/(n−1);
  rating → the chosen option's score; not relevant or unanswered → none.
- Section: mean of its scored items. Overall: mean of the sections with a score.
- Shown to one decimal place, halves rounded up (away from zero).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def exact(number) -> Fraction:
    """A number as the author wrote it: 33.3 in a file means 333/10."""
    if isinstance(number, Fraction):
        return number
    return Fraction(str(number))


def reference_item(rule, response) -> Fraction | None:
    if response is None or response.not_relevant:
        return None
    if rule.type in ("ladder", "milestones"):
        if response.level is None:
            return None
        return Fraction(100 * (response.level - 1), len(rule.levels) - 1)
    if not response.option:
        return None
    return exact({option.key: option.score for option in rule.options}[response.option])


def level_score(level: int, levels: int) -> Fraction:
    return Fraction(100 * (level - 1), levels - 1)


def reference_mean(values) -> Fraction | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Fraction(0)) / len(present)


def reference_round(value) -> Decimal | None:
    """One decimal place, halves away from zero, computed on the exact value."""
    if value is None:
        return None
    value = exact(value)
    tenths = abs(value) * 10
    whole = tenths.numerator // tenths.denominator
    if tenths - whole >= Fraction(1, 2):
        whole += 1
    text = f"{'-' if value < 0 and whole else ''}{whole // 10}.{whole % 10}"
    return Decimal(text)
