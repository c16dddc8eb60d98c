"""The scoring rules (docs/scoring.md), checked against a reference
implementation written independently (readiness/tests/reference.py) with
exact fractions.

- Item: ladder or milestones with n levels at level k (1-based) scores
  100·(k−1)/(n−1); rating scores the chosen option's score. Not relevant,
  skipped or not applicable: no score.
- Section: the mean of its scored items; none scored: no score.
- Overall: the mean of the sections that have a score.
- Shown to one decimal place, halves rounded up (62.25 → 62.3).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from personfirst.core.definitions.items import ItemDefinition, Option
from personfirst.readiness.assessments.scoring import (
    Response,
    item_score,
    mean,
    one_decimal,
    overall_score,
    section_score,
)
from personfirst.testing import examples

from .reference import exact, reference_item, reference_mean, reference_round


def test_the_reference_rounding_itself():
    assert reference_round(Fraction(6225, 100)) == Decimal("62.3")
    assert reference_round(Fraction(6224, 100)) == Decimal("62.2")
    assert reference_round(Fraction(-225, 100)) == Decimal("-2.3")
    assert reference_round(Fraction(200, 3)) == Decimal("66.7")
    assert reference_round(0) == Decimal("0.0")
    assert reference_round(100) == Decimal("100.0")


# --- strategies --------------------------------------------------------------


def ItemRule(key: str, type: str, levels: int = 0, option_scores: dict | None = None) -> ItemDefinition:  # noqa: N802
    """An item as scoring sees it: so many levels, or these options with their scores."""
    return ItemDefinition(
        key=key,
        type=type,
        prompt=f"Question {key}",
        levels=tuple(f"Statement {n}" for n in range(1, levels + 1)),
        options=tuple(Option(option, option, score) for option, score in (option_scores or {}).items()),
    )


def option_scores_of(rule: ItemDefinition) -> dict:
    return {option.key: option.score for option in rule.options}


option_scores = st.one_of(
    st.integers(min_value=0, max_value=100),
    # Scores with up to two decimal places, as an instrument file may give them.
    st.decimals(min_value=0, max_value=100, places=2).map(float),
)


@st.composite
def item_rules(draw, key: str = "item") -> ItemRule:
    kind = draw(st.sampled_from(["ladder", "milestones", "rating"]))
    if kind == "rating":
        count = draw(st.integers(min_value=2, max_value=5))
        scores = draw(st.lists(option_scores, min_size=count, max_size=count))
        return ItemRule(key=key, type=kind, option_scores={f"option-{i}": s for i, s in enumerate(scores)})
    return ItemRule(key=key, type=kind, levels=draw(st.integers(min_value=2, max_value=9)))


@st.composite
def responses_for(draw, rule: ItemRule) -> Response | None:
    """Any response a person can give: nothing, not relevant, skipped, or an answer."""
    what = draw(st.sampled_from(["none", "not_relevant", "skipped", "answer", "answer", "answer"]))
    if what == "none":
        return None
    if what == "skipped":
        return Response()
    if rule.type == "rating":
        option = draw(st.sampled_from(sorted(option_scores_of(rule))))
        return Response(option=option, not_relevant=what == "not_relevant")
    level = draw(st.integers(min_value=1, max_value=len(rule.levels)))
    # "Not relevant" wins even if a level was also sent.
    return Response(
        level=level if what == "answer" or draw(st.booleans()) else None, not_relevant=what == "not_relevant"
    )


@st.composite
def answered_items(draw, key: str = "item") -> tuple[ItemRule, Response | None]:
    rule = draw(item_rules(key))
    return rule, draw(responses_for(rule))


@st.composite
def answered_sections(draw, prefix: str = "s") -> tuple[list[ItemRule], dict[str, Response]]:
    count = draw(st.integers(min_value=1, max_value=6))
    rules, responses = [], {}
    for i in range(count):
        rule, response = draw(answered_items(f"{prefix}-item-{i}"))
        rules.append(rule)
        if response is not None:
            responses[rule.key] = response
    return rules, responses


answered_instruments = st.lists(
    st.integers(min_value=0, max_value=10**6).flatmap(lambda n: answered_sections(f"section-{n}")),
    min_size=1,
    max_size=8,
)


# --- items -------------------------------------------------------------------


@given(levels=st.integers(min_value=2, max_value=20), data=st.data())
def test_a_level_scores_exactly_100_times_k_minus_1_over_n_minus_1(levels, data):
    level = data.draw(st.integers(min_value=1, max_value=levels))
    for kind in ("ladder", "milestones"):
        score = item_score(ItemRule("x", kind, levels=levels), Response(level=level))
        assert score == Fraction(100 * (level - 1), levels - 1)
        assert 0 <= score <= 100


@pytest.mark.parametrize(
    ("levels", "level", "expected"),
    [(2, 1, 0), (2, 2, 100), (3, 2, 50), (4, 2, Fraction(100, 3)), (4, 3, Fraction(200, 3)), (5, 4, 75), (5, 5, 100)],
)
def test_level_scores_by_hand(levels, level, expected):
    assert item_score(ItemRule("x", "ladder", levels=levels), Response(level=level)) == expected


@given(levels=st.integers(min_value=2, max_value=20), data=st.data())
def test_a_higher_level_never_scores_less(levels, data):
    low = data.draw(st.integers(min_value=1, max_value=levels))
    high = data.draw(st.integers(min_value=low, max_value=levels))
    rule = ItemRule("x", "ladder", levels=levels)
    assert item_score(rule, Response(level=low)) <= item_score(rule, Response(level=high))
    if high > low:
        assert item_score(rule, Response(level=low)) < item_score(rule, Response(level=high))


@given(levels=st.integers(min_value=2, max_value=20))
def test_the_lowest_level_scores_0_and_the_highest_100(levels):
    rule = ItemRule("x", "milestones", levels=levels)
    assert item_score(rule, Response(level=1)) == 0
    assert item_score(rule, Response(level=levels)) == 100


@given(scores=st.lists(option_scores, min_size=2, max_size=6), data=st.data())
def test_a_rating_scores_its_chosen_option(scores, data):
    rule = ItemRule("x", "rating", option_scores={f"o{i}": s for i, s in enumerate(scores)})
    chosen = data.draw(st.sampled_from(sorted(option_scores_of(rule))))
    score = item_score(rule, Response(option=chosen))
    assert score == exact(option_scores_of(rule)[chosen])
    assert 0 <= score <= 100


def test_the_default_rating_options():
    rule = ItemRule("x", "rating", option_scores={"fully-met": 100, "partly-met": 50, "not-met": 0})
    assert [item_score(rule, Response(option=o)) for o in ("fully-met", "partly-met", "not-met")] == [100, 50, 0]


@given(answered_items())
def test_every_item_score_is_the_reference_and_between_0_and_100(pair):
    rule, response = pair
    score = item_score(rule, response)
    assert score == reference_item(rule, response)
    if score is not None:
        assert 0 <= score <= 100


@given(item_rules(), st.integers(min_value=1, max_value=9))
def test_not_relevant_has_no_score_whatever_else_is_sent(rule, level):
    option = next(iter(option_scores_of(rule)), None)
    assert item_score(rule, Response(level=level, option=option, not_relevant=True)) is None


@given(item_rules())
def test_unanswered_and_skipped_have_no_score(rule):
    assert item_score(rule, None) is None
    assert item_score(rule, Response()) is None


@pytest.mark.parametrize(
    ("rule", "response"),
    [
        (ItemRule("x", "ladder", levels=3), Response(level=0)),
        (ItemRule("x", "ladder", levels=3), Response(level=4)),
        (ItemRule("x", "milestones", levels=1), Response(level=1)),
        (ItemRule("x", "rating", option_scores={"a": 1}), Response(option="b")),
        (ItemRule("x", "essay"), Response(level=1)),
    ],
)
def test_an_impossible_answer_is_an_error_not_a_score(rule, response):
    with pytest.raises(ValueError, match="x"):
        item_score(rule, response)


# --- sections and overall ------------------------------------------------------


@given(answered_sections())
def test_a_section_scores_the_mean_of_its_scored_items(section):
    rules, responses = section
    expected = reference_mean(reference_item(rule, responses.get(rule.key)) for rule in rules)
    assert section_score(rules, responses) == expected
    if expected is not None:
        assert 0 <= section_score(rules, responses) <= 100


@given(answered_sections(), item_rules(key="extra"), st.sampled_from(["none", "not_relevant", "skipped"]))
def test_adding_an_item_without_a_score_does_not_change_the_section(section, extra, how):
    rules, responses = section
    before = section_score(rules, responses)
    responses = dict(responses)
    if how == "not_relevant":
        responses["extra"] = Response(not_relevant=True)
    elif how == "skipped":
        responses["extra"] = Response()
    assert section_score([*rules, extra], responses) == before


@given(item_rules())
def test_a_section_with_no_scored_items_has_no_score(rule):
    assert section_score([rule], {}) is None
    assert section_score([rule], {"item": Response(not_relevant=True)}) is None
    assert section_score([], {}) is None


def test_section_mean_by_hand():
    rules = [ItemRule("a", "ladder", levels=3), ItemRule("b", "ladder", levels=5), ItemRule("c", "ladder", levels=4)]
    # 50 and 75 are scored; c is not relevant.
    responses = {"a": Response(level=2), "b": Response(level=4), "c": Response(not_relevant=True)}
    assert section_score(rules, responses) == Fraction(125, 2)
    assert one_decimal(section_score(rules, responses)) == Decimal("62.5")


@given(answered_instruments)
def test_overall_is_the_mean_of_the_sections_that_have_a_score(instrument):
    section_scores = [section_score(rules, responses) for rules, responses in instrument]
    reference_sections = [
        reference_mean(reference_item(rule, responses.get(rule.key)) for rule in rules)
        for rules, responses in instrument
    ]
    assert section_scores == reference_sections
    overall = overall_score(section_scores)
    assert overall == reference_mean(reference_sections)
    scored = [s for s in reference_sections if s is not None]
    if scored:
        assert min(scored) <= overall <= max(scored)
    else:
        assert overall is None
    # What people see: both rounded the same way from the exact value.
    assert one_decimal(overall) == reference_round(reference_mean(reference_sections))
    assert [one_decimal(s) for s in section_scores] == [reference_round(s) for s in reference_sections]


@given(answered_instruments, st.integers(min_value=1, max_value=5))
def test_sections_without_a_score_do_not_count_towards_overall(instrument, blanks):
    before = overall_score(section_score(rules, responses) for rules, responses in instrument)
    unanswered = [([ItemRule(f"blank-{i}", "ladder", levels=3)], {}) for i in range(blanks)]
    after = overall_score(section_score(rules, responses) for rules, responses in [*instrument, *unanswered])
    assert after == before


def test_overall_is_a_mean_of_sections_not_of_items():
    # One section of one item at 100, one section of three items at 0:
    # the overall is 50 (each section counts once), not 25.
    big = [ItemRule(f"b{i}", "ladder", levels=2) for i in range(3)]
    small = [ItemRule("s", "ladder", levels=2)]
    sections = [
        section_score(small, {"s": Response(level=2)}),
        section_score(big, {f"b{i}": Response(level=1) for i in range(3)}),
        section_score([ItemRule("n", "ladder", levels=2)], {"n": Response(not_relevant=True)}),
    ]
    assert overall_score(sections) == 50


def test_mean_leaves_out_none():
    assert mean([None, 10, None, 20]) == 15
    assert mean([None, None]) is None
    assert mean([]) is None


# --- rounding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (62.25, "62.3"),
        (12.35, "12.4"),  # 12.35 is 12.3499… as a float, but halves still go up
        (0.05, "0.1"),
        (0.04999, "0.0"),
        (99.95, "100.0"),
        (Fraction(200, 3), "66.7"),
        (Fraction(100, 3), "33.3"),
        (Fraction(1235, 100), "12.4"),
        (Fraction(2489, 40), "62.2"),  # 62.225 → 62.2: only the first dropped digit counts
        (0, "0.0"),
        (100, "100.0"),
        (50, "50.0"),
        (-2.25, "-2.3"),  # a fall in score rounds the same way as a rise
        (Decimal("62.25"), "62.3"),
    ],
)
def test_one_decimal(value, shown):
    rounded = one_decimal(value)
    assert rounded == Decimal(shown)
    assert str(rounded) == shown


def test_one_decimal_of_nothing_is_nothing():
    assert one_decimal(None) is None


@given(st.fractions(min_value=0, max_value=100, max_denominator=10**6))
@example(Fraction(6225, 100))
@example(Fraction(1235, 100))
@example(Fraction(2225, 100))
def test_one_decimal_matches_the_reference_on_exact_values(value):
    rounded = one_decimal(value)
    assert rounded == reference_round(value)
    assert rounded.as_tuple().exponent == -1
    assert abs(Fraction(rounded) - value) <= Fraction(1, 20)


@given(st.integers(min_value=0, max_value=999))
def test_every_half_tenth_rounds_up(tenths):
    # x.x5 exactly, e.g. 62.25, 0.05, 99.95
    value = Fraction(10 * tenths + 5, 100)
    assert one_decimal(value) == Decimal(tenths + 1) / 10
    assert one_decimal(float(f"{tenths / 10:.1f}5")) == Decimal(tenths + 1) / 10


def test_section_means_that_land_on_a_half_are_rounded_up_exactly():
    """Means that are exactly x.x5 but not exact in binary floating point
    (the reason the rules are computed with fractions)."""
    thirds = ItemRule("t", "ladder", levels=4)  # 0, 33⅓, 66⅔, 100
    fifths = ItemRule("f", "ladder", levels=6)  # 0, 20, 40, 60, 80, 100
    rules = [thirds, fifths, ItemRule("r", "rating", option_scores={"a": 0.15, "b": 33.3})]
    found = 0
    for t in range(1, 5):
        for f in range(1, 7):
            for option in ("a", "b"):
                responses = {"t": Response(level=t), "f": Response(level=f), "r": Response(option=option)}
                expected = reference_mean(reference_item(rule, responses[rule.key]) for rule in rules)
                assert one_decimal(section_score(rules, responses)) == reference_round(expected)
                found += (expected * 100).denominator == 1 and (expected * 100).numerator % 10 == 5
    assert found  # the grid does contain exact halves


@given(answered_instruments)
@settings(max_examples=examples(200))
def test_scores_are_never_shown_outside_0_to_100(instrument):
    for rules, responses in instrument:
        shown = one_decimal(section_score(rules, responses))
        assert shown is None or Decimal("0.0") <= shown <= Decimal("100.0")


def test_floats_are_only_for_display():
    # The exact value survives a round trip through the rules.
    rules = [ItemRule("a", "ladder", levels=4)]
    score = section_score(rules, {"a": Response(level=2)})
    assert score * 3 == 100
    assert math.isclose(float(score), 100 / 3)
