"""Giving and ending roles (access.RoleGrant). No HTTP in here.

Every grant records who gave it; every end records who ended it; the audit
trail (django-auditlog) keeps both changes. Both are safe when two people
do the same at once: giving a role locks the person's row first, so two
requests cannot both find "no such role yet" and give it twice; ending one
locks the grant.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import RoleGrant, RoleName


class RoleError(Exception):
    """A role that cannot be given or ended, with a message for the person
    and the form field it is about (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def start_of(day: datetime.date | None) -> datetime.datetime | None:
    """The first moment of ``day`` in the service's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def grant(
    *,
    user,
    role: str,
    by,
    organisation=None,
    council_area=None,
    person=None,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
    limit: Decimal | None = None,
) -> RoleGrant:
    """Give ``user`` the role over the scope. If they already hold it there
    (now or from a date to come) without an end, that grant is returned
    unchanged, so giving a role twice gives it once."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    scope = {"organisation": organisation, "council_area": council_area, "person": person}
    existing = (
        RoleGrant.objects.not_ended()
        .filter(user=user, role=role, **scope)
        .filter(valid_until__isnull=True, limit=limit)
        .order_by("valid_from")
        .first()
    )
    if existing is not None and valid_until is None:
        return existing
    new = RoleGrant(
        user=user,
        role=role,
        granted_by=by,
        valid_from=valid_from or timezone.now(),
        valid_until=valid_until,
        limit=limit,
        **scope,
    )
    try:
        new.full_clean(exclude=["user", "granted_by", "revoked_by", *scope])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RoleError(messages[0], None if field == "__all__" else field) from None
    new.save()
    return new


@transaction.atomic
def end(role_grant: RoleGrant, *, by) -> RoleGrant:
    """End a grant now. Ending one already ended changes nothing."""
    locked = RoleGrant.objects.select_for_update().get(pk=role_grant.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


@transaction.atomic
def end_role(role_grant: RoleGrant, *, by) -> RoleGrant:
    """End a role given on a roles page. The last platform administrator's
    role cannot end: no one could give it again. Every platform
    administrator's grant is locked first, so two of them ending each
    other's role at once cannot both succeed."""
    if role_grant.role == RoleName.PLATFORM_ADMIN and role_grant.revoked_at is None:
        admins = list(RoleGrant.objects.current().select_for_update().filter(role=RoleName.PLATFORM_ADMIN))
        if not any(grant.pk != role_grant.pk and grant.user_id != role_grant.user_id for grant in admins):
            raise RoleError(
                "You cannot end the only platform administrator's role. Give the role to someone else first."
            )
    return end(role_grant, by=by)
