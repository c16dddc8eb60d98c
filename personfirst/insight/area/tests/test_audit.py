"""The auditor: every figure about organisations that the pages can show,
for a generated population, and the attacks known to undo "no figure about
fewer than five".

The population: four council areas; types with 1 to 4 organisations in
some of them (one housing provider in Westholm, two user-led organisations,
three direct payment support schemes in Eastmere, three micro-providers in
one area where two more organisations are registered than have
submitted); sections that apply only to some organisations (information
and advice, direct payment support); half of Eastmere sharing with its
support organisation; two assessments a year apart each. Figures are published as at the end of September 2026;
then, in November, one Westholm organisation and six in Eastmere submit
again, and figures are published as at the end of December.

``figures`` goes through every scope (England, each area, the support
organisation), every filter (every set of types, every set of size bands,
each organisation's latest and every period), both snapshots, and the area
page, and turns each figure shown into the set of organisations' counted
assessments it is about, per measure: the organisations counted; those
with an overall score (the trend's averages); those with a score for each
section (its quartiles and its questions). Each set is checked against the
page: its size is the count shown. Then, for each measure:

- every difference between two of them, either way, is about 0 or at
  least 5 organisations;
- no sum or difference of any of them is about 1 to 4 organisations
  (access.disclosure.small_sets, checked against exact fractions in
  access/tests/test_disclosure_engine.py): for a sound and quick check,
  each set is cut into its council areas, which can only make more sums.

The known attacks are tested on their own, from the numbers the pages show.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.db.models import Q

from personfirst.core.access.disclosure import (
    MINIMUM,
    RegionPlan,
    counted,
    is_disclosive,
    latest_slice,
    period_slice,
    small_sets,
)
from personfirst.core.organisations.models import CouncilArea, Organisation
from personfirst.insight.area import publish, quarters, report, sources
from personfirst.insight.area.models import Kind, Submission, Value
from personfirst.insight.area.publish import OVERALL, POPULATION

from .factory import PREFIX, submitted
from .test_facts import submit

pytestmark = pytest.mark.django_db

GENERATED_AT = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)
FIRST = quarters.quarter_of(GENERATED_AT)  # July to September 2026
SECOND = FIRST + 1
SUBMITTED_AGAIN_AT = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@dataclass
class Population:
    world: object
    instrument: object
    areas: list[CouncilArea]
    first: object  # the snapshot as at FIRST
    second: object | None = None
    resubmitted: Organisation | None = None  # the one Westholm organisation that submitted again


def _make(world, instrument, area_code, organisations, types, seed, **more):
    submitted(
        organisations=organisations,
        assessments_per_organisation=2,
        area_code=area_code,
        seed=seed,
        now=GENERATED_AT,
        types=types,
        **more,
    )


@pytest.fixture
def population(world, instrument_for_audit) -> Population:
    instrument = instrument_for_audit
    east, west = world.area, world.other_area
    _make(world, instrument, east.code, 45, ["voluntary", "home_care", "voluntary", "housing", "home_care"], 1,
          share_with=world.support_org, share_fraction=0.5)  # fmt: skip
    _make(world, instrument, east.code, 3, ["direct_payment_support"], 2)
    _make(world, instrument, west.code, 24, ["voluntary", "home_care"], 3)
    _make(world, instrument, west.code, 1, ["housing"], 4)
    _make(world, instrument, west.code, 2, ["user_led"], 5)
    _make(world, instrument, "E99000007", 14, ["voluntary"] * 5 + ["micro_enterprise"] * 2, 6)
    # Registered and counted differ here: two housing providers never submitted, so the area page's
    # old counts (registered organisations) could be taken from area insight's to give a hidden one.
    _make(world, instrument, "E99000008", 34, ["voluntary"] * 20 + ["home_care"] * 6 + ["housing"] * 5
          + ["micro_enterprise"] * 3, 7)  # fmt: skip
    north = CouncilArea.objects.get(code="E99000008")
    for n in range(2):
        Organisation.objects.create(
            name=f"Registered only {n}", slug=f"registered-only-{n}", org_type="housing", council_area=north
        )
    areas = [east, west, CouncilArea.objects.get(code="E99000007"), north]
    first = publish.publish(instrument, FIRST)
    return Population(world, instrument, areas, first)


def submit_again(population: Population) -> None:
    """In November: one Westholm organisation and six in Eastmere submit again."""
    world = population.world
    west = Organisation.objects.filter(council_area=world.other_area, slug__startswith=PREFIX).order_by("pk")
    east = Organisation.objects.filter(council_area=world.area, slug__startswith=PREFIX).order_by("pk")
    population.resubmitted = west.first()
    with time_machine.travel(SUBMITTED_AGAIN_AT, tick=False):
        for organisation in [population.resubmitted, *east[:6]]:
            submit(world, population.instrument, organisation=organisation)


@pytest.fixture
def instrument_for_audit(health_check):
    return health_check


# --- What each figure is about ----------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A counted assessment, as the auditor sees it."""

    pk: int
    area: int
    cell: tuple[str, str, str]
    quarter: int
    superseded: int | None
    submitted_at: datetime
    measures: frozenset[str]


