"""The resource allocation system (RAS): from a self-assessment's answers to
an indicative personal budget, and why.

Plain Python: no database, no HTTP. A ``Ras`` is one version of a council's
RAS, as read from its definition file (``ras_file.py``); ``allocate`` is the
whole arithmetic, and its ``Allocation`` says every step in the service's
words, so that the person, the practitioner and the API are shown exactly
the sum that was done.

The arithmetic, in order (docs/sds.md says it for a council officer):

1. **Points.** Each answer the person gave carries the points the RAS sets
   for it. Unanswered questions count 0.
2. **Domain caps.** Each domain's points are added up and capped at the
   domain's cap, so that no one area of life outweighs the rest.
3. **Support for a carer.** The carer's part is a domain like the others,
   counted only when a carer is present. Points are *never taken away*
   because someone lives with a carer: the person's needs are scored as if
   no one helped, and the help a carer gives willingly is counted in the
   support plan (as support already in place), not subtracted here.
4. **Conversion.** Total points become a weekly amount: by a price per
   point (points × price), or by a band table (the amount of the highest
   band whose lower limit the points reach).
5. **Contingency.** A percentage is added for the unexpected.
6. **Rounding.** The weekly amount is rounded up (or to the nearest) to a
   whole multiple of the rounding step.
7. **Ceiling.** Above the ceiling, no figure is given: the case goes to a
   panel, which looks at it as a whole.

The yearly amount is the weekly amount × 52.

Every step is monotone: more points never lower the amount (bands are
checked to rise), so within one RAS version more need never means less
money.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

WEEKS_IN_A_YEAR = 52
PENNY = Decimal("0.01")
CARER_DOMAIN = "carer"


class RasError(ValueError):
    """A RAS that cannot work (bands that fall, a negative price...)."""


@dataclass(frozen=True)
class Question:
    key: str
    points: Mapping[str, int]  # answer (option key) -> points


@dataclass(frozen=True)
class Domain:
    key: str
    title: str
    cap: int
    questions: tuple[Question, ...]
    # Counted only when a carer is present (the carer's part).
    carer_only: bool = False


@dataclass(frozen=True)
class Band:
    from_points: int
    weekly: Decimal


@dataclass(frozen=True)
class Ras:
    key: str
    version: int
    title: str
    effective_from: datetime.date
    domains: tuple[Domain, ...]
    price_per_point: Decimal | None = None
    bands: tuple[Band, ...] = ()
    contingency_percent: Decimal = Decimal(0)
    round_to: Decimal = Decimal("1.00")
    round_up: bool = True
    ceiling_weekly: Decimal | None = None

    def __post_init__(self) -> None:
        check(self)

    def question(self, key: str) -> tuple[Domain, Question] | None:
        for domain in self.domains:
            for question in domain.questions:
                if question.key == key:
                    return domain, question
        return None

    @property
    def question_keys(self) -> tuple[str, ...]:
        return tuple(q.key for d in self.domains for q in d.questions)


def check(ras: Ras) -> None:
    """Raise RasError if the RAS could not give a sound, monotone budget."""
    if (ras.price_per_point is None) == (not ras.bands):
        raise RasError("Give either a price per point or a band table, not both or neither.")
    if ras.price_per_point is not None and ras.price_per_point < 0:
        raise RasError("The price per point cannot be negative.")
    if ras.bands:
        if ras.bands[0].from_points != 0:
            raise RasError("The first band must start at 0 points.")
        for before, after in zip(ras.bands, ras.bands[1:], strict=False):
            if after.from_points <= before.from_points:
                raise RasError(f"The band from {after.from_points} points must start above the one before it.")
            if after.weekly < before.weekly:
                raise RasError(f"The band from {after.from_points} points gives less than the band before it.")
        if any(band.weekly < 0 for band in ras.bands):
            raise RasError("A band's weekly amount cannot be negative.")
    if ras.contingency_percent < 0:
        raise RasError("The contingency cannot be negative.")
    if ras.round_to <= 0:
        raise RasError("Round to an amount above £0.")
    if ras.ceiling_weekly is not None and ras.ceiling_weekly < 0:
        raise RasError("The ceiling cannot be negative.")
    seen: set[str] = set()
    for domain in ras.domains:
        if domain.cap < 0:
            raise RasError(f"The cap of {domain.title} cannot be negative.")
        for question in domain.questions:
            if question.key in seen:
                raise RasError(f"The question {question.key} is in the RAS twice.")
            seen.add(question.key)
            if any(points < 0 for points in question.points.values()):
                raise RasError(f"An answer to {question.key} has negative points.")


@dataclass(frozen=True)
class AnswerPoints:
    question: str
    answer: str
    points: int


@dataclass(frozen=True)
class DomainPoints:
    key: str
    title: str
    answers: tuple[AnswerPoints, ...]
    raw: int  # before the cap
    cap: int
    counted: int  # what counts: min(raw, cap), or 0 for the carer's part without a carer
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One line of "why this amount": what was done, and the weekly amount after it."""

    text: str
    weekly: Decimal


