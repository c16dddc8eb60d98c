"""Security at the HTTP level: the Content-Security-Policy and other headers,
CSRF tokens in every form that posts, sessions that end after inactivity,
and throttled sign-in (django-axes)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'")


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_strict(response) -> None:
    path = response.request["PATH_INFO"]
    for directive, sources in policy(response).items():
        for source in sources:
            assert source.lower() not in UNSAFE, f"{path}: {directive} allows {source}"


def pages(world) -> list[tuple[object, str]]:
    """(user or None, path): a page of each kind."""
    org = world.org.slug
    return [
        (None, "/"),
        (None, "/account/sign-in/"),
        (None, "/account/password/reset/"),
        (None, "/accessibility/"),
        (None, "/no-such-page/"),  # the 404 page
        (world.admin, "/dashboard/"),
        (world.admin, "/account/"),
        (world.admin, "/account/tokens/"),
        (world.admin, f"/organisations/{org}/"),
        (world.admin, f"/organisations/{org}/edit/"),
        (world.admin, f"/organisations/{org}/people/"),
        (world.admin, f"/organisations/{org}/sharing/"),
        (world.admin, f"/organisations/{org}/audit/"),
        (world.admin, f"/organisations/{org}/assessments/"),
        (world.member, f"/organisations/{org}/edit/"),  # the 403 page
        (world.commissioner, f"/areas/{world.area.code}/"),
        (world.platform, "/admin/"),
    ]


def get(user, path: str, client: Client | None = None):
    client = client or Client()
    if user is not None:
        client.force_login(user)
    return client.get(path)


# --- Content-Security-Policy and friends -------------------------------------


def test_the_policy_is_strict(world):
    response = get(None, "/")
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert_strict(response)


def test_no_page_allows_inline_or_eval(world):
    for user, path in pages(world):
        response = get(user, path)
        assert response.status_code < 500, path
        assert_strict(response)


def test_no_page_has_inline_script_or_style(world):
    """The policy would block them, so the page would be broken."""
    for user, path in pages(world):
        html = get(user, path).content.decode()
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
            assert "src=" in attributes and not body.strip(), f"{path} has an inline script"
        assert not re.search(r"<style\b", html, flags=re.I), f"{path} has a style block"
        assert not re.search(r"\sstyle\s*=", html, flags=re.I), f"{path} has a style attribute"
        assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), f"{path} has an inline event handler"


def test_the_radar_chart_has_its_own_strict_policy(world):
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.loading import SHIPPED_DIR, load_path
    from personfirst.readiness.assessments.models import Instrument

    load_path(SHIPPED_DIR / "health-check.yaml")
    assessment = services.start(
        organisation=world.org, instrument=Instrument.objects.get(key="health-check"), by=world.admin
    )
    response = get(world.admin, f"/organisations/{world.org.slug}/assessments/{assessment.pk}/results/radar.svg")
    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'none'"]
    assert_strict(response)


def test_other_security_headers(world):
    for user, path in [(None, "/"), (world.admin, f"/organisations/{world.org.slug}/")]:
        response = get(user, path)
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


# --- CSRF ------------------------------------------------------------------------


def post_forms(html: str) -> list[str]:
    return [
        form
        for form in re.findall(r"<form\b.*?</form>", html, flags=re.S | re.I)
        if re.search(r"""method\s*=\s*["']?post""", form[: form.index(">")], flags=re.I)
    ]


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("anonymous", "/account/sign-in/"),
        ("anonymous", "/account/password/reset/"),
        ("admin", "/account/"),
        ("admin", "/account/password/"),
        ("admin", "/account/tokens/"),
        ("admin", "/organisations/{org}/edit/"),
        ("admin", "/organisations/{org}/people/"),
        ("admin", "/organisations/{org}/sharing/"),
        ("admin", "/organisations/{org}/assessments/"),
    ],
)
def test_every_form_that_posts_has_a_csrf_token(world, persona, path):
    from personfirst.core.organisations.models import Invitation

    # Something to cancel and a token to revoke, so that those forms are rendered too.
    Invitation.create(
        organisation=world.org, email="new@carers.example", role="organisation_member", invited_by=world.admin
    )
    from personfirst.core.accounts.models import ApiToken

    ApiToken.issue(world.admin, "a script")
    user = None if persona == "anonymous" else getattr(world, persona)
    response = get(user, path.format(org=world.org.slug))
    assert response.status_code == 200
    forms = post_forms(response.content.decode())
    own = [form for form in forms if "/account/sign-out/" not in form]
    assert own, f"{path} has no form of its own that posts"
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form, f"{path}: a form posts without a CSRF token:\n{form[:300]}"


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post("/account/", {"full_name": "Someone Else"})
    assert response.status_code == 403
    world.admin.refresh_from_db()
    assert world.admin.full_name != "Someone Else"


