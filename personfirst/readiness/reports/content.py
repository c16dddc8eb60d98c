"""What a readiness report says, as plain data.

``build(assessment)`` gathers everything a report shows into one ``Report``.
The web page and every download (PDF, Word, Excel, CSV) are drawn from it,
so they all show the same figures. The scores come from
``readiness.results`` (the results page's own rules, docs/scoring.md) and
are kept as the one-decimal figures the results page shows; the flags come
from ``readiness.coproduction``; the plan is the assessment's accepted
actions (``plans.models.Action``).

Reads the database; no HTTP.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from personfirst.readiness.assessments import coproduction, results, services
from personfirst.readiness.assessments.models import Answer, Assessment
from personfirst.readiness.assessments.results import NO_SCORE, NOT_COMPARABLE
from personfirst.readiness.assessments.templatetags.readiness import signed
from personfirst.readiness.plans.models import Action, ActionStatus

NO_OVERALL = "No score yet"
NO_DATE = "No date set"
# Actions that are in the plan: not suggestions still waiting for a
# decision, and not ones the organisation has dropped.
LEFT_OUT_OF_PLAN = (ActionStatus.SUGGESTED, ActionStatus.DROPPED)


# Control characters (other than tab and new line) are not allowed in the XML
# inside Word and Excel files; nobody means to type them.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10)) | {13: None, 127: None}


def clean(text: str | None) -> str:
    """Text as typed, without control characters, and with Windows line ends made plain."""
    return (text or "").replace("\r\n", "\n").translate(_CONTROL)


def shown(score: Decimal | None, empty: str = NO_SCORE) -> str:
    """A score as every format shows it: 62.5, or the words for no score."""
    return str(score) if score is not None else empty


def long_date(day: datetime.date | None, empty: str = "") -> str:
    """4 March 2026."""
    return f"{day.day} {day:%B %Y}" if day else empty


@dataclass(frozen=True)
class SectionScore:
    number: int  # as in the results page's table, counting the sections that apply
    key: str
    title: str
    score: Decimal | None  # one decimal place, as shown
    change: Decimal | None = None

    @property
    def shown(self) -> str:
        return shown(self.score)

    @property
    def change_shown(self) -> str:
        return signed(self.change) if self.change is not None else NOT_COMPARABLE


@dataclass(frozen=True)
class ItemAnswer:
    number: str  # "3.2": the second question of section 3
    key: str
    prompt: str
    answer: str
    score: Decimal | None
    notes: str
    statement: str = ""  # for a level: the statement chosen
    flag: str | None = None  # respondents two or more levels apart
    # More about the answer (ItemType.describe): a paired question's own
    # rating and gap, evidence, the date achieved, a milestone's target dates.
    details: tuple[str, ...] = ()
    gap: str = ""  # paired: the organisation's score minus the people's, "+50.0"

    @property
    def answer_in_full(self) -> str:
        shown = f"{self.answer}: {self.statement}" if self.statement else self.answer
        return ". ".join([shown, *self.details]) if self.details else shown

    @property
    def score_shown(self) -> str:
        return shown(self.score, "No score")


@dataclass(frozen=True)
class SectionAnswers:
    number: int
    title: str
    score: Decimal | None
    items: list[ItemAnswer] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return shown(self.score)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title} ({shown(self.score, 'no score')})"


@dataclass(frozen=True)
class LeftOut:
    title: str
    reason: str


@dataclass(frozen=True)
class View:
    """One respondent's own answer to a flagged question."""

    name: str
    perspective: str
    answer: str


@dataclass(frozen=True)
class Disagreement:
    number: str
    section: str
    prompt: str
    distance: int
    flag: str
    views: list[View]
    agreed: str

    @property
    def question(self) -> str:
        return f"{self.section}: {self.prompt}"

    @property
    def views_shown(self) -> str:
        return "; ".join(f"{v.name} ({v.perspective.lower()}): {v.answer}" for v in self.views)


