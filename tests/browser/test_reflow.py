"""Reflow (WCAG 2.2, 1.4.10): at 320 CSS pixels wide no page scrolls
sideways. Wide tables stack or scroll inside a labelled, focusable region of
their own (as the GOV.UK Design System does), and charts scale. axe-core
checks every page visited, as everywhere in tests/browser."""

from __future__ import annotations

import pytest

from .conftest import _checked_page, _new_context, sign_in
from .test_insight import insight_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

WIDTH = 320

# The widest elements, named, for a failure message that says where to look.
_WIDEST = """(limit) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > limit + 1)
  .filter((e) => !e.parentElement.closest('[role=region][tabindex="0"]'))
  .slice(0, 8)
  .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`
    + ` right=${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def narrow_page(browser, live_server, transactional_db, serialised_server, axe_source):
    context = _new_context(browser, live_server, viewport={"width": WIDTH, "height": 640})
    yield from _checked_page(context, live_server, axe_source, serialised_server)
    serialised_server.idle()


def too_wide(page, path: str) -> list[str]:
    """What is wrong with ``path`` at WIDTH pixels: nothing, if it fits."""
    page.visit(path)
    problems = []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{path} is {width} px wide at {WIDTH} px: {page.evaluate(_WIDEST, WIDTH)}")
    # Anything that scrolls on its own is a labelled region a keyboard can reach.
    regions = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
          .filter((e) => !(e.getAttribute('role') === 'region' && e.getAttribute('aria-label')
                           && e.getAttribute('tabindex') === '0'))
          .map((e) => e.outerHTML.slice(0, 120))"""
    )
    if regions:
        problems.append(f"{path} scrolls inside elements that are not labelled, focusable regions: {regions}")
    return problems


def test_readiness_pages_fit_320_pixels(insight_world, narrow_page):  # noqa: F811
    from personfirst.readiness.assessments.models import Assessment, AssessmentStatus

    world, page = insight_world, narrow_page
    org = world.org
    submitted = Assessment.objects.filter(organisation=org, status=AssessmentStatus.SUBMITTED).order_by("-pk").first()
    assert submitted is not None, "the demo has no submitted assessment for the organisation"

    # Accept a few suggestions, so that the plan has its table of actions.
    from personfirst.readiness.plans import services as plans
    from personfirst.readiness.plans.models import Action, ActionStatus

    for action in Action.objects.filter(organisation=org, status=ActionStatus.SUGGESTED)[:3]:
        plans.accept(action, by=world.admin)

    sign_in(page, world.admin.email, world.password)
    paths = [
        "/dashboard/",
        f"/organisations/{org.slug}/assessments/{submitted.pk}/results/",
        f"/organisations/{org.slug}/plan/",
        f"/organisations/{org.slug}/history/",
        f"/organisations/{org.slug}/standing/",  # how you compare
    ]
    problems = []
    for path in paths:
        problems += too_wide(page, path)
        if path.endswith("/plan/"):
            assert page.locator("#plan-actions tbody tr").count() == 3, "the plan's table of actions is not shown"
    assert not problems, "\n".join(problems)


def test_area_pages_fit_320_pixels(insight_world, narrow_page):  # noqa: F811
    world, page = insight_world, narrow_page
    sign_in(page, world.worker.email, world.password)
    problems = []
    for path in ("/dashboard/", "/caseload/", f"/insight/shared/{world.support_org.slug}/"):
        problems += too_wide(page, path)

    page.context.clear_cookies()
    sign_in(page, world.commissioner.email, world.password)
    for path in ("/dashboard/", f"/insight/areas/{world.area.code}/"):
        problems += too_wide(page, path)
    assert not problems, "\n".join(problems)
