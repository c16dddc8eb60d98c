"""The personal data the accounts app holds, and what it looks after for sign-in:
accounts, API tokens, sessions, django-axes' sign-in records and the audit trail
(see personfirst/core/privacy.py for what a declaration is).

Erasure anonymises the account instead of deleting it: the memberships and
records the person contributed to stay, so that counts and aggregate
figures do not change, but nothing left identifies them (decision 0006).
"""

from __future__ import annotations

import json
from datetime import timedelta

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import ApiToken, User

ERASED_NAME = "Erased user"


def erased_address(user: User) -> str:
    return f"erased-{user.pk}@invalid.example"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


# -- Accounts ------------------------------------------------------------------


def _export_account(user: User) -> dict:
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
        }
    }


def _about_them(user: User):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk))


def _account_identities(user: User) -> list[str]:
    """Their name and address now, and every one they had before (the audit
    trail about the account shows those)."""
    found = {user.email, user.full_name}
    for changes in _about_them(user).values_list("changes", flat=True):
        if isinstance(changes, str):  # older auditlog versions stored JSON text
            try:
                changes = json.loads(changes)
            except ValueError:
                continue
        for name in ("email", "full_name"):
            values = (changes or {}).get(name)
            if isinstance(values, list | tuple):
                found.update(v for v in values if isinstance(v, str) and v != "None")
    return [value for value in found if value and value.strip()]


def _erase_account(user: User, identities: list[str]) -> None:
    # Save without leaving a new audit entry that repeats the old values.
    User.objects.filter(pk=user.pk).update(
        email=erased_address(user),
        full_name=ERASED_NAME,
        password=make_password(None),  # unusable: no one can sign in as an erased person
        is_active=False,
        is_superuser=False,
        last_login=None,
        erased_at=timezone.now(),
    )


privacy.holds(
    "accounts.User",
    what="Your account: e-mail address, name, when you joined and last signed in.",
    fields=["email", "full_name", "password", "last_login"],
    keep=Retention("While the account is open; erasing it anonymises it (the row stays, with no name)."),
    export=_export_account,
    erase=_erase_account,
    identities=_account_identities,
    order=90,  # last: the other erasers find the person by their account
)


# -- API tokens ----------------------------------------------------------------


def _export_tokens(user: User) -> dict:
    return {
        "api_tokens": [
            {
                "name": t.name,
                "scopes": t.scopes,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat(),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ]
    }


privacy.holds(
    "accounts.ApiToken",
    what="Your API tokens: their names and when they were made and used (never the token).",
    fields=["user", "name"],
    keep=Retention(
        "Deleted 90 days after it is revoked or expires.",
        period=timedelta(days=90),
        expired=lambda cutoff: ApiToken.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)),
    ),
    export=_export_tokens,
    erase=lambda user, identities: ApiToken.objects.filter(user=user).delete(),
    mentions=["name"],
)

# -- Two-factor sign-in ------------------------------------------------------------


def _export_two_factor(user: User) -> dict:
    return {
        "two_factor_sign_in": [
            {"what": d.name, "set_up": _iso(d.created_at), "last_used": _iso(d.last_used_at)}
            for d in list(TOTPDevice.objects.filter(user=user, confirmed=True))
            + list(StaticDevice.objects.filter(user=user))
        ]
    }


privacy.holds(
    "otp_totp.TOTPDevice",
    what="Your authenticator for two-factor sign-in (its secret is never exported).",
    fields=["user", "name"],
    keep=Retention("While it is set up; it goes when it is turned off or the account is erased."),
    export=_export_two_factor,
    erase=lambda user, identities: TOTPDevice.objects.filter(user=user).delete(),
)
privacy.holds(
    "otp_static.StaticDevice",
    what="Your recovery codes for two-factor sign-in (exported only as how many are left).",
    fields=["user", "name"],
    keep=Retention("While two-factor sign-in is set up; used codes are deleted when used."),
    erase=lambda user, identities: StaticDevice.objects.filter(user=user).delete(),
)

privacy.holds_none(
    "accounts.RequestCount",
    "Password-reset counts hold only a keyed hash (HMAC) of an address, and each row goes after its hour.",
)


# -- Sessions and sign-in records ------------------------------------------------


def _erase_sessions(user: User, identities: list[str]) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


privacy.holds(
    "sessions.Session",
    what="Your sessions (which account is signed in, on which browser).",
    fields=["session_data"],
    keep=Retention(
        "Until it ends (an hour with no request); ended sessions are deleted.",
        period=timedelta(0),
        expired=lambda cutoff: Session.objects.filter(expire_date__lt=cutoff),
    ),
    erase=_erase_sessions,
)


def _typed(identities: list[str]) -> Q:
    typed = Q(pk__in=[])
    for address in (value for value in identities if "@" in value):
        typed |= Q(username__icontains=address)
    return typed


def _export_sign_ins(user: User) -> dict:
    return {
        "sign_ins": [
            {"at": _iso(log.attempt_time), "from": log.ip_address, "browser": log.user_agent}
            for log in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
        ]
    }


def _axes_model(model, says: str, when: str, export=None) -> None:
    privacy.holds(
        model._meta.label,
        what="Sign-in records: the address typed, the network address and browser.",
        fields=["username", "ip_address", "user_agent"],
        keep=Retention(
            says, period=timedelta(days=30), expired=lambda cutoff: model.objects.filter(**{f"{when}__lt": cutoff})
        ),
        export=export,
        erase=lambda user, identities: model.objects.filter(_typed(identities)).delete(),
    )


_axes_model(AccessLog, "30 days from the sign-in.", "attempt_time", export=_export_sign_ins)
_axes_model(AccessFailureLog, "30 days from the failed sign-in.", "attempt_time")
_axes_model(AccessAttempt, "30 days from the failed sign-in (a lock-out ends sooner).", "attempt_time")


# -- The audit trail -------------------------------------------------------------


def _export_changes(user: User) -> dict:
    return {
        "changes_made": [
            {
                "when": e.timestamp.isoformat(),
                "action": e.get_action_display(),
                "what": f"{e.content_type.name}: {e.object_repr}",
            }
            for e in LogEntry.objects.filter(actor=user).select_related("content_type").order_by("timestamp")
        ]
    }


def _erase_from_the_trail(user: User, identities: list[str]) -> None:
    # Entries about the account itself hold its old names and addresses.
    _about_them(user).delete()
    # Every other mention is scrubbed (``mentions``); their own entries also
    # lose the network address and e-mail address they were made from.
    LogEntry.objects.filter(actor=user).update(remote_addr=None, actor_email=None)


privacy.holds(
    "auditlog.LogEntry",
    what="The audit trail: the changes you made, and changes that name you.",
    fields=["actor", "actor_email", "remote_addr", "object_repr", "changes", "changes_text", "serialized_data"],
    keep=Retention(
        "Kept; an operator may delete old entries once their organisation has agreed how long to keep them."
    ),
    export=_export_changes,
    erase=_erase_from_the_trail,
    mentions=["object_repr", "changes", "changes_text", "serialized_data", "actor_email"],
    order=95,  # last: the other erasers' deletions are logged too, and must be scrubbed
)

privacy.holds_none("auth.Group", "Groups are not used: permissions come from role grants.")
privacy.holds_none("auth.Permission", "Django's permission names describe the code, not people.")
