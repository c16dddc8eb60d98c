"""Workflows across the readiness models: starting, answering, co-producing
and submitting an assessment. One transaction each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import conditions
from .models import Answer, Assessment, AssessmentStatus, Instrument, Respondent, Section
from .signals import assessment_submitted


class NotEditable(Exception):
    """The assessment has been submitted; its answers are frozen."""


ANSWER_FIELDS = ("level", "option", "not_relevant", "notes", "target_dates")


@dataclass
class Conflict:
    """Someone else saved this answer after the person loaded the page."""

    item_key: str
    theirs: Answer
    yours: dict[str, Any] = field(default_factory=dict)


def start(*, organisation, instrument: Instrument, by) -> Assessment:
    version = instrument.latest_version()
    if version is None:
        raise ValueError(f"{instrument} has no loaded version")
    return Assessment.objects.create(organisation=organisation, version=version, started_by=by)


def split_sections(assessment: Assessment) -> tuple[list[Section], list[dict]]:
    """(sections that apply, sections left out with the reason)."""
    if not assessment.is_draft:
        left_keys = {entry["key"] for entry in assessment.left_out}
        sections = list(assessment.version.sections.prefetch_related("items"))
        return [s for s in sections if s.key not in left_keys], list(assessment.left_out)
    organisation = assessment.organisation
    applies, left_out = [], []
    for section in assessment.version.sections.prefetch_related("items"):
        if conditions.applies(section.condition, organisation.org_type, organisation.services):
            applies.append(section)
        else:
            left_out.append(
                {"key": section.key, "title": section.title, "reason": conditions.describe(section.condition)}
            )
    return applies, left_out


def answers_for(assessment: Assessment, respondent: Respondent | None = None) -> dict[str, Answer]:
    """item key -> answer (agreed answers unless a respondent is given)."""
    answers = Answer.objects.filter(assessment=assessment, respondent=respondent).select_related("item")
    return {answer.item.key: answer for answer in answers}


def section_status(section: Section, answers: dict[str, Answer]) -> str:
    items = list(section.items.all())
    given = [answers[item.key] for item in items if item.key in answers and answers[item.key].is_answered]
    if not given:
        return "not_started"
    if len(given) < len(items):
        return "in_progress"
    if all(answer.not_relevant for answer in given):
        return "not_relevant"
    return "completed"


def _values_of(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"level": None, "option": "", "not_relevant": False, "notes": "", "target_dates": {}}
    return {name: getattr(answer, name) for name in ANSWER_FIELDS}


@transaction.atomic
def save_section(
    *,
    assessment: Assessment,
    section: Section,
    values: dict[str, dict[str, Any]],
    revisions: dict[str, int],
    by,
    respondent: Respondent | None = None,
) -> list[Conflict]:
    """Save the answers to one section, all or nothing.

    ``revisions`` holds, per item, the revision the person saw when the page
    was loaded (0 for "no answer yet"). If someone else has saved a
    different answer since, nothing is saved and the conflicts are returned
    so that the page can show both versions.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_draft:
        raise NotEditable
    items = {item.key: item for item in section.items.all()}
    current = {
        answer.item.key: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, respondent=respondent, item__in=items.values())
        .select_related("item", "updated_by")
    }
    conflicts = []
    for key, new in values.items():
        answer = current.get(key)
        seen = revisions.get(key, 0)
        now = answer.revision if answer else 0
        if now != seen and _values_of(answer) != {**_values_of(None), **new}:
            conflicts.append(Conflict(item_key=key, theirs=answer, yours=new))
    if conflicts:
        return conflicts
    for key, new in values.items():
        answer = current.get(key)
        merged = {**_values_of(None), **new}
        if answer is None:
            if merged == _values_of(None):
                continue  # nothing given and nothing stored: no empty rows
            Answer.objects.create(
                assessment=assessment, item=items[key], respondent=respondent, updated_by=by, **merged
            )
        elif _values_of(answer) != merged or answer.suggested:
            for name, value in merged.items():
                setattr(answer, name, value)
            answer.revision += 1
            answer.suggested = False
            answer.updated_by = by
            answer.save()
    return []


@transaction.atomic
def submit(*, assessment: Assessment, by) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_draft:
        raise NotEditable
    _applies, left_out = split_sections(assessment)
    assessment.left_out = left_out
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save()
    assessment_submitted.send(sender=Assessment, assessment=assessment, by=by)
    return assessment


def add_respondent(*, assessment: Assessment, user, perspective: str, by) -> Respondent:
    respondent, _ = Respondent.objects.get_or_create(
        assessment=assessment, user=user, defaults={"perspective": perspective, "added_by": by}
    )
    return respondent
