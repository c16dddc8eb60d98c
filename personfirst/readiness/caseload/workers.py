"""Who a development worker is to an organisation they work with."""

from __future__ import annotations

from django.db.models import F

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName
from personfirst.core.organisations.models import AccessGrant, Organisation


def worker_organisation(user, organisation: Organisation) -> Organisation | None:
    """The local support and development organisation through which ``user``
    works with ``organisation``: one they are (or were) a development worker
    for, which the organisation shares its records with (or once did). None
    for the organisation's own members, and for anyone else."""
    if user is None:
        return None
    own = RoleGrant.objects.current().filter(user=user, organisation=organisation, role__in=MEMBERSHIP_ROLES)
    if own.exists():
        return None
    worked_for = RoleGrant.objects.filter(user=user, role=RoleName.DEVELOPMENT_WORKER).values("organisation")
    grant = (
        AccessGrant.objects.filter(organisation=organisation, support_organisation__in=worked_for)
        .select_related("support_organisation")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
        .first()
    )
    return grant.support_organisation if grant else None
