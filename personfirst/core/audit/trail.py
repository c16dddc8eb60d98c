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


def _labels(entry: LogEntry) -> dict[str, dict[str, str]]:
    """For each field of the entry's model with fixed choices: code -> words."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return {}
    return {f.name: {str(k): str(v) for k, v in f.flatchoices} for f in model._meta.fields if f.choices}


def describe_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows for a template; a coded value (a role, a
    status) in the words the service uses for it."""
    changes = entry.changes_dict or {}
    labels = _labels(entry)
    rows = []
    for field, values in changes.items():
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
        else:  # many-to-many and other shapes: show what there is
            before, after = "", str(values)
        words = labels.get(field, {})
        before, after = words.get(str(before), before), words.get(str(after), after)
        rows.append(
            (
                field.replace("_", " "),
                "" if before in (None, "None") else str(before),
                "" if after in (None, "None") else str(after),
            )
        )
    return rows
