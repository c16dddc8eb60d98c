"""From the shipped files to a draft plan: load_instruments loads the action
libraries, and submitting a health check with some low answers drafts the
library's actions for those items, with the library's titles."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.loading import SHIPPED_DIR, read_path
from personfirst.readiness.assessments.models import Answer, Instrument, Item
from personfirst.readiness.plans import library_file
from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus, Suggestion

HEALTH_CHECK = SHIPPED_DIR / "health-check.yaml"


@pytest.fixture
def loaded(db):
    call_command("load_instruments", stdout=io.StringIO())
    return {instrument.key: instrument for instrument in Instrument.objects.all()}


def shipped_titles(item_key: str, chosen) -> list[str]:
    """The titles the shipped library file suggests for this answer, in its order."""
    library = library_file.read_path(library_file.library_path(HEALTH_CHECK), read_path(HEALTH_CHECK))
    return [a.title for a in library.for_item(item_key) if not a.applies_to or chosen in a.applies_to]


def save(assessment, by, **levels):
    for item_key, level in levels.items():
        item = Item.objects.select_related("section").get(version=assessment.version, key=item_key)
        current = Answer.objects.filter(assessment=assessment, item=item, respondent=None).first()
        services.save_section(
            assessment=assessment,
            section=item.section,
            values={item_key: {"level": level}},
            revisions={item_key: current.revision if current else 0},
            by=by,
        )


def drafted(assessment) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for action in Action.objects.filter(assessment=assessment, source=ActionSource.LIBRARY).order_by("position"):
        assert action.status == ActionStatus.SUGGESTED
        found.setdefault(action.item_key, []).append(action.title)
    return found


def test_load_instruments_fills_the_library_for_each_version(loaded):
    for key, at_least in (("health-check", 30), ("flexible-services", 26), ("workforce-ladder", 5)):
        assert Suggestion.objects.filter(version=loaded[key].latest_version()).count() >= at_least


def test_a_submitted_health_check_drafts_the_librarys_actions(world, loaded):
    assessment = services.start(organisation=world.org, instrument=loaded["health-check"], by=world.admin)
    # Low on costs and the board, at the top on values (nothing to suggest), the rest unanswered.
    save(assessment, world.admin, **{"costs-and-prices": 1, "trustee-board": 3, "values-and-culture": 3})
    services.submit(assessment=assessment, by=world.admin)

    plan = drafted(assessment)
    assert set(plan) == {"costs-and-prices", "trustee-board"}
    assert plan["costs-and-prices"] == shipped_titles("costs-and-prices", 1)
    assert plan["trustee-board"] == shipped_titles("trustee-board", 3)
    assert "Work out a unit cost for each service, such as per hour or per session" in plan["costs-and-prices"]
    assert "Take a costed plan to the board for sign-off" in plan["trustee-board"]
    action = Action.objects.get(assessment=assessment, item_key="costs-and-prices", library_key="unit-costs")
    assert action.detail.startswith("Divide the yearly cost")
    assert action.organisation == world.org


def test_an_unconfirmed_suggestion_drafts_no_actions_but_a_confirmed_one_does(world, loaded):
    flexible = services.start(organisation=world.org, instrument=loaded["flexible-services"], by=world.admin)
    item = Item.objects.get(version=flexible.version, key="prices-for-direct-purchase")
    services.save_section(
        assessment=flexible,
        section=item.section,
        values={"prices-for-direct-purchase": {"option": "not-met"}},
        revisions={},
        by=world.admin,
    )
    services.submit(assessment=flexible, by=world.admin)

    # The health check suggests costs-and-prices at level 1 (from "not met") and leaves it unconfirmed.
    unconfirmed = services.start(organisation=world.org, instrument=loaded["health-check"], by=world.admin)
    assert Answer.objects.get(assessment=unconfirmed, suggested=True).level == 1
    services.submit(assessment=unconfirmed, by=world.admin)
    assert drafted(unconfirmed) == {}

    confirmed = services.start(organisation=world.org, instrument=loaded["health-check"], by=world.admin)
    save(confirmed, world.admin, **{"costs-and-prices": 1})
    services.submit(assessment=confirmed, by=world.admin)
    assert drafted(confirmed) == {"costs-and-prices": shipped_titles("costs-and-prices", 1)}
