"""insight/facts.py: the rows kept for area insight follow the assessments.

On submit they hold the results page's exact scores; a newer submission
marks the older one as replaced; the national counts always equal counts
made again from scratch. (That the demo's generator writes the rows the
on-submit path makes: personfirst/demo/tests/test_synthetic.py.)"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from personfirst.core.organisations.choices import size_band
from personfirst.insight.area import facts, quarters
from personfirst.insight.area.models import Kind, NationalCell, NationalValue, Submission, Value
from personfirst.readiness.assessments import coproduction, results, services
from personfirst.readiness.assessments.models import Answer, Assessment

from .conftest import NOW, make

pytestmark = pytest.mark.django_db


def answer_all(assessment, by, level_of=lambda item: 2):
    applies, _left_out = services.split_sections(assessment)
    for section in applies:
        values = {}
        for item in section.items.all():
            level = level_of(item)
            values[item.key] = {"not_relevant": True} if level is None else {"level": min(level, len(item.levels))}
        services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=by)


def submit(world, health_check, level_of=lambda item: 2, organisation=None):
    organisation = organisation or world.org
    assessment = services.start(organisation=organisation, instrument=health_check, by=world.platform)
    answer_all(assessment, world.platform, level_of)
    return services.submit(assessment=assessment, by=world.platform)


def national_snapshot(instrument_id):
    cells = Counter(
        NationalCell.objects.filter(instrument_id=instrument_id).values_list(
            "org_type", "size_band", "quarter", "superseded_quarter", "organisations", "scored"
        )
    )
    values = Counter(
        NationalValue.objects.filter(instrument_id=instrument_id).values_list(
            "org_type", "size_band", "quarter", "superseded_quarter", "kind", "key", "value", "scale", "organisations"
        )
    )
    return cells, values


def test_a_submission_holds_the_results_pages_scores(world, health_check):
    levels = {"values-and-culture": 3, "trustee-board": 2, "marketing": None}
    assessment = submit(world, health_check, lambda item: levels.get(item.key, 1))
    submission = Submission.objects.get(pk=assessment.pk)
    result = results.results_for(assessment, compare=False)
    assert submission.overall == pytest.approx(float(result.overall_raw))
    assert submission.quarter == quarters.quarter_of(assessment.submitted_at)
    assert submission.superseded_quarter is None
    assert submission.org_type == world.org.org_type
    assert submission.size_band == size_band(world.org.paid_staff, world.org.volunteers)
    assert submission.council_area == world.area
    stored = {v.key: Fraction(v.value, v.scale) for v in Value.objects.filter(submission=submission, kind=Kind.SECTION)}
    assert stored == {s.key: s.raw for s in result.sections if s.raw is not None}
    assert "marketing" not in stored  # not relevant: no score, no row
    answers = services.answers_for(assessment)
    positions = {v.key: (v.value, v.scale) for v in Value.objects.filter(submission=submission, kind=Kind.ITEM)}
    for section in services.split_sections(assessment)[0]:
        for item in section.items.all():
            place = coproduction.position(item, answers.get(item.key))
            assert positions.get(item.key) == (None if place is None else (place, len(item.levels)))


def test_a_newer_submission_replaces_the_older(world, health_check):
    first = submit(world, health_check)
    Assessment.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=200))
    facts.record(first)
    second = submit(world, health_check, lambda item: 3)
    older, newer = Submission.objects.get(pk=first.pk), Submission.objects.get(pk=second.pk)
    assert older.superseded_quarter == newer.quarter
    assert newer.superseded_quarter is None
    assert set(Value.objects.filter(submission=older).values_list("superseded_quarter", flat=True)) == {newer.quarter}
    assert set(Value.objects.filter(submission=newer).values_list("superseded_quarter", flat=True)) == {None}


def test_the_national_counts_equal_counts_made_from_scratch(world, health_check):
    make(world, organisations=12, assessments=2)
    submit(world, health_check)
    submit(world, health_check, lambda item: 1, organisation=world.unshared)
    submit(world, health_check, lambda item: 3)
    kept = national_snapshot(health_check.pk)
    facts.rebuild_national(health_check.pk)
    assert national_snapshot(health_check.pk) == kept
    latest = NationalCell.objects.filter(instrument=health_check, superseded_quarter__isnull=True)
    assert sum(latest.values_list("organisations", flat=True)) == 14  # 12 made, the carers' centre, Beech House


def test_rows_for_assessments_submitted_before_insight_was_installed(world, health_check):
    assessment = submit(world, health_check)
    Value.objects.all().delete()
    Submission.objects.all().delete()
    assert facts.record_missing() == 1
    assert Submission.objects.filter(pk=assessment.pk).exists()
    assert (
        Value.objects.filter(submission_id=assessment.pk).count()
        == 2 * Answer.objects.filter(assessment=assessment, not_relevant=False).count()
    )
    assert facts.record_missing() == 0


def test_suggested_answers_nobody_confirmed_do_not_count(world, health_check):
    assessment = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_all(assessment, world.admin)
    Answer.objects.filter(assessment=assessment, item__key="values-and-culture").update(suggested=True)
    services.submit(assessment=assessment, by=world.admin)
    assert not Value.objects.filter(submission_id=assessment.pk, key="values-and-culture").exists()


def test_deleting_an_organisation_takes_its_counts_away(world, health_check, django_capture_on_commit_callbacks):
    make(world, organisations=6, assessments=2)
    submit(world, health_check, organisation=world.unshared)
    with django_capture_on_commit_callbacks(execute=True):
        world.unshared.delete()
    kept = national_snapshot(health_check.pk)
    facts.rebuild_national(health_check.pk)
    assert national_snapshot(health_check.pk) == kept
    assert not Submission.objects.filter(organisation_id=world.unshared.pk).exists()


def test_deleting_the_latest_assessment_makes_the_one_before_latest(
    world, health_check, django_capture_on_commit_callbacks
):
    first = submit(world, health_check)
    Assessment.objects.filter(pk=first.pk).update(submitted_at=NOW - timedelta(days=300))
    facts.record(first)
    second = submit(world, health_check, lambda item: 3)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert Submission.objects.get(pk=first.pk).superseded_quarter is None
    assert set(Value.objects.filter(submission_id=first.pk).values_list("superseded_quarter", flat=True)) == {None}
    kept = national_snapshot(health_check.pk)
    facts.rebuild_national(health_check.pk)
    assert national_snapshot(health_check.pk) == kept


def test_positions_of_rating_answers_count_from_the_worst(instruments):
    flexible = instruments["flexible-services"]
    shape = facts.shape_of(flexible.latest_version())
    item = shape.sections[0].items[0]
    listed = [option.key for option in item.rule.options]
    assert listed[0] == "fully-met"  # the file lists it best first; the scale is by score
    from personfirst.readiness.assessments.scoring import Response

    assert [facts.position(item, Response(option=key)) for key in listed] == [3, 2, 1]
    assert facts.position(item, Response(not_relevant=True)) is None


def test_the_quick_mean_is_the_exact_mean():
    from personfirst.readiness.assessments import scoring

    values = [Fraction(100, 3), Fraction(50), None, Fraction(200, 3), Fraction(0), Fraction(333, 10)]
    assert facts._mean(values) == scoring.overall_score(values)
    assert facts._mean([None]) is None
