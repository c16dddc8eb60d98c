"""Giving and ending roles in the service: council roles over an area (its
council administrators, or a platform administrator) and roles over the
whole service (platform administrators)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from personfirst.core.access import services
from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def area_url(world) -> str:
    return f"/roles/areas/{world.area.code}/"


def test_a_council_admin_gives_a_practitioner_role_that_counts_at_once(world):
    page = client_for(world.council_admin)
    response = page.post(area_url(world), {"user": world.team_manager.pk, "role": "practitioner"}, follow=True)
    assert "Tomas Team-Manager is now practitioner for Eastmere." in response.content.decode()
    grant = RoleGrant.objects.get(user=world.team_manager, role=RoleName.PRACTITIONER)
    assert grant.council_area == world.area
    assert grant.granted_by == world.council_admin
    assert grant.is_current
    # The change log names who gave it.
    entry = LogEntry.objects.get_for_object(grant).get()
    assert entry.actor == world.council_admin
    # And the page lists it, with who gave it.
    listed = page.get(area_url(world)).content.decode()
    assert "Given by Cara Council." in listed


def test_a_role_with_dates_starts_and_ends_when_it_says(world):
    start = timezone.localdate() + datetime.timedelta(days=7)
    last = start + datetime.timedelta(days=30)
    client_for(world.council_admin).post(
        area_url(world),
        {
            "user": world.finance_officer.pk,
            "role": "commissioner",
            "valid_from_day": start.day,
            "valid_from_month": start.month,
            "valid_from_year": start.year,
            "last_day_day": last.day,
            "last_day_month": last.month,
            "last_day_year": last.year,
        },
    )
    grant = RoleGrant.objects.get(user=world.finance_officer, role=RoleName.COMMISSIONER)
    assert timezone.localtime(grant.valid_from).date() == start
    assert grant.last_day == last
    assert not world.finance_officer.has_perm("organisations.view_area", world.area)  # not yet


def test_an_approver_needs_a_limit_in_pounds(world):
    page = client_for(world.council_admin)
    response = page.post(area_url(world), {"user": world.team_manager.pk, "role": "approver"})
    assert_error_summary_links_resolve(response, expected={"#id_limit": "Enter the approver's limit, in pounds"})
    response = page.post(area_url(world), {"user": world.team_manager.pk, "role": "approver", "limit": "lots"})
    assert_error_summary_links_resolve(response, expected={"#id_limit": "Enter the limit as a number of pounds"})
    page.post(area_url(world), {"user": world.team_manager.pk, "role": "approver", "limit": "12500.50"})
    grant = RoleGrant.objects.get(user=world.team_manager, role=RoleName.APPROVER)
    assert grant.limit == Decimal("12500.50")
    assert isinstance(grant.limit, Decimal)


def test_only_an_approver_has_a_limit(world):
    response = client_for(world.council_admin).post(
        area_url(world), {"user": world.team_manager.pk, "role": "commissioner", "limit": "100"}
    )
    assert_error_summary_links_resolve(response, expected={"#id_limit": "Only an approver has a limit"})
    assert not RoleGrant.objects.filter(user=world.team_manager, role=RoleName.COMMISSIONER).exists()


def test_bad_dates_are_named(world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(world.council_admin).post(
        area_url(world),
        {
            "user": world.team_manager.pk,
            "role": "commissioner",
            "valid_from_day": yesterday.day,
            "valid_from_month": yesterday.month,
            "valid_from_year": yesterday.year,
            "last_day_day": "31",
            "last_day_month": "2",
            "last_day_year": "2030",
        },
    )
    assert_error_summary_links_resolve(
        response,
        expected={
            "#id_valid_from": "The start date must be today or later",
            "#id_last_day": "The last day must be a real date",
        },
    )


def test_roles_go_only_to_the_councils_own_people(world):
    response = client_for(world.council_admin).post(area_url(world), {"user": world.member.pk, "role": "commissioner"})
    assert_error_summary_links_resolve(response, expected={"#id_user": "Choose someone from the list"})
    assert not RoleGrant.objects.filter(user=world.member, role=RoleName.COMMISSIONER).exists()


def test_a_council_admin_cannot_make_council_admins_but_a_platform_admin_can(world):
    response = client_for(world.council_admin).post(
        area_url(world), {"user": world.team_manager.pk, "role": "council_admin"}
    )
    assert_error_summary_links_resolve(response, expected={"#id_role_0": "Select one of the roles listed"})
    client_for(world.platform).post(area_url(world), {"user": world.team_manager.pk, "role": "council_admin"})
    assert RoleGrant.objects.current().filter(user=world.team_manager, role=RoleName.COUNCIL_ADMIN).exists()


def test_a_council_admin_ends_a_role_and_it_stops_at_once(world):
    grant = RoleGrant.objects.get(user=world.commissioner, role=RoleName.COMMISSIONER)
    assert world.commissioner.has_perm("organisations.view_area", world.area)
    response = client_for(world.council_admin).post(f"/roles/{grant.pk}/end/", follow=True)
    assert "Colin Commissioner is no longer commissioner." in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_by == world.council_admin
    assert not world.commissioner.has_perm("organisations.view_area", world.area)
    # Ended, not deleted: it is listed with who ended it.
    assert "ended on" in client_for(world.council_admin).get(area_url(world)).content.decode()


def test_a_platform_admin_gives_a_role_over_the_service(world):
    page = client_for(world.platform)
    response = page.post("/roles/service/", {"email": "Member@Carers.example", "role": "scheme_administrator"})
    assert response.status_code == 302
    assert RoleGrant.objects.current().filter(user=world.member, role=RoleName.SCHEME_ADMINISTRATOR).exists()
    response = page.post("/roles/service/", {"email": "nobody@example.org", "role": "platform_admin"})
    assert_error_summary_links_resolve(response, expected={"#id_email": "There is no open account"})


def test_the_only_platform_admin_cannot_end_their_role(world):
    own = RoleGrant.objects.get(user=world.platform, role=RoleName.PLATFORM_ADMIN)
    response = client_for(world.platform).post(f"/roles/{own.pk}/end/", follow=True)
    assert "You cannot end the only platform administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.revoked_at is None
    # With a second one, it can end.
    services.grant(user=world.moderator, role=RoleName.PLATFORM_ADMIN, by=world.platform)
    client_for(world.platform).post(f"/roles/{own.pk}/end/")
    own.refresh_from_db()
    assert own.revoked_at is not None


def test_giving_a_role_twice_gives_it_once(world):
    first = services.grant(
        user=world.team_manager, role=RoleName.PRACTITIONER, council_area=world.area, by=world.platform
    )
    again = services.grant(
        user=world.team_manager, role=RoleName.PRACTITIONER, council_area=world.area, by=world.platform
    )
    assert first == again
    assert RoleGrant.objects.filter(user=world.team_manager, role=RoleName.PRACTITIONER).count() == 1


def test_a_role_over_the_wrong_kind_of_scope_is_refused(world):
    with pytest.raises(services.RoleError, match="held over a council area"):
        services.grant(user=world.member, role=RoleName.COMMISSIONER, organisation=world.org, by=world.platform)


def test_the_roles_link_is_in_the_navigation_for_those_who_give_roles(world):
    assert 'href="/roles/"' in client_for(world.council_admin).get("/dashboard/").content.decode()
    assert 'href="/roles/"' in client_for(world.platform).get("/dashboard/").content.decode()
    assert 'href="/roles/"' not in client_for(world.commissioner).get("/dashboard/").content.decode()


def test_the_dashboard_lists_your_roles(world):
    page = client_for(world.approver).get("/dashboard/").content.decode()
    assert "Approver for Eastmere" in page
