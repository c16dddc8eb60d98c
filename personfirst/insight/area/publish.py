"""Publishing area insight: the figures as at the end of a quarter, decided
by the disclosure engine (access.disclosure) and stored as a Snapshot with
its pieces. Every page, download, chart and the area page
(organisations.views.area) show only the newest snapshot, so a submission
changes nothing shown until a snapshot after its quarter is published.

``manage.py publish_insight`` publishes, as at the last quarter that has
ended, every instrument that has no snapshot for it yet; the scheduler runs
it every day (docs/operations.md), and load_demo once.

For each council area, the engine is given the organisations counted,
by cell (type, size band, and the support and development organisations
they shared with, as they were when they submitted), quarter and quarter of
their next submission, for each measure: every organisation (POPULATION),
those with an overall score (OVERALL), and those with a score for each
section. It keeps the area's groups and periods from the snapshots before,
and says which pieces (measure group × slice of time) may be shown. The
pieces are then stored three ways: for the area, for England (every area's
pieces, added up by the cells they cover) and for each support and
development organisation (the pieces whose cells all share with it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from personfirst.core.access import disclosure
from personfirst.core.access.disclosure import RegionPlan
from personfirst.core.organisations.choices import SIZE_BAND_ORDER, OrganisationType
from personfirst.readiness.assessments.models import Instrument, Item

from . import quarters
from .models import Kind, PieceCount, PieceValue, Snapshot, Submission, Value
from .rows import Rows

POPULATION = "organisations"
OVERALL = "overall"
ENGLAND = "E"
TYPE_ORDER = [value for value, _label in OrganisationType.choices]

Cell = tuple[str, str, str]  # (org_type, size_band, sharing)


def cell_order(cell: Cell) -> tuple:
    """Types in the service's order; within one, organisations that share with nobody first, then by
    whom they share with, then by size band: a support organisation's pieces stay apart where they can."""
    org_type, size_band, sharing = cell
    type_rank = TYPE_ORDER.index(org_type) if org_type in TYPE_ORDER else len(TYPE_ORDER)
    size_rank = SIZE_BAND_ORDER.index(size_band) if size_band in SIZE_BAND_ORDER else len(SIZE_BAND_ORDER)
    return (type_rank, org_type, sharing != "", sharing, size_rank, size_band)


def cell_type(cell: Cell) -> str:
    return cell[0]


def cell_sharing(cell: Cell) -> str:
    return cell[2]


def area_scope(area_id: int) -> str:
    return f"A{area_id}"


def support_scope(support_id: int) -> str:
    return f"S{support_id}"


def supports_of(cell: Cell) -> set[str]:
    return {part for part in cell[2].split(",") if part}


def last_closed_quarter(now=None) -> int:
    return quarters.quarter_of(now or timezone.now()) - 1


def current(instrument_id: int) -> Snapshot | None:
    """The newest snapshot of the instrument: what the pages show. One
    small indexed read: its plan, which can be large, is read only when
    first used (what a snapshot shows of a scope is kept in Django's cache:
    insight/sources.py)."""
    return Snapshot.objects.filter(instrument_id=instrument_id).order_by("-quarter").defer("plan").first()


class AlreadyPublished(ValueError):
    pass


# --- What the engine is given ------------------------------------------------


@dataclass
class AreaUnits:
    population: dict = field(default_factory=lambda: defaultdict(int))
    measures: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))


def gather(instrument_id: int, quarter: int) -> dict[int, AreaUnits]:
    """For each council area, the organisations counted by (cell, quarter, superseded quarter), for
    every measure, from submissions up to the end of the quarter."""
    areas: dict[int, AreaUnits] = defaultdict(AreaUnits)
    submissions = (
        Submission.objects.filter(instrument_id=instrument_id, quarter__lte=quarter)
        .exclude(superseded_quarter=F("quarter"))
        .values_list("council_area_id", "org_type", "size_band", "sharing", "quarter", "superseded_quarter")
        .annotate(Count("pk"), Count("overall"))
        .order_by()
    )
    for area, org_type, size_band, sharing, q, superseded, n, scored in submissions:
        key = ((org_type, size_band, sharing), q, superseded)
        areas[area].population[key] += n
        if scored:
            areas[area].measures[OVERALL][key] += scored
    sections = (
        Value.objects.filter(instrument_id=instrument_id, kind=Kind.SECTION, quarter__lte=quarter)
        .exclude(superseded_quarter=F("quarter"))
        .values_list("council_area_id", "org_type", "size_band", "sharing", "quarter", "superseded_quarter", "key")
        .annotate(Count("pk"))
        .order_by()
    )
    for area, org_type, size_band, sharing, q, superseded, key, n in sections:
        areas[area].measures[key][((org_type, size_band, sharing), q, superseded)] += n
    return areas


