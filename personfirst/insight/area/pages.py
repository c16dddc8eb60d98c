"""Rendered area insight pages, kept in memory for the snapshot they were
made from.

A page's figures are a pure function of the published snapshot
(insight/publish.py: never changed once made), the scope, the instrument
version and the address's filters. So when those are the same as for a
page made before, that page's body is sent again instead of being worked
out and rendered anew. A new snapshot has a new id, so a changed figure is
never served from here: there is nothing to expire.

Per process and bounded (``SIZE`` bodies, least recently used dropped
first): each app server keeps its own. No personal data is kept: the body
is the same for everyone allowed to see the scope, and holds figures about
groups of at least 5 organisations (and, for development workers, names
they may see anyway). docs/insight.md has the measurements.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

SIZE = 32


class Bodies:
    """Least recently used first out, safe to share between threads."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._bodies: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], str]) -> str:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
                return body
        body = make()  # outside the lock: two threads may both make it, and either result is right
        with self._lock:
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return body

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()


bodies = Bodies()


def forget() -> None:
    """Forget every kept body and everything kept about snapshots (tests: a
    rolled-back test can make a snapshot with the same id as an earlier one)."""
    from . import publish, report, sources

    bodies.clear()
    publish._snapshot.cache_clear()
    sources._view.cache_clear()
    report._counted.cache_clear()
