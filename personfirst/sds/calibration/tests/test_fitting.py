"""Fitting a price per point and bands: it finds a known price in noisy
synthetic data, and shows its results as Decimal money."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from personfirst.sds.calibration import fitting

PRICE_TOLERANCE = Decimal("0.02")  # 2 % of the price


def synthetic(seed: int, price: float, fixed: float = 0.0, n: int = 3_000, noise: float = 25.0):
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 90, n).astype(float)
    cost = np.maximum(fixed + price * points + rng.normal(0, noise, n), 0)
    return points, cost


@given(seed=st.integers(0, 2**32 - 1), price=st.decimals("4.00", "30.00", places=2))
def test_recovers_a_known_price_per_point_from_noisy_data(seed, price):
    points, cost = synthetic(seed, float(price))
    line = fitting.fit_line(points, cost, with_intercept=False)
    assert abs(line.price_per_point - price) <= price * PRICE_TOLERANCE
    assert line.intercept == Decimal("0.00")


@given(
    seed=st.integers(0, 2**32 - 1),
    price=st.decimals("4.00", "30.00", places=2),
    fixed=st.decimals("50.00", "200.00", places=2),
)
def test_recovers_a_known_price_and_fixed_amount(seed, price, fixed):
    points, cost = synthetic(seed, float(price), float(fixed))
    line = fitting.fit_line(points, cost, with_intercept=True)
    assert abs(line.price_per_point - price) <= price * PRICE_TOLERANCE
    # The fixed amount is found within 5 standard errors of the noise (25 / sqrt(3000) * ~2 per unit).
    assert abs(line.intercept - fixed) <= Decimal("10.00")
    # Through zero, the same data gives a higher price: it has to pay the fixed amount from points.
    assert fitting.fit_line(points, cost, with_intercept=False).price_per_point > line.price_per_point


def test_exact_data_fits_exactly():
    points = np.array([0, 10, 20, 30, 40], dtype=float)
    cost = 9.5 * points + 20
    line = fitting.fit_line(points, cost, with_intercept=True)
    assert (line.intercept, line.price_per_point) == (Decimal("20.00"), Decimal("9.50"))
    assert line.quality.r_squared == Decimal("1.000")
    assert line.quality.within == 1 and line.quality.within_count == 5
    assert line.quality.residuals.root_mean_square == Decimal("0.00")
    assert str(line.quality.residuals.median) == "0.00"  # never "-0.00"


def test_within_ten_percent_counts_the_packages_funded_within_a_tenth_of_their_cost():
    points = np.array([10, 10, 10, 10, 10], dtype=float)
    points[0] = 0  # not all the same points
    cost = np.array([0.0, 100.0, 91.0, 109.0, 120.0])
    fitted = np.array([0.0, 100.0, 100.0, 100.0, 100.0])
    quality = fitting._quality(cost, fitted)
    # 0 for a package that cost 0; 100 against 100, 91 and 109: within; 100 against 120: not.
    assert quality.within_count == 4 and quality.within == Decimal("0.8000")
    assert quality.within_percent == Decimal("80.0")


def test_amounts_are_rounded_half_up_to_the_penny():
    assert fitting.money(2.675) == Decimal("2.68")  # the float is 2.67499999...; its shortest repr rounds up
    assert fitting.money(0.125) == Decimal("0.13")
    assert fitting.money(-0.001) == Decimal("0.00") and str(fitting.money(-0.001)) == "0.00"


def test_too_few_packages_or_all_the_same_points_cannot_be_fitted():
    with pytest.raises(fitting.FitError, match="At least 5 packages"):
        fitting.fit(np.array([1.0, 2, 3, 4]), np.array([1.0, 2, 3, 4]))
    with pytest.raises(fitting.FitError, match="same points"):
        fitting.fit(np.full(6, 3.0), np.arange(6.0))


@given(seed=st.integers(0, 2**32 - 1), starts=st.none() | st.lists(st.integers(0, 100), max_size=8))
def test_bands_start_at_zero_never_fall_and_hold_at_least_five_packages(seed, starts):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    points = rng.integers(0, 80, n).astype(float)
    points[0] = 1 if points[1] == 0 else 0
    cost = np.maximum(points * 8 + rng.normal(0, 80, n), 0)
    bands = fitting.fit_bands(points, cost, starts).bands
    assert bands[0].from_points == 0
    assert all(b.packages >= 5 for b in bands)
    assert sum(b.packages for b in bands) == n
    assert all(later.weekly >= earlier.weekly for earlier, later in zip(bands, bands[1:], strict=False))
    assert all(later.from_points > earlier.from_points for earlier, later in zip(bands, bands[1:], strict=False))
    # Each band pays the average cost of its packages.
    for band in bands:
        top = band.to_points if band.to_points is not None else np.inf
        inside = (points >= band.from_points) & (points <= top)
        assert band.weekly == fitting.money(cost[inside].mean())


def test_default_bands_start_at_each_fifth_of_the_packages():
    points = np.arange(100, dtype=float)
    cost = points * 10
    bands = fitting.fit_bands(points, cost).bands
    assert [b.from_points for b in bands] == [0, 20, 40, 60, 80]
    assert [b.packages for b in bands] == [20, 20, 20, 20, 20]
    assert bands[0].weekly == Decimal("95.00") and bands[-1].to_points is None


def test_a_band_that_would_pay_less_than_the_one_below_is_joined_to_it():
    points = np.array([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24], dtype=float)
    cost = np.array([100.0] * 5 + [50.0] * 5 + [300.0] * 5)
    bands = fitting.fit_bands(points, cost, [0, 10, 20]).bands
    assert [(b.from_points, b.packages, b.weekly) for b in bands] == [
        (0, 10, Decimal("75.00")),
        (20, 5, Decimal("300.00")),
    ]


def test_a_small_given_band_is_joined_to_the_one_below():
    points = np.array([0, 1, 2, 3, 4, 10, 11, 30, 31, 32, 33, 34], dtype=float)
    cost = points * 10
    bands = fitting.fit_bands(points, cost, [0, 10, 30]).bands
    assert [(b.from_points, b.to_points, b.packages) for b in bands] == [(0, 29, 7), (30, None, 5)]
