"""Workflows across the readiness models: starting, answering, co-producing
and submitting an assessment. One transaction each.

Everything that changes a draft's answers, respondents or status first locks
the assessment's row, then reads what it decides on, so that saves, submitting
and removing a respondent happen one after the other (``personfirst.core.concurrency``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from personfirst.core.concurrency import ConflictError, refresh_locked
from personfirst.core.validation import Collector, Invalid

from . import conditions, crosswalk, languages, structure
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

NOT_EDITABLE = "This assessment has been submitted, so its answers can no longer be changed."


class NotEditable(ConflictError):
    """The assessment has been submitted; its answers are frozen. ``current``
    is the assessment as it is now."""

    def __init__(self, current: Assessment | None = None) -> None:
        super().__init__(NOT_EDITABLE, current)


def _locked_draft(assessment: Assessment) -> Assessment:
    """The assessment read again under its row lock; NotEditable once submitted."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_draft:
        raise NotEditable(assessment)
    return assessment


ANSWER_FIELDS = (
    "level",
    "option",
    "not_relevant",
    "dont_know",
    "text",
    "notes",
    "target_dates",
    "we_option",
    "evidence",
    "achieved_on",
)
# An answer with nothing given, field by field.
EMPTY_ANSWER = {
    "level": None,
    "option": "",
    "not_relevant": False,
    "dont_know": False,
    "text": "",
    "notes": "",
    "target_dates": {},
    "we_option": "",
    "evidence": "",
    "achieved_on": None,
}


@dataclass
class Conflict:
    """Someone else saved (or cleared) this answer after the person loaded
    the page; ``theirs`` is None when there is no answer now."""

    item_key: str
    theirs: Answer | None
    yours: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def start(*, organisation, instrument: Instrument, by, language: str = languages.ENGLISH) -> Assessment:
    """A new draft assessment with the instrument's latest version, in one of
    the languages it has (English, or a Welsh version: languages.py), with
    answers suggested from the organisation's other assessments (answer once).
    Invalid ("language") for a language the version has not been translated into."""
    version = instrument.latest_version()
    if version is None:
        raise ValueError(f"{instrument} has no loaded version")
    offered = languages.languages_of(version)
    if language not in dict(offered):
        raise Invalid.one(
            "language",
            f"The {instrument.title} can be answered in {' or '.join(name for _code, name in offered)} only.",
        )
    assessment = Assessment.objects.create(organisation=organisation, version=version, started_by=by, language=language)
    suggest_answers(assessment, by=by)
    return assessment


def suggest_answers(assessment: Assessment, by=None) -> list[Answer]:
    """Answer once: for each item (in a section that applies) that the
    crosswalk links to items of OTHER instruments, the organisation's latest
    agreed answer to one of those items in a submitted assessment, carried
    onto this item's scale (crosswalk.carry), as a suggested answer.

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
        Answer.objects.that_count()
        .filter(
            matches,
            assessment__organisation=assessment.organisation,
            assessment__status=AssessmentStatus.SUBMITTED,
            not_relevant=False,
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
        carried = crosswalk.carry(source.item.definition, source.response, item.definition)
        if carried is None:
            continue  # an answer the source item no longer has, or a scale with one point
        suggestions.append(
            Answer(
                assessment=assessment,
                item=item,
                level=carried.level,
                option=carried.option or "",
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
    instrument, the date that assessment was submitted and who gave that
    answer (blank if unknown). None when the answer is not a suggestion; {}
    when its source has since been deleted."""
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
        "answered_by": source.updated_by.display_name if source.updated_by_id else "",
    }


def left_out_keys(assessment: Assessment) -> tuple[set[str], set[str]]:
    """(keys of sections left out, keys of single items left out) when the
    assessment was submitted (Assessment.left_out)."""
    sections = {entry["key"] for entry in assessment.left_out if "section" not in entry}
    items = {entry["key"] for entry in assessment.left_out if "section" in entry}
    return sections, items


