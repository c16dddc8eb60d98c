"""A superuser with no role grant is refused everywhere: pages, the API and
the admin site. Being a superuser counts for nothing (accounts.User.has_perm);
only role grants, through the rules, open anything."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_refused_on_the_web(world):
    client = Client()
    client.force_login(world.superuser)
    for path in (
        f"/organisations/{world.org.slug}/",
        f"/organisations/{world.org.slug}/people/",
        f"/areas/{world.area.code}/",
        "/roles/",
        f"/people/{world.own_record.pk}/",
        "/people/",
    ):
        assert client.get(path).status_code == 404, path
    assert "Eastmere" not in client.get("/organisations/").content.decode()


def test_refused_in_the_api(world, api_client_for):
    api = api_client_for(world.superuser)
    assert api.get(f"/api/v1/organisations/{world.org.slug}").status_code == 404
    assert api.get("/api/v1/organisations").json() == []
    assert api.get(f"/api/v1/people/{world.own_record.pk}").status_code == 404


def test_refused_at_the_admin_site(world):
    client = Client()
    client.force_login(world.superuser)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/accounts/user/").status_code == 404


def test_a_platform_administrator_role_opens_the_admin_site_and_ending_it_closes_it(world):
    from personfirst.core.access import services
    from personfirst.core.access.models import RoleName

    grant = services.grant(user=world.superuser, role=RoleName.PLATFORM_ADMIN, by=world.platform)
    client = Client()
    client.force_login(world.superuser)
    assert client.get("/admin/").status_code == 200
    services.end(grant, by=world.platform)
    assert client.get("/admin/").status_code == 404
