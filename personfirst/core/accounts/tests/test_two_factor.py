"""Two-factor sign-in: required for roles that can see people's records or run
the service, optional for everyone else (accounts/two_factor.py)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personfirst.core.access.models import SENSITIVE_ROLES, RoleGrant, RoleName
from personfirst.core.access.roles import needs_two_factor
from personfirst.core.accounts import two_factor
from personfirst.core.accounts.middleware import OPEN_BEFORE_A_CODE
from personfirst.core.accounts.models import ApiToken, User
from personfirst.testing import PERSONAS, current_code

CODE_PAGE = "/account/two-factor/code/"
SET_UP_PAGE = "/account/two-factor/set-up/"
MUST = {"platform", "council_admin", "practitioner", "team_manager", "approver", "finance_officer", "superuser"}


def sign_in(world, user) -> Client:
    """Sign in with the password only, through the sign-in form."""
    client = Client()
    response = client.post("/account/sign-in/", {"username": user.email, "password": world.password})
    assert response.status_code == 302, response.content
    return client


# -- Who must ---------------------------------------------------------------------------


def test_who_must_use_two_factor_sign_in(world):
    must = {name for name in PERSONAS if name != "anonymous" and needs_two_factor(getattr(world, name))}
    assert must == MUST
    # Each sensitive role on its own is enough; the superuser flag too.
    for role in SENSITIVE_ROLES:
        user = User.objects.create_user(f"{role}@example.org", "a long password 1")
        assert not needs_two_factor(user)
        RoleGrant.objects.create(user=user, role=role, council_area=world.area)
        assert needs_two_factor(user), role


def test_an_ended_role_no_longer_needs_it(world):
    from django.utils import timezone

    RoleGrant.objects.filter(user=world.practitioner, role=RoleName.PRACTITIONER).update(revoked_at=timezone.now())
    assert not needs_two_factor(world.practitioner)


# -- Held on the code pages ---------------------------------------------------------------


def _every_page() -> list[tuple[str, str]]:
    """(name, path) for every URL of the site, its parameters filled with
    made-up values: the rule applies before any view runs."""
    fillers = {"int": "1", "slug": "x", "uuid": str(uuid.uuid4()), "str": "x", "path": "x"}
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: fillers.get(m.group(1) or "str", "x"), route)
                route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
                if "(" in route or "?" in route:  # a regular expression we cannot fill simply
                    continue
                found.append((f"{namespace}{entry.name}", "/" + route.lstrip("/")))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_an_unverified_session_is_refused_everything_but_the_code_pages(world):
    client = sign_in(world, world.practitioner)
    pages = [(name, path) for name, path in _every_page() if not path.startswith(("/api/", "/oruk/", "/static/"))]
    assert len(pages) > 100
    opened = []
    for name, path in pages:
        if name in OPEN_BEFORE_A_CODE:
            continue  # signing out is tried last
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith(CODE_PAGE), (method, path, response["Location"])
        opened.append(path)
    assert "/people/" in opened and "/admin/" in opened and "/account/tokens/" in opened
    # The code page itself, and signing out, work.
    assert client.get(CODE_PAGE).status_code == 200
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/account/sign-in/")


def test_the_page_asked_for_comes_after_the_code(world):
    client = sign_in(world, world.practitioner)
    response = client.get("/people/")
    assert response["Location"] == f"{CODE_PAGE}?next=%2Fpeople%2F"
    page = client.get(response["Location"])
    assert b'name="next" value="/people/"' in page.content
    response = client.post(CODE_PAGE, {"code": current_code(world.practitioner), "next": "/people/"})
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    # Somewhere else is not followed.
    client = sign_in(world, world.practitioner)
    response = client.post(CODE_PAGE, {"code": current_code(world.practitioner), "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


def test_a_verified_session_gets_a_new_key(world):
    client = sign_in(world, world.practitioner)
    before = client.cookies["sessionid"].value
    client.post(CODE_PAGE, {"code": current_code(world.practitioner)})
    assert client.cookies["sessionid"].value != before


def test_a_wrong_code_says_so(world):
    client = sign_in(world, world.practitioner)
    page = client.post(CODE_PAGE, {"code": "000000"})
    assert page.status_code == 200
    assert b"govuk-error-summary" in page.content
    assert b"That code is not right" in page.content
    page = client.post(CODE_PAGE, {"code": ""})
    assert b"Enter the code" in page.content
    assert client.get("/dashboard/")["Location"].startswith(CODE_PAGE)


def test_too_many_wrong_codes_sign_out_and_lock(world, settings):
    settings.TWO_FACTOR_FAILURE_LIMIT = 3
    client = sign_in(world, world.practitioner)
    for _ in range(2):
        assert b"That code is not right" in client.post(CODE_PAGE, {"code": "000000"}).content
    page = client.post(CODE_PAGE, {"code": "not-a-code"})
    assert b"Too many wrong codes" in page.content
    assert client.get("/dashboard/")["Location"].startswith("/account/sign-in/")  # signed out
    # While locked, even the right code is refused.
    client = sign_in(world, world.practitioner)
    page = client.post(CODE_PAGE, {"code": current_code(world.practitioner)})
    assert b"Too many wrong codes" in page.content
    # Once the lock ends, the right code works and the count starts again.
    TOTPDevice.objects.filter(user=world.practitioner).update(
        throttling_failure_timestamp=TOTPDevice.objects.get(user=world.practitioner).throttling_failure_timestamp
        - two_factor.cooloff()
    )
    client = sign_in(world, world.practitioner)
    assert client.post(CODE_PAGE, {"code": current_code(world.practitioner)})["Location"] == "/dashboard/"
    assert TOTPDevice.objects.get(user=world.practitioner).throttling_failure_count == 0


def test_a_recovery_code_works_once(world):
    codes = two_factor.new_recovery_codes(world.practitioner)
    assert len(codes) == 10 and len(set(codes)) == 10
    client = sign_in(world, world.practitioner)
    assert client.post(CODE_PAGE, {"code": codes[0].upper()})["Location"] == "/dashboard/"
    client = sign_in(world, world.practitioner)
    assert b"That code is not right" in client.post(CODE_PAGE, {"code": codes[0]}).content
    assert StaticToken.objects.filter(device__user=world.practitioner).count() == 9


def test_the_api_answers_tokens_without_a_code(world):
    _token, raw = ApiToken.issue(world.practitioner, "script")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/people")
    assert response.status_code == 200


# -- Setting it up ---------------------------------------------------------------------


@pytest.fixture
def new_practitioner(world):
    user = User.objects.create_user("new-practitioner@eastmere.example", world.password, full_name="Nia New")
    RoleGrant.objects.create(user=user, council_area=world.area, role=RoleName.PRACTITIONER)
    return user


def test_someone_who_must_and_has_not_set_it_up_is_sent_to_set_it_up(world, new_practitioner):
    client = sign_in(world, new_practitioner)
    response = client.get("/dashboard/")
    assert response["Location"] == f"{SET_UP_PAGE}?next=%2Fdashboard%2F"
    assert client.get(CODE_PAGE)["Location"] == SET_UP_PAGE
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert '<svg role="img"' in text and "<title>QR code" in text  # inline, named
    device = TOTPDevice.objects.get(user=new_practitioner, confirmed=False)
    assert two_factor.secret(device) in text  # written out too
    assert "otpauth://" not in text or "secret=" in text
    # The same secret on every visit until it is confirmed.
    client.get(SET_UP_PAGE)
    assert TOTPDevice.objects.filter(user=new_practitioner).count() == 1

    wrong = client.post(SET_UP_PAGE, {"code": "123456"})
    assert b"govuk-error-summary" in wrong.content
    done = client.post(SET_UP_PAGE, {"code": current_code(new_practitioner), "next": "/dashboard/"})
    assert done.status_code == 200
    codes = re.findall(r'<code class="pf-token">([a-z0-9 ]+)</code>', done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=new_practitioner).confirmed
    assert client.get("/dashboard/").status_code == 200
    # And next time, a code is asked for.
    client = sign_in(world, new_practitioner)
    assert client.get("/dashboard/")["Location"].startswith(CODE_PAGE)


def test_anyone_else_may_turn_it_on_and_off(world):
    client = sign_in(world, world.member)
    assert client.get("/dashboard/").status_code == 200  # not asked
    page = client.get("/account/")
    assert b"/account/two-factor/" in page.content
    assert b"Two-factor sign-in is off" in client.get("/account/two-factor/").content
    client.get(SET_UP_PAGE)
    client.post(SET_UP_PAGE, {"code": current_code(world.member)})
    assert two_factor.is_set_up(world.member)
    # Now they are asked for a code when they sign in.
    client = sign_in(world, world.member)
    assert client.get("/dashboard/")["Location"].startswith(CODE_PAGE)
    client.post(CODE_PAGE, {"code": current_code(world.member)})
    page = client.get("/account/two-factor/")
    assert b"Turn off two-factor sign-in" in page.content
    response = client.post("/account/two-factor/turn-off/")
    assert response["Location"] == "/account/two-factor/"
    assert not TOTPDevice.objects.filter(user=world.member).exists()
    assert sign_in(world, world.member).get("/dashboard/").status_code == 200


def test_who_must_cannot_turn_it_off(world, client):
    client.force_login(world.practitioner)
    page = client.get("/account/two-factor/")
    assert b"you cannot turn two-factor sign-in off" in page.content
    assert client.post("/account/two-factor/turn-off/").status_code == 403
    assert two_factor.is_set_up(world.practitioner)


def test_new_recovery_codes_replace_the_old(world, client):
    old = two_factor.new_recovery_codes(world.practitioner)
    client.force_login(world.practitioner)
    page = client.post("/account/two-factor/recovery-codes/")
    assert page.status_code == 200
    new = re.findall(r'<code class="pf-token">([a-z0-9 ]+)</code>', page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=world.practitioner).count() == 10


def test_force_login_counts_as_a_code_only_for_who_must(world, client):
    # The tests' fixture (conftest.py): personas of sensitive roles are verified ...
    client.force_login(world.practitioner)
    assert client.get("/people/").status_code == 200
    # ... and the rule is still on for a password sign-in.
    assert sign_in(world, world.practitioner).get("/people/").status_code == 302
    assert reverse("accounts:two-factor-code") == CODE_PAGE


def test_a_platform_administrator_removes_a_lost_authenticator(world, client):
    device = TOTPDevice.objects.get(user=world.practitioner)
    client.force_login(world.platform)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key.encode() not in page.content  # the secret is never shown
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.practitioner).exists()
    # Next time they sign in, they set up a new one.
    assert sign_in(world, world.practitioner).get("/dashboard/")["Location"].startswith(SET_UP_PAGE)
