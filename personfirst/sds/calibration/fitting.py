"""Fitting a RAS to costed packages: a price per point (least squares, with
and without a fixed amount added), or a band table. Plain Python and numpy:
no database, no HTTP.

The sums are done in floating point (numpy), as any statistics are; every
amount leaves this module as Decimal money, rounded half up to the penny
(``money``), and the shares and R² as Decimals too. docs/sds.md explains the
arithmetic for a council officer.

- **Price per point, through zero**: weekly cost ≈ price × points. The
  price is the least-squares one: Σ(points × cost) / Σ(points²).
- **Price per point with a fixed amount**: weekly cost ≈ fixed + price ×
  points (ordinary least squares with an intercept).
- **Bands**: the packages are split into bands of points (at the points
  where a fifth, two fifths... of the packages lie, or at the band starts
  given), each band's amount is the average cost of its packages (the
  least-squares amount for a band), a band of fewer than
  disclosure.MINIMUM packages is joined to the one below it (the first to
  the one above), and a band that would give less than the one below is
  joined to it, so the table never falls as points rise.

For each: R² (how much of the spread in costs the fit explains, against
simply paying everyone the average: 1 is all of it; below 0, worse than the
average), what is left over for each package (cost − fitted amount: the
lowest, quartiles, median, highest, and the root mean square), and the share
of packages the fit would fund within 10 % of what they cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from personfirst.core.access.disclosure import MINIMUM

PENNY = Decimal("0.01")
WITHIN = 0.10  # "within 10 %"
DEFAULT_BANDS = 5


class FitError(ValueError):
    """Too few packages, or packages that cannot be fitted (all the same points)."""


def money(value: float) -> Decimal:
    """A float amount as Decimal money: rounded half up to the penny."""
    amount = Decimal(repr(float(value))).quantize(PENNY, rounding=ROUND_HALF_UP)
    return amount if amount else Decimal("0.00")  # never "-0.00"


def ratio(value: float, places: str = "0.001") -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Residuals:
    """Cost − fitted amount, in pounds a week: above 0, the package cost more than the fit would give."""

    lowest: Decimal
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    highest: Decimal
    root_mean_square: Decimal


@dataclass(frozen=True)
class Quality:
    r_squared: Decimal
    within: Decimal  # share of packages funded within ±10 % of their cost, 0 to 1
    within_count: int
    residuals: Residuals

    @property
    def within_percent(self) -> Decimal:
        return (self.within * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineFit:
    with_intercept: bool
    intercept: Decimal  # £0 for the fit through zero
    price_per_point: Decimal
    quality: Quality

    def weekly(self, points: int) -> Decimal:
        return self.intercept + self.price_per_point * points


@dataclass(frozen=True)
class FittedBand:
    from_points: int
    to_points: int | None  # the last band has no top
    packages: int
    weekly: Decimal


@dataclass(frozen=True)
class BandFit:
    bands: tuple[FittedBand, ...]
    quality: Quality
    given: bool  # the band starts were given, not worked out from the packages


@dataclass(frozen=True)
class Fit:
    packages: int
    points_range: tuple[int, int]
    average_cost: Decimal
    through_zero: LineFit
    with_intercept: LineFit
    bands: BandFit


def arrays(points: Sequence[int], costs: Sequence[Decimal]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(points, dtype=float), np.asarray([float(c) for c in costs], dtype=float)


def _quality(cost: np.ndarray, fitted: np.ndarray) -> Quality:
    residual = cost - fitted
    spread = float(np.sum((cost - cost.mean()) ** 2))
    left = float(np.sum(residual**2))
    r_squared = 1.0 - left / spread if spread > 0 else (1.0 if left == 0 else 0.0)
    within = np.abs(fitted - cost) <= WITHIN * cost + 1e-9
    count = int(np.count_nonzero(within))
    low, lower, median, upper, high = np.quantile(residual, [0, 0.25, 0.5, 0.75, 1])
    rms = float(np.sqrt(np.mean(residual**2)))
    return Quality(
        ratio(r_squared),
        ratio(count / len(cost), "0.0001"),
        count,
        Residuals(money(low), money(lower), money(median), money(upper), money(high), money(rms)),
    )


def _check(points: np.ndarray, cost: np.ndarray) -> None:
    if len(points) != len(cost):
        raise FitError("Give as many costs as points.")
    if len(points) < MINIMUM:
        raise FitError(f"At least {MINIMUM} packages are needed to fit anything.")
    if np.all(points == points[0]):
        raise FitError("Every package has the same points, so no price per point can be worked out.")


def fit_line(points: np.ndarray, cost: np.ndarray, *, with_intercept: bool) -> LineFit:
    """The least-squares price per point (and fixed amount, with_intercept)."""
    _check(points, cost)
    if with_intercept:
        design = np.column_stack([np.ones_like(points), points])
        (intercept, price), *_ = np.linalg.lstsq(design, cost, rcond=None)
    else:
        intercept, price = 0.0, float(points @ cost) / float(points @ points)
    # The fit is judged as it would be used: with the amounts rounded to the penny.
    shown_intercept, shown_price = money(intercept), money(price)
    fitted = float(shown_intercept) + float(shown_price) * points
    return LineFit(with_intercept, shown_intercept, shown_price, _quality(cost, fitted))


def band_starts(points: np.ndarray, count: int = DEFAULT_BANDS) -> list[int]:
    """Band starts at the points where each count-th share of the packages begins; the first is 0."""
    cuts = np.quantile(points, [i / count for i in range(1, count)], method="higher")
    return sorted({0, *(int(c) for c in cuts)})


def fit_bands(points: np.ndarray, cost: np.ndarray, starts: Sequence[int] | None = None) -> BandFit:
    _check(points, cost)
    given = starts is not None
    starts = sorted({0, *(int(s) for s in starts)}) if given else band_starts(points)
    if any(s < 0 for s in starts):
        raise FitError("Band starts cannot be below 0 points.")
    # Each band as [start, count, total cost]; then join the small ones and those that would fall.
    which = np.searchsorted(np.asarray(starts), points, side="right") - 1
    counts = np.bincount(which, minlength=len(starts))
    totals = np.bincount(which, weights=cost, minlength=len(starts))
    bands = [[s, int(n), float(t)] for s, n, t in zip(starts, counts, totals, strict=True)]
    merged: list[list] = []
    for band in bands:
        if merged and (band[1] < MINIMUM or merged[-1][1] < MINIMUM):
            merged[-1][1] += band[1]
            merged[-1][2] += band[2]
        else:
            merged.append(band)
    if len(merged) > 1 and merged[-1][1] < MINIMUM:  # a small band at the top joins the one below
        last = merged.pop()
        merged[-1][1] += last[1]
        merged[-1][2] += last[2]
    falling = True
    while falling:  # pool adjacent bands that would fall
        falling = False
        for i in range(1, len(merged)):
            if merged[i][2] / merged[i][1] < merged[i - 1][2] / merged[i - 1][1]:
                merged[i - 1][1] += merged[i][1]
                merged[i - 1][2] += merged[i][2]
                del merged[i]
                falling = True
                break
    merged[0][0] = 0
    amounts = [money(total / count) for _start, count, total in merged]
    tops = [band[0] - 1 for band in merged[1:]] + [None]
    fitted_bands = tuple(
        FittedBand(band[0], top, band[1], amount) for band, top, amount in zip(merged, tops, amounts, strict=True)
    )
    starts_now = np.asarray([b.from_points for b in fitted_bands])
    fitted = np.asarray([float(b.weekly) for b in fitted_bands])[np.searchsorted(starts_now, points, "right") - 1]
    return BandFit(fitted_bands, _quality(cost, fitted), given)


def fit(points: np.ndarray, cost: np.ndarray, band_starts_given: Sequence[int] | None = None) -> Fit:
    _check(points, cost)
    return Fit(
        len(points),
        (int(points.min()), int(points.max())),
        money(cost.mean()),
        fit_line(points, cost, with_intercept=False),
        fit_line(points, cost, with_intercept=True),
        fit_bands(points, cost, band_starts_given),
    )