def units_of(instrument) -> list[Unit]:
    sections = defaultdict(set)
    for submission_id, key in Value.objects.filter(instrument=instrument, kind=Kind.SECTION).values_list(
        "submission_id", "key"
    ):
        sections[submission_id].add(key)
    return [
        Unit(
            s.pk,
            s.council_area_id,
            (s.org_type, s.size_band, s.sharing),
            s.quarter,
            s.superseded_quarter,
            s.submitted_at,
            frozenset({POPULATION, *([OVERALL] if s.overall is not None else []), *sections[s.pk]}),
        )
        for s in Submission.objects.filter(instrument=instrument)
    ]


def piece_units(units, snapshot, area_id, cells, where, measure) -> set[int]:
    return {
        u.pk
        for u in units
        if u.area == area_id
        and u.cell in cells
        and measure in u.measures
        and u.submitted_at <= snapshot.made_at
        and counted(u.quarter, u.superseded, where)
    }


def figure_units(units, snapshot, scope, view, measure, pieces, period) -> set[int]:
    """The organisations' assessments a figure made of these pieces is about."""
    found: set[int] = set()
    shapes = view.shapes[measure]
    if scope.kind == sources.AREA:
        for index in pieces:
            shape = shapes[index]
            where = latest_slice(shape.asat) if period is None else period_slice(*period)
            found |= piece_units(units, snapshot, scope.area.pk, shape.cells, where, measure)
        return found
    for index in pieces:
        cells = shapes[index].cells
        for area_id, plan in regions_of(snapshot).items():
            for k, _cells, where in plan.pieces(measure):
                wanted = where[0] == "latest" if period is None else where == period_slice(*period)
                if wanted and plan.cells_of(measure, k) == cells:
                    found |= piece_units(units, snapshot, area_id, cells, where, measure)
    return found


@functools.cache
def _regions(snapshot_id: int, made_at) -> dict[int, RegionPlan]:
    from personfirst.insight.area.models import Snapshot

    plan = Snapshot.objects.get(pk=snapshot_id).plan
    return {int(a): RegionPlan.from_json(p) for a, p in plan["regions"].items()}


def regions_of(snapshot) -> dict[int, RegionPlan]:
    return _regions(snapshot.pk, snapshot.made_at)


@dataclass(frozen=True)
class Figure:
    measure: str
    units: frozenset[int]
    where: str  # what page shows it, for messages


def subsets(values):
    return [None, *(c for n in range(1, len(values) + 1) for c in itertools.combinations(values, n))]


def scopes_of(population: Population) -> list[sources.Scope]:
    return [
        sources.england(),
        *(sources.for_area(a) for a in population.areas),
        sources.for_support_organisation(population.world.support_org),
    ]


