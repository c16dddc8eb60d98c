"""Starting, answering and submitting an assessment (readiness.services),
including the rule that no save silently overwrites another."""

from __future__ import annotations

import pytest

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.loading import load_text
from personfirst.readiness.assessments.models import Answer, Assessment, AssessmentStatus, Instrument, Section

from .conftest import CONDITIONAL_SECTION, LEFT_OUT_SECTION, shipped_path

pytestmark = pytest.mark.django_db


def section(assessment, key) -> Section:
    return assessment.version.sections.prefetch_related("items").get(key=key)


def agreed(assessment, item_key) -> Answer | None:
    return Answer.objects.filter(assessment=assessment, item__key=item_key, respondent=None).first()


def save(assessment, section_key, values, *, by, revisions=None, respondent=None):
    return services.save_section(
        assessment=assessment,
        section=section(assessment, section_key),
        values=values,
        revisions=revisions or {},
        by=by,
        respondent=respondent,
    )


# --- starting --------------------------------------------------------------------


def test_start_uses_the_latest_version(world, health_check):
    assessment = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    assert assessment.is_draft
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.version == health_check.latest_version()
    assert assessment.version.revision == 1
    assert assessment.started_by == world.admin
    assert assessment.organisation == world.org


def test_an_assessment_keeps_its_version_when_a_new_one_is_loaded(world, health_check, answer):
    first = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer(first, "values-and-culture", by=world.admin, level=2)
    path = shipped_path("health-check")
    changed = path.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"', 1)
    result = load_text(changed, "health-check.yaml")
    assert result.created and result.version.revision == 2

    first.refresh_from_db()
    assert first.version.revision == 1
    assert first.version.label == "1.0"
    assert agreed(first, "values-and-culture").item.version == first.version
    second = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    assert second.version.revision == 2
    assert second.version.label == "1.1"
    # Each assessment answers its own version's items.
    assert {s.pk for s in services.split_sections(first)[0]}.isdisjoint(
        {s.pk for s in services.split_sections(second)[0]}
    )


def test_start_refuses_an_instrument_with_no_version(world, db):
    empty = Instrument.objects.create(key="empty", title="Nothing loaded")
    with pytest.raises(ValueError, match="no loaded version"):
        services.start(organisation=world.org, instrument=empty, by=world.admin)
    assert not Assessment.objects.exists()


# --- which sections apply -----------------------------------------------------------


def test_sections_the_profile_does_not_meet_are_left_out_with_the_reason(assessment):
    applies, left_out = services.split_sections(assessment)
    keys = [s.key for s in applies]
    assert CONDITIONAL_SECTION in keys  # the carers' centre gives information and advice
    assert LEFT_OUT_SECTION not in keys
    assert len(keys) == 14
    assert left_out == [
        {
            "key": LEFT_OUT_SECTION,
            "title": section(assessment, LEFT_OUT_SECTION).title,
            "reason": "Only for organisations that provide direct payment support "
            "(payroll, employing a personal assistant)",
        }
    ]


def test_while_a_draft_the_sections_follow_the_profile(world, assessment):
    world.org.services = [*world.org.services, "direct_payment_support"]
    world.org.save()
    assessment.refresh_from_db()
    applies, left_out = services.split_sections(assessment)
    assert LEFT_OUT_SECTION in [s.key for s in applies]
    assert left_out == []


# --- saving --------------------------------------------------------------------------


def test_saving_creates_answers_with_revision_1(world, assessment):
    assert (
        save(assessment, "trustee-board", {"trustee-board": {"level": 3, "notes": "Plan due in May"}}, by=world.admin)
        == []
    )
    stored = agreed(assessment, "trustee-board")
    assert stored.level == 3
    assert stored.notes == "Plan due in May"
    assert stored.revision == 1
    assert stored.updated_by == world.admin
    assert stored.respondent is None
    assert stored.is_answered


def test_each_change_raises_the_revision_and_an_unchanged_save_does_not(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    save(assessment, "trustee-board", {"trustee-board": {"level": 3}}, revisions={"trustee-board": 1}, by=world.admin)
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.revision) == (3, 2)

    save(assessment, "trustee-board", {"trustee-board": {"level": 3}}, revisions={"trustee-board": 2}, by=world.worker)
    stored.refresh_from_db()
    assert stored.revision == 2
    assert stored.updated_by == world.admin  # nothing changed, so nobody else is named

    save(
        assessment,
        "trustee-board",
        {"trustee-board": {"level": 3, "notes": "agreed at the board"}},
        revisions={"trustee-board": 2},
        by=world.worker,
    )
    stored.refresh_from_db()
    assert (stored.revision, stored.notes, stored.updated_by) == (3, "agreed at the board", world.worker)


