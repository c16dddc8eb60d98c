"""Two-factor sign-in in the browser: a practitioner with no authenticator yet
is held on the set-up page until they enter a code, gets recovery codes, and
next time is asked for a code. axe-core checks every page on the way, and the
set-up page reflows at 320 pixels wide."""

from __future__ import annotations

import pytest

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.accounts.models import User
from personfirst.testing import current_code

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_practitioner_sets_up_two_factor_sign_in(world, page):
    user = User.objects.create_user("nia@eastmere.example", world.password, full_name="Nia New")
    RoleGrant.objects.create(user=user, council_area=world.area, role=RoleName.PRACTITIONER)

    page.visit("/account/sign-in/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(world.password)
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    assert page.path.startswith("/account/two-factor/set-up/")
    assert page.locator("main svg[role=img] title").text_content().startswith("QR code")
    secret = page.locator("#secret").inner_text()
    assert len(secret.replace(" ", "")) == 32

    # A wrong code: the error summary, in our words.
    page.get_by_label("Code from your authenticator app").fill("123456")
    page.submit(page.get_by_role("button", name="Turn on two-factor sign-in"))
    assert "That code is not right" in page.locator(".govuk-error-summary").inner_text()

    page.get_by_label("Code from your authenticator app").fill(current_code(user))
    page.submit(page.get_by_role("button", name="Turn on two-factor sign-in"))
    assert page.locator("h1").inner_text() == "Two-factor sign-in is on"
    assert page.locator("main code.pf-token").count() == 10
    page.follow(page.get_by_role("link", name="I have saved my codes: continue"))
    assert page.path == "/dashboard/"

    # Next time: a code.
    page.context.clear_cookies()
    sign_in(page, user.email, world.password)
    assert page.path == "/dashboard/"


def test_the_set_up_page_reflows(world, page):
    user = User.objects.create_user("nia@eastmere.example", world.password, full_name="Nia New")
    RoleGrant.objects.create(user=user, council_area=world.area, role=RoleName.PRACTITIONER)
    page.set_viewport_size({"width": 320, "height": 640})
    page.visit("/account/sign-in/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(world.password)
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    assert page.path.startswith("/account/two-factor/set-up/")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
