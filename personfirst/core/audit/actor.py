"""Naming who made the changes in a request, when the audit middleware could not.

AuditlogMiddleware reads ``request.user`` before the view runs. Someone who
creates their account during the request (accepting an invitation) is only
known later; this names them for the rest of the request's changes.
"""

from __future__ import annotations

from auditlog.context import auditlog_value


def attribute_changes_to(user) -> None:
    try:
        context = auditlog_value.get()
    except LookupError:  # not inside a request: nothing to attribute
        return
    if context.get("actor") is None:
        context["actor"] = user
