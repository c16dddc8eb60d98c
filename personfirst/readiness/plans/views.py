"""Action plan pages. Thin: the work is in plans.services, and who may do
what is decided by the rules module (``plans.view_plan``,
``plans.change_plan``)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from personfirst.core.access.shortcuts import require
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import Organisation
from personfirst.core.validation import Invalid
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus, Item

from . import services
from .forms import ActionForm, FilterForm, NoteForm, TargetsForm, seen_field, target_field
from .models import Action, ActionStatus

STATUS_TAGS = {
    ActionStatus.SUGGESTED: ("Suggested", "govuk-tag--purple"),
    ActionStatus.NOT_STARTED: ("Not started", "govuk-tag--grey"),
    ActionStatus.IN_PROGRESS: ("In progress", "govuk-tag--light-blue"),
    ActionStatus.DONE: ("Done", "govuk-tag--green"),
    ActionStatus.DROPPED: ("Not for us", "govuk-tag--grey"),
}


def _posted(request: HttpRequest):
    """The form data for a POST, None for a GET."""
    return request.POST if request.method == "POST" else None


def _organisation(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, permission, organisation)
    return organisation


def _action(request: HttpRequest, slug: str, pk: int, permission: str) -> Action:
    """One action of the organisation at ``slug``: 404 for an action of
    another organisation, whoever asks."""
    action = get_object_or_404(
        Action.objects.select_related("organisation", "created_by", "assessment__version"),
        pk=pk,
        organisation__slug=slug,
    )
    require(request.user, permission, action.organisation)
    return action


def _plan_url(organisation: Organisation) -> str:
    return reverse("plans:plan", args=[organisation.slug])


def _decorate(actions, today) -> list[Action]:
    """Actions with their status tag and overdue flag, for templates."""
    actions = list(actions)
    for action in actions:
        action.tag_label, action.tag_colour = STATUS_TAGS[action.status]
        action.overdue = action.is_overdue(today)
    return actions


def _items(actions) -> dict[tuple[int, str], Item]:
    """(version id, item key) -> the item (with its section) an action is for."""
    versions = {a.assessment.version_id for a in actions if a.assessment_id}
    keys = {a.item_key for a in actions if a.item_key}
    items = Item.objects.filter(version_id__in=versions, key__in=keys).select_related("section")
    return {(i.version_id, i.key): i for i in items}


def _item_of(action: Action, items: dict[tuple[int, str], Item]) -> Item | None:
    return items.get((action.assessment.version_id, action.item_key)) if action.assessment_id else None


def group_key(action: Action, item: Item | None) -> str:
    """Which group of suggestions an action belongs to: its assessment and
    the section of its item (an id-safe string)."""
    section = item.section.key if item else "other"
    return f"a{action.assessment_id or 0}-{section}"


def _suggestion_groups(actions, open_key: str) -> list[dict]:
    """Suggestions grouped by the assessment they came from (the latest
    first), then by section in the instrument's order, then by item: each
    group with its own count, so that no two headings read the same."""
    items = _items(actions)
    assessments: dict[int, dict] = {}
    for action in actions:
        item = _item_of(action, items)
        entry = assessments.setdefault(
            action.assessment_id or 0,
            {"assessment": action.assessment, "sections": {}, "count": 0},
        )
        entry["count"] += 1
        key = group_key(action, item)
        section = entry["sections"].setdefault(
            key,
            {
                "key": key,
                "title": item.section.title if item else "Other suggestions",
                "order": item.section.position if item else 10**6,
                "items": {},
                "actions": [],
            },
        )
        section["actions"].append(action)
        section["items"].setdefault(action.item_key, {"why": action.why, "actions": []})["actions"].append(action)

    def newest_first(entry):
        assessment = entry["assessment"]
        return (
            assessment is None,
            -(assessment.submitted_at.timestamp() if assessment and assessment.submitted_at else 0),
        )

    result = []
    for entry in sorted(assessments.values(), key=newest_first):
        sections = sorted(entry["sections"].values(), key=lambda section: section["order"])
        for section in sections:
            section["items"] = list(section["items"].values())
            section["open"] = section["key"] == open_key or (len(assessments) == 1 and len(sections) == 1)
        result.append({"assessment": entry["assessment"], "count": entry["count"], "sections": sections})
    return result


def _latest_submitted(organisation: Organisation, instrument_id: int | None = None) -> list[Assessment]:
    """The latest submitted assessment of each instrument (or of one): where targets are set."""
    latest: dict[int, Assessment] = {}
    submitted = organisation.assessments.filter(status=AssessmentStatus.SUBMITTED)
    if instrument_id is not None:
        submitted = submitted.filter(version__instrument_id=instrument_id)
    for assessment in submitted.select_related("version__instrument").order_by("-submitted_at", "-pk"):
        latest.setdefault(assessment.version.instrument_id, assessment)
    return sorted(latest.values(), key=lambda a: a.version.title)


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "plans.view_plan")
    today = timezone.localdate()
    filter_form = FilterForm(request.GET)
    shown = filter_form.shown()
    actions = _decorate(services.plan_actions(organisation, shown, today), today)
    suggestions = list(services.waiting(organisation))
    context = {
        "organisation": organisation,
        "can_change": request.user.has_perm("plans.change_plan", organisation),
        "filter_form": filter_form,
        "shown": shown,
        "shown_label": services.PLAN_FILTERS[shown],
        "actions": actions,
        "suggestion_groups": _suggestion_groups(suggestions, request.GET.get("open", "")),
        "suggestion_count": len(suggestions),
        "overdue_count": services.overdue(organisation, today).count(),
        "assessments": _latest_submitted(organisation),
        "today": today,
    }
    return render(request, "plans/plan.html", context)


@login_required
def add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "plans.change_plan")
    form = ActionForm(_posted(request), with_status=False)
    if request.method == "POST" and form.is_valid():
        action = services.add_own(organisation, by=request.user, **form.cleaned_data)
        messages.success(request, f"‘{action.title}’ has been added to the end of your plan.")
        return redirect(_plan_url(organisation))
    return render(request, "plans/add.html", {"organisation": organisation, "form": form})


@login_required
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One action: its details and progress notes. A POST adds a note."""
    action = _action(request, slug, pk, "plans.view_plan")
    organisation = action.organisation
    form = NoteForm(_posted(request))
    if request.method == "POST":
        require(request.user, "plans.change_plan", organisation)
        if form.is_valid():
            try:
                services.add_note(action, form.cleaned_data["text"], by=request.user)
            except ConflictError as conflict:
                # The action has gone, and its page with it: give the note back so that it is not lost.
                messages.error(request, f"{conflict.message} Your note was: {form.cleaned_data['text']}")
                return redirect(_plan_url(organisation))
            messages.success(request, "Your progress note has been added.")
            return redirect(action)
    today = timezone.localdate()
    _decorate([action], today)
    item = _item_of(action, _items([action]))
    context = {
        "organisation": organisation,
        "action": action,
        "section_title": item.section.title if item else "",
        "notes": action.notes.select_related("written_by"),
        "form": form,
        "can_change": request.user.has_perm("plans.change_plan", organisation),
    }
    return render(request, "plans/action.html", context)


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _action(request, slug, pk, "plans.change_plan")
    if action.status == ActionStatus.SUGGESTED:
        # Decide first; the action page has the buttons.
        messages.info(request, "This is a suggestion. Accept it into your plan before you change it.")
        return redirect(action)
    initial = {
        "title": action.title,
        "why": action.why,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
    }
    form = ActionForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update(action, by=request.user, seen=form.seen(), **form.values())
        except services.ChangedMeanwhile as conflict:
            # Keep what this person typed, with what is there now as seen: saving again keeps this person's version.
            data = request.POST.copy()
            for name in conflict.fields:
                value = getattr(conflict.current, name)
                data[seen_field(name)] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
            form = ActionForm(data, initial=initial)
            now = "; ".join(
                f"{services.FIELD_NAMES[name]}: {_shown(conflict.current, name)}" for name in conflict.fields
            )
            messages.error(
                request, f"{conflict.message} It now says {now}. Your changes are below: save again to keep them."
            )
            status = 409
        except ConflictError as conflict:
            messages.error(request, conflict.message)
            return redirect(conflict.current or _plan_url(action.organisation))
        else:
            messages.success(request, f"‘{action.title}’ has been saved.")
            return redirect(action)
    return render(
        request, "plans/edit.html", {"organisation": action.organisation, "action": action, "form": form}, status=status
    )


