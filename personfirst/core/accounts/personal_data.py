"""Exporting and erasing one person's data (UK GDPR rights of access and erasure).

Erasure anonymises the account instead of deleting it: the memberships and
records the person contributed to stay, so that counts and aggregate
figures do not change, but nothing left identifies them.
"""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName
from personfirst.core.organisations.models import Invitation

from .models import ApiToken, User

ERASED_NAME = "Erased user"


def export(user: User) -> dict:
    """Everything PersonFirst holds about this person, as plain JSON data."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "platform_administrator": RoleGrant.objects.current()
            .filter(user=user, role=RoleName.PLATFORM_ADMIN)
            .exists(),
        },
        "memberships": [
            {
                "organisation": g.organisation.name,
                "role": "admin" if g.role == RoleName.ORGANISATION_ADMIN else "member",
                "since": g.valid_from.isoformat(),
            }
            for g in RoleGrant.objects.current()
            .filter(user=user, role__in=MEMBERSHIP_ROLES)
            .select_related("organisation")
            .order_by("organisation__name")
        ],
        "roles": [
            {
                "role": g.get_role_display(),
                "over": str(g.organisation or g.council_area or "the whole service"),
                "from": g.valid_from.isoformat(),
                "until": g.valid_until.isoformat() if g.valid_until else None,
                "ended": g.revoked_at.isoformat() if g.revoked_at else None,
                "limit": str(g.limit) if g.limit is not None else None,
            }
            for g in RoleGrant.objects.filter(user=user).select_related("organisation", "council_area").order_by("pk")
        ],
        "invitations_received": [
            {"organisation": i.organisation.name, "role": i.role, "status": i.status, "sent": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email=user.email).select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "changes_made": [
            {
                "when": e.timestamp.isoformat(),
                "action": e.get_action_display(),
                "what": f"{e.content_type.name}: {e.object_repr}",
            }
            for e in LogEntry.objects.filter(actor=user).select_related("content_type").order_by("timestamp")
        ],
    }


@transaction.atomic
def erase(user: User) -> None:
    """Remove what identifies the person; keep what the figures are made of."""
    if user.erased_at is not None:
        return
    user_type = ContentType.objects.get_for_model(User)

    # The audit trail must not keep their identity either: not their current
    # name and address, nor any they had before (the trail about them shows those).
    about_them = LogEntry.objects.filter(content_type=user_type, object_pk=str(user.pk))
    identities = _identities(user, about_them)
    about_them.delete()
    mentions = Q(actor=user)
    for needle in identities:
        mentions |= _mentioning(needle)
    for entry in LogEntry.objects.filter(mentions):
        entry.object_repr = _scrub(entry.object_repr, identities)
        entry.changes = _scrub_json(entry.changes, identities)
        entry.changes_text = _scrub(entry.changes_text or "", identities)
        entry.serialized_data = _scrub_json(entry.serialized_data, identities)
        if entry.actor_id == user.pk:
            entry.remote_addr = None
            entry.actor_email = None
        entry.save()

    addresses = [value for value in identities if "@" in value]
    erased_address = Q(pk__in=[])
    for address in addresses:
        erased_address |= Q(email__iexact=address)
    Invitation.objects.filter(erased_address).update(email=f"erased-{user.pk}@invalid.example")
    # Sign-in records (django-axes) keep the address as it was typed.
    typed = Q(pk__in=[])
    for address in addresses:
        typed |= Q(username__icontains=address)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(typed).delete()
    ApiToken.objects.filter(user=user).delete()
    # Roles end, but memberships stay (as anonymised rows) so that an
    # organisation's figures do not change.
    now = timezone.now()
    RoleGrant.objects.current().filter(user=user).exclude(role__in=MEMBERSHIP_ROLES).update(revoked_at=now)
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()

    # Save without leaving a new audit entry that repeats the old values.
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@invalid.example",
        full_name=ERASED_NAME,
        password=make_password(None),  # unusable: no one can sign in as an erased person
        is_active=False,
        is_superuser=False,
        last_login=None,
        erased_at=timezone.now(),
    )
    user.refresh_from_db()


def _identities(user: User, about_them) -> list[str]:
    """Every e-mail address and name the person has had, longest first."""
    found = {user.email, user.full_name}
    for changes in about_them.values_list("changes", flat=True):
        if isinstance(changes, str):  # older auditlog versions stored JSON text
            try:
                changes = json.loads(changes)
            except ValueError:
                continue
        for field in ("email", "full_name"):
            values = (changes or {}).get(field)
            if isinstance(values, list | tuple):
                found.update(v for v in values if isinstance(v, str) and v != "None")
    return sorted((value for value in found if value and value.strip()), key=len, reverse=True)


def _mentioning(needle: str) -> Q:
    # JSON columns hold non-ASCII characters escaped on some databases.
    query = Q()
    for variant in {needle, json.dumps(needle)[1:-1]}:
        query |= (
            Q(object_repr__icontains=variant)
            | Q(changes_text__icontains=variant)
            | Q(changes__icontains=variant)
            | Q(serialized_data__icontains=variant)
        )
    return query


def _scrub(text: str, identities: list[str]) -> str:
    for needle in identities:
        text = text.replace(needle, "[erased]")
    return text


def _scrub_json(value, identities: list[str]):
    if isinstance(value, str):
        return _scrub(value, identities)
    if isinstance(value, list):
        return [_scrub_json(v, identities) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, identities) for k, v in value.items()}
    return value
