"""Opening a person's record: the one place that checks the rules and logs
the read. Every page and API endpoint that shows any part of a record calls
``open_record`` (never a template, never a query of its own), so no read
goes unlogged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from personfirst.core.access.shortcuts import require

from . import rules as people_rules
from .models import Person, RecordRead


class ReasonNeeded(Exception):
    """The reader may read the record only after giving a reason."""

    def __init__(self, person: Person) -> None:
        super().__init__("Give a reason to read this record.")
        self.person = person


@dataclass(frozen=True)
class Access:
    """Why someone may read a record now."""

    as_role: str  # "the person", "carer", "practitioner", "with a reason"...
    routine: bool
    reason: str = ""


def access_for(user, person: Person) -> Access | None:
    """How ``user`` may read ``person``'s record now, or None."""
    if people_rules.is_the_person(user, person):
        return Access("the person", routine=True)
    supporter = person.supporters.current().filter(user=user).first() if user.is_authenticated else None
    if supporter is not None:
        return Access(supporter.get_kind_display().lower(), routine=True)
    if people_rules.is_practitioner_for(user, person):
        return Access("practitioner", routine=True)
    if people_rules.has_given_reason(user, person):
        given = person.exceptional_access.filter(user=user, ends_at__gt=timezone.now()).first()
        return Access("with a reason", routine=False, reason=given.reason)
    return None


def log_read(user, person: Person, what: str, access: Access) -> RecordRead:
    return RecordRead.objects.create(
        person=person, user=user, what=what, as_role=access.as_role, routine=access.routine, reason=access.reason
    )


def open_record(user, pk, what: str, permission: str = people_rules.VIEW) -> Person:
    """The person's record, if ``user`` may read it (and has ``permission``),
    with the read logged. Raises Http404 for a record they may not know of,
    PermissionDenied for one they may read but not do this to, and
    ReasonNeeded when they must give a reason first."""
    try:
        person = Person.objects.select_related("council_area", "user").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(people_rules.VIEW, person) and user.has_perm("people.give_reason", person):
        raise ReasonNeeded(person)
    require(user, permission, person)
    access = access_for(user, person)
    if access is None:  # the rules and access_for disagree: refuse rather than read unlogged
        raise PermissionDenied
    log_read(user, person, what, access)
    return person
