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


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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


# Organisation profile and its records.
rules.add_perm("organisations.view_organisation", is_member | is_worker_with_access | is_platform_admin)
rules.add_perm("organisations.change_organisation", is_admin | is_platform_admin)
rules.add_perm("organisations.manage_people", is_admin | is_platform_admin)
rules.add_perm("organisations.manage_sharing", is_admin | is_platform_admin)
rules.add_perm("organisations.view_audit", is_admin | is_platform_admin)
# Council areas: aggregated figures only.
rules.add_perm("organisations.view_area", is_commissioner_for | is_platform_admin)


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


# --- Readiness assessments -------------------------------------------------
# An assessment belongs to one organisation; access follows from it.


@rules.predicate
def can_view_assessment_org(user, assessment) -> bool:
    organisation = assessment.organisation
    return is_member(user, organisation) or is_worker_with_access(user, organisation) or is_platform_admin(user)


@rules.predicate
def leads_assessment(user, assessment) -> bool:
    """Organisation admins and development workers with access record the agreed answers."""
    organisation = assessment.organisation
    return is_admin(user, organisation) or is_worker_with_access(user, organisation)


@rules.predicate
def is_respondent(user, assessment) -> bool:
    return _signed_in(user) and assessment.respondents.filter(user=user).exists()


@rules.predicate
def is_draft(user, assessment) -> bool:
    return assessment.is_draft


rules.add_perm("readiness.start_assessment", is_admin | is_worker_with_access)
rules.add_perm("readiness.view_assessment", can_view_assessment_org | is_respondent)
rules.add_perm("readiness.edit_answers", leads_assessment & is_draft)
rules.add_perm("readiness.manage_respondents", leads_assessment & is_draft)
rules.add_perm("readiness.submit_assessment", leads_assessment & is_draft)
rules.add_perm("readiness.respond", is_respondent & is_draft)
rules.add_perm("readiness.view_results", can_view_assessment_org)


# --- Action plans and progress -------------------------------------------
# An organisation's plan, history and reports are seen by whoever may see
# the organisation; the plan is changed by its members and by development
# workers it shares with (who often run the plan with a small charity).
rules.add_perm("plans.view_plan", is_member | is_worker_with_access | is_platform_admin)
rules.add_perm("plans.change_plan", is_member | is_worker_with_access)


# --- Development worker caseload ------------------------------------------
@rules.predicate
def is_development_worker(user) -> bool:
    """A member of a local support and development organisation."""
    return (
        _signed_in(user)
        and Membership.objects.filter(user=user, organisation__org_type=OrganisationType.SUPPORT_DEVELOPMENT).exists()
    )


rules.add_perm("caseload.view_caseload", is_development_worker)


# --- Area insight ----------------------------------------------------------
# Figures over many organisations' assessments (insight/): never one
# organisation's answers, and no figure about fewer than five
# (access/disclosure.py; published snapshots, insight/publish.py).
# Commissioners see their council's area;
# development workers the organisations that share with their support and
# development organisation; all of them, and platform administrators, the
# figures for England as a benchmark. Where one organisation stands among
# others is seen by whoever may see that organisation
# (organisations.view_organisation).
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


rules.add_perm("insight.view_national", is_platform_admin | is_commissioner | is_development_worker)
rules.add_perm("insight.view_area", is_commissioner_for | is_platform_admin)
rules.add_perm("insight.view_shared", is_support_organisation & (is_member | is_platform_admin))


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
