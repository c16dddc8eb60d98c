"""The figures of an area insight page (and of its charts and downloads),
for one scope, one instrument and the filters chosen, from the published
snapshot. No HTTP in here.

``build`` reads what the snapshot shows of the scope (insight.sources: the
pieces the disclosure engine allowed), adds up the pieces the filters
choose, and works out the statistics (insight.figures). A figure whose
pieces are not all shown is hidden (or, in England and for a support
organisation, left without them). Sections and questions are matched
across versions of the instrument by key, and shown with the titles of its
latest version.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from personfirst.core.access.disclosure import EXTREMES_MINIMUM, MINIMUM, is_disclosive, suppress_breakdown
from personfirst.core.organisations.choices import (
    SIZE_BAND_ORDER,
    OrganisationType,
    size_band_label,
    size_band_short_label,
)
from personfirst.readiness.assessments.models import Instrument, InstrumentVersion, Item, Section
from personfirst.readiness.assessments.scoring import one_decimal

from . import figures, publish, quarters, sources
from .models import Kind, Snapshot
from .publish import OVERALL, POPULATION
from .sources import Period, Scope, Shape, View

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
    section: str = ""  # its section's key: it is counted among the organisations with a score for it
    base: int | None = None  # those organisations; None: hidden

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
    view: View
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
    def snapshot(self) -> Snapshot | None:
        return self.view.snapshot

    @property
    def has_data(self) -> bool:
        return bool(self.view.groups)

    @property
    def shown(self) -> bool:
        return self.allowed and bool(self.population)

    @property
    def as_at(self) -> str:
        """When the figures are as at, in plain words: 'the end of September 2026'."""
        return "" if self.snapshot is None else f"the end of {quarters.ends_label(self.snapshot.quarter)}"

    @property
    def older(self) -> list[str]:
        """Earlier quarters that some organisations' latest figures are as at, in plain words."""
        return [quarters.ends_label(q) for q in self.view.older()] if self.filters.period is None else []

    @functools.cached_property
    def split_groups(self) -> list[Shape]:
        return self.view.split(chooser(self.filters.types, self.filters.sizes)) if self.view.whole else []

    @functools.cached_property
    def left_out(self) -> bool:
        """England and support organisations: some organisations of the types and sizes chosen are left
        out, because in their area they are counted together with others."""
        return not self.view.whole and bool(self.view.split(chooser(self.filters.types, self.filters.sizes)))

    @functools.cached_property
    def joined_groups(self) -> list[str]:
        """Plain words for every group of more than one type or size band."""
        if not self.view.whole:
            return []
        return [describe_group(g.cells) for g in self.view.groups if len({(t, s) for t, s, _w in g.cells}) > 1]

    @functools.cached_property
    def needs_shown(self) -> list[Need]:
        return [n for n in self.needs if n.share is not None]

    @functools.cached_property
    def needs_hidden(self) -> list[Need]:
        return [n for n in self.needs if n.share is None]

    @property
    def period(self) -> Period | None:
        return None if self.filters.period is None else period_starting(self.view, self.filters.period)

    @property
    def period_label(self) -> str:
        """Which assessments are counted, in plain words."""
        if self.period is None:
            return f"each organisation's latest assessment{f' at {self.as_at}' if self.as_at else ''}"
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


def describe_group(cells) -> str:
    """'Home care agencies (small and medium); Housing providers (micro)'."""
    types = dict(OrganisationType.choices)
    by_type: dict[str, set[str]] = defaultdict(set)
    for org_type, size_band, *_sharing in cells:
        by_type[org_type].add(size_band)
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
    if item.kind.numbered:
        return f"{item.section.title}: {item.prompt}"
    return item.prompt


def statements(item: Item) -> list[str]:
    """Each position's wording, lowest first (the points of its type's scale)."""
    return [" ".join(str(point).split()) for point in item.kind.points(item.definition)]


def need_sentence(item: ItemRow, share: int, step: int, numbered: bool) -> tuple[str, str]:
    """("63% of organisations here are below step 3 of 4 in ‘Unit costs and prices’.", what step 3 says)
    for numbered statements; for named answers, the share that has not reached the step's answer."""
    if numbered:
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


