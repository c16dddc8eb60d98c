"""UK GDPR: a person can have everything held about them, and have it erased."""

from __future__ import annotations

import json
import re
from io import StringIO
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client

from personfirst.core.access.tests.helpers import members
from personfirst.core.accounts.models import ApiToken, User
from personfirst.core.organisations import services
from personfirst.core.organisations.models import Invitation, Organisation

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces_of(*needles: str) -> list[str]:
    """Every text value, in every table, that contains one of the needles
    (case-insensitive): "app.Model.field: value"."""
    lowered = [needle.lower() for needle in needles if needle]
    found = []
    for model in apps.get_models():
        if model is Session:
            continue  # erasure deletes the person's sessions; the data column is encoded
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                if any(needle in text.lower() for needle in lowered):
                    found.append(f"{model._meta.label}.{name}: {text[:200]}")
    return found


def test_traces_of_finds_the_email_in_the_audit_trail(world):
    # The scanner must be able to fail, or the erasure tests prove nothing.
    assert any(trace.startswith("accounts.User.email") for trace in traces_of(world.admin.email))
    assert any(trace.startswith("auditlog.LogEntry.") for trace in traces_of("Asha Admin"))


# --- export ----------------------------------------------------------------------


@pytest.fixture
def busy_admin(world, client):
    """world.admin, after doing some things through the web and holding a token."""
    client.force_login(world.admin)
    client.post(
        f"/organisations/{world.org.slug}/edit/",
        {"name": "Eastmere Carers Centre", "org_type": "voluntary", "paid_staff": "7", "volunteers": "25"},
    )
    client.post(
        f"/organisations/{world.org.slug}/people/", {"email": "newbie@carers.example", "role": "organisation_member"}
    )
    token, raw = ApiToken.issue(world.admin, "quarterly export")
    world.org.refresh_from_db()
    return world.admin, token, raw


def _check_export(data: dict, user: User, token: ApiToken) -> None:
    assert data["account"]["email"] == user.email
    assert data["account"]["full_name"] == user.full_name
    assert data["memberships"] == [
        {"organisation": "Eastmere Carers Centre", "role": "admin", "since": mock.ANY},
    ]
    assert [t["name"] for t in data["api_tokens"]] == ["quarterly export"]
    assert data["api_tokens"][0]["revoked_at"] is None
    text = json.dumps(data)
    assert token.key_hash not in text
    assert "key_hash" not in text
    changes = data["changes_made"]
    whats = [change["what"] for change in changes]
    assert "organisation: Eastmere Carers Centre" in whats
    assert any(what.startswith("invitation:") for what in whats)
    assert {change["action"] for change in changes} >= {"update", "create"}


