"""Changes written in bulk leave the same record of changes as one at a time."""

from __future__ import annotations

import pytest
from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from personfirst.core.access.models import RoleName
from personfirst.core.audit import bulk
from personfirst.core.organisations.models import Invitation, Organisation

CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE
# What differs between two otherwise equal organisations made one after the other.
OWN = {"id", "name", "slug", "created_at", "updated_at"}


def entries(obj, action=None):
    found = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("pk")
    return list(found if action is None else found.filter(action=action))


def comparable(entry: LogEntry) -> dict:
    return {
        "action": entry.action,
        "changes": {k: v for k, v in entry.changes_dict.items() if k not in OWN},
        "fields": set(entry.changes_dict),
        "actor": entry.actor_id,
        "organisation": (entry.additional_data or {}).get("organisation_id") is not None,
        "cid": entry.cid,
    }


def organisation(world, n: int) -> Organisation:
    return Organisation(name=f"Bulk {n}", slug=f"bulk-{n}", org_type="voluntary", council_area=world.area)


def test_creating_in_bulk_logs_each_row_as_saving_it_would(world):
    with set_actor(world.platform):
        one = organisation(world, 1)
        one.save()
        made = bulk.create([organisation(world, 2), organisation(world, 3)])
    assert all(obj.pk for obj in made)
    (single,) = entries(one)
    for obj in made:
        (entry,) = entries(obj)
        assert comparable(entry) == comparable(single)
        assert entry.actor == world.platform
        assert entry.object_repr == str(obj)
        assert entry.changes_dict["name"] == ["None", obj.name]


def test_updating_in_bulk_logs_the_fields_that_changed_as_save_would(world):
    first, second, untouched = bulk.create([organisation(world, n) for n in (1, 2, 3)])
    with set_actor(world.admin):
        first.description = "Changed one at a time"
        first.save(update_fields=["description", "updated_at"])
        before = bulk.snapshot(second)
        second.description = "Changed one at a time"
        same = bulk.snapshot(untouched)
        bulk.update([(before, second), (same, untouched)], ["description", "updated_at"])
    (single,) = entries(first, UPDATE)
    (entry,) = entries(second, UPDATE)
    assert comparable(entry) == comparable(single)
    assert entry.changes_dict == {"description": ["", "Changed one at a time"]}
    assert entries(untouched, UPDATE) == []  # nothing changed: nothing logged, as save() would
    second.refresh_from_db()
    assert second.description == "Changed one at a time"
    assert second.updated_at > before.updated_at  # auto_now, as save() sets it


def test_deleting_in_bulk_logs_each_row_and_what_it_cascades_to(world):
    kept, gone, also_gone = bulk.create([organisation(world, n) for n in (1, 2, 3)])
    invitation, _token = Invitation.create(
        organisation=gone, email="someone@example.org", role=RoleName.ORGANISATION_MEMBER, invited_by=world.admin
    )
    invitation_pk, gone_pk = invitation.pk, gone.pk
    with set_actor(world.platform):
        bulk.delete([gone, also_gone])
    assert list(Organisation.objects.filter(slug__startswith="bulk-")) == [kept]
    assert not Invitation.objects.filter(pk=invitation_pk).exists()
    deleted = LogEntry.objects.filter(action=DELETE, actor=world.platform)
    assert sorted(deleted.values_list("object_repr", flat=True)) == sorted(["Bulk 2", "Bulk 3", str(invitation)])
    org_entry = deleted.get(object_pk=str(gone_pk), content_type=ContentType.objects.get_for_model(Organisation))
    assert org_entry.changes_dict["name"] == ["Bulk 2", "None"]


def test_nothing_is_logged_while_the_audit_trail_is_switched_off(world):
    with disable_auditlog():
        made = bulk.create([organisation(world, 1)])
        bulk.delete(made)
    assert LogEntry.objects.filter(object_repr="Bulk 1").count() == 0


@pytest.mark.parametrize("call", [bulk.create, bulk.delete, lambda objects: bulk.update(objects, ["name"])])
def test_nothing_to_do_asks_nothing(call, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        call([])
