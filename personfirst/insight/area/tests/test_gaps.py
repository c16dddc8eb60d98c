"""The area's gap between what people say and what organisations say
(insight/area/gaps.py): averaged over organisations, never shown for fewer than 5."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from personfirst.core.organisations.models import Organisation
from personfirst.insight.area import gaps
from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.loading import load_paths
from personfirst.readiness.assessments.models import Instrument

FIXTURE = Path(__file__).resolve().parents[3] / "readiness/assessments/tests/fixtures/pair-check.yaml"


@pytest.fixture
def pair_check(db):
    load_paths([FIXTURE])
    return Instrument.objects.get(key="pair-check")


def submit(organisation, instrument, by, people: str, ours: str):
    assessment = services.start(organisation=organisation, instrument=instrument, by=by)
    section = assessment.version.sections.get(key="my-support")
    values = {"who-supports-me": {"option": people, "we_option": ours}}
    assert not services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=by)
    services.submit(assessment=assessment, by=by)


def organisations(world, count):
    found = [world.org]
    for n in range(count - 1):
        found.append(
            Organisation.objects.create(
                name=f"Gap {n}", slug=f"gap-{n}", org_type=world.org.org_type, council_area=world.area
            )
        )
    return found


def test_fewer_than_five_organisations_is_hidden_five_is_shown(world, pair_check):
    four = organisations(world, 4)
    for organisation in four:
        submit(organisation, pair_check, world.admin, "partly-true", "true")
    (row,) = gaps.section_gaps(pair_check, world.area)
    assert (row.key, row.organisations, row.gap, row.hidden) == ("my-support", None, None, True)

    fifth = Organisation.objects.create(
        name="Gap fifth", slug="gap-fifth", org_type=world.org.org_type, council_area=world.area
    )
    submit(fifth, pair_check, world.admin, "true", "true")  # gap 0
    (row,) = gaps.section_gaps(pair_check, world.area)
    # Four organisations at +50 and one at 0: (4 × 50 + 0) ÷ 5 = 40.
    assert (row.organisations, row.gap, row.gap_shown) == (5, Decimal("40.0"), "+40.0")


def test_only_each_organisations_latest_assessment_counts(world, pair_check):
    for organisation in organisations(world, 5):
        submit(organisation, pair_check, world.admin, "not-true", "true")  # +100
        submit(organisation, pair_check, world.admin, "true", "partly-true")  # −50, the latest
    (row,) = gaps.section_gaps(pair_check, world.area)
    assert (row.organisations, row.gap_shown) == (5, "−50.0")


def test_the_area_page_shows_the_gaps_or_says_they_are_hidden(world, pair_check):
    for organisation in organisations(world, 4):
        submit(organisation, pair_check, world.admin, "partly-true", "true")
    client = Client()
    client.force_login(world.platform)
    html = client.get(reverse("insight:area-page", args=[world.area.code])).content.decode()
    assert 'id="gaps-pair-check"' in html
    assert "Hidden: fewer than 5 organisations" in html