@dataclass(frozen=True)
class Allocation:
    ras_key: str
    ras_version: int
    domains: tuple[DomainPoints, ...]
    points: int
    steps: tuple[Step, ...]
    # None when the case goes to a panel: then no figure is given.
    weekly: Decimal | None
    to_panel: bool = False
    moved_by: tuple[tuple[AnswerPoints, Decimal], ...] = field(default=())

    @property
    def yearly(self) -> Decimal | None:
        return None if self.weekly is None else self.weekly * WEEKS_IN_A_YEAR


def points_for(ras: Ras, answers: Mapping[str, str], carer_present: bool) -> tuple[DomainPoints, ...]:
    rows = []
    for domain in ras.domains:
        given = []
        for question in domain.questions:
            answer = answers.get(question.key)
            if answer is not None and answer in question.points:
                given.append(AnswerPoints(question.key, answer, question.points[answer]))
        raw = sum(a.points for a in given)
        counted = min(raw, domain.cap)
        note = ""
        if domain.carer_only and not carer_present:
            counted, note = 0, "No carer is present, so this part does not count."
        elif raw > domain.cap:
            note = f"Capped at {domain.cap} points."
        rows.append(DomainPoints(domain.key, domain.title, tuple(given), raw, domain.cap, counted, note))
    return tuple(rows)


def money(amount: Decimal) -> str:
    return f"£{amount.quantize(PENNY):,}"


def _convert(ras: Ras, points: int) -> tuple[Decimal, str]:
    if ras.price_per_point is not None:
        weekly = ras.price_per_point * points
        return weekly, f"{points} points × {money(ras.price_per_point)} a point = {money(weekly)} a week"
    band = next(b for b in reversed(ras.bands) if points >= b.from_points)
    return band.weekly, f"{points} points are in the band from {band.from_points} points: {money(band.weekly)} a week"


def _round(ras: Ras, amount: Decimal) -> Decimal:
    steps = (amount / ras.round_to).to_integral_value(rounding=ROUND_CEILING if ras.round_up else ROUND_HALF_UP)
    return (steps * ras.round_to).quantize(PENNY)


def _weekly(ras: Ras, points: int) -> tuple[Decimal | None, list[Step]]:
    steps = []
    weekly, text = _convert(ras, points)
    steps.append(Step(text, weekly))
    if ras.contingency_percent:
        extra = weekly * ras.contingency_percent / 100
        weekly = weekly + extra
        steps.append(Step(f"Add {ras.contingency_percent}% for the unexpected: {money(extra)}", weekly))
    rounded = _round(ras, weekly)
    how = "up to a multiple" if ras.round_up else "to the nearest multiple"
    steps.append(Step(f"Round {how} of {money(ras.round_to)}", rounded))
    if ras.ceiling_weekly is not None and rounded > ras.ceiling_weekly:
        steps.append(
            Step(
                f"This is above {money(ras.ceiling_weekly)} a week, so a panel will look at your support "
                "with you instead of a figure from the points.",
                rounded,
            )
        )
        return None, steps
    return rounded, steps


def weekly_for_points(ras: Ras, points: int) -> Decimal | None:
    """The weekly amount for a number of points (None: to a panel)."""
    return _weekly(ras, points)[0]


def allocate(ras: Ras, answers: Mapping[str, str], *, carer_present: bool = False, explain: bool = True) -> Allocation:
    """The indicative budget for these answers (question key -> answer key)."""
    domains = points_for(ras, answers, carer_present)
    points = sum(d.counted for d in domains)
    weekly, steps = _weekly(ras, points)
    moved: list[tuple[AnswerPoints, Decimal]] = []
    if explain and weekly is not None:
        moved = _moved_by(ras, answers, carer_present, domains, weekly)
    return Allocation(ras.key, ras.version, domains, points, tuple(steps), weekly, weekly is None, tuple(moved))


def _moved_by(ras, answers, carer_present, domains: Sequence[DomainPoints], weekly: Decimal):
    """For each answer that carries points: how much lower the weekly amount
    would be without it (as if that question had been left unanswered)."""
    moved = []
    for domain in domains:
        for given in domain.answers:
            if given.points == 0:
                continue
            without = {k: v for k, v in answers.items() if k != given.question}
            points = sum(d.counted for d in points_for(ras, without, carer_present))
            other = weekly_for_points(ras, points)
            moved.append((given, weekly - (other if other is not None else weekly)))
    moved.sort(key=lambda pair: (-pair[1], pair[0].question))
    return moved
