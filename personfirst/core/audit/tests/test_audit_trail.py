"""The record of changes: who changed what, for which organisation, and no secrets."""

from __future__ import annotations

import json
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.access.tests.helpers import membership as membership_of
from personfirst.core.accounts.models import ApiToken, User
from personfirst.core.organisations.models import AccessGrant, Invitation, Organisation

CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


def entries(model, pk=None, action=None):
    query = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if pk is not None:
        query = query.filter(object_pk=str(pk))
    if action is not None:
        query = query.filter(action=action)
    return query.order_by("pk")


def last_entry(model, pk=None, action=None) -> LogEntry:
    entry = entries(model, pk, action).last()
    assert entry is not None, f"no {action} entry for {model.__name__} {pk}"
    return entry


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_logged(entry: LogEntry, *, actor, organisation) -> None:
    assert entry.actor == actor, f"{entry} was logged with actor {entry.actor}, not {actor}"
    if organisation is None:
        assert not (entry.additional_data or {}).get("organisation_id")
    else:
        assert entry.additional_data == {"organisation_id": organisation.pk}


# --- each kind of change, with its actor and organisation ----------------------------


def test_organisation_created_changed_deleted(world):
    with set_actor(world.platform):
        organisation = Organisation.objects.create(
            name="New Place", slug="new-place", org_type="voluntary", council_area=world.area
        )
    pk = organisation.pk
    assert_logged(last_entry(Organisation, pk, CREATE), actor=world.platform, organisation=organisation)

    web(world.platform).post(
        f"/organisations/{organisation.slug}/edit/",
        {"name": "New Place Trust", "org_type": "voluntary", "paid_staff": "2", "volunteers": "0"},
    )
    update = last_entry(Organisation, pk, UPDATE)
    assert_logged(update, actor=world.platform, organisation=organisation)
    assert update.changes_dict["name"] == ["New Place", "New Place Trust"]

    with set_actor(world.platform):
        organisation.delete()
    deleted = last_entry(Organisation, pk, DELETE)
    assert deleted.actor == world.platform
    assert deleted.additional_data == {"organisation_id": pk}


def test_membership_given_changed_and_ended(world):
    """Memberships are role grants: joining creates one, becoming an
    administrator ends it and creates another, leaving ends it. Each change
    is on the organisation's trail, and nothing is deleted."""
    admin = web(world.admin)
    admin.post(
        f"/organisations/{world.org.slug}/people/", {"email": world.outsider.email, "role": "organisation_member"}
    )
    link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    web(world.outsider).post(link)
    member = membership_of(world.outsider, world.org)
    assert_logged(last_entry(RoleGrant, member.pk, CREATE), actor=world.outsider, organisation=world.org)
    assert member.granted_by == world.admin  # who gave the role: the one who invited them

    admin.post(
        f"/organisations/{world.org.slug}/people/", {"email": world.outsider.email, "role": "organisation_admin"}
    )
    link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    web(world.outsider).post(link)
    ended = last_entry(RoleGrant, member.pk, UPDATE)
    assert_logged(ended, actor=world.outsider, organisation=world.org)
    assert "revoked_at" in ended.changes_dict
    promoted = membership_of(world.outsider, world.org)
    assert promoted.role == RoleName.ORGANISATION_ADMIN
    assert_logged(last_entry(RoleGrant, promoted.pk, CREATE), actor=world.outsider, organisation=world.org)

    admin.post(f"/organisations/{world.org.slug}/members/{promoted.pk}/remove/")
    removed = last_entry(RoleGrant, promoted.pk, UPDATE)
    assert_logged(removed, actor=world.admin, organisation=world.org)
    assert RoleGrant.objects.filter(pk__in=[member.pk, promoted.pk]).count() == 2


