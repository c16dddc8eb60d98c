"""Fixtures for the area insight tests: the shipped instruments, and
synthetic organisations in the demo area (Eastmere, world.area) made by
insight.generate, some of them sharing with the development worker's
support organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

# A fixed "now", so that generated dates (and so quarters) are the same on every run.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def instruments(db):
    """The three shipped instruments, loaded: {key: Instrument}."""
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    return load_shipped()


@pytest.fixture
def health_check(instruments):
    return instruments["health-check"]


def make(world, *, organisations: int, assessments: int = 3, seed: int = 11, share_fraction: float = 0.4, **more):
    """Synthetic organisations in Eastmere (world.area), a share of them sharing with world.support_org."""
    from personfirst.insight.area import generate

    return generate.generate(
        organisations=organisations,
        assessments_per_organisation=assessments,
        area_code=more.pop("area_code", world.area.code),
        seed=seed,
        share_with=world.support_org,
        share_fraction=share_fraction,
        now=NOW,
        **more,
    )


@pytest.fixture
def eastmere(world, health_check):
    """world, with 80 synthetic organisations in Eastmere with 3 assessments each."""
    summary = make(world, organisations=80)
    return SimpleNamespace(world=world, summary=summary, instrument=health_check)
