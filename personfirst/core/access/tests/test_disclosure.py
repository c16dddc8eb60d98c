"""Statistical disclosure control (access/disclosure.py).

The attacker here knows the published cells, the published total and the
rules themselves: zero is always shown (so a hidden cell is at least 1),
cells of 1-4 are hidden, and how further cells are hidden to protect them.
They then try every set of values for the hidden cells that adds up to the
total and would have been published exactly as it was. A hidden cell is
disclosed if every such set gives it the same value.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from personfirst.core.access.disclosure import (
    MINIMUM,
    is_disclosive,
    suppress_breakdown,
    suppress_counts,
    suppress_total,
)

# Up to eight cells (an area page has nine organisation types) of 0-12.
cells = st.dictionaries(
    st.sampled_from(string.ascii_lowercase[:8]), st.integers(min_value=0, max_value=12), min_size=1, max_size=8
)
# Counts that stay small, so that most cells are disclosive (and often 0 or 1).
small_cells = st.dictionaries(
    st.sampled_from(string.ascii_lowercase[:8]),
    st.one_of(st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=1)),
    min_size=1,
    max_size=8,
)


def _assignments(keys: list[str], remaining: int, low: int, high: int):
    """Every way to give ``keys`` values in low..high adding up to ``remaining``."""
    if not keys:
        if remaining == 0:
            yield {}
        return
    first, rest = keys[0], keys[1:]
    for value in range(low, min(high, remaining - low * len(rest)) + 1):
        for tail in _assignments(rest, remaining - value, low, high):
            yield {first: value, **tail}


def disclosed(counts: dict[str, int]) -> dict[str, int]:
    """The hidden cells an attacker can work out exactly, with their values."""
    published, total = suppress_breakdown(counts)
    hidden = sorted(key for key, value in published.items() if value is None)
    if total is None or not hidden:
        return {}
    shown = {key: value for key, value in published.items() if value is not None}
    possible: dict[str, set[int]] = {key: set() for key in hidden}

    def consider(guess: dict[str, int]) -> bool:
        """Note the guess if it would have been published just as it was;
        True once every hidden cell has at least two possible values."""
        if suppress_breakdown({**shown, **guess}) == (published, total):
            for key, value in guess.items():
                possible[key].add(value)
        return all(len(values) > 1 for values in possible.values())

    # Quick: the true values, swapped between two hidden cells.
    true = {key: counts[key] for key in hidden}
    for first in hidden:
        for second in hidden:
            if true[first] != true[second] and consider({**true, first: true[second], second: true[first]}):
                return {}
    # Thorough: every set of values adding up to the total. A hidden cell
    # of 5 or more was hidden to protect another, so it is no bigger than
    # any positive cell still shown (a sound bound, not a guess).
    remaining = total - sum(shown.values())
    high = min([value for value in shown.values() if value > 0] + [remaining])
    for guess in _assignments(hidden, remaining, 1, high):
        if consider(guess):
            return {}
    assert all(possible.values()), "the true values must be among the attacker's guesses"
    return {key: values.pop() for key, values in possible.items() if len(values) == 1}


# --- The threshold -----------------------------------------------------------


@pytest.mark.parametrize(("count", "expected"), [(0, False), (1, True), (4, True), (5, False), (250, False)])
def test_is_disclosive(count, expected):
    assert is_disclosive(count) is expected


@pytest.mark.parametrize(("total", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (99, 99)])
def test_suppress_total(total, shown):
    assert suppress_total(total) == shown


def test_minimum_is_five():
    assert MINIMUM == 5


# --- Examples ------------------------------------------------------------------


def test_nothing_disclosive_is_shown_as_it_is():
    assert suppress_counts({"a": 10, "b": 0, "c": 7}) == {"a": 10, "b": 0, "c": 7}


def test_a_small_cell_and_the_next_smallest_are_hidden():
    assert suppress_counts({"a": 3, "b": 9, "c": 6, "d": 0}) == {"a": None, "b": 9, "c": None, "d": 0}


def test_without_the_total_only_small_cells_are_hidden():
    assert suppress_counts({"a": 3, "b": 9, "c": 6}, total_shown=False) == {"a": None, "b": 9, "c": 6}


def test_zero_is_never_hidden_to_protect_another_cell():
    # Hiding a zero protects nothing: everyone knows zeros are shown.
    assert suppress_counts({"a": 2, "b": 0, "c": 8}) == {"a": None, "b": 0, "c": None}


def test_two_small_cells_of_one_are_not_left_to_be_worked_out():
    # Two hidden cells adding up to 2 can only be 1 and 1: a third is hidden.
    published, total = suppress_breakdown({"a": 1, "b": 1, "c": 10, "d": 20})
    assert total == 32
    assert published == {"a": None, "b": None, "c": None, "d": 20}
    assert disclosed({"a": 1, "b": 1, "c": 10, "d": 20}) == {}


def test_cells_tied_with_the_protecting_cell_are_hidden_with_it():
    # Hiding just one of two equal cells would give away which was which.
    assert suppress_counts({"a": 1, "b": 5, "c": 5, "d": 9}) == {"a": None, "b": None, "c": None, "d": 9}


def test_the_total_is_hidden_when_nothing_can_protect_the_hidden_cells():
    # Five cells of 1 and nothing else: a total of 5 would say each is 1.
    ones = dict.fromkeys("abcde", 1)
    assert suppress_breakdown({**ones, "f": 0}) == ({**dict.fromkeys("abcde"), "f": 0}, None)
    # Small cells and zeros only: the total is the sum of small cells, so it is hidden.
    assert suppress_breakdown({"a": 1, "b": 4, "c": 0}) == ({"a": None, "b": None, "c": 0}, None)


def test_the_total_is_shown_when_a_large_cell_protects_the_small_ones():
    assert suppress_breakdown({"a": 4, "b": 7, "c": 0}) == ({"a": None, "b": None, "c": 0}, 11)


def test_a_disclosive_total_is_hidden():
    assert suppress_breakdown({"a": 3, "b": 0}) == ({"a": None, "b": 0}, None)


def test_empty_breakdown():
    assert suppress_breakdown({}) == ({}, 0)


# --- Properties ----------------------------------------------------------------


@given(cells, st.booleans())
def test_no_shown_cell_is_disclosive_and_zero_is_shown(counts, total_shown):
    result = suppress_counts(counts, total_shown=total_shown)
    assert result.keys() == counts.keys()
    for key, value in result.items():
        if value is not None:
            assert value == counts[key], "a shown cell is shown as it is"
            assert not is_disclosive(value)
        if counts[key] == 0:
            assert value == 0, "zero is shown"
        if is_disclosive(counts[key]):
            assert value is None


@given(cells)
def test_without_the_total_only_disclosive_cells_are_hidden(counts):
    result = suppress_counts(counts, total_shown=False)
    assert {k for k, v in result.items() if v is None} == {k for k, v in counts.items() if is_disclosive(v)}


@given(cells)
@example({"a": 3, "b": 0})
@example({"a": 3, "b": 9})
def test_the_total_never_gives_away_a_single_hidden_cell(counts):
    """With the total shown, total - sum(shown) is never one cell's value."""
    published, total = suppress_breakdown(counts)
    hidden = [key for key, value in published.items() if value is None]
    if total is not None:
        assert total == sum(counts.values())
        assert len(hidden) != 1, f"{hidden[0]} = total - the rest = {counts[hidden[0]]}"


@given(cells)
def test_counts_and_total_suppressed_apart_never_give_away_a_single_hidden_cell(counts):
    """The same, for a page that still calls suppress_counts and suppress_total."""
    published = suppress_counts(counts)
    hidden = [key for key, value in published.items() if value is None]
    if suppress_total(sum(counts.values())) is not None:
        assert len(hidden) != 1, f"{hidden[0]} = total - the rest = {counts[hidden[0]]}"


@settings(max_examples=300, deadline=None)
@given(small_cells)
@example({"a": 1, "b": 1, "c": 10})  # two hidden cells adding up to 2
@example({"a": 4, "b": 4, "c": 0})  # two hidden cells adding up to 8, nothing else positive
@example({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})  # five hidden ones, total 5
@example({"a": 4, "b": 4, "c": 4})  # found by hypothesis: three hidden cells adding up to 12
@example({"e": 1, "b": 5, "c": 5})  # a tie for the protecting cell
def test_no_hidden_cell_can_be_worked_out(counts):
    assert disclosed(counts) == {}


@settings(max_examples=150, deadline=None)
@given(cells)
def test_no_hidden_cell_can_be_worked_out_with_larger_counts(counts):
    assert disclosed(counts) == {}
