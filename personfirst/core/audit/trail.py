"""Reading the audit trail for one organisation."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from personfirst.core.organisations.models import Organisation


def entries_for(organisation: Organisation) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.filter(additional_data__organisation_id=organisation.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def describe_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows for a template."""
    changes = entry.changes_dict or {}
    rows = []
    for field, values in changes.items():
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
        else:  # many-to-many and other shapes: show what there is
            before, after = "", str(values)
        rows.append(
            (
                field.replace("_", " "),
                "" if before in (None, "None") else str(before),
                "" if after in (None, "None") else str(after),
            )
        )
    return rows
