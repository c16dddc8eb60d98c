"""An organisation's history, worked out by progress.history, checked against
figures worked out by hand from the scoring rules (docs/scoring.md), and
against the results pages' own computation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from personfirst.readiness.assessments import results, services
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.progress import history
from personfirst.readiness.progress.history import Quarter

from .helpers import at, submitted

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_history_of_an_instrument_whose_sections_changed(world, tracker_history):
    first, second, third = tracker_history
    [tracker] = history.instrument_histories(world.org)

    assert tracker.instrument.key == "tracker"
    assert [p.assessment for p in tracker.points] == [first, second, third]  # oldest first
    assert [p.submitted_on for p in tracker.points] == [
        datetime.date(2025, 2, 10),
        datetime.date(2025, 8, 10),
        datetime.date(2026, 1, 20),
    ]
    assert [p.version_label for p in tracker.points] == ["1", "1", "2"]
    # Overall: (50 + 50 + 75) / 3 = 58.33…; (100 + 50) / 2 = 75; (0 + 75 + 33⅓) / 3 = 36.11…
    assert [p.overall for p in tracker.points] == [D("58.3"), D("75.0"), D("36.1")]
    assert tracker.overall == [D("58.3"), D("75.0"), D("36.1")]
    # Rows in the newest version's order with its titles, then the section
    # only older versions had. "Direct payments" never applied (its
    # condition), so it has no row.
    assert [(r.number, r.key, r.title, r.scores) for r in tracker.sections] == [
        (1, "values", "Values", [D("50.0"), D("100.0"), D("0.0")]),
        (2, "flexibility", "Flexible support for each person", [D("50.0"), D("50.0"), D("75.0")]),
        (3, "demand", "Knowing the demand", [None, None, D("33.3")]),
        (4, "planning", "Planning", [D("75.0"), None, None]),
    ]
    assert [p.assessment for p in tracker.newest_first] == [third, second, first]


def test_the_history_agrees_with_every_results_page(world, tracker_history):
    [tracker] = history.instrument_histories(world.org)
    for column, point in enumerate(tracker.points):
        shown = results.results_for(point.assessment, compare=False)
        assert point.overall == shown.overall
        by_key = {s.key: s.score for s in shown.sections}
        for row in tracker.sections:
            assert row.scores[column] == by_key.get(row.key)


def test_one_history_per_instrument_and_only_this_organisations_submitted_assessments(world, instruments):
    mine = submitted(
        world.org, instruments["workforce-ladder"], world.admin, {"workforce-development": {"level": 3}}, at(2025, 3, 1)
    )
    health = submitted(
        world.org, instruments["health-check"], world.admin, {"values-and-culture": {"level": 2}}, at(2025, 4, 1)
    )
    services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)  # a draft
    submitted(
        world.unshared,
        instruments["workforce-ladder"],
        world.platform,
        {"workforce-development": {"level": 5}},
        at(2025, 5, 1),
    )

    histories = history.instrument_histories(world.org)

    # In title order: "Person-centred workforce ladder", then "Personalisation health check".
    assert [h.instrument.key for h in histories] == ["workforce-ladder", "health-check"]
    assert [p.assessment for p in histories[0].points] == [mine]
    assert histories[0].overall == [D("50.0")]
    assert [p.assessment for p in histories[1].points] == [health]
    assert [h.instrument.key for h in history.instrument_histories(world.org, "health-check")] == ["health-check"]
    assert history.instrument_histories(world.org, "no-such-instrument") == []
    assert history.instrument_histories(world.council) == []


def test_a_constant_number_of_queries(world, instruments, django_assert_num_queries):
    def queries_for_history():
        with django_assert_num_queries(4):  # assessments, then the three of progress.scores
            history.instrument_histories(world.org)

    submitted(world.org, instruments["workforce-ladder"], world.admin, {}, at(2025, 3, 1))
    queries_for_history()
    for month in (4, 5, 6):
        submitted(world.org, instruments["health-check"], world.admin, {}, at(2025, month, 1))
    queries_for_history()


# --- Actions done per quarter ---------------------------------------------------------------------


def test_quarters():
    assert Quarter.of(datetime.date(2026, 1, 1)).label == "2026 Q1"
    assert Quarter.of(datetime.date(2026, 3, 31)).label == "2026 Q1"
    assert Quarter.of(datetime.date(2026, 4, 1)).label == "2026 Q2"
    assert str(Quarter.of(datetime.date(2025, 12, 31))) == "2025 Q4"
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert [q.label for q in history.quarters_from(Quarter(2025, 3), Quarter(2026, 2))] == [
        "2025 Q3",
        "2025 Q4",
        "2026 Q1",
        "2026 Q2",
    ]


def action(organisation, status, completed_at=None, title="An action"):
    made = Action.objects.create(organisation=organisation, title=title, status=status)
    Action.objects.filter(pk=made.pk).update(completed_at=completed_at)
    return made


@time_machine.travel(at(2026, 5, 15), tick=False)
def test_actions_done_per_quarter_with_the_quarters_between_at_zero(world):
    for when in (at(2025, 7, 1), at(2025, 9, 30), at(2026, 2, 14)):
        action(world.org, ActionStatus.DONE, when)
    # Not counted: not done (even with a date), done with no date, another organisation's.
    action(world.org, ActionStatus.IN_PROGRESS, at(2025, 8, 1))
    action(world.org, ActionStatus.DROPPED, at(2025, 8, 1))
    action(world.org, ActionStatus.DONE, None)
    action(world.unshared, ActionStatus.DONE, at(2025, 8, 1))

    counted = history.actions_done_by_quarter(world.org)

    # From the first quarter with an action done to this quarter (2026 Q2).
    assert [(q.label, q.count) for q in counted] == [
        ("2025 Q3", 2),
        ("2025 Q4", 0),
        ("2026 Q1", 1),
        ("2026 Q2", 0),
    ]


def test_an_action_is_counted_in_the_quarter_of_its_local_date(world):
    # 23:30 on 31 March 2026 in UTC is 00:30 on 1 April in London (summer time).
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    action(world.org, ActionStatus.DONE, late)
    counted = history.actions_done_by_quarter(world.org, today=datetime.date(2026, 4, 2))
    assert [(q.label, q.count) for q in counted] == [("2026 Q2", 1)]


def test_no_actions_done_is_an_empty_list(world):
    action(world.org, ActionStatus.NOT_STARTED)
    assert history.actions_done_by_quarter(world.org) == []
