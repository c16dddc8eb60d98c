"""Whose figures a page shows (a scope), what the published snapshot shows
of it (a View: its pieces), and the two queries that read them.

- England: every council area's pieces, added up by the cells they cover.
- A council area: its own pieces.
- A support and development organisation: the pieces whose organisations
  all shared their records with it when they submitted.

Pages read only published snapshots (insight/publish.py), never the rows
kept on submit, so nothing shown changes until the next snapshot. Each
page is two indexed reads of one snapshot: the organisations counted in
each piece and slice (``counts``: the population, the trend, the groups),
and, for the filters chosen, the organisations by section score and by
answer in the chosen pieces (``values``). bench/insight_views.py times
these two on their own, as the floor for the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Q, Sum

from personfirst.core.access.disclosure import RegionPlan
from personfirst.core.organisations.models import CouncilArea, Organisation

from . import pages
from .models import PieceCount, PieceValue, Snapshot
from .publish import ENGLAND as ENGLAND_KEY
from .publish import POPULATION, area_scope, support_scope

ENGLAND = "england"
AREA = "area"
SHARED = "shared"

Cell = tuple[str, str, str]  # (org_type, size_band, sharing)
Period = tuple[int, int]


@dataclass(frozen=True)
class Scope:
    kind: str
    title: str
    area: CouncilArea | None = None
    support: Organisation | None = None

    @property
    def key(self) -> str:
        """The scope of its pieces in a snapshot (insight.models.PieceCount.scope)."""
        if self.kind == AREA:
            return area_scope(self.area.pk)
        if self.kind == SHARED:
            return support_scope(self.support.pk)
        return ENGLAND_KEY

    @property
    def url_kwargs(self) -> dict[str, str]:
        if self.kind == AREA:
            return {"code": self.area.code}
        if self.kind == SHARED:
            return {"slug": self.support.slug}
        return {}

    @property
    def who(self) -> str:
        """Who is counted, for the page: '… organisations in Eastmere'."""
        if self.kind == AREA:
            return f"organisations in {self.area.name}"
        if self.kind == SHARED:
            return f"organisations that shared their records with {self.support.name} when they submitted"
        return "organisations in England"


def england() -> Scope:
    return Scope(ENGLAND, "England")


def for_area(area: CouncilArea) -> Scope:
    return Scope(AREA, area.name, area=area)


def for_support_organisation(support: Organisation) -> Scope:
    return Scope(SHARED, f"Organisations that share with {support.name}", support=support)


# --- What a snapshot shows of a scope --------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One piece of one measure: the cells it covers, and the slices of time shown for it."""

    index: int
    cells: frozenset[Cell]
    latest: bool  # its latest figures are shown
    periods: frozenset[Period]
    asat: int | None = None  # a council area's piece: the quarter its latest figures are as at

    def shows(self, period: Period | None) -> bool:
        return self.latest if period is None else period in self.periods


@dataclass
class View:
    """What one snapshot shows of one scope. In a council area (``whole``),
    a figure is shown only when the filters take each of its pieces whole
    and every one has the slice asked for; in England and for a support
    organisation, a figure adds up the pieces the filters take whole that
    have the slice, and leaves out the others (they are shown, whole, in
    their own areas). Their periods are chosen from the areas' periods,
    without overlaps (insight.publish): a figure for one adds up the pieces
    with exactly that period."""

    snapshot: Snapshot | None
    whole: bool
    periods: list[Period] = field(default_factory=list)
    shapes: dict[str, list[Shape]] = field(default_factory=dict)

    @property
    def groups(self) -> list[Shape]:
        return self.shapes.get(POPULATION, [])

    def pieces(self, measure: str, chosen: Callable[[Cell], bool], period: Period | None) -> list[int] | None:
        """The pieces that make a measure's figure for these filters and
        slice (None: the period, or each organisation's latest), or None when
        the figure is not shown."""
        shapes = self.shapes.get(measure, [])
        inside = [s for s in shapes if all(chosen(c) for c in s.cells)]
        if self.whole:
            if len(inside) != sum(1 for s in shapes if any(chosen(c) for c in s.cells)):
                return None  # the filters take part of a piece
            if not all(s.shows(period) for s in inside):
                return None
            return [s.index for s in inside]
        return [s.index for s in inside if s.shows(period)]

    def split(self, chosen: Callable[[Cell], bool]) -> list[Shape]:
        """The groups these filters take part of."""
        return [s for s in self.groups if len({chosen(c) for c in s.cells}) == 2]

    def older(self) -> list[int]:
        """The quarters, earlier than the snapshot's, that some pieces' latest figures are as at."""
        quarter = self.snapshot.quarter if self.snapshot else None
        return sorted({s.asat for shapes in self.shapes.values() for s in shapes if s.asat and s.asat != quarter})