def section_of_items(instrument: Instrument) -> dict[str, str]:
    """Question key -> the key of its section (as in the newest version that has it)."""
    return dict(
        Item.objects.filter(version__instrument=instrument).order_by("version__pk").values_list("key", "section__key")
    )


# --- Publishing -------------------------------------------------------------------


def region_history(snapshots: list[Snapshot], area_id: int) -> list[RegionPlan]:
    return [
        RegionPlan.from_json(s.plan["regions"][str(area_id)]) for s in snapshots if str(area_id) in s.plan["regions"]
    ]


@transaction.atomic
def publish(instrument: Instrument, quarter: int, *, made_at=None, keep: int = 2) -> Snapshot:
    """Publish the instrument's figures as at the end of ``quarter``, later
    than any published before. The instrument's row is locked, so two
    publications at once cannot both be made. Pieces of all but the newest
    ``keep`` snapshots are deleted (their plans are kept: the next plans are
    checked against them)."""
    list(Instrument.objects.select_for_update().filter(pk=instrument.pk).values_list("pk", flat=True))
    history = list(Snapshot.objects.filter(instrument=instrument).order_by("quarter"))
    if history and history[-1].quarter >= quarter:
        raise AlreadyPublished(f"{instrument.key} is published as at {quarters.label(history[-1].quarter)} already")
    units = gather(instrument.pk, quarter)
    areas = set(units) | {int(a) for s in history for a in s.plan["regions"]}
    plans: dict[int, RegionPlan] = {}
    recounted = _recount(history[-1], units) if history else {}
    changed = []
    for area_id in sorted(areas):
        given = units.get(area_id, AreaUnits())
        past = region_history(history, area_id)
        if past and not recounted.get(area_id, True):
            # What was published cannot be counted again from the rows (assessments added to a quarter
            # already published, or deleted): publishing anything new could show the difference.
            plans[area_id] = past[-1]
            changed.append(area_id)
            continue
        measures = {name: dict(counts) for name, counts in given.measures.items()}
        for plan in past[-1:]:
            for name in plan.measures:  # a measure shown before stays, even with nothing new
                if name != POPULATION:
                    measures.setdefault(name, {})
        plan = disclosure.plan_region(
            dict(given.population),
            measures,
            quarter,
            past,
            key=cell_order,
            major=cell_type,
            block=cell_sharing,
            population_name=POPULATION,
        )
        if plan.groups:
            plans[area_id] = plan
    snapshot = Snapshot.objects.create(
        instrument=instrument,
        quarter=quarter,
        made_at=made_at or timezone.now(),
        plan={"regions": {str(a): p.to_json() for a, p in plans.items()}, "scopes": {}, "unchanged": changed},
    )
    previous = history[-1] if history else None
    snapshot.plan["scopes"] = _write_pieces(snapshot, plans, section_of_items(instrument), previous)
    snapshot.save(update_fields=["plan"])
    old = [s.pk for s in history[: max(0, len(history) + 1 - keep)]]
    PieceCount.objects.filter(snapshot_id__in=old).delete()
    PieceValue.objects.filter(snapshot_id__in=old).delete()
    return snapshot


def _recount(snapshot: Snapshot, units: dict[int, AreaUnits]) -> dict[int, bool]:
    """For each area of the snapshot: do its published organisation counts come out the same from
    the rows as they are now? (Not when assessments were since added to a quarter it counted, or
    deleted.)"""
    stored = defaultdict(dict)
    for scope, piece, latest, first, last, n in PieceCount.objects.filter(
        snapshot=snapshot, measure=POPULATION, scope__startswith="A"
    ).values_list("scope", "piece", "latest", "first", "last", "organisations"):
        where = disclosure.latest_slice(last) if latest else disclosure.period_slice(first, last)
        stored[int(scope[1:])][(piece, where)] = n
    result = {}
    for area_id, data in snapshot.plan["regions"].items():
        plan = RegionPlan.from_json(data)
        population = units.get(int(area_id), AreaUnits()).population
        result[int(area_id)] = all(
            stored[int(area_id)].get((index, where), 0) == disclosure.count(population, cells, where)
            for index, cells, where in plan.pieces(POPULATION)
        )
    return result


def _slice_filter(where: disclosure.Slice) -> Q:
    kind, first, last = where
    condition = Q(superseded_quarter__isnull=True) | Q(superseded_quarter__gt=last)
    if kind == disclosure.LATEST:
        return condition & Q(quarter__lte=last)
    return condition & Q(quarter__gte=first, quarter__lte=last)


