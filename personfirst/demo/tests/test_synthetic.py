"""The demo's generator of synthetic areas (personfirst/demo/synthetic.py,
manage.py generate_demo_area): the insight rows it writes directly equal
those the on-submit path makes from the same answers, and --types."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from personfirst.core.organisations.models import Organisation
from personfirst.demo import synthetic
from personfirst.insight.area import facts
from personfirst.insight.area.models import NationalCell, NationalValue, Submission, Value
from personfirst.readiness.assessments.tests.conftest import load_shipped

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def national(instrument_id):
    cells = Counter(
        NationalCell.objects.filter(instrument_id=instrument_id).values_list(
            "org_type", "size_band", "quarter", "superseded_quarter", "organisations", "scored"
        )
    )
    values = Counter(
        NationalValue.objects.filter(instrument_id=instrument_id).values_list(
            "org_type", "size_band", "quarter", "superseded_quarter", "kind", "key", "value", "scale", "organisations"
        )
    )
    return cells, values


def test_the_generator_makes_the_rows_that_submitting_would(world):
    """Rows written directly by generate_demo_area equal rows made again from the answers it wrote."""
    health_check = load_shipped()["health-check"]
    synthetic.generate(
        organisations=25,
        assessments_per_organisation=3,
        area_code=world.area.code,
        seed=4,
        share_with=world.support_org,
        share_fraction=0.4,
        now=NOW,
    )

    def everything():
        submissions = Counter(
            (s.pk, s.organisation_id, s.org_type, s.size_band, s.quarter, s.superseded_quarter, round(s.overall, 9))
            for s in Submission.objects.all()
        )
        values = Counter(
            Value.objects.values_list("submission_id", "kind", "key", "value", "scale", "quarter", "superseded_quarter")
        )
        return submissions, values, national(health_check.pk)

    generated = everything()
    assert facts.rebuild() == 75
    assert everything() == generated


def test_generate_can_give_the_organisations_types_in_turn(world):
    load_shipped()
    call_command(
        "generate_demo_area", "--organisations", "6", "--assessments-per-organisation", "1",
        "--area-code", "E98000009", "--types", "housing,user_led", stdout=io.StringIO(),
    )  # fmt: skip
    made = Organisation.objects.filter(council_area__code="E98000009")
    assert sorted(made.values_list("org_type", flat=True)) == ["housing"] * 3 + ["user_led"] * 3
    assert all(o.slug.startswith(synthetic.PREFIX) and "Synthetic" in o.description for o in made)
    assert set(Submission.objects.filter(council_area__code="E98000009").values_list("org_type", flat=True)) == {
        "housing",
        "user_led",
    }
    with pytest.raises(CommandError, match="--types: 'castle': choose from voluntary, home_care"):
        call_command("generate_demo_area", "--organisations", "1", "--types", "castle")
