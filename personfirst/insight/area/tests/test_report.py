"""insight/report.py against a straightforward computation on generated data.

For every organisation, the reference takes the assessment a figure should
count (its latest, or its last one submitted in a period), scores it with
the results page's own code (readiness.results.results_for), and reads its
agreed answers; then it works out quartiles with Python's
statistics.quantiles(method="inclusive"), and shares, needs and averages
by counting. The report must show exactly those figures, hidden exactly
where the rules say."""

from __future__ import annotations

import statistics
from collections import Counter
from fractions import Fraction

import pytest

from personfirst.core.access.disclosure import suppress_breakdown
from personfirst.core.organisations.choices import size_band
from personfirst.core.organisations.models import Organisation
from personfirst.insight.area import disclosure, quarters, report, sources
from personfirst.insight.area.models import Submission
from personfirst.readiness.assessments import coproduction, results, services
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus
from personfirst.readiness.assessments.scoring import one_decimal

pytestmark = pytest.mark.django_db


def counted_assessments(instrument, organisations, period=None, types=None, size_bands=None):
    """The assessment each organisation is counted by, straight from the assessments."""
    chosen = []
    for organisation in organisations:
        submitted = sorted(
            Assessment.objects.filter(
                organisation=organisation, version__instrument=instrument, status=AssessmentStatus.SUBMITTED
            ),
            key=lambda a: (a.submitted_at, a.pk),
        )
        if period is not None:
            submitted = [a for a in submitted if period[0] <= quarters.quarter_of(a.submitted_at) <= period[1]]
        if not submitted:
            continue
        assessment = submitted[-1]
        if types is not None and organisation.org_type not in types:
            continue
        if size_bands is not None and size_band(organisation.paid_staff, organisation.volunteers) not in size_bands:
            continue
        chosen.append(assessment)
    return chosen


def reference_runs(counts):
    """Steps joined while a run has 1 to 4 organisations; a last short run joins the one before."""
    runs, start, total = [], None, 0
    for step, n in enumerate(counts, start=1):
        if start is None:
            start, total = step, 0
        total += n
        if total == 0 or total >= 5:
            runs.append((start, step, total))
            start = None
    if start is not None:
        if runs:
            first, _last, before = runs.pop()
            runs.append((first, len(counts), before + total))
        else:
            runs.append((start, len(counts), total))
    return runs


def reference(instrument, assessments, step=3):
    version = instrument.latest_version()
    sections = {}
    overall = []
    positions: dict[str, Counter] = {}
    for assessment in assessments:
        result = results.results_for(assessment, compare=False)
        if result.overall_raw is not None:
            overall.append(result.overall_raw)
        for section in result.sections:
            if section.raw is not None:
                sections.setdefault(section.key, []).append(section.raw)
        answers = services.answers_for(assessment)
        for section in services.split_sections(assessment)[0]:
            for item in section.items.all():
                place = coproduction.position(item, answers.get(item.key))
                if place is not None:
                    positions.setdefault(item.key, Counter())[place] += 1
    expected_sections = {}
    for section in version.sections.all():
        values = sections.get(section.key, [])
        if len(values) < 5:
            expected_sections[section.key] = None
            continue
        lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
        extremes = len(values) >= 10
        expected_sections[section.key] = (
            len(values),
            one_decimal(min(values)) if extremes else None,
            one_decimal(lower),
            one_decimal(median),
            one_decimal(upper),
            one_decimal(max(values)) if extremes else None,
        )
    population = len(assessments)
    expected_items, expected_needs = {}, {}
    for item in version.items.all():
        steps = len(item.levels) if item.uses_levels else len(item.options)
        runs = reference_runs([positions.get(item.key, Counter())[p] for p in range(1, steps + 1)])
        counts = {(first, last): n for first, last, n in runs}
        counts["remainder"] = population - sum(counts.values())
        shown, _total = suppress_breakdown(counts)
        expected_items[item.key] = [
            (key, None if shown[key] is None else int(Fraction(100 * shown[key], population) + Fraction(1, 2)))
            for key in counts
        ]
        answered = population - counts["remainder"] if shown["remainder"] is not None else None
        if answered is None and all(shown[key] is not None for key in counts if key != "remainder"):
            answered = sum(n for key, n in counts.items() if key != "remainder")
        below = [shown[(first, last)] for first, last, _n in runs if last < step]
        starts_a_run = any(first == step for first, _last, _n in runs)
        if starts_a_run and answered is not None and answered >= 5 and None not in below:
            expected_needs[item.key] = Fraction(sum(below), answered)
    average = statistics.mean(float(v) for v in overall) if len(overall) >= 5 else None
    return population, expected_sections, expected_items, expected_needs, average


def assert_report_matches(built, expected):
    population, sections, items, needs, _average = expected
    assert built.population == population
    assert built.shown
    got_sections = {
        s.key: None if s.median is None else (s.n, s.minimum, s.lower, s.median, s.upper, s.maximum)
        for s in built.sections
    }
    assert got_sections == sections
    got_items = {
        i.key: [((c.first, c.last) if c.first else "remainder", c.share) for c in i.cells] for i in built.items
    }
    assert got_items == items
    got_needs = {n.item.key: n.exact for n in built.needs_shown}
    assert got_needs == needs
    assert [n.exact for n in built.needs_shown] == sorted(needs.values(), reverse=True)
    for need in built.needs_shown:
        assert need.sentence.startswith(f"{need.share}% of organisations here ")


