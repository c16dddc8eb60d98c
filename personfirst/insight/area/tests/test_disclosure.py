"""insight/disclosure.py: the groups, the periods, and the guarantee they
give. Every figure the pages can show is a total over the submissions it
counts (the number of organisations, at each step of each question, with
each score); the test below builds random populations, works out every
figure the pages could show for every filter, and checks, by exact linear
algebra, that no sum or difference of those figures is a total over 1 to 4
submissions."""

from __future__ import annotations

import itertools
from collections import defaultdict
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.insight.area import disclosure
from personfirst.insight.area.disclosure import Group, make_groups, make_periods, protect
from personfirst.testing import examples

# --- Groups -------------------------------------------------------------------


def cells_of(groups: list[Group]) -> list[set]:
    return sorted((set(g.cells) for g in groups), key=sorted)


def test_every_type_and_size_band_is_its_own_group_when_each_has_five():
    latest = {("a", "x"): 5, ("a", "y"): 9, ("b", "x"): 6}
    groups = make_groups(latest, latest, size_order=["x", "y"])
    assert cells_of(groups) == [{("a", "x")}, {("a", "y")}, {("b", "x")}]


def test_a_small_size_band_joins_the_next_of_its_type():
    latest = {("a", "x"): 2, ("a", "y"): 3, ("a", "z"): 9}
    groups = make_groups(latest, latest, size_order=["x", "y", "z"])
    assert cells_of(groups) == [{("a", "x"), ("a", "y")}, {("a", "z")}]


def test_a_small_last_size_band_joins_the_one_before():
    latest = {("a", "x"): 7, ("a", "y"): 8, ("a", "z"): 1}
    groups = make_groups(latest, latest, size_order=["x", "y", "z"])
    assert cells_of(groups) == [{("a", "x")}, {("a", "y"), ("a", "z")}]


def test_small_types_are_pooled_and_a_small_pool_joins_the_smallest_group():
    latest = {("a", "x"): 20, ("b", "x"): 7, ("c", "x"): 2, ("d", "y"): 1}
    groups = make_groups(latest, latest, type_order=["a", "b", "c", "d"])
    assert cells_of(groups) == [{("a", "x")}, {("b", "x"), ("c", "x"), ("d", "y")}]
    latest[("e", "x")] = 4
    groups = make_groups(latest, latest, type_order=["a", "b", "c", "d", "e"])
    assert {("c", "x"), ("d", "y"), ("e", "x")} in cells_of(groups)  # the pool, 7, is a group of its own


def test_a_cell_with_only_earlier_assessments_is_kept_in_a_group():
    latest = {("a", "x"): 9}
    groups = make_groups(latest, [("a", "x"), ("a", "y")], size_order=["x", "y"])
    assert cells_of(groups) == [{("a", "x"), ("a", "y")}]


def test_filters_are_allowed_only_on_whole_groups():
    protection = disclosure.Protection(
        groups=[Group(frozenset({("a", "x"), ("a", "y")}), 9), Group(frozenset({("b", "x")}), 6)], periods=[(1, 1)]
    )
    assert protection.allows(None, None)
    assert protection.allows(["a"], None)
    assert protection.allows(["b"], ["x"])
    assert not protection.allows(None, ["x"])  # takes half of type a
    assert not protection.allows(["a"], ["y"])
    assert protection.split_groups(None, ["y"]) == [protection.groups[0]]


# --- Periods ------------------------------------------------------------------


def test_a_quarter_with_too_few_joins_the_next():
    # group ("a", "x"): 6 latest in quarter 3; quarter 1 has 2 that were replaced in quarter 3.
    records = {("a", "x", 1, 3): 2, ("a", "x", 2, 3): 6, ("a", "x", 3, None): 8}
    group_of = {("a", "x"): 0}
    assert make_periods(records, group_of, 1, 3) == [(1, 2), (3, 3)]


def test_the_last_quarter_joins_the_one_before():
    records = {("a", "x", 1, None): 9, ("a", "x", 2, None): 3}
    assert make_periods(records, {("a", "x"): 0}, 1, 2) == [(1, 2)]


def test_an_assessment_replaced_within_a_joined_period_is_not_counted_twice():
    # 3 organisations submitted in quarter 1 and again in quarter 2 (their last in the joined period):
    # joined, the period counts 3 + 2 = 5 organisations, not 8.
    records = {("a", "x", 1, 2): 3, ("a", "x", 2, None): 5}
    periods = make_periods(records, {("a", "x"): 0}, 1, 2)
    assert periods == [(1, 2)]
    counted = sum(n for (_t, _s, q, sq), n in records.items() if disclosure.counted_in(q, sq, periods[0]))
    assert counted == 5


def test_a_few_earlier_assessments_beside_latest_ones_join_periods():
    # Every period has 5, but the periods count 2 earlier assessments on top of the 10 latest.
    records = {("a", "x", 1, 2): 2, ("a", "x", 1, None): 5, ("a", "x", 2, None): 5}
    assert make_periods(records, {("a", "x"): 0}, 1, 2) == [(1, 2)]


def test_protect_keeps_the_grouping_with_the_most_figures():
    # Two types of 5 organisations, each with 3 earlier assessments in each of quarters 1 to 3.
    # As two groups, no quarter before the last has 5 in each, so there is one period (2 × 1
    # figures); as one group of 10, every quarter has 6 or more (1 × 4).
    records = {}
    for org_type in ("a", "b"):
        for quarter in (1, 2, 3):
            records[(org_type, "x", quarter, quarter + 1)] = 3
        records[(org_type, "x", 4, None)] = 5
    protection = protect(records)
    assert len(protection.groups) == 1
    assert protection.periods == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert protection.size == 10


