"""Helpers that let views ask the rules module about one object.

An object the user may not even see is reported as missing (404), so that
its existence is not revealed; an object they can see but not change gives
403.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

# For a permission on an object: the permission that lets someone see the
# object at all. Refused the first but granted the second gives 403;
# refused both gives 404.
VIEW_PERMISSION_FOR: dict[str, str] = {}


def add_perm(name: str, predicate, *, seen_with: str | None = None) -> None:
    """Declare a permission (each app's rules.py does, for its own objects).

    ``seen_with`` names the permission that lets someone see the object, so
    that ``require`` answers 403 rather than 404 to someone who may see it
    but not do this."""
    rules.add_perm(name, predicate)
    if seen_with:
        VIEW_PERMISSION_FOR[name] = seen_with


def require(user, permission: str, obj) -> None:
    """Raise Http404 or PermissionDenied unless ``user`` has ``permission`` on ``obj``."""
    if user.has_perm(permission, obj):
        return
    view_permission = VIEW_PERMISSION_FOR.get(permission)
    if view_permission and user.has_perm(view_permission, obj):
        raise PermissionDenied
    raise Http404
