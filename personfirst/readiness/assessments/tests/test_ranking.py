"""Strengths and development needs (scoring.rank_sections): never the same
section in both, every strength above every need, and a plain sentence when
there are too few sections, or too few different scores, to rank."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from personfirst.readiness.assessments import scoring
from personfirst.readiness.assessments.scoring import rank_sections
from personfirst.testing import examples

scores = st.one_of(st.none(), st.fractions(min_value=0, max_value=100, max_denominator=12))
sections = st.lists(scores, max_size=16).map(lambda values: [(f"s{i}", v) for i, v in enumerate(values)])


@settings(max_examples=examples(300))
@given(sections, st.integers(min_value=1, max_value=5))
@example([("a", Fraction(50)), ("b", Fraction(50)), ("c", Fraction(50)), ("d", Fraction(10))], 3)
@example([("only", Fraction(40))], 3)
def test_strengths_and_needs_never_overlap_and_are_ordered(pairs, top):
    ranking = rank_sections(pairs, top=top)
    score = dict(pairs)
    scored = [key for key, value in pairs if value is not None]

    assert not set(ranking.strengths) & set(ranking.needs)
    assert len(ranking.strengths) <= min(top, len(scored) // 2)
    assert len(ranking.needs) <= min(top, len(scored) // 2)
    assert all(score[key] is not None for key in ranking.strengths + ranking.needs)
    others = [key for key in scored if key not in ranking.strengths]
    for key in ranking.strengths:  # above every section that is not a strength
        assert all(score[key] > score[other] for other in others)
    others = [key for key in scored if key not in ranking.needs]
    for key in ranking.needs:
        assert all(score[key] < score[other] for other in others)
    assert [score[k] for k in ranking.strengths] == sorted((score[k] for k in ranking.strengths), reverse=True)
    assert [score[k] for k in ranking.needs] == sorted(score[k] for k in ranking.needs)
    # An empty list always comes with something to say instead.
    assert bool(ranking.strengths) != bool(ranking.no_strengths)
    assert bool(ranking.needs) != bool(ranking.no_needs)


@settings(max_examples=examples(100))
@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=12), min_size=2, max_size=16, unique=True))
def test_with_different_scores_the_highest_and_lowest_are_ranked(values):
    pairs = [(f"s{i}", v) for i, v in enumerate(values)]
    ranking = rank_sections(pairs)
    best = max(pairs, key=lambda pair: pair[1])[0]
    worst = min(pairs, key=lambda pair: pair[1])[0]
    k = min(scoring.TOP, len(values) // 2)
    assert ranking.strengths[0] == best and len(ranking.strengths) == k
    assert ranking.needs[0] == worst and len(ranking.needs) == k


def test_too_few_sections_to_rank():
    assert rank_sections([]) == scoring.Ranking([], [], scoring.NO_SCORES, scoring.NO_SCORES)
    one = rank_sections([("a", Fraction(70)), ("b", None)])
    assert (one.strengths, one.needs, one.no_strengths) == ([], [], scoring.ONE_SCORE)
    same = rank_sections([("a", 50), ("b", 50), ("c", 50)])
    assert (same.strengths, same.needs, same.no_needs) == ([], [], scoring.ALL_SAME)


def test_two_sections_one_each():
    ranking = rank_sections([("a", 20), ("b", 80)])
    assert (ranking.strengths, ranking.needs) == (["b"], ["a"])


def test_a_tie_at_the_edge_is_left_out():
    ranking = rank_sections([("a", 90), ("b", 60), ("c", 60), ("d", 10)], top=3)
    # Two of four may be strengths, but b and c tie: only a stands out.
    assert (ranking.strengths, ranking.needs) == (["a"], ["d"])
