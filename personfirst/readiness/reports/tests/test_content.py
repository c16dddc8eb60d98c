"""What a report says (reports.content): the results page's figures, who
took part, the flags, and only the accepted actions of this assessment."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from personfirst.readiness.assessments import results, services
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.reports import content

from .conftest import OVERALL, SECTION_SCORES, submit_on

pytestmark = pytest.mark.django_db


def test_a_draft_has_no_report(assessment):
    with pytest.raises(content.NotSubmitted):
        content.build(assessment)


def test_the_scores_are_the_results_pages_own(reported):
    report = content.build(reported.assessment)
    result = results.results_for(reported.assessment)
    assert report.overall == result.overall == Decimal(OVERALL)
    assert report.overall_shown == OVERALL
    assert [(s.key, s.score) for s in report.sections] == [(s.key, s.score) for s in result.sections]
    shown = {s.key: s.shown for s in report.sections}
    for key, score in SECTION_SCORES.items():
        assert shown[key] == score
    assert shown["marketing"] == "Not relevant or not answered"
    assert [s.key for s in report.strengths] == [s.key for s in result.strengths]
    assert [s.key for s in report.needs] == [s.key for s in result.needs]
    assert [s.key for s in report.strengths] == ["managing-change", "staff-and-volunteers", "values-and-culture"]
    # Two sections share 33.3: they are listed by title (docs/scoring.md).
    assert [s.key for s in report.needs] == ["costs-and-prices", "trustee-board", "people-you-support"]


def test_the_details_of_the_assessment(world, reported):
    report = content.build(reported.assessment)
    assert report.organisation == "Eastmere Carers' Centre"
    assert report.instrument == reported.assessment.version.title
    assert report.version == reported.assessment.version.label
    assert report.submitted_on == datetime.date(2026, 3, 4)
    assert report.submitted_shown == "4 March 2026"
    assert report.submitted_by == world.admin.display_name
    assert report.filename == "eastmere-carers-centre-health-check-2026-03-04"
    people = {p.name: p.part for p in report.people}
    assert people[world.admin.display_name] == (
        "Started the assessment, recorded agreed answers and submitted the assessment"
    )
    assert people[world.worker.display_name] == (
        "Recorded agreed answers and gave their own answers as a development worker"
    )
    assert people[world.member.display_name] == "Gave their own answers as a trustee"


def test_an_unconfirmed_suggestion_is_not_an_agreed_answer_anyone_recorded(world, answer):
    """Answer once suggests answers in the name of whoever starts the
    assessment; until someone confirms one it does not count (docs/scoring.md),
    so starting the assessment is not recording agreed answers."""
    from personfirst.readiness.assessments.loading import load_shipped
    from personfirst.readiness.assessments.models import Answer, Instrument

    load_shipped()
    flexible = services.start(
        organisation=world.org, instrument=Instrument.objects.get(key="flexible-services"), by=world.admin
    )
    answer(flexible, "involving-people", by=world.admin, option="partly-met")
    services.submit(assessment=flexible, by=world.admin)
    draft = services.start(
        organisation=world.org, instrument=Instrument.objects.get(key="health-check"), by=world.member
    )
    assert Answer.objects.filter(assessment=draft, suggested=True, updated_by=world.member).exists()
    answer(draft, "values-and-culture", by=world.admin, level=2)
    report = content.build(services.submit(assessment=draft, by=world.admin))
    people = {p.name: p.part for p in report.people}
    assert people[world.member.display_name] == "Started the assessment"
    assert people[world.admin.display_name] == "Recorded agreed answers and submitted the assessment"


def test_sections_left_out_with_the_reason(reported):
    report = content.build(reported.assessment)
    assert [s.title for s in report.left_out] == ["Direct payment support"]
    assert "direct payment support" in report.left_out[0].reason


def test_every_item_with_its_agreed_answer_statement_and_notes(reported):
    report = content.build(reported.assessment)
    items = {i.key: i for s in report.answers for i in s.items}
    board = items["trustee-board"]
    assert board.number == "2.1"
    assert board.answer == "Level 2 of 4"
    assert board.score_shown == "33.3"
    assert board.statement == reported.assessment.version.items.get(key="trustee-board").levels[1]
    assert board.answer_in_full == f"Level 2 of 4: {board.statement}"
    assert board.notes.startswith("The board has not discussed personal budgets yet.")
    assert items["marketing"].answer == "Not relevant"
    assert items["marketing"].statement == ""
    assert items["knowing-demand"].answer == "Not answered"
    assert items["knowing-demand"].score_shown == "No score"
    assert [s.heading for s in report.answers][:2] == [
        "1. Values and culture (50.0)",
        "2. Backing from the trustee board (33.3)",
    ]


def test_disagreements_are_the_flagged_items_with_the_spread(world, reported):
    report = content.build(reported.assessment)
    assert len(report.disagreements) == 1  # values and culture is only one level apart
    flagged = report.disagreements[0]
    assert flagged.number == "2.1"
    assert flagged.distance == 3
    assert flagged.flag == "Development worker and trustee see this differently (3 levels apart)"
    assert {(v.name, v.answer) for v in flagged.views} == {
        (world.member.display_name, "Level 1 of 4"),
        (world.worker.display_name, "Level 4 of 4"),
    }
    assert flagged.agreed == "Level 2 of 4"
    items = {i.key: i for s in report.answers for i in s.items}
    assert items["trustee-board"].flag == flagged.flag
    assert items["values-and-culture"].flag is None


def test_the_plan_is_the_accepted_actions_of_this_assessment(world, reported, health_check):
    other = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    other = submit_on(other, reported.assessment.submitted_at + datetime.timedelta(days=1), world.admin)
    Action.objects.create(
        organisation=world.org, assessment=other, title="Another assessment's action", status=ActionStatus.NOT_STARTED
    )
    report = content.build(reported.assessment)
    assert [a.title for a in report.actions] == [a.title for a in reported.in_plan]
    first = report.actions[0]
    assert (first.owner, first.due_date, first.status) == ("Asha Admin", datetime.date(2026, 5, 1), "Not started")
    assert first.due_shown == "1 May 2026"
    assert report.actions[2].due_shown == "No date set"
    assert report.actions[2].status == "Done"


def test_the_plan_follows_the_plans_order(reported):
    first, second, third = reported.in_plan
    Action.objects.filter(pk=third.pk).update(position=1)
    report = content.build(reported.assessment)
    assert [a.title for a in report.actions] == [third.title, first.title, second.title]


def test_control_characters_are_dropped_and_line_ends_made_plain():
    assert content.clean("a\x00b\x0bc\r\nd\te\x7f") == "abc\nd\te"
    assert content.clean(None) == ""