Slot = tuple[bool, int, int]  # (latest?, first, last) as PieceCount keeps a slice
PIECE_COLUMNS = ["snapshot_id", "scope", "measure", "piece", "latest", "first", "last"]


def _slot(where: disclosure.Slice) -> Slot:
    return (where[0] == disclosure.LATEST, where[1], where[2])


@dataclass
class _Piece:
    """One piece's figures: organisations (or, for OVERALL, those with an overall score), those with
    an overall score and their total, and organisations by (kind, key, value, scale)."""

    organisations: int = 0
    scored: int = 0
    total: float = 0.0
    values: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: _Piece) -> None:
        self.organisations += other.organisations
        self.scored += other.scored
        self.total += other.total
        for key, n in other.values.items():
            self.values[key] += n


def _published_pieces(snapshot: Snapshot | None) -> dict[tuple, _Piece]:
    """The council areas' pieces of a snapshot, by (scope, measure, piece, slot)."""
    pieces: dict[tuple, _Piece] = defaultdict(_Piece)
    if snapshot is None:
        return pieces
    fields = ["scope", "measure", "piece", "latest", "first", "last"]
    for *key, n, scored, total in PieceCount.objects.filter(snapshot=snapshot, scope__startswith="A").values_list(
        *fields, "organisations", "scored", "overall_total"
    ):
        piece = pieces[(key[0], key[1], key[2], tuple(key[3:]))]
        piece.organisations, piece.scored, piece.total = n, scored, total
    for *key, kind, item, value, scale, n in PieceValue.objects.filter(
        snapshot=snapshot, scope__startswith="A"
    ).values_list(*fields, "kind", "key", "value", "scale", "organisations"):
        pieces[(key[0], key[1], key[2], tuple(key[3:]))].values[(kind, item, value, scale)] = n
    return pieces


def _write_pieces(
    snapshot: Snapshot, plans: dict[int, RegionPlan], item_section: dict[str, str], previous: Snapshot | None
) -> dict:
    """Store every piece the plans allow, for the areas, England and the
    support organisations; return, for England and each support
    organisation, the cells of each piece and what is shown of it. An
    area's piece published before (the same measure group and slice) is
    copied as it was published; the others are counted from the rows."""
    before = _published_pieces(previous)
    needed: dict[disclosure.Slice, set[int]] = defaultdict(set)
    for area_id, plan in plans.items():
        for name in plan.measures:
            for index, _cells, where in plan.pieces(name):
                if (area_scope(area_id), name, index, _slot(where)) not in before:
                    needed[where].add(area_id)
    counts, values = _counted_cells(snapshot.instrument_id, needed, item_section)

    written: dict[tuple, _Piece] = defaultdict(_Piece)
    shapes: dict[str, dict[str, dict[frozenset, dict]]] = defaultdict(lambda: defaultdict(dict))
    for area_id, plan in plans.items():
        for name in plan.measures:
            for index, cells, where in plan.pieces(name):
                key = (area_scope(area_id), name, index, _slot(where))
                piece = before.get(key) or _count_piece(name, cells, counts[(area_id, where)], values[(area_id, where)])
                written[key].add(piece)
                # England and support organisations: latest as at the snapshot's quarter; a period as it is.
                scoped = where if where[0] == disclosure.PERIOD else disclosure.latest_slice(snapshot.quarter)
                sharing = set.intersection(*(supports_of(c) for c in cells)) if cells else set()
                for scope in [ENGLAND, *(support_scope(int(s)) for s in sorted(sharing))]:
                    known = shapes[scope][name]
                    shape = known.setdefault(frozenset(cells), {"index": len(known), "latest": False, "periods": set()})
                    if where[0] == disclosure.LATEST:
                        shape["latest"] = True
                    else:
                        shape["periods"].add((where[1], where[2]))
                    written[(scope, name, shape["index"], _slot(scoped))].add(piece)
    made_at = timezone.now()
    count_rows = Rows(PieceCount, [*PIECE_COLUMNS, "organisations", "scored", "overall_total"], made_at)
    value_rows = Rows(
        PieceValue, [*PIECE_COLUMNS, "kind", "key", "value", "scale", "organisations"], made_at, flush_every=50_000
    )
    for (scope, measure, index, slot), piece in written.items():
        if measure in (POPULATION, OVERALL):
            count_rows.add(snapshot.pk, scope, measure, index, *slot, piece.organisations, piece.scored, piece.total)
        for (kind, item, value, scale), n in piece.values.items():
            value_rows.add(snapshot.pk, scope, measure, index, *slot, kind, item, value, scale, n)
    count_rows.write()
    value_rows.write()
    result = {}
    for scope, by_measure in shapes.items():
        periods = _periods_for(scope, written)
        result[scope] = {
            "periods": [list(p) for p in periods],
            "measures": {
                measure: [
                    {
                        "cells": sorted(list(c) for c in cells),
                        "latest": info["latest"],
                        "periods": sorted(list(p) for p in info["periods"] if p in periods),
                    }
                    for cells, info in sorted(known.items(), key=lambda item: item[1]["index"])
                ]
                for measure, known in by_measure.items()
            },
        }
    return result