def chooser(types: Iterable[str] | None, sizes: Iterable[str] | None) -> Callable[[tuple], bool]:
    """A test for cells (type, size band, sharing): chosen by these filters? None means every one."""
    types = None if types is None else set(types)
    sizes = None if sizes is None else set(sizes)

    def chosen(cell: tuple) -> bool:
        return (types is None or cell[0] in types) and (sizes is None or cell[1] in sizes)

    return chosen


def period_starting(view: View, first: int) -> Period:
    period = next((p for p in view.periods if p[0] == first), None)
    if period is None:
        raise ValueError(f"no period starts in quarter {first}")
    return period


@dataclass(eq=False)
class Counted:
    """The counts query's rows for one snapshot and scope, by (measure,
    piece, slice): the slice None for each organisation's latest, else the
    period."""

    by_piece: dict[tuple, tuple[int, int, float]] = field(default_factory=dict)

    def add_up(self, measure: str, pieces: Iterable[int], period: Period | None) -> tuple[int, int, float]:
        organisations = scored = 0
        total = 0.0
        for piece in pieces:
            n, s, t = self.by_piece.get((measure, piece, period), (0, 0, 0.0))
            organisations, scored, total = organisations + n, scored + s, total + t
        return organisations, scored, total


def counted(snapshot: Snapshot | None, scope: Scope) -> Counted:
    if snapshot is None:
        return Counted()
    result = Counted()
    for measure, piece, latest, first, last, n, scored, total in sources.counts(snapshot, scope):
        result.by_piece[(measure, piece, None if latest else (first, last))] = (n, scored, total or 0.0)
    return result


def figure_pieces(view: View, filters: Filters) -> dict[str, list[int] | None]:
    """For each measure, the pieces that make its figure for these filters (None: not shown)."""
    period = None if filters.period is None else period_starting(view, filters.period)
    chosen = chooser(filters.types, filters.sizes)
    return {measure: view.pieces(measure, chosen, period) for measure in view.shapes}


def value_rows(view: View, scope: Scope, filters: Filters) -> frozenset:
    """The second query (organisations by section score and by answer) for
    these filters: only the pieces of the figures shown."""
    if view.snapshot is None:
        return frozenset()
    pieces = figure_pieces(view, filters)
    if not pieces.get(POPULATION):
        return frozenset()
    shown = {m: p for m, p in pieces.items() if m not in (POPULATION, OVERALL) and p}
    period = None if filters.period is None else period_starting(view, filters.period)
    return sources.values(view.snapshot, scope, period, shown)


def build(
    scope: Scope,
    instrument: Instrument,
    filters: Filters = Filters(),  # noqa: B008
    *,
    snapshot: Snapshot | None = None,
) -> Report:
    """The figures of the newest snapshot of the instrument (or of ``snapshot``)."""
    snapshot = snapshot if snapshot is not None else publish.current(instrument.pk)
    view = sources.view_for(snapshot, scope)
    values = value_rows(view, scope, filters)
    return build_from(scope, instrument, filters, view, values, counts=counted(snapshot, scope))


def build_from(
    scope: Scope,
    instrument: Instrument,
    filters: Filters,
    view: View,
    values: frozenset,
    *,
    counts: Counted | None = None,
    version: InstrumentVersion | None = None,
    layout: Layout | None = None,
) -> Report:
    """The figures from what the snapshot shows of the scope (``view``,
    ``counts``) and the second query's rows (``values``, from value_rows)."""
    version = version or instrument.latest_version()
    layout = layout or layout_for(version)
    counts = counts if counts is not None else counted(view.snapshot, scope)
    period = None if filters.period is None else period_starting(view, filters.period)
    pieces = figure_pieces(view, filters)
    population_pieces = pieces.get(POPULATION)
    allowed = bool(view.groups) and population_pieces is not None
    population = counts.add_up(POPULATION, population_pieces or [], period)[0]
    report = Report(
        scope=scope,
        instrument=instrument,
        version=version,
        filters=filters,
        view=view,
        allowed=allowed,
        population=population if allowed and not is_disclosive(population) else None,
    )
    report.steps = layout.steps
    report.step = filters.step if filters.step in report.steps else min(DEFAULT_STEP, max(report.steps))
    by_key: dict[tuple[str, str], dict] = defaultdict(dict)
    if report.shown:
        for kind, key, value, scale, n in values:
            if kind == Kind.SECTION:
                by_key[(kind, key)][_fraction(value, scale)] = n
            else:
                by_key[(kind, key)][(value, scale)] = n
    shown_sections = {key for key, p in pieces.items() if p is not None} if report.shown else set()
    report.sections = [
        _section_row(number, section, by_key, section.key in shown_sections) for number, section in layout.sections
    ]
    bases = {row.key: row.n for row in report.sections}
    report.items = [
        _item_row(row, by_key[(Kind.ITEM, row.key)], bases.get(row.section) if report.shown else None)
        for row, _uses in layout.items
    ]
    for item in report.items:
        item.gaps = list(range(item.positions + 1, report.max_positions + 1))
    report.needs = _needs(report, layout)
    report.trend = _trend(view, counts, filters)
    return report


