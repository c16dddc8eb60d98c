"""Helpers that let views ask the rules module about one object.

An object the user may not even see is reported as missing (404), so that
its existence is not revealed; an object they can see but not change gives
403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

VIEW_PERMISSION_FOR = {
    "organisations.change_organisation": "organisations.view_organisation",
    "organisations.manage_people": "organisations.view_organisation",
    "organisations.manage_sharing": "organisations.view_organisation",
    "organisations.view_audit": "organisations.view_organisation",
    "readiness.start_assessment": "organisations.view_organisation",
    "readiness.edit_answers": "readiness.view_assessment",
    "readiness.manage_respondents": "readiness.view_assessment",
    "readiness.submit_assessment": "readiness.view_assessment",
    "readiness.respond": "readiness.view_assessment",
    "readiness.view_results": "readiness.view_assessment",
    "plans.view_plan": "organisations.view_organisation",
    "plans.change_plan": "plans.view_plan",
}


def require(user, permission: str, obj) -> None:
    """Raise Http404 or PermissionDenied unless ``user`` has ``permission`` on ``obj``."""
    if user.has_perm(permission, obj):
        return
    view_permission = VIEW_PERMISSION_FOR.get(permission)
    if view_permission and user.has_perm(view_permission, obj):
        raise PermissionDenied
    raise Http404