def _periods_for(scope: str, written: dict[tuple, _Piece]) -> list[tuple[int, int]]:
    """England's (or a support organisation's) periods: areas may have joined quarters differently, so
    of all their periods, those counting the most organisations are taken first, and any that overlaps
    one taken is left out. A figure for a period adds up the areas' pieces with exactly that period."""
    weight: dict[tuple[int, int], int] = defaultdict(int)
    for (where, measure, _index, (latest, first, last)), piece in written.items():
        if where == scope and measure == POPULATION and not latest:
            weight[(first, last)] += piece.organisations
    chosen: list[tuple[int, int]] = []
    for period in sorted(weight, key=lambda p: (-weight[p], p)):
        if all(period[1] < other[0] or period[0] > other[1] for other in chosen):
            chosen.append(period)
    return sorted(chosen)


def _counted_cells(instrument_id: int, needed: dict[disclosure.Slice, set[int]], item_section: dict[str, str]):
    """For each (area, slice) asked for, by cell: (organisations, with an overall score, its total), and
    (measure, kind, key, value, scale, organisations) rows. One query of each kind per slice."""
    counts: dict[tuple, dict[Cell, tuple[int, int, float]]] = defaultdict(dict)
    values: dict[tuple, dict[Cell, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for where, area_ids in needed.items():
        condition = _slice_filter(where) & Q(instrument_id=instrument_id, council_area_id__in=sorted(area_ids))
        for area, org_type, size_band, sharing, n, scored, total in (
            Submission.objects.filter(condition)
            .values_list("council_area_id", "org_type", "size_band", "sharing")
            .annotate(Count("pk"), Count("overall"), Sum("overall"))
            .order_by()
        ):
            counts[(area, where)][(org_type, size_band, sharing)] = (n, scored, total or 0.0)
        for area, org_type, size_band, sharing, kind, key, value, scale, n in (
            Value.objects.filter(condition)
            .values_list("council_area_id", "org_type", "size_band", "sharing", "kind", "key", "value", "scale")
            .annotate(Count("pk"))
            .order_by()
        ):
            measure = key if kind == Kind.SECTION else item_section.get(key)
            values[(area, where)][(org_type, size_band, sharing)].append((measure, kind, key, value, scale, n))
    return counts, values


def _count_piece(measure: str, cells, counts, values) -> _Piece:
    """A piece counted from its cells' rows in one slice: organisations for the population, those with
    an overall score (and its total) for OVERALL, and each measure's own section scores and answers."""
    piece = _Piece()
    for cell in cells:
        n, scored, total = counts.get(cell, (0, 0, 0.0))
        piece.organisations += n if measure == POPULATION else scored if measure == OVERALL else 0
        piece.scored += scored if measure in (POPULATION, OVERALL) else 0
        piece.total += total if measure in (POPULATION, OVERALL) else 0.0
        for value_measure, kind, key, value, scale, count in values.get(cell, ()):
            if value_measure == measure:
                piece.values[(kind, key, value, scale)] += count
    return piece


def parse_quarter(text: str) -> int:
    """'2026-Q3' -> the quarter's number (insight.quarters)."""
    year, _dash, part = text.strip().upper().partition("-Q")
    if not (year.isdigit() and part in {"1", "2", "3", "4"}):
        raise ValueError(f"expected a quarter like 2026-Q3, not {text!r}")
    return int(year) * 4 + int(part) - 1


def publish_due(*, now=None, instruments: list[Instrument] | None = None) -> list[tuple[Instrument, Snapshot | None]]:
    """For every instrument with submitted assessments (or those given):
    publish as at the last quarter that has ended, unless that is published
    already. Returns (instrument, the new snapshot or None) for each."""
    quarter = last_closed_quarter(now)
    if instruments is None:
        with_rows = Submission.objects.filter(quarter__lte=quarter).values("instrument_id").distinct()
        instruments = list(Instrument.objects.filter(pk__in=with_rows).order_by("key"))
    done = []
    for instrument in instruments:
        newest = current(instrument.pk)
        if newest is not None and newest.quarter >= quarter:
            done.append((instrument, None))
        else:
            done.append((instrument, publish(instrument, quarter)))
    return done