def eastmere_organisations(world):
    return list(Organisation.objects.filter(council_area=world.area))


def test_the_area_figures_are_the_reference_figures(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument)
    expected = reference(instrument, counted_assessments(instrument, eastmere_organisations(world)))
    assert expected[0] == 80
    assert_report_matches(built, expected)
    assert any(s.minimum is not None for s in built.sections)  # the check above compared real figures


def test_filtered_by_type_and_size(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    scope = sources.for_area(world.area)
    built = report.build(scope, instrument)
    # A filter of whole groups: the largest group's types and size bands.
    largest = max(built.protection.groups, key=lambda g: g.latest)
    types = tuple(sorted({t for t, _s in largest.cells}))
    bands = tuple(sorted({s for _t, s in largest.cells}))
    filters = report.Filters(types=types, sizes=bands)
    assert built.protection.allows(types, bands)
    filtered = report.build(scope, instrument, filters)
    organisations = eastmere_organisations(world)
    expected = reference(instrument, counted_assessments(instrument, organisations, types=types, size_bands=bands))
    assert expected[0] >= 5
    assert_report_matches(filtered, expected)


def test_one_period(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    scope = sources.for_area(world.area)
    protection = report.build(scope, instrument).protection
    assert len(protection.periods) > 1
    period = protection.periods[-2]
    built = report.build(scope, instrument, report.Filters(period=period[0]))
    expected = reference(instrument, counted_assessments(instrument, eastmere_organisations(world), period=period))
    assert expected[0] >= 5
    assert_report_matches(built, expected)
    assert built.period_label.endswith(quarters.period_label(*period))


def test_the_trend_is_the_reference_average_for_each_period(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument)
    organisations = eastmere_organisations(world)
    shown = 0
    for row in built.trend:
        assessments = counted_assessments(instrument, organisations, period=(row.first, row.last))
        assert row.organisations == (len(assessments) if not disclosure.disclosive(len(assessments)) else None)
        *_rest, average = reference(instrument, assessments)
        if average is not None:
            assert row.average == one_decimal(round(average, 9))
            shown += 1
    assert shown >= 2


def test_england_from_the_national_counts_is_the_reference(eastmere):
    """The national view reads NationalCell and NationalValue; the reference reads every assessment."""
    world, instrument = eastmere.world, eastmere.instrument
    from .conftest import make

    make(world, organisations=30, assessments=2, seed=5, area_code="E98000003")  # another area
    built = report.build(sources.england(), instrument)
    expected = reference(instrument, counted_assessments(instrument, Organisation.objects.all()))
    assert expected[0] == 110
    assert_report_matches(built, expected)


def test_the_national_counts_give_the_figures_every_row_gives(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    from .conftest import make

    make(world, organisations=30, assessments=2, seed=5, area_code="E98000003")
    counted = report.build(sources.england(), instrument)
    raw = report.build(sources.england(national_counts=False), instrument)
    assert counted.population == raw.population == 110
    assert [s.exact for s in counted.sections] == [s.exact for s in raw.sections]
    assert [[c.count for c in i.cells] for i in counted.items] == [[c.count for c in i.cells] for i in raw.items]
    assert counted.protection == raw.protection
    period = counted.protection.periods[-2][0]
    filtered = report.Filters(period=period, step=2)
    assert [s.exact for s in report.build(sources.england(), instrument, filtered).sections] == [
        s.exact for s in report.build(sources.england(national_counts=False), instrument, filtered).sections
    ]


def test_steps_and_needs_count_below_the_chosen_step(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument, report.Filters(step=2))
    expected = reference(instrument, counted_assessments(instrument, eastmere_organisations(world)), step=2)
    assert built.step == 2
    assert {n.item.key: n.exact for n in built.needs_shown} == expected[3]
    assert built.steps == [2, 3, 4]  # the health check's questions have 3 or 4 steps


def test_a_development_workers_figures_are_the_shared_organisations(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    from personfirst.core.access import rules as access

    shared = list(access.shared_with(world.support_org))
    built = report.build(sources.for_support_organisation(world.support_org), instrument)
    expected = reference(instrument, counted_assessments(instrument, shared))
    assert 5 <= expected[0] < 80
    assert_report_matches(built, expected)


def test_submissions_count_in_the_type_and_size_they_had(eastmere):
    world = eastmere.world
    organisation = Organisation.objects.filter(
        council_area=world.area, org_type="voluntary", slug__startswith="synthetic-"
    ).first()
    kept = sorted(Submission.objects.filter(organisation=organisation).values_list("org_type", "size_band"))
    assert {org_type for org_type, _size in kept} == {"voluntary"}
    organisation.org_type = "housing"
    organisation.volunteers += 1000
    organisation.save()
    assert sorted(Submission.objects.filter(organisation=organisation).values_list("org_type", "size_band")) == kept