def test_membership_of_someone_who_signs_up_from_an_invitation_names_them(world):
    web(world.admin).post(
        f"/organisations/{world.org.slug}/people/", {"email": "nia@carers.example", "role": "organisation_member"}
    )
    link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    Client().post(link, {"full_name": "Nia New", "password": "correct-horse-battery-26"})
    nia = User.objects.get(email="nia@carers.example")
    membership = membership_of(nia, world.org)
    assert_logged(last_entry(RoleGrant, membership.pk, CREATE), actor=nia, organisation=world.org)
    accepted = last_entry(Invitation, Invitation.objects.get().pk, UPDATE)
    assert_logged(accepted, actor=nia, organisation=world.org)


def test_access_grant_created_changed_deleted(world):
    admin = web(world.admin)
    grant = AccessGrant.objects.active().get(organisation=world.org)
    admin.post(f"/organisations/{world.org.slug}/sharing/{grant.pk}/stop/")
    update = last_entry(AccessGrant, grant.pk, UPDATE)
    assert_logged(update, actor=world.admin, organisation=world.org)
    assert "revoked_at" in update.changes_dict

    admin.post(f"/organisations/{world.org.slug}/sharing/", {"support_organisation": world.support_org.pk})
    new_grant = AccessGrant.objects.active().get(organisation=world.org)
    assert_logged(last_entry(AccessGrant, new_grant.pk, CREATE), actor=world.admin, organisation=world.org)

    with set_actor(world.platform):
        new_grant.delete()
    assert_logged(last_entry(AccessGrant, new_grant.pk, DELETE), actor=world.platform, organisation=world.org)


def test_invitation_created_changed_deleted(world):
    admin = web(world.admin)
    admin.post(
        f"/organisations/{world.org.slug}/people/", {"email": "someone@example.org", "role": "organisation_member"}
    )
    invitation = Invitation.objects.get()
    assert_logged(last_entry(Invitation, invitation.pk, CREATE), actor=world.admin, organisation=world.org)

    admin.post(f"/organisations/{world.org.slug}/invitations/{invitation.pk}/cancel/")
    update = last_entry(Invitation, invitation.pk, UPDATE)
    assert_logged(update, actor=world.admin, organisation=world.org)
    assert "revoked_at" in update.changes_dict

    with set_actor(world.platform):
        invitation.delete()
    assert_logged(last_entry(Invitation, invitation.pk, DELETE), actor=world.platform, organisation=world.org)


def test_api_token_created_changed_deleted(world):
    """A token is personal: logged with who did it, and in no organisation's trail."""
    member = web(world.member)
    member.post("/account/tokens/", {"name": "script", "scopes": ["read"], "days": "90"})
    token = ApiToken.objects.get(user=world.member)
    assert_logged(last_entry(ApiToken, token.pk, CREATE), actor=world.member, organisation=None)

    member.post(f"/account/tokens/{token.pk}/revoke/")
    update = last_entry(ApiToken, token.pk, UPDATE)
    assert_logged(update, actor=world.member, organisation=None)
    assert "revoked_at" in update.changes_dict

    with set_actor(world.platform):
        token.delete()
    assert_logged(last_entry(ApiToken, token.pk, DELETE), actor=world.platform, organisation=None)


def test_a_change_made_through_the_api_names_the_token_holder(world, api_client_for):
    response = api_client_for(world.admin).patch(
        f"/api/v1/organisations/{world.org.slug}", {"paid_staff": 12}, content_type="application/json"
    )
    assert response.status_code == 200
    update = last_entry(Organisation, world.org.pk, UPDATE)
    assert_logged(update, actor=world.admin, organisation=world.org)
    assert update.changes_dict["paid_staff"] == ["6", "12"]


# --- reading the trail ----------------------------------------------------------------


