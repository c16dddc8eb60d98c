"""Who may see and change an organisation and its records (autodiscovered by django-rules).

The predicates are shared by every app: personfirst/core/access/roles.py.
"""

from __future__ import annotations

from personfirst.core.access.roles import (
    is_admin,
    is_commissioner_for,
    is_member,
    is_platform_admin,
    is_worker_with_access,
)
from personfirst.core.access.shortcuts import add_perm

VIEW = "organisations.view_organisation"

# Organisation profile and its records.
add_perm(VIEW, is_member | is_worker_with_access | is_platform_admin)
add_perm("organisations.change_organisation", is_admin | is_platform_admin, seen_with=VIEW)
add_perm("organisations.manage_people", is_admin | is_platform_admin, seen_with=VIEW)
add_perm("organisations.manage_sharing", is_admin | is_platform_admin, seen_with=VIEW)
add_perm("organisations.view_audit", is_admin | is_platform_admin, seen_with=VIEW)
# Council areas: aggregated figures only.
add_perm("organisations.view_area", is_commissioner_for | is_platform_admin)
