"""API tokens: scopes, expiry, and listing and revoking your own (issue 10)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from personfirst.core.accounts.models import ApiToken, scopes_needed


def client_with(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_scopes_a_request_needs():
    assert scopes_needed("GET") == ("read",)
    assert scopes_needed("HEAD") == ("read",)
    assert scopes_needed("PATCH") == ("write",)
    assert scopes_needed("POST", "people") == ("write", "people")
    assert scopes_needed("GET", "people") == ("read", "people")


def test_a_token_has_only_known_scopes(world):
    with pytest.raises(ValueError, match="Scopes must be some of"):
        ApiToken.issue(world.member, "x", scopes=["admin"])
    with pytest.raises(ValueError, match="Scopes must be some of"):
        ApiToken.issue(world.member, "x", scopes=[])
    token, _ = ApiToken.issue(world.member, "x", scopes=["people", "read"], days=30)
    assert token.scopes == ["read", "people"]
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)


# -- 401: a token that does not work -------------------------------------------------------


def test_an_expired_token_gets_a_json_401(world):
    token, raw = ApiToken.issue(world.member, "old")
    assert client_with(raw).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client_with(raw).get("/api/v1/me")
    assert_json(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    token.refresh_from_db()
    assert token.status == "expired" and not token.is_active


def test_a_revoked_token_gets_a_json_401(world):
    token, raw = ApiToken.issue(world.member, "old")
    token.revoke()
    response = client_with(raw).get("/api/v1/me")
    assert_json(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


# -- 403: a token without the scope ----------------------------------------------------------


def test_a_read_only_token_cannot_change_anything(world):
    _token, raw = ApiToken.issue(world.admin, "reader", scopes=["read"])
    client = client_with(raw)
    assert client.get(f"/api/v1/organisations/{world.org.slug}").status_code == 200
    response = client.patch(
        f"/api/v1/organisations/{world.org.slug}", {"volunteers": 26}, content_type="application/json"
    )
    body = assert_json(response, 403)
    assert body["detail"] == "This token cannot do that: it needs the write scope."
    world.org.refresh_from_db()
    assert world.org.volunteers != 26


def test_a_write_only_token_cannot_read(world):
    _token, raw = ApiToken.issue(world.admin, "writer", scopes=["write"])
    body = assert_json(client_with(raw).get("/api/v1/me"), 403)
    assert "read scope" in body["detail"]


def test_peoples_records_need_the_people_scope(world):
    _token, raw = ApiToken.issue(world.practitioner, "no people", scopes=["read", "write"])
    body = assert_json(client_with(raw).get("/api/v1/people"), 403)
    assert body["detail"] == "This token cannot do that: it needs the people scope."
    assert client_with(raw).get("/api/v1/me").status_code == 200
    _token, raw = ApiToken.issue(world.practitioner, "people", scopes=["read", "people"])
    assert client_with(raw).get("/api/v1/people").status_code == 200
    # The scope adds to the owner's permissions, never replaces them.
    _token, raw = ApiToken.issue(world.member, "people", scopes=["read", "people"])
    assert client_with(raw).get(f"/api/v1/people/{world.own_record.pk}").status_code == 404


# -- Listing and revoking your own ------------------------------------------------------


def test_list_your_own_tokens(world):
    mine, raw = ApiToken.issue(world.member, "nightly", scopes=["read"])
    old, _ = ApiToken.issue(world.member, "old")
    old.revoke()
    ApiToken.issue(world.admin, "someone else's")
    body = assert_json(client_with(raw).get("/api/v1/tokens"), 200)
    assert {(t["name"], t["status"], tuple(t["scopes"])) for t in body} == {
        ("nightly", "active", ("read",)),
        ("old", "revoked", ("read", "write", "people")),
    }
    assert all(t["starts_with"] == mine.hint for t in body if t["name"] == "nightly")
    assert mine.key_hash not in str(body)


def test_revoke_a_token_through_the_api(world):
    other, other_raw = ApiToken.issue(world.member, "other")
    _mine, raw = ApiToken.issue(world.member, "admin script", scopes=["read", "write"])
    body = assert_json(client_with(raw).post(f"/api/v1/tokens/{other.pk}/revoke"), 200)
    assert body["status"] == "revoked" and body["revoked_at"]
    assert_json(client_with(other_raw).get("/api/v1/me"), 401)
    # Someone else's token is not found; a read-only token may not revoke.
    theirs, _ = ApiToken.issue(world.admin, "theirs")
    assert_json(client_with(raw).post(f"/api/v1/tokens/{theirs.pk}/revoke"), 404)
    theirs.refresh_from_db()
    assert theirs.is_active
    _reader, reader_raw = ApiToken.issue(world.member, "reader", scopes=["read"])
    assert_json(client_with(reader_raw).post(f"/api/v1/tokens/{_mine.pk}/revoke"), 403)
    # A token may revoke itself.
    assert_json(client_with(raw).post(f"/api/v1/tokens/{_mine.pk}/revoke"), 200)
    assert_json(client_with(raw).get("/api/v1/me"), 401)


# -- The page ---------------------------------------------------------------------------


def test_the_page_makes_a_token_with_scopes_and_an_expiry(world, client):
    client.force_login(world.member)
    page = client.get("/account/tokens/")
    assert b'value="read" id="id_scopes_0" checked' in page.content  # read only, unless you choose more
    assert b'value="90" id="id_days_1" checked' in page.content
    client.post("/account/tokens/", {"name": "report", "scopes": ["read", "people"], "days": "30"})
    token = ApiToken.objects.get(user=world.member)
    assert token.scopes == ["read", "people"]
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    page = client.get("/account/tokens/").content.decode()
    assert "Read: see what you can see; People&#x27;s records" in page
    assert token.expires_at.strftime("%-d %B %Y") in page
    # An expired token is shown as such, with no revoke button.
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    page = client.get("/account/tokens/").content.decode()
    assert "Expired" in page and "Revoke" not in page


def test_the_page_asks_for_scopes_and_a_lifetime_in_our_words(world, client):
    client.force_login(world.member)
    page = client.post("/account/tokens/", {"name": "report"}).content.decode()
    assert "Choose what the token may be used for" in page
    assert "Choose how long the token should work" in page
    page = client.post("/account/tokens/", {"name": "report", "scopes": ["admin"], "days": "7"}).content.decode()
    assert "Choose what the token may be used for from the list" in page
    assert "Choose how long the token should work from the list" in page
    assert not ApiToken.objects.filter(user=world.member).exists()


def test_the_command_makes_a_read_only_token_unless_told(world):
    out = StringIO()
    call_command("create_token", world.member.email, stdout=out)
    assert ApiToken.objects.get(user=world.member).scopes == ["read"]
    call_command("create_token", world.member.email, "--scope", "write", "--scope", "read", "--days", "30", stdout=out)
    newest = ApiToken.objects.filter(user=world.member).order_by("-pk").first()
    assert newest.scopes == ["read", "write"]