def test_org_admin_reads_their_organisations_trail(world):
    web(world.admin).post(
        f"/organisations/{world.org.slug}/edit/",
        {"name": "Eastmere Carers' Centre", "org_type": "voluntary", "paid_staff": "9", "volunteers": "25"},
    )
    web(world.outsider).post(
        f"/organisations/{world.other_org.slug}/edit/",
        {"name": "Westholm Day Centre (renamed)", "org_type": "voluntary", "paid_staff": "3", "volunteers": "1"},
    )
    response = web(world.admin).get(f"/organisations/{world.org.slug}/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Asha Admin" in page
    assert "<strong>Paid staff</strong>: 6 → 9" in page
    assert "Westholm" not in page
    assert "Olive Outsider" not in page
    # Changes to other Eastmere organisations are not theirs to read either.
    assert "Riverside Home Care" not in page

    other = web(world.outsider).get(f"/organisations/{world.other_org.slug}/audit/").content.decode()
    assert "Westholm Day Centre (renamed)" in other
    assert "Eastmere Carers" not in other


def test_the_trail_is_for_admins_only(world):
    url = f"/organisations/{world.org.slug}/audit/"
    assert web(world.member).get(url).status_code == 403
    assert web(world.worker).get(url).status_code == 403
    assert web(world.outsider).get(url).status_code == 404
    assert web(world.platform).get(url).status_code == 200
    assert Client().get(url).status_code == 302


def test_the_trail_is_paginated(world):
    with set_actor(world.admin):
        for n in range(55):
            world.org.paid_staff = n
            world.org.save()
    admin = web(world.admin)
    first = admin.get(f"/organisations/{world.org.slug}/audit/").content.decode()
    assert "?page=2" in first
    second = admin.get(f"/organisations/{world.org.slug}/audit/?page=2")
    assert second.status_code == 200


# --- secrets ----------------------------------------------------------------------------

SECRET_FIELDS = {"password", "token_hash", "key_hash"}


def test_secrets_never_reach_the_trail(world, client):
    # Every way a secret is made or changed.
    password_changer = web(world.member)
    password_changer.post(
        "/account/password/",
        {
            "old_password": world.password,
            "new_password1": "new-secret-passphrase-1",
            "new_password2": "new-secret-passphrase-1",
        },
    )
    page = password_changer.post(
        "/account/tokens/", {"name": "script", "scopes": ["read"], "days": "90"}
    ).content.decode()
    raw_token = re.search(r'<code class="pf-token">([^<]+)</code>', page).group(1)
    _token, raw_cli = ApiToken.issue(world.admin, "cli")
    web(world.admin).post(
        f"/organisations/{world.org.slug}/people/", {"email": "nia@carers.example", "role": "organisation_member"}
    )
    raw_invitation = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    client.post(f"/invitations/{raw_invitation}/", {"full_name": "Nia New", "password": "correct-horse-battery-26"})
    User.objects.create_user("made@example.org", "made-with-a-password-26")

    secrets = {raw_token, raw_cli, raw_invitation, "new-secret-passphrase-1", "correct-horse-battery-26"}
    secrets |= set(User.objects.values_list("password", flat=True))
    secrets |= set(ApiToken.objects.values_list("key_hash", flat=True))
    secrets |= set(Invitation.objects.values_list("token_hash", flat=True))

    assert LogEntry.objects.count() > 0
    for entry in LogEntry.objects.all():
        assert not SECRET_FIELDS & set(entry.changes_dict), f"{entry}: {entry.changes_dict}"
        text = " ".join(
            [entry.object_repr, entry.changes_text or "", json.dumps(entry.changes), json.dumps(entry.serialized_data)]
        )
        for secret in secrets:
            assert secret not in text, f"a secret is in the audit trail: {entry}"


@pytest.mark.parametrize(
    ("label", "secret"),
    [("accounts.User", "password"), ("accounts.ApiToken", "key_hash"), ("organisations.Invitation", "token_hash")],
)
def test_the_registry_leaves_secrets_out(label, secret):
    from personfirst.core.audit.registry import AUDITED

    assert secret in AUDITED[label]


def test_roles_given_are_described_in_words_on_the_trail(world):
    from personfirst.core.access import services

    with set_actor(world.admin):
        services.grant(user=world.member, role=RoleName.ORGANISATION_ADMIN, organisation=world.org, by=world.admin)
    page = web(world.admin).get(f"/organisations/{world.org.slug}/audit/").content.decode()
    assert "<strong>Role</strong>: Organisation administrator" in page
