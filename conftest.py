"""Shared test fixtures: the personas every test speaks of.

``world`` is the demo area (demo/area.py) plus a second, unrelated area,
so that every role has something it must NOT see:

- world.admin       organisation admin of Eastmere Carers' Centre
- world.member      organisation member of the same
- world.worker      development worker (Eastmere Voluntary Action), which
                    the carers' centre shares with
- world.commissioner member of Eastmere Council, commissioner for Eastmere
- world.platform    platform administrator
- world.outsider    admin of an organisation in another area, sharing with no one
- world.council_admin, world.practitioner, world.team_manager,
  world.approver (limit £25,000), world.finance_officer
                    members of Eastmere Council, each holding that council
                    role over Eastmere (the first two are demo users)
- world.moderator, world.scheme_admin
                    a directory moderator and a scheme administrator (roles
                    over the whole service)
- world.person      Sam, who signs in to see his own record (world.own_record)
- world.carer       Carl, the carer of Rose (world.cared_for, who does not sign
                    in): he sees her record and changes it with her
- world.personal_assistant  a personal assistant Sam employs (a role over his record)
- world.superuser   is_superuser, and no role at all: gets nothing
- world.org         Eastmere Carers' Centre
- world.unshared    an Eastmere organisation that does not share with the worker
- world.other_org   the outsider's organisation
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "eastmere-demo-2026"


@pytest.fixture
def world(db):
    from decimal import Decimal

    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import CouncilArea, Organisation
    from personfirst.core.people.models import Person
    from personfirst.demo import area

    area.load()
    users = {u.email: User.objects.get(email=u.email) for u in area.USERS}
    other_area = CouncilArea.objects.create(code="E99000002", name="Westholm")
    other_org = Organisation.objects.create(
        name="Westholm Day Centre", slug="westholm-day-centre", org_type="voluntary", council_area=other_area
    )
    outsider = User.objects.create_user("outsider@westholm.example", PASSWORD, full_name="Olive Outsider")
    since = {"valid_from": area.ROLES_SINCE}  # in force whenever a test travels to
    RoleGrant.objects.create(user=outsider, organisation=other_org, role=RoleName.ORGANISATION_ADMIN, **since)
    eastmere = CouncilArea.objects.get(code=area.AREA_CODE)
    council = Organisation.objects.get(slug="eastmere-council")

    def council_staff(email: str, name: str, role: str, **extra) -> User:
        user = User.objects.create_user(email, PASSWORD, full_name=name)
        RoleGrant.objects.create(user=user, organisation=council, role=RoleName.ORGANISATION_MEMBER, **since)
        RoleGrant.objects.create(user=user, council_area=eastmere, role=role, **since, **extra)
        return user

    def service_role(email: str, name: str, role: str) -> User:
        user = User.objects.create_user(email, PASSWORD, full_name=name)
        RoleGrant.objects.create(user=user, role=role, **since)
        return user

    sam = Person.objects.get(user=users["sam@people.example"])
    personal_assistant = User.objects.create_user("pa@people.example", PASSWORD, full_name="Pip Assistant")
    RoleGrant.objects.create(user=personal_assistant, person=sam, role=RoleName.PERSONAL_ASSISTANT, **since)

    return SimpleNamespace(
        area=eastmere,
        other_area=other_area,
        admin=users["admin@carers.example"],
        member=users["member@carers.example"],
        worker=users["worker@eva.example"],
        commissioner=users["commissioner@eastmere.example"],
        platform=users["platform@personfirst.example"],
        outsider=outsider,
        council_admin=users["council-admin@eastmere.example"],
        practitioner=users["practitioner@eastmere.example"],
        team_manager=council_staff("manager@eastmere.example", "Tomas Team-Manager", RoleName.TEAM_MANAGER),
        approver=council_staff(
            "approver@eastmere.example", "Abi Approver", RoleName.APPROVER, limit=Decimal("25000.00")
        ),
        finance_officer=council_staff("finance@eastmere.example", "Femi Finance", RoleName.FINANCE_OFFICER),
        moderator=service_role("moderator@personfirst.example", "Mo Moderator", RoleName.DIRECTORY_MODERATOR),
        scheme_admin=service_role("scheme@personfirst.example", "Sol Scheme", RoleName.SCHEME_ADMINISTRATOR),
        person=users["sam@people.example"],
        carer=users["carer@people.example"],
        personal_assistant=personal_assistant,
        own_record=sam,
        cared_for=Person.objects.get(given_name="Rose", council_area=eastmere),
        superuser=User.objects.create_superuser("superuser@personfirst.example", PASSWORD, full_name="Sam Superuser"),
        org=Organisation.objects.get(slug="eastmere-carers-centre"),
        unshared=Organisation.objects.get(slug="beech-house"),
        support_org=Organisation.objects.get(slug=area.SUPPORT_ORG),
        council=council,
        other_org=other_org,
        password=PASSWORD,
    )


@pytest.fixture
def api_client_for():
    """api_client_for(user) -> a Django test client that sends that user's API token."""
    from django.test import Client

    from personfirst.core.accounts.models import ApiToken

    def make(user):
        _token, raw = ApiToken.issue(user, "test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture(autouse=True)
def _no_kept_insight_pages():
    """Every test starts without area insight bodies kept by an earlier one
    (insight/pages.py keeps them per process for the same rows; rolled-back
    tests can give the same rows and ids again)."""
    from personfirst.insight.area import pages

    pages.bodies.clear()
