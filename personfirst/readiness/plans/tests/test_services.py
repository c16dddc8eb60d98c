"""The plan's workflows: drafting from a submitted assessment (and again,
after targets change), deciding on suggestions, ordering, status, targets.

Suggestions are made here, row by row, rather than loaded from the shipped
action libraries, so that each test says exactly what the library holds.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personfirst.core.validation import Invalid
from personfirst.readiness.assessments import services as readiness_services
from personfirst.readiness.assessments.models import Answer, Assessment, Instrument, Item
from personfirst.readiness.plans import services
from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus, ProgressNote, Suggestion, Target

pytestmark = pytest.mark.django_db

HEALTH_CHECK = "health-check"
FLEXIBLE = "flexible-services"
WORKFORCE = "workforce-ladder"


# --- helpers, also used by test_views, test_api and test_digests ---------------------------


def load_instruments() -> dict[str, Instrument]:
    """The shipped instruments, with an EMPTY action library: tests add the suggestions they need."""
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    found = load_shipped()
    Suggestion.objects.all().delete()
    return found


@pytest.fixture
def instruments(db):
    return load_instruments()


def version_of(key: str):
    return Instrument.objects.get(key=key).latest_version()


def suggest(instrument_key: str, item_key: str, key: str, *, applies_to=(), title: str | None = None) -> Suggestion:
    version = version_of(instrument_key)
    return Suggestion.objects.create(
        version=version,
        item_key=item_key,
        key=key,
        title=title or f"Suggested step {key}",
        detail=f"How to go about {key}.",
        applies_to=list(applies_to),
        position=Suggestion.objects.filter(version=version).count() + 1,
    )


def answer(assessment: Assessment, item_key: str, by, **values) -> Answer:
    item = Item.objects.select_related("section").get(version=assessment.version, key=item_key)
    current = Answer.objects.filter(assessment=assessment, item=item, respondent=None).first()
    conflicts = readiness_services.save_section(
        assessment=assessment,
        section=item.section,
        values={item_key: values},
        revisions={item_key: current.revision if current else 0},
        by=by,
    )
    assert not conflicts
    return Answer.objects.get(assessment=assessment, item=item, respondent=None)


def submitted(organisation, instrument_key: str, answers: dict[str, dict], by) -> Assessment:
    """An assessment of ``organisation`` with these agreed answers, submitted
    (which drafts the plan, as it does on the site)."""
    assessment = readiness_services.start(
        organisation=organisation, instrument=Instrument.objects.get(key=instrument_key), by=by
    )
    for item_key, values in answers.items():
        answer(assessment, item_key, by, **values)
    return readiness_services.submit(assessment=assessment, by=by)


def suggestions(organisation) -> list[tuple[str, str]]:
    return sorted(
        Action.objects.filter(organisation=organisation, status=ActionStatus.SUGGESTED).values_list(
            "item_key", "library_key"
        )
    )


def own_action(organisation, by, title: str, **extra) -> Action:
    return services.add_own(organisation, title=title, by=by, **extra)


# --- drafting ---------------------------------------------------------------------------


def test_submitting_drafts_suggestions_for_items_below_one_step_up(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "for-level-1", applies_to=[1])
    suggest(HEALTH_CHECK, "values-and-culture", "for-level-2", applies_to=[2])
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    suggest(HEALTH_CHECK, "trustee-board", "board")
    top = len(Item.objects.get(version=version_of(HEALTH_CHECK), key="trustee-board").levels)

    assessment = submitted(
        world.org,
        HEALTH_CHECK,
        {"values-and-culture": {"level": 2}, "trustee-board": {"level": top}},
        world.admin,
    )

    # Level 2 of 3: the level-2 and any-level suggestions; the board is at the top already.
    assert suggestions(world.org) == [("values-and-culture", "any-level"), ("values-and-culture", "for-level-2")]
    action = Action.objects.get(library_key="for-level-2")
    assert action.assessment == assessment
    assert action.source == ActionSource.LIBRARY
    assert action.created_by == world.admin
    assert action.why == "Values and culture: you are at statement 2 of 3 and aim for statement 3."
    assert action.detail == "How to go about for-level-2."


def test_drafting_again_adds_nothing_new(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    assert Action.objects.count() == 1

    assert services.draft_plan(assessment, by=world.admin) == []
    assert Action.objects.count() == 1


def test_target_dates_on_milestones_arrive_as_actions_once(world, instruments):
    dates = {"3": "2027-03-31", "4": "2027-09-30"}
    assessment = submitted(
        world.org, WORKFORCE, {"workforce-development": {"level": 2, "target_dates": dates}}, world.admin
    )
    actions = Action.objects.filter(source=ActionSource.TARGET_DATE).order_by("due_date")
    assert [(a.due_date, a.status) for a in actions] == [
        (datetime.date(2027, 3, 31), ActionStatus.NOT_STARTED),
        (datetime.date(2027, 9, 30), ActionStatus.NOT_STARTED),
    ]
    assert actions[0].title.startswith("Reach step 3: ")
    assert "step 3 of 5" in actions[0].why
    # Again, and with a second assessment giving the same dates: no copies.
    services.draft_plan(assessment, by=world.admin)
    submitted(world.org, WORKFORCE, {"workforce-development": {"level": 2, "target_dates": dates}}, world.admin)
    assert Action.objects.filter(source=ActionSource.TARGET_DATE).count() == 2


def test_a_target_set_before_submission_is_used(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    Target.objects.create(organisation=world.org, instrument_key=HEALTH_CHECK, item_key="values-and-culture", level=2)
    submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.admin)
    assert suggestions(world.org) == []  # at its target: nothing to suggest


def test_raising_a_target_adds_suggestions_for_items_newly_below_it(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    suggest(HEALTH_CHECK, "trustee-board", "board")
    Target.objects.create(organisation=world.org, instrument_key=HEALTH_CHECK, item_key="values-and-culture", level=2)
    assessment = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}, "trustee-board": {"level": 1}}, world.admin
    )
    assert suggestions(world.org) == [("trustee-board", "board")]

    created = services.set_targets(assessment, {"values-and-culture": 3, "trustee-board": 2}, by=world.member)

    assert [(a.item_key, a.library_key) for a in created] == [("values-and-culture", "any-level")]
    assert created[0].created_by == world.member
    assert created[0].why.endswith("aim for statement 3.")
    assert suggestions(world.org) == [("trustee-board", "board"), ("values-and-culture", "any-level")]
    target = Target.objects.get(organisation=world.org, item_key="values-and-culture")
    assert (target.level, target.set_by) == (3, world.member)
    assert Target.objects.filter(organisation=world.org).count() == 2


def test_lowering_a_target_withdraws_undecided_suggestions_but_keeps_decided_ones(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "first")
    suggest(HEALTH_CHECK, "values-and-culture", "second")
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    accepted = services.accept(Action.objects.get(library_key="first"), by=world.admin)

    services.set_targets(assessment, {"values-and-culture": 1}, by=world.admin)  # "where we are now"

    assert suggestions(world.org) == []
    assert not Action.objects.filter(library_key="second").exists()
    accepted.refresh_from_db()
    assert accepted.status == ActionStatus.NOT_STARTED

    # Raising it again brings the undecided one back, and never a second copy of the accepted one.
    services.set_targets(assessment, {"values-and-culture": 3}, by=world.admin)
    assert suggestions(world.org) == [("values-and-culture", "second")]
    assert Action.objects.filter(library_key="first").count() == 1


def test_a_suggestion_set_aside_never_comes_back(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "not-for-us")
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    dropped = services.decide(Action.objects.get(library_key="not-for-us"), False, by=world.admin)
    assert dropped.status == ActionStatus.DROPPED

    services.set_targets(assessment, {"values-and-culture": 3}, by=world.admin)
    services.draft_plan(assessment, by=world.admin)
    submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)  # a year later

    assert list(Action.objects.filter(library_key="not-for-us").values_list("status", flat=True)) == ["dropped"]
    assert suggestions(world.org) == []


def test_a_newer_assessment_brings_undecided_suggestions_up_to_date(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    suggest(HEALTH_CHECK, "values-and-culture", "for-level-1", applies_to=[1])
    suggest(HEALTH_CHECK, "values-and-culture", "for-level-2", applies_to=[2])
    suggest(HEALTH_CHECK, "trustee-board", "accepted")
    first = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}, "trustee-board": {"level": 1}}, world.admin
    )
    services.accept(Action.objects.get(library_key="accepted"), by=world.admin)
    kept = Action.objects.get(library_key="any-level")
    assert kept.assessment == first

    second = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}, "trustee-board": {"level": 1}}, world.admin
    )

    # for-level-1 no longer fits; for-level-2 is new; any-level is the same row, now from the newer assessment.
    assert suggestions(world.org) == [("values-and-culture", "any-level"), ("values-and-culture", "for-level-2")]
    kept.refresh_from_db()
    assert kept.assessment == second
    assert kept.why == "Values and culture: you are at statement 2 of 3 and aim for statement 3."
    accepted = Action.objects.get(library_key="accepted")  # decided: left alone
    assert (accepted.status, accepted.assessment) == (ActionStatus.NOT_STARTED, first)


def test_drafting_records_each_action_made_moved_and_withdrawn_in_the_audit_trail(world, instruments):
    """Drafting writes in bulk; the record of changes still has one entry per
    action, as saving each would, naming the person who submitted."""
    from auditlog.context import set_actor
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    suggest(HEALTH_CHECK, "values-and-culture", "for-level-1", applies_to=[1])
    with set_actor(world.admin):
        first = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    kept = Action.objects.get(library_key="any-level")
    withdrawn = Action.objects.get(library_key="for-level-1")
    note = ProgressNote.objects.create(action=withdrawn, text="Asked the board", written_by=world.admin)
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Action))
    made = entries.filter(action=LogEntry.Action.CREATE)
    assert sorted(made.values_list("object_pk", flat=True)) == sorted([str(kept.pk), str(withdrawn.pk)])
    assert {(e.actor, e.additional_data["organisation_id"]) for e in made} == {(world.admin, world.org.pk)}
    assert made.get(object_pk=str(kept.pk)).changes_dict["assessment"] == ["None", str(first.pk)]

    with set_actor(world.member):
        second = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.member)

    moved = entries.get(action=LogEntry.Action.UPDATE, object_pk=str(kept.pk))
    assert moved.actor == world.member
    assert moved.changes_dict["assessment"] == [str(first.pk), str(second.pk)]
    assert set(moved.changes_dict) == {"assessment", "why"}
    gone = entries.get(action=LogEntry.Action.DELETE)
    assert (gone.object_pk, gone.actor) == (str(withdrawn.pk), world.member)
    note_gone = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ProgressNote), action=LogEntry.Action.DELETE
    )
    assert note_gone.object_pk == str(note.pk)
    assert not ProgressNote.objects.exists()


def test_drafting_asks_the_same_queries_however_many_actions_it_makes(world, instruments):
    """Made, moved and withdrawn in bulk: the queries do not grow with the plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def drafting(organisation, suggestions: int, level: int) -> int:
        Suggestion.objects.all().delete()
        for n in range(suggestions):
            suggest(HEALTH_CHECK, "values-and-culture", f"step-{n}", applies_to=[1] if n % 2 else [])
        assessment = readiness_services.start(
            organisation=organisation, instrument=Instrument.objects.get(key=HEALTH_CHECK), by=world.admin
        )
        answer(assessment, "values-and-culture", world.admin, level=level)
        with CaptureQueriesContext(connection) as queries:
            readiness_services.submit(assessment=assessment, by=world.admin)
        return len(queries)

    few = drafting(world.org, 2, 1)
    many = drafting(world.other_org, 12, 1)
    assert Action.objects.filter(organisation=world.other_org).count() == 12
    assert many == few
    # Again, a step up: half are withdrawn (one, or six), half moved to the new assessment.
    few = drafting(world.org, 2, 2)
    many = drafting(world.other_org, 12, 2)
    assert Action.objects.filter(organisation=world.other_org).count() == 6
    assert many == few


