"""Pieces of the action plan shown on other apps' pages: the overdue
banner on an organisation's home page, and the links from an assessment's
results. (Template tags, so that those apps need not import this one.)"""

from __future__ import annotations

from django import template
from django.utils import timezone

from personfirst.readiness.plans import services

register = template.Library()

OVERDUE_SHOWN = 3


@register.inclusion_tag("plans/_overdue.html", takes_context=True)
def overdue_actions(context, organisation) -> dict:
    """A banner with how many actions are overdue and the first few; nothing when none."""
    user = context["user"]
    if not user.has_perm("plans.view_plan", organisation):
        return {"count": 0}
    overdue = services.overdue(organisation, timezone.localdate())
    count = overdue.count()
    return {
        "organisation": organisation,
        "count": count,
        "actions": list(overdue[:OVERDUE_SHOWN]) if count else [],
        "more": max(count - OVERDUE_SHOWN, 0),
    }


@register.inclusion_tag("plans/_results_links.html", takes_context=True)
def plan_links(context, assessment) -> dict:
    """From a submitted assessment's results to the plan and its targets."""
    user = context["user"]
    organisation = assessment.organisation
    if assessment.is_draft or not user.has_perm("plans.view_plan", organisation):
        return {"show": False}
    return {
        "show": True,
        "organisation": organisation,
        "assessment": assessment,
        "can_change": user.has_perm("plans.change_plan", organisation),
    }
