"""Fixtures for the area insight tests: the shipped instruments, and
organisations in the demo area (Eastmere, world.area) with submitted
assessments made by the test factory (tests/factory.py), some of them sharing with the development worker's
support organisation, with their figures published as at NOW's quarter."""

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
    """Organisations in Eastmere (world.area) with submitted assessments, a share of them sharing with
    world.support_org."""
    from .factory import submitted

    return submitted(
        organisations=organisations,
        assessments_per_organisation=assessments,
        area_code=more.pop("area_code", world.area.code),
        seed=seed,
        share_with=world.support_org,
        share_fraction=share_fraction,
        now=NOW,
        **more,
    )


# Pages show published figures only: tests publish as at the quarter NOW is in (as if it had ended).
QUARTER = NOW.year * 4 + (NOW.month - 1) // 3


def publish(instrument, quarter: int | None = None):
    """Publish as at ``quarter``; by default NOW's quarter, or today's if that is later (for
    assessments submitted by a test)."""
    from django.utils import timezone

    from personfirst.insight.area import publish as publishing
    from personfirst.insight.area import quarters

    return publishing.publish(instrument, quarter or max(QUARTER, quarters.quarter_of(timezone.now())))


@pytest.fixture
def eastmere(world, health_check):
    """world, with 80 more organisations in Eastmere with 3 assessments each, published."""
    summary = make(world, organisations=80)
    snapshot = publish(health_check)
    return SimpleNamespace(world=world, summary=summary, instrument=health_check, snapshot=snapshot)
