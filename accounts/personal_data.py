"""Exporting and erasing one person's data (UK GDPR rights of access and erasure).

Erasure anonymises the account instead of deleting it: the memberships and
records the person contributed to stay, so that counts and aggregate
figures do not change, but nothing left identifies them.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Invitation, Membership

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
            "platform_administrator": user.is_staff,
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("organisation")
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
    email, name = user.email, user.full_name
    user_type = ContentType.objects.get_for_model(User)

    # The audit trail must not keep their identity either.
    about_them = LogEntry.objects.filter(content_type=user_type, object_pk=str(user.pk))
    about_them.delete()
    mentions = Q(object_repr__icontains=email) | Q(actor=user)
    if name:
        mentions |= Q(object_repr__icontains=name)
    for entry in LogEntry.objects.filter(mentions):
        entry.object_repr = _scrub(entry.object_repr, email, name)
        entry.changes = _scrub_json(entry.changes, email, name)
        entry.changes_text = _scrub(entry.changes_text or "", email, name)
        entry.serialized_data = _scrub_json(entry.serialized_data, email, name)
        if entry.actor_id == user.pk:
            entry.remote_addr = None
            entry.actor_email = None
        entry.save()

    Invitation.objects.filter(email=email).update(email=f"erased-{user.pk}@invalid.example")
    ApiToken.objects.filter(user=user).delete()
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()

    # Save without leaving a new audit entry that repeats the old values.
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@invalid.example",
        full_name=ERASED_NAME,
        password="!",
        is_active=False,
        is_staff=False,
        is_superuser=False,
        last_login=None,
        erased_at=timezone.now(),
    )
    user.refresh_from_db()


def _scrub(text: str, email: str, name: str) -> str:
    text = text.replace(email, "[erased]")
    if name:
        text = text.replace(name, "[erased]")
    return text


def _scrub_json(value, email: str, name: str):
    if isinstance(value, str):
        return _scrub(value, email, name)
    if isinstance(value, list):
        return [_scrub_json(v, email, name) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, email, name) for k, v in value.items()}
    return value
