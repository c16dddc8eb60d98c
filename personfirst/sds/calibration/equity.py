"""The equity report: for the same points, do packages cost more or less
for one age band, client group, or with a carer present, than for everyone
else? Plain Python and numpy: no database, no HTTP.

For each group of each category, one least-squares fit over every package:

    weekly cost ≈ fixed + price × points + difference × (1 if in the group, else 0)

``difference`` is the group's *adjusted difference*: how much more (or, below
0, less) a week its packages cost than the rest's with the same points. Its
95 % interval is difference ± 1.96 × its standard error (the usual one from
least squares; 1.96 from the normal distribution, statistics.NormalDist). A
group whose whole interval is below 0 is flagged as *below the rest*; above 0,
*above the rest*.

Each group is compared with everyone else, one category at a time (not all
groups in one fit): each figure then means one plain thing, and stands on its
own. It does not separate categories that go together (if most people of 85
and over have memory and cognition support, both groups may show the same
difference); docs/sds.md says so.

**Suppression.** A group of 1 to 4 packages is not shown (count, difference
or interval), by the one disclosure rule (core/access/disclosure.py,
suppress_counts with the total shown): when a group is hidden, the smallest
group still shown in that category is hidden too, so that neither its count
(the total less the others) nor its difference (every package's leftover
adds up to about 0, so a hidden group's would be the rest's, turned round)
can be worked out from what is shown. A category with one group hidden out
of two (a carer present or not) is thus hidden whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

import numpy as np

from personfirst.core.access.disclosure import MINIMUM, suppress_counts

from .fitting import FitError, money
from .groups import CATEGORIES

CONFIDENCE = 0.95
HIDDEN = f"Hidden: fewer than {MINIMUM}, or hidden to protect a group that is."
Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)  # 1.959963...


@dataclass(frozen=True)
class GroupResult:
    code: str
    title: str
    count: int | None  # None: hidden (fewer than MINIMUM, or hidden to protect one that is)
    difference: Decimal | None = None  # £ a week, against the rest with the same points
    low: Decimal | None = None
    high: Decimal | None = None
    note: str = ""

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def below(self) -> bool:
        return self.high is not None and self.high < 0

    @property
    def above(self) -> bool:
        return self.low is not None and self.low > 0


@dataclass(frozen=True)
class CategoryResult:
    key: str
    title: str
    groups: tuple[GroupResult, ...]

    @property
    def hidden(self) -> int:
        return sum(1 for g in self.groups if g.suppressed)


@dataclass(frozen=True)
class Report:
    packages: int
    categories: tuple[CategoryResult, ...]

    @property
    def flagged_below(self) -> list[tuple[CategoryResult, GroupResult]]:
        return [(c, g) for c in self.categories for g in c.groups if g.below]


def difference(points: np.ndarray, cost: np.ndarray, member: np.ndarray) -> tuple[float, float]:
    """(adjusted difference, its standard error) of the members against the rest."""
    design = np.column_stack([np.ones_like(points), points, member.astype(float)])
    coefficients, *_ = np.linalg.lstsq(design, cost, rcond=None)
    residual = cost - design @ coefficients
    freedom = len(cost) - design.shape[1]
    if freedom <= 0:
        raise FitError("Too few packages to compare.")
    variance = float(residual @ residual) / freedom
    try:
        covariance = variance * np.linalg.inv(design.T @ design)
    except np.linalg.LinAlgError as error:
        raise FitError("These packages cannot be compared (every one has the same points).") from error
    return float(coefficients[2]), float(np.sqrt(max(covariance[2, 2], 0.0)))


def _group(points, cost, labels: np.ndarray, code: str, title: str, shown: int | None) -> GroupResult:
    if shown is None:
        return GroupResult(code, title, None, note=HIDDEN)
    if shown == 0:
        return GroupResult(code, title, 0, note="None in this import.")
    if shown == len(labels):
        return GroupResult(code, title, shown, note="Every package is in this group: there is no one to compare with.")
    try:
        diff, error = difference(points, cost, labels == code)
    except FitError as problem:
        return GroupResult(code, title, shown, note=str(problem))
    return GroupResult(code, title, shown, money(diff), money(diff - Z * error), money(diff + Z * error))


def report(points: np.ndarray, cost: np.ndarray, labels: Mapping[str, np.ndarray | Sequence[str]]) -> Report:
    """The equity report. ``labels`` gives, for each category key of groups.CATEGORIES,
    every package's group code (carer_present as "yes" or "no")."""
    if len(points) < MINIMUM:
        raise FitError(f"At least {MINIMUM} packages are needed for the equity report.")
    if np.all(points == points[0]):
        raise FitError("Every package has the same points, so costs cannot be compared for the same points.")
    categories = []
    for key, title, groups in CATEGORIES:
        codes = np.asarray(labels[key])
        counts = {code: int(np.count_nonzero(codes == code)) for code in groups}
        shown = suppress_counts(counts, total_shown=True)
        categories.append(
            CategoryResult(
                key, title, tuple(_group(points, cost, codes, code, name, shown[code]) for code, name in groups.items())
            )
        )
    return Report(len(points), tuple(categories))
