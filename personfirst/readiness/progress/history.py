"""An organisation's progress over time: its submitted assessments and their
scores, each section's score from one assessment to the next, and how many
actions of its plan it has done each quarter.

Plain functions: they read the database but know nothing of HTTP. Scores
come from progress.scores, so they are exactly the figures of the results
pages (readiness/results.py), shown to one decimal place.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from personfirst.readiness.assessments.models import Assessment, AssessmentStatus, Instrument
from personfirst.readiness.plans.models import Action, ActionStatus

from .scores import AssessmentScores, submitted_scores


@dataclass
class AssessmentPoint:
    """One submitted assessment of an instrument."""

    assessment: Assessment
    submitted_on: datetime.date
    version_label: str
    overall: Decimal | None


@dataclass
class SectionTrend:
    """One section's shown score in each submitted assessment, oldest first.

    Sections are matched by key, so a section keeps its row when a later
    version of the instrument renames it; the title is the newest one. None
    where the section had no score: not relevant or not answered, left out,
    or not in that version of the instrument.
    """

    number: int
    key: str
    title: str
    scores: list[Decimal | None] = field(default_factory=list)


@dataclass
class InstrumentHistory:
    instrument: Instrument
    points: list[AssessmentPoint]  # oldest first
    sections: list[SectionTrend]

    @property
    def newest_first(self) -> list[AssessmentPoint]:
        return self.points[::-1]

    @property
    def overall(self) -> list[Decimal | None]:
        return [point.overall for point in self.points]


def submitted_assessments(organisation, instrument_key: str | None = None):
    """The organisation's submitted assessments, oldest first."""
    assessments = Assessment.objects.filter(organisation=organisation, status=AssessmentStatus.SUBMITTED)
    if instrument_key is not None:
        assessments = assessments.filter(version__instrument__key=instrument_key)
    return assessments.select_related("version__instrument").order_by("submitted_at", "pk")


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def instrument_histories(organisation, instrument_key: str | None = None) -> list[InstrumentHistory]:
    """One history per instrument the organisation has submitted an assessment
    of (or just the one named), in instrument title order."""
    assessments = list(submitted_assessments(organisation, instrument_key))
    scores = submitted_scores(assessments)
    by_instrument: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_instrument.setdefault(assessment.version.instrument_id, []).append(assessment)
    histories = [_history(group, scores) for group in by_instrument.values()]
    return sorted(histories, key=lambda h: (h.instrument.title.casefold(), h.instrument.key))


def _history(assessments: list[Assessment], scores: dict[int, AssessmentScores]) -> InstrumentHistory:
    points = [
        AssessmentPoint(
            assessment=a,
            submitted_on=local_date(a.submitted_at),
            version_label=a.version.label,
            overall=scores[a.pk].overall,
        )
        for a in assessments
    ]
    # Rows in the newest assessment's order, then any sections only older
    # versions had; each with its newest title.
    rows: dict[str, SectionTrend] = {}
    for assessment in reversed(assessments):
        for section in scores[assessment.pk].sections:
            if section.key not in rows:
                rows[section.key] = SectionTrend(number=len(rows) + 1, key=section.key, title=section.title)
    for assessment in assessments:
        shown = {s.key: s.score for s in scores[assessment.pk].sections}
        for row in rows.values():
            row.scores.append(shown.get(row.key))
    return InstrumentHistory(instrument=assessments[0].version.instrument, points=points, sections=list(rows.values()))


# --- Actions done per quarter ------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4: January to March is 1

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class QuarterCount:
    quarter: Quarter
    count: int

    @property
    def label(self) -> str:
        return self.quarter.label


def quarters_from(first: Quarter, last: Quarter) -> list[Quarter]:
    quarters = []
    quarter = first
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def actions_done_by_quarter(organisation, today: datetime.date | None = None) -> list[QuarterCount]:
    """How many of the organisation's actions were done in each quarter (by
    the date, in local time, on which each was marked done), from the first
    quarter with one to this quarter, quarters with none included. Empty if
    no action has been done yet."""
    today = today or timezone.localdate()
    done = Action.objects.filter(
        organisation=organisation, status=ActionStatus.DONE, completed_at__isnull=False
    ).values_list("completed_at", flat=True)
    counts = Counter(Quarter.of(local_date(moment)) for moment in done)
    if not counts:
        return []
    last = max(max(counts), Quarter.of(today))
    return [QuarterCount(quarter, counts.get(quarter, 0)) for quarter in quarters_from(min(counts), last)]
