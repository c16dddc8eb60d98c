"""Shared predicates: who holds which role, over what (docs/decisions/0010).

Roles are stored as dated grants (``access.RoleGrant``), never inferred
from an organisation's type or from flags on the user:

- organisation member / administrator: a grant over that organisation;
- development worker: a grant over their local support and development
  organisation; they see an organisation that shares with it (an active
  ``organisations.AccessGrant``), and of its records only the parts it
  shares (its assessments, its action plan);
- commissioner, council administrator, practitioner...: a grant over a
  council area;
- platform administrator: a grant over the whole service.

A grant counts while it is current: started, not past its end, not ended.
Being a superuser counts for nothing (accounts.User.has_perm).

Each app declares its permissions in its own ``rules.py`` on these
predicates; views and API endpoints ask ``user.has_perm(PERMISSION, obj)``
(through ``access.shortcuts``). No HTTP in here.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.db.models import Q, QuerySet

from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Organisation

from .models import MEMBERSHIP_ROLES, SENSITIVE_ROLES, RoleGrant, RoleName

# The parts of its records an organisation may share with a support organisation.
ASSESSMENTS = "assessments"
PLAN = "plan"
PARTS = (ASSESSMENTS, PLAN)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def current_grants(user, role: str | None = None) -> QuerySet[RoleGrant]:
    """The user's grants in force now (of ``role``, when given)."""
    if not _signed_in(user):
        return RoleGrant.objects.none()
    grants = RoleGrant.objects.current().filter(user=user)
    return grants if role is None else grants.filter(role=role)


# The attribute on request.user where access.middleware keeps, for one
# request, what the person may reach (see _for_this_request()).
ROLE_CACHE = "_personfirst_roles_held"

# Bumped whenever a role grant or a sharing agreement is saved or deleted in
# this process (access/apps.py connects it), so a request that changes one
# and then asks again gets the new answer, not its own stale copy.
_changes = 0


def forget_cached_access(**_kwargs) -> None:
    global _changes
    _changes += 1


@dataclass(frozen=True)
class _Reach:
    """Every grant the person holds now, and what organisations share with
    their support organisations: loaded once for a request, two queries."""

    changes: int
    grants: frozenset[tuple[str, int | None, int | None, int | None]]  # role, organisation, area, person
    roles: frozenset[str]
    sharing: dict[int, tuple[bool, bool]]  # organisation -> (assessments, plan)

    @classmethod
    def load(cls, user) -> _Reach:
        grants = frozenset(current_grants(user).values_list("role", "organisation_id", "council_area_id", "person_id"))
        workers_for = [org for role, org, _area, _person in grants if role == RoleName.DEVELOPMENT_WORKER and org]
        sharing: dict[int, tuple[bool, bool]] = {}
        if workers_for:
            rows = AccessGrant.objects.active().filter(support_organisation__in=workers_for)
            for organisation, assessments, plan in rows.values_list("organisation_id", ASSESSMENTS, PLAN):
                was = sharing.get(organisation, (False, False))
                sharing[organisation] = (was[0] or assessments, was[1] or plan)
        return cls(_changes, grants, frozenset(g[0] for g in grants), sharing)


def _for_this_request(user) -> _Reach | None:
    """What the person may reach, kept on this request's user object (None
    outside a request: then every question asks the database)."""
    cache = getattr(user, ROLE_CACHE, None)
    if cache is None or not _signed_in(user):
        return None
    reach = cache.get("reach")
    if reach is None or reach.changes != _changes:
        reach = cache["reach"] = _Reach.load(user)
    return reach


def kept_for_request(user, key, load):
    """``load()``, asked once per request for this user and ``key`` (a
    pillar's own question about the person's access, such as "are they a
    respondent of this assessment?"), kept with the request's roles and
    forgotten with them when a grant, a sharing agreement or anything a
    pillar connects to forget_cached_access changes. Outside a request,
    ``load()`` every time."""
    cache = getattr(user, ROLE_CACHE, None)
    if cache is None or not _signed_in(user):
        return load()
    kept = cache.get(key)
    if kept is None or kept[0] != _changes:
        kept = cache[key] = (_changes, load())
    return kept[1]


def _pk(value) -> int | None:
    return None if value is None else getattr(value, "pk", value)


def holds(user, role: str, *, organisation=None, council_area=None, person=None) -> bool:
    """Whether the user holds ``role`` now: over that organisation, council
    area or person when one is given, over anything at all otherwise (so a
    predicate about one object must not pass None here)."""
    reach = _for_this_request(user)
    if reach is not None:
        if organisation is None and council_area is None and person is None:
            return role in reach.roles
        given = (organisation, council_area, person)
        wanted = tuple(_pk(value) for value in given)
        if any(want is None and value is not None for want, value in zip(wanted, given, strict=True)):
            return False  # an object not saved yet: nobody holds a role over it
        return any(
            held == role and all(want is None or want == got for want, got in zip(wanted, scope, strict=True))
            for held, *scope in reach.grants
        )
    grants = current_grants(user, role)
    if organisation is not None:
        grants = grants.filter(organisation=organisation)
    if council_area is not None:
        grants = grants.filter(council_area=council_area)
    if person is not None:
        grants = grants.filter(person=person)
    return grants.exists()


def _memberships(user) -> QuerySet[RoleGrant]:
    return current_grants(user).filter(role__in=MEMBERSHIP_ROLES)


def _worker_organisations(user) -> QuerySet[RoleGrant]:
    """The support and development organisations the user is a development worker for (ids)."""
    return current_grants(user, RoleName.DEVELOPMENT_WORKER).values("organisation")


