from __future__ import annotations

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
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import AccessGrant, Membership, Organisation

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
        Membership.objects.create(user=worker, organisation=support)
        for organisation in shared_by:
            AccessGrant.objects.create(organisation=organisation, support_organisation=support)
        made.append(worker)
        return worker

    return make