def _shown(action: Action, name: str) -> str:
    """A field of an action as a person reads it."""
    value = getattr(action, name)
    if name == "due_date":
        return f"{value.day} {value:%B %Y}" if value else "no due date"
    if name == "status":
        return STATUS_TAGS[value][0]
    return f"‘{value}’" if value else "nothing"


@login_required
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation page; the POST removes the action and its notes."""
    action = _action(request, slug, pk, "plans.change_plan")
    organisation = action.organisation
    if request.method == "POST":
        title = action.title
        try:
            services.remove(action, by=request.user)
        except ConflictError as conflict:
            messages.info(request, conflict.message)
        else:
            messages.success(request, f"‘{title}’ has been removed from your plan.")
        return redirect(_plan_url(organisation))
    return render(
        request,
        "plans/remove.html",
        {"organisation": organisation, "action": action, "note_count": action.notes.count()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept a suggestion into the plan, or set it aside as not for us."""
    action = _action(request, slug, pk, "plans.change_plan")
    decision = request.POST.get("decision")
    if decision not in ("accept", "drop"):
        messages.error(request, "Choose ‘Accept’ or ‘Not for us’.")
        return redirect(_plan_url(action.organisation))
    try:
        services.decide(action, decision == "accept", by=request.user)
    except services.NotASuggestion as conflict:
        messages.info(request, conflict.message)
        return redirect(_plan_url(action.organisation))
    if decision == "accept":
        messages.success(request, f"‘{action.title}’ is now in your plan. Add who will do it and by when.")
    else:
        messages.success(request, f"‘{action.title}’ has been set aside. It will not be suggested again.")
    key = group_key(action, _item_of(action, _items([action])))
    return redirect(_plan_url(action.organisation) + f"?open={key}#group-{key}")


