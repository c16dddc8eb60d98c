"""The figures of an area insight page (and of its charts and downloads),
for one scope, one instrument and the filters chosen. No HTTP in here.

``build`` runs the scope's two queries (insight.sources) and applies the
disclosure rules (insight.disclosure) and the statistics (insight.figures).
Sections and questions are matched across versions of the instrument by
key, and shown with the titles of its latest version.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from personfirst.core.access.disclosure import MINIMUM, suppress_breakdown
from personfirst.core.organisations.choices import (
    SIZE_BAND_ORDER,
    OrganisationType,
    size_band_label,
    size_band_short_label,
)
from personfirst.readiness.assessments.models import Instrument, InstrumentVersion, Item, Section
from personfirst.readiness.assessments.scoring import one_decimal

from . import disclosure, figures, quarters
from .models import Kind
from .sources import RecordRow, Scope

TYPE_ORDER = [value for value, _label in OrganisationType.choices]
DEFAULT_STEP = 3
REMAINDER = "Not relevant or other"


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] | None = None  # None: every type
    sizes: tuple[str, ...] | None = None  # None: every size band
    period: int | None = None  # the first quarter of one period; None: each organisation's latest
    step: int | None = None  # common needs: organisations below this step; None: DEFAULT_STEP


@dataclass
class SectionRow:
    number: int
    key: str
    title: str
    n: int | None  # None: hidden
    minimum: Decimal | None = None
    lower: Decimal | None = None
    median: Decimal | None = None
    upper: Decimal | None = None
    maximum: Decimal | None = None
    exact: figures.Quartiles | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None


@dataclass
class LevelCell:
    """The organisations at one step, or at several steps joined (first to
    last), or (first None) the rest: not relevant, not answered or asked
    differently."""

    label: str
    count: int | None  # None: hidden
    share: int | None  # whole per cent
    first: int | None = None
    last: int | None = None

    @property
    def span(self) -> int:
        return 1 if self.first is None else self.last - self.first + 1


@dataclass
class ItemRow:
    number: int
    key: str
    title: str
    statements: list[str]  # the positions' wording, lowest first
    cells: list[LevelCell]  # one per position, then the remainder
    gaps: list[int] = field(default_factory=list)  # steps other questions have and this one has not

    @property
    def positions(self) -> int:
        return len(self.statements)


@dataclass
class Need:
    item: ItemRow
    step: int
    below: int | None
    answered: int
    share: int | None  # None: hidden
    exact: Fraction | None = None
    sentence: str = ""
    statement: str = ""


@dataclass
class TrendRow:
    first: int
    last: int
    label: str
    organisations: int | None  # None: hidden
    average: Decimal | None
    exact_average: float | None = None
    chosen: bool = False  # the period the page's other figures are for


@dataclass
class Report:
    scope: Scope
    instrument: Instrument
    version: InstrumentVersion | None
    filters: Filters
    protection: disclosure.Protection
    allowed: bool
    population: int | None  # organisations counted; None: hidden
    sections: list[SectionRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)
    step: int = DEFAULT_STEP
    steps: list[int] = field(default_factory=list)

    @functools.cached_property
    def max_positions(self) -> int:
        return max((item.positions for item in self.items), default=0)

    @property
    def has_data(self) -> bool:
        return bool(self.protection.groups)

    @property
    def shown(self) -> bool:
        return self.allowed and bool(self.population)

    @functools.cached_property
    def split_groups(self) -> list[disclosure.Group]:
        return self.protection.split_groups(self.filters.types, self.filters.sizes)

    @functools.cached_property
    def joined_groups(self) -> list[str]:
        """Plain words for every group of more than one type or size band."""
        return [describe_group(g) for g in self.protection.groups if len(g.cells) > 1]

    @functools.cached_property
    def needs_shown(self) -> list[Need]:
        return [n for n in self.needs if n.share is not None]

    @functools.cached_property
    def needs_hidden(self) -> list[Need]:
        return [n for n in self.needs if n.share is None]

    @property
    def period(self) -> tuple[int, int] | None:
        return None if self.filters.period is None else self.protection.period(self.filters.period)

    @property
    def period_label(self) -> str:
        """Which assessments are counted, in plain words."""
        if self.period is None:
            return "each organisation's latest assessment"
        return f"each organisation's last assessment submitted in {quarters.period_label(*self.period)}"

    def describe_filters(self) -> list[str]:
        """The filters in plain words, one line each."""
        types = dict(OrganisationType.choices)
        return [
            "Types: "
            + ("all" if self.filters.types is None else ", ".join(types.get(t, t) for t in self.filters.types)),
            "Size bands: "
            + ("all" if self.filters.sizes is None else ", ".join(size_band_label(s) for s in self.filters.sizes)),
            f"Counting: {self.period_label}",
        ]


def describe_group(group: disclosure.Group) -> str:
    types = dict(OrganisationType.choices)
    by_type: dict[str, list[str]] = defaultdict(list)
    for org_type, size_band in group.cells:
        by_type[org_type].append(size_band)
    parts = []
    for org_type in sorted(by_type, key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else 99, t)):
        bands = sorted(by_type[org_type], key=lambda s: (SIZE_BAND_ORDER.index(s) if s in SIZE_BAND_ORDER else 99, s))
        names = [size_band_short_label(b).lower() for b in bands]
        which = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{types.get(org_type, org_type)} ({which})")
    return "; ".join(parts)


def item_title(item: Item, section_items: int) -> str:
    """A section with one question is named by the section; otherwise the question speaks for itself."""
    if section_items == 1:
        return item.section.title
    if item.uses_levels:
        return f"{item.section.title}: {item.prompt}"
    return item.prompt


def statements(item: Item) -> list[str]:
    """Each position's wording, lowest first."""
    if item.uses_levels:
        return [" ".join(str(level).split()) for level in item.levels]
    return [option["label"] for option in reversed(item.options)]


