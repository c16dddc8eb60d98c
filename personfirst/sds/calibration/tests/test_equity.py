"""The equity report: it finds a difference planted in synthetic data, finds
none where there is none, and hides small groups so that they cannot be
worked out from what is shown."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from personfirst.core.access.disclosure import MINIMUM
from personfirst.sds.calibration import equity, fitting
from personfirst.sds.calibration.groups import AGE_BANDS, CARER, CLIENT_GROUPS

SEEDS = range(20)
PLANTED = -40.0  # £ a week less for the same points


def synthetic(seed: int, n: int = 2_000, bias: dict[tuple[str, str], float] | None = None):
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 80, n).astype(float)
    labels = {
        "age_band": rng.choice(list(AGE_BANDS), n),
        "client_group": rng.choice(list(CLIENT_GROUPS), n),
        "carer_present": rng.choice(list(CARER), n),
    }
    cost = 9.5 * points + 30 + rng.normal(0, 25, n)
    for (category, code), amount in (bias or {}).items():
        cost = cost + amount * (labels[category] == code)
    return points, cost, labels


def group(report: equity.Report, category: str, code: str) -> equity.GroupResult:
    return next(g for c in report.categories if c.key == category for g in c.groups if g.code == code)


@pytest.mark.parametrize("seed", SEEDS)
def test_finds_a_difference_planted_in_one_group(seed):
    points, cost, labels = synthetic(seed, bias={("client_group", "mental-health"): PLANTED})
    report = equity.report(points, cost, labels)
    found = group(report, "client_group", "mental-health")
    assert found.below
    # Within £5 of the planted difference (its standard error is about £1.40 here).
    assert abs(found.difference - Decimal(PLANTED)) < 5
    # In other categories (independent of the planted one), at most the 1 in 20 flagged by chance.
    others = [g for c in report.categories if c.key != "client_group" for g in c.groups]
    assert sum(g.below for g in others) <= 1


@pytest.mark.parametrize(("category", "code"), [("age_band", "85+"), ("carer_present", "yes")])
@pytest.mark.parametrize("seed", range(5))
def test_finds_a_planted_difference_in_the_other_categories(category, code, seed):
    points, cost, labels = synthetic(seed, bias={(category, code): -15.0})
    found = group(equity.report(points, cost, labels), category, code)
    assert found.below and abs(found.difference + 15) < 5


def test_finds_no_difference_where_there_is_none():
    """With no difference planted, a 95 % interval leaves out 0 about 1 time
    in 20 by chance. Over 20 fixed seeds × 13 groups (260 intervals; the
    carer's two groups are one comparison, so 240 independent-ish ones) at
    most 10 % may be flagged either way, and none by more than £10 a week."""
    flagged = total = 0
    for seed in SEEDS:
        report = equity.report(*synthetic(seed))
        for category in report.categories:
            for g in category.groups:
                total += 1
                if g.below or g.above:
                    flagged += 1
                assert abs(g.difference) < 10
    assert total == 20 * 13
    assert flagged / total <= 0.10


def test_the_interval_is_the_difference_give_or_take_1_96_standard_errors():
    points, cost, labels = synthetic(3)
    member = labels["carer_present"] == "yes"
    difference, error = equity.difference(points, cost, member)
    found = group(equity.report(points, cost, labels), "carer_present", "yes")
    assert found.difference == fitting.money(difference)
    assert found.low == fitting.money(difference - 1.959963984540054 * error)
    assert found.high == fitting.money(difference + 1.959963984540054 * error)
    # The two carer groups are the same comparison turned round.
    other = group(equity.report(points, cost, labels), "carer_present", "no")
    assert other.difference == -found.difference


def _with_counts(counts: dict[str, int], category: str = "client_group", seed: int = 0):
    """Synthetic packages whose groups of ``category`` have exactly these counts."""
    rng = np.random.default_rng(seed)
    codes = np.asarray([code for code, count in counts.items() for _ in range(count)])
    n = len(codes)
    points = rng.integers(0, 60, n).astype(float)
    cost = 10 * points + rng.normal(0, 10, n)
    labels = {
        "age_band": np.asarray(["25-64"] * n),
        "client_group": np.asarray(["physical"] * n),
        "carer_present": np.asarray(["no"] * n),
    }
    labels[category] = codes
    return points, cost, labels


def test_a_small_group_is_hidden_and_so_is_the_next_smallest():
    counts = {"physical": 40, "sensory": 3, "memory-cognition": 12, "learning-disability": 30, "mental-health": 25}
    report = equity.report(*_with_counts(counts))
    shown = {g.code: g.count for c in report.categories if c.key == "client_group" for g in c.groups}
    assert shown == {
        "physical": 40,
        "sensory": None,
        "memory-cognition": None,  # the smallest shown: hidden so that sensory's 3 is not 55 - 52
        "learning-disability": 30,
        "mental-health": 25,
        "social": 0,
    }
    hidden = [g for c in report.categories if c.key == "client_group" for g in c.groups if g.suppressed]
    assert all(g.difference is None and g.low is None and g.high is None for g in hidden)


def test_one_of_two_hidden_hides_the_whole_category():
    points, cost, labels = _with_counts({"yes": 3, "no": 60}, category="carer_present")
    report = equity.report(points, cost, labels)
    carer = next(c for c in report.categories if c.key == "carer_present")
    assert [g.count for g in carer.groups] == [None, None]


@given(st.lists(st.integers(0, 30), min_size=6, max_size=6))
def test_no_hidden_group_can_be_worked_out_from_the_total_and_the_others(sizes):
    """Whatever the group sizes: either nothing is hidden, or at least two
    groups are, and the hidden ones together hold 5 or more packages (or the
    category's total is itself below 5 and so everything is hidden)."""
    counts = dict(zip(CLIENT_GROUPS, sizes, strict=True))
    if sum(counts.values()) < MINIMUM:
        return
    points, cost, labels = _with_counts(counts)
    if np.all(points == points[0]):
        return
    report = equity.report(points, cost, labels)
    category = next(c for c in report.categories if c.key == "client_group")
    hidden = [counts[g.code] for g in category.groups if g.suppressed]
    assert all(g.count == counts[g.code] for g in category.groups if not g.suppressed)
    for g in category.groups:
        if 0 < counts[g.code] < MINIMUM:
            assert g.suppressed
    if hidden:
        assert len(hidden) >= 2
        # No combination of the shown figures isolates one hidden group: the
        # total less the shown counts is the sum of two or more hidden groups,
        # which holds at least 5.
        assert sum(hidden) >= MINIMUM


def test_too_few_packages_make_no_report():
    with pytest.raises(fitting.FitError, match="At least 5"):
        equity.report(np.arange(4.0), np.arange(4.0), {})
