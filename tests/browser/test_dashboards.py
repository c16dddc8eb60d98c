"""Each role's home page leads to its next step (issue 11): sign in, follow
the dashboard's leading link, arrive where the role's job is done. axe-core
checks every page on the way (conftest.py)."""

from __future__ import annotations

import re

import pytest

from .conftest import route_of, sign_in

pytestmark = pytest.mark.browser

# persona -> (the dashboard link that leads, the page it leads to)
LEADS = {
    "admin": ("Start your first check", "readiness:list"),
    "member": ("assessments", "readiness:list"),
    "worker": (re.compile(r"^See all \d+ organisations in your caseload$"), "caseload:caseload"),
    "commissioner": ("See how organisations in Eastmere are doing", "insight:area"),
    "moderator": (re.compile(r"^(Check|See) the waiting changes$|^moderation queue$"), "directory:queue"),
    "practitioner": ("Go to people's records", "people:list"),
    "person": ("Your record", "people:record"),
    "carer": ("Rose Ellis", "people:record"),
    "personal_assistant": ("Search the directory", "search:search"),
    "scheme_admin": ("Search the directory", "search:search"),
}


@pytest.mark.parametrize("persona", list(LEADS))
def test_each_role_is_led_from_the_dashboard_to_its_job(world, page, persona):
    user = getattr(world, persona)
    sign_in(page, user.email, world.password)
    name, route = LEADS[persona]
    page.follow(page.locator("main").get_by_role("link", name=name).first)
    assert route_of(page.path) == route, f"{persona}: {page.path}"


def test_an_administrator_decides_a_section_of_suggestions_from_the_dashboard(world, page):
    from personfirst.readiness.plans.models import Action, ActionStatus
    from personfirst.readiness.plans.tests.test_services import load_instruments, submitted, suggest

    load_instruments()
    suggest("health-check", "values-and-culture", "vision", title="Write a one-page vision")
    suggest("health-check", "values-and-culture", "session", title="Run a team session")
    submitted(world.org, "health-check", {"values-and-culture": {"level": 1}}, world.admin)

    sign_in(page, world.admin.email, world.password)
    page.follow(page.locator("main").get_by_role("link", name="Decide on 2 suggested actions"))
    assert route_of(page.path) == "plans:plan"
    # One section, open, with its count and both ways to decide it at once.
    summary = page.locator(".govuk-details__summary-text")
    assert summary.count() == 1
    assert "(2 suggestions)" in summary.inner_text()
    page.submit(page.get_by_role("button", name=re.compile(r"^Accept all 2")))
    assert "2 suggestions are now in your plan" in page.locator("main").inner_text()
    assert set(Action.objects.filter(organisation=world.org).values_list("status", flat=True)) == {
        ActionStatus.NOT_STARTED
    }
    # Back home, the next step is the plan's, not the suggestions.
    page.visit("/dashboard/")
    assert "Decide on" not in page.locator("#next-steps").inner_text()
