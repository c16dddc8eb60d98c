"""The data migration that turned memberships and is_staff into role grants
(access/migrations/0002) gives everyone exactly what they had."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("access", "0001_initial"), ("organisations", "0002_sharing_parts_and_invitation_roles")]
AFTER = [("access", "0002_roles_from_memberships")]


@pytest.mark.django_db(transaction=True)
def test_memberships_and_staff_become_role_grants():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Area, Organisation, Membership = (
        old.get_model("accounts", "User"),
        old.get_model("organisations", "CouncilArea"),
        old.get_model("organisations", "Organisation"),
        old.get_model("organisations", "Membership"),
    )
    area = Area.objects.create(code="E99000009", name="Oldtown")

    def org(slug, org_type):
        return Organisation.objects.create(name=slug, slug=slug, org_type=org_type, council_area=area)

    council, cvs, charity = org("council", "council"), org("cvs", "support_development"), org("charity", "voluntary")
    people = {name: User.objects.create(email=f"{name}@example.org") for name in ("ann", "bob", "cat", "dee")}
    Membership.objects.create(user=people["ann"], organisation=council, role="admin")
    Membership.objects.create(user=people["bob"], organisation=cvs)
    Membership.objects.create(user=people["cat"], organisation=charity, role="admin")
    User.objects.filter(pk=people["dee"].pk).update(is_staff=True)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    RoleGrant = new.get_model("access", "RoleGrant")
    held = {
        (g.user.email.split("@")[0], g.role, g.organisation.slug if g.organisation else None, g.council_area_id)
        for g in RoleGrant.objects.select_related("user", "organisation")
    }
    assert held == {
        ("ann", "organisation_admin", "council", None),
        ("ann", "commissioner", None, area.pk),
        ("bob", "organisation_member", "cvs", None),
        ("bob", "development_worker", "cvs", None),
        ("cat", "organisation_admin", "charity", None),
        ("dee", "platform_admin", None, None),
    }

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
