"""Removing people, and sharing records with a support and development organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from personfirst.core.organisations.models import AccessGrant, Membership, Organisation, Role


def remove_url(organisation, membership) -> str:
    return f"/organisations/{organisation.slug}/members/{membership.pk}/remove/"


def sharing_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/sharing/"


# --- people -------------------------------------------------------------------------


def test_people_page_lists_members(world, client):
    client.force_login(world.admin)
    page = client.get(f"/organisations/{world.org.slug}/people/").content.decode()
    assert "Asha Admin" in page
    assert "Milo Member" in page
    assert "Olive Outsider" not in page


def test_admin_removes_a_member(world, client):
    membership = Membership.objects.get(user=world.member, organisation=world.org)
    client.force_login(world.admin)
    assert client.get(remove_url(world.org, membership)).status_code == 405
    response = client.post(remove_url(world.org, membership), follow=True)
    assert "Milo Member has been removed from Eastmere Carers&#x27; Centre." in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # And they can no longer see it.
    former = Client()
    former.force_login(world.member)
    assert former.get(f"/organisations/{world.org.slug}/").status_code == 404


def test_removing_the_only_admin_is_refused(world, client):
    own = Membership.objects.get(user=world.admin, organisation=world.org)
    client.force_login(world.admin)
    response = client.post(remove_url(world.org, own), follow=True)
    assert "You cannot remove the only administrator" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_platform_administrator_cannot_remove_the_only_admin_either(world, client):
    own = Membership.objects.get(user=world.admin, organisation=world.org)
    client.force_login(world.platform)
    client.post(remove_url(world.org, own))
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_admin_can_be_removed_when_there_is_another(world, client):
    Membership.objects.filter(user=world.member, organisation=world.org).update(role=Role.ADMIN)
    own = Membership.objects.get(user=world.admin, organisation=world.org)
    client.force_login(world.member)
    client.post(remove_url(world.org, own))
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert world.org.memberships.filter(role=Role.ADMIN).count() == 1


@pytest.mark.parametrize("persona", ["member", "worker"])
def test_only_admins_remove_people(world, client, persona):
    membership = Membership.objects.get(user=world.admin, organisation=world.org)
    client.force_login(getattr(world, persona))
    assert client.post(remove_url(world.org, membership)).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_organisation_is_not_found(world, client):
    theirs = Membership.objects.get(user=world.outsider, organisation=world.other_org)
    client.force_login(world.admin)
    assert client.post(remove_url(world.org, theirs)).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- sharing ------------------------------------------------------------------------


def _grant(world) -> AccessGrant:
    return AccessGrant.objects.active().get(organisation=world.org, support_organisation=world.support_org)


def test_sharing_page_shows_who_can_see(world, client):
    client.force_login(world.admin)
    page = client.get(sharing_url(world.org)).content.decode()
    assert "Eastmere Voluntary Action, since" in page
    assert "Stop sharing" in page


def test_admin_stops_sharing_then_the_worker_cannot_see(world, client):
    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(f"/organisations/{world.org.slug}/").status_code == 200

    grant = _grant(world)
    client.force_login(world.admin)
    response = client.post(f"{sharing_url(world.org)}{grant.pk}/stop/", follow=True)
    assert "Eastmere Voluntary Action can no longer see your organisation&#x27;s records." in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert grant.revoked_by == world.admin

    assert worker.get(f"/organisations/{world.org.slug}/").status_code == 404
    assert "Eastmere Carers" not in worker.get("/organisations/").content.decode()
    assert "Eastmere Carers" not in worker.get("/dashboard/").content.decode()


def test_admin_shares_with_eastmere_voluntary_action(world, client):
    client.force_login(world.admin)
    client.post(f"{sharing_url(world.org)}{_grant(world).pk}/stop/")
    page = client.get(sharing_url(world.org)).content.decode()
    assert "Only your own members." in page
    assert "Eastmere Voluntary Action" in page  # offered as a choice

    response = client.post(sharing_url(world.org), {"support_organisation": world.support_org.pk}, follow=True)
    assert "Eastmere Voluntary Action can now see your organisation&#x27;s records." in response.content.decode()
    new_grant = _grant(world)
    assert new_grant.granted_by == world.admin
    assert AccessGrant.objects.filter(organisation=world.org).count() == 2  # the old one is kept, revoked

    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(f"/organisations/{world.org.slug}/").status_code == 200


def test_unshared_organisation_shares_for_the_first_time(world, client):
    Membership.objects.create(user=world.member, organisation=world.unshared, role=Role.ADMIN)
    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(f"/organisations/{world.unshared.slug}/").status_code == 404

    client.force_login(world.member)
    client.post(sharing_url(world.unshared), {"support_organisation": world.support_org.pk})
    assert worker.get(f"/organisations/{world.unshared.slug}/").status_code == 200


def test_cannot_share_with_an_organisation_that_is_not_a_support_organisation(world, client):
    client.force_login(world.admin)
    client.post(f"{sharing_url(world.org)}{_grant(world).pk}/stop/")
    response = client.post(sharing_url(world.org), {"support_organisation": world.council.pk})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not AccessGrant.objects.active().filter(organisation=world.org).exists()


def test_a_support_organisation_already_shared_with_is_not_offered_again(world, client):
    client.force_login(world.admin)
    response = client.post(sharing_url(world.org), {"support_organisation": world.support_org.pk})
    assert AccessGrant.objects.active().filter(organisation=world.org).count() == 1
    assert response.status_code == 200  # refused as "not one of the choices"


@pytest.mark.parametrize("persona", ["member", "worker"])
def test_only_admins_manage_sharing(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(sharing_url(world.org)).status_code == 403
    assert client.post(f"{sharing_url(world.org)}{_grant(world).pk}/stop/").status_code == 403
    assert _grant(world).revoked_at is None


def test_a_grant_of_another_organisation_is_not_found(world, client):
    other = AccessGrant.objects.active().filter(organisation__slug="riverside-home-care").get()
    client.force_login(world.admin)
    assert client.post(f"{sharing_url(world.org)}{other.pk}/stop/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_stopping_needs_post(world, client):
    client.force_login(world.admin)
    assert client.get(f"{sharing_url(world.org)}{_grant(world).pk}/stop/").status_code == 405
    assert _grant(world).revoked_at is None


def test_support_organisation_itself_is_never_a_choice(world, client):
    Membership.objects.create(user=world.member, organisation=world.support_org, role=Role.ADMIN)
    client.force_login(world.member)
    another = Organisation.objects.create(
        name="Eastmere North CVS", slug="eastmere-north-cvs", org_type="support_development", council_area=world.area
    )
    page = client.get(sharing_url(world.support_org)).content.decode()
    assert f'value="{world.support_org.pk}"' not in page
    assert f'value="{another.pk}"' in page
