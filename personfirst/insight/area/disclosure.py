"""Which area figures may be shown: no figure may be about fewer than 5
organisations, and no figures may be subtracted from (or added to) each
other to give one about 1 to 4. Plain Python, no database; docs/insight.md
explains the rules in plain words, and insight/tests/test_disclosure.py
tries to break them.

The idea: every figure is worked out over **whole groups** of
organisations, and every group has at least 5 organisations in every period
a figure can pick out. Then any total a person can work out from any number
of figures, by adding and subtracting, is about whole groups, so about at
least 5 organisations.

A figure counts either each organisation's **latest** assessment, or, for
one **period**, each organisation's last assessment submitted in it (its
latest then). Both come from ``Record`` counts: submissions with the same
type, size band, quarter and quarter of the organisation's next submission
(None for its latest). Submissions replaced within their own quarter are
never counted, and must not be passed in.

- **Groups** (by type and size band). Each type is split by size band into
  parts of at least ``size`` organisations (by their latest assessments); a
  size band with fewer joins the next band of the same type, and a last part
  with too few joins the one before. Types with fewer than ``size`` in all
  are joined into one group of other types; if that has too few, it joins
  the smallest group.
- **Periods** (by quarter). A quarter is joined with the next one (the last
  with the one before) until, in every group and every period, the
  organisations counted for the period number 0 or at least 5. A group's
  latest figure and its period figures can also be combined to give, over
  the periods that count both latest and earlier assessments, the earlier
  ones alone and the latest ones alone: while either is 1 to 4 in any
  group, the first of those periods is joined with the next (the earlier
  assessments replaced within a joined period stop counting).
- ``protect`` tries group sizes of 5, 10, 20 and 40 and keeps the one that
  leaves the most separate figures: groups times periods. Small groups give
  more ways to filter by type and size; large ones more periods over time.
- **A filter is shown** only when it takes every group whole or not at all:
  "every type but direct payment support schemes" shows nothing when those
  share a group with another type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from personfirst.core.access.disclosure import MINIMUM

# The lowest and highest score are each one organisation's own score: they
# are shown only for groups of at least this many (docs/insight.md).
EXTREMES_MINIMUM = 2 * MINIMUM
GROUP_SIZES = (MINIMUM, 2 * MINIMUM, 4 * MINIMUM, 8 * MINIMUM)

GroupCell = tuple[str, str]  # (org_type, size_band)
RecordKey = tuple[str, str, int, int | None]  # (org_type, size_band, quarter, superseded quarter)


def disclosive(count: int) -> bool:
    return 0 < count < MINIMUM


@dataclass(frozen=True)
class Group:
    cells: frozenset[GroupCell]
    latest: int  # organisations whose latest assessment is in the group


@dataclass
class Protection:
    """The groups and periods of one view (one scope, one instrument)."""

    groups: list[Group]
    periods: list[tuple[int, int]]  # (first quarter, last quarter), oldest first
    size: int = MINIMUM  # the group size chosen
    group_of: dict[GroupCell, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.group_of = {cell: index for index, group in enumerate(self.groups) for cell in group.cells}

    def split_groups(self, types: Iterable[str] | None, sizes: Iterable[str] | None) -> list[Group]:
        """The groups that these filters would take only part of."""
        chosen = chooser(types, sizes)
        return [group for group in self.groups if len({chosen(cell) for cell in group.cells}) == 2]

    def allows(self, types: Iterable[str] | None, sizes: Iterable[str] | None) -> bool:
        """True when the filters take every group whole or not at all, and
        the groups they take have at least 5 organisations (fewer only when
        the whole view has fewer than 5)."""
        if not self.groups or self.split_groups(types, sizes):
            return False
        chosen = chooser(types, sizes)
        return not any(disclosive(g.latest) for g in self.groups if all(chosen(c) for c in g.cells))

    def period(self, first: int) -> tuple[int, int] | None:
        return next((p for p in self.periods if p[0] == first), None)


def chooser(types: Iterable[str] | None, sizes: Iterable[str] | None):
    """A test for (type, size band) cells: chosen by these filters? None means every one."""
    types = None if types is None else set(types)
    sizes = None if sizes is None else set(sizes)

    def chosen(cell: GroupCell) -> bool:
        return (types is None or cell[0] in types) and (sizes is None or cell[1] in sizes)

    return chosen


def counted_in(quarter: int, superseded: int | None, period: tuple[int, int] | None) -> bool:
    """Does a submission count in this period (None: the latest ones)?"""
    if period is None:
        return superseded is None
    first, last = period
    return first <= quarter <= last and (superseded is None or superseded > last)


def _ordered(values: Iterable[str], order: Sequence[str]) -> list[str]:
    rank = {value: index for index, value in enumerate(order)}
    return sorted(set(values), key=lambda v: (rank.get(v, len(rank)), v))


def make_groups(
    latest: Mapping[GroupCell, int],
    present: Iterable[GroupCell],
    *,
    size: int = MINIMUM,
    type_order: Sequence[str] = (),
    size_order: Sequence[str] = (),
) -> list[Group]:
    """Groups of (type, size band) cells: see the module's docstring.

    ``latest`` counts the organisations whose latest assessment is in each
    cell; ``present`` lists every cell with any counted submission (some
    cells only have submissions that were replaced later).
    """
    cells = set(present) | {cell for cell, count in latest.items() if count}
    groups: list[Group] = []
    pool: list[GroupCell] = []
    for org_type in _ordered((t for t, _s in cells), type_order):
        type_cells = [(org_type, s) for s in _ordered((s for t, s in cells if t == org_type), size_order)]
        if sum(latest.get(cell, 0) for cell in type_cells) < size:
            pool.extend(type_cells)
            continue
        parts: list[tuple[list[GroupCell], int]] = []
        current: list[GroupCell] = []
        count = 0
        for cell in type_cells:
            current.append(cell)
            count += latest.get(cell, 0)
            if count >= size:
                parts.append((current, count))
                current, count = [], 0
        if current:  # a last part with too few (or none, but older submissions): join the part before
            before, before_count = parts.pop()
            parts.append((before + current, before_count + count))
        groups.extend(Group(frozenset(part), total) for part, total in parts)
    if pool:
        pooled = Group(frozenset(pool), sum(latest.get(cell, 0) for cell in pool))
        if pooled.latest >= size or not groups:
            groups.append(pooled)
        else:
            smallest = min(range(len(groups)), key=lambda i: groups[i].latest)
            groups[smallest] = Group(groups[smallest].cells | pooled.cells, groups[smallest].latest + pooled.latest)
    return groups


def make_periods(
    records: Mapping[RecordKey, int], group_of: Mapping[GroupCell, int], first: int, last: int
) -> list[tuple[int, int]]:
    """Quarters from first to last, joined into periods: see the module's docstring."""
    grouped: dict[tuple[int, int, int | None], int] = defaultdict(int)  # by (group, quarter, superseded quarter)
    for (org_type, size_band, quarter, superseded), n in records.items():
        grouped[(group_of[(org_type, size_band)], quarter, superseded)] += n
    periods = _join_small(grouped, [(q, q) for q in range(first, last + 1)])
    while len(periods) > 1:
        index = _first_unsafe_sum(grouped, periods)
        if index is None:
            break
        # Joined with the next period, earlier assessments replaced within it stop counting.
        low = index if index + 1 < len(periods) else index - 1
        periods[low : low + 2] = [(periods[low][0], periods[low + 1][1])]
        periods = _join_small(grouped, periods)
    return periods