@login_required
@require_POST
def decide_group(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept, or set aside, every suggestion of a group at once: those the
    person saw (the ``action`` fields), under the plan's lock."""
    organisation = _organisation(request, slug, "plans.change_plan")
    decision = request.POST.get("decision")
    ids = [value for value in request.POST.getlist("action") if value.isdigit()]
    if decision not in ("accept", "drop") or not ids:
        messages.error(request, "Choose ‘Accept all’ or ‘None of these are for us’ for a group of suggestions.")
        return redirect(_plan_url(organisation) + "#suggestions")
    try:
        outcome = services.decide_group(organisation, ids, decision == "accept", by=request.user)
    except services.NotASuggestion as conflict:
        messages.info(request, conflict.message)
        return redirect(_plan_url(organisation) + "#suggestions")
    count = len(outcome.decided)
    some = f"{count} suggestion{'s' if count != 1 else ''}"
    if decision == "accept":
        text = f"{some} {'are' if count != 1 else 'is'} now in your plan. Add who will do each and by when."
    else:
        text = f"{some} {'have' if count != 1 else 'has'} been set aside. They will not be suggested again."
    if outcome.skipped == 1:
        text += " 1 other had already been decided by someone else, or withdrawn: it was left as it was."
    elif outcome.skipped:
        text += (
            f" {outcome.skipped} others had already been decided by someone else, or withdrawn:"
            " they were left as they were."
        )
    messages.success(request, text)
    return redirect(_plan_url(organisation) + ("#plan" if decision == "accept" else "#suggestions"))


@login_required
@require_POST
def move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _action(request, slug, pk, "plans.change_plan")
    direction = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if direction is not None:
        try:
            services.move(action, direction, by=request.user)
        except ConflictError as conflict:
            messages.info(request, conflict.message)
            return redirect(_plan_url(action.organisation))
    return redirect(_plan_url(action.organisation) + f"#action-{action.pk}")


@login_required
def targets(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Set your targets: one choice per scored item of a submitted assessment."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("organisation", "version__instrument"), pk=pk, organisation__slug=slug
    )
    organisation = assessment.organisation
    require(request.user, "plans.change_plan", organisation)
    if assessment.is_draft:
        raise Http404("Targets are set once the assessment has been submitted.")
    latest = _latest_submitted(organisation, assessment.version.instrument_id)[0]
    if latest.pk != assessment.pk:
        # Suggestions follow the latest answers: set targets against those, and say so.
        messages.info(
            request,
            f"Targets are set against your latest {latest.version.title}, submitted on "
            f"{latest.submitted_at:%-d %B %Y}, not the one submitted on {assessment.submitted_at:%-d %B %Y}: "
            "your plan's suggestions follow your latest answers.",
        )
        return redirect("plans:targets", slug=slug, pk=latest.pk)
    rows = services.target_rows(assessment)
    form = TargetsForm(_posted(request), rows=rows)
    changed = []  # (item, its target now) when someone else changed targets this person also changed
    if request.method == "POST" and form.is_valid():
        try:
            created = services.set_targets(assessment, form.levels(), by=request.user, seen=form.seen())
        except Invalid as invalid:  # the service's check of the targets, shown on their fields
            for error in invalid.errors:
                name = target_field(error.field[0])
                form.add_error(name if name in form.fields else None, error.message)
            form.mark_errors()
        except ConflictError as conflict:
            # Keep the person's choices, and take the targets as they are now as seen: saving again keeps theirs.
            data = request.POST.copy()
            for item_key, level in conflict.current.items():
                data[seen_field(item_key)] = str(level)
            form = TargetsForm(data, rows=rows)
            changed = [
                (row, services.position_label(row.item, conflict.current[row.item.key]))
                for row in form.rows
                if row.item.key in conflict.current
            ]
            messages.error(request, conflict.message)
        else:
            suggested = sum(1 for a in created if a.status == ActionStatus.SUGGESTED)
            if suggested:
                messages.success(
                    request,
                    f"Your targets have been saved. {suggested} new suggestion{'s' if suggested != 1 else ''} "
                    f"{'are' if suggested != 1 else 'is'} waiting for your decision.",
                )
            else:
                messages.success(request, "Your targets have been saved.")
            return redirect(_plan_url(organisation))
    context = {
        "organisation": organisation,
        "assessment": assessment,
        "form": form,
        "at_top": [row for row in rows if row.at_top],
        "changed": changed,
    }
    return render(request, "plans/targets.html", context, status=409 if changed else 200)
