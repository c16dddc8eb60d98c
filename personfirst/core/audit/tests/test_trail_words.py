"""The record of changes speaks the service's words: field names as people
read them, a coded value by its label, a related record by its name, dates
without microseconds, and nothing that is not a field of the record."""

from __future__ import annotations

import datetime
import re

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.audit import trail


def entry_for(grant: RoleGrant, changes: dict) -> LogEntry:
    """A log entry as django-auditlog stores one: every value as text."""
    return LogEntry(
        content_type=ContentType.objects.get_for_model(RoleGrant),
        object_pk=str(grant.pk),
        action=LogEntry.Action.UPDATE,
        changes={name: [str(before), str(after)] for name, (before, after) in changes.items()},
    )


def test_a_change_reads_in_words(world):
    grant = RoleGrant.objects.get(user=world.commissioner, role=RoleName.COMMISSIONER)
    ended = timezone.make_aware(datetime.datetime(2026, 11, 30, 16, 5, 7, 123456), datetime.UTC)
    entry = entry_for(
        grant,
        {
            "role": (RoleName.COMMISSIONER.value, RoleName.PRACTITIONER.value),
            "council_area": (None, world.area.pk),
            "revoked_at": (None, ended),
            "revoked_by": (None, world.platform.pk),
            "organisation": (world.org.pk, 987654321),
            "limit": ("None", "25000.00"),
            "role_grants": ("None", "access.RoleGrant.None"),  # not a field of the record
        },
    )

    rows = {field: (before, after) for field, before, after in trail.describe_changes(entry)}

    assert rows["Role"] == ("Commissioner", "Practitioner")
    assert rows["Council area"] == ("", str(world.area))
    assert rows["Revoked at"] == ("", "30 November 2026, 16:05")
    assert rows["Revoked by"] == ("", str(world.platform))
    assert rows["Organisation"] == (str(world.org), "(since deleted)")
    assert rows["Limit"] == ("", "25000.00")
    assert not any("role_grants" in field.lower() or "role grants" in field.lower() for field in rows)
    text = " ".join(f"{field} {before} {after}" for field, (before, after) in rows.items())
    assert "None" not in text
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text), text  # no seconds, no microseconds


def test_the_page_shows_the_words(world, client):
    from auditlog.context import set_actor

    from personfirst.core.organisations.choices import OrganisationType

    organisation = world.org
    other = next(t for t in OrganisationType if t != organisation.org_type)
    before = organisation.get_org_type_display()
    with set_actor(world.admin):
        organisation.org_type = other
        organisation.save()
    client.force_login(world.admin)

    page = client.get(f"/organisations/{organisation.slug}/audit/").content.decode()

    assert f"<strong>Type</strong>: {before} → {other.label}" in page.replace("&#x27;", "'")
    assert not re.search(r"<strong>[^<]*</strong>: [^<]*\.None", page)  # a list of related records
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", page)  # microseconds