# A pure function of two small integers: kept per process, with no database result in it.
@functools.lru_cache(maxsize=4096)
def _fraction(value: int, scale: int) -> Fraction:
    return Fraction(value, scale)


@dataclass
class Layout:
    """An instrument version's sections and questions, numbered, as the page lists them."""

    sections: list = field(default_factory=list)  # (number, Section)
    items: list[tuple[ItemRow, bool]] = field(default_factory=list)  # (a row to fill in, numbered statements?)

    @property
    def steps(self) -> list[int]:
        """The steps common needs can be counted below: 2 up to the most any question has."""
        return list(range(2, max((row.positions for row, _uses in self.items), default=2) + 1))


def layout_for(version: InstrumentVersion | None) -> Layout:
    """The layout of a version. A loaded version never changes (a changed
    file loads as a new one, with a new id and content hash), so each is
    read once per process: like parsing a fixed instrument, it is a pure
    function of its key, which cannot go stale (unlike figures, which
    follow the snapshots and are kept in Django's cache, insight/pages.py)."""
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
            ItemRow(
                number,
                item.key,
                item_title(item, per_section[item.section_id]),
                statements(item),
                [],
                section=item.section.key,
            ),
            item.kind.numbered,
        )
        for number, item in enumerate(items, start=1)
    ]
    return Layout(list(enumerate(sections, start=1)), rows)


def _section_row(number: int, section, counts, shown: bool) -> SectionRow:
    """A section's scores; ``shown`` when its pieces for these filters are all shown."""
    row = SectionRow(number, section.key, section.title, None)
    if not shown:
        return row
    hist = figures.histogram(counts.get((Kind.SECTION, section.key), {}))
    n = figures.size(hist)
    row.n = n if not is_disclosive(n) else None
    if n < MINIMUM:
        return row
    row.exact = figures.quartiles(hist)
    minimum, row.lower, row.median, row.upper, maximum = row.exact.shown()
    if n >= EXTREMES_MINIMUM:
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
        if not is_disclosive(current[2]):
            runs.append(current)
            current = None
    if current is not None:
        if runs:
            runs[-1][1], runs[-1][2] = current[1], runs[-1][2] + current[2]
        else:
            runs.append(current)
    return [tuple(run) for run in runs]


