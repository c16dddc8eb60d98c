"""The personal data the access app holds: role grants (see personfirst/core/privacy.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import MEMBERSHIP_ROLES, RoleGrant, RoleName


def _export_roles(user) -> dict:
    return {
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
                "over": str(
                    g.organisation or g.council_area or (g.person and g.person.reference) or "the whole service"
                ),
                "from": g.valid_from.isoformat(),
                "until": g.valid_until.isoformat() if g.valid_until else None,
                "ended": g.revoked_at.isoformat() if g.revoked_at else None,
                "limit": str(g.limit) if g.limit is not None else None,
            }
            for g in RoleGrant.objects.filter(user=user)
            .select_related("organisation", "council_area", "person")
            .order_by("pk")
        ],
        "roles_given_or_ended": [
            {"role": g.get_role_display(), "to": g.user.display_name, "given": g.granted_by_id == user.pk}
            for g in RoleGrant.objects.filter(Q(granted_by=user) | Q(revoked_by=user))
            .exclude(user=user)
            .select_related("user")
            .order_by("pk")
        ],
    }


def _end_roles(user, identities: list[str]) -> None:
    # Roles end, but memberships stay (as anonymised rows) so that an
    # organisation's figures do not change.
    RoleGrant.objects.current().filter(user=user).exclude(role__in=MEMBERSHIP_ROLES).update(revoked_at=timezone.now())


privacy.holds(
    "access.RoleGrant",
    what="Your roles: which, over what, from when until when, and who gave and ended them.",
    fields=["user", "person", "granted_by", "revoked_by"],
    keep=Retention(
        "Kept, ended or not: they show who could see what, and when. Erasure ends the roles; "
        "the rows stay linked to the anonymised account."
    ),
    export=_export_roles,
    erase=_end_roles,
)
