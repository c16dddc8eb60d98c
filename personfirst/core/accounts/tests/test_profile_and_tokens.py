"""Your account: your name, and the API tokens you hold."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from personfirst.core.accounts.models import ApiToken

TOKENS = "/account/tokens/"


# --- profile -------------------------------------------------------------------


def test_profile_needs_signing_in(db, client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/"


def test_profile_shows_the_email_address(world, client):
    client.force_login(world.member)
    response = client.get("/account/")
    assert response.status_code == 200
    assert world.member.email.encode() in response.content
    assert b'value="Milo Member"' in response.content


def test_edit_your_name(world, client):
    client.force_login(world.member)
    response = client.post("/account/", {"full_name": "Milo M. Member"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    world.member.refresh_from_db()
    assert world.member.full_name == "Milo M. Member"
    assert b"Your details have been saved" in client.get("/account/").content


@pytest.mark.parametrize(
    ("name", "message"), [("", "Enter your name"), ("   ", "Enter your name"), ("x" * 201, "200 characters or fewer")]
)
def test_a_blank_or_too_long_name_is_refused_and_the_old_one_kept(world, client, name, message):
    client.force_login(world.member)
    response = client.post("/account/", {"full_name": name})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert message.encode() in response.content
    world.member.refresh_from_db()
    assert world.member.full_name == "Milo Member"


def test_the_profile_form_cannot_change_the_email_or_make_you_an_administrator(world, client):
    client.force_login(world.member)
    client.post(
        "/account/", {"full_name": "Milo", "email": "someone-else@example.org", "is_staff": "on", "is_superuser": "on"}
    )
    world.member.refresh_from_db()
    assert world.member.full_name == "Milo"
    assert world.member.email == "member@carers.example"
    assert not world.member.is_superuser
    assert not world.member.role_grants.exclude(role="organisation_member").exists()


# --- API tokens ------------------------------------------------------------------


def _raw_token(response) -> str | None:
    match = re.search(r'<code class="pf-token">([^<]+)</code>', response.content.decode())
    return match.group(1) if match else None


def test_tokens_page_needs_signing_in(db, client):
    assert client.get(TOKENS)["Location"].startswith("/account/sign-in/")


def test_create_a_token_shows_it_once(world, client):
    client.force_login(world.member)
    response = client.post(TOKENS, {"name": "monthly report script", "scopes": ["read"], "days": "90"})
    assert response.status_code == 200
    raw = _raw_token(response)
    assert raw and raw.startswith("pf_")
    assert b"You will not be able to see it again" in response.content

    token = ApiToken.objects.get(user=world.member)
    assert token.name == "monthly report script"
    assert raw not in (token.key_hash, token.hint)
    assert raw.startswith(token.hint)

    # Never shown again.
    again = client.get(TOKENS)
    assert raw.encode() not in again.content
    assert _raw_token(again) is None
    assert b"monthly report script" in again.content

    # And it works.
    me = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == world.member.email


def test_revoke_a_token(world, client):
    token, raw = ApiToken.issue(world.member, "old script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me").status_code == 200

    client.force_login(world.member)
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(TOKENS)
    assert "The token ‘old script’ has been revoked".encode() in page.content
    assert b"Revoked " in page.content

    assert api.get("/api/v1/me").status_code == 401


def test_revoking_needs_post(world, client):
    token, _raw = ApiToken.issue(world.member, "script")
    client.force_login(world.member)
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_token_is_not_found(world, client):
    theirs, raw = ApiToken.issue(world.admin, "admin's script")
    client.force_login(world.member)
    response = client.post(f"/account/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert b"admin&#x27;s script" not in client.get(TOKENS).content
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 200


def test_a_platform_administrator_cannot_revoke_your_token_from_the_tokens_page_either(world, client):
    theirs, _raw = ApiToken.issue(world.member, "member's script")
    client.force_login(world.platform)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404


def test_a_token_stops_working_when_the_account_is_closed(world):
    _token, raw = ApiToken.issue(world.member, "script")
    world.member.is_active = False
    world.member.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


# --- manage.py create_token ------------------------------------------------------


def test_create_token_command_prints_a_token_that_authenticates(world):
    out = StringIO()
    call_command("create_token", "MEMBER@carers.example", "--name", "nightly import", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("pf_")
    token = ApiToken.objects.get(user=world.member)
    assert token.name == "nightly import"

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == world.member.email


def test_create_token_for_an_unknown_address(world):
    with pytest.raises(CommandError, match=r"No active user has the e-mail address 'nobody@nowhere\.example'"):
        call_command("create_token", "nobody@nowhere.example", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_create_token_for_a_closed_account(world):
    world.member.is_active = False
    world.member.save()
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_token", world.member.email, stdout=StringIO())