@dataclass(frozen=True)
class PlanAction:
    title: str
    why: str
    owner: str
    due_date: datetime.date | None
    status: str

    @property
    def due_shown(self) -> str:
        return long_date(self.due_date, NO_DATE)


@dataclass(frozen=True)
class Person:
    name: str
    part: str  # what they did, e.g. "submitted the assessment"


@dataclass(frozen=True)
class Report:
    organisation: str
    organisation_slug: str
    instrument: str
    instrument_key: str
    version: str
    publisher: str
    submitted_on: datetime.date
    submitted_by: str
    people: list[Person]
    overall: Decimal | None
    sections: list[SectionScore]
    strengths: list[SectionScore]
    needs: list[SectionScore]
    no_strengths: str  # said in place of an empty list of strengths
    no_needs: str
    left_out: list[LeftOut]
    answers: list[SectionAnswers]
    disagreements: list[Disagreement]
    actions: list[PlanAction]
    produced_on: datetime.date
    previous_on: datetime.date | None = None
    overall_change: Decimal | None = None

    @property
    def title(self) -> str:
        return f"Readiness report: {self.instrument}"

    @property
    def overall_shown(self) -> str:
        return shown(self.overall, NO_OVERALL)

    @property
    def overall_change_shown(self) -> str:
        return signed(self.overall_change) if self.overall_change is not None else NOT_COMPARABLE

    @property
    def submitted_shown(self) -> str:
        return long_date(self.submitted_on)

    @property
    def instrument_shown(self) -> str:
        return f"{self.instrument}, version {self.version}" if self.version else self.instrument

    @property
    def details(self) -> list[list[str]]:
        """The table at the top of the PDF and Word files, as (heading, text) rows."""
        return [
            ["Organisation", self.organisation],
            ["Instrument", self.instrument_shown + (f" ({self.publisher})" if self.publisher else "")],
            ["Submitted", self.submitted_shown + (f" by {self.submitted_by}" if self.submitted_by else "")],
            ["Who took part", "\n".join(f"{p.name}: {p.part}" for p in self.people) or "Not recorded"],
            ["Report produced", f"{self.produced_on.day} {self.produced_on:%B %Y}"],
        ]

    @property
    def not_scored(self) -> list[SectionScore]:
        return [s for s in self.sections if s.score is None]

    @property
    def has_scores(self) -> bool:
        return any(s.score is not None for s in self.sections)

    @property
    def filename(self) -> str:
        """eastmere-carers-centre-health-check-2026-03-04 (add the extension)."""
        return f"{self.organisation_slug}-{self.instrument_key}-{self.submitted_on.isoformat()}"


class NotSubmitted(Exception):
    """Only a submitted assessment has a report: a draft's answers can still change."""


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _people(assessment: Assessment) -> list[Person]:
    """Who took part: who started and submitted the assessment, who recorded
    agreed answers, and who gave their own answers (co-production)."""
    parts: dict[int, tuple[str, list[str]]] = {}

    def note(user, part: str) -> None:
        if user is None:
            return
        parts.setdefault(user.pk, (clean(user.display_name), []))[1].append(part)

    note(assessment.started_by, "started the assessment")
    # The answers that count (an unconfirmed suggestion was recorded by nobody).
    recorders = (
        Answer.objects.that_count()
        .filter(assessment=assessment, updated_by__isnull=False)
        .select_related("updated_by")
        .order_by("updated_by__full_name", "updated_by__email")
    )
    seen = set()
    for answer in recorders:
        if answer.updated_by_id not in seen:
            seen.add(answer.updated_by_id)
            note(answer.updated_by, "recorded agreed answers")
    for respondent in assessment.respondents.select_related("user"):
        given = respondent.answers.count()
        view = respondent.get_perspective_display().lower()
        if given:
            note(respondent.user, f"gave their own answers as {_with_article(view)}")
        else:
            note(respondent.user, f"was asked for their own answers as {_with_article(view)}, and gave none")
    note(assessment.submitted_by, "submitted the assessment")
    return [Person(name, _sentence(what)) for name, what in parts.values()]


def _with_article(words: str) -> str:
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _sentence(parts: list[str]) -> str:
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[:1].upper() + text[1:]


