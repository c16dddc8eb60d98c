"""Self-directed support in the browser (issue 12): Rose's carer fills in
her self-assessment one question per page and sends it; the practitioner
changes one answer with a reason and agrees it; the carer sees the
indicative budget and why it is that amount. axe-core checks every page on
the way, and the new pages reflow at 320 pixels wide with no sideways
scrolling."""

from __future__ import annotations

import pytest

from personfirst.sds.selfassessment.models import SelfAssessment
from personfirst.sds.selfassessment.services import load_shipped_ras

from .conftest import sign_in

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.submit(page.get_by_role("button", name="Sign out"))


def reflows(page, path: str) -> None:
    page.visit(path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_carer_fills_in_practitioner_agrees_with_one_change_budget_explained(world, page):
    load_shipped_ras(world.area)
    rose = world.cared_for
    start = f"/people/{rose.pk}/self-assessment/"

    # Carl, Rose's carer, starts it and answers every question, one per page.
    sign_in(page, world.carer.email, world.password)
    page.visit(start)
    page.submit(page.get_by_role("button", name="Start a self-assessment"))
    answered = 0
    while "/questions/" in page.path:
        page.locator(".govuk-radios__input").nth(1).check()  # "a little help" and the like
        page.submit(page.get_by_role("button", name="Save and continue"))
        answered += 1
    assert answered == 15  # with the carer's part
    assert page.locator("h1").inner_text() == "Check the answers"
    assert "Carl Ellis (carer)" in page.locator("main").inner_text()
    check_path = page.path
    page.submit(page.get_by_role("button", name="Send the self-assessment"))
    assert "sent to the council" in page.locator("main").inner_text()
    sign_out(page)

    # The practitioner changes one answer, with a reason, and agrees it.
    sign_in(page, world.practitioner.email, world.password)
    page.visit(check_path)
    page.follow(page.locator("a[href$='/review/washing/']"))
    page.get_by_label("Someone needs to do it with me every time").check()
    page.get_by_label("Why are you changing this answer?").fill("At the visit Rose could not wash her hair alone.")
    page.submit(page.get_by_role("button", name="Change the answer"))
    page.submit(page.get_by_role("button", name="Agree the answers"))
    assert page.locator("h1").inner_text() == "Indicative budget"
    sign_out(page)

    # Carl sees the budget, why it is that amount, and the practitioner's reason.
    sign_in(page, world.carer.email, world.password)
    page.visit(f"/people/{rose.pk}/budget/")
    main = page.locator("main").inner_text()
    budget = SelfAssessment.objects.get(person=rose).budgets.get()
    assert f"£{budget.weekly} a week" in main and f"£{budget.yearly} a year" in main
    assert "Why this amount" in main and "Support for your carer" in main
    page.visit(check_path)
    assert "At the visit Rose could not wash her hair alone." in page.locator("main").inner_text()
    page.visit(f"/people/{rose.pk}/budget/")
    page.follow(page.get_by_role("link", name="See the points for every answer, and how points become money"))
    assert "£9.50 a point" in page.locator("main").inner_text()

    # The new pages reflow at 320 pixels wide.
    page.set_viewport_size({"width": 320, "height": 640})
    pages = (
        start,
        check_path,
        f"/people/{rose.pk}/budget/",
        f"/people/{rose.pk}/eligibility/",
        "/resource-allocation/",
    )
    for path in pages:
        reflows(page, path)
