"""The demo's self-directed support: a team, the RAS, and two people at different stages; safe to load again."""

from __future__ import annotations

import pytest

from personfirst.demo import area, sds
from personfirst.sds.selfassessment.models import Status

pytestmark = pytest.mark.django_db


def test_the_demo_people_are_at_different_stages(world):
    sds.load()
    sds.load()  # again: nothing doubles
    sam, rose = world.own_record, world.cared_for
    sam.refresh_from_db()
    assert sam.team.name == area.TEAM and sam.team.members.filter(pk=world.practitioner.pk).exists()
    assert [sa.status for sa in sam.self_assessments.all()] == [Status.AGREED]
    budget = sam.indicative_budgets.get()
    assert budget.weekly is not None and budget.yearly == budget.weekly * 52
    assert sam.eligibility_decisions.get().eligible
    assert [sa.status for sa in rose.self_assessments.all()] == [Status.DRAFT]
    assert {c.as_role for c in rose.self_assessments.get().changes.all()} == {"carer"}
    assert sorted(rose.eligibility_decisions.values_list("kind", flat=True)) == ["adult", "carer"]
