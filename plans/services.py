"""Turning a submitted assessment into a draft action plan, and the other
workflows that change a plan. One transaction each."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from readiness import coproduction
from readiness import services as readiness_services
from readiness.models import Answer, Assessment, Item

from . import library
from .models import Action, ActionSource, ActionStatus, ProgressNote, Target


def scale_size(item: Item) -> int:
    return len(item.levels) if item.uses_levels else len(item.options)


def target_for(organisation, item: Item, current: int, instrument_key: str) -> int:
    """The organisation's own target for the item, or one step up."""
    own = Target.objects.filter(organisation=organisation, instrument_key=instrument_key, item_key=item.key).first()
    if own is not None:
        return min(own.level, scale_size(item))
    return min(current + 1, scale_size(item))


def describe_gap(item: Item, section_title: str, answer: Answer, target: int) -> str:
    size = scale_size(item)
    current = coproduction.position(item, answer)
    if item.uses_levels:
        return f"{section_title}: you are at statement {current} of {size} and aim for statement {target}."
    labels = [option["label"] for option in reversed(item.options)]  # worst first, like positions
    return f"{section_title}: rated ‘{answer.display()}’; you aim for ‘{labels[target - 1]}’."


def _next_position(organisation) -> int:
    return (Action.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"] or 0) + 1


def first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 120 else sentence[:117] + "…"


@transaction.atomic
def draft_plan(assessment: Assessment, by=None) -> list[Action]:
    """Suggested actions for every item below its target, and the target
    dates set on milestone items. Running it twice adds nothing new."""
    organisation = assessment.organisation
    instrument_key = assessment.version.instrument.key
    existing = set(
        Action.objects.filter(assessment=assessment).values_list("item_key", "library_key", "source", "title")
    )
    applies, _left_out = readiness_services.split_sections(assessment)
    answers = readiness_services.answers_for(assessment)
    position = _next_position(organisation)
    created = []
    for section in applies:
        for item in section.items.all():
            answer = answers.get(item.key)
            current = coproduction.position(item, answer)
            if current is None:
                continue
            target = target_for(organisation, item, current, instrument_key)
            chosen = answer.level if item.uses_levels else answer.option
            if current < target:
                why = describe_gap(item, section.title, answer, target)
                for suggestion in library.suggestions_for(assessment.version, item.key, chosen):
                    if (item.key, suggestion.key, ActionSource.LIBRARY, suggestion.title) in existing:
                        continue
                    created.append(
                        Action(
                            organisation=organisation,
                            assessment=assessment,
                            instrument_key=instrument_key,
                            item_key=item.key,
                            library_key=suggestion.key,
                            source=ActionSource.LIBRARY,
                            title=suggestion.title,
                            detail=suggestion.detail,
                            why=why,
                            status=ActionStatus.SUGGESTED,
                            position=position,
                            created_by=by,
                        )
                    )
                    position += 1
            if item.type == "milestones":
                for level_text, date in sorted((answer.target_dates or {}).items(), key=lambda kv: int(kv[0])):
                    level = int(level_text)
                    if level <= current:
                        continue
                    title = f"Reach step {level}: {first_sentence(item.levels[level - 1])}"
                    if (item.key, "", ActionSource.TARGET_DATE, title) in existing:
                        continue
                    created.append(
                        Action(
                            organisation=organisation,
                            assessment=assessment,
                            instrument_key=instrument_key,
                            item_key=item.key,
                            source=ActionSource.TARGET_DATE,
                            title=title,
                            why=f"{section.title}: the target date you set for step {level} of {len(item.levels)}.",
                            due_date=datetime.date.fromisoformat(date),
                            status=ActionStatus.NOT_STARTED,
                            position=position,
                            created_by=by,
                        )
                    )
                    position += 1
    return Action.objects.bulk_create(created) if created else []


def on_assessment_submitted(sender, assessment: Assessment, by=None, **kwargs) -> None:
    draft_plan(assessment, by=by)


def accept(action: Action, by) -> Action:
    if action.status == ActionStatus.SUGGESTED:
        action.status = ActionStatus.NOT_STARTED
        action.save(update_fields=["status", "updated_at"])
    return action


def set_status(action: Action, status: str, by) -> Action:
    action.status = status
    action.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_at", "updated_at"])
    return action


def add_note(action: Action, text: str, by) -> ProgressNote:
    return ProgressNote.objects.create(action=action, text=text, written_by=by)


@transaction.atomic
def move(action: Action, direction: int) -> None:
    """Swap an action with its neighbour in the plan (direction −1 up, +1 down)."""
    siblings = list(
        Action.objects.select_for_update().filter(organisation=action.organisation).in_plan().order_by("position", "pk")
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == action.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.position != number:
            Action.objects.filter(pk=sibling.pk).update(position=number)