def test_a_post_with_the_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    html = client.get("/account/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post("/account/", {"full_name": "Asha A. Admin", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert world.admin.full_name == "Asha A. Admin"


# --- Sessions end after inactivity ---------------------------------------------


def test_sessions_end_after_an_hour_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    # Each request starts the hour again through accounts.sessions, not by saving every request.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    middleware = settings.MIDDLEWARE
    assert middleware.index("personfirst.core.accounts.sessions.IdleSessionMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_each_request_extends_the_session(world, client):
    client.force_login(world.admin)
    session = _session(client)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=30))

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=59) < remaining <= timedelta(hours=1)


def test_the_session_is_written_at_most_once_a_minute_to_start_the_hour_again(world, client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.admin)
        client.get("/dashboard/")  # starts the hour
        first = _session(client).expire_date
        traveller.shift(timedelta(seconds=59))
        response = client.get("/dashboard/")
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies  # not written again
        assert _session(client).expire_date == first
        traveller.shift(timedelta(seconds=1))
        response = client.get("/dashboard/")
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
        assert _session(client).expire_date == first + timedelta(seconds=60)
        # So a session ends at most a minute before an hour after its last request, never after.
        traveller.shift(timedelta(minutes=59, seconds=59))
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(timedelta(hours=1, seconds=1))
        assert client.get("/dashboard/").status_code == 302


def test_an_idle_session_has_ended(world, client):
    client.force_login(world.admin)
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# --- Sign-in throttling (django-axes) ------------------------------------------

LOCKED_OUT = "Too many attempts to sign in"


def sign_in(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post("/account/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=address)


def assert_locked_out(response, client) -> None:
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME, "the page says 15 minutes"
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert "signing in is paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_with_the_right_password(world, client):
    # From five different addresses, so that only the account can be what is locked.
    for attempt in range(1, 5):
        response = sign_in(client, world.member.email, "not-the-password", address=f"10.0.0.{attempt}")
        assert response.status_code == 200, attempt
        assert LOCKED_OUT not in response.content.decode()
    assert_locked_out(sign_in(client, world.member.email, "not-the-password", address="10.0.0.5"), client)

    assert_locked_out(sign_in(client, world.member.email, world.password, address="10.0.0.6"), client)
    # Someone else, from an address that has not failed, still signs in.
    assert sign_in(Client(), world.admin.email, world.password, address="10.0.0.7").status_code == 302


def test_five_failures_from_one_address_lock_that_address(world, client):
    emails = [world.admin.email, world.member.email, world.worker.email, "nobody@example.com", world.platform.email]
    for email in emails[:4]:
        assert sign_in(client, email, "not-the-password").status_code == 200, email
    assert_locked_out(sign_in(client, emails[4], "not-the-password"), client)

    # Any account, even with its right password, from that address.
    assert_locked_out(sign_in(client, world.commissioner.email, world.password), client)
    # The same account from another address is not locked (it has failed once).
    assert sign_in(Client(), world.commissioner.email, world.password, address="10.0.0.9").status_code == 302


def test_signing_in_clears_earlier_failures(world, client):
    for _ in range(4):
        sign_in(client, world.member.email, "not-the-password")
    assert sign_in(client, world.member.email, world.password).status_code == 302
    client.post("/account/sign-out/")
    for _ in range(4):
        assert sign_in(client, world.member.email, "not-the-password").status_code == 200


def test_lockouts_do_not_outlive_a_test(world, client):
    """Axes keeps failures in the database, so each test's rollback clears
    them: the lock-outs above (run earlier in this module) are gone."""
    from axes.models import AccessAttempt, AccessFailureLog

    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert sign_in(client, world.member.email, world.password).status_code == 302
