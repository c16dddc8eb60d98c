"""insight/report.py against a straightforward computation on generated data.

For every organisation, the reference takes the assessment a figure should
count (its latest, or its last one submitted in a period), scores it with
the results page's own code (readiness.results.results_for), and reads its
agreed answers; then it works out quartiles with Python's
statistics.quantiles(method="inclusive"), and shares (among the
organisations with a score for the question's section), needs and averages
by counting. The report must show exactly those figures, hidden exactly
where the rules say: a section whose published pieces do not make the
figure is hidden whatever its counts."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, time
from fractions import Fraction

import pytest
import time_machine

from personfirst.core.access.disclosure import is_disclosive, suppress_breakdown
from personfirst.core.organisations.choices import size_band
from personfirst.core.organisations.models import Organisation
from personfirst.insight.area import quarters, report, sources
from personfirst.insight.area.models import Submission
from personfirst.readiness.assessments import coproduction, results, services
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus
from personfirst.readiness.assessments.scoring import one_decimal

from .factory import PREFIX

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


def reference(instrument, assessments, step=3, hidden=()):
    """The figures for these assessments; sections (and their questions) in ``hidden`` are hidden."""
    version = instrument.latest_version()
    sections = {}
    overall = []
    positions: dict[str, Counter] = {}
    for assessment in assessments:
        result = results.results_for(assessment, compare=False)
        if result.overall_raw is not None:
            overall.append(result.overall_raw)
        scored = set()
        for section in result.sections:
            if section.raw is not None:
                sections.setdefault(section.key, []).append(section.raw)
                scored.add(section.key)
        answers = services.answers_for(assessment)
        for section in services.split_sections(assessment)[0]:
            for item in section.items.all():
                place = coproduction.position(item, answers.get(item.key))
                if place is not None:
                    assert section.key in scored, "an answered question's section has a score"
                    positions.setdefault(item.key, Counter())[place] += 1
    expected_sections = {}
    for section in version.sections.all():
        values = sections.get(section.key, [])
        if section.key in hidden or len(values) < 5:
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
    for item in version.items.select_related("section"):
        steps = len(item.kind.scale(item.definition))
        asked = len(sections.get(item.section.key, []))  # the organisations with a score for its section
        if item.section.key in hidden or asked < 5:
            expected_items[item.key] = [((p, p), None) for p in range(1, steps + 1)] + [("remainder", None)]
            continue
        runs = reference_runs([positions.get(item.key, Counter())[p] for p in range(1, steps + 1)])
        counts = {(first, last): n for first, last, n in runs}
        counts["remainder"] = asked - sum(counts.values())
        shown, _total = suppress_breakdown(counts)
        expected_items[item.key] = [
            (key, None if shown[key] is None else int(Fraction(100 * shown[key], asked) + Fraction(1, 2)))
            for key in counts
        ]
        answered = asked - counts["remainder"] if shown["remainder"] is not None else None
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


def hidden_sections(built) -> set[str]:
    """The sections whose published pieces do not make a figure for these filters."""
    pieces = report.figure_pieces(built.view, built.filters)
    return {row.key for row in built.sections if pieces.get(row.key) is None}


def test_the_area_figures_are_the_reference_figures(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument)
    assert hidden_sections(built) == set()  # every section is shown for the whole area
    expected = reference(instrument, counted_assessments(instrument, eastmere_organisations(world)))
    assert expected[0] == 80
    assert_report_matches(built, expected)
    assert any(s.minimum is not None for s in built.sections)  # the check above compared real figures


def allowed_type(built, instrument, scope):
    """The type with the most organisations whose figures are shown on their own."""
    shown = []
    for code in sorted({c[0] for g in built.view.groups for c in g.cells}):
        filtered = report.build(scope, instrument, report.Filters(types=(code,)))
        if filtered.shown:
            shown.append((filtered.population, code))
    return max(shown)[1]


def test_filtered_by_type(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    scope = sources.for_area(world.area)
    code = allowed_type(report.build(scope, instrument), instrument, scope)
    filtered = report.build(scope, instrument, report.Filters(types=(code,)))
    organisations = eastmere_organisations(world)
    expected = reference(
        instrument, counted_assessments(instrument, organisations, types=(code,)), hidden=hidden_sections(filtered)
    )
    assert expected[0] >= 5
    assert_report_matches(filtered, expected)


def test_a_filter_that_takes_part_of_a_group_shows_nothing(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    scope = sources.for_area(world.area)
    built = report.build(scope, instrument)
    joined = next(g for g in built.view.groups if len({c[1] for c in g.cells}) > 1)
    org_type, size_band, _sharing = min(joined.cells)
    part = report.build(scope, instrument, report.Filters(types=(org_type,), sizes=(size_band,)))
    assert not part.allowed and not part.shown and part.population is None
    assert part.split_groups and all(s.n is None for s in part.sections)


def test_one_period(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    scope = sources.for_area(world.area)
    view = report.build(scope, instrument).view
    assert len(view.periods) > 1
    period = view.periods[-2]
    built = report.build(scope, instrument, report.Filters(period=period[0]))
    expected = reference(
        instrument,
        counted_assessments(instrument, eastmere_organisations(world), period=period),
        hidden=hidden_sections(built),
    )
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
        assert row.organisations == (len(assessments) if not is_disclosive(len(assessments)) else None)
        *_rest, average = reference(instrument, assessments)
        if average is not None:
            assert row.average == one_decimal(round(average, 9))
            shown += 1
    assert shown >= 2


def test_england_is_every_areas_pieces(eastmere):
    """England adds up the areas' published pieces: each figure is the sum of the areas' figures,
    and where every area shows a section, it is the reference over every organisation."""
    world, instrument = eastmere.world, eastmere.instrument
    from .conftest import make, publish

    make(world, organisations=30, assessments=2, seed=5, area_code="E98000003")  # another area
    publish(instrument, eastmere.snapshot.quarter + 1)
    built = report.build(sources.england(), instrument)
    assert not built.left_out
    other = Organisation.objects.get(slug="test-organisation-0081").council_area
    areas = [report.build(sources.for_area(a), instrument) for a in (world.area, other)]
    assert sum(a.population for a in areas) == built.population == 110
    by_area = [{s.key: s for s in a.sections} for a in areas]
    complete = {key for key in by_area[0] if all(sections[key].n is not None for sections in by_area)}
    assert "direct-payment-support" not in complete  # one organisation in the other area has that section
    for row in built.sections:
        assert row.n == sum(sections[row.key].n or 0 for sections in by_area)
    population, sections, items, needs, average = reference(
        instrument, counted_assessments(instrument, Organisation.objects.all())
    )
    assert {s.key: s.n for s in built.sections if s.key in complete} == {
        key: figures[0] for key, figures in sections.items() if key in complete
    }
    assert [s.median for s in built.sections if s.key in complete] == [
        figures[3] for key, figures in sections.items() if key in complete
    ]


def test_england_for_one_type_leaves_out_organisations_counted_with_other_types(eastmere):
    instrument = eastmere.instrument
    england = report.build(sources.england(), instrument)
    pooled = next(g for g in england.view.groups if len({c[0] for c in g.cells}) > 1)
    org_type = min(c[0] for c in pooled.cells)
    built = report.build(sources.england(), instrument, report.Filters(types=(org_type,)))
    assert built.left_out
    everyone = counted_assessments(instrument, Organisation.objects.all(), types=(org_type,))
    assert built.population < len(everyone)


def test_steps_and_needs_count_below_the_chosen_step(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument, report.Filters(step=2))
    expected = reference(instrument, counted_assessments(instrument, eastmere_organisations(world)), step=2)
    assert built.step == 2
    assert {n.item.key: n.exact for n in built.needs_shown} == expected[3]
    assert built.steps == [2, 3, 4]  # the health check's questions have 3 or 4 steps


def test_a_development_workers_figures_are_the_pieces_of_organisations_that_share(eastmere):
    """Only pieces whose organisations all shared with the support organisation when they
    submitted: the others are counted in their area's figures only."""
    world, instrument = eastmere.world, eastmere.instrument
    from personfirst.core.access import roles as access

    built = report.build(sources.for_support_organisation(world.support_org), instrument)
    cells = {c for g in built.view.groups if g.latest for c in g.cells}
    assert all(str(world.support_org.pk) in c[2].split(",") for c in cells)
    shared = [
        o
        for o in access.shared_with(world.support_org)
        if (s := Submission.objects.filter(organisation=o, superseded_quarter__isnull=True).first())
        and (s.org_type, s.size_band, s.sharing) in cells
    ]
    expected = reference(instrument, counted_assessments(instrument, shared), hidden=hidden_sections(built))
    assert 5 <= expected[0] < len(access.shared_with(world.support_org))
    assert_report_matches(built, expected)