def test_download_your_data(busy_admin, client):
    user, token, _raw = busy_admin
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert b"/account/data/download/" in page.content

    response = client.get("/account/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    _check_export(json.loads(response.content), user, token)


def test_download_needs_signing_in(db, client):
    assert client.get("/account/data/download/")["Location"].startswith("/account/sign-in/")


def test_download_holds_only_your_own_data(busy_admin, world):
    client = Client()
    client.force_login(world.member)
    data = json.loads(client.get("/account/data/download/").content)
    assert data["account"]["email"] == world.member.email
    assert data["api_tokens"] == []
    assert data["changes_made"] == []
    assert "quarterly export" not in json.dumps(data)


def test_export_personal_data_command(busy_admin):
    user, token, _raw = busy_admin
    out = StringIO()
    call_command("export_personal_data", "ADMIN@carers.example", stdout=out)
    _check_export(json.loads(out.getvalue()), user, token)


def test_export_lists_invitations_received(world):
    services.invite(
        organisation=world.other_org, email=world.member.email, role="organisation_member", invited_by=world.outsider
    )
    out = StringIO()
    call_command("export_personal_data", world.member.email, stdout=out)
    data = json.loads(out.getvalue())
    assert [(i["organisation"], i["status"]) for i in data["invitations_received"]] == [
        ("Westholm Day Centre", "pending")
    ]


def test_export_personal_data_for_an_unknown_address(db):
    with pytest.raises(CommandError, match="No user has the e-mail address 'nobody@nowhere.example'"):
        call_command("export_personal_data", "nobody@nowhere.example", stdout=StringIO())


# --- erasure ----------------------------------------------------------------------


@pytest.fixture
def history(world):
    """world.admin with a long history: an audit trail of their own changes and
    of changes about them, a token, a live session, and invitations received."""
    admin = Client()
    admin.force_login(world.admin)
    admin.post(
        f"/organisations/{world.org.slug}/edit/",
        {"name": "Eastmere Carers' Centre", "org_type": "voluntary", "paid_staff": "9", "volunteers": "25"},
    )
    admin.post(
        f"/organisations/{world.org.slug}/people/", {"email": "newbie@carers.example", "role": "organisation_member"}
    )
    admin.post("/account/", {"full_name": "Asha B. Admin"})
    admin.post("/account/tokens/", {"name": "reporting script", "scopes": ["read"], "days": "90"})
    # Someone else invites them, by e-mail address, to another organisation; they accept.
    outsider = Client()
    outsider.force_login(world.outsider)
    outsider.post(
        f"/organisations/{world.other_org.slug}/people/",
        {"email": "ADMIN@carers.example", "role": "organisation_member"},
    )
    link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    admin.post(link)
    world.admin.refresh_from_db()
    assert world.admin.full_name == "Asha B. Admin"
    assert sum(members(o).filter(user=world.admin).count() for o in Organisation.objects.all()) == 2
    return SimpleHistory(
        admin_client=admin, old_names=["Asha B. Admin", "Asha Admin"], old_email="admin@carers.example"
    )


class SimpleHistory:
    def __init__(self, admin_client, old_names, old_email):
        self.admin_client = admin_client
        self.old_names = old_names
        self.old_email = old_email


def _membership_counts() -> dict[str, int]:
    return {o.slug: members(o).count() for o in Organisation.objects.all()}


def _assert_erased(world, history, counts_before) -> None:
    user = User.objects.get(pk=world.admin.pk)
    assert user.email == f"erased-{user.pk}@invalid.example"
    assert user.full_name == "Erased user"
    assert not user.is_active
    assert user.erased_at is not None
    assert not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()

    assert traces_of(history.old_email, *history.old_names) == []
    # Be explicit about the places issue #2 names.
    for entry in LogEntry.objects.all():
        for value in (
            entry.object_repr,
            entry.changes_text,
            json.dumps(entry.changes),
            json.dumps(entry.serialized_data),
        ):
            for old in (history.old_email, *history.old_names):
                assert old not in (value or "")
        assert entry.actor_email != history.old_email
    assert not Invitation.objects.filter(email__iexact=history.old_email).exists()
    assert not User.objects.filter(email__iexact=history.old_email).exists()

    # Signed out everywhere.
    response = history.admin_client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    # And cannot sign back in, nor reset the password.
    client = Client()
    client.post("/account/sign-in/", {"username": history.old_email, "password": world.password})
    assert "_auth_user_id" not in client.session
    mail.outbox.clear()
    client.post("/account/password/reset/", {"email": history.old_email})
    assert mail.outbox == []

    # Memberships stay, so organisation figures do not change.
    assert _membership_counts() == counts_before
    assert sum(members(o).filter(user=user).count() for o in Organisation.objects.all()) == 2


def test_erase_user_command(history, world):
    counts = _membership_counts()
    out = StringIO()
    call_command("erase_user", "Admin@Carers.example", "--yes", stdout=out)
    assert f"erased-{world.admin.pk}@invalid.example" in out.getvalue()
    _assert_erased(world, history, counts)


def test_erase_user_asks_first(history, world):
    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError, match="Nothing was erased"):
        call_command("erase_user", world.admin.email, stdout=StringIO())
    assert User.objects.get(pk=world.admin.pk).email == history.old_email

    counts = _membership_counts()
    with mock.patch("builtins.input", return_value="erase"):
        call_command("erase_user", world.admin.email, stdout=StringIO())
    _assert_erased(world, history, counts)


def test_erase_user_unknown_address(db):
    with pytest.raises(CommandError, match="No user has the e-mail address 'nobody@nowhere.example'"):
        call_command("erase_user", "nobody@nowhere.example", "--yes", stdout=StringIO())


def test_erase_from_the_admin_site(history, world):
    counts = _membership_counts()
    platform = Client()
    platform.force_login(world.platform)
    response = platform.post(
        "/admin/accounts/user/",
        {"action": "erase_selected", "_selected_action": [str(world.admin.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Erased 1 account(s)." in response.content
    _assert_erased(world, history, counts)
    # Other people are untouched.
    assert User.objects.get(pk=world.member.pk).email == "member@carers.example"


def test_the_admin_erase_action_is_for_platform_administrators_only(history, world):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "erase_selected", "_selected_action": [str(world.member.pk)]}
    )
    assert response.status_code == 404
    assert User.objects.get(pk=world.member.pk).erased_at is None


def test_erasing_twice_changes_nothing_more(history, world):
    call_command("erase_user", world.admin.email, "--yes", stdout=StringIO())
    erased = User.objects.get(pk=world.admin.pk)
    call_command("erase_user", erased.email, "--yes", stdout=StringIO())
    again = User.objects.get(pk=world.admin.pk)
    assert (again.email, again.full_name, again.erased_at) == (erased.email, erased.full_name, erased.erased_at)
