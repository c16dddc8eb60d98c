"""The impact preview: what a draft RAS version would do to the indicative
budget of every current person in its council, before anyone publishes it.

For each person whose latest self-assessment is agreed, the draft's weekly
amount for the agreed answers is set beside their latest indicative budget,
and the change is put in a band (down by more than 10 %, down by 10 % or
less, no change, up by 10 % or less, up by more than 10 %, to the panel, from
the panel, still with the panel, no budget before). The bands are counted
for the whole council and by group: by age band (from the date of birth on
the record, the one fact about a person every record may hold that
national figures are also broken down by) and by team (who will have the
conversations). Client group is not kept on a person's record, so it is
not a group here. Every count goes through the one disclosure engine
(core/access/disclosure.py): no group of fewer than 5 people is shown, and
no hidden count can be worked out from the others.

No HTTP. The reads are bulk (values_list, streamed in chunks, ordered in
the database), and the sum is done in memory: a person's points are added
from a table of each answer's points, and the weekly amount is worked out
once per number of points (``ras.weekly_for_points``), so 100,000 people
cost about as much as reading their answers (bench/ras_impact.py). The
per-person figure is the one ``ras.allocate`` gives (a property test holds
them equal). Money is Decimal throughout.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import connections

from personfirst.core.access import disclosure

from . import ras as ras_rules

CHUNK = 20_000
# Each question's latest answer is the last one stored: ordered in the database.
ANSWER_ORDER = ("self_assessment_id", "at", "pk")
THRESHOLD = Decimal(10)  # per cent

DOWN_MORE, DOWN, SAME, UP, UP_MORE = "down-more", "down", "same", "up", "up-more"
TO_PANEL, FROM_PANEL, STAYS_PANEL, NEW = "to-panel", "from-panel", "stays-panel", "new"
BANDS = {
    DOWN_MORE: "Down by more than 10%",
    DOWN: "Down by 10% or less",
    SAME: "No change",
    UP: "Up by 10% or less",
    UP_MORE: "Up by more than 10%",
    TO_PANEL: "Would go to the panel instead of having a figure",
    FROM_PANEL: "Would have a figure instead of going to the panel",
    STAYS_PANEL: "Would still go to the panel",
    NEW: "Had no indicative budget before",
}

UNDER_18, WORKING_AGE, OLDER, AGE_UNKNOWN = "Under 18", "18 to 64", "65 and over", "Age not recorded"
NO_TEAM = "Not allocated to a team"


@dataclass(frozen=True, slots=True)
class Agreed:
    """A person's latest agreed self-assessment and its answers."""

    self_assessment_id: int
    person_id: object
    carer_present: bool
    questionnaire_key: str
    questionnaire_version: int
    answers: dict[str, str]
    age_band: str = "Age not recorded"
    team: str = "Not allocated to a team"


@dataclass(frozen=True, slots=True)
class Current:
    """A person's latest indicative budget (weekly None: it went to the panel)."""

    weekly: Decimal | None
    to_panel: bool


@dataclass(frozen=True, slots=True)
class Change:
    person_id: object
    before: Current | None
    weekly: Decimal | None  # under the draft; None: to the panel
    band: str
    age_band: str
    team: str


@dataclass(frozen=True)
class GroupRow:
    label: str
    people: int | None  # None: hidden (fewer than 5, or would give a hidden one away)
    bands: dict[str, int | None]

    @property
    def in_order(self) -> list[int | None]:
        return [self.bands.get(key) for key in BANDS]


