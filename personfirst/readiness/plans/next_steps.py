"""What an organisation should do next, for the dashboard of its members.

``steps(situation, today)`` is the rule, with no database and no HTTP: it
takes what is known about an organisation's assessments and plan (a
``Situation``) and returns the steps to show, most pressing first.
``situation_for(organisation, user, today)`` gathers that from the
database; the dashboard panel (templatetags/plans.py) shows the result.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

# An action due within this many days (and not overdue) is "due soon".
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Draft:
    """An assessment in progress."""

    title: str
    url: str
    started: datetime.date
    can_edit: bool = True  # False: the person may read it but not answer (a member, not an administrator)


@dataclass(frozen=True)
class Situation:
    """What the dashboard knows about one organisation, for one person."""

    plan_url: str
    assessments_url: str
    drafts: tuple[Draft, ...] = ()
    last_submitted: datetime.date | None = None  # the day the latest assessment was submitted
    last_results_url: str = ""
    can_start: bool = False  # the person may start an assessment (an administrator)
    can_change_plan: bool = False
    suggestions: int = 0  # suggested actions waiting for a decision
    assessments_with_suggestions: int = 0
    overdue: int = 0
    due_soon: int = 0  # open actions due within DUE_SOON_DAYS, not overdue


@dataclass(frozen=True)
class Step:
    """One thing to do: a sentence and the link that does it."""

    key: str  # continue, overdue, decide, due-soon, reassess, start, results
    link_text: str
    url: str
    detail: str = ""
    urgent: bool = False
    extra: dict = field(default_factory=dict)


def year_ago(today: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def steps(situation: Situation, today: datetime.date) -> list[Step]:
    """The organisation's next steps, most pressing first.

    1. Continue each assessment in progress.
    2. Overdue actions.
    3. Suggestions waiting for a decision (only for those who may change the plan).
    4. Actions due soon.
    5. Re-assess when the latest assessment was submitted a year ago or more
       (and none is in progress), or start the first one when there has never
       been one: "start" only for those who may start one.
    6. Otherwise, nothing pressing: the latest results.
    """
    result: list[Step] = []
    for draft in situation.drafts:
        started = f"Started on {_long_date(draft.started)}."
        if draft.can_edit:
            result.append(
                Step("continue", f"Continue the {draft.title}", draft.url, f"{started} The answers so far are saved.")
            )
        else:
            result.append(
                Step(
                    "continue",
                    f"See the {draft.title} in progress",
                    draft.url,
                    f"{started} Your organisation's administrator records the agreed answers.",
                )
            )
    if situation.overdue:
        result.append(
            Step(
                "overdue",
                f"Look at {_plural(situation.overdue, 'overdue action', 'overdue actions')}",
                situation.plan_url + "?show=overdue#plan",
                "Their dates have passed. Mark them done, or give them a new date.",
                urgent=True,
            )
        )
    if situation.suggestions and situation.can_change_plan:
        where = (
            f" from {_plural(situation.assessments_with_suggestions, 'assessment', 'assessments')}"
            if situation.assessments_with_suggestions > 1
            else ""
        )
        result.append(
            Step(
                "decide",
                f"Decide on {_plural(situation.suggestions, 'suggested action', 'suggested actions')}",
                situation.plan_url + "#suggestions",
                f"Your results suggested them{where}. Add them to your plan, or say they are not for you.",
            )
        )
    if situation.due_soon:
        result.append(
            Step(
                "due-soon",
                f"See {_plural(situation.due_soon, 'action', 'actions')} due in the next {DUE_SOON_DAYS} days",
                situation.plan_url + "#plan",
            )
        )
    if not situation.drafts:
        if situation.last_submitted is None:
            if situation.can_start:
                result.append(
                    Step(
                        "start",
                        "Start your first check",
                        situation.assessments_url,
                        "Answer questions about how your organisation works today. "
                        "You can stop at any time and come back: your answers are saved.",
                    )
                )
        elif situation.last_submitted <= year_ago(today) and situation.can_start:
            result.append(
                Step(
                    "reassess",
                    "Check again: your last check was a year ago or more",
                    situation.assessments_url,
                    f"It was submitted on {_long_date(situation.last_submitted)}. "
                    "A new check shows what has changed since.",
                )
            )
    if not result and situation.last_results_url:
        result.append(
            Step(
                "results",
                "See your latest results",
                situation.last_results_url,
                f"Submitted on {_long_date(situation.last_submitted)}. Nothing needs a decision now."
                if situation.last_submitted
                else "",
            )
        )
    return result


def situation_for(organisation, user, today: datetime.date | None = None) -> Situation:
    """What ``steps`` needs, read from the database for one organisation and
    the person looking (what they may do decides some steps)."""
    from personfirst.readiness.assessments.models import AssessmentStatus

    from . import services
    from .models import Action

    today = today or timezone.localdate()
    assessments = organisation.assessments.select_related("version")
    drafts = tuple(
        Draft(
            a.version.title,
            a.get_absolute_url(),
            timezone.localdate(a.started_at),
            user.has_perm("readiness.edit_answers", a),
        )
        for a in assessments.filter(status=AssessmentStatus.DRAFT).order_by("started_at", "pk")
    )
    latest = assessments.filter(status=AssessmentStatus.SUBMITTED).order_by("-submitted_at", "-pk").first()
    sees_plan = user.has_perm("plans.view_plan", organisation)
    waiting = services.waiting(organisation) if sees_plan else Action.objects.none()
    open_actions = Action.objects.filter(organisation=organisation).open() if sees_plan else Action.objects.none()
    return Situation(
        plan_url=reverse("plans:plan", args=[organisation.slug]),
        assessments_url=reverse("readiness:list", args=[organisation.slug]),
        drafts=drafts,
        last_submitted=timezone.localdate(latest.submitted_at) if latest and latest.submitted_at else None,
        last_results_url=reverse("readiness:results", args=[organisation.slug, latest.pk]) if latest else "",
        can_start=user.has_perm("readiness.start_assessment", organisation),
        can_change_plan=user.has_perm("plans.change_plan", organisation),
        suggestions=waiting.count(),
        assessments_with_suggestions=waiting.order_by().values("assessment").distinct().count(),
        overdue=open_actions.filter(due_date__lt=today).count(),
        due_soon=open_actions.filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        ).count(),
    )
