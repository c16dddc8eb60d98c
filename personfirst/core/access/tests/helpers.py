"""Small helpers for tests that give people roles or look at them."""

from __future__ import annotations

import datetime

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName

# As the demo's roles (personfirst/demo/area.py ROLES_SINCE): in force whenever a test travels to.
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
MEMBER = RoleName.ORGANISATION_MEMBER
ADMIN = RoleName.ORGANISATION_ADMIN


def join(user, organisation, role: str = MEMBER) -> RoleGrant:
    """Make ``user`` a member (or, with role=ADMIN, an administrator) of
    ``organisation``, from a day long past (so tests may travel in time)."""
    return RoleGrant.objects.create(user=user, organisation=organisation, role=role, valid_from=LONG_AGO)


def membership(user, organisation) -> RoleGrant | None:
    """The user's current member or administrator grant over the organisation."""
    return RoleGrant.objects.current().filter(user=user, organisation=organisation, role__in=MEMBERSHIP_ROLES).first()


def role_in(user, organisation) -> str | None:
    """ "member", "admin" or None: the user's membership of the organisation now."""
    grant = membership(user, organisation)
    if grant is None:
        return None
    return "admin" if grant.role == ADMIN else "member"


def members(organisation):
    """The current member and administrator grants over the organisation."""
    return RoleGrant.objects.current().filter(organisation=organisation, role__in=MEMBERSHIP_ROLES)