def need_sentence(item: ItemRow, share: int, step: int, uses_levels: bool) -> tuple[str, str]:
    """("63% of organisations here are below step 3 of 4 in ‘Unit costs and prices’.", what step 3 says)."""
    if uses_levels:
        return (
            f"{share}% of organisations here are below step {step} of {item.positions} in ‘{item.title}’.",
            item.statements[step - 1],
        )
    return (f"{share}% of organisations here have not reached ‘{item.statements[step - 1]}’ for ‘{item.title}’.", "")


def choose_instrument(key: str | None, instruments: list[Instrument] | None = None) -> Instrument | None:
    """The instrument with this key; else the health check, else the first."""
    instruments = list(Instrument.objects.all()) if instruments is None else instruments
    chosen = next((i for i in instruments if i.key == key), None)
    if chosen is None:
        chosen = next((i for i in instruments if i.key == "health-check"), instruments[0] if instruments else None)
    return chosen


@dataclass(frozen=True)
class PeriodCount:
    organisations: int = 0
    scored: int = 0  # of them, with an overall score
    overall_total: float = 0.0  # the sum of those scores


@dataclass(eq=False)
class Summary:
    """What one scope's counted submissions (sources.Scope.records) give
    before any filter: the groups and periods (insight.disclosure), and per
    (type, size band) cell the organisations counted by their latest
    assessments and in each period. Population and trend for any filter
    are then sums over a few dozen cells, not over thousands of rows.

    Compared by identity: ``summarise`` gives the same object for the same
    rows, so it can stand for them in a key (insight/pages.py)."""

    protection: disclosure.Protection
    latest: dict[disclosure.GroupCell, int] = field(default_factory=dict)
    by_period: dict[disclosure.GroupCell, list[PeriodCount]] = field(default_factory=dict)

    def population(self, chosen, period: tuple[int, int] | None) -> int:
        if period is None:
            return sum(n for cell, n in self.latest.items() if chosen(cell))
        index = self.protection.periods.index(period)
        return sum(counts[index].organisations for cell, counts in self.by_period.items() if chosen(cell))


def summarise(records: frozenset[RecordRow]) -> Summary:
    """The summary of these rows. It depends on the rows alone, so it is
    remembered for the same rows (until a submission changes them): working
    it out takes longer than the query."""
    return _summarise(records)


@functools.lru_cache(maxsize=128)
def _summarise(records: frozenset[RecordRow]) -> Summary:
    counts: dict[tuple, int] = defaultdict(int)
    for org_type, size_band, quarter, superseded, n, _scored, _total in records:
        counts[(org_type, size_band, quarter, superseded)] += n
    protection = disclosure.protect(counts, type_order=TYPE_ORDER, size_order=SIZE_BAND_ORDER)
    summary = Summary(protection)
    index_of = {q: i for i, (first, last) in enumerate(protection.periods) for q in range(first, last + 1)}
    totals: dict[tuple, list] = defaultdict(lambda: [0, 0, 0.0])
    for org_type, size_band, quarter, superseded, n, scored, total in records:
        cell = (org_type, size_band)
        if superseded is None:
            summary.latest[cell] = summary.latest.get(cell, 0) + n
        if not protection.periods:
            continue
        index = index_of[quarter]
        if disclosure.counted_in(quarter, superseded, protection.periods[index]):
            running = totals[(cell, index)]
            running[0] += n
            running[1] += scored
            running[2] += total or 0.0
    for cell in {(t, s) for t, s, *_rest in records}:
        summary.by_period[cell] = [
            PeriodCount(*totals.get((cell, i), (0, 0, 0.0))) for i in range(len(protection.periods))
        ]
    return summary


