"""The disclosure engine across figures (access/disclosure.py, part 2).

``small_sets`` is compared with a plain exact computation (fractions,
every union of small classes tried), and the plans ``plan_region`` makes
over random populations and several snapshots are checked the same way:
no sum or difference of every piece ever published, for any measure, is
about 1 to 4 units."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.core.access import disclosure
from personfirst.core.access.disclosure import (
    MINIMUM,
    RegionPlan,
    counted,
    join_periods,
    latest_slice,
    make_groups,
    period_slice,
    place_new_cells,
    plan_region,
    small_sets,
)

# --- An exact reference ------------------------------------------------------------


def rank(rows) -> int:
    rows = [[Fraction(v) for v in row] for row in rows]
    found = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(found, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(len(rows)):
            if r != found and rows[r][column]:
                factor = rows[r][column] / rows[found][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def exact_small_sets(units: dict, figures: list) -> set[frozenset]:
    """Every minimal set of 1 to 4 units that some rational combination of the figures is about:
    the sets of classes whose columns, taken away, lower the rank of the figures' matrix."""
    figures = [frozenset(k for k in f if units.get(k)) for f in figures]
    signature = defaultdict(list)
    for key, n in units.items():
        if n:
            where = frozenset(i for i, f in enumerate(figures) if key in f)
            if where:
                signature[where].append(key)
    classes = list(signature.values())
    matrix = [[1 if members[0] in f else 0 for members in classes] for f in figures]
    full = rank(matrix)
    weight = [sum(units[k] for k in members) for members in classes]
    small = [i for i, w in enumerate(weight) if w < MINIMUM]
    found: list[frozenset] = []
    for n in range(1, MINIMUM):
        for chosen in itertools.combinations(small, n):
            if sum(weight[i] for i in chosen) >= MINIMUM or any(f <= set(chosen) for f in found):
                continue
            if rank([[v for i, v in enumerate(row) if i not in chosen] for row in matrix]) < full:
                found.append(frozenset(chosen))
    return {frozenset(k for i in chosen for k in classes[i]) for chosen in found}


# --- small_sets --------------------------------------------------------------------


def test_a_difference_of_two_figures_is_found():
    units = {"a": 3, "b": 7, "c": 2}
    assert set(small_sets(units, [{"a", "b"}, {"b"}, {"b", "c"}])) == {frozenset("a"), frozenset("c")}


def test_a_hidden_cell_protected_by_a_larger_one_is_not_found():
    assert small_sets({"a": 3, "b": 7, "c": 2}, [{"a", "b", "c"}, {"b"}]) == []


