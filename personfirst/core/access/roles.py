"""Who may do what: the one place where access to every object is decided.

Roles are derived from memberships, never stored apart from them:

- organisation member / admin: a Membership of that organisation;
- development worker: a member of a local support and development
  organisation, which sees the organisations that granted it access;
- commissioner: a member of a council, which sees aggregated figures for
  its council area only;
- platform administrator: a user with ``is_staff``.

Views and API endpoints ask ``user.has_perm(PERMISSION, obj)`` (through
``access.shortcuts``); the predicates below answer. No HTTP in here.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Membership, Organisation, Role

from .models import RoleGrant


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def current_grants(user, role: str) -> QuerySet[RoleGrant]:
    """The user's grants of ``role`` in force now."""
    if not _signed_in(user):
        return RoleGrant.objects.none()
    return RoleGrant.objects.current().filter(user=user, role=role)


def holds(user, role: str, *, organisation=None, council_area=None) -> bool:
    """Whether the user holds ``role`` now: over that organisation or council
    area when one is given, over anything at all otherwise."""
    grants = current_grants(user, role)
    if organisation is not None:
        grants = grants.filter(organisation=organisation)
    if council_area is not None:
        grants = grants.filter(council_area=council_area)
    return grants.exists()


@rules.predicate
def is_platform_admin(user) -> bool:
    return _signed_in(user) and user.is_staff


@rules.predicate
def is_member(user, organisation: Organisation) -> bool:
    return _signed_in(user) and Membership.objects.filter(user=user, organisation=organisation).exists()


@rules.predicate
def is_admin(user, organisation: Organisation) -> bool:
    return (
        _signed_in(user) and Membership.objects.filter(user=user, organisation=organisation, role=Role.ADMIN).exists()
    )


@rules.predicate
def is_worker_with_access(user, organisation: Organisation) -> bool:
    """A development worker whose support organisation this organisation shares with."""
    return (
        _signed_in(user)
        and AccessGrant.objects.active()
        .filter(organisation=organisation, support_organisation__memberships__user=user)
        .exists()
    )


@rules.predicate
def is_commissioner_for(user, area: CouncilArea) -> bool:
    return (
        _signed_in(user)
        and Membership.objects.filter(
            user=user, organisation__org_type=OrganisationType.COUNCIL, organisation__council_area=area
        ).exists()
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """Every organisation this user may open, as one query (for lists)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.all()
    own = Membership.objects.filter(user=user).values("organisation")
    shared = AccessGrant.objects.active().filter(support_organisation__memberships__user=user).values("organisation")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=shared))


def shared_organisations(user) -> QuerySet[Organisation]:
    """The development worker's caseload: organisations that share with the
    worker's support organisation(s)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    shared = AccessGrant.objects.active().filter(support_organisation__memberships__user=user).values("organisation")
    return Organisation.objects.filter(pk__in=shared)


def commissioned_areas(user) -> QuerySet[CouncilArea]:
    if not _signed_in(user):
        return CouncilArea.objects.none()
    if user.is_staff:
        return CouncilArea.objects.all()
    return CouncilArea.objects.filter(
        organisations__org_type=OrganisationType.COUNCIL, organisations__memberships__user=user
    ).distinct()


# --- Roles several pillars ask about ------------------------------------------
@rules.predicate
def is_development_worker(user) -> bool:
    """A member of a local support and development organisation."""
    return (
        _signed_in(user)
        and Membership.objects.filter(user=user, organisation__org_type=OrganisationType.SUPPORT_DEVELOPMENT).exists()
    )


@rules.predicate
def is_commissioner(user) -> bool:
    """A member of any council."""
    return (
        _signed_in(user)
        and Membership.objects.filter(user=user, organisation__org_type=OrganisationType.COUNCIL).exists()
    )


@rules.predicate
def is_support_organisation(user, organisation: Organisation) -> bool:
    return organisation.is_support_organisation


def shared_with(support_organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations that share their records with this support and
    development organisation (what its development workers can see)."""
    shared = AccessGrant.objects.active().filter(support_organisation=support_organisation).values("organisation")
    return Organisation.objects.filter(pk__in=shared)


def insight_support_organisations(user) -> QuerySet[Organisation]:
    """Support and development organisations whose shared organisations'
    figures this user may see (insight.view_shared), as one query."""
    if not _signed_in(user):
        return Organisation.objects.none()
    support = Organisation.objects.filter(org_type=OrganisationType.SUPPORT_DEVELOPMENT)
    return support if user.is_staff else support.filter(memberships__user=user).distinct()