def view_for(snapshot: Snapshot | None, scope: Scope) -> View:
    """What the snapshot shows of the scope."""
    if snapshot is None:
        return View(None, scope.kind == AREA)
    return _view(snapshot, scope.key)


def area_view(snapshot: Snapshot, area_id: int) -> View:
    """What the snapshot shows of one council area, by its id."""
    return _view(snapshot, area_scope(area_id))


def _view(snapshot: Snapshot, key: str) -> View:
    """Worked out from the snapshot's plan once (a snapshot never changes),
    and kept in Django's cache for the snapshot (insight/pages.py), so the
    plan, which is large, is read only the first time. Also kept on the
    snapshot object for as long as the request that loaded it (standing.py
    asks for one area's many times while making one page)."""
    views = snapshot.__dict__.setdefault("_insight_views", {})
    if key not in views:
        cache_key = pages.snapshot_key("view", snapshot, key)
        view = cache.get(cache_key)
        if view is None:
            view = _parse(snapshot, key)
            cache.set(cache_key, replace(view, snapshot=None), pages.TIMEOUT)
        else:
            view.snapshot = snapshot
        views[key] = view
    return views[key]


def _parse(snapshot: Snapshot, key: str) -> View:
    if key.startswith("A"):
        plan_data = snapshot.plan["regions"].get(key[1:])
        view = View(snapshot, whole=True)
        if plan_data is None:
            return view
        plan = RegionPlan.from_json(plan_data)
        view.periods = list(plan.periods)
        for name, measure in plan.measures.items():
            view.shapes[name] = [
                Shape(
                    index,
                    plan.cells_of(name, index),
                    asat is not None,
                    frozenset(plan.periods[j] for j in rows),
                    asat,
                )
                for index, (asat, rows) in enumerate(zip(measure.asat, measure.rows, strict=True))
            ]
        return view
    view = View(snapshot, whole=False)
    published = snapshot.plan["scopes"].get(key, {})
    for name, shapes in published.get("measures", {}).items():
        view.shapes[name] = [
            Shape(
                index,
                frozenset(tuple(c) for c in shape["cells"]),
                shape["latest"],
                frozenset(tuple(p) for p in shape["periods"]),
            )
            for index, shape in enumerate(shapes)
        ]
    view.periods = [tuple(p) for p in published.get("periods", [])]
    return view


# --- The two queries ------------------------------------------------------------------

# (measure, piece, latest, first, last, organisations, scored, overall total)
CountRow = tuple[str, int, bool, int, int, int, int, float]


def counts(snapshot: Snapshot, scope: Scope) -> frozenset[CountRow]:
    """The organisations counted in every piece and slice of the scope."""
    return frozenset(counts_query(snapshot.pk, scope.key))


def counts_query(snapshot_id: int, key: str):
    return (
        PieceCount.objects.filter(snapshot_id=snapshot_id, scope=key)
        .values_list("measure", "piece", "latest", "first", "last", "organisations", "scored", "overall_total")
        .order_by()
    )


def values_query(snapshot_id: int, key: str, period: Period | None, pieces: Iterable[tuple[str, tuple[int, ...]]]):
    """Organisations by section score and by answer, in these pieces (measure, indices) and slice."""
    where = Q(latest=True) if period is None else Q(latest=False, first=period[0], last=period[1])
    chosen = Q(pk__in=[])
    for measure, indices in pieces:
        chosen |= Q(measure=measure, piece__in=indices)
    return (
        PieceValue.objects.filter(where, chosen, snapshot_id=snapshot_id, scope=key)
        .values_list("kind", "key", "value", "scale")
        .annotate(Sum("organisations"))
        .order_by()
    )


def values(
    snapshot: Snapshot, scope: Scope, period: Period | None, pieces: dict[str, list[int]]
) -> frozenset[tuple[str, str, int, int, int]]:
    """(kind, key, value, scale, organisations) rows, in no order."""
    chosen = tuple(sorted((measure, tuple(indices)) for measure, indices in pieces.items() if indices))
    if not chosen:
        return frozenset()
    return frozenset(values_query(snapshot.pk, scope.key, period, chosen))
