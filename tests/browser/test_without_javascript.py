"""The service works with JavaScript turned off: sign in, change an
organisation's profile, and get the error summary for a form that is wrong."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import crawl, navigation_paths, report, sign_in

pytestmark = pytest.mark.browser


def test_javascript_is_really_off(world, nojs_page):
    nojs_page.visit("/")
    # js-enabled.js adds this class when scripts run.
    assert "js-enabled" not in (nojs_page.locator("body").get_attribute("class") or "")


def test_change_an_organisation_profile_without_javascript(world, nojs_page):
    page = nojs_page
    sign_in(page, world.admin.email, world.password)

    page.follow(page.locator("main").get_by_role("link", name=world.org.name))
    assert urlsplit(page.url).path == f"/organisations/{world.org.slug}/"
    page.follow(page.get_by_role("link", name="Change the profile"))
    assert urlsplit(page.url).path == f"/organisations/{world.org.slug}/edit/"

    page.get_by_label("How many volunteers do you have?").fill("31")
    page.submit(page.get_by_role("button", name="Save the profile"))

    assert urlsplit(page.url).path == f"/organisations/{world.org.slug}/"
    banner = page.locator(".govuk-notification-banner--success")
    assert "The organisation's profile has been saved." in banner.inner_text()
    volunteers = page.locator(".govuk-summary-list__row", has_text="Volunteers").locator("dd")
    assert volunteers.inner_text().strip() == "31"
    world.org.refresh_from_db()
    assert world.org.volunteers == 31


def test_a_form_with_mistakes_shows_the_error_summary_without_javascript(world, nojs_page):
    page = nojs_page
    sign_in(page, world.admin.email, world.password)
    page.visit(f"/organisations/{world.org.slug}/edit/")

    page.get_by_label("Organisation name").fill("")
    page.get_by_label("How many paid staff do you have?").fill("")
    page.submit(page.get_by_role("button", name="Save the profile"))

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert summary.get_by_role("link", name="Enter the organisation's name").is_visible()
    assert summary.get_by_role("link", name="Enter the number of paid staff, or 0").is_visible()
    # Nothing was saved.
    world.org.refresh_from_db()
    assert world.org.name == "Eastmere Carers' Centre"


def test_signing_in_with_mistakes_without_javascript(world, nojs_page):
    page = nojs_page
    page.visit("/account/sign-in/")
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    assert page.locator(".govuk-error-summary").is_visible()
    page.locator("#id_username").fill(world.member.email)
    page.locator("#id_password").fill(world.password)
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    assert urlsplit(page.url).path == "/dashboard/"


@pytest.mark.parametrize("role", ["admin", "worker"])
def test_every_page_works_without_javascript(role, demo_world, nojs_page):
    """The organisation admin and the development worker between them reach
    every kind of page there is; each must work, and pass axe, without scripts."""
    user = getattr(demo_world, role)
    sign_in(nojs_page, user.email, demo_world.password)
    result = crawl(nojs_page, navigation_paths(nojs_page), max_depth=5)
    report(f"crawl {role} without javascript", result)
