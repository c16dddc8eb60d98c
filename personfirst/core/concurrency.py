"""What every workflow that reads, decides and writes uses to stay right
when two requests arrive at once.

The rule: take the lock first, then read what the decision depends on, in
the same transaction. On PostgreSQL the locks are row locks
(``SELECT ... FOR UPDATE``), and each statement after the lock sees every
change committed before it. On SQLite ``select_for_update`` does nothing,
but every transaction is IMMEDIATE (``personfirst/settings/base.py``): it
holds the database's only write lock from its first statement, so reading
inside it is enough. Either way, what a service reads before the lock (or a
view read before calling it) may be out of date and is read again.

When the thing has gone, or is no longer in the state the person decided
on, the service raises ``ConflictError`` with the current state: the web
pages show its message, the API answers 409 with it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, QuerySet


class ConflictError(Exception):
    """Someone else changed or removed this while the person was deciding.

    ``message`` says what happened, in the service's words; ``current`` is
    the thing as it is now (None when it has gone).
    """

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


def _in_transaction(using: str) -> None:
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("Take locks inside transaction.atomic: outside one they hold nothing.")


def lock(queryset: QuerySet, *, no_key: bool = False) -> list:
    """Lock the rows of ``queryset`` until the end of the transaction and
    return their primary keys. ``no_key`` (PostgreSQL's FOR NO KEY UPDATE)
    still lets other transactions insert rows that refer to them."""
    _in_transaction(queryset.db)
    return list(queryset.select_for_update(no_key=no_key).values_list("pk", flat=True))


def refresh_locked(instance: Model, gone: str) -> Model:
    """Read ``instance`` again, in place, locking its row until the end of the
    transaction; ``ConflictError(gone)`` if it has been deleted meanwhile."""
    manager = type(instance)._default_manager
    _in_transaction(manager.db)
    try:
        instance.refresh_from_db(from_queryset=manager.select_for_update())
    except ObjectDoesNotExist:
        raise ConflictError(gone) from None
    return instance