def _sharing(user, part: str | None = None) -> QuerySet[AccessGrant]:
    """Active sharing with the user's support organisations (of ``part``, when given)."""
    grants = AccessGrant.objects.active().filter(support_organisation__in=_worker_organisations(user))
    return grants.filter(**{part: True}) if part else grants


def _shares(user, organisation: Organisation, part: str | None = None) -> bool:
    """Whether the organisation shares (``part`` of) its records with a support organisation the user works for."""
    if organisation is None or not _signed_in(user):
        return False
    reach = _for_this_request(user)
    if reach is None:
        return _sharing(user, part).filter(organisation=organisation).exists()
    shared = reach.sharing.get(organisation.pk)
    return shared is not None and (part is None or shared[PARTS.index(part)])


# --- Over the whole service -----------------------------------------------------
@rules.predicate
def is_platform_admin(user) -> bool:
    return holds(user, RoleName.PLATFORM_ADMIN)


# --- Over an organisation -------------------------------------------------------
@rules.predicate
def is_member(user, organisation: Organisation) -> bool:
    """A member or an administrator of the organisation."""
    if organisation is None:
        return False
    reach = _for_this_request(user)
    if reach is not None:
        return any(role in MEMBERSHIP_ROLES and org == organisation.pk for role, org, *_ in reach.grants)
    return _memberships(user).filter(organisation=organisation).exists()


@rules.predicate
def is_admin(user, organisation: Organisation) -> bool:
    return organisation is not None and holds(user, RoleName.ORGANISATION_ADMIN, organisation=organisation)


@rules.predicate
def is_worker_with_access(user, organisation: Organisation) -> bool:
    """A development worker whose support organisation this organisation shares with (its profile at least)."""
    return _shares(user, organisation)


@rules.predicate
def worker_sees_assessments(user, organisation: Organisation) -> bool:
    """... and it shares its assessments (with their results, reports and history)."""
    return _shares(user, organisation, ASSESSMENTS)


@rules.predicate
def worker_sees_plan(user, organisation: Organisation) -> bool:
    """... and it shares its action plan."""
    return _shares(user, organisation, PLAN)


@rules.predicate
def is_worker_for(user, organisation: Organisation) -> bool:
    """A development worker of this support and development organisation."""
    return organisation is not None and holds(user, RoleName.DEVELOPMENT_WORKER, organisation=organisation)


@rules.predicate
def is_support_organisation(user, organisation: Organisation) -> bool:
    return organisation is not None and organisation.is_support_organisation


@rules.predicate
def is_council(user, organisation: Organisation) -> bool:
    return organisation is not None and organisation.is_council


# --- Over a council area --------------------------------------------------------
@rules.predicate
def is_commissioner_for(user, area: CouncilArea) -> bool:
    return area is not None and holds(user, RoleName.COMMISSIONER, council_area=area)


@rules.predicate
def is_council_admin_for(user, area: CouncilArea) -> bool:
    return area is not None and holds(user, RoleName.COUNCIL_ADMIN, council_area=area)


# --- Roles several pillars ask about ------------------------------------------
@rules.predicate
def is_development_worker(user) -> bool:
    return holds(user, RoleName.DEVELOPMENT_WORKER)


@rules.predicate
def is_commissioner(user) -> bool:
    return holds(user, RoleName.COMMISSIONER)


# --- Lists, as one query each ---------------------------------------------------
def visible_organisations(user) -> QuerySet[Organisation]:
    """Every organisation this user may open (organisations.view_organisation)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    if is_platform_admin(user):
        return Organisation.objects.all()
    own = _memberships(user).values("organisation")
    shared = _sharing(user).values("organisation")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=shared))


def member_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user is a member or an administrator of."""
    return Organisation.objects.filter(pk__in=_memberships(user).values("organisation"))


def shared_organisations(user, part: str | None = None) -> QuerySet[Organisation]:
    """The development worker's caseload: organisations that share with the
    worker's support organisation(s) (their ``part``, when given)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_sharing(user, part).values("organisation"))


def shared_with(support_organisation: Organisation, part: str | None = None) -> QuerySet[Organisation]:
    """The organisations that share with this support and development
    organisation (their ``part``, when given): what its development workers see."""
    grants = AccessGrant.objects.active().filter(support_organisation=support_organisation)
    if part:
        grants = grants.filter(**{part: True})
    return Organisation.objects.filter(pk__in=grants.values("organisation"))


def worker_organisations(user) -> QuerySet[Organisation]:
    """The support and development organisations the user is a development worker for."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_worker_organisations(user))


def commissioned_areas(user) -> QuerySet[CouncilArea]:
    """The council areas whose figures the user may see."""
    if not _signed_in(user):
        return CouncilArea.objects.none()
    if is_platform_admin(user):
        return CouncilArea.objects.all()
    return CouncilArea.objects.filter(pk__in=current_grants(user, RoleName.COMMISSIONER).values("council_area"))


def areas_with_role(user, role: str) -> QuerySet[CouncilArea]:
    """The council areas over which the user holds ``role`` now."""
    return CouncilArea.objects.filter(pk__in=current_grants(user, role).values("council_area"))


def insight_support_organisations(user) -> QuerySet[Organisation]:
    """Support and development organisations whose shared organisations'
    figures this user may see (insight.view_shared), as one query."""
    if not _signed_in(user):
        return Organisation.objects.none()
    support = Organisation.objects.filter(org_type=OrganisationType.SUPPORT_DEVELOPMENT)
    return support if is_platform_admin(user) else support.filter(pk__in=_worker_organisations(user))


def needs_two_factor(user) -> bool:
    """Whether the person must sign in with a second factor: anyone holding a
    role that can see people's records or run the service (SENSITIVE_ROLES),
    and superusers (the flag opens nothing here, but it marks an operator's
    account, which Django's own tools trust)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(holds(user, role) for role in SENSITIVE_ROLES)