@dataclass(frozen=True)
class Impact:
    people: int | None
    bands: dict[str, int | None]
    weekly_before: Decimal | None  # the current budgets' weekly total (figures only)
    weekly_after: Decimal | None  # the draft's weekly total for the same people (figures only)
    groups: dict[str, list[GroupRow]]
    changes: list[Change] = field(repr=False, default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.people is None

    @property
    def up_more(self) -> int | None:
        return self.bands.get(UP_MORE)

    @property
    def down_more(self) -> int | None:
        return self.bands.get(DOWN_MORE)


class Scorer:
    """A RAS made ready for many people: each answer's points in a table, and
    the weekly amount worked out once per number of points. Gives exactly what
    ``ras.allocate`` gives."""

    def __init__(self, ras: ras_rules.Ras) -> None:
        self.ras = ras
        self.where: dict[str, tuple[int, Mapping[str, int]]] = {}
        for index, domain in enumerate(ras.domains):
            for question in domain.questions:
                self.where[question.key] = (index, question.points)
        self.caps = [domain.cap for domain in ras.domains]
        self.carer_only = [domain.carer_only for domain in ras.domains]
        self._weekly: dict[int, Decimal | None] = {}

    def points(self, answers: Mapping[str, str], carer_present: bool) -> int:
        raw = [0] * len(self.caps)
        where = self.where
        for question, answer in answers.items():
            found = where.get(question)
            if found is not None:
                points = found[1].get(answer)
                if points is not None:
                    raw[found[0]] += points
        total = 0
        for index, value in enumerate(raw):
            if self.carer_only[index] and not carer_present:
                continue
            total += min(value, self.caps[index])
        return total

    def weekly(self, answers: Mapping[str, str], carer_present: bool) -> Decimal | None:
        points = self.points(answers, carer_present)
        try:
            return self._weekly[points]
        except KeyError:
            weekly = self._weekly[points] = ras_rules.weekly_for_points(self.ras, points)
            return weekly


def band_of(before: Current | None, after: Decimal | None) -> str:
    if before is None:
        return NEW
    if before.to_panel or before.weekly is None:
        return STAYS_PANEL if after is None else FROM_PANEL
    if after is None:
        return TO_PANEL
    old = before.weekly
    if after == old:
        return SAME
    if old == 0:
        return UP_MORE
    percent = (after - old) * 100 / old
    if percent > THRESHOLD:
        return UP_MORE
    if percent > 0:
        return UP
    if percent < -THRESHOLD:
        return DOWN_MORE
    return DOWN


def age_band(born: datetime.date | None, on: datetime.date) -> str:
    if born is None:
        return AGE_UNKNOWN
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 18:
        return UNDER_18
    return WORKING_AGE if age < 65 else OLDER


def compute(ras: ras_rules.Ras, agreed: Iterable[Agreed], current: Mapping[object, Current]) -> list[Change]:
    """Each person's change under ``ras``: ``current`` is their latest budget."""
    scorer = Scorer(ras)
    changes = []
    for row in agreed:
        before = current.get(row.person_id)
        after = scorer.weekly(row.answers, row.carer_present)
        changes.append(Change(row.person_id, before, after, band_of(before, after), row.age_band, row.team))
    return changes


def _shown_bands(counts: Counter) -> dict[str, int | None]:
    return disclosure.suppress_counts({key: counts.get(key, 0) for key in BANDS}, total_shown=True)


def summarise(changes: list[Change]) -> Impact:
    """The counts that may be shown (the disclosure engine decides)."""
    total = disclosure.suppress_total(len(changes))
    if total is None or not changes:
        return Impact(total, dict.fromkeys(BANDS), None, None, {}, changes)
    bands = _shown_bands(Counter(change.band for change in changes))
    before = sum((c.before.weekly for c in changes if c.before is not None and c.before.weekly is not None), Decimal(0))
    after = sum((c.weekly for c in changes if c.weekly is not None), Decimal(0))
    grouped: dict[str, list[GroupRow]] = {}
    for name, key in (("Age band", lambda c: c.age_band), ("Team", lambda c: c.team)):
        members: dict[str, Counter] = defaultdict(Counter)
        for change in changes:
            members[key(change)][change.band] += 1
        sizes = {label: sum(counts.values()) for label, counts in members.items()}
        shown_sizes = disclosure.suppress_counts(sizes, total_shown=True)
        rows = []
        for label in sorted(members, key=lambda label: (label in (AGE_UNKNOWN, NO_TEAM), label)):
            size = shown_sizes[label]
            cells = _shown_bands(members[label]) if size is not None else dict.fromkeys(BANDS)
            rows.append(GroupRow(label, size, cells))
        grouped[name] = rows
    return Impact(total, bands, before, after, grouped, changes)


# --- Reading in bulk ------------------------------------------------------------------


class Loaded:
    """Everything the preview reads about one council, in three bulk reads."""

    def __init__(self, council_area_id, on: datetime.date) -> None:
        self.council_area_id, self.on = council_area_id, on
        self.person_of: dict[int, object] = {}  # every agreed self-assessment -> its person

    def agreed(self) -> Iterator[Agreed]:
        """Every person of the council with an agreed self-assessment: the
        latest one agreed, with its answers (each question's latest answer),
        their age band and team."""
        from personfirst.core.people.models import Team
        from personfirst.sds.selfassessment.models import AnswerChange, SelfAssessment, Status

        area = self.council_area_id
        teams = dict(Team.objects.filter(council_area_id=area).values_list("pk", "name"))
        latest: dict[object, tuple] = {}
        rows = (
            SelfAssessment.objects.filter(person__council_area_id=area, status=Status.AGREED)
            .order_by("agreed_at", "pk")
            .values_list(
                "pk",
                "person_id",
                "carer_present",
                "questionnaire_key",
                "questionnaire_version",
                "person__date_of_birth",
                "person__team_id",
            )
        )
        for row in rows.iterator(chunk_size=CHUNK):
            latest[row[1]] = row
            self.person_of[row[0]] = row[1]
        answers: dict[int, dict[str, str]] = {row[0]: {} for row in latest.values()}
        given = (
            AnswerChange.objects.filter(
                self_assessment__person__council_area_id=area, self_assessment__status=Status.AGREED
            )
            .order_by(*ANSWER_ORDER)
            .values_list("self_assessment_id", "question", "answer")
        )
        # Three plain columns with nothing to convert: the ORM's query, read on
        # its cursor in chunks (the same rows, without the ORM's per-row work).
        sql, params = given.query.get_compiler(given.db).as_sql()
        with connections[given.db].cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(CHUNK):
                for sa, question, answer in rows:
                    mine = answers.get(sa)
                    if mine is not None:
                        mine[question] = answer
        on = self.on
        for pk, person, carer, key, version, born, team in latest.values():
            yield Agreed(pk, person, carer, key, version, answers[pk], age_band(born, on), teams.get(team, NO_TEAM))

    def current(self) -> dict[object, Current]:
        """Each person's latest indicative budget (read after ``agreed``: every
        budget was made from an agreed self-assessment)."""
        from .models import IndicativeBudget

        rows = (
            IndicativeBudget.objects.filter(person__council_area_id=self.council_area_id)
            .order_by("made_at", "pk")
            .values_list("self_assessment_id", "weekly", "to_panel")
        )
        person_of = self.person_of
        return {
            person_of[sa]: Current(weekly, panel)
            for sa, weekly, panel in rows.iterator(chunk_size=CHUNK)
            if sa in person_of
        }


def agreed_answers(council_area_id, on: datetime.date | None = None) -> Iterator[Agreed]:
    from django.utils import timezone

    return Loaded(council_area_id, on or timezone.localdate()).agreed()


def preview(version, on: datetime.date | None = None) -> Impact:
    """What publishing ``version`` (a RasVersion) would do to its council's current people."""
    from django.utils import timezone

    loaded = Loaded(version.council_area_id, on or timezone.localdate())
    agreed = list(loaded.agreed())
    return summarise(compute(version.ras(), agreed, loaded.current()))


@cache
def _questions(key: str, version: int, carer_present: bool):
    from personfirst.sds.selfassessment import questionnaire

    return tuple(questionnaire.shipped(key, version).questions(carer_present))


def labels_for(agreed: Agreed) -> dict[str, tuple[str, str]]:
    """Each question's prompt and the answer's words, as agreeing shows them."""
    questions = _questions(agreed.questionnaire_key, agreed.questionnaire_version, agreed.carer_present)
    return {q.key: (q.prompt, q.label_of(agreed.answers.get(q.key))) for q in questions}
