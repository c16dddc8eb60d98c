"""Pieces of the action plan shown on other pages: the overdue banner on an
organisation's home page (a panel registered in apps.py), and the links from
an assessment's results (a template tag)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from personfirst.readiness.plans import services

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
