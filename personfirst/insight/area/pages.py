"""Rendered area insight pages and charts, kept in Django's cache for the
snapshot they were made from.

A page's figures are a pure function of the published snapshot
(insight/publish.py: never changed once made), the scope, the instrument
version and the address's filters. So when those are the same as for a
page made before, that page's body is sent again instead of being worked
out and rendered anew. The key holds the snapshot's id and the time it was
made, so a newly published snapshot is never answered from here: there is
nothing to expire.

The cache is Django's (``CACHES`` in settings; docs/operations.md says
which backend to use with several app servers): what one server made, the
others send. Only what is the same for everyone allowed to see the scope
is kept (figures about groups of at least 5 organisations, and, for
development workers, names they may see anyway); who may see a scope is
decided on every request, before anything is looked up here
(views._scope). docs/insight.md has the measurements.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import cache

if TYPE_CHECKING:
    from .models import Snapshot
    from .sources import Scope

# Raise when what is kept changes shape (the body's template, a chart's drawing), so that
# bodies kept by the code before are not sent by the code after on a shared cache.
FORMAT = 1
# A day: a snapshot is replaced at most once a day; a body no one asks for goes sooner on a full cache.
TIMEOUT = 24 * 60 * 60


def key(what: str, snapshot: Snapshot, scope: Scope, *parts: object) -> str:
    """The cache key of ``what`` (a page's body, a chart) of the snapshot for the scope, with the
    rest of the address (``parts``)."""
    return snapshot_key(what, snapshot, scope.key, scope.kind, scope.title, *parts)


def snapshot_key(what: str, snapshot: Snapshot, scope_key: str, *parts: object) -> str:
    """The cache key of ``what`` made from the snapshot for one scope (insight.models.PieceCount.scope)
    and ``parts``: readable up to the scope, then a digest of the rest (keys must be short and
    without spaces for memcached)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    made = snapshot.made_at.isoformat() if snapshot.made_at else ""
    return f"insight:{FORMAT}:{what}:{snapshot.pk}:{made}:{scope_key}:{digest}"


def get_or_make(cache_key: str, make: Callable[[], object]) -> object:
    """What is kept under the key, or ``make()`` kept there. Two servers may both make it, and
    either result is right."""
    kept = cache.get(cache_key)
    if kept is None:
        kept = make()
        cache.set(cache_key, kept, TIMEOUT)
    return kept


def forget() -> None:
    """Forget everything kept (tests: a rolled-back test can make a snapshot with the same id as an
    earlier one; the bench: a page made anew)."""
    cache.clear()
