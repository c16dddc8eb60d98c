"""Two administrators removing each other at the same moment: one of them
must stay (organisations.services.remove locks the organisation's row).
PostgreSQL only: SQLite runs one writer at a time anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from personfirst.core.access.tests.helpers import ADMIN, join, members, membership
from personfirst.core.organisations import services


@pytest.mark.django_db(transaction=True)
def test_two_admins_removing_each_other_at_once_leave_one(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    join(world.member, world.org, ADMIN)
    admin_grant, member_grant = membership(world.admin, world.org), membership(world.member, world.org)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(grant, by) -> None:
        try:
            barrier.wait(timeout=10)
            services.remove(world.org, grant, by=by)
            outcomes.append("removed")
        except services.PeopleError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=remove, args=(admin_grant, world.member)),
        threading.Thread(target=remove, args=(member_grant, world.admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "removed"]
    assert members(world.org).filter(role=ADMIN).count() == 1
