"""Who may use the admin site and give roles (autodiscovered by django-rules)."""

from __future__ import annotations

import rules

from personfirst.core.access.roles import holds, is_council_admin_for, is_platform_admin
from personfirst.core.access.shortcuts import add_perm

from .models import COUNCIL_ROLES, PLATFORM_ROLES, RoleName


@rules.predicate
def is_a_council_admin(user) -> bool:
    """A council administrator of any area."""
    return holds(user, RoleName.COUNCIL_ADMIN)


@rules.predicate
def may_end(user, grant) -> bool:
    """Council roles end by the area's council administrators; council
    administrators and roles over the service by a platform administrator.
    Roles over an organisation end on its people page (organisations.manage_people)."""
    if grant.role in COUNCIL_ROLES:
        return is_council_admin_for(user, grant.council_area) or is_platform_admin(user)
    if grant.role in PLATFORM_ROLES or grant.role == RoleName.COUNCIL_ADMIN:
        return is_platform_admin(user)
    return False


# The admin site (core/ui/admin_site.py): platform administrators, and
# nobody else, superuser or not.
add_perm("access.use_admin_site", is_platform_admin)
# Roles over the whole service, and council administrators.
add_perm("access.manage_platform_roles", is_platform_admin)
# The council's roles over one area (commissioners, practitioners, approvers...).
add_perm("access.manage_council_roles", is_council_admin_for | is_platform_admin)
# The "Roles" link in the navigation.
add_perm("access.manage_roles", is_a_council_admin | is_platform_admin)
add_perm("access.end_role", may_end)