def _item_row(template: ItemRow, counts: dict, base: int | None) -> ItemRow:
    """A question's steps among the organisations with a score for its
    section (``base``; None: hidden): those are the organisations asked it.
    The rest of them marked it not relevant, did not answer it, or were
    asked it with other steps."""
    row = ItemRow(template.number, template.key, template.title, template.statements, [], section=template.section)
    positions = template.positions
    if not base or is_disclosive(base):
        row.cells = [LevelCell(f"Step {p}", None, None, p, p) for p in range(1, positions + 1)]
        row.cells.append(LevelCell(REMAINDER, None, None))
        return row
    row.base = base
    by_position = {p: n for (p, scale), n in counts.items() if scale == positions}
    runs = join_steps([by_position.get(p, 0) for p in range(1, positions + 1)])
    raw = {f"{first}-{last}": n for first, last, n in runs}
    raw["remainder"] = max(0, base - sum(raw.values()))
    cells, _total = suppress_breakdown(raw)
    for first, last, _n in runs:
        count = cells[f"{first}-{last}"]
        label = f"Step {first}" if first == last else f"Steps {first} to {last} together"
        row.cells.append(LevelCell(label, count, None if count is None else figures.percent(count, base), first, last))
    remainder = cells["remainder"]
    row.cells.append(LevelCell(REMAINDER, remainder, None if remainder is None else figures.percent(remainder, base)))
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
    for (_template, numbered), row in zip(layout.items, report.items, strict=True):
        if row.positions < step:
            continue
        levels, remainder = row.cells[:-1], row.cells[-1]
        boundary = any(cell.first == step for cell in levels)  # a run starts at the step: not inside one
        below_cells = [cell.count for cell in levels if cell.last < step]
        if row.base is None:
            answered = None
        elif remainder.count is not None:
            answered = row.base - remainder.count
        elif all(cell.count is not None for cell in levels):
            answered = sum(cell.count for cell in levels)
        else:
            answered = None
        need = Need(item=row, step=step, below=None, answered=answered or 0, share=None)
        if boundary and answered is not None and answered >= MINIMUM and None not in below_cells:
            need.below = sum(below_cells)
            need.exact = Fraction(need.below, answered)
            need.share = figures.whole(100 * need.exact)
            need.sentence, need.statement = need_sentence(row, need.share, step, numbered)
        needs.append(need)
    return sorted(needs, key=lambda n: (n.exact is None, -(n.exact or 0), n.item.number))


def _trend(view: View, counts: Counted, filters: Filters) -> list[TrendRow]:
    """For every period: how many organisations submitted in it, and the
    average overall score of their last assessment in it."""
    chosen = chooser(filters.types, filters.sizes)
    rows = []
    for first, last in view.periods:
        row = TrendRow(first, last, quarters.period_label(first, last), None, None, chosen=first == filters.period)
        pieces = view.pieces(POPULATION, chosen, (first, last))
        if pieces is not None:
            organisations = counts.add_up(POPULATION, pieces, (first, last))[0]
            row.organisations = None if is_disclosive(organisations) else organisations
            scoring = view.pieces(OVERALL, chosen, (first, last))
            if scoring is not None and row.organisations:
                _n, scored, total = counts.add_up(OVERALL, scoring, (first, last))
                if scored >= MINIMUM:
                    row.exact_average = total / scored
                    row.average = _one_decimal_float(row.exact_average)
        rows.append(row)
    return rows


def _one_decimal_float(value: float) -> Decimal:
    # The total is a sum of floats: round it to 9 places first, so that a
    # mean that is exactly 62.25 is not shown as 62.2.
    return one_decimal(round(value, 9))


@dataclass
class GroupCounts:
    """A council area's organisations counted in its published figures, by group (the area page)."""

    instrument: Instrument
    as_at: str
    rows: list[tuple[str, int | None]]  # (the group's types and size bands, organisations; None: hidden)
    total: int | None


def group_counts(area, instrument: Instrument | None = None, snapshot: Snapshot | None = None) -> GroupCounts | None:
    """The organisations counted in the area's newest published figures (of
    the health check, unless another instrument is given), by group: the
    same counts as its area insight page, so that neither page can be used
    to undo the other. None when nothing has been published."""
    instrument = instrument or choose_instrument(None)
    snapshot = snapshot or (publish.current(instrument.pk) if instrument else None)
    if snapshot is None:
        return None
    scope = sources.for_area(area)
    view = sources.view_for(snapshot, scope)
    counts = counted(snapshot, scope)
    by_label: dict[str, int] = {}
    for group in view.groups:
        if group.latest:
            label = describe_group(group.cells)  # groups told apart only by whom they share with read the same
            by_label[label] = by_label.get(label, 0) + counts.add_up(POPULATION, [group.index], None)[0]
    shown, total = suppress_breakdown(by_label)
    as_at = f"the end of {quarters.ends_label(snapshot.quarter)}"
    return GroupCounts(instrument, as_at, list(shown.items()), total)
