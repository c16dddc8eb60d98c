"""The eligibility rule (criteria.py), checked against the national
criteria for every combination."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from personfirst.sds.eligibility.criteria import (
    ADULT,
    ADULT_OUTCOMES,
    CARER,
    CARER_OUTCOMES,
    Screen,
    ScreenError,
    decide,
)
from personfirst.testing import examples


@settings(max_examples=examples(200))
@given(
    condition=st.booleans(),
    unable=st.sets(st.sampled_from([k for k, _ in ADULT_OUTCOMES])),
    wellbeing=st.booleans(),
)
def test_an_adult_needs_a_condition_two_outcomes_and_an_impact_on_wellbeing(condition, unable, wellbeing):
    decision = decide(Screen(ADULT, condition, frozenset(unable), wellbeing))
    assert decision.eligible == (condition and len(unable) >= 2 and wellbeing)
    assert decision.reasons  # always says why


@settings(max_examples=examples(200))
@given(
    condition=st.booleans(),
    unable=st.sets(st.sampled_from([k for k, _ in CARER_OUTCOMES])),
    health=st.booleans(),
    wellbeing=st.booleans(),
)
def test_a_carer_needs_caring_one_outcome_or_a_risk_to_health_and_an_impact(condition, unable, health, wellbeing):
    decision = decide(Screen(CARER, condition, frozenset(unable), wellbeing, health_at_risk=health))
    assert decision.eligible == (condition and (len(unable) >= 1 or health) and wellbeing)


def test_the_reasons_name_the_outcomes_in_plain_words():
    decision = decide(Screen(ADULT, True, frozenset({"nutrition", "hygiene", "toilet"}), True))
    assert decision.eligible
    assert (
        "You cannot manage 3 things on the list without help: getting enough to eat and drink, "
        "keeping yourself clean and using the toilet." in decision.reasons
    )
    one = decide(Screen(ADULT, True, frozenset({"toilet"}), True))
    assert not one.eligible
    assert "The rules need two or more things on the list that you cannot manage." in one.reasons


@pytest.mark.parametrize(
    "screen",
    [
        lambda: Screen(ADULT, True, frozenset({"leisure"}), True),  # a carer's outcome
        lambda: Screen(ADULT, True, frozenset(), True, health_at_risk=True),
        lambda: Screen("child", True, frozenset(), True),
    ],
)
def test_a_screen_that_does_not_fit_the_criteria_is_refused(screen):
    with pytest.raises(ScreenError):
        screen()
