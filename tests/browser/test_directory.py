"""The directory in the browser (issue 13): a provider adds a service with
two prices; the directory moderator publishes it within the clock; a member
of the public finds it by postcode within 5 km and by theme, sees its prices
and opens it. axe-core checks every page; the whole journey runs again at
320 pixels wide, where no page may scroll sideways.
"""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

NAME = "Riverside Saturday Club"


@pytest.fixture
def directory_world(world):
    from personfirst.market.directory import postcodes

    postcodes.load(only=["NR1 1AE", "NR1 3QU", "NR10 3BP"])
    return world


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]}px wide in a {width[1]}px window"


def sign_out(page) -> None:
    page.follow(page.get_by_role("button", name="Sign out"))


@pytest.mark.parametrize("width", [1200, 320], ids=["desktop", "320px"])
def test_a_service_goes_from_provider_to_moderator_to_the_public(
    transactional_db, directory_world, browser, live_server, axe_source, serialised_server, width
):
    from personfirst.market.directory.models import Decision, Service

    from .conftest import _checked_page, _new_context

    world = directory_world
    context = _new_context(browser, live_server, viewport={"width": width, "height": 900})
    pages = _checked_page(context, live_server, axe_source, serialised_server)
    page = next(pages)
    try:
        check = no_sideways_scroll if width == 320 else (lambda page: None)

        # The provider adds a service with two prices.
        sign_in(page, world.admin.email, world.password)
        page.visit(f"/organisations/{world.org.slug}/directory/")
        check(page)
        page.follow(page.get_by_role("link", name="Add a service"))
        check(page)
        page.get_by_label("Name of the service").fill(NAME)
        page.get_by_label("What the service does").fill("Games, music and a trip out every Saturday.")
        page.get_by_label("What it helps people achieve").fill("see my friends on Saturdays")
        page.get_by_label("Things to do").check()
        page.locator("#id_price_1_option").fill("A Saturday")
        page.locator("#id_price_1_amount").fill("35")
        page.locator("#id_price_1_unit").select_option("session")
        page.locator("#id_price_1_budget_0").check()
        page.locator("#id_price_2_option").fill("Lunch")
        page.locator("#id_price_2_amount").fill("6.50")
        page.locator("#id_price_2_unit").select_option("item")
        page.locator("#id_place_1_name").fill("Riverside Hall")
        page.locator("#id_place_1_address_1").fill("1 River Lane")
        page.locator("#id_place_1_city").fill("Norwich")
        page.locator("#id_place_1_postcode").fill("nr1 1ae")
        page.submit(page.get_by_role("button", name="Send to the moderators"))
        check(page)
        assert "Waiting for a decision" in page.content() and "Decision due by" in page.content()
        sign_out(page)

        # The moderator publishes it, within the five working days.
        sign_in(page, world.moderator.email, world.password)
        menu = page.get_by_role("button", name="Menu")
        if menu.is_visible():  # narrow screens fold the navigation away
            menu.click()
        page.follow(page.get_by_role("link", name="Directory moderation"))
        check(page)
        page.follow(page.get_by_role("link", name=NAME))
        check(page)
        assert "£35.00 per session" in page.content()
        page.get_by_label("Publish it", exact=True).check()
        page.submit(page.get_by_role("button", name="Save the decision"))
        check(page)
        assert f"“{NAME}” is published." in page.content()
        decision = Decision.objects.get(submission__service_id=Service.objects.get(name=NAME).pk)
        assert decision.on_time
        sign_out(page)

        # A member of the public finds it by postcode within 5 km and by theme.
        page.visit("/directory/")
        check(page)
        page.get_by_label("Postcode", exact=True).fill("NR1 3QU")
        page.get_by_label("Distance", exact=True).select_option("5")
        page.get_by_label("Theme", exact=True).select_option("things-to-do")
        page.submit(page.get_by_role("button", name="Search"))
        check(page)
        result = page.locator("main li").filter(has=page.get_by_role("link", name=NAME))
        assert "2.0 km away" in result.inner_text()
        assert "£35.00 per session" in result.inner_text() and "£6.50 per item" in result.inner_text()
        page.follow(page.get_by_role("link", name=NAME))
        check(page)
        prices = page.locator("table").first.inner_text()
        assert "£35.00" in prices and "per session" in prices and "Can pay" in prices
        assert "£6.50" in prices and "per item" in prices
        # Further than 5 km away, it is not found.
        page.visit("/directory/?postcode=NR10+3BP&distance=5&theme=things-to-do")
        assert "0 services found" in page.content()
    finally:
        next(pages, None)
        serialised_server.idle()
