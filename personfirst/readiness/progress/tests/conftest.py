from __future__ import annotations

import pytest

from .helpers import at, load_tracker, submitted


@pytest.fixture
def instruments(db):
    """The three shipped instruments, loaded: {key: Instrument}."""
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    return load_shipped()


@pytest.fixture
def tracker_history(world):
    """Three submitted trackers of world.org: two with version 1, then one
    with version 2 (which renames "Flexible support", drops "Planning" and
    adds "Knowing the demand")."""
    tracker = load_tracker(1)
    first = submitted(
        world.org,
        tracker,
        world.admin,
        {
            "values-ladder": {"level": 2},  # 50
            "flex-one": {"option": "fully-met"},  # 100
            "flex-two": {"option": "not-met"},  # 0 -> section 50
            "planning-ladder": {"level": 4},  # 75
        },
        at(2025, 2, 10),
    )
    second = submitted(
        world.org,
        tracker,
        world.admin,
        {
            "values-ladder": {"level": 3},  # 100
            "flex-one": {"option": "partly-met"},  # 50
            "flex-two": {"not_relevant": True},  # left out of the mean -> section 50
            # planning not answered: no score
        },
        at(2025, 8, 10),
    )
    tracker = load_tracker(2)
    third = submitted(
        world.org,
        tracker,
        world.admin,
        {
            "values-ladder": {"level": 1},  # 0
            "flex-one": {"option": "fully-met"},  # 100
            "flex-two": {"option": "partly-met"},  # 50 -> section 75
            "demand-ladder": {"level": 2},  # 100/3 = 33.3
        },
        at(2026, 1, 20),
    )
    return [first, second, third]
