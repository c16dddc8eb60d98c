"""insight/figures.py: exact quantiles, percentile ranks and rounding from
counts per value, against Python's own statistics on the values written
out one by one."""

from __future__ import annotations

import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from personfirst.insight.area import figures

# Section scores: a few distinct values (thirds, halves, quarters), as the shipped instruments give.
scores = st.sampled_from([Fraction(n, d) * 100 for d in (2, 3, 4) for n in range(d + 1)])
samples = st.lists(scores, min_size=2, max_size=60)


def counted(values) -> figures.Histogram:
    counts: dict[Fraction, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return figures.histogram(counts)


@given(samples)
def test_quartiles_are_pythons_inclusive_quantiles(values):
    hist = counted(values)
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    quartiles = figures.quartiles(hist)
    assert (quartiles.lower, quartiles.median, quartiles.upper) == (lower, median, upper)
    assert (quartiles.minimum, quartiles.maximum) == (min(values), max(values))
    assert quartiles.median == statistics.median(values)
    assert quartiles.n == len(values)


def test_linear_interpolation_by_hand():
    # 0, 50, 50, 100: h = 3 × 0.25 = 0.75 → 0 + 0.75 × 50 = 37.5; the median halfway between the 50s.
    hist = counted([Fraction(0), Fraction(50), Fraction(50), Fraction(100)])
    assert figures.quantile(hist, Fraction(1, 4)) == Fraction(75, 2)
    assert figures.quantile(hist, Fraction(1, 2)) == 50
    assert figures.quantile(hist, Fraction(3, 4)) == Fraction(125, 2)
    assert figures.quartiles(hist).shown() == tuple(
        figures.one_decimal(v) for v in (0, Fraction(75, 2), 50, Fraction(125, 2), 100)
    )


def test_one_value():
    hist = counted([Fraction(100, 3)])
    assert figures.quartiles(hist).shown()[2] == figures.one_decimal(Fraction(100, 3))


def test_no_values():
    with pytest.raises(ValueError):
        figures.quantile([], Fraction(1, 2))


@given(samples, scores)
def test_percentile_rank_counts_lower_and_half_the_same(values, score):
    hist = counted(values)
    lower = sum(1 for v in values if v < score)
    same = sum(1 for v in values if v == score)
    assert figures.percentile_rank(hist, score) == Fraction(100) * (lower + Fraction(same, 2)) / len(values)


def test_percentile_rank_by_hand():
    hist = counted([Fraction(0), Fraction(50), Fraction(50), Fraction(100)])
    assert figures.percentile_rank(hist, Fraction(50)) == 50  # one lower, two the same: (1 + 1) ÷ 4
    assert figures.percentile_rank(hist, Fraction(100)) == Fraction(175, 2)
    assert figures.percentile_rank(hist, Fraction(0)) == Fraction(25, 2)


@pytest.mark.parametrize(
    ("part", "total", "expected"), [(1, 8, 13), (1, 3, 33), (2, 3, 67), (5, 8, 63), (0, 7, 0), (7, 7, 100)]
)
def test_percent_rounds_halves_up(part, total, expected):
    assert figures.percent(part, total) == expected


def test_subtract_takes_one_organisation_away():
    hist = counted([Fraction(50), Fraction(50), Fraction(100)])
    assert figures.subtract(hist, [(Fraction(50), 1)]) == [(Fraction(50), 1), (Fraction(100), 1)]
    with pytest.raises(ValueError):
        figures.subtract(hist, [(Fraction(0), 1)])