def test_an_empty_answer_is_not_stored(world, assessment):
    save(
        assessment,
        "trustee-board",
        {"trustee-board": {"level": None, "option": "", "not_relevant": False, "notes": ""}},
        by=world.admin,
    )
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_clearing_an_answer_keeps_the_row_unanswered(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    save(
        assessment, "trustee-board", {"trustee-board": {"level": None}}, revisions={"trustee-board": 1}, by=world.admin
    )
    stored = agreed(assessment, "trustee-board")
    assert stored.revision == 2
    assert not stored.is_answered


def test_confirming_a_suggested_answer_counts_as_a_change(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    Answer.objects.filter(assessment=assessment).update(suggested=True)
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, revisions={"trustee-board": 1}, by=world.admin)
    stored = agreed(assessment, "trustee-board")
    assert (stored.suggested, stored.revision) == (False, 2)


def test_a_section_saves_all_its_items(world, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    values = {
        "focus-on-outcomes": {"option": "fully-met", "notes": "Ask people at review"},
        "flexible-to-the-plan": {"option": "partly-met"},
        "involving-people": {"option": "not-met"},
        "life-beyond-the-building": {"not_relevant": True},
    }
    assert save(assessment, "flexible-support", values, by=world.admin) == []
    answers = services.answers_for(assessment)
    assert {k: (a.option, a.not_relevant) for k, a in answers.items()} == {
        "focus-on-outcomes": ("fully-met", False),
        "flexible-to-the-plan": ("partly-met", False),
        "involving-people": ("not-met", False),
        "life-beyond-the-building": ("", True),
    }
    assert answers["focus-on-outcomes"].notes == "Ask people at review"


def test_milestone_target_dates_are_saved(world, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    save(
        assessment,
        "person-centred-workforce",
        {"workforce-development": {"level": 2, "target_dates": {"3": "2027-03-31", "4": "2028-03-31"}}},
        by=world.admin,
    )
    stored = agreed(assessment, "workforce-development")
    assert stored.target_dates == {"3": "2027-03-31", "4": "2028-03-31"}


# --- no silent overwrites --------------------------------------------------------------


def test_the_later_of_two_different_saves_is_refused_whole(world, instruments):
    """A and B both open 'Giving flexible support' before anything is saved.
    A saves; B then saves a different answer to one of the same items. B's
    whole save is refused (even the item A did not touch), A's answer
    stays, and B is told what A saved."""
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    loaded = {"focus-on-outcomes": 0, "flexible-to-the-plan": 0}  # what both saw: nothing yet
    assert (
        save(
            assessment,
            "flexible-support",
            {"focus-on-outcomes": {"option": "fully-met", "notes": "A's note"}},
            revisions=loaded,
            by=world.admin,
        )
        == []
    )

    conflicts = save(
        assessment,
        "flexible-support",
        {"focus-on-outcomes": {"option": "not-met"}, "flexible-to-the-plan": {"option": "partly-met"}},
        revisions=loaded,
        by=world.worker,
    )

    assert [c.item_key for c in conflicts] == ["focus-on-outcomes"]
    conflict = conflicts[0]
    assert conflict.theirs.option == "fully-met"
    assert conflict.theirs.notes == "A's note"
    assert conflict.theirs.updated_by == world.admin
    assert conflict.theirs.revision == 1
    assert conflict.yours["option"] == "not-met"
    stored = agreed(assessment, "focus-on-outcomes")
    assert (stored.option, stored.notes, stored.revision, stored.updated_by) == (
        "fully-met",
        "A's note",
        1,
        world.admin,
    )
    assert agreed(assessment, "flexible-to-the-plan") is None  # nothing of B's was written


def test_the_same_answer_saved_twice_is_not_a_conflict(world, assessment):
    assert (
        save(
            assessment, "trustee-board", {"trustee-board": {"level": 3}}, revisions={"trustee-board": 0}, by=world.admin
        )
        == []
    )
    assert (
        save(
            assessment,
            "trustee-board",
            {"trustee-board": {"level": 3}},
            revisions={"trustee-board": 0},
            by=world.worker,
        )
        == []
    )
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.revision, stored.updated_by) == (3, 1, world.admin)


def test_after_seeing_the_conflict_the_second_person_can_keep_their_version(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, revisions={"trustee-board": 0}, by=world.admin)
    conflicts = save(
        assessment, "trustee-board", {"trustee-board": {"level": 4}}, revisions={"trustee-board": 0}, by=world.worker
    )
    assert len(conflicts) == 1
    # The page now carries the revision B has seen (A's); B saves again.
    seen = conflicts[0].theirs.revision
    assert (
        save(
            assessment,
            "trustee-board",
            {"trustee-board": {"level": 4}},
            revisions={"trustee-board": seen},
            by=world.worker,
        )
        == []
    )
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.revision, stored.updated_by) == (4, 2, world.worker)


def test_a_stale_revision_after_two_saves_is_still_refused(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    save(assessment, "trustee-board", {"trustee-board": {"level": 3}}, revisions={"trustee-board": 1}, by=world.admin)
    conflicts = save(
        assessment, "trustee-board", {"trustee-board": {"level": 1}}, revisions={"trustee-board": 1}, by=world.worker
    )
    assert [c.theirs.level for c in conflicts] == [3]
    assert agreed(assessment, "trustee-board").level == 3


def test_respondents_answers_never_conflict_with_the_agreed_answers(world, assessment):
    respondent = services.add_respondent(
        assessment=assessment, user=world.member, perspective="trustee", by=world.admin
    )
    save(assessment, "trustee-board", {"trustee-board": {"level": 4}}, by=world.admin)
    assert (
        save(
            assessment,
            "trustee-board",
            {"trustee-board": {"level": 1}},
            revisions={"trustee-board": 0},
            by=world.member,
            respondent=respondent,
        )
        == []
    )
    assert agreed(assessment, "trustee-board").level == 4
    assert services.answers_for(assessment, respondent)["trustee-board"].level == 1
    assert services.answers_for(assessment)["trustee-board"].level == 4


# --- section status ------------------------------------------------------------------------


def test_section_status(world, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    flexible = section(assessment, "flexible-support")
    keys = [item.key for item in flexible.items.all()]
    assert len(keys) == 4

    def status():
        return services.section_status(section(assessment, "flexible-support"), services.answers_for(assessment))

    assert status() == "not_started"
    save(assessment, "flexible-support", {keys[0]: {"option": "fully-met"}}, by=world.admin)
    assert status() == "in_progress"
    save(assessment, "flexible-support", {k: {"option": "partly-met"} for k in keys[1:]}, by=world.admin)
    assert status() == "completed"


def test_a_section_all_not_relevant_has_that_status(world, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    keys = [item.key for item in section(assessment, "flexible-support").items.all()]
    save(assessment, "flexible-support", {k: {"not_relevant": True} for k in keys}, by=world.admin)
    answers = services.answers_for(assessment)
    assert services.section_status(section(assessment, "flexible-support"), answers) == "not_relevant"
    # One item answered, the rest not relevant: the section is completed.
    save(assessment, "flexible-support", {keys[0]: {"option": "not-met"}}, revisions={keys[0]: 1}, by=world.admin)
    answers = services.answers_for(assessment)
    assert services.section_status(section(assessment, "flexible-support"), answers) == "completed"


def test_an_emptied_answer_does_not_count_as_started(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    save(
        assessment, "trustee-board", {"trustee-board": {"level": None}}, revisions={"trustee-board": 1}, by=world.admin
    )
    answers = services.answers_for(assessment)
    assert services.section_status(section(assessment, "trustee-board"), answers) == "not_started"


# --- submitting ----------------------------------------------------------------------------


def test_submit_freezes_the_answers(world, assessment):
    save(assessment, "trustee-board", {"trustee-board": {"level": 2}}, by=world.admin)
    submitted = services.submit(assessment=assessment, by=world.admin)
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.submitted_by == world.admin
    assert submitted.submitted_at is not None

    with pytest.raises(services.NotEditable):
        save(
            submitted, "trustee-board", {"trustee-board": {"level": 4}}, revisions={"trustee-board": 1}, by=world.admin
        )
    # Even through a stale copy of the assessment, still marked draft.
    assert assessment.is_draft
    with pytest.raises(services.NotEditable):
        save(
            assessment, "trustee-board", {"trustee-board": {"level": 4}}, revisions={"trustee-board": 1}, by=world.admin
        )
    with pytest.raises(services.NotEditable):
        services.submit(assessment=assessment, by=world.admin)
    assert agreed(assessment, "trustee-board").level == 2


def test_respondents_cannot_change_their_answers_after_submission(world, assessment):
    respondent = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    services.submit(assessment=assessment, by=world.admin)
    with pytest.raises(services.NotEditable):
        save(assessment, "trustee-board", {"trustee-board": {"level": 1}}, by=world.member, respondent=respondent)


def test_the_sections_left_out_are_frozen_at_submission(world, assessment):
    submitted = services.submit(assessment=assessment, by=world.admin)
    assert [entry["key"] for entry in submitted.left_out] == [LEFT_OUT_SECTION]
    # The profile changes later; the submitted assessment does not.
    world.org.services = ["direct_payment_support"]
    world.org.save()
    submitted = Assessment.objects.get(pk=submitted.pk)
    applies, left_out = services.split_sections(submitted)
    assert [entry["key"] for entry in left_out] == [LEFT_OUT_SECTION]
    assert CONDITIONAL_SECTION in [s.key for s in applies]
    assert LEFT_OUT_SECTION not in [s.key for s in applies]


# --- respondents ---------------------------------------------------------------------------


def test_adding_a_respondent_twice_keeps_one(world, assessment):
    first = services.add_respondent(assessment=assessment, user=world.member, perspective="trustee", by=world.admin)
    again = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    assert first.pk == again.pk
    assert assessment.respondents.count() == 1
    assert again.perspective == "trustee"
