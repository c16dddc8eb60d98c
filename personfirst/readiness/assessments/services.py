"""Workflows across the readiness models: starting, answering, co-producing
and submitting an assessment. One transaction each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import conditions, crosswalk
from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    CrosswalkItem,
    Instrument,
    Item,
    Respondent,
    Section,
)
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


@transaction.atomic
def start(*, organisation, instrument: Instrument, by) -> Assessment:
    """A new draft assessment with the instrument's latest version, with
    answers suggested from the organisation's other assessments (answer once)."""
    version = instrument.latest_version()
    if version is None:
        raise ValueError(f"{instrument} has no loaded version")
    assessment = Assessment.objects.create(organisation=organisation, version=version, started_by=by)
    suggest_answers(assessment, by=by)
    return assessment


def _scale(item: Item) -> list[int | str]:
    return crosswalk.scale(item.type, item.levels, item.options)


def suggest_answers(assessment: Assessment, by=None) -> list[Answer]:
    """Answer once: for each item (in a section that applies) that the
    crosswalk links to items of OTHER instruments, the organisation's latest
    agreed answer to one of those items in a submitted assessment, carried
    onto this item's scale (crosswalk.translate), as a suggested answer.

    Answers marked not relevant, and suggestions that were never confirmed,
    are not carried over. A suggested answer does not count (as answered, in
    scores or in the action plan) until someone saves its section.
    """
    instrument_key = assessment.version.instrument.key
    applies, _left_out = split_sections(assessment)
    items = {item.key: item for section in applies for item in section.items.all()}
    ours = CrosswalkItem.objects.filter(instrument_key=instrument_key, item_key__in=list(items))
    link_to_item = {ref.link_id: ref.item_key for ref in ours}
    related = {
        (ref.instrument_key, ref.item_key): link_to_item[ref.link_id]
        for ref in CrosswalkItem.objects.filter(link_id__in=list(link_to_item)).exclude(instrument_key=instrument_key)
    }
    if not related:
        return []
    matches = Q()
    for other_instrument, other_item in related:
        matches |= Q(assessment__version__instrument__key=other_instrument, item__key=other_item)
    candidates = (
        Answer.objects.filter(
            matches,
            assessment__organisation=assessment.organisation,
            assessment__status=AssessmentStatus.SUBMITTED,
            respondent__isnull=True,
            not_relevant=False,
            suggested=False,
        )
        .filter(Q(level__isnull=False) | ~Q(option=""))
        .select_related("item", "assessment__version__instrument")
        .order_by("-assessment__submitted_at", "-pk")
    )
    chosen: dict[str, Answer] = {}
    for source in candidates:
        target = related[(source.assessment.version.instrument.key, source.item.key)]
        chosen.setdefault(target, source)  # the first is the latest
    suggestions = []
    for key, source in chosen.items():
        item = items[key]
        given = source.level if source.item.uses_levels else source.option
        source_scale = _scale(source.item)
        if given not in source_scale or len(source_scale) < 2 or len(_scale(item)) < 2:
            continue  # an answer the source item no longer has, or a scale with one point
        value = crosswalk.translate(given, source_scale, _scale(item))
        suggestions.append(
            Answer(
                assessment=assessment,
                item=item,
                level=value if item.uses_levels else None,
                option="" if item.uses_levels else value,
                suggested=True,
                suggested_from=source,
                updated_by=by,
            )
        )
    for answer in suggestions:
        answer.save()  # one by one, so that the audit trail records each
    return suggestions


def suggestion_source(answer: Answer) -> dict | None:
    """Where a suggested answer came from, for the page: the item (its
    section's title if it is alone in its section, else its prompt), the
    instrument and the date that assessment was submitted. None when the
    answer is not a suggestion; {} when its source has since been deleted."""
    if not answer.suggested:
        return None
    source = answer.suggested_from
    if source is None:
        return {}
    item = source.item
    alone = item.section.items.count() == 1
    return {
        "item": item.section.title if alone else item.prompt,
        "instrument": source.assessment.version.title,
        "submitted_at": source.assessment.submitted_at,
    }


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


def answers_for(
    assessment: Assessment, respondent: Respondent | None = None, *, include_suggested: bool = False
) -> dict[str, Answer]:
    """item key -> answer (agreed answers unless a respondent is given).

    Suggested answers that nobody has confirmed yet are left out, so that
    scores, results and action plans never use them; pages that show them
    for checking (a section, the check-your-answers page) ask for them with
    ``include_suggested=True``.
    """
    answers = Answer.objects.filter(assessment=assessment, respondent=respondent).select_related("item")
    if not include_suggested:
        answers = answers.filter(suggested=False)
    return {answer.item.key: answer for answer in answers}


def section_status(section: Section, answers: dict[str, Answer]) -> str:
    """not_started, in_progress, completed, not_relevant, or to_confirm when
    the section holds suggested answers that nobody has confirmed yet (they
    do not count as answered)."""
    items = list(section.items.all())
    present = [answers[item.key] for item in items if item.key in answers]
    if any(answer.suggested and answer.is_answered for answer in present):
        return "to_confirm"
    given = [answer for answer in present if answer.counts]
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
