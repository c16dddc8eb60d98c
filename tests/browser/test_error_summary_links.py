"""Each link in a GOV.UK error summary leads to its field.

axe-core does not notice a summary link whose target is missing (a radio
group has no id of its own, so its link must point at the first radio). Here
a real browser clicks every link, with and without JavaScript."""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def summary_links(page) -> list[tuple[str, str]]:
    links = page.locator(".govuk-error-summary__list a")
    assert links.count() > 0, f"No error-summary links on {page.url}"
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def click_each_summary_link(page, *, javascript: bool) -> list[str]:
    """Click every error-summary link; assert each lands on an element that
    exists. Returns the ids reached."""
    reached = []
    for index, (text, href) in enumerate(summary_links(page)):
        assert href.startswith("#") and len(href) > 1, f"Error-summary link {text!r} goes to {href!r}"
        target_id = href[1:]
        target = page.locator(f"[id='{target_id}']")
        assert target.count() == 1, f"Error-summary link {text!r} points at #{target_id}, and no element has that id"
        page.locator(".govuk-error-summary__list a").nth(index).click()
        if javascript:
            # GOV.UK Frontend's error summary moves focus to the field itself.
            focused = page.evaluate("() => document.activeElement && document.activeElement.id")
            assert focused == target_id, f"After {text!r}, focus is on #{focused}, not #{target_id}"
        else:
            # Without JavaScript the browser follows the fragment.
            assert page.evaluate("() => location.hash") == href
            assert page.evaluate("() => document.querySelector(':target')?.id") == target_id
        assert target.is_visible() or target.evaluate("e => e.type === 'radio' || e.type === 'checkbox'"), (
            f"#{target_id} is not on screen"
        )
        reached.append(target_id)
    return reached


def make_organisation_form_wrong(page) -> None:
    page.get_by_label("Organisation name").fill("")
    page.get_by_label("How many paid staff do you have?").fill("")
    page.get_by_label("How many volunteers do you have?").fill("")
    # A radio cannot be unchecked by clicking; a form posted without one can
    # still arrive (an old page, say), so the summary must handle it.
    page.locator("input[name=org_type]").evaluate_all("radios => radios.forEach(r => (r.checked = false))")
    page.submit(page.get_by_role("button", name="Save the profile"))


def test_sign_in_error_summary_links_reach_their_fields(either_page, world):
    page = either_page
    javascript = page.javascript
    page.visit("/account/sign-in/")
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    assert set(click_each_summary_link(page, javascript=javascript)) == {"id_username", "id_password"}


def test_organisation_error_summary_links_reach_their_fields(either_page, world):
    page = either_page
    javascript = page.javascript
    sign_in(page, world.admin.email, world.password)
    page.visit(f"/organisations/{world.org.slug}/edit/")
    make_organisation_form_wrong(page)
    reached = click_each_summary_link(page, javascript=javascript)
    assert {"id_name", "id_paid_staff", "id_volunteers", "id_org_type_0"} <= set(reached)
