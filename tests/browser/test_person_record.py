"""A person's record, in the browser (issue 10): a practitioner creates it,
records the person's consent to their carer, and invites both to sign in;
the carer reads it; the person sees both reads under "who has looked at my
record". axe-core checks every page on the way, and the new pages reflow at
320 pixels wide (WCAG 1.4.10) with no sideways scrolling.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from .conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-new-password-2026"


def sign_out(page) -> None:
    page.submit(page.get_by_role("button", name="Sign out"))


def invitation_link(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return urlsplit(re.search(r"https?://\S+/people/invitations/\S+/", message.body).group(0)).path


def accept_as_new(page, link: str, name: str) -> None:
    page.visit(link)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.submit(page.get_by_role("button", name="Create account and accept"))


def test_a_record_is_created_shared_with_a_carer_and_the_person_sees_both_reads(world, page):
    # The practitioner creates Grace's record.
    sign_in(page, world.practitioner.email, world.password)
    page.follow(page.get_by_role("link", name="People", exact=True))
    page.follow(page.get_by_role("link", name="Create a record"))
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Adeyemi")
    page.get_by_label("E-mail address (optional)").fill("grace@people.example")
    page.get_by_label("What matters to them (optional)").fill("Singing in the choir on Thursdays.")
    page.submit(page.get_by_role("button", name="Create the record"))
    assert page.locator("h1").inner_text() == "Grace Adeyemi"
    record_path = page.path

    # Grace has told her she wants her son to support her: she records that consent.
    page.follow(page.get_by_role("link", name="People who support them"))
    page.get_by_label("Their name").fill("Tom Adeyemi")
    page.get_by_label("Their e-mail address").fill("tom@people.example")
    page.get_by_label("Carer: looks after them, unpaid").check()
    page.get_by_label("In person").check()
    page.get_by_label("The person has told me they agree").check()
    page.submit(page.get_by_role("button", name="Add and send the invitation"))
    assert "Invited: not accepted yet" in page.locator("main").inner_text()

    # And invites Grace to sign in.
    page.follow(page.get_by_role("link", name="Record", exact=True))
    page.submit(page.get_by_role("button", name="Invite Grace to sign in"))
    sign_out(page)

    # Tom accepts, and reads her record.
    accept_as_new(page, invitation_link("tom@people.example"), "Tom Adeyemi")
    assert page.path == record_path
    assert "Singing in the choir" in page.locator("main").inner_text()
    sign_out(page)

    # Grace accepts, and sees who has looked.
    accept_as_new(page, invitation_link("grace@people.example"), "Grace Adeyemi")
    assert page.locator("h1").inner_text() == "Your record"
    page.follow(page.get_by_role("link", name="Who has looked at my record"))
    reads = " ".join(page.locator("#reads").inner_text().split())
    assert "Priya Practitioner, practitioner" in reads
    assert "Tom Adeyemi, carer" in reads
    assert "You" in reads
    page.follow(page.get_by_role("link", name="People who support me"))
    assert "Can see the record" in page.locator("main").inner_text()


def reflows(page, path: str) -> None:
    page.visit(path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size({"width": 320, "height": 640})
    return page


def test_the_new_pages_reflow_at_320_pixels(world, narrow_page):
    page = narrow_page
    rose = f"/people/{world.cared_for.pk}/"
    sam = f"/people/{world.own_record.pk}/"
    sign_in(page, world.practitioner.email, world.password)
    for path in ("/people/", "/people/new/", rose, f"{rose}change/", f"{rose}supporters/"):
        reflows(page, path)
    sign_out(page)
    sign_in(page, world.person.email, world.password)
    page.visit(sam)  # so there is a read to show
    for path in (f"{sam}who-has-looked/", f"{sam}supporters/"):
        reflows(page, path)
    sign_out(page)
    sign_in(page, world.council_admin.email, world.password)
    for path in ("/roles/", f"/roles/areas/{world.area.code}/", f"{sam}reason/"):
        reflows(page, path)
    sign_out(page)
    sign_in(page, world.platform.email, world.password)
    reflows(page, "/roles/service/")


def test_a_team_manager_gives_a_reason_before_reading(world, page):
    sign_in(page, world.team_manager.email, world.password)
    page.visit(f"/people/{world.own_record.pk}/reason/")
    page.get_by_label("Why do you need to read this record?").fill("Covering for Priya while she is on leave.")
    page.submit(page.get_by_role("button", name="Give the reason and read the record"))
    assert page.locator("h1").inner_text() == "Samuel Okafor"
    sign_out(page)
    sign_in(page, world.person.email, world.password)
    page.visit(f"/people/{world.own_record.pk}/who-has-looked/")
    text = page.locator("#reads").inner_text()
    assert "Not routine" in text and "Covering for Priya" in text
