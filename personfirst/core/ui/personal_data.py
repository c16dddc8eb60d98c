"""The admin site's own log of changes made through it (see personfirst/core/privacy.py)."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry

from personfirst.core import privacy
from personfirst.core.privacy import Retention

privacy.holds(
    "admin.LogEntry",
    what="Changes made in the admin site, and who made them.",
    fields=["user", "object_repr", "change_message"],
    keep=Retention("As long as the audit trail."),
    export=lambda user: {
        "admin_site_changes": [
            {
                "when": e.action_time.isoformat(),
                "what": f"{e.content_type.name if e.content_type else ''}: {e.object_repr}",
            }
            for e in LogEntry.objects.filter(user=user).select_related("content_type").order_by("action_time")
        ]
    },
    mentions=["object_repr", "change_message"],
    order=95,
)