def test_a_sum_needing_several_figures_is_found():
    # (a+b) + (c+d) - (b+c) - d... : a alone from four figures
    units = {"a": 2, "b": 9, "c": 8, "d": 6}
    assert frozenset("a") in set(small_sets(units, [{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d"}]))


def test_two_small_classes_that_only_show_together_are_found_together():
    units = {"a": 1, "b": 2, "c": 9}
    assert set(small_sets(units, [{"a", "b", "c"}, {"c"}])) == {frozenset("ab")}


def test_a_change_between_two_figures_is_found():
    # Before: a and c; after: b and c. After minus before is b - a: one organisation's change.
    units = {"a": 1, "b": 1, "c": 9}
    assert set(small_sets(units, [{"a", "c"}, {"b", "c"}])) == {frozenset("ab")}


keys = st.sampled_from("abcdefgh")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(keys, st.integers(0, 7), min_size=1, max_size=8),
    st.lists(st.frozensets(keys, min_size=1), min_size=1, max_size=7),
)
def test_small_sets_are_exactly_the_small_unions_in_the_span(units, figures):
    assert set(small_sets(units, figures)) == exact_small_sets(units, figures)


# --- Groups and periods ----------------------------------------------------------


def by_type(cell):
    return cell[0]


def cells_of(groups) -> list[set]:
    return sorted((set(g) for g in groups), key=sorted)


def test_every_type_and_size_band_is_its_own_group_when_each_has_five():
    latest = {("a", "x"): 5, ("a", "y"): 9, ("b", "x"): 6}
    groups = make_groups(latest, latest, major=by_type)
    assert cells_of(groups) == [{("a", "x")}, {("a", "y")}, {("b", "x")}]


def test_a_small_size_band_joins_the_next_of_its_type():
    latest = {("a", "x"): 2, ("a", "y"): 3, ("a", "z"): 9}
    assert cells_of(make_groups(latest, latest, major=by_type)) == [{("a", "x"), ("a", "y")}, {("a", "z")}]


def test_a_small_last_size_band_joins_the_one_before():
    latest = {("a", "x"): 7, ("a", "y"): 8, ("a", "z"): 1}
    assert cells_of(make_groups(latest, latest, major=by_type)) == [{("a", "x")}, {("a", "y"), ("a", "z")}]


def test_small_types_are_pooled_and_a_small_pool_joins_the_smallest_group():
    latest = {("a", "x"): 20, ("b", "x"): 7, ("c", "x"): 2, ("d", "y"): 1}
    groups = make_groups(latest, latest, major=by_type)
    assert cells_of(groups) == [{("a", "x")}, {("b", "x"), ("c", "x"), ("d", "y")}]
    latest[("e", "x")] = 4
    assert {("c", "x"), ("d", "y"), ("e", "x")} in cells_of(make_groups(latest, latest, major=by_type))


def test_blocks_within_a_type_are_kept_apart_where_each_has_enough():
    # Type a: 6 that share with nobody (micro 2, large 4) and 7 that share (micro 3, small 4).
    latest = {("a", "m", ""): 2, ("a", "l", ""): 4, ("a", "m", "s"): 3, ("a", "s", "s"): 4}
    groups = make_groups(latest, latest, major=by_type, block=lambda c: c[2])
    assert cells_of(groups) == [{("a", "l", ""), ("a", "m", "")}, {("a", "m", "s"), ("a", "s", "s")}]
    # Three that share are too few on their own: they join the smallest run of their type.
    latest = {("a", "m", ""): 6, ("a", "l", ""): 9, ("a", "m", "s"): 3}
    groups = make_groups(latest, latest, major=by_type, block=lambda c: c[2])
    assert cells_of(groups) == [{("a", "l", "")}, {("a", "m", ""), ("a", "m", "s")}]


def test_a_cell_with_only_earlier_units_is_kept_in_a_group():
    groups = make_groups({("a", "x"): 9}, [("a", "x"), ("a", "y")], major=by_type)
    assert cells_of(groups) == [{("a", "x"), ("a", "y")}]


def test_new_cells_join_a_group_of_their_type_or_the_pool():
    groups = [frozenset({("a", "x")}), frozenset({("b", "x"), ("c", "x")}), frozenset({("d", "x")})]
    placed = place_new_cells(groups, [("a", "y"), ("e", "x")], major=by_type)
    assert placed == [frozenset({("a", "x"), ("a", "y")}), frozenset({("b", "x"), ("c", "x"), ("e", "x")}), groups[2]]


def test_a_period_with_too_few_joins_the_next():
    # group 0: 6 latest in quarter 3; quarter 1 has 2 that were replaced in quarter 3.
    records = {(0, 1, 3): 2, (0, 2, 3): 6, (0, 3, None): 8}
    assert join_periods(records, [(1, 1), (2, 2), (3, 3)]) == [(1, 2), (3, 3)]


def test_the_last_period_joins_the_one_before_or_waits():
    records = {(0, 1, None): 9, (0, 2, None): 3}
    assert join_periods(records, [(1, 1), (2, 2)]) == [(1, 2)]
    assert join_periods(records, [(1, 1), (2, 2)], close_tail=False) == [(1, 1)]


def test_a_unit_replaced_within_a_joined_period_is_not_counted_twice():
    records = {(0, 1, 2): 3, (0, 2, None): 5}
    assert join_periods(records, [(1, 1), (2, 2)]) == [(1, 2)]


def test_slices():
    assert counted(2, None, latest_slice(3)) and not counted(4, None, latest_slice(3))
    assert counted(2, 4, latest_slice(3)) and not counted(2, 3, latest_slice(3))
    assert counted(2, None, period_slice(2, 3)) and not counted(2, 3, period_slice(2, 3))
    assert not counted(1, None, period_slice(2, 3))


def test_plans_read_back_from_json():
    units = {(("a", "x"), q, None): 5 for q in (1, 2)}
    plan = plan_region(units, {"s": units}, 2, major=by_type)
    assert RegionPlan.from_json(plan.to_json()) == plan


# --- The guarantee over random populations and snapshots ----------------------------

TYPES = ("a", "b", "c")
SIZES = ("x", "y")


@st.composite
def populations(draw):
    """Organisations with a type, a size and one to three submissions in quarters 1 to 6; each
    submission has a score for a section or not (a section that applies to some)."""
    organisations = []
    for _ in range(draw(st.integers(1, 40))):
        cell = (draw(st.sampled_from(TYPES[: draw(st.integers(1, 3))])), draw(st.sampled_from(SIZES)))
        quarters = sorted(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
        scored = draw(st.lists(st.booleans(), min_size=len(quarters), max_size=len(quarters)))
        organisations.append((cell, quarters, scored))
    snapshots = sorted(draw(st.sets(st.integers(2, 6), min_size=1, max_size=3)))
    return organisations, snapshots


def submissions_of(organisations):
    """(id, cell, quarter, superseded quarter, scored); those replaced within their own quarter left out."""
    rows = []
    for cell, quarters, scored in organisations:
        for index, quarter in enumerate(quarters):
            superseded = quarters[index + 1] if index + 1 < len(quarters) else None
            if superseded != quarter:
                rows.append((len(rows), cell, quarter, superseded, scored[index]))
    return rows


def units_of(submissions, only_scored=False):
    units = Counter()
    for _id, cell, quarter, superseded, scored in submissions:
        if scored or not only_scored:
            units[(cell, quarter, superseded)] += 1
    return units


def plans_over_time(submissions, snapshots):
    history = []
    for quarter in snapshots:
        plan = plan_region(
            units_of(submissions), {"section": units_of(submissions, True)}, quarter, history, major=by_type
        )
        history.append(plan)
    return history


def check_history(submissions, history):
    """Every piece of every plan, as sets of submissions, per measure: nothing small in their span.
    (Every figure a page shows is a sum of these pieces, so it is in their span too.)"""
    for measure, only_scored in (("units", False), ("section", True)):
        figures = []
        for plan in history:
            for _index, cells, where in plan.pieces(measure):
                figures.append(
                    frozenset(
                        s[0]
                        for s in submissions
                        if s[1] in cells and (s[4] or not only_scored) and counted(s[2], s[3], where)
                    )
                )
        found = exact_small_sets({s[0]: 1 for s in submissions}, figures)
        assert found == set(), (measure, found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_no_sum_or_difference_of_anything_ever_published_is_about_fewer_than_five(population):
    organisations, snapshots = population
    submissions = submissions_of(organisations)
    history = plans_over_time(submissions, snapshots)
    check_history(submissions, history)
    for plan in history:
        # Pieces of one measure are disjoint: each cell is in one measure group.
        for measure in plan.measures:
            groups = range(len(plan.measures[measure].groups))
            seen = [cell for index in groups for cell in plan.cells_of(measure, index)]
            assert len(seen) == len(set(seen))


def test_one_new_submission_does_not_move_the_figures_until_enough_have_changed():
    """Twelve organisations of one type submitted in quarter 1. One submits again in quarter 2:
    publishing as at quarter 2 would show its change, so the latest figures stay as at quarter
    1, and the quarter waits to be joined with the next. Five more resubmit in quarter 3: six
    changed, six did not, and the figures move on."""
    submissions = [(i, ("a", "x"), 1, None, True) for i in range(12)]
    first = plans_over_time(submissions, [1])
    changed = [(0, ("a", "x"), 1, 2, True), *submissions[1:], (12, ("a", "x"), 2, None, True)]
    plans = [*first, plan_region(units_of(changed), {}, 2, first, major=by_type)]
    assert plans[1].measures["units"].asat == [1]
    assert plans[1].periods == [(1, 1)]
    check_history(changed, plans)
    later = [(i, ("a", "x"), 1, 3 if 1 <= i <= 5 else None, True) for i in range(1, 12)]
    later += [(0, ("a", "x"), 1, 2, True), (12, ("a", "x"), 2, None, True)]
    later += [(13 + i, ("a", "x"), 3, None, True) for i in range(5)]
    plans.append(plan_region(units_of(later), {}, 3, plans, major=by_type))
    assert plans[2].periods == [(1, 1), (2, 3)]
    assert plans[2].measures["units"].asat == [3]
    check_history(later, plans)


def test_figures_stay_as_they_were_while_four_that_did_not_change_would_be_singled_out():
    """Ten submitted in quarter 1; six resubmit by quarter 3. The new period (six) minus the
    latest as at quarter 3 (ten) would give the four that did not: the figures stay as they were."""
    later = [(i, ("a", "x"), 1, 3 if i < 6 else None, True) for i in range(10)]
    later += [(10 + i, ("a", "x"), 3, None, True) for i in range(6)]
    first = plans_over_time([(i, ("a", "x"), 1, None, True) for i in range(10)], [1])
    plans = [*first, plan_region(units_of(later), {}, 3, first, major=by_type)]
    assert plans[1].measures["units"].asat == [1]
    check_history(later, plans)


def test_one_organisations_change_is_caught():
    """Publishing each of two snapshots' latest figures for one group, where one organisation
    submitted in between, gives that organisation's old and new assessments."""
    before = {(("a", "x"), 1, None): 10}
    after = {(("a", "x"), 1, None): 9, (("a", "x"), 1, 2): 1, (("a", "x"), 2, None): 1}
    cells = {("a", "x")}
    figures = [(cells, latest_slice(1)), (cells, latest_slice(2)), (cells, period_slice(1, 1))]
    assert disclosure.check(after, cells, figures)
    assert not disclosure.check(before, cells, figures[:1])
