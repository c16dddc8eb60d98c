from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from personfirst.core.access.models import RoleGrant, RoleName

pytestmark = pytest.mark.django_db


def test_the_first_platform_administrator(world):
    out = StringIO()
    call_command("grant_role", "Superuser@personfirst.example", "platform_admin", stdout=out)
    assert world.superuser.has_perm("access.use_admin_site")
    assert "Platform administrator" in out.getvalue()


def test_a_council_role_needs_an_area(world):
    with pytest.raises(CommandError, match="--area: give the code of a council area"):
        call_command("grant_role", world.member.email, "commissioner")
    call_command(
        "grant_role", world.member.email, "approver", "--area", world.area.code, "--limit", "5000", stdout=StringIO()
    )
    assert RoleGrant.objects.get(user=world.member, role=RoleName.APPROVER).limit == 5000


def test_bad_input_names_what_is_wrong(world):
    with pytest.raises(CommandError, match="email: there is no account"):
        call_command("grant_role", "nobody@example.org", "platform_admin")
    with pytest.raises(CommandError, match="limit: Enter the approver's limit"):
        call_command("grant_role", world.member.email, "approver", "--area", world.area.code)
    with pytest.raises(CommandError, match="--limit: 'lots' is not a number"):
        call_command("grant_role", world.member.email, "approver", "--area", world.area.code, "--limit", "lots")
