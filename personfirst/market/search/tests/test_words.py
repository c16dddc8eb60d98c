"""Query words: synonyms, stop words, and grid squares as words."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from personfirst.market.search import words


def test_synonyms_and_stop_words():
    assert words.concepts("carer")[0][:3] == [("carer",), ("carers",), ("caring", "for")]
    assert ("day", "service") in words.concepts("a day centre")[0]
    assert words.concepts("home help") == [words.concepts("home care")[0]]
    assert words.concepts("the and of") == [[("the",)], [("and",)], [("of",)]]  # nothing but stop words: keep them


@given(
    st.integers(100_000, 600_000),
    st.integers(100_000, 900_000),
    st.sampled_from([1_000, 3_000, 5_000, 10_000, 25_000, 50_000]),
    st.floats(0, 2 * math.pi),
    st.floats(0, 1),
)
def test_every_place_within_the_radius_is_in_a_square_the_search_names(easting, northing, radius, angle, share):
    e = easting + int(radius * share * math.cos(angle))
    n = northing + int(radius * share * math.sin(angle))
    near = set(words.squares_near(easting, northing, radius))
    assert near & set(words.squares_of([(e, n)]).split())
    assert len(near) <= 9


def test_too_wide_a_radius_names_no_squares():
    assert words.squares_near(500_000, 200_000, 100_000) is None
