"""Shared test fixtures: the personas every test speaks of.

``world`` is the demo area (demo/area.py) plus a second, unrelated area,
so that every role has something it must NOT see:

- world.admin       organisation admin of Eastmere Carers' Centre
- world.member      organisation member of the same
- world.worker      development worker (Eastmere Voluntary Action), which
                    the carers' centre shares with
- world.commissioner member of Eastmere Council (commissioner for Eastmere)
- world.platform    platform administrator
- world.moderator   directory moderator (a grant over the whole service)
- world.outsider    admin of an organisation in another area, sharing with no one
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
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import CouncilArea, Membership, Organisation, Role
    from personfirst.demo import area

    area.load()
    users = {u.email: User.objects.get(email=u.email) for u in area.USERS}
    other_area = CouncilArea.objects.create(code="E99000002", name="Westholm")
    other_org = Organisation.objects.create(
        name="Westholm Day Centre", slug="westholm-day-centre", org_type="voluntary", council_area=other_area
    )
    outsider = User.objects.create_user("outsider@westholm.example", PASSWORD, full_name="Olive Outsider")
    Membership.objects.create(user=outsider, organisation=other_org, role=Role.ADMIN)
    return SimpleNamespace(
        area=CouncilArea.objects.get(code=area.AREA_CODE),
        other_area=other_area,
        admin=users["admin@carers.example"],
        member=users["member@carers.example"],
        worker=users["worker@eva.example"],
        commissioner=users["commissioner@eastmere.example"],
        platform=users["platform@personfirst.example"],
        moderator=users["moderator@eastmere.example"],
        outsider=outsider,
        org=Organisation.objects.get(slug="eastmere-carers-centre"),
        unshared=Organisation.objects.get(slug="beech-house"),
        support_org=Organisation.objects.get(slug=area.SUPPORT_ORG),
        council=Organisation.objects.get(slug="eastmere-council"),
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
