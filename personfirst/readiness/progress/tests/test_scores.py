"""Scoring many submitted assessments at once gives exactly the figures of
their results pages (readiness.results.results_for), in a fixed number of
queries."""

from __future__ import annotations

import random

import pytest

from personfirst.readiness.assessments import results, services
from personfirst.readiness.assessments.loading import load_shipped
from personfirst.readiness.assessments.models import Assessment
from personfirst.readiness.progress.scores import submitted_scores

from .helpers import at, submitted, submitted_at_random

pytestmark = pytest.mark.django_db


def test_the_same_figures_as_the_results_pages(world, instruments):
    """Random answers of every kind, for organisations of several types (so
    that different sections are left out), with all three instruments."""
    rng = random.Random(4)
    made = []
    organisations = [world.org, world.unshared, world.support_org, world.other_org]
    for n, organisation in enumerate(organisations):
        for instrument in instruments.values():
            made.append(submitted_at_random(organisation, instrument, world.platform, rng, at(2025, 1 + n, 10)))

    scores = submitted_scores(Assessment.objects.filter(pk__in=[a.pk for a in made]))

    assert set(scores) == {a.pk for a in made}
    left_out_somewhere = False
    for assessment in made:
        expected = results.results_for(assessment, compare=False)
        got = scores[assessment.pk]
        assert got.overall_raw == expected.overall_raw  # exact fractions, not just the rounded figure
        assert got.overall == expected.overall
        assert [(s.key, s.title, s.raw) for s in got.sections] == [(s.key, s.title, s.raw) for s in expected.sections]
        left_out_somewhere |= bool(assessment.left_out)
    assert left_out_somewhere  # the comparison covered left-out sections


def test_a_section_with_nothing_scored_and_an_assessment_with_no_score(world, instruments):
    nothing = submitted(world.org, instruments["workforce-ladder"], world.admin, {}, at(2025, 5, 1))
    not_relevant = submitted(
        world.org,
        instruments["workforce-ladder"],
        world.admin,
        {"workforce-development": {"not_relevant": True}},
        at(2025, 6, 1),
    )
    scores = submitted_scores([nothing, not_relevant])
    for assessment in (nothing, not_relevant):
        assert scores[assessment.pk].overall is None
        assert [s.raw for s in scores[assessment.pk].sections] == [None]


def test_three_queries_whatever_the_number_of_assessments(world, instruments, django_assert_num_queries):
    rng = random.Random(7)
    made = [
        submitted_at_random(world.org, instrument, world.admin, rng, at(2025, month, 1))
        for month, instrument in enumerate([*instruments.values(), *instruments.values()], start=1)
    ]
    with django_assert_num_queries(3):
        submitted_scores(made[:1])
    with django_assert_num_queries(3):
        submitted_scores(made)
    with django_assert_num_queries(0):
        assert submitted_scores([]) == {}


def test_drafts_are_refused(world, instruments):
    draft = services.start(organisation=world.org, instrument=instruments["health-check"], by=world.admin)
    with pytest.raises(ValueError, match="drafts"):
        submitted_scores([draft])


def test_an_unconfirmed_suggestion_does_not_count_here_either(world, instruments):
    """Issue 10: a submitted health check with a suggested answer nobody
    confirmed showed 0.0 on its results page and 50.0 on the history and
    caseload pages. A suggestion counts nowhere until someone confirms it."""
    load_shipped()  # with the crosswalk
    submitted(
        world.org,
        instruments["flexible-services"],
        world.admin,
        {"prices-for-direct-purchase": {"option": "fully-met"}},
        at(2025, 1, 10),
    )
    # Starting the health check suggests the top level for costs-and-prices
    # (the crosswalk); only values-and-culture is answered, at the bottom.
    health_check = submitted(
        world.org, instruments["health-check"], world.admin, {"values-and-culture": {"level": 1}}, at(2025, 3, 10)
    )
    suggestion = health_check.answers.get(item__key="costs-and-prices")
    assert suggestion.suggested and suggestion.level is not None

    shown = results.results_for(health_check, compare=False)
    scores = submitted_scores([health_check])[health_check.pk]
    assert str(shown.overall) == "0.0"
    assert scores.overall_raw == shown.overall_raw
    assert [(s.key, s.raw) for s in scores.sections] == [(s.key, s.raw) for s in shown.sections]