def build(scope: Scope, instrument: Instrument, filters: Filters = Filters()) -> Report:  # noqa: B008
    summary = summarise(scope.records(instrument.pk))
    return build_from(scope, instrument, filters, summary, value_rows(scope, instrument, filters, summary))


def _chosen_population(summary: Summary, filters: Filters) -> tuple[bool, int]:
    """Whether these filters are allowed, and how many organisations they count."""
    protection = summary.protection
    if filters.period is not None and protection.period(filters.period) is None:
        raise ValueError(f"no period starts in quarter {filters.period}")
    period = None if filters.period is None else protection.period(filters.period)
    allowed = protection.allows(filters.types, filters.sizes)
    return allowed, summary.population(disclosure.chooser(filters.types, filters.sizes), period)


def value_rows(scope: Scope, instrument: Instrument, filters: Filters, summary: Summary) -> frozenset:
    """The scope's second query (organisations by section score and by
    answer) for these filters; none when the figures are not shown."""
    allowed, population = _chosen_population(summary, filters)
    if not allowed or not population or disclosure.disclosive(population):
        return frozenset()
    return scope.value_counts(
        instrument.pk,
        types=filters.types,
        sizes=filters.sizes,
        period=None if filters.period is None else summary.protection.period(filters.period),
    )


def build_from(
    scope: Scope,
    instrument: Instrument,
    filters: Filters,
    summary: Summary,
    values: frozenset,
    *,
    version: InstrumentVersion | None = None,
    layout: Layout | None = None,
) -> Report:
    """The figures from the scope's two queries' rows: ``summary`` from the
    first (summarise), ``values`` from the second (value_rows)."""
    version = version or instrument.latest_version()
    layout = layout or layout_for(version)
    protection = summary.protection
    allowed, population = _chosen_population(summary, filters)
    report = Report(
        scope=scope,
        instrument=instrument,
        version=version,
        filters=filters,
        protection=protection,
        allowed=allowed,
        population=population if allowed and not disclosure.disclosive(population) else None,
    )
    report.steps = layout.steps
    report.step = filters.step if filters.step in report.steps else min(DEFAULT_STEP, max(report.steps))
    counts: dict[tuple[str, str], dict[Fraction, int]] = defaultdict(dict)
    if report.shown:
        for kind, key, value, scale, n in values:
            if kind == Kind.SECTION:
                counts[(kind, key)][_fraction(value, scale)] = n
            else:
                counts[(kind, key)][(value, scale)] = n
    report.sections = [_section_row(number, section, counts, report.shown) for number, section in layout.sections]
    report.items = [
        _item_row(row, counts[(Kind.ITEM, row.key)], population, report.shown) for row, _uses in layout.items
    ]
    for item in report.items:
        item.gaps = list(range(item.positions + 1, report.max_positions + 1))
    report.needs = _needs(report, layout)
    report.trend = _trend(summary, filters, allowed)
    return report


@functools.lru_cache(maxsize=4096)
def _fraction(value: int, scale: int) -> Fraction:
    return Fraction(value, scale)


@dataclass
class Layout:
    """An instrument version's sections and questions, numbered, as the page lists them."""

    sections: list = field(default_factory=list)  # (number, Section)
    items: list[tuple[ItemRow, bool]] = field(default_factory=list)  # (a row to fill in, uses levels?)

    @property
    def steps(self) -> list[int]:
        """The steps common needs can be counted below: 2 up to the most any question has."""
        return list(range(2, max((row.positions for row, _uses in self.items), default=2) + 1))


def layout_for(version: InstrumentVersion | None) -> Layout:
    """The layout of a version. A loaded version never changes (a changed
    file loads as a new one), so each is read once per process."""
    if version is None:
        return Layout()
    return _layout(version.pk, version.content_hash, version.loaded_at)


@functools.lru_cache(maxsize=32)
def _layout(version_id: int, _content_hash: str, _loaded_at) -> Layout:
    sections = list(Section.objects.filter(version_id=version_id))
    items = list(Item.objects.filter(version_id=version_id).select_related("section"))
    per_section: dict[int, int] = defaultdict(int)
    for item in items:
        per_section[item.section_id] += 1
    rows = [
        (
            ItemRow(number, item.key, item_title(item, per_section[item.section_id]), statements(item), []),
            item.uses_levels,
        )
        for number, item in enumerate(items, start=1)
    ]
    return Layout(list(enumerate(sections, start=1)), rows)


def _section_row(number: int, section, counts, shown: bool) -> SectionRow:
    row = SectionRow(number, section.key, section.title, None)
    if not shown:
        return row
    hist = figures.histogram(counts.get((Kind.SECTION, section.key), {}))
    n = figures.size(hist)
    row.n = n if not disclosure.disclosive(n) else None
    if n < MINIMUM:
        return row
    row.exact = figures.quartiles(hist)
    minimum, row.lower, row.median, row.upper, maximum = row.exact.shown()
    if n >= disclosure.EXTREMES_MINIMUM:
        row.minimum, row.maximum = minimum, maximum
    return row


