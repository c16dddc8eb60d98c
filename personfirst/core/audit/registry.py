"""Which models the audit trail records, and which fields it never copies.

django-auditlog keeps one shared log (auditlog.LogEntry) with a JSON diff
per change and the person who made it. Each model's
``get_additional_data`` stores the organisation the change belongs to, so
that an organisation admin can read their organisation's trail.
"""

from auditlog.registry import auditlog
from django.apps import apps

# model label -> fields left out of the log (secrets, hashes, noise)
AUDITED = {
    "accounts.User": ["password", "last_login"],
    "accounts.ApiToken": ["key_hash", "last_used_at"],
    "organisations.CouncilArea": [],
    "organisations.Organisation": [],
    "organisations.AccessGrant": [],
    "organisations.Invitation": ["token_hash"],
    # Two-factor sign-in: that an authenticator or recovery codes were set up or
    # removed, never the secret, nor the counters every sign-in changes.
    "otp_totp.TOTPDevice": [
        "key",
        "last_t",
        "drift",
        "throttling_failure_timestamp",
        "throttling_failure_count",
        "last_used_at",
    ],
    "otp_static.StaticDevice": ["throttling_failure_timestamp", "throttling_failure_count", "last_used_at"],
}


def audited_labels() -> list[str]:
    return list(AUDITED)


# model label -> fields whose changes are recorded without their values
# (what people typed about a person: the log keeps that the field changed, never what it says)
WITHHELD: dict[str, list[str]] = {}
WITHHELD_VALUE = "(not kept in the log)"


def withheld(value: str) -> str:
    """django-auditlog's mask for a withheld field: nothing of the value is kept."""
    return WITHHELD_VALUE


def register(label: str, exclude: list[str] | None = None, withhold: list[str] | None = None) -> None:
    """Register one more model (used by apps added later, e.g. readiness).

    ``exclude`` leaves fields out of the log altogether (secrets, noise);
    ``withhold`` records that a field changed but not its value (free text
    about a person)."""
    AUDITED[label] = exclude or []
    WITHHELD[label] = withhold or []
    auditlog.register(
        apps.get_model(label),
        exclude_fields=AUDITED[label],
        mask_fields=WITHHELD[label],
        mask_callable="personfirst.core.audit.registry.withheld",
    )


def register_models() -> None:
    for label, exclude in AUDITED.items():
        register(label, exclude, WITHHELD.get(label))
