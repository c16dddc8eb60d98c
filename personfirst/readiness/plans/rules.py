"""Who may see and change an organisation's action plan (autodiscovered by django-rules).

An organisation's plan, history and reports are seen by whoever may see
the organisation; the plan is changed by its members and by development
workers it shares with (who often run the plan with a small charity).
"""

from __future__ import annotations

from personfirst.core.access.roles import is_member, is_platform_admin, is_worker_with_access
from personfirst.core.access.shortcuts import add_perm

add_perm(
    "plans.view_plan",
    is_member | is_worker_with_access | is_platform_admin,
    seen_with="organisations.view_organisation",
)
add_perm("plans.change_plan", is_member | is_worker_with_access, seen_with="plans.view_plan")
