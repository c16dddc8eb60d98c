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
    "organisations.Membership": [],
    "organisations.AccessGrant": [],
    "organisations.Invitation": ["token_hash"],
}


def audited_labels() -> list[str]:
    return list(AUDITED)


def register(label: str, exclude: list[str] | None = None) -> None:
    """Register one more model (used by apps added later, e.g. readiness)."""
    AUDITED[label] = exclude or []
    auditlog.register(apps.get_model(label), exclude_fields=AUDITED[label])


def register_models() -> None:
    for label, exclude in AUDITED.items():
        auditlog.register(apps.get_model(label), exclude_fields=exclude)