def test_submissions_count_in_the_type_and_size_they_had(eastmere):
    world = eastmere.world
    organisation = Organisation.objects.filter(
        council_area=world.area, org_type="voluntary", slug__startswith=PREFIX
    ).first()
    kept = sorted(Submission.objects.filter(organisation=organisation).values_list("org_type", "size_band"))
    assert {org_type for org_type, _size in kept} == {"voluntary"}
    organisation.org_type = "housing"
    organisation.volunteers += 1000
    organisation.save()
    assert sorted(Submission.objects.filter(organisation=organisation).values_list("org_type", "size_band")) == kept


def test_a_submission_changes_nothing_shown_until_figures_are_published(eastmere):
    """world.org, in Eastmere, submits its first assessment in the next quarter. Nothing changes
    until that quarter ends and figures are published; then one organisation on its own would be
    singled out, so the quarter waits to be joined with the next and the latest figures stay."""
    world, instrument = eastmere.world, eastmere.instrument
    from .conftest import publish
    from .test_facts import submit

    scope = sources.for_area(world.area)
    before = report.build(scope, instrument)
    next_quarter = eastmere.snapshot.quarter + 1
    with time_machine.travel(datetime.combine(quarters.start(next_quarter), time(12), tzinfo=UTC), tick=False):
        submit(world, instrument)
    after = report.build(scope, instrument)
    assert after.population == before.population == 80
    assert [s.exact for s in after.sections] == [s.exact for s in before.sections]
    published = publish(instrument, next_quarter)
    later = report.build(scope, instrument)
    assert later.snapshot == published
    assert later.population == 80
    assert later.view.periods == before.view.periods  # the quarter waits
    assert [s.exact for s in later.sections] == [s.exact for s in before.sections]


def test_assessments_added_to_a_published_quarter_leave_the_area_as_it_was(eastmere):
    """Submitted (or deleted) in a quarter already published: the area's figures could no longer
    be checked against what was shown, so they stay as they were."""
    world, instrument = eastmere.world, eastmere.instrument
    from .conftest import make, publish

    make(world, organisations=10, seed=9)  # dated within the quarters already published
    published = publish(instrument, eastmere.snapshot.quarter + 1)
    assert published.plan["unchanged"] == [world.area.pk]
    assert report.build(sources.for_area(world.area), instrument).population == 80