def figures(population: Population, snapshot, units) -> list[Figure]:
    """Every figure the pages show from this snapshot, with the assessments it is about. Filters that
    choose the same pieces show the same figures, so each choice of pieces is built once."""
    found: list[Figure] = []
    instrument = population.instrument
    for scope in scopes_of(population):
        view = sources.view_for(snapshot, scope)
        types = sorted({c[0] for g in view.groups for c in g.cells})
        sizes = sorted({c[1] for g in view.groups for c in g.cells})
        seen = set()
        for chosen_types, chosen_sizes in itertools.product(subsets(types), subsets(sizes)):
            for period in [None, *view.periods]:
                filters = report.Filters(chosen_types, chosen_sizes, None if period is None else period[0])
                pieces = report.figure_pieces(view, filters)
                key = (period, tuple(sorted((m, tuple(p)) for m, p in pieces.items() if p is not None)))
                if not pieces.get(POPULATION) or key in seen:
                    continue
                seen.add(key)
                built = report.build(scope, instrument, filters, snapshot=snapshot)
                if not built.shown:  # no organisations in the pieces chosen
                    assert built.population == 0
                    continue
                name = f"{scope.title} {chosen_types} {chosen_sizes} {period} @{snapshot.quarter}"
                counted_units = figure_units(units, snapshot, scope, view, POPULATION, pieces[POPULATION], period)
                assert len(counted_units) == built.population, name
                found.append(Figure(POPULATION, frozenset(counted_units), name))
                for row in built.sections:
                    if row.n is not None:
                        scored = figure_units(units, snapshot, scope, view, row.key, pieces[row.key], period)
                        assert len(scored) == row.n, (name, row.key)
                        found.append(Figure(row.key, frozenset(scored), f"{name} {row.key}"))
                for row in built.trend:
                    if (row.first, row.last) == period:  # the trend shows the same figures for the period
                        assert row.organisations == built.population, name
                        if row.average is not None:
                            scored = figure_units(units, snapshot, scope, view, OVERALL, pieces[OVERALL], period)
                            found.append(Figure(OVERALL, frozenset(scored), f"{name} trend"))
    for area in population.areas:  # the area page
        counts = report.group_counts(area, instrument, snapshot)
        view = sources.view_for(snapshot, sources.for_area(area))
        for label, count in counts.rows if counts else []:
            if count is None:
                continue
            shown: set[int] = set()
            for group in view.groups:
                if group.latest and report.describe_group(group.cells) == label:
                    shown |= piece_units(units, snapshot, area.pk, group.cells, latest_slice(group.asat), POPULATION)
            assert len(shown) == count, (area.name, label)
            found.append(Figure(POPULATION, frozenset(shown), f"/areas/{area.code}/ {label} @{snapshot.quarter}"))
    return found


def differences(found: list[Figure]) -> list[str]:
    """Pairs of figures of one measure whose difference, either way, is about 1 to 4 assessments."""
    problems = []
    by_measure: dict[str, dict[frozenset, str]] = defaultdict(dict)
    for figure in found:
        by_measure[figure.measure].setdefault(figure.units, figure.where)
    for measure, sets in by_measure.items():
        for (first, a), (second, b) in itertools.combinations(sets.items(), 2):
            for left, right, gone in ((a, b, first - second), (b, a, second - first)):
                if is_disclosive(len(gone)):
                    problems.append(f"{measure}: {left} minus {right} is about {len(gone)}")
    return problems


def combinations(found: list[Figure], units) -> list[str]:
    """Sums and differences of any figures of one measure about 1 to 4 assessments: each figure cut into
    its council areas (more figures than were shown, so no fewer sums)."""
    area_of = {u.pk: u.area for u in units}
    problems = []
    by_measure_area: dict[tuple[str, int], set[frozenset]] = defaultdict(set)
    for figure in found:
        parts: dict[int, set[int]] = defaultdict(set)
        for pk in figure.units:
            parts[area_of[pk]].add(pk)
        for area, part in parts.items():
            by_measure_area[(figure.measure, area)].add(frozenset(part))
    for (measure, area), sets in by_measure_area.items():
        members = {pk for s in sets for pk in s}
        for small in small_sets(dict.fromkeys(members, 1), sets):
            problems.append(f"{measure} in area {area}: {len(small)} assessments can be worked out")
    return problems


# --- The audit --------------------------------------------------------------------------


