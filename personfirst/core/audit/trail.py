"""Reading the audit trail for one organisation."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Field, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime

from personfirst.core.organisations.models import Organisation


def entries_for(organisation: Organisation) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.filter(additional_data__organisation_id=organisation.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def recent_by_others(organisations, user, limit: int = 5) -> list[LogEntry]:
    """The latest changes to these organisations' records made by someone
    other than ``user`` (the system's own changes included), newest first."""
    ids = [organisation.pk for organisation in organisations]
    if not ids:
        return []
    entries = (
        LogEntry.objects.filter(additional_data__organisation_id__in=ids)
        .exclude(actor=user)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    return list(entries[:limit])


def _in_words(field: Field | None, value) -> str:
    """A value as the change log stored it (text), in the words a person
    reads: a choice's label, a related record's name, a date as a date."""
    if value in (None, "None", ""):
        return ""
    text = str(value)
    if field is None:
        return text
    if field.choices:
        return {str(k): str(v) for k, v in field.flatchoices}.get(text, text)
    if field.is_relation and field.related_model is not None:
        try:
            related = field.related_model._default_manager.filter(pk=text).first()
        except (ValueError, ValidationError):  # not an id: a withheld value, shown as it was stored
            return text
        return str(related) if related is not None else "(since deleted)"
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(text)
        if moment is None:
            return text
        if timezone.is_naive(moment):  # stored in UTC, without saying so
            moment = timezone.make_aware(moment, datetime.UTC)
        return formats.date_format(timezone.localtime(moment), "j F Y, H:i")
    if isinstance(field, models.DateField):
        day = parse_date(text)
        return formats.date_format(day, "j F Y") if day else text
    if isinstance(field, models.BooleanField):
        return {"True": "yes", "False": "no"}.get(text, text)
    return text


def describe_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows for a template, in the words the service
    uses: the field's own name, a coded value (a role, a status) as its
    label, a related record by its name, dates without seconds. What is not
    a field of the record itself (a list of related records) is left out."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    fields = {f.name: f for f in model._meta.concrete_fields} if model is not None else {}
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        if model is not None and name not in fields:
            continue
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
        else:  # other shapes: show what there is
            before, after = "", str(values)
        field = fields.get(name)
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        rows.append((label[:1].upper() + label[1:], _in_words(field, before), _in_words(field, after)))
    return rows
