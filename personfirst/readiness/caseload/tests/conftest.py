from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def instruments(db):
    """The three shipped instruments, loaded: {key: Instrument}."""
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    return load_shipped()


@pytest.fixture
def new_worker(world):
    """new_worker(shared_by=[...]) -> a development worker of a new support
    organisation that these organisations share with (none by default)."""
    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import AccessGrant, Organisation

    made = []

    def make(shared_by=()):
        n = len(made) + 1
        support = Organisation.objects.create(
            name=f"Support Organisation {n}",
            slug=f"support-organisation-{n}",
            org_type="support_development",
            council_area=world.area,
        )
        worker = User.objects.create_user(f"worker{n}@support.example", world.password, full_name=f"Dana Patel {n}")
        since = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # in force whenever the tests travel to
        RoleGrant.objects.create(user=worker, organisation=support, role=RoleName.ORGANISATION_MEMBER, valid_from=since)
        RoleGrant.objects.create(user=worker, organisation=support, role=RoleName.DEVELOPMENT_WORKER, valid_from=since)
        for organisation in shared_by:
            AccessGrant.objects.create(organisation=organisation, support_organisation=support)
        made.append(worker)
        return worker

    return make
