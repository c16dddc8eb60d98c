"""Writing many changes at once, with the same audit trail as one at a time.

django-auditlog records each ``save()`` and ``delete()`` of an audited model
with its own queries (an UPDATE's entry first reads the old row again; a
delete first looks for what it cascades to) and one INSERT per entry. A
workflow that changes dozens of rows at once (drafting an action plan) pays
that dozens of times. These helpers write the rows in bulk and the entries
in one INSERT, and each entry is the one auditlog would have written for
that row: the same action, changes (worked out by auditlog's own diff), object,
organisation (``get_additional_data``), correlation id and actor (through the
same ``pre_save`` receivers the request's audit context connects).

Use them inside the workflow's transaction, on rows it has locked.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import Model
from django.db.models.deletion import Collector
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str


def _disabled() -> bool:
    try:
        return auditlog_disabled.get()
    except LookupError:
        return False


def _entry(action: int, instance: Model, old: Model | None, new: Model | None, fields=None) -> LogEntry | None:
    """The entry auditlog's receivers would write for this change (None when it would write none)."""
    if not auditlog.contains(instance.__class__):
        return None
    if any(result is False for _receiver, result in pre_log.send(instance.__class__, instance=instance, action=action)):
        return None
    changes = model_instance_diff(
        old, new, fields_to_check=fields, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
    )
    if not changes:
        return None
    pk = LogEntry.objects._get_pk_value(instance)
    try:
        representation = smart_str(instance)
    except ObjectDoesNotExist:
        representation = "<error forming object repr>"
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=pk,
        object_id=pk if isinstance(pk, int) else None,
        object_repr=representation,
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
        cid=get_cid(),
    )
    additional = getattr(instance, "get_additional_data", None)
    if callable(additional):
        entry.additional_data = additional()
    return entry


def _write(entries: Iterable[LogEntry | None]) -> list[LogEntry]:
    entries = [entry for entry in entries if entry is not None]
    for entry in entries:
        # What LogEntry.save() would do first: the request's actor and address (auditlog.context).
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None)
    return LogEntry.objects.bulk_create(entries)


def create(objects: Sequence[Model]) -> list[Model]:
    """``bulk_create`` the objects (one model), and one CREATE entry each."""
    if not objects:
        return []
    created = type(objects[0]).objects.bulk_create(objects)
    if not _disabled():
        _write(_entry(LogEntry.Action.CREATE, obj, None, obj) for obj in created)
    return created


def snapshot(obj: Model) -> Model:
    """A copy of the object as it is now, for ``update`` to compare with after the caller changes it."""
    return copy.copy(obj)


def update(changed: Sequence[tuple[Model, Model]], fields: Sequence[str]) -> None:
    """``bulk_update`` these ``fields`` of the (before, after) pairs' after
    objects (one model), and one UPDATE entry for each that changed, as
    ``save(update_fields=fields)`` would: the entry compares the fields as
    they were with what is saved, and a field set on save (``auto_now``) is
    set after the entry is made."""
    if not changed:
        return
    entries = [] if _disabled() else [_entry(LogEntry.Action.UPDATE, new, old, new, fields) for old, new in changed]
    objects = [new for _old, new in changed]
    model = type(objects[0])
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.name in fields and getattr(field, "auto_now", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    model.objects.bulk_update(objects, list(fields))
    _write(entries)


def delete(objects: Sequence[Model]) -> None:
    """Delete the objects (one model) and what they cascade to, as
    ``obj.delete()`` one by one would, with one DELETE entry for every
    audited row that goes."""
    if not objects:
        return
    using = router.db_for_write(type(objects[0]))
    collector = Collector(using=using, origin=objects)
    collector.collect(list(objects))
    gone = [
        instance for model, instances in collector.data.items() if auditlog.contains(model) for instance in instances
    ]
    entries = [] if _disabled() else [_entry(LogEntry.Action.DELETE, obj, obj, None) for obj in gone]
    with disable_auditlog():
        collector.delete()
    _write(entries)
