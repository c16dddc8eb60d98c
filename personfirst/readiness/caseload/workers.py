"""Who a development worker is to an organisation they work with."""

from __future__ import annotations

from django.db.models import F

from personfirst.core.organisations.models import AccessGrant, Membership, Organisation


def worker_organisation(user, organisation: Organisation) -> Organisation | None:
    """The local support and development organisation through which ``user``
    works with ``organisation``: one they belong to, which the organisation
    shares its records with (or once did). None for the organisation's own
    members, and for anyone else."""
    if user is None or Membership.objects.filter(user=user, organisation=organisation).exists():
        return None
    grant = (
        AccessGrant.objects.filter(organisation=organisation, support_organisation__memberships__user=user)
        .select_related("support_organisation")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
        .first()
    )
    return grant.support_organisation if grant else None
