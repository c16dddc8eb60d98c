"""Exact figures from counts per value: quantiles, shares and percentile
ranks. Plain Python, no database.

A histogram is a list of (value, count) pairs, values as exact fractions.

**Quantiles** use linear interpolation between the two nearest ranks, the
definition numpy uses by default and Python's
``statistics.quantiles(method="inclusive")`` gives: sort the n values
x[0] ≤ … ≤ x[n−1]; for p (0.25 for the lower quartile, 0.5 for the median)
take h = (n − 1) × p; the quantile is x[⌊h⌋] + (h − ⌊h⌋) × (x[⌊h⌋ + 1] − x[⌊h⌋]).
So the minimum is p = 0 and the maximum p = 1. Worked out exactly, and
rounded only for display (readiness.scoring.one_decimal: one decimal
place, halves up).

A **percentile rank** compares one score with a group's: the share of the
group with a lower score, counting those with the same score as half.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from personfirst.readiness.assessments.scoring import one_decimal

Histogram = list[tuple[Fraction, int]]

QUARTILES = (Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1))


def histogram(counts: Mapping[Fraction, int] | Iterable[tuple[Fraction, int]]) -> Histogram:
    """Sorted, without empty values."""
    pairs = counts.items() if isinstance(counts, Mapping) else counts
    merged: dict[Fraction, int] = {}
    for value, count in pairs:
        value = value if isinstance(value, Fraction) else Fraction(value)  # noqa: PLW2901
        merged[value] = merged.get(value, 0) + count
    return sorted((value, count) for value, count in merged.items() if count)


def size(hist: Histogram) -> int:
    return sum(count for _value, count in hist)


def order_statistic(hist: Histogram, rank: int) -> Fraction:
    """The value at 0-based rank ``rank`` of the sorted values."""
    seen = 0
    for value, count in hist:
        seen += count
        if rank < seen:
            return value
    raise IndexError(rank)


def quantile(hist: Histogram, p: Fraction) -> Fraction:
    n = size(hist)
    if not n:
        raise ValueError("no values")
    h = (n - 1) * Fraction(p)
    low = h.numerator // h.denominator
    below = order_statistic(hist, low)
    if h == low:
        return below
    return below + (h - low) * (order_statistic(hist, low + 1) - below)


@dataclass(frozen=True)
class Quartiles:
    n: int
    minimum: Fraction
    lower: Fraction
    median: Fraction
    upper: Fraction
    maximum: Fraction

    def shown(self) -> tuple[Decimal | None, ...]:
        return tuple(one_decimal(v) for v in (self.minimum, self.lower, self.median, self.upper, self.maximum))


def quartiles(hist: Histogram) -> Quartiles:
    return Quartiles(size(hist), *(quantile(hist, p) for p in QUARTILES))


def percentile_rank(hist: Histogram, score: Fraction) -> Fraction:
    """100 × (lower + same ÷ 2) ÷ n, for a score against a group's histogram."""
    n = size(hist)
    if not n:
        raise ValueError("no values")
    lower = sum(count for value, count in hist if value < score)
    same = sum(count for value, count in hist if value == score)
    return Fraction(100 * (2 * lower + same), 2 * n)


def whole(value: Fraction) -> int:
    """Rounded to a whole number, halves up (values are never negative here)."""
    return int(value + Fraction(1, 2))


def percent(part: int, total: int) -> int:
    return whole(Fraction(100 * part, total))


def subtract(hist: Histogram, other: Iterable[tuple[Fraction, int]]) -> Histogram:
    counts = dict(hist)
    for value, count in other:
        counts[value] = counts.get(value, 0) - count
        if counts[value] < 0:
            raise ValueError(f"cannot take {count} × {value} away")
    return histogram(counts)