def test_no_figure_any_page_shows_singles_out_fewer_than_five(population):
    """Both snapshots, every scope, filter, period, section and the area page: no difference of
    two figures, and no sum or difference of any, is about 1 to 4 organisations."""
    units = units_of(population.instrument)
    found = figures(population, population.first, units)
    submit_again(population)
    units = units_of(population.instrument)
    again = figures(population, population.first, units)
    assert {(f.measure, f.units) for f in again} == {(f.measure, f.units) for f in found}, "nothing moved"
    population.second = publish.publish(population.instrument, SECOND)
    found += figures(population, population.second, units)
    assert len({f.units for f in found}) > 100  # the audit looked at many different figures
    assert differences(found) == []
    assert combinations(found, units) == []


# --- The known attacks, from the numbers the pages show ------------------------------------


def shown_builds(population, scope, snapshot=None, periods=True):
    """(filters, report) for every figure shown of the scope: one filter for each choice of pieces."""
    snapshot = snapshot or publish.current(population.instrument.pk)
    view = sources.view_for(snapshot, scope)
    types = sorted({c[0] for g in view.groups for c in g.cells})
    sizes = sorted({c[1] for g in view.groups for c in g.cells})
    seen = set()
    for chosen_types, chosen_sizes in itertools.product(subsets(types), subsets(sizes)):
        for period in [None, *(view.periods if periods else [])]:
            filters = report.Filters(chosen_types, chosen_sizes, None if period is None else period[0])
            pieces = report.figure_pieces(view, filters)
            key = (period, tuple(sorted((m, tuple(p)) for m, p in pieces.items() if p is not None)))
            if not pieces.get(POPULATION) or key in seen:
                continue
            seen.add(key)
            built = report.build(scope, population.instrument, filters, snapshot=snapshot)
            if built.shown:
                yield filters, built


def test_england_for_a_type_minus_areas_for_it_leaves_nobody_out(population):
    """England's figures for one type minus some areas' for it would be the organisations of that type
    elsewhere: one housing provider in Westholm, whose overall score (from the trend's averages) and
    answers (from the shares at each step) would follow. Tried with every set of areas."""
    instrument = population.instrument
    england = sources.england()
    for org_type in ("housing", "voluntary", "home_care", "direct_payment_support", "micro_enterprise"):
        filters = report.Filters(types=(org_type,))
        whole = report.build(england, instrument, filters)
        if not whole.shown:
            continue
        parts = [report.build(sources.for_area(a), instrument, filters) for a in population.areas]
        parts = [p for p in parts if p.shown]
        for n in range(1, len(parts) + 1):
            for chosen in itertools.combinations(parts, n):
                rest = whole.population - sum(p.population for p in chosen)
                assert not is_disclosive(rest), (org_type, [p.scope.title for p in chosen], rest)
                for i, section in enumerate(whole.sections):
                    if section.n is not None and all(p.sections[i].n is not None for p in chosen):
                        assert not is_disclosive(section.n - sum(p.sections[i].n for p in chosen)), (
                            org_type,
                            section.key,
                        )
                for row in whole.trend:
                    same = [
                        next((r for r in p.trend if (r.first, r.last) == (row.first, row.last)), None) for p in chosen
                    ]
                    if row.organisations is not None and all(
                        r is not None and r.organisations is not None for r in same
                    ):
                        assert not is_disclosive(row.organisations - sum(r.organisations for r in same)), (
                            org_type,
                            row.label,
                        )


def test_section_counts_across_filters_never_differ_by_one_to_four(population):
    """Sections that apply only to some organisations: their counts for two filters, one taking more
    than the other, would otherwise give groups of 2 to 4, with their scores."""
    for scope in scopes_of(population):
        shown = list(shown_builds(population, scope, periods=False))
        for (first, wide), (second, narrow) in itertools.permutations(shown, 2):
            if not _contains(first, second):
                continue
            for a, b in zip(wide.sections, narrow.sections, strict=True):
                if a.n is not None and b.n is not None:
                    assert not is_disclosive(a.n - b.n), (scope.title, first, second, a.key)


def _contains(wide: report.Filters, narrow: report.Filters) -> bool:
    types_ok = wide.types is None or (narrow.types is not None and set(narrow.types) <= set(wide.types))
    sizes_ok = wide.sizes is None or (narrow.sizes is not None and set(narrow.sizes) <= set(wide.sizes))
    return types_ok and sizes_ok and (wide.types, wide.sizes) != (narrow.types, narrow.sizes)


