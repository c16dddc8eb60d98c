"""Fixtures for the readiness tests: the shipped instruments, loaded as a
person running ``manage.py load_instruments`` would, and an assessment for
world.org (Eastmere Carers' Centre) with the personalisation health check.

Eastmere Carers' Centre provides carers_support, information_advice and
short_breaks, so in the health check outcome 14 (information, advice,
advocacy and brokerage) applies and outcome 15 (direct payment support) is
left out by its condition.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

HEALTH_CHECK = "health-check"
FLEXIBLE = "flexible-services"
WORKFORCE = "workforce-ladder"
LEFT_OUT_SECTION = "direct-payment-support"
CONDITIONAL_SECTION = "information-advice-advocacy-brokerage"


SHIPPED = (HEALTH_CHECK, FLEXIBLE, WORKFORCE)


def shipped_path(key: str):
    """The shipped definition file of an instrument (readiness/instruments/KEY.yaml)."""
    from personfirst.readiness.assessments.loading import SHIPPED_DIR

    return SHIPPED_DIR / f"{key}.yaml"


def load_shipped():
    """Load the three shipped instruments as ``load_instruments`` would; {key: Instrument}."""
    from personfirst.readiness.assessments.loading import load_paths
    from personfirst.readiness.assessments.models import Instrument

    load_paths([shipped_path(key) for key in SHIPPED])
    return {instrument.key: instrument for instrument in Instrument.objects.filter(key__in=SHIPPED)}


@pytest.fixture
def instruments(db):
    """The three shipped instruments, loaded: {key: Instrument}."""
    return load_shipped()


@pytest.fixture
def health_check(instruments):
    return instruments[HEALTH_CHECK]


@pytest.fixture
def assessment(world, health_check):
    """A draft health check for Eastmere Carers' Centre, started by its admin."""
    from personfirst.readiness.assessments import services

    return services.start(organisation=world.org, instrument=health_check, by=world.admin)


@pytest.fixture
def answer():
    """answer(assessment, item_key, by=..., respondent=None, **values) saves one
    answer through the service (as its section's page would) and returns it."""
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Answer, Item

    def save(assessment, item_key, *, by, respondent=None, **values):
        item = Item.objects.select_related("section").get(version=assessment.version, key=item_key)
        current = Answer.objects.filter(assessment=assessment, item=item, respondent=respondent).first()
        conflicts = services.save_section(
            assessment=assessment,
            section=item.section,
            values={item_key: values},
            revisions={item_key: current.revision if current else 0},
            by=by,
            respondent=respondent,
        )
        assert not conflicts
        return Answer.objects.filter(assessment=assessment, item=item, respondent=respondent).first()

    return save


def levels_of(assessment) -> dict[str, int]:
    """item key -> number of levels, for the level items of an assessment's version."""
    return {item.key: len(item.levels) for item in assessment.version.items.all() if "level" in item.kind.answer_fields}


def sections_of(assessment) -> list:
    return list(assessment.version.sections.prefetch_related("items"))


@pytest.fixture
def shipped():
    return SimpleNamespace(
        health_check=HEALTH_CHECK,
        flexible=FLEXIBLE,
        workforce=WORKFORCE,
        left_out=LEFT_OUT_SECTION,
        conditional=CONDITIONAL_SECTION,
    )
