"""Statistical disclosure control: the one engine that decides which
figures about organisations (and, later, people) PersonFirst may show.

No figure may be about fewer than ``MINIMUM`` units (organisations now),
and no figures, however many, may be added to and subtracted from each
other to give one that is. This module knows nothing about HTTP, models or
what the units are: callers give it counts, it gives back what may be shown.
docs/insight.md explains the rules in plain words and
docs/decisions/0009-one-disclosure-engine.md why they are built this way.

Two parts:

1. **Within one table** (``suppress_counts``, ``suppress_breakdown``): cells
   of one breakdown shown with their total. Cells of 1 to 4 are hidden, and
   one more so that a hidden cell cannot be worked out from the total.
   access/tests/test_disclosure.py tries every possible set of hidden values.

2. **Across every figure ever published** (``plan_region`` and
   ``small_sets``). Units sit in *cells* (for organisations: type, size band
   and who they share with, as they were when they submitted) in *regions*
   (council areas; England is every region). A region's cells are put in
   fixed *groups*, and time in *periods*. Every figure of every page, in
   any scope, is a sum of *pieces*: one group (or, for a sub-population
   such as the organisations with a score for a section, one union of
   groups, a *measure group*) in one *slice* of time (one period, or each
   unit's latest as at the end of a quarter). Pieces of different measure
   groups hold different units, so any sum or difference of published
   figures splits into sums and differences within each measure group; and
   for each measure group, ``small_sets`` checks exactly, against every
   piece ever published for it, that no such combination is about 1 to 4
   units. Once published, groups and periods do not change (new cells join
   a group), and a group's latest figures move to a later quarter only when
   that check passes, so watching figures over time reveals no one either.

The rules assume the attacker knows them and every figure ever published.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

MINIMUM = 5

# The lowest and highest of a set of scores are each one unit's own score:
# shown only from this many (docs/insight.md).
EXTREMES_MINIMUM = 2 * MINIMUM


def is_disclosive(count: int) -> bool:
    return 0 < count < MINIMUM


# --- 1. Within one table ---------------------------------------------------------


def suppress_counts(counts: Mapping[str, int], *, total_shown: bool = True) -> dict[str, int | None]:
    """Return the counts with disclosive cells replaced by None.

    Zero is not disclosive (it reveals no one) and is shown as 0. Where the
    total is shown as well, the smallest count that is still shown (and
    every count equal to it) is hidden too whenever anything is hidden, so
    that the hidden ones cannot be worked out by subtracting the others
    from the total: two hidden cells adding up to 2 are 1 and 1.
    """
    result: dict[str, int | None] = {key: (None if is_disclosive(value) else value) for key, value in counts.items()}
    if total_shown and None in result.values():
        # Hide the smallest positive count still shown, and every count tied
        # with it: hiding only one of two equal cells would tell which it was.
        shown = [value for value in result.values() if value]
        if shown:
            smallest = min(shown)
            for key, value in result.items():
                if value == smallest:
                    result[key] = None
    return result


def suppress_total(total: int) -> int | None:
    return None if is_disclosive(total) else total


def suppress_breakdown(counts: Mapping[str, int]) -> tuple[dict[str, int | None], int | None]:
    """The counts and their total, each None where it would disclose: when
    no count of five or more could be hidden to protect the small ones, the
    total is hidden instead (a total of 5 over five hidden cells would say
    that each is 1)."""
    cells = suppress_counts(counts, total_shown=True)
    total = suppress_total(sum(counts.values()))
    hidden = [counts[key] for key, value in cells.items() if value is None]
    if hidden and all(is_disclosive(value) for value in hidden):
        total = None
    return cells, total


# --- 2. Across every figure: slices of time ------------------------------------------

Cell = Hashable
# A unit as the engine sees it: its cell, the quarter it counts from, and the
# quarter it was replaced in (None: not replaced). Quarters are whole numbers
# that sort (insight.quarters).
UnitKey = tuple[Cell, int, "int | None"]
LATEST = "latest"
PERIOD = "period"
# ("latest", q, q): each unit's latest as at the end of quarter q.
# ("period", first, last): each unit's last one in those quarters.
Slice = tuple[str, int, int]


def latest_slice(quarter: int) -> Slice:
    return (LATEST, quarter, quarter)


def period_slice(first: int, last: int) -> Slice:
    return (PERIOD, first, last)


def counted(quarter: int, superseded: int | None, where: Slice) -> bool:
    """Does a unit count in this slice? In both kinds it must not have been
    replaced by the end; a period also needs it to start in the period."""
    kind, first, last = where
    if superseded is not None and superseded <= last:
        return False
    return quarter <= last if kind == LATEST else first <= quarter <= last


# --- 2. Across every figure: the exact check -------------------------------------------

# Linear algebra modulo a 61-bit prime: exact over the rationals unless the
# prime divides a determinant of the figures' 0/1 matrix, which for matrices
# of this size does not happen in practice. The tests check the same
# populations with exact fractions.
PRIME = (1 << 61) - 1


def small_sets(units: Mapping[Hashable, int], figures: Iterable[Collection[Hashable]]) -> list[frozenset]:
    """Sets of 1 to MINIMUM - 1 units that some sum or difference of these
    figures is about, and about nothing else. Each figure is a set of unit
    keys, counted with ``units[key]`` units each. Empty when there are none.

    A combination of figures (any whole or fractional multiples, added and
    subtracted) gives a total over the units where it is not zero: "this
    group minus that one" is the units in one and not the other, and
    "before minus after" is the old assessments of those who submitted
    again minus their new ones, which for one organisation is its change.
    Every such total must be over at least MINIMUM units.

    Units in exactly the same figures can never be told apart, so they are
    taken together as *classes*. A set S of classes is the whole of some
    combination exactly when the figures' span meets the vectors that are
    zero outside S, that is when dropping S's columns lowers the rank. Only
    classes of fewer than MINIMUM units can be in S; so the span is first
    cut down to its vectors that are zero on every larger class (from the
    row echelon form with the larger classes first), and only sets within
    what is left are tried.
    """
    weights = {key: n for key, n in units.items() if n > 0}
    distinct: dict[frozenset, int] = {}
    for figure in figures:
        members = frozenset(key for key in figure if key in weights)
        if members and members not in distinct:
            distinct[members] = len(distinct)
    signature: dict[Hashable, list[int]] = defaultdict(list)
    for members, index in distinct.items():
        for key in members:
            signature[key].append(index)
    classes: dict[tuple, list[Hashable]] = defaultdict(list)
    for key, indices in signature.items():
        classes[tuple(indices)].append(key)
    weight = {c: sum(weights[k] for k in members) for c, members in classes.items()}
    small = [c for c in classes if weight[c] < MINIMUM]
    if not small:
        return []
    # Columns: the larger classes first, then the small ones.
    order = [c for c in classes if weight[c] >= MINIMUM] + small
    first_small = len(order) - len(small)
    rows = [[0] * len(order) for _ in distinct]
    for position, c in enumerate(order):
        for index in c:
            rows[index][position] = 1
    reduced, pivots = _row_reduce(rows, len(order))
    # Rows with their pivot among the small classes are zero on every larger one, and span all such vectors.
    within = [row[first_small:] for row, pivot in zip(reduced, pivots, strict=True) if pivot >= first_small]
    if not within:
        return []
    support = [i for i in range(len(small)) if any(row[i] for row in within)]
    rank = len(within)
    found: list[frozenset[int]] = []
    for size in range(1, MINIMUM):
        for chosen in itertools.combinations(support, size):
            if sum(weight[small[i]] for i in chosen) >= MINIMUM or any(f <= set(chosen) for f in found):
                continue
            rest = [i for i in support if i not in chosen]
            if _rank([[row[i] for i in rest] for row in within]) < rank:
                found.append(frozenset(chosen))
    return [frozenset(key for i in chosen for key in classes[small[i]]) for chosen in found]


def _rank(rows: list[list[int]]) -> int:
    return len(_row_reduce(rows, len(rows[0]) if rows else 0)[1])


def _row_reduce(rows: list[list[int]], width: int) -> tuple[list[list[int]], list[int]]:
    """Reduced row echelon form modulo PRIME: (the non-zero rows, their pivot columns)."""
    rows = [row[:] for row in rows]
    pivots: list[int] = []
    top = 0
    for c in range(width):
        if top == len(rows):
            break
        chosen = next((r for r in range(top, len(rows)) if rows[r][c]), None)
        if chosen is None:
            continue
        rows[top], rows[chosen] = rows[chosen], rows[top]
        inverse = pow(rows[top][c], PRIME - 2, PRIME)
        pivot = [(v * inverse) % PRIME for v in rows[top]]
        rows[top] = pivot
        for r in range(len(rows)):
            if r != top and rows[r][c]:
                factor = rows[r][c]
                rows[r] = [(a - factor * b) % PRIME for a, b in zip(rows[r], pivot, strict=True)]
        pivots.append(c)
        top += 1
    return rows[:top], pivots


# --- 2. Across every figure: groups and periods --------------------------------------

GROUP_SIZES = (MINIMUM, 2 * MINIMUM, 4 * MINIMUM, 8 * MINIMUM)


def make_groups(
    latest: Mapping[Cell, int],
    present: Iterable[Cell],
    *,
    size: int = MINIMUM,
    key: Callable[[Cell], object] = lambda cell: cell,
    major: Callable[[Cell], Hashable] = lambda cell: cell,
    block: Callable[[Cell], Hashable] = lambda cell: None,
) -> list[frozenset[Cell]]:
    """Cells joined into groups of at least ``size`` units (by ``latest``, the
    units each cell has now). Cells are taken in the order of ``key``; those
    with the same ``major`` part (an organisation type) are split into runs
    of at least ``size``, within each ``block`` (whom the organisations
    share with) on its own where it has enough, a last short run joining
    the one before; a block with too few joins the smallest run of its
    major. Majors with fewer than ``size`` in all are pooled into one group,
    which joins the smallest other group if it is still short. ``present``
    lists every cell with any unit (some only have units that were replaced
    since)."""
    cells = sorted(set(present) | {cell for cell, n in latest.items() if n}, key=key)
    by_major: dict[Hashable, list[Cell]] = {}
    for cell in cells:
        by_major.setdefault(major(cell), []).append(cell)
    groups: list[tuple[list[Cell], int]] = []
    pool: list[Cell] = []
    for members in by_major.values():
        if sum(latest.get(cell, 0) for cell in members) < size:
            pool.extend(members)
            continue
        by_block: dict[Hashable, list[Cell]] = {}
        for cell in members:
            by_block.setdefault(block(cell), []).append(cell)
        parts: list[tuple[list[Cell], int]] = []
        short: list[Cell] = []
        for in_block in by_block.values():
            if sum(latest.get(cell, 0) for cell in in_block) < size:
                short.extend(in_block)
                continue
            runs: list[tuple[list[Cell], int]] = []
            current: list[Cell] = []
            count = 0
            for cell in in_block:
                current.append(cell)
                count += latest.get(cell, 0)
                if count >= size:
                    runs.append((current, count))
                    current, count = [], 0
            if current:  # a last run with too few (or only replaced units): join the run before
                before, before_count = runs.pop()
                runs.append((before + current, before_count + count))
            parts.extend(runs)
        if short:
            extra = sum(latest.get(cell, 0) for cell in short)
            if parts:
                smallest = min(range(len(parts)), key=lambda i: parts[i][1])
                parts[smallest] = (parts[smallest][0] + short, parts[smallest][1] + extra)
            else:
                parts.append((short, extra))
        groups.extend(parts)
    if pool:
        pooled = sum(latest.get(cell, 0) for cell in pool)
        if pooled >= size or not groups:
            groups.append((pool, pooled))
        else:
            smallest = min(range(len(groups)), key=lambda i: groups[i][1])
            groups[smallest] = (groups[smallest][0] + pool, groups[smallest][1] + pooled)
    return [frozenset(members) for members, _count in groups]


def place_new_cells(
    groups: Sequence[frozenset[Cell]], cells: Iterable[Cell], *, major: Callable[[Cell], Hashable] = lambda c: c
) -> list[frozenset[Cell]]:
    """Fixed groups, with cells none of them has yet added: to the first
    group with a cell of the same major part, else to the first group of
    several majors (the pool), else to the group with fewest cells. A new
    cell has no units in any figure already published, so adding it changes
    none of them."""
    groups = [set(group) for group in groups]
    for cell in cells:
        if any(cell in group for group in groups):
            continue
        home = next((g for g in groups if any(major(c) == major(cell) for c in g)), None)
        home = home or next((g for g in groups if len({major(c) for c in g}) > 1), None)
        home = home or min(groups, key=len)
        home.add(cell)
    return [frozenset(group) for group in groups]


def join_periods(
    records: Mapping[tuple[int, int, int | None], int],
    periods: Sequence[tuple[int, int]],
    *,
    close_tail: bool = True,
) -> list[tuple[int, int]]:
    """Join a period with the next while, in any group, it counts 1 to 4
    units. ``records`` counts units by (group, quarter, superseded quarter).
    The last period joins the one before when ``close_tail``; otherwise it
    is left out (it waits for the next quarter to join it).

    One pass from the oldest: joining changes the counts of the joined
    period alone, so the ones before it stay safe. Units replaced within a
    joined period stop counting in it (its last one counts instead)."""
    periods = [[first, last] for first, last in periods]
    index_of = {q: i for i, (first, last) in enumerate(periods) for q in range(first, last + 1)}
    counts: list[dict[int, int]] = [defaultdict(int) for _ in periods]
    replaced: list[list[tuple[int, int, int]]] = [[] for _ in periods]
    for (group, quarter, superseded), n in records.items():
        index = index_of.get(quarter)
        if index is None:
            continue
        if superseded is None:
            counts[index][group] += n
        elif superseded > periods[index][1]:
            counts[index][group] += n
            replaced[index].append((group, superseded, n))

    def join(low: int) -> None:
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
        if any(is_disclosive(n) for n in counts[index].values()):
            if index + 1 < len(periods):
                join(index)
            elif close_tail and len(periods) > 1:
                join(index - 1)
                index -= 1
            elif not close_tail:
                del periods[index:]
            else:
                index += 1
        else:
            index += 1
    return [(first, last) for first, last in periods]


# --- 2. Across every figure: publication plans -----------------------------------------


@dataclass
class MeasurePlan:
    """What is published of one measure in one region: its measure groups
    (each a union of the region's groups, by index), and for each, the
    quarter its latest figures are as at (None: none shown) and the indices
    of the periods shown for it."""

    groups: list[tuple[int, ...]]
    asat: list[int | None]
    rows: list[tuple[int, ...]]

    def to_json(self) -> dict:
        return {"groups": [list(g) for g in self.groups], "asat": self.asat, "rows": [list(r) for r in self.rows]}

    @classmethod
    def from_json(cls, data: dict) -> MeasurePlan:
        return cls([tuple(g) for g in data["groups"]], list(data["asat"]), [tuple(r) for r in data["rows"]])


@dataclass
class RegionPlan:
    """One region's groups, periods and what is shown of each measure. The
    first measure is the population (every unit); the others are
    sub-populations, such as the units with a score for one section."""

    groups: list[frozenset[Cell]] = field(default_factory=list)
    periods: list[tuple[int, int]] = field(default_factory=list)
    measures: dict[str, MeasurePlan] = field(default_factory=dict)
    size: int = MINIMUM

    @property
    def published(self) -> bool:
        return any(a is not None for m in self.measures.values() for a in m.asat) or any(
            r for m in self.measures.values() for r in m.rows
        )

    def cells_of(self, measure: str, index: int) -> frozenset[Cell]:
        return frozenset().union(*(self.groups[i] for i in self.measures[measure].groups[index]))

    def pieces(self, measure: str) -> Iterator[tuple[int, frozenset[Cell], Slice]]:
        """(measure group, its cells, slice) for every piece published."""
        plan = self.measures.get(measure)
        if plan is None:
            return
        for index, (asat, rows) in enumerate(zip(plan.asat, plan.rows, strict=True)):
            cells = self.cells_of(measure, index)
            if asat is not None:
                yield index, cells, latest_slice(asat)
            for row in rows:
                yield index, cells, period_slice(*self.periods[row])

    def to_json(self) -> dict:
        return {
            "groups": [sorted(list(cell) for cell in group) for group in self.groups],
            "periods": [list(p) for p in self.periods],
            "measures": {name: plan.to_json() for name, plan in self.measures.items()},
            "size": self.size,
        }

    @classmethod
    def from_json(cls, data: dict) -> RegionPlan:
        return cls(
            [frozenset(tuple(cell) for cell in group) for group in data["groups"]],
            [tuple(p) for p in data["periods"]],
            {name: MeasurePlan.from_json(m) for name, m in data["measures"].items()},
            data.get("size", MINIMUM),
        )


Units = Mapping[UnitKey, int]


def as_at(units: Units, quarter: int) -> dict[UnitKey, int]:
    """The units as they stood at the end of ``quarter``: later ones left
    out, and replacements after it not yet made."""
    result: dict[UnitKey, int] = defaultdict(int)
    for (cell, q, superseded), n in units.items():
        if q <= quarter and n:
            result[(cell, q, None if superseded is not None and superseded > quarter else superseded)] += n
    return dict(result)


def check(units: Units, cells: Collection[Cell], figures: Iterable[tuple[Collection[Cell], Slice]]) -> list[frozenset]:
    """small_sets for the units in ``cells`` and figures given as (cells, slice)."""
    keys = [key for key in units if key[0] in cells]
    sets = [
        frozenset(k for k in keys if k[0] in figure_cells and counted(k[1], k[2], where))
        for figure_cells, where in figures
    ]
    return small_sets({k: units[k] for k in keys}, sets)


def count(units: Units, cells: Collection[Cell], where: Slice) -> int:
    """How many units in these cells count in the slice."""
    return sum(n for (cell, q, s), n in units.items() if cell in cells and counted(q, s, where))


_count = count


def _records(units: Units, group_of: Mapping[Cell, int]) -> dict[tuple[int, int, int | None], int]:
    records: dict[tuple[int, int, int | None], int] = defaultdict(int)
    for (cell, q, s), n in units.items():
        if cell in group_of:
            records[(group_of[cell], q, s)] += n
    return records


def _period_of(periods: Sequence[tuple[int, int]], quarter: int) -> int | None:
    return next((i for i, (first, last) in enumerate(periods) if first <= quarter <= last), None)


def plan_region(
    population: Units,
    measures: Mapping[str, Units],
    quarter: int,
    history: Sequence[RegionPlan] = (),
    *,
    key: Callable[[Cell], object] = lambda cell: cell,
    major: Callable[[Cell], Hashable] = lambda cell: cell,
    block: Callable[[Cell], Hashable] = lambda cell: None,
    population_name: str = "units",
) -> RegionPlan:
    """What one region may publish as at the end of ``quarter``, given
    everything it published before (``history``, oldest first).

    ``population`` and each of ``measures`` count units by (cell, quarter,
    superseded quarter), the measures' being the units with that measure
    (a score for a section, say). The first plan chooses the groups (trying
    groups of 5, 10, 20 and 40 and keeping the one that shows the most
    pieces), joins periods until every group's pieces pass the check, and
    joins measure groups (or leaves out a measure's periods) until each
    measure's do. Later plans keep the groups and periods, add the quarters
    since as new periods once every group has 0 or at least 5 units in
    them, and move each group's latest figures to the last of them only if
    the check still passes with every piece published before: otherwise the
    group's figures stay as they were."""
    population = as_at(population, quarter)
    measures = {name: as_at(units, quarter) for name, units in measures.items()}
    published = [plan for plan in history if plan.published]
    if not published:
        return _first_plan(
            population, measures, quarter, key=key, major=major, block=block, population_name=population_name
        )
    return _next_plan(population, measures, quarter, published, major=major, population_name=population_name)


def _first_plan(population, measures, quarter, *, key, major, block, population_name) -> RegionPlan:
    if not population:
        return RegionPlan()
    latest = Counter()
    for (cell, _q, superseded), n in population.items():
        if superseded is None:
            latest[cell] += n
    present = {cell for cell, _q, _s in population}
    first = min(q for _c, q, _s in population)
    best: RegionPlan | None = None
    for size in GROUP_SIZES:
        groups = make_groups(latest, present, size=size, key=key, major=major, block=block)
        periods, plan = _first_population(population, groups, first, quarter)
        candidate = RegionPlan(groups, periods, {population_name: plan}, size)
        shown = sum(1 for a in plan.asat if a is not None)
        if best is None or shown * len(periods) > sum(
            1 for a in best.measures[population_name].asat if a is not None
        ) * len(best.periods):
            best = candidate
        if len(periods) == quarter - first + 1:
            break  # every quarter on its own: larger groups could only show fewer pieces
    for name, units in measures.items():
        best.measures[name] = _new_measure(units, best, best.measures[population_name], quarter)
    return best


def _first_population(units, groups, first, quarter) -> tuple[list[tuple[int, int]], MeasurePlan]:
    group_of = {cell: i for i, group in enumerate(groups) for cell in group}
    records = _records(units, group_of)
    periods = join_periods(records, [(q, q) for q in range(first, quarter + 1)])
    hidden: set[int] = set()
    while True:
        failing = None
        for i, cells in enumerate(groups):
            if i in hidden:
                continue
            figures = [(cells, latest_slice(quarter))] + [(cells, period_slice(*p)) for p in periods]
            found = check(units, cells, figures)
            if found:
                failing = (i, found[0])
                break
        if failing is None:
            break
        index, found = failing
        if len(periods) == 1:
            hidden.add(index)  # too few units in the group at all
            continue
        at = min(_period_of(periods, q) for _c, q, _s in found)
        at = at if at + 1 < len(periods) else at - 1
        joined = [*periods[:at], (periods[at][0], periods[at + 1][1]), *periods[at + 2 :]]
        periods = join_periods(records, joined)
    plan = MeasurePlan(
        groups=[(i,) for i in range(len(groups))],
        asat=[None if i in hidden else quarter for i in range(len(groups))],
        rows=[() if i in hidden else tuple(range(len(periods))) for i in range(len(groups))],
    )
    return periods, plan


def _history_figures(history: Sequence[RegionPlan], measure: str) -> list[tuple[frozenset[Cell], Slice]]:
    seen: dict[tuple[frozenset[Cell], Slice], None] = {}
    for plan in history:
        for _index, cells, where in plan.pieces(measure):
            seen[(cells, where)] = None
    return list(seen)


def _new_measure(units, region: RegionPlan, population: MeasurePlan, quarter) -> MeasurePlan:
    """Measure groups for a measure shown in a region for the first time:
    each shown group on its own to start with. Where the check fails, the
    periods it points at are first left out for that measure group; if it
    still fails, it is joined with the next measure group (or the one
    before). A single measure group that still fails is not shown at all."""
    members: list[list[int]] = [[i] for i, a in enumerate(population.asat) if a is not None and a == quarter]
    while members:
        result: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        failed = None
        for k, group in enumerate(members):
            cells = frozenset().union(*(region.groups[i] for i in group))
            rows = _safe_rows(units, cells, region.periods, [population.rows[i] for i in group])
            if is_disclosive(_count(units, cells, latest_slice(quarter))):
                failed = k
                break
            while True:
                figures = [(cells, latest_slice(quarter))] + [(cells, period_slice(*region.periods[j])) for j in rows]
                found = check(units, cells, figures)
                touched = {_period_of(region.periods, q) for _c, q, _s in found[0]} if found else set()
                if not found or not touched & set(rows):
                    break
                rows = [j for j in rows if j not in touched]
            if found:
                failed = k
                break
            result.append((tuple(group), tuple(rows)))
        if failed is None:
            return MeasurePlan([g for g, _r in result], [quarter] * len(result), [r for _g, r in result])
        if len(members) == 1:
            break
        other = failed + 1 if failed + 1 < len(members) else failed - 1
        low, high = sorted((failed, other))
        members[low : high + 1] = [members[low] + members[high]]
    return MeasurePlan([tuple(g) for g in members], [None] * len(members), [()] * len(members))


def _safe_rows(units, cells, periods, allowed: Sequence[Collection[int]]) -> list[int]:
    """The periods shown for every one of the groups, where these cells have 0 or at least 5 units."""
    return [
        j
        for j, p in enumerate(periods)
        if all(j in rows for rows in allowed) and not is_disclosive(_count(units, cells, period_slice(*p)))
    ]


def _next_plan(population, measures, quarter, history, *, major, population_name) -> RegionPlan:
    before = history[-1]
    groups = place_new_cells(before.groups, {cell for cell, _q, _s in population}, major=major)
    group_of = {cell: i for i, group in enumerate(groups) for cell in group}
    periods = list(before.periods)
    end = periods[-1][1] if periods else min(q for _c, q, _s in population) - 1
    if quarter > end:
        fresh = {k: n for k, n in _records(population, group_of).items() if k[1] > end}
        periods += join_periods(fresh, [(q, q) for q in range(end + 1, quarter + 1)], close_tail=False)
    new_rows = tuple(range(len(before.periods), len(periods)))
    target = periods[-1][1] if periods else None
    region = RegionPlan(groups, periods, {}, before.size)
    old = before.measures[population_name]
    plan = MeasurePlan(groups=[(i,) for i in range(len(groups))], asat=[], rows=[])
    past = _history_figures(history, population_name)
    for i, cells in enumerate(groups):
        asat, rows = _advance(
            population, cells, past, periods, old.asat[i], old.rows[i], new_rows, target, may_advance=True
        )
        plan.asat.append(asat)
        plan.rows.append(rows)
    region.measures[population_name] = plan
    for name, units in measures.items():
        previous = before.measures.get(name)
        if previous is None or not (any(a is not None for a in previous.asat) or any(previous.rows)):
            # Never shown here: its measure groups can be chosen now.
            region.measures[name] = _new_measure(units, region, plan, target)
            continue
        result = MeasurePlan(groups=list(previous.groups), asat=[], rows=[])
        past = _history_figures(history, name)
        for k, members in enumerate(previous.groups):
            cells = frozenset().union(*(groups[i] for i in members))
            moving = all(plan.asat[i] == target for i in members)
            asat, rows = _advance(
                units, cells, past, periods, previous.asat[k], previous.rows[k], new_rows, target, may_advance=moving
            )
            result.asat.append(asat)
            result.rows.append(rows)
        region.measures[name] = result
    return region


def _advance(units, cells, past, periods, asat, rows, new_rows, target, *, may_advance):
    """A measure group's latest quarter and periods shown in the next plan:
    moved on to ``target`` with its new periods if the check passes with
    everything published before; else the new periods alone; else as it was."""
    mine = [(c, w) for c, w in past if c <= cells]
    eligible = tuple(j for j in new_rows if not is_disclosive(_count(units, cells, period_slice(*periods[j]))))
    with_rows = [(cells, period_slice(*periods[j])) for j in eligible]
    if may_advance and target is not None and (asat is None or target > asat):
        moved = [*mine, (cells, latest_slice(target)), *with_rows]
        if not is_disclosive(_count(units, cells, latest_slice(target))) and not check(units, cells, moved):
            return target, (*rows, *eligible)
    if eligible and not check(units, cells, [*mine, *with_rows]):
        return asat, (*rows, *eligible)
    return asat, tuple(rows)