def test_the_area_page_and_area_insight_together_give_no_type_away(population, client):
    """A type the area page hides must not be worked out from area insight's counts (and the
    other way round): every count of either page, as a set of (type, size band) cells."""
    world = population.world
    client.force_login(world.platform)
    for area in population.areas:
        html = client.get(f"/areas/{area.code}/").content.decode()
        scope = sources.for_area(area)
        view = sources.view_for(publish.current(population.instrument.pk), scope)
        cells_of_label = defaultdict(set)
        for group in view.groups:
            cells_of_label[report.describe_group(group.cells)] |= group.cells
        rows = _area_page_rows(html)
        sets = [cells_of_label[label] for label, value in rows.items() if value != "Hidden" and label != "All types"]
        cells = {c for g in view.groups for c in g.cells}
        for filters, _built in shown_builds(population, scope, periods=False):
            sets.append({c for c in cells if report.chooser(filters.types, filters.sizes)(c)})
        latest = defaultdict(int)
        for cell in Submission.objects.filter(
            Q(superseded_quarter__isnull=True) | Q(superseded_quarter__gt=FIRST), council_area=area, quarter__lte=FIRST
        ).values_list("org_type", "size_band", "sharing"):
            latest[cell] += 1
        assert small_sets(latest, sets) == [], area.name


def _area_page_rows(html: str) -> dict[str, str]:
    import re

    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>\s*<td[^>]*>(.*?)</td>', html, re.S)
    return {label.strip(): re.sub(r"<[^>]+>", "", cell).strip() for label, cell in rows}


def test_watching_before_and_after_one_submission_shows_nothing(population):
    """One Westholm organisation submits again: nothing the pages show changes then, and when the
    quarter's figures are published, no figure of its area or England moves by 1 to 4 organisations."""
    instrument = population.instrument
    scopes = [sources.for_area(population.world.other_area), sources.england()]
    before = {
        (scope.key, filters): (
            built.population,
            tuple(s.n for s in built.sections),
            tuple(s.median for s in built.sections),
        )
        for scope in scopes
        for filters, built in shown_builds(population, scope)
    }
    submit_again(population)
    during = {
        (scope.key, filters): (
            built.population,
            tuple(s.n for s in built.sections),
            tuple(s.median for s in built.sections),
        )
        for scope in scopes
        for filters, built in shown_builds(population, scope)
    }
    assert during == before
    publish.publish(instrument, SECOND)
    for scope in scopes:
        for filters, built in shown_builds(population, scope, periods=False):
            if (scope.key, filters) not in before:
                continue
            old = before[(scope.key, filters)]
            assert not is_disclosive(abs(built.population - old[0])), (scope.title, filters)
            for n, old_n in zip((s.n for s in built.sections), old[1], strict=True):
                if n is not None and old_n is not None:
                    assert not is_disclosive(abs(n - old_n)), (scope.title, filters)
    west = report.build(scopes[0], instrument)
    assert west.view.older() or west.population == before[(scopes[0].key, report.Filters())][0]


def test_how_you_compare_is_against_a_published_figure(population):
    """An organisation's standing is its own score against a figure the pages publish (the area's, and
    England's for its type), less its own assessment if that is counted in it."""
    from personfirst.insight.area.standing import standing_for

    world = population.world
    instrument = population.instrument
    organisation = Organisation.objects.filter(
        council_area=world.area, org_type="housing", slug__startswith=PREFIX
    ).first()
    result = standing_for(organisation, viewer=world.platform)
    area = report.build(sources.for_area(world.area), instrument)
    of_type = report.build(sources.england(), instrument, report.Filters(types=("housing",)))
    compared = 0
    for row, in_area, in_type in zip(result.sections, area.sections, of_type.sections, strict=True):
        if row.in_area.others is not None:
            assert row.in_area.others == in_area.n - 1  # it is counted in its area's figure
            compared += 1
        if row.of_type.others is not None:
            assert row.of_type.others == in_type.n - 1
            compared += 1
    assert compared >= 10
    assert MINIMUM == 5
