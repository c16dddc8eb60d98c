"""An assessment's scores, as the results page, reports and API show them.

Reads the database and applies the rules in readiness.scoring, to the
answers that count (services.answers_that_count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from . import paired, scoring, services
from .models import Answer, Assessment, AssessmentStatus, Item, Section
from .templatetags.readiness import signed

# The words for a section with no score, and for a change that cannot be worked out,
# on the results page and in every format of the report.
NO_SCORE = "Not relevant or not answered"
NOT_COMPARABLE = "Not comparable"
RADAR_MINIMUM = 3  # scored sections


@dataclass
class ItemResult:
    key: str
    prompt: str
    answer: str  # in a few words: "Level 2 of 4", "Partly met"
    score: Decimal | None
    notes: str
    in_full: str = ""  # the chosen statement or option in full (its type's answer_in_full)
    place: str = ""  # where it sits, for numbered statements: "Statement 2 of 4"
    details: list[str] = field(default_factory=list)  # more about the answer: a milestone's target dates
    gap: Fraction | None = None  # paired: the organisation's score minus the people's (paired.py)
    language: str = "en"  # of its prompt and answer in words (languages.translate_sections)

    @property
    def gap_shown(self) -> str:
        """+50.0: the gap as the results page and downloads show it."""
        return signed(scoring.one_decimal(self.gap)) if self.gap is not None else ""


@dataclass
class SectionResult:
    key: str
    title: str
    raw: Fraction | None  # exact; only ever shown through scoring.one_decimal
    items: list[ItemResult] = field(default_factory=list)
    weight: Decimal = Decimal(1)  # its share of the overall score
    change: Decimal | None = None
    number: int = 0  # its place among the sections that apply, as the tables and charts number it
    language: str = "en"  # of its title and its items' words (languages.translate_sections)

    @property
    def score(self) -> Decimal | None:
        return scoring.one_decimal(self.raw)

    @property
    def gap(self) -> Decimal | None:
        """paired items: the mean of the gaps of the items with both ratings
        (the organisation's score minus the people's), or None."""
        return scoring.one_decimal(paired.mean_gap(item.gap for item in self.items))

    @property
    def rated_above(self) -> list[ItemResult]:
        """Its paired items where the organisation rates itself above what people say."""
        return [item for item in self.items if item.gap is not None and item.gap > 0]

    @property
    def shown(self) -> str:
        return NO_SCORE if self.score is None else str(self.score)

    @property
    def change_shown(self) -> str:
        return NOT_COMPARABLE if self.change is None else signed(self.change)

    @property
    def status(self) -> str:
        return "scored" if self.raw is not None else "not_relevant"


@dataclass
class Results:
    assessment: Assessment
    overall_raw: Fraction | None
    sections: list[SectionResult]
    left_out: list[dict]
    previous: Assessment | None = None
    overall_change: Decimal | None = None

    @property
    def overall(self) -> Decimal | None:
        return scoring.one_decimal(self.overall_raw)

    @property
    def scored(self) -> list[SectionResult]:
        return [s for s in self.sections if s.raw is not None]

    @property
    def charted(self) -> bool:
        """Whether the radar chart is worth drawing: with fewer than three
        scored sections it collapses to a line or a point."""
        return len(self.scored) >= RADAR_MINIMUM

    @cached_property
    def ranking(self) -> scoring.Ranking:
        by_title = sorted(self.scored, key=lambda s: s.title)
        return scoring.rank_sections((s.key, s.raw) for s in by_title)

    def _sections(self, keys: list[str]) -> list[SectionResult]:
        by_key = {s.key: s for s in self.sections}
        return [by_key[key] for key in keys]

    @property
    def strengths(self) -> list[SectionResult]:
        return self._sections(self.ranking.strengths)

    @property
    def needs(self) -> list[SectionResult]:
        return self._sections(self.ranking.needs)

    @property
    def no_strengths(self) -> str:
        """What to say when there are no strengths."""
        return self.ranking.no_strengths

    @property
    def no_needs(self) -> str:
        return self.ranking.no_needs

    @property
    def gaps(self) -> list[SectionResult]:
        """Sections with paired items rated both ways, for the table of gaps."""
        return [s for s in self.sections if s.gap is not None]

    @property
    def not_relevant(self) -> list[SectionResult]:
        return [s for s in self.sections if s.raw is None]


def rule_for(item: Item) -> scoring.ItemDefinition:
    """What scoring needs of an item: its definition (its type's class scores it)."""
    return item.definition


def response_for(answer: Answer | None) -> scoring.Response | None:
    return None if answer is None else answer.response


def _section_result(section: Section, answers: dict[str, Answer]) -> SectionResult:
    items = []
    definitions = []
    for item in section.items.all():
        definition = rule_for(item)
        definitions.append(definition)
        answer = answers.get(item.key)
        response = response_for(answer)
        score = scoring.item_score(definition, response)
        items.append(
            ItemResult(
                key=item.key,
                prompt=item.prompt,
                answer=answer.display() if answer else "Not answered",
                score=scoring.one_decimal(score),
                notes=answer.notes if answer else "",
                in_full=item.kind.answer_in_full(definition, response),
                place=item.kind.place(definition, response),
                details=item.kind.describe(definition, answer.stored) if answer else [],
                gap=answer.gap if answer else None,
                language=getattr(item, "language", "en"),
            )
        )
    raw = scoring.section_score(definitions, {key: response_for(a) for key, a in answers.items()})
    return SectionResult(
        key=section.key,
        title=section.title,
        raw=raw,
        items=items,
        weight=section.weight,
        language=getattr(section, "language", "en"),
    )


def previous_submitted(assessment: Assessment) -> Assessment | None:
    earlier = Assessment.objects.filter(
        organisation=assessment.organisation,
        version__instrument=assessment.version.instrument,
        status=AssessmentStatus.SUBMITTED,
    ).exclude(pk=assessment.pk)
    if assessment.submitted_at:
        earlier = earlier.filter(submitted_at__lt=assessment.submitted_at)
    return earlier.order_by("-submitted_at").first()


def _delta(now: Fraction | None, before: Fraction | None) -> Decimal | None:
    """The change in the shown (rounded) scores, so that it matches what people
    can work out from the two results pages."""
    if now is None or before is None:
        return None
    return scoring.one_decimal(now) - scoring.one_decimal(before)


def results_for(assessment: Assessment, *, compare: bool = True) -> Results:
    applies, left_out = services.split_sections(assessment)
    answers = services.answers_for(assessment)
    sections = [_section_result(section, answers) for section in applies]
    for number, section in enumerate(sections, start=1):
        section.number = number
    overall = scoring.overall_score([s.raw for s in sections], [s.weight for s in sections])
    results = Results(assessment=assessment, overall_raw=overall, sections=sections, left_out=left_out)
    if compare:
        previous = previous_submitted(assessment)
        if previous is not None:
            before = results_for(previous, compare=False)
            before_by_key = {s.key: s.raw for s in before.sections}
            for section in sections:
                section.change = _delta(section.raw, before_by_key.get(section.key))
            results.previous = previous
            results.overall_change = _delta(overall, before.overall_raw)
    return results
