"""The scores of many submitted assessments at once, in a fixed number of
queries (for pages that list several: an organisation's history, a
development worker's caseload).

The figures are exactly those of readiness.results.results_for, which works
on one assessment at a time: the same sections (the version's sections less
those left out when it was submitted), the same agreed answers, and the same
rules from readiness.scoring, applied with the same helpers. Which answers
count is decided in one place, services.answers_that_count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from personfirst.readiness.assessments import scoring, services
from personfirst.readiness.assessments.models import Assessment, Section
from personfirst.readiness.assessments.results import response_for, rule_for


@dataclass(frozen=True)
class SectionScore:
    key: str
    title: str
    raw: Fraction | None  # exact; only ever shown through scoring.one_decimal
    weight: Decimal = Decimal(1)

    @property
    def score(self) -> Decimal | None:
        return scoring.one_decimal(self.raw)


@dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    sections: tuple[SectionScore, ...]  # the sections that apply, in the instrument's order
    overall_raw: Fraction | None

    @property
    def overall(self) -> Decimal | None:
        return scoring.one_decimal(self.overall_raw)


def submitted_scores(assessments: Iterable[Assessment]) -> dict[int, AssessmentScores]:
    """assessment pk -> its scores, for submitted assessments, in three queries
    whatever their number (none for an empty list).

    Drafts are refused: which of their sections apply still follows the
    organisation's profile, and their scores may change.
    """
    assessments = list(assessments)
    if not assessments:
        return {}
    drafts = [a.pk for a in assessments if a.is_draft]
    if drafts:
        raise ValueError(f"assessments {drafts} are drafts; only submitted assessments are scored here")
    sections_of: dict[int, list[Section]] = defaultdict(list)
    version_ids = {a.version_id for a in assessments}
    for section in (
        Section.objects.filter(version_id__in=version_ids).order_by("position", "pk").prefetch_related("items")
    ):
        sections_of[section.version_id].append(section)
    counting = services.answers_that_count(assessments)
    responses = {pk: {key: response_for(answer) for key, answer in answers.items()} for pk, answers in counting.items()}
    return {a.pk: _scores(a, sections_of[a.version_id], responses[a.pk]) for a in assessments}


def _scores(assessment: Assessment, sections: list[Section], responses: dict) -> AssessmentScores:
    left_out, items_left_out = services.left_out_keys(assessment)
    scored = []
    for section in sections:
        if section.key in left_out:
            continue
        rules = [rule_for(item) for item in section.items.all() if item.key not in items_left_out]
        raw = scoring.section_score(rules, responses)
        scored.append(SectionScore(section.key, section.title, raw, section.weight))
    overall = scoring.overall_score([s.raw for s in scored], [s.weight for s in scored])
    return AssessmentScores(assessment_id=assessment.pk, sections=tuple(scored), overall_raw=overall)