def join_steps(counts: list[int]) -> list[tuple[int, int, int]]:
    """Steps (1 the lowest) joined into runs of 0 or at least 5
    organisations, as (first step, last step, organisations): a step with 1
    to 4 is joined with the next, and a last run with 1 to 4 with the run
    before. Common needs can then be counted below the first step of any
    run, and no step's count can be worked out from them."""
    runs: list[list[int]] = []
    current = None
    for step, count in enumerate(counts, start=1):
        if current is None:
            current = [step, step, 0]
        current[1], current[2] = step, current[2] + count
        if not disclosure.disclosive(current[2]):
            runs.append(current)
            current = None
    if current is not None:
        if runs:
            runs[-1][1], runs[-1][2] = current[1], runs[-1][2] + current[2]
        else:
            runs.append(current)
    return [tuple(run) for run in runs]


def _item_row(template: ItemRow, counts: dict, population: int, shown: bool) -> ItemRow:
    row = ItemRow(template.number, template.key, template.title, template.statements, [])
    positions = template.positions
    if not shown:
        row.cells = [LevelCell(f"Step {p}", None, None, p, p) for p in range(1, positions + 1)]
        row.cells.append(LevelCell(REMAINDER, None, None))
        return row
    by_position = {p: n for (p, scale), n in counts.items() if scale == positions}
    runs = join_steps([by_position.get(p, 0) for p in range(1, positions + 1)])
    raw = {f"{first}-{last}": n for first, last, n in runs}
    raw["remainder"] = population - sum(raw.values())
    cells, _total = suppress_breakdown(raw)
    for first, last, _n in runs:
        count = cells[f"{first}-{last}"]
        label = f"Step {first}" if first == last else f"Steps {first} to {last} together"
        row.cells.append(
            LevelCell(label, count, None if count is None else figures.percent(count, population), first, last)
        )
    remainder = cells["remainder"]
    row.cells.append(
        LevelCell(REMAINDER, remainder, None if remainder is None else figures.percent(remainder, population))
    )
    return row


def _needs(report: Report, layout: Layout) -> list[Need]:
    """Questions ranked by the share of organisations below the chosen step,
    among those that answered. Worked out only from counts the question's
    own table shows (and only where a run of steps starts at the chosen
    step), so a need never gives away a hidden count."""
    if not report.shown:
        return []
    step = report.step
    needs = []
    for (_template, uses_levels), row in zip(layout.items, report.items, strict=True):
        if row.positions < step:
            continue
        levels, remainder = row.cells[:-1], row.cells[-1]
        boundary = any(cell.first == step for cell in levels)  # a run starts at the step: not inside one
        below_cells = [cell.count for cell in levels if cell.last < step]
        if remainder.count is not None:
            answered = report.population - remainder.count
        elif all(cell.count is not None for cell in levels):
            answered = sum(cell.count for cell in levels)
        else:
            answered = None
        need = Need(item=row, step=step, below=None, answered=answered or 0, share=None)
        if boundary and answered is not None and answered >= MINIMUM and None not in below_cells:
            need.below = sum(below_cells)
            need.exact = Fraction(need.below, answered)
            need.share = figures.whole(100 * need.exact)
            need.sentence, need.statement = need_sentence(row, need.share, step, uses_levels)
        needs.append(need)
    return sorted(needs, key=lambda n: (n.exact is None, -(n.exact or 0), n.item.number))


def _trend(summary: Summary, filters: Filters, allowed: bool) -> list[TrendRow]:
    """For every period: how many organisations submitted in it, and the
    average overall score of their last assessment in it."""
    chosen = disclosure.chooser(filters.types, filters.sizes)
    periods = summary.protection.periods
    organisations = [0] * len(periods)
    scored = [0] * len(periods)
    totals = [0.0] * len(periods)
    for cell, counts in summary.by_period.items():
        if chosen(cell):
            for index, count in enumerate(counts):
                organisations[index] += count.organisations
                scored[index] += count.scored
                totals[index] += count.overall_total
    rows = []
    for index, (first, last) in enumerate(periods):
        row = TrendRow(first, last, quarters.period_label(first, last), None, None, chosen=first == filters.period)
        if allowed and not disclosure.disclosive(organisations[index]):
            row.organisations = organisations[index]
            if scored[index] >= MINIMUM:
                row.exact_average = totals[index] / scored[index]
                row.average = _one_decimal_float(row.exact_average)
        rows.append(row)
    return rows


def _one_decimal_float(value: float) -> Decimal:
    # The total is a sum of floats: round it to 9 places first, so that a
    # mean that is exactly 62.25 is not shown as 62.2.
    return one_decimal(round(value, 9))