def _join_small(
    grouped: Mapping[tuple[int, int, int | None], int], periods: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Join a period with the next (the last with the one before) while, in
    any group, it counts 1 to 4 organisations.

    One pass from the oldest: joining changes the counts of the joined
    period alone, so the ones before it stay safe.
    """
    periods = [[first, last] for first, last in periods]
    index_of = {q: i for i, (first, last) in enumerate(periods) for q in range(first, last + 1)}
    # Per period: counts by group, and the earlier assessments it counts, as (group, superseded quarter, n).
    counts: list[dict[int, int]] = [defaultdict(int) for _ in periods]
    replaced: list[list[tuple[int, int, int]]] = [[] for _ in periods]
    for (group, quarter, superseded), n in grouped.items():
        index = index_of[quarter]
        if superseded is None:
            counts[index][group] += n
        elif superseded > periods[index][1]:
            counts[index][group] += n
            replaced[index].append((group, superseded, n))

    def join(low: int) -> None:
        """Join period low with period low + 1."""
        end = periods[low + 1][1]
        merged = counts[low + 1]
        for group, n in counts[low].items():
            merged[group] += n
        kept = []
        for group, superseded, n in replaced[low]:
            if superseded <= end:  # replaced within the joined period: its last one counts instead
                merged[group] -= n
            else:
                kept.append((group, superseded, n))
        periods[low + 1][0] = periods[low][0]
        replaced[low + 1].extend(kept)
        del periods[low], counts[low], replaced[low]

    index = 0
    while index < len(periods):
        if len(periods) > 1 and any(disclosive(n) for n in counts[index].values()):
            if index + 1 < len(periods):
                join(index)
            else:
                join(index - 1)
                index -= 1
        else:
            index += 1
    return [(first, last) for first, last in periods]


def _first_unsafe_sum(
    grouped: Mapping[tuple[int, int, int | None], int], periods: Sequence[tuple[int, int]]
) -> int | None:
    """The two totals a group's figures give beyond its periods', by adding
    and subtracting (docs/insight.md works them out). In the periods that
    count both latest and earlier assessments, the group's latest figure
    and its period figures together give (a) the earlier assessments those
    periods count and (b) the latest ones. Each must be 0 or at least 5.
    Returns the first such period of a group where one is 1 to 4, or None."""
    index_of = {q: i for i, (first, last) in enumerate(periods) for q in range(first, last + 1)}
    latest: dict[tuple[int, int], int] = defaultdict(int)
    earlier: dict[tuple[int, int], int] = defaultdict(int)
    for (group, quarter, superseded), n in grouped.items():
        where = (group, index_of[quarter])
        if superseded is None:
            latest[where] += n
        elif superseded > periods[where[1]][1]:
            earlier[where] += n
    mixed: dict[int, list[int]] = defaultdict(list)  # group -> its periods with both
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for (group, period), n in earlier.items():
        if latest.get((group, period)):
            mixed[group].append(period)
            sums[(group, "earlier")] += n
            sums[(group, "latest")] += latest[(group, period)]
    unsafe = [min(mixed[group]) for (group, _which), n in sums.items() if disclosive(n)]
    return min(unsafe) if unsafe else None


def protect(
    records: Mapping[RecordKey, int], *, type_order: Sequence[str] = (), size_order: Sequence[str] = ()
) -> Protection:
    """The groups and periods for one view's counted submissions."""
    if not records:
        return Protection(groups=[], periods=[])
    latest: dict[GroupCell, int] = defaultdict(int)
    for (org_type, size_band, _quarter, superseded), n in records.items():
        if superseded is None:
            latest[(org_type, size_band)] += n
    present = {(t, s) for (t, s, _q, _sq) in records}
    first = min(q for (_t, _s, q, _sq) in records)
    # To the last quarter anything was replaced in, so that in one period
    # spanning everything nothing counts but the latest.
    last = max(max(q, sq or q) for (_t, _s, q, sq) in records)
    best: Protection | None = None
    for size in GROUP_SIZES:
        groups = make_groups(latest, present, size=size, type_order=type_order, size_order=size_order)
        candidate = Protection(groups=groups, periods=[], size=size)
        candidate.periods = make_periods(records, candidate.group_of, first, last)
        if best is None or len(groups) * len(candidate.periods) > len(best.groups) * len(best.periods):
            best = candidate
        if len(candidate.periods) == last - first + 1:
            break  # every quarter on its own: larger groups could only give fewer figures
    return best
