"""The personal data the organisations app holds (see personfirst/core/privacy.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import AccessGrant, Invitation


def _addresses(identities: list[str]) -> Q:
    query = Q(pk__in=[])
    for address in (value for value in identities if "@" in value):
        query |= Q(email__iexact=address)
    return query


def _export_invitations(user) -> dict:
    return {
        "invitations_received": [
            {"organisation": i.organisation.name, "role": i.role, "status": i.status, "sent": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("organisation")
        ],
        "invitations_sent": [
            {"organisation": i.organisation.name, "to": i.email, "role": i.role, "sent": i.created_at.isoformat()}
            for i in Invitation.objects.filter(invited_by=user).select_related("organisation")
        ],
    }


def _erase_invitations(user, identities: list[str]) -> None:
    from personfirst.core.accounts.personal_data import erased_address

    Invitation.objects.filter(_addresses(identities)).update(email=erased_address(user))


privacy.holds(
    "organisations.Invitation",
    what="Invitations to join an organisation: the address they were sent to, and who sent them.",
    fields=["email", "invited_by"],
    keep=Retention(
        "Deleted a year after it was sent, once accepted, cancelled or expired.",
        period=timedelta(days=365),
        expired=lambda cutoff: Invitation.objects.filter(created_at__lt=cutoff).filter(
            Q(accepted_at__isnull=False) | Q(revoked_at__isnull=False) | Q(expires_at__lt=cutoff)
        ),
    ),
    export=_export_invitations,
    erase=_erase_invitations,
)


def _export_sharing(user) -> dict:
    rows = AccessGrant.objects.filter(Q(granted_by=user) | Q(revoked_by=user)).select_related(
        "organisation", "support_organisation"
    )
    return {
        "sharing_decisions": [
            {
                "organisation": g.organisation.name,
                "shared_with": g.support_organisation.name,
                "you": "started and ended it"
                if g.granted_by_id == g.revoked_by_id == user.pk
                else ("started it" if g.granted_by_id == user.pk else "ended it"),
                "started": g.created_at.isoformat(),
                "ended": g.revoked_at.isoformat() if g.revoked_at else None,
            }
            for g in rows
        ]
    }


privacy.holds(
    "organisations.AccessGrant",
    what="Who started and ended an organisation's sharing with a support organisation.",
    fields=["granted_by", "revoked_by"],
    keep=Retention("As long as the organisation; the erased account stays linked, with no name."),
    export=_export_sharing,
)

privacy.holds_none(
    "organisations.Organisation", "An organisation's name, profile and description are about the organisation."
)
privacy.holds_none("organisations.CouncilArea", "Council areas' names and codes are public.")
