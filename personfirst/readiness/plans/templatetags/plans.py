"""Pieces of the action plan shown on other pages: the overdue banner on an
organisation's home page (a panel registered in apps.py), and the links from
an assessment's results (a template tag)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from personfirst.core.access import roles
from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleName
from personfirst.readiness.assessments.models import AssessmentStatus
from personfirst.readiness.plans import next_steps, services

register = template.Library()

OVERDUE_SHOWN = 3


def overdue_panel(user, organisation) -> dict | None:
    """A banner with how many actions are overdue and the first few; nothing when none
    (on the organisation's home page: core/ui/extensions.py)."""
    if not user.has_perm("plans.view_plan", organisation):
        return None
    overdue = services.overdue(organisation, timezone.localdate())
    count = overdue.count()
    return {
        "organisation": organisation,
        "count": count,
        "actions": list(overdue[:OVERDUE_SHOWN]) if count else [],
        "more": max(count - OVERDUE_SHOWN, 0),
    }


def next_steps_panel(user, _obj) -> dict | None:
    """For each organisation the person belongs to: what to do next (on the
    dashboard: core/ui/extensions.py). Nothing for someone who belongs to none.
    Someone who also holds another role (a worker, a commissioner) is not told
    about an organisation with nothing to do: their other panels lead instead."""
    today = timezone.localdate()
    other_roles = any(roles.holds(user, role) for role in RoleName if role not in MEMBERSHIP_ROLES)
    organisations = []
    for organisation in roles.member_organisations(user).order_by("name"):
        if not user.has_perm("readiness.view_assessments", organisation):
            continue
        situation = next_steps.situation_for(organisation, user, today)
        found = next_steps.steps(situation, today)
        if found or not other_roles:
            organisations.append({"organisation": organisation, "steps": found})
    return {"organisations": organisations} if organisations else None


@register.inclusion_tag("plans/_results_links.html", takes_context=True)
def plan_links(context, assessment) -> dict:
    """From a submitted assessment's results to the plan and its targets."""
    user = context["user"]
    organisation = assessment.organisation
    if assessment.is_draft or not user.has_perm("plans.view_plan", organisation):
        return {"show": False}
    latest = (
        organisation.assessments.filter(
            status=AssessmentStatus.SUBMITTED, version__instrument_id=assessment.version.instrument_id
        )
        .select_related("version")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return {
        "show": True,
        "organisation": organisation,
        "assessment": assessment,
        # Targets are set against the latest of the instrument's assessments: from an older one, say so.
        "targets_for": latest or assessment,
        "is_latest": latest is None or latest.pk == assessment.pk,
        "can_change": user.has_perm("plans.change_plan", organisation),
    }
