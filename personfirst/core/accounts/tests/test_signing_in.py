"""Signing in and out, changing a password, and resetting a forgotten one."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve

SIGN_IN = "/account/sign-in/"
RESET = "/account/password/reset/"


def signed_in_as(client):
    """The id of the user the client's session belongs to, or None."""
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


# --- signing in --------------------------------------------------------------


def test_sign_in_page_is_served(db, client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'type="password"' in response.content


@pytest.mark.parametrize("path", [SIGN_IN, RESET])
def test_the_account_pages_carry_the_service_name_not_the_host(db, client, path):
    """Django's sign-in and reset views put the host into ``site_name``; the
    header and the title must still name the service."""
    response = client.get(path, HTTP_HOST="127.0.0.1:8000")
    header = re.search(rb'class="govuk-generic-header__homepage-link">([^<]*)<', response.content)
    title = re.search(rb"<title>([^<]*)</title>", response.content)
    assert header and header.group(1).strip() == b"PersonFirst"
    assert title and title.group(1).strip().endswith(b"\xe2\x80\x93 PersonFirst")
    assert b"127.0.0.1:8000" not in response.content


def test_sign_in_with_email_and_password(world, client):
    response = sign_in(client, world.member.email, world.password)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in_as(client) == world.member.pk


@pytest.mark.parametrize("typed", ["MEMBER@CARERS.EXAMPLE", "Member@Carers.Example", "  member@carers.example  "])
def test_the_email_address_is_not_case_sensitive(world, client, typed):
    response = sign_in(client, typed, world.password)
    assert response.status_code == 302
    assert signed_in_as(client) == world.member.pk


def test_sign_in_goes_to_the_page_asked_for(world, client):
    response = client.post(
        f"{SIGN_IN}?next=/account/tokens/",
        {"username": world.member.email, "password": world.password, "next": "/account/tokens/"},
    )
    assert response["Location"] == "/account/tokens/"


def test_sign_in_does_not_go_to_another_site(world, client):
    response = client.post(
        SIGN_IN, {"username": world.member.email, "password": world.password, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_wrong_password_is_refused_with_an_error_summary(world, client):
    response = sign_in(client, world.member.email, "not-the-password")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert_error_summary_links_resolve(response, expected={"#id_password": "e-mail address or password is not right"})


def test_unknown_address_gets_the_same_message_as_a_wrong_password(world, client):
    wrong_password = sign_in(client, world.member.email, "not-the-password")
    unknown = sign_in(client, "nobody@nowhere.example", "not-the-password")
    assert signed_in_as(client) is None
    assert assert_error_summary_links_resolve(unknown) == assert_error_summary_links_resolve(wrong_password)


def test_a_closed_account_cannot_sign_in(world, client):
    world.member.is_active = False
    world.member.save()
    response = sign_in(client, world.member.email, world.password)
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_signing_in_is_paused_after_five_failures(world, client):
    for _ in range(5):
        sign_in(client, world.member.email, "not-the-password")
    response = sign_in(client, world.member.email, world.password)
    assert signed_in_as(client) is None
    assert b"Too many attempts to sign in" in response.content


def test_a_signed_in_person_is_sent_on_from_the_sign_in_page(world, client):
    client.force_login(world.member)
    response = client.get(SIGN_IN)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


# --- signing out ---------------------------------------------------------------


def test_sign_out_is_post_only(world, client):
    client.force_login(world.member)
    response = client.get("/account/sign-out/")
    assert response.status_code == 405
    assert signed_in_as(client) == world.member.pk


def test_sign_out_by_post(world, client):
    client.force_login(world.member)
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) is None
    assert client.get("/account/")["Location"].startswith("/account/sign-in/")


def test_every_page_offers_sign_out_as_a_form(world, client):
    client.force_login(world.member)
    page = client.get("/dashboard/").content.decode()
    assert re.search(r'<form method="post" action="/account/sign-out/"', page)


# --- changing a password -------------------------------------------------------


def test_change_password(world, client):
    client.force_login(world.member)
    new = "a-much-longer-passphrase-2026"
    response = client.post(
        "/account/password/", {"old_password": world.password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    # Still signed in on this device.
    assert signed_in_as(client) == world.member.pk
    assert b"Your password has been changed" in client.get("/account/").content

    world.member.refresh_from_db()
    assert world.member.check_password(new)
    assert not world.member.check_password(world.password)


def test_change_password_refuses_a_weak_one(world, client):
    client.force_login(world.member)
    response = client.post(
        "/account/password/", {"old_password": world.password, "new_password1": "password", "new_password2": "password"}
    )
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_new_password2": "too"})
    world.member.refresh_from_db()
    assert world.member.check_password(world.password)


def test_change_password_needs_signing_in(db, client):
    response = client.get("/account/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# --- resetting a forgotten password -----------------------------------------------


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/[^\s]+/)", message.body)
    assert match, f"no reset link in the e-mail:\n{message.body}"
    return match.group(1)


def test_reset_a_forgotten_password_by_email(world, client):
    response = client.post(RESET, {"email": "Member@Carers.EXAMPLE"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/sent/"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.member.email]
    assert "Reset your PersonFirst password" in message.subject
    link = _reset_link(message)

    # Django swaps the token in the link for one in the session, then redirects.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert b"Choose a new password" in response.content
    set_password_url = response.redirect_chain[-1][0]

    new = "my-brand-new-passphrase-26"
    response = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/done/"
    assert b"Your password has been changed" in client.get(response["Location"]).content

    client.logout()
    assert sign_in(client, world.member.email, world.password).status_code == 200  # the old one no longer works
    assert signed_in_as(client) is None
    assert sign_in(client, world.member.email, new).status_code == 302
    assert signed_in_as(client) == world.member.pk

    # The link works once only.
    client.logout()
    response = client.get(link, follow=True)
    assert b"This link does not work" in response.content


def test_a_reset_link_that_has_been_tampered_with_does_not_work(world, client):
    client.post(RESET, {"email": world.member.email})
    link = _reset_link(mail.outbox[0])
    broken = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    response = client.get(broken, follow=True)
    assert b"This link does not work" in response.content


def test_unknown_address_gets_the_same_check_your_email_page(world, client):
    known = client.post(RESET, {"email": world.member.email}, follow=True)
    assert len(mail.outbox) == 1
    unknown = client.post(RESET, {"email": "nobody@nowhere.example"}, follow=True)
    assert len(mail.outbox) == 1, "no e-mail goes to an address without an account"
    assert known.redirect_chain == unknown.redirect_chain == [("/account/password/reset/sent/", 302)]
    assert b"Check your e-mail" in unknown.content
    assert unknown.content == known.content


def test_closed_account_gets_no_reset_email(world, client):
    world.member.is_active = False
    world.member.save()
    response = client.post(RESET, {"email": world.member.email})
    assert response["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_reset_with_a_badly_formed_address(db, client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_email": "in the right format"})
    assert mail.outbox == []
