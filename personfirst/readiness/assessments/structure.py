"""An instrument version's sections and items, read once per process.

A version never changes once loaded (loading.py makes a new version, with a
new revision, for new content), and every page about an assessment needs
its version's sections with their items: the task list, each section page,
each save, submitting, results. So they are read from the database once
per version and kept, instead of two queries (and the prefetch's work) on
every request.

Kept per version by (id, content hash, time loaded), so a version deleted
and made again (a test database rolled back, a fresh database) is never
mistaken for the old one; a Section or Item saved or deleted in this
process empties the store (the loader creates them in the version's own
transaction, before anyone reads them; nothing else changes them).

What is kept is shared by every request of the process: read it, never
set attributes on it. Answers and everything about an organisation or a
person are never kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .models import InstrumentVersion, Item, Section

# Instrument versions in use at once are few; an old one read again is read from the database again.
KEPT_VERSIONS = 32

_kept: OrderedDict[tuple, tuple[Section, ...]] = OrderedDict()
_lock = threading.Lock()


def _key(version: InstrumentVersion) -> tuple:
    return (version.pk, version.content_hash, version.loaded_at)


def sections_of(version: InstrumentVersion) -> tuple[Section, ...]:
    """The version's sections in order, each with its items (``section.items.all()``
    asks no more queries). Read from the database the first time only."""
    key = _key(version)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    sections = tuple(Section.objects.filter(version_id=version.pk).prefetch_related("items"))
    with _lock:
        _kept[key] = sections
        while len(_kept) > KEPT_VERSIONS:
            _kept.popitem(last=False)
    return sections


def items_of(version: InstrumentVersion) -> dict[int, Item]:
    """The version's items by id (from sections_of)."""
    return {item.pk: item for section in sections_of(version) for item in section.items.all()}


def forget(**_kwargs) -> None:
    """Empty the store (a Section or Item was saved or deleted)."""
    with _lock:
        _kept.clear()
