"""Within one request the roles a person holds over anything are loaded
once (access.middleware); a change counts from the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from personfirst.core.access import roles, services
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


# --- The request's copy (roles._Reach) answers as the database would ---------
def _in_a_request(user):
    """The user object as access.middleware leaves it for a request."""
    setattr(user, roles.ROLE_CACHE, {})
    return user


def test_every_question_answered_from_the_request_copy_agrees_with_the_database(world):
    from personfirst.core.organisations.models import CouncilArea, Organisation
    from personfirst.core.people.models import Person
    from personfirst.testing import PERSONAS

    scoped = [
        roles.is_member,
        roles.is_admin,
        roles.is_worker_with_access,
        roles.worker_sees_assessments,
        roles.worker_sees_plan,
        roles.is_worker_for,
    ]
    # Some organisations share only a part of their records.
    from personfirst.core.organisations.models import AccessGrant

    partial = list(AccessGrant.objects.active().exclude(organisation=world.org)[:2])
    assert partial, "the world needs more than one organisation sharing with a support organisation"
    for sharing, part in zip(partial, ("plan", "assessments"), strict=False):
        setattr(sharing, part, False)
        sharing.save()
    organisations, areas, people = (
        list(Organisation.objects.all()),
        list(CouncilArea.objects.all()),
        list(Person.objects.all()),
    )
    assert len(organisations) > 3 and areas and people
    checked = 0
    for persona in PERSONAS:
        if persona == "anonymous":
            continue
        plain = type(getattr(world, persona)).objects.get(pk=getattr(world, persona).pk)
        kept = _in_a_request(type(plain).objects.get(pk=plain.pk))
        for predicate in scoped:
            for organisation in organisations:
                assert predicate(kept, organisation) == predicate(plain, organisation), (
                    persona,
                    predicate,
                    organisation,
                )
                checked += 1
        for role in RoleName.values:
            assert roles.holds(kept, role) == roles.holds(plain, role), (persona, role)
            for area in areas:
                assert roles.holds(kept, role, council_area=area) == roles.holds(plain, role, council_area=area)
            for person in people:
                assert roles.holds(kept, role, person=person) == roles.holds(plain, role, person=person)
            checked += 1
    # The world has somebody of each kind for these to be worth asking.
    assert any(roles.worker_sees_plan(_in_a_request(world.worker), o) for o in organisations)
    assert checked > 1000


def test_a_grant_saved_during_the_request_counts_at_once(world):
    member = _in_a_request(world.member)
    assert not roles.is_admin(member, world.other_org)
    assert roles.is_platform_admin(member) is False
    grant = RoleGrant.objects.create(user=world.member, organisation=world.other_org, role=RoleName.ORGANISATION_ADMIN)
    assert roles.is_admin(member, world.other_org)
    assert roles.is_member(member, world.other_org)
    grant.delete()
    assert not roles.is_admin(member, world.other_org)


def test_sharing_stopped_during_the_request_counts_at_once(world):
    from personfirst.core.organisations.models import AccessGrant

    worker = _in_a_request(world.worker)
    assert roles.worker_sees_plan(worker, world.org)
    sharing = AccessGrant.objects.active().get(organisation=world.org, support_organisation=world.support_org)
    sharing.plan = False
    sharing.save()
    assert not roles.worker_sees_plan(worker, world.org)
    assert roles.is_worker_with_access(worker, world.org)
    sharing.revoked_at = "2020-01-02T00:00Z"
    sharing.save()
    assert not roles.is_worker_with_access(worker, world.org)


def test_an_unsaved_object_is_nobodys(world):
    from personfirst.core.organisations.models import Organisation

    platform = _in_a_request(world.platform)
    assert roles.holds(platform, RoleName.PLATFORM_ADMIN)
    assert not roles.holds(platform, RoleName.PLATFORM_ADMIN, organisation=Organisation(name="Not saved"))
