"""What the pages of every SDS app share: opening the person's record
(through people.records.open_record, so every read is logged) and the
context of the record's tabs."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import redirect

from personfirst.core.people import records
from personfirst.core.people.views import record_tabs


def open_person(request: HttpRequest, pk, what: str, permission: str = "people.view_person"):
    """(person, None), or (None, a redirect to give a reason first)."""
    try:
        return records.open_record(request.user, pk, what, permission), None
    except records.ReasonNeeded as needed:
        return None, redirect("people:reason", pk=needed.person.pk)


def record_context(request: HttpRequest, person, section: str, **extra) -> dict:
    return {
        "person": person,
        "section": section,
        "is_self": person.user_id == request.user.pk,
        "tabs": record_tabs(request.user, person),
        **extra,
    }
