"""The shared pieces of personfirst/core/concurrency.py: locks only inside a transaction,
and a row read again that has gone is a ConflictError with the given words."""

from __future__ import annotations

import pytest
from django.db import transaction

from personfirst.core.concurrency import ConflictError, lock, refresh_locked
from personfirst.core.organisations.models import Organisation


@pytest.mark.django_db(transaction=True)  # a plain test runs inside a transaction of its own
def test_locks_outside_a_transaction_are_refused_on_every_database(world):
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        lock(Organisation.objects.filter(pk=world.org.pk))
    with pytest.raises(RuntimeError):
        refresh_locked(world.org, "gone")


@pytest.mark.django_db(transaction=True)
def test_a_row_read_again_is_current_or_a_conflict(world):
    stale = Organisation.objects.get(pk=world.unshared.pk)
    Organisation.objects.filter(pk=stale.pk).update(name="Beech House Trust")
    with transaction.atomic():
        assert lock(Organisation.objects.filter(pk=stale.pk), no_key=True) == [stale.pk]
        assert refresh_locked(stale, "gone").name == "Beech House Trust"
    Organisation.objects.filter(pk=stale.pk).delete()
    with transaction.atomic(), pytest.raises(ConflictError) as gone:
        refresh_locked(stale, "Beech House has been removed.")
    assert (gone.value.message, gone.value.current) == ("Beech House has been removed.", None)
