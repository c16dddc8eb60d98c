"""Every page reachable from the navigation, as each demo role and signed out:
each answers below 400 and passes axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

import pytest

from .conftest import crawl, navigation_paths, report, sign_in

pytestmark = pytest.mark.browser

# Service navigation pages are depth 0, the links on them depth 1, and so on.
MAX_DEPTH = 5

ROLES = {
    "organisation admin": "admin",
    "organisation member": "member",
    "development worker": "worker",
    "commissioner": "commissioner",
    "platform administrator": "platform",
    "council administrator": "council_admin",
    "practitioner": "practitioner",
    "person with a record": "person",
    "carer": "carer",
    "directory moderator": "moderator",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_reach(role, demo_world, page, opened_once):
    user = getattr(demo_world, ROLES[role])
    sign_in(page, user.email, demo_world.password)
    start = navigation_paths(page)
    result = crawl(page, start, max_depth=MAX_DEPTH, opened_once=opened_once)
    report(f"crawl {role}", result)
    assert len(result["opened"]) >= len(start)


def test_every_page_a_visitor_can_reach(demo_world, page):
    start = ["/", "/account/sign-in/", "/account/password/reset/", "/accessibility/", "/privacy/"]
    result = crawl(page, start, max_depth=1)
    report("crawl signed out", result)
    for path in start:
        assert path in result["opened"]