def _disagreements(assessment: Assessment, numbers: dict[str, str]) -> list[Disagreement]:
    applies, _left_out = services.split_sections(assessment)
    found = []
    for section, spreads in coproduction.spreads(assessment, applies):
        for spread in spreads:
            if not spread.flag:
                continue
            views = [
                View(clean(respondent.user.display_name), respondent.get_perspective_display(), clean(answer.display()))
                for respondent, answer in spread.rows
                if answer is not None and answer.is_answered
            ]
            found.append(
                Disagreement(
                    number=numbers.get(spread.item.key, ""),
                    section=clean(section.title),
                    prompt=clean(spread.item.prompt),
                    distance=spread.distance,
                    flag=spread.flag,
                    views=views,
                    agreed=clean(spread.agreed.display()) if spread.agreed else "Not recorded",
                )
            )
    return found


def _statements(assessment: Assessment) -> dict[str, str]:
    """item key -> the statement the agreed answer chose, where its type has one (a ladder's level)."""
    found = {}
    for key, answer in services.answers_for(assessment).items():
        statement = answer.item.kind.statement(answer.item.definition, answer.response)
        if statement:
            found[key] = statement
    return found


def _actions(assessment: Assessment) -> list[PlanAction]:
    actions = Action.objects.filter(assessment=assessment).exclude(status__in=LEFT_OUT_OF_PLAN)
    return [
        PlanAction(
            title=clean(action.title),
            why=clean(action.why),
            owner=clean(action.owner),
            due_date=action.due_date,
            status=action.get_status_display(),
        )
        for action in actions.order_by("position", "pk")
    ]


def build(assessment: Assessment) -> Report:
    """Everything the report on a submitted assessment shows."""
    if assessment.is_draft:
        raise NotSubmitted(assessment)
    result = results.results_for(assessment)
    sections = [
        SectionScore(number=n, key=s.key, title=clean(s.title), score=s.score, change=s.change)
        for n, s in enumerate(result.sections, start=1)
    ]
    by_key = {s.key: s for s in sections}
    numbers = {}
    answers = []
    for n, section in enumerate(result.sections, start=1):
        for i, item in enumerate(section.items, start=1):
            numbers[item.key] = f"{n}.{i}"
    disagreements = _disagreements(assessment, numbers)
    flags = {d.number: d.flag for d in disagreements}
    statements = _statements(assessment)
    for n, section in enumerate(result.sections, start=1):
        items = [
            ItemAnswer(
                number=numbers[item.key],
                key=item.key,
                prompt=clean(item.prompt),
                answer=clean(item.answer),
                score=item.score,
                notes=clean(item.notes),
                statement=clean(statements.get(item.key, "")),
                flag=flags.get(numbers[item.key]),
                details=tuple(clean(line) for line in item.details),
                gap=item.gap_shown,
            )
            for item in section.items
        ]
        answers.append(SectionAnswers(number=n, title=clean(section.title), score=section.score, items=items))
    version = assessment.version
    return Report(
        organisation=clean(assessment.organisation.name),
        organisation_slug=assessment.organisation.slug,
        instrument=clean(version.title),
        instrument_key=version.instrument.key,
        version=clean(version.label),
        publisher=clean(version.publisher),
        submitted_on=_local_date(assessment.submitted_at),
        submitted_by=clean(assessment.submitted_by.display_name) if assessment.submitted_by else "",
        people=_people(assessment),
        overall=result.overall,
        sections=sections,
        strengths=[by_key[s.key] for s in result.strengths],
        needs=[by_key[s.key] for s in result.needs],
        no_strengths=result.no_strengths,
        no_needs=result.no_needs,
        left_out=[LeftOut(clean(entry["title"]), clean(entry["reason"])) for entry in result.left_out],
        answers=answers,
        disagreements=disagreements,
        actions=_actions(assessment),
        produced_on=timezone.localdate(),
        previous_on=_local_date(result.previous.submitted_at) if result.previous else None,
        overall_change=result.overall_change,
    )