def split_sections(assessment: Assessment) -> tuple[list[Section], list[dict]]:
    """(sections that apply, each holding only its items that apply; the
    sections and items left out, each with the reason).

    Conditions (conditions.py) follow the organisation's profile while the
    assessment is a draft, and are frozen when it is submitted. A left-out
    item is listed as {"key", "title" (its prompt), "reason", "section"}.
    Every page, the API, the scores and the plan see the sections' items
    through this, so a left-out item is nowhere asked, scored or planned.

    Sections and items are in the assessment's language
    (languages.translate_sections: the words only).

    The version's sections come from the kept structure (structure.py);
    only when single items are left out, or the words are in another
    language, are the sections read again, as copies (the kept ones are
    shared: never changed)."""
    version = assessment.version
    sections = structure.sections_of(version)
    in_english = assessment.language == languages.ENGLISH

    def holding_all_but(keys: set[str]) -> list[Section]:
        if not keys and in_english:
            return list(sections)
        copies = list(version.sections.prefetch_related(_items_but(keys)))
        languages.translate_sections(copies, version, assessment.language)
        return copies

    if not assessment.is_draft:
        left_keys, left_items = left_out_keys(assessment)
        return [s for s in holding_all_but(left_items) if s.key not in left_keys], list(assessment.left_out)
    profile = conditions.Profile.of(assessment.organisation)
    applies, left_out, left_items = [], [], []
    excluded = set()
    for section in sections:
        for item in section.items.all():
            if item.condition is not None and not conditions.applies(item.condition, profile):
                excluded.add(item.key)
                left_items.append(item)
    for section in holding_all_but(excluded):
        if conditions.applies(section.condition, profile):
            applies.append(section)
        else:
            left_out.append(
                {"key": section.key, "title": section.title, "reason": conditions.describe(section.condition)}
            )
    applying = {section.key for section in applies}
    for item in sorted(left_items, key=lambda i: (i.section.position, i.position)):
        if item.section.key in applying:
            left_out.append(
                {
                    "key": item.key,
                    "title": item.prompt,
                    "reason": conditions.describe(item.condition),
                    "section": item.section.key,
                }
            )
    return applies, left_out


def _items_but(keys: set[str]) -> Prefetch:
    """A section's items, less those with these keys."""
    return Prefetch("items", queryset=Item.objects.exclude(key__in=keys) if keys else Item.objects.all())


def answers_that_count(assessments: Iterable[Assessment | int]) -> dict[int, dict[str, Answer]]:
    """assessment pk -> item key -> answer, for the answers that count
    (``Answer.objects.that_count``: agreed, and not a suggestion waiting to
    be confirmed), in one query whatever the number of assessments.

    The one place that decides which answers count: results, history,
    caseload, plans, reports, the API and insight's facts all come here.
    """
    ids = [a if isinstance(a, int) else a.pk for a in assessments]
    found: dict[int, dict[str, Answer]] = {pk: {} for pk in ids}
    if ids:
        for answer in Answer.objects.that_count().filter(assessment_id__in=ids).select_related("item"):
            found[answer.assessment_id][answer.item.key] = answer
    return found


def answers_for(
    assessment: Assessment, respondent: Respondent | None = None, *, include_suggested: bool = False
) -> dict[str, Answer]:
    """item key -> answer: the answers that count (answers_that_count), or a
    respondent's own answers when one is given.

    Pages that show suggested answers for checking (a section, the
    check-your-answers page, the API's view of an assessment) ask for them
    too with ``include_suggested=True``; they never count.
    """
    if respondent is None and not include_suggested:
        return answers_that_count([assessment])[assessment.pk]
    items = structure.items_of(assessment.version)  # each answer's item, without a join
    found = {}
    for answer in Answer.objects.filter(assessment=assessment, respondent=respondent):
        if answer.item_id in items:
            answer.item = items[answer.item_id]
        found[answer.item.key] = answer
    return found


