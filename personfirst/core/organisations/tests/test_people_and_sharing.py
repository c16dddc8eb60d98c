"""Removing people, and sharing records with a support and development organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from personfirst.core.access.models import RoleName
from personfirst.core.access.tests.helpers import ADMIN, join, members, membership
from personfirst.core.organisations.models import AccessGrant, Organisation


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
    grant = membership(world.member, world.org)
    client.force_login(world.admin)
    assert client.get(remove_url(world.org, grant)).status_code == 405
    response = client.post(remove_url(world.org, grant), follow=True)
    assert "Milo Member has been removed from Eastmere Carers&#x27; Centre." in response.content.decode()
    assert membership(world.member, world.org) is None
    # The grant is ended, not deleted: who held it, and who ended it, stay on record.
    grant.refresh_from_db()
    assert grant.revoked_by == world.admin
    # And they can no longer see it.
    former = Client()
    former.force_login(world.member)
    assert former.get(f"/organisations/{world.org.slug}/").status_code == 404


def test_removing_the_only_admin_is_refused(world, client):
    own = membership(world.admin, world.org)
    client.force_login(world.admin)
    response = client.post(remove_url(world.org, own), follow=True)
    assert "You cannot remove the only administrator" in response.content.decode()
    assert membership(world.admin, world.org) == own


def test_a_platform_administrator_cannot_remove_the_only_admin_either(world, client):
    own = membership(world.admin, world.org)
    client.force_login(world.platform)
    client.post(remove_url(world.org, own))
    assert membership(world.admin, world.org) == own


def test_an_admin_can_be_removed_when_there_is_another(world, client):
    membership(world.member, world.org).delete()
    join(world.member, world.org, ADMIN)
    own = membership(world.admin, world.org)
    client.force_login(world.member)
    client.post(remove_url(world.org, own))
    assert membership(world.admin, world.org) is None
    assert members(world.org).filter(role=ADMIN).count() == 1


@pytest.mark.parametrize("persona", ["member", "worker"])
def test_only_admins_remove_people(world, client, persona):
    grant = membership(world.admin, world.org)
    client.force_login(getattr(world, persona))
    assert client.post(remove_url(world.org, grant)).status_code == 403
    assert membership(world.admin, world.org) == grant


def test_a_membership_of_another_organisation_is_not_found(world, client):
    theirs = membership(world.outsider, world.other_org)
    client.force_login(world.admin)
    assert client.post(remove_url(world.org, theirs)).status_code == 404
    assert membership(world.outsider, world.other_org) == theirs


def test_removing_a_development_worker_ends_every_role_they_hold_there(world, client):
    client.force_login(world.worker)
    assert client.get("/caseload/").status_code == 200
    join(world.admin, world.support_org, ADMIN)
    admin = Client()
    admin.force_login(world.admin)
    admin.post(remove_url(world.support_org, membership(world.worker, world.support_org)))
    assert not world.worker.has_perm("caseload.view_caseload")
    assert not world.worker.has_perm("organisations.view_organisation", world.org)
    assert client.get("/caseload/").status_code in (403, 404)


def test_the_people_page_shows_each_persons_roles(world, client):
    join(world.admin, world.support_org, ADMIN)
    client.force_login(world.admin)
    page = client.get(f"/organisations/{world.support_org.slug}/people/").content.decode()
    assert "Organisation member, Development worker" in page or "Development worker, Organisation member" in page
    # A support organisation can invite development workers; others cannot.
    assert 'value="development_worker"' in page
    assert 'value="development_worker"' not in client.get(f"/organisations/{world.org.slug}/people/").content.decode()


def test_inviting_a_development_worker_gives_both_roles(world, client):
    from django.core import mail

    from .test_invitations import link_in

    join(world.admin, world.support_org, ADMIN)
    client.force_login(world.admin)
    client.post(
        f"/organisations/{world.support_org.slug}/people/", {"email": world.member.email, "role": "development_worker"}
    )
    member = Client()
    member.force_login(world.member)
    member.post(link_in(mail.outbox[-1]))
    assert membership(world.member, world.support_org).role == RoleName.ORGANISATION_MEMBER
    assert world.member.has_perm("caseload.view_caseload")


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

    response = client.post(
        sharing_url(world.org),
        {"support_organisation": world.support_org.pk, "parts": ["assessments", "plan"]},
        follow=True,
    )
    assert (
        "Eastmere Voluntary Action can now see your organisation&#x27;s profile, assessments and action plan."
        in response.content.decode()
    )
    new_grant = _grant(world)
    assert new_grant.granted_by == world.admin
    assert AccessGrant.objects.filter(organisation=world.org).count() == 2  # the old one is kept, revoked

    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(f"/organisations/{world.org.slug}/").status_code == 200


def test_unshared_organisation_shares_for_the_first_time(world, client):
    join(world.member, world.unshared, ADMIN)
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
    assert "Select one of the options" in response.content.decode()
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
    join(world.member, world.support_org, ADMIN)
    client.force_login(world.member)
    another = Organisation.objects.create(
        name="Eastmere North CVS", slug="eastmere-north-cvs", org_type="support_development", council_area=world.area
    )
    page = client.get(sharing_url(world.support_org)).content.decode()
    assert f'value="{world.support_org.pk}"' not in page
    assert f'value="{another.pk}"' in page


# --- sharing a part of the records ---------------------------------------------------


def test_sharing_only_the_plan_shows_the_worker_the_plan_and_not_the_assessments(world, client):
    client.force_login(world.admin)
    client.post(f"{sharing_url(world.org)}{_grant(world).pk}/stop/")
    client.post(sharing_url(world.org), {"support_organisation": world.support_org.pk, "parts": ["plan"]})
    grant = _grant(world)
    assert (grant.assessments, grant.plan) == (False, True)
    worker = Client()
    worker.force_login(world.worker)
    assert worker.get(f"/organisations/{world.org.slug}/").status_code == 200
    assert worker.get(f"/organisations/{world.org.slug}/plan/").status_code == 200
    assert worker.get(f"/organisations/{world.org.slug}/assessments/").status_code == 403
    assert worker.get(f"/organisations/{world.org.slug}/history/").status_code == 403
    profile = worker.get(f"/organisations/{world.org.slug}/").content.decode()
    assert f"/organisations/{world.org.slug}/assessments/" not in profile  # no tab to a page they cannot open
    # Their caseload lists it, without figures it does not share.
    caseload = worker.get("/caseload/").content.decode()
    assert "Eastmere Carers" in caseload
    assert "Not shared with you" in caseload


def test_sharing_the_profile_alone(world, client):
    client.force_login(world.admin)
    client.post(f"{sharing_url(world.org)}{_grant(world).pk}/stop/")
    response = client.post(sharing_url(world.org), {"support_organisation": world.support_org.pk}, follow=True)
    assert "can now see your organisation&#x27;s profile." in response.content.decode()
    assert world.worker.has_perm("organisations.view_organisation", world.org)
    assert not world.worker.has_perm("plans.view_plan", world.org)
    assert not world.worker.has_perm("readiness.view_assessments", world.org)
