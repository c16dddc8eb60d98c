"""Who may start, answer, submit and read readiness assessments (autodiscovered by django-rules).

An assessment belongs to one organisation; access follows from it, through
the shared predicates of personfirst/core/access/roles.py. A development
worker sees them only while the organisation shares its assessments with
the worker's support organisation (not just its profile or its plan).
"""

from __future__ import annotations

import rules

from personfirst.core.access.roles import (
    _signed_in,
    is_admin,
    is_member,
    is_platform_admin,
    kept_for_request,
    worker_sees_assessments,
)
from personfirst.core.access.shortcuts import add_perm

VIEW = "readiness.view_assessment"


@rules.predicate
def can_view_assessment_org(user, assessment) -> bool:
    organisation = assessment.organisation
    return is_member(user, organisation) or worker_sees_assessments(user, organisation) or is_platform_admin(user)


@rules.predicate
def leads_assessment(user, assessment) -> bool:
    """Organisation admins and development workers with access record the agreed answers."""
    organisation = assessment.organisation
    return is_admin(user, organisation) or worker_sees_assessments(user, organisation)


def respondent_for(user, assessment):
    """The user's Respondent row on the assessment (asked for their own
    answers), or None. Asked once per request (roles.kept_for_request), so
    the rules and the page that then needs the row share one query."""
    if not _signed_in(user) or assessment.pk is None:
        return None
    return kept_for_request(
        user, ("readiness.respondent", assessment.pk), lambda: assessment.respondents.filter(user=user).first()
    )


@rules.predicate
def is_respondent(user, assessment) -> bool:
    return respondent_for(user, assessment) is not None


@rules.predicate
def is_draft(user, assessment) -> bool:
    return assessment.is_draft


# An organisation's assessments (its list, history, how it compares): on the organisation.
add_perm(
    "readiness.view_assessments",
    is_member | worker_sees_assessments | is_platform_admin,
    seen_with="organisations.view_organisation",
)
add_perm("readiness.start_assessment", is_admin | worker_sees_assessments, seen_with="readiness.view_assessments")
add_perm(VIEW, can_view_assessment_org | is_respondent)
add_perm("readiness.edit_answers", leads_assessment & is_draft, seen_with=VIEW)
add_perm("readiness.manage_respondents", leads_assessment & is_draft, seen_with=VIEW)
add_perm("readiness.submit_assessment", leads_assessment & is_draft, seen_with=VIEW)
add_perm("readiness.respond", is_respondent & is_draft, seen_with=VIEW)
add_perm("readiness.view_results", can_view_assessment_org, seen_with=VIEW)
