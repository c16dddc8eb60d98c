"""Within one request the roles a person holds over anything are loaded
once (access.middleware); a change counts from the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from personfirst.core.access import services
from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.testing import verify_session

pytestmark = pytest.mark.django_db


def unscoped_role_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        1
        for q in queries
        if '"access_rolegrant"' in q["sql"]
        and '"organisation_id" =' not in q["sql"]
        and '"council_area_id" =' not in q["sql"]
        and '"person_id" =' not in q["sql"]
        and "IN (SELECT" not in q["sql"]
    )


@pytest.mark.parametrize("persona", ["worker", "commissioner", "platform", "council_admin", "practitioner"])
def test_the_roles_held_are_loaded_once_a_page(world, persona):
    client = Client()
    client.force_login(getattr(world, persona))
    client.get("/dashboard/")  # the session settles
    assert unscoped_role_queries(client, "/dashboard/") == 1


def test_a_role_given_counts_from_the_next_request(world):
    client = Client()
    client.force_login(world.member)
    assert 'href="/roles/"' not in client.get("/dashboard/").content.decode()
    services.grant(user=world.member, role=RoleName.PLATFORM_ADMIN, by=world.platform)
    # From the next request the role counts: first it asks for two-factor sign-in ...
    assert client.get("/dashboard/")["Location"].startswith("/account/two-factor/set-up/")
    verify_session(client, world.member)
    # ... and, with a code entered, it opens the roles pages.
    assert 'href="/roles/"' in client.get("/dashboard/").content.decode()
    RoleGrant.objects.filter(user=world.member, role=RoleName.PLATFORM_ADMIN).update(revoked_at="2020-01-02T00:00Z")
    assert 'href="/roles/"' not in client.get("/dashboard/").content.decode()
