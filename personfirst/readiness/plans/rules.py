"""Who may see and change an organisation's action plan (autodiscovered by django-rules).

An organisation's plan, history and reports are seen by whoever may see
the organisation; the plan is seen and changed by its members and by
development workers it shares its plan with (who often run the plan with a
small charity).
"""

from __future__ import annotations

from personfirst.core.access.roles import is_member, is_platform_admin, worker_sees_plan
from personfirst.core.access.shortcuts import add_perm

add_perm(
    "plans.view_plan",
    is_member | worker_sees_plan | is_platform_admin,
    seen_with="organisations.view_organisation",
)
add_perm("plans.change_plan", is_member | worker_sees_plan, seen_with="plans.view_plan")