def section_status(section: Section, answers: dict[str, Answer]) -> str:
    """not_started, in_progress, completed, not_relevant, or to_confirm when
    the section holds suggested answers that nobody has confirmed yet (they
    do not count as answered)."""
    items = list(section.items.all())
    if any(answers[item.key].suggested and answers[item.key].is_answered for item in items if item.key in answers):
        return "to_confirm"
    # Context questions (never scored) do not hold a section up: only the
    # scored ones count, unless the section has nothing else. A "Don't know"
    # answer is an answer (dont_know_count counts them apart).
    items = [item for item in items if item.kind.scored] or items
    present = [answers[item.key] for item in items if item.key in answers]
    given = [answer for answer in present if answer.counts]
    if not given:
        return "not_started"
    if len(given) < len(items):
        return "in_progress"
    if all(answer.not_relevant for answer in given):
        return "not_relevant"
    return "completed"


def dont_know_count(sections: Iterable[Section], answers: Mapping[str, Answer]) -> int:
    """How many of these sections' questions are answered "Don't know" (progress shows them apart)."""
    return sum(
        1
        for section in sections
        for item in section.items.all()
        if item.key in answers and answers[item.key].dont_know and answers[item.key].counts
    )


def _values_of(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return dict(EMPTY_ANSWER)
    return {name: getattr(answer, name) for name in ANSWER_FIELDS}


def clean_answers(section: Section, values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The answers given for a section's items, each checked by its item
    type (ItemType.clean); Invalid naming every problem, each field inside
    its item's key, such as ("trustee-board", "level")."""
    items = {item.key: item for item in section.items.all()}
    problems = Collector()
    cleaned = {}
    for key, given in values.items():
        item = items.get(key)
        if item is None:
            problems.add((key,), f"‘{section.title}’ has no question with the key ‘{key}’.")
            continue
        try:
            cleaned[key] = item.kind.clean(item.definition, given)
        except Invalid as invalid:
            problems.extend(invalid, key)
    problems.raise_if_any()
    return cleaned


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

    ``values`` holds, per item key, what was given (level, option,
    not_relevant, notes, target_dates; any may be left out). Each is checked
    by its item's type first: ``Invalid`` (personfirst.core.validation)
    names every problem, and nothing is saved. The web page and the API both
    come here, so they refuse the same input with the same messages.

    ``revisions`` holds, per item, the revision the person saw when the page
    was loaded (0 for "no answer yet"). If someone else has saved a
    different answer since, nothing is saved and the conflicts are returned
    so that the page can show both versions. NotEditable once the assessment
    has been submitted; ConflictError if the respondent has been removed.
    """
    values = clean_answers(section, values)
    assessment = _locked_draft(assessment)
    if respondent is not None and not Respondent.objects.filter(pk=respondent.pk).exists():
        raise ConflictError(
            "You are no longer asked for your own answers to this assessment: someone has removed you. "
            "Nothing was saved."
        )
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
    """Freeze the answers and send ``assessment_submitted`` (which drafts the
    plan, in this transaction). NotEditable if it has been submitted already."""
    assessment = _locked_draft(assessment)
    _applies, left_out = split_sections(assessment)
    assessment.left_out = left_out
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save()
    assessment_submitted.send(sender=Assessment, assessment=assessment, by=by)
    return assessment


@transaction.atomic
def add_respondent(*, assessment: Assessment, user, perspective: str, by) -> Respondent:
    """Ask ``user`` for their own answers. Asking someone already asked (by
    anyone, even at the same moment) keeps the first, with its perspective."""
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    respondent, _ = Respondent.objects.get_or_create(
        assessment=assessment, user=user, defaults={"perspective": perspective, "added_by": by}
    )
    return respondent


@transaction.atomic
def remove_respondent(respondent: Respondent) -> None:
    """Stop asking someone for their own answers, and delete the answers they
    gave. ConflictError if they have been removed already."""
    Assessment.objects.select_for_update().filter(pk=respondent.assessment_id).first()
    refresh_locked(respondent, f"{respondent.user.display_name} had already been removed. Nothing was changed.")
    respondent.delete()
