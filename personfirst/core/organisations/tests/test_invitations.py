"""Inviting people to an organisation, and accepting (or not) an invitation."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personfirst.core.access.models import RoleGrant
from personfirst.core.access.tests.helpers import ADMIN, MEMBER, membership, role_in
from personfirst.core.accounts.models import User
from personfirst.core.organisations.models import Invitation
from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve


def people_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/people/"


def invite(world, email="new.person@carers.example", role="organisation_member") -> str:
    """Invite someone to world.org as its admin; return the link's path from the e-mail."""
    client = Client()
    client.force_login(world.admin)
    before = len(mail.outbox)
    response = client.post(people_url(world.org), {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == before + 1
    return link_in(mail.outbox[-1])


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def signed_in_as(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


# --- sending ------------------------------------------------------------------------


def test_admin_invites_someone_by_email(world, client):
    client.force_login(world.admin)
    response = client.post(people_url(world.org), {"email": "New.Person@Carers.Example", "role": "organisation_member"})
    assert response.status_code == 302
    assert response["Location"] == people_url(world.org)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@carers.example"]
    assert "Eastmere Carers' Centre" in message.subject
    assert "Asha Admin has invited you" in message.body
    assert "14 days" in message.body
    link = link_in(message)
    assert message.body.count(link) == 1

    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@carers.example"
    assert invitation.role == MEMBER
    assert invitation.invited_by == world.admin
    assert invitation.status == "pending"
    assert link.strip("/").split("/")[-1] not in (invitation.token_hash,)  # only a hash is kept
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)

    page = client.get(people_url(world.org)).content.decode()
    assert "An invitation has been sent to new.person@carers.example" in page
    assert "new.person@carers.example (member)" in page


@pytest.mark.parametrize("persona", ["member", "worker"])
def test_only_admins_can_invite(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(people_url(world.org)).status_code == 403
    assert (
        client.post(people_url(world.org), {"email": "x@example.org", "role": "organisation_admin"}).status_code == 403
    )
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_someone_elses_organisation_is_not_found(world, client):
    client.force_login(world.outsider)
    assert (
        client.post(people_url(world.org), {"email": "x@example.org", "role": "organisation_admin"}).status_code == 404
    )
    assert mail.outbox == []


def test_an_invalid_invitation_sends_nothing(world, client):
    client.force_login(world.admin)
    response = client.post(people_url(world.org), {"email": "x@example.org", "role": "owner"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_role_0": "Select one of the options"})
    assert mail.outbox == []


# --- accepting as someone new ---------------------------------------------------------


@pytest.mark.parametrize("role", [MEMBER, ADMIN])
def test_accepting_as_a_new_person_creates_the_account_and_signs_in(world, client, role):
    link = invite(world, role=role)
    page = client.get(link)
    assert page.status_code == 200
    assert b"Create your account" in page.content
    assert b"new.person@carers.example" in page.content

    response = client.post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"})
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{world.org.slug}/"

    user = User.objects.get(email="new.person@carers.example")
    assert user.full_name == "Nia New"
    assert user.check_password("correct-horse-battery-26")
    grant = membership(user, world.org)
    assert grant.role == role
    assert grant.granted_by == world.admin
    assert signed_in_as(client) == user.pk
    assert Invitation.objects.get().status == "accepted"

    # They can sign in again later with that password.
    other = Client()
    assert (
        other.post("/account/sign-in/", {"username": user.email, "password": "correct-horse-battery-26"}).status_code
        == 302
    )


def test_new_person_lands_on_the_organisation_with_a_message(world, client):
    link = invite(world)
    response = client.post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"}, follow=True)
    assert (
        "Your account has been created and you have joined Eastmere Carers&#x27; Centre." in response.content.decode()
    )


def test_a_weak_password_creates_nothing(world, client):
    link = invite(world)
    response = client.post(link, {"full_name": "Nia New", "password": "12345"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_password": "too short"})
    assert not User.objects.filter(email="new.person@carers.example").exists()
    assert Invitation.objects.get().status == "pending"


def test_a_password_like_the_email_address_is_refused(world, client):
    link = invite(world)
    response = client.post(link, {"full_name": "Nia New", "password": "new.person@carers"})
    assert_error_summary_links_resolve(response, expected={"#id_password": "too similar"})


# --- accepting with an account ---------------------------------------------------------


def test_accepting_when_an_account_exists_asks_to_sign_in_first(world, client):
    link = invite(world, email=world.outsider.email)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={link}"
    assert membership(world.outsider, world.org) is None

    # Sign in, come back to the link, accept.
    response = client.post(
        response["Location"], {"username": world.outsider.email, "password": world.password, "next": link}
    )
    assert response["Location"] == link
    page = client.get(link)
    assert page.status_code == 200
    assert b"Accept the invitation" in page.content
    response = client.post(link)
    assert response["Location"] == f"/organisations/{world.org.slug}/"
    assert role_in(world.outsider, world.org) == "member"
    # Their other membership is untouched.
    assert role_in(world.outsider, world.other_org) == "admin"


def test_posting_the_sign_up_form_when_an_account_exists_does_not_take_it_over(world, client):
    link = invite(world, email=world.outsider.email)
    client.post(link, {"full_name": "Mallory", "password": "correct-horse-battery-26"})
    world.outsider.refresh_from_db()
    assert world.outsider.check_password(world.password)
    assert world.outsider.full_name == "Olive Outsider"
    assert signed_in_as(client) is None


def test_signed_in_with_a_different_email_is_refused(world, client):
    link = invite(world)
    client.force_login(world.member)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        page = response.content.decode()
        assert "This invitation was sent to new.person@carers.example" in page
        assert "you are signed in as member@carers.example" in page
    assert Invitation.objects.get().status == "pending"
    assert not User.objects.filter(email="new.person@carers.example").exists()


def test_the_invited_address_is_matched_without_regard_to_case(world, client):
    link = invite(world, email="OUTSIDER@Westholm.Example")
    client.force_login(world.outsider)
    assert client.post(link).status_code == 302
    assert membership(world.outsider, world.org) is not None


def test_an_admin_invitation_promotes_an_existing_member(world, client):
    link = invite(world, email=world.member.email, role=ADMIN)
    client.force_login(world.member)
    client.post(link)
    assert role_in(world.member, world.org) == "admin"


def test_a_member_invitation_does_not_demote_an_admin(world, client):
    # Sent before they became an administrator (the people page now refuses to send it).
    _invitation, raw = Invitation.create(
        organisation=world.org, email=world.admin.email, role=MEMBER, invited_by=world.admin
    )
    link = reverse("organisations:accept-invitation", args=[raw])
    client.force_login(world.admin)
    client.post(link)
    assert role_in(world.admin, world.org) == "admin"


# --- links that no longer work ----------------------------------------------------------


def _problem(response, words: str) -> None:
    assert response.status_code == 410
    page = response.content.decode()
    assert "There is a problem with this invitation" in page
    assert words in page


def test_an_accepted_invitation_cannot_be_used_again(world, client):
    link = invite(world)
    client.post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"})
    client.logout()
    _problem(client.get(link), "already been used")
    _problem(
        client.post(link, {"full_name": "Someone Else", "password": "another-good-passphrase"}), "already been used"
    )
    assert User.objects.filter(email="new.person@carers.example").count() == 1
    # Not even by the person it was for.
    client.force_login(User.objects.get(email="new.person@carers.example"))
    _problem(client.post(link), "already been used")


def test_invitation_expires_after_14_days(world, client):
    link = invite(world)
    sent = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=sent + timedelta(days=13, hours=23)):
        assert client.get(link).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=sent + timedelta(days=14, minutes=1)):
        _problem(client.get(link), "This invitation has expired")
        _problem(client.post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"}), "expired")
    assert not User.objects.filter(email="new.person@carers.example").exists()


def test_expired_invitation_by_its_date(world, client):
    link = invite(world)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _problem(client.get(link), "This invitation has expired. Ask the organisation to send a new one.")
    # And it is no longer listed as waiting.
    admin = Client()
    admin.force_login(world.admin)
    assert "new.person@carers.example" not in admin.get(people_url(world.org)).content.decode()


def test_admin_cancels_an_invitation(world, client):
    link = invite(world)
    invitation = Invitation.objects.get()
    admin = Client()
    admin.force_login(world.admin)
    assert admin.get(f"/organisations/{world.org.slug}/invitations/{invitation.pk}/cancel/").status_code == 405
    response = admin.post(f"/organisations/{world.org.slug}/invitations/{invitation.pk}/cancel/", follow=True)
    assert "The invitation to new.person@carers.example has been cancelled." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    _problem(client.get(link), "This invitation was cancelled by the organisation")
    _problem(client.post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"}), "cancelled")
    assert not User.objects.filter(email="new.person@carers.example").exists()


def test_cancelling_needs_an_admin_of_that_organisation(world, client):
    invite(world)
    invitation = Invitation.objects.get()
    client.force_login(world.member)
    assert client.post(f"/organisations/{world.org.slug}/invitations/{invitation.pk}/cancel/").status_code == 403
    client.force_login(world.outsider)
    # Through their own organisation's address: the invitation is not theirs to find.
    assert client.post(f"/organisations/{world.other_org.slug}/invitations/{invitation.pk}/cancel/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_made_up_link_is_refused(db, client):
    _problem(client.get("/invitations/not-a-real-token/"), "This invitation link is not right")


def test_an_invitation_used_while_the_page_was_open_is_explained_not_an_error(world, client, monkeypatch):
    from personfirst.core.organisations import services

    link = invite(world)
    person = User.objects.create_user("new.person@carers.example", world.password, full_name="Nia New")
    client.force_login(person)
    assert client.get(link).status_code == 200
    real = services.accept

    def accepted_first(invitation, user):  # the same form, sent a moment earlier from another tab
        real(Invitation.objects.get(pk=invitation.pk), user)
        return real(invitation, user)

    monkeypatch.setattr(services, "accept", accepted_first)
    _problem(client.post(link), "already been used")
    assert RoleGrant.objects.current().filter(user=person, organisation=world.org).count() == 1


@pytest.mark.parametrize(
    ("who", "role", "refused"),
    [
        ("member", "organisation_member", "is already a member of Eastmere Carers' Centre"),
        ("admin", "organisation_member", "is already an administrator of Eastmere Carers' Centre"),
        ("admin", "organisation_admin", "is already an administrator of Eastmere Carers' Centre"),
        ("member", "organisation_admin", ""),  # making a member an administrator is a change
        ("outsider", "organisation_member", ""),
    ],
)
def test_inviting_someone_to_a_role_they_already_hold_is_refused(world, client, who, role, refused):
    client.force_login(world.admin)
    email = getattr(world, who).email.upper()  # any case
    response = client.post(people_url(world.org), {"email": email, "role": role})
    sent = Invitation.objects.filter(email__iexact=email).exists()
    if refused:
        assert response.status_code == 200
        assert_error_summary_links_resolve(response, expected={"#id_email": refused})
        assert not sent
        assert not mail.outbox
    else:
        assert response.status_code == 302
        assert sent