# --- The guarantee, over random populations ------------------------------------

TYPES = ("a", "b", "c")
SIZES = ("x", "y")


@st.composite
def populations(draw):
    """Organisations, each with a type, a size band and one to three submissions in quarters 1 to 4."""
    count = draw(st.integers(min_value=1, max_value=45))
    organisations = []
    for _ in range(count):
        org_type = draw(st.sampled_from(TYPES[: draw(st.integers(1, 3))]))
        size = draw(st.sampled_from(SIZES))
        quarters = sorted(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
        organisations.append((org_type, size, quarters))
    return organisations


def submissions_of(organisations):
    """(submission id, organisation, type, size band, quarter, superseded quarter), without those
    replaced within their own quarter, which nothing counts."""
    rows = []
    for number, (org_type, size, quarters) in enumerate(organisations):
        for index, quarter in enumerate(quarters):
            superseded = quarters[index + 1] if index + 1 < len(quarters) else None
            if superseded != quarter:
                rows.append((len(rows), number, org_type, size, quarter, superseded))
    return rows


def shown_figures(protection, submissions):
    """Every figure the pages could show, as the set of submissions it counts: for every choice of
    types and of size bands (none ticked, or any set), each organisation's latest, and each period
    (the period filter and the trend show the same ones)."""
    choices = [None] + [c for n in range(1, 4) for c in itertools.combinations(TYPES, n)]
    size_choices = [None] + [c for n in range(1, 3) for c in itertools.combinations(SIZES, n)]
    figures = {}
    for types, sizes in itertools.product(choices, size_choices):
        allowed = protection.allows(types, sizes)
        chosen = disclosure.chooser(types, sizes)
        for period in [None, *protection.periods]:
            counted = frozenset(
                s[0] for s in submissions if chosen((s[2], s[3])) and disclosure.counted_in(s[4], s[5], period)
            )
            if allowed:
                # Whole groups only: never 1 to 4 organisations.
                assert not disclosure.disclosive(len(counted)), (types, sizes, period, len(counted))
                if counted:
                    figures[(types, sizes, period)] = counted
    return figures


def _reduce(vector, basis):
    vector = list(vector)
    for pivot, row in basis:
        if vector[pivot]:
            factor = vector[pivot]
            vector = [v - factor * r for v, r in zip(vector, row, strict=True)]
    return vector


def derivable_small_totals(figures, submissions):
    """Sets of 1 to 4 submissions whose total can be worked out by adding and subtracting figures."""
    # Submissions in exactly the same figures can never be told apart: work with those classes.
    signature = defaultdict(list)
    for s in submissions:
        key = frozenset(name for name, counted in figures.items() if s[0] in counted)
        if key:
            signature[key].append(s[0])
    classes = list(signature.values())
    if not classes:
        return []
    # Row-reduce the figures (rows) over the classes (columns), exactly.
    basis = []  # (pivot column, row with 1 at the pivot)
    for counted in figures.values():
        row = _reduce([Fraction(1 if members[0] in counted else 0) for members in classes], basis)
        pivot = next((i for i, v in enumerate(row) if v), None)
        if pivot is not None:
            row = [v / row[pivot] for v in row]
            basis = [(p, _reduce(r, [(pivot, row)])) for p, r in basis] + [(pivot, row)]
    small = [i for i, members in enumerate(classes) if len(members) < disclosure.MINIMUM]
    found = []
    for n in range(1, 5):
        for chosen in itertools.combinations(small, n):
            if sum(len(classes[i]) for i in chosen) >= disclosure.MINIMUM:
                continue
            vector = [Fraction(1 if i in chosen else 0) for i in range(len(classes))]
            if not any(_reduce(vector, basis)):
                found.append([classes[i] for i in chosen])
    return found


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_no_sum_or_difference_of_figures_is_about_fewer_than_five(organisations):
    submissions = submissions_of(organisations)
    records = defaultdict(int)
    for _id, _org, org_type, size, quarter, superseded in submissions:
        records[(org_type, size, quarter, superseded)] += 1
    protection = protect(records, type_order=TYPES, size_order=SIZES)
    figures = shown_figures(protection, submissions)
    assert derivable_small_totals(figures, submissions) == []


def test_the_check_finds_a_difference_when_the_rule_is_switched_off():
    """Without the groups (every type and size band a group of its own), 'every type' minus
    'types a and b' is type c's 3 organisations: the check above must catch that."""
    organisations = [("a", "x", [1])] * 10 + [("b", "x", [1])] * 10 + [("c", "x", [1])] * 3
    submissions = submissions_of(organisations)
    records = defaultdict(int)
    for _id, _org, org_type, size, quarter, superseded in submissions:
        records[(org_type, size, quarter, superseded)] += 1
    no_rule = disclosure.Protection(
        groups=[Group(frozenset({(t, "x")}), n) for t, n in (("a", 10), ("b", 10), ("c", 3))], periods=[(1, 1)]
    )
    figures = {
        "every type": frozenset(s[0] for s in submissions),
        "a and b": frozenset(s[0] for s in submissions if s[2] in ("a", "b")),
    }
    assert derivable_small_totals(figures, submissions) == [[[20, 21, 22]]]
    assert no_rule.allows(("a", "b"), None)
    # With the rule, type c is pooled with the smallest group, so "a and b" is not shown.
    assert not protect(records, type_order=TYPES).allows(("a", "b"), None)