def test_another_organisations_plan_is_drafted_on_its_own(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    services.decide(Action.objects.get(organisation=world.org), False, by=world.admin)
    submitted(world.other_org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.outsider)
    assert suggestions(world.other_org) == [("values-and-culture", "any-level")]


def test_rating_items_aim_one_option_up(world, instruments):
    suggest(FLEXIBLE, "focus-on-outcomes", "outcomes", applies_to=["not-met"])
    suggest(FLEXIBLE, "focus-on-outcomes", "partly", applies_to=["partly-met"])
    submitted(world.org, FLEXIBLE, {"focus-on-outcomes": {"option": "not-met"}}, world.admin)
    action = Action.objects.get()
    assert action.library_key == "outcomes"
    assert action.why.endswith("you aim for ‘Partly met’.")


def test_a_rating_written_worst_first_aims_one_option_up_by_score(world, instruments):
    """The old rule read options as listed best first: 'Not met' written first
    was the top of the scale, so it drafted nothing, and 'Partly met' aimed for 'Not met'."""
    item = Item.objects.get(version=version_of(FLEXIBLE), key="focus-on-outcomes")
    item.options = sorted(item.options, key=lambda option: option["score"])  # Not met, Partly met, Fully met
    item.save()
    suggest(FLEXIBLE, "focus-on-outcomes", "outcomes", applies_to=["not-met"])
    submitted(world.org, FLEXIBLE, {"focus-on-outcomes": {"option": "not-met"}}, world.admin)
    action = Action.objects.get()
    assert action.library_key == "outcomes"
    assert action.why.endswith("rated ‘Not met’; you aim for ‘Partly met’.")
    target = next(row for row in services.target_rows(Assessment.objects.get()) if row.item.key == item.key)
    assert (target.current, target.target) == (1, 2)


# --- deciding --------------------------------------------------------------------------


def test_accepting_puts_a_suggestion_at_the_end_of_the_plan(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "any-level")
    submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    suggestion = Action.objects.get(library_key="any-level")
    mine = own_action(world.org, world.member, "Our own step")

    accepted = services.decide(suggestion, True, by=world.member)

    assert accepted.status == ActionStatus.NOT_STARTED
    assert accepted.position > mine.position
    assert list(services.plan_actions(world.org)) == [mine, accepted]
    with pytest.raises(services.NotASuggestion):
        services.decide(accepted, False, by=world.member)


def test_accept_and_drop_leave_decided_actions_alone_and_say_so(world):
    action = own_action(world.org, world.admin, "Already in the plan")
    services.set_status(action, ActionStatus.IN_PROGRESS, by=world.admin)
    stale = Action.objects.get(pk=action.pk)
    stale.status = ActionStatus.SUGGESTED  # as a page loaded earlier saw it
    for decide in (services.accept, services.drop):
        with pytest.raises(services.NotASuggestion) as refused:
            decide(stale, by=world.admin)
        assert refused.value.message == (
            "‘Already in the plan’ had already been decided: it was accepted into the plan. Nothing was changed."
        )
        assert refused.value.current.status == ActionStatus.IN_PROGRESS
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


# --- changing the plan ------------------------------------------------------------------


def test_own_actions_record_who_added_them(world):
    action = own_action(
        world.org,
        world.member,
        "Ask three people to join our planning day",
        owner="Sam",
        due_date=datetime.date(2027, 1, 5),
    )
    assert action.source == ActionSource.OWN
    assert action.status == ActionStatus.NOT_STARTED
    assert action.created_by == world.member
    assert (action.owner, action.due_date) == ("Sam", datetime.date(2027, 1, 5))


def test_moving_swaps_neighbours_and_stops_at_the_ends(world):
    a, b, c = (own_action(world.org, world.admin, title) for title in "ABC")
    hidden = own_action(world.org, world.admin, "set aside")
    services.set_status(hidden, ActionStatus.DROPPED, by=world.admin)

    def order():
        return [x.title for x in services.plan_actions(world.org)]

    services.move(c, -1, by=world.admin)
    assert order() == ["A", "C", "B"]
    services.move(a, -1, by=world.admin)  # already first
    assert order() == ["A", "C", "B"]
    services.move(a, +1, by=world.admin)
    assert order() == ["C", "A", "B"]
    b.refresh_from_db()
    services.move(b, +1, by=world.admin)  # last shown: the hidden action does not count
    assert order() == ["C", "A", "B"]


def test_moving_when_two_actions_share_a_place(world):
    a, b = own_action(world.org, world.admin, "A"), own_action(world.org, world.admin, "B")
    Action.objects.filter(pk__in=[a.pk, b.pk]).update(position=5)
    services.move(b, -1, by=world.admin)
    assert [x.title for x in services.plan_actions(world.org)] == ["B", "A"]


def test_done_records_when_once_and_reopening_clears_it(world):
    action = own_action(world.org, world.admin, "Write the vision")
    services.set_status(action, ActionStatus.DONE, by=world.admin)
    first = action.completed_at
    assert first is not None and abs(timezone.now() - first) < datetime.timedelta(minutes=1)

    services.set_status(action, ActionStatus.DONE, by=world.admin)
    assert action.completed_at == first

    services.set_status(action, ActionStatus.IN_PROGRESS, by=world.admin)
    action.refresh_from_db()
    assert action.completed_at is None
    assert action.status == ActionStatus.IN_PROGRESS


def test_update_changes_only_what_is_given(world):
    action = own_action(world.org, world.admin, "Old title", owner="Sam")
    services.update(action, by=world.member, title="New title", status=ActionStatus.DONE, due_date=None)
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == ("New title", "Sam", ActionStatus.DONE)
    assert action.completed_at is not None
    with pytest.raises(TypeError):
        services.update(action, by=world.member, organisation=world.other_org)


def test_notes_and_removal(world):
    action = own_action(world.org, world.admin, "Something")
    note = services.add_note(action, "Talked to the trustees.", by=world.member)
    assert (note.written_by, action.notes.get()) == (world.member, note)
    services.remove(action, by=world.admin)
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not ProgressNote.objects.exists()


def test_overdue_and_the_plan_filter(world):
    today = datetime.date(2027, 3, 10)
    late = own_action(world.org, world.admin, "late", due_date=datetime.date(2027, 3, 9))
    own_action(world.org, world.admin, "due today", due_date=today)
    finished = own_action(world.org, world.admin, "finished late", due_date=datetime.date(2027, 1, 1))
    services.set_status(finished, ActionStatus.DONE, by=world.admin)
    hidden = own_action(world.org, world.admin, "hidden", due_date=datetime.date(2027, 1, 1))
    services.set_status(hidden, ActionStatus.DROPPED, by=world.admin)
    own_action(world.other_org, world.outsider, "not ours", due_date=datetime.date(2027, 1, 1))

    assert list(services.overdue(world.org, today)) == [late]
    assert [a.title for a in services.plan_actions(world.org, "overdue", today)] == ["late"]
    assert [a.title for a in services.plan_actions(world.org, "done")] == ["finished late"]
    assert [a.title for a in services.plan_actions(world.org, "dropped")] == ["hidden"]
    assert [a.title for a in services.plan_actions(world.org)] == ["late", "due today", "finished late"]


# --- targets -------------------------------------------------------------------------------


def test_target_rows_default_to_one_step_up(world, instruments):
    top = len(Item.objects.get(version=version_of(HEALTH_CHECK), key="trustee-board").levels)
    assessment = submitted(
        world.org,
        HEALTH_CHECK,
        {
            "values-and-culture": {"level": 1},
            "trustee-board": {"level": top},
            "staff-and-volunteers": {"not_relevant": True},
        },
        world.admin,
    )
    Target.objects.create(organisation=world.org, instrument_key=HEALTH_CHECK, item_key="trustee-board", level=2)
    rows = {row.item.key: row for row in services.target_rows(assessment)}
    assert set(rows) == {"values-and-culture", "trustee-board"}  # not relevant: no score, no target
    values = rows["values-and-culture"]
    assert (values.current, values.target, values.own, values.at_top) == (1, 2, False, False)
    assert values.choices == [1, 2, 3]
    board = rows["trustee-board"]
    assert board.at_top
    assert board.target == top  # an own target below where you are counts as reached


def test_set_targets_refuses_a_level_off_the_scale(world, instruments):
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    with pytest.raises(Invalid, match="1 to 3"):
        services.set_targets(assessment, {"values-and-culture": 4}, by=world.admin)
    with pytest.raises(Invalid, match="no-such-item"):
        services.set_targets(assessment, {"no-such-item": 1}, by=world.admin)
    assert not Target.objects.exists()
