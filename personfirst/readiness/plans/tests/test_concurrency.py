"""Plans under concurrent requests, with real transactions: each call runs
in a thread of its own with its own database connection (the ``race``
fixture), as two requests on two app-server workers would.

Every test checks the same two things: every call that succeeded left its
change in the database, and every call that was refused raised the domain
``ConflictError`` (never an IntegrityError, a DatabaseError or a silent
loss). They run on SQLite and on PostgreSQL (CI runs both).
"""

from __future__ import annotations

import threading

import pytest

from personfirst.core.concurrency import ConflictError
from personfirst.readiness.assessments import services as readiness_services
from personfirst.readiness.assessments.models import Instrument
from personfirst.readiness.plans import services
from personfirst.readiness.plans.models import Action, ActionStatus

from .test_services import HEALTH_CHECK, answer, load_instruments, submitted, suggest

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "values-and-culture"


@pytest.fixture
def instruments(db):
    return load_instruments()


def refused_or_done(outcomes) -> None:
    """Every call either succeeded or raised ConflictError: nothing else leaked out."""
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked


def widen(monkeypatch, module, name: str, reached: threading.Event, seconds: float = 0.3) -> None:
    """Make ``module.name`` say it has been reached, then take ``seconds``
    longer: a window in which the other calls of a race act."""
    real = getattr(module, name)

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        reached.set()
        threading.Event().wait(seconds)
        return result

    monkeypatch.setattr(module, name, slow)


# --- deciding on suggestions while a submission drafts the plan again (issue 9) -----------------------


def test_accepting_suggestions_while_a_submission_redrafts_the_plan_loses_none(world, instruments, race, monkeypatch):
    for number in range(12):
        suggest(HEALTH_CHECK, ITEM, f"step-{number}")
    submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}}, world.admin)
    waiting = list(Action.objects.filter(status=ActionStatus.SUGGESTED).values_list("pk", flat=True))
    assert len(waiting) == 12
    # A newer assessment at the top of the item: drafting withdraws the suggestions nobody has decided on.
    newer = readiness_services.start(
        organisation=world.org, instrument=Instrument.objects.get(key=HEALTH_CHECK), by=world.admin
    )
    answer(newer, ITEM, world.admin, level=3)
    # Drafting reads the waiting suggestions, then takes a moment before it withdraws them.
    drafting_has_read = threading.Event()
    widen(monkeypatch, services, "_own_targets", drafting_has_read)

    def accept(pk):
        def call():
            action = Action.objects.select_related("organisation").get(pk=pk)  # as the request reads it
            drafting_has_read.wait(2)
            return services.decide(action, True, by=world.member)

        return call

    outcomes = race(
        lambda: readiness_services.submit(assessment=newer, by=world.admin), *[accept(pk) for pk in waiting]
    )

    refused_or_done(outcomes)
    assert outcomes[0].ok, outcomes[0]
    accepted = [o.value.pk for o in outcomes[1:] if o.ok]
    in_plan = set(Action.objects.filter(status=ActionStatus.NOT_STARTED).values_list("pk", flat=True))
    assert set(accepted) <= in_plan, f"{len(set(accepted) - in_plan)} of {len(accepted)} accepted actions were lost"
    # Nothing is left waiting: what was not accepted in time was withdrawn.
    assert not Action.objects.filter(status=ActionStatus.SUGGESTED).exists()


def test_rounds_of_accepts_and_a_submission_in_any_order_lose_nothing(world, instruments, race):
    """As the issue measured it: rounds of a dozen accepts and one submission,
    with no pause anywhere, so that the orders vary. Alternately the newer
    answers withdraw every suggestion still waiting, or keep them all."""
    for number in range(12):
        suggest(HEALTH_CHECK, ITEM, f"step-{number}")
    first = submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}}, world.admin)
    for round_number in range(4):
        withdraws = round_number % 2 == 0
        Action.objects.filter(organisation=world.org).delete()
        services.draft_plan(first)
        newer = readiness_services.start(organisation=world.org, instrument=first.version.instrument, by=world.admin)
        answer(newer, ITEM, world.admin, level=3 if withdraws else 1)
        # Each request has read its suggestion before the race starts.
        waiting = list(Action.objects.filter(status=ActionStatus.SUGGESTED))
        assert len(waiting) == 12

        outcomes = race(
            lambda newer=newer: readiness_services.submit(assessment=newer, by=world.admin),
            *[lambda action=action: services.decide(action, True, by=world.member) for action in waiting],
        )

        refused_or_done(outcomes)
        assert outcomes[0].ok, outcomes[0]
        accepted = {o.value.pk for o in outcomes[1:] if o.ok}
        in_plan = set(Action.objects.filter(status=ActionStatus.NOT_STARTED).values_list("pk", flat=True))
        assert accepted == in_plan  # every acknowledged accept, and nothing else
        still_waiting = Action.objects.filter(status=ActionStatus.SUGGESTED)
        if withdraws:
            assert not still_waiting.exists()
        else:
            assert len(accepted) == 12 and not still_waiting.exists()  # at level 1 they all still fit


# --- deciding on one suggestion twice at once -----------------------------------------------------------


def test_accepting_and_dropping_one_suggestion_at_once_decides_it_once(world, instruments, race):
    suggest(HEALTH_CHECK, ITEM, "only")
    submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}}, world.admin)
    pk = Action.objects.get(status=ActionStatus.SUGGESTED).pk
    calls = [(True, world.admin), (False, world.member), (True, world.member), (False, world.admin)]
    pages = [Action.objects.get(pk=pk) for _call in calls]  # four people see it waiting

    outcomes = race(
        *[
            lambda a=a, by=by, page=page: services.decide(page, a, by=by)
            for (a, by), page in zip(calls, pages, strict=True)
        ]
    )

    refused_or_done(outcomes)
    done = [(call, o) for call, o in zip(calls, outcomes, strict=True) if o.ok]
    assert len(done) == 1, outcomes
    (accepted, _by), _outcome = done[0]
    expected = ActionStatus.NOT_STARTED if accepted else ActionStatus.DROPPED
    assert Action.objects.get(pk=pk).status == expected
    for outcome in outcomes:
        if not outcome.ok:
            assert outcome.error.current.status == expected  # the refusal says what it is now


# --- changing an action while someone removes it, notes, adding ----------------------------------------


def test_changing_or_noting_an_action_while_it_is_removed_is_refused_not_an_error(world, race):
    for _round in range(3):
        action = services.add_own(world.org, title="Short-lived", by=world.admin)
        seen = [Action.objects.get(pk=action.pk) for _n in range(4)]  # each request has read it

        outcomes = race(
            lambda seen=seen: services.update(seen[0], by=world.member, owner="Sam"),
            lambda seen=seen: services.add_note(seen[1], "Spoke to Sam.", by=world.member),
            lambda seen=seen: services.set_status(seen[2], ActionStatus.DONE, by=world.member),
            lambda seen=seen: services.remove(seen[3], by=world.admin),
        )

        refused_or_done(outcomes)
        assert outcomes[3].ok  # removing an action that is there always works
        assert not Action.objects.filter(pk=action.pk).exists()


def test_notes_written_at_once_are_all_kept(world, race):
    action = services.add_own(world.org, title="Busy", by=world.admin)
    texts = [f"Note {n}" for n in range(8)]

    outcomes = race(*[lambda t=t: services.add_note(action, t, by=world.member) for t in texts])

    refused_or_done(outcomes)
    assert all(o.ok for o in outcomes)
    assert sorted(action.notes.values_list("text", flat=True)) == sorted(texts)


def test_actions_added_at_once_each_get_a_place_of_their_own(world, race):
    outcomes = race(*[lambda n=n: services.add_own(world.org, title=f"Own {n}", by=world.member) for n in range(8)])

    refused_or_done(outcomes)
    positions = list(Action.objects.filter(organisation=world.org).values_list("position", flat=True))
    assert len(positions) == 8 and len(set(positions)) == 8


# --- reordering -------------------------------------------------------------------------------------


def _moved(order: list[str], title: str, direction: int) -> list[str]:
    """What services.move does to an order, on paper."""
    order = list(order)
    index = order.index(title)
    other = index + direction
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order


def test_moves_at_once_all_count_as_if_made_one_after_the_other(world, race):
    import itertools

    titles = list("ABCDEF")
    for title in titles:
        services.add_own(world.org, title=title, by=world.admin)
    moves = [("B", -1), ("C", +1), ("E", -1), ("A", +1)]

    def order():
        return [a.title for a in services.plan_actions(world.org)]

    seen = {title: Action.objects.get(title=title) for title, _direction in moves}
    outcomes = race(*[lambda t=t, d=d: services.move(seen[t], d, by=world.member) for t, d in moves])

    refused_or_done(outcomes)
    assert all(o.ok for o in outcomes)
    possible = []
    for serial in itertools.permutations(moves):
        result = titles
        for title, direction in serial:
            result = _moved(result, title, direction)
        possible.append(result)
    assert order() in possible, order()
    positions = list(Action.objects.filter(organisation=world.org).values_list("position", flat=True))
    assert len(set(positions)) == len(titles)


def test_moving_an_action_someone_removes_is_refused(world, race):
    a = services.add_own(world.org, title="A", by=world.admin)
    b = services.add_own(world.org, title="B", by=world.admin)

    seen = [Action.objects.get(pk=b.pk), Action.objects.get(pk=b.pk)]
    outcomes = race(
        lambda: services.move(seen[0], -1, by=world.member),
        lambda: services.remove(seen[1], by=world.admin),
    )

    refused_or_done(outcomes)
    assert outcomes[1].ok
    assert [x.title for x in services.plan_actions(world.org)] == [a.title]


# --- targets ----------------------------------------------------------------------------------------


OTHER = "trustee-board"


def test_targets_saved_at_once_keep_both_peoples_changes(world, instruments, race):
    assessment = submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}, OTHER: {"level": 1}}, world.admin)
    page = {row.item.key: row.target for row in services.target_rows(assessment)}  # both people load the page
    assert page == {ITEM: 2, OTHER: 2}

    outcomes = race(
        lambda: services.set_targets(assessment, {ITEM: 3, OTHER: 2}, by=world.admin, seen=page),
        lambda: services.set_targets(assessment, {ITEM: 2, OTHER: 4}, by=world.member, seen=page),
    )

    refused_or_done(outcomes)
    assert all(o.ok for o in outcomes)
    now = {row.item.key: row.target for row in services.target_rows(assessment)}
    assert now == {ITEM: 3, OTHER: 4}  # each person's change, and neither undid the other's


def test_targets_changed_differently_at_once_keep_one_and_refuse_the_other(world, instruments, race):
    assessment = submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}, OTHER: {"level": 1}}, world.admin)
    page = {row.item.key: row.target for row in services.target_rows(assessment)}

    outcomes = race(
        lambda: services.set_targets(assessment, {ITEM: 3, OTHER: 2}, by=world.admin, seen=page),
        lambda: services.set_targets(assessment, {ITEM: 1, OTHER: 2}, by=world.member, seen=page),
    )

    refused_or_done(outcomes)
    assert [o.ok for o in outcomes].count(True) == 1, outcomes
    winner = 3 if outcomes[0].ok else 1
    now = {row.item.key: row.target for row in services.target_rows(assessment)}
    assert now[ITEM] == winner
    refusal = next(o.error for o in outcomes if not o.ok)
    assert refusal.current == {ITEM: winner}


# --- two people changing one action from the same page ------------------------------------------------


def _as_shown(action: Action) -> dict:
    return {name: getattr(action, name) for name in ("title", "why", "owner", "due_date", "status")}


def test_two_people_changing_different_things_of_one_action_at_once_keep_both(world, race):
    import datetime

    action = services.add_own(world.org, title="Write the vision", by=world.admin)
    page = _as_shown(action)  # both load the form; each sends every field back, as the form does
    mine = {**page, "owner": "Priya"}
    theirs = {**page, "due_date": datetime.date(2027, 6, 2), "status": ActionStatus.IN_PROGRESS}
    seen = [Action.objects.get(pk=action.pk), Action.objects.get(pk=action.pk)]

    outcomes = race(
        lambda: services.update(seen[0], by=world.member, seen=page, **mine),
        lambda: services.update(seen[1], by=world.admin, seen=page, **theirs),
    )

    refused_or_done(outcomes)
    assert all(o.ok for o in outcomes)
    action.refresh_from_db()
    assert (action.owner, action.due_date, action.status) == ("Priya", datetime.date(2027, 6, 2), "in_progress")


def test_two_people_changing_the_same_thing_at_once_keep_one_and_tell_the_other(world, race):
    action = services.add_own(world.org, title="Write the vision", by=world.admin)
    page = _as_shown(action)
    owners = ["Priya", "Sam"]
    seen = [Action.objects.get(pk=action.pk), Action.objects.get(pk=action.pk)]

    def change(n):
        return lambda: services.update(seen[n], by=world.member, seen=page, **{**page, "owner": owners[n]})

    outcomes = race(change(0), change(1))

    refused_or_done(outcomes)
    assert [o.ok for o in outcomes].count(True) == 1, outcomes
    winner = owners[0] if outcomes[0].ok else owners[1]
    action.refresh_from_db()
    assert action.owner == winner
    refusal = next(o.error for o in outcomes if not o.ok)
    assert isinstance(refusal, services.ChangedMeanwhile) and refusal.fields == ["owner"]
    assert refusal.current.owner == winner


# --- deciding on a whole group at once (issue 11) --------------------------------------------------------


def test_a_group_decided_twice_at_once_and_single_decisions_meanwhile_decide_each_suggestion_once(
    world, instruments, race
):
    """Two people decide the same group at once (one accepts all, the other
    sets all aside) while a third accepts one of its suggestions: each
    suggestion ends decided once, every acknowledged decision holds, the
    plan's positions stay distinct, and a refusal is a ConflictError."""
    for number in range(8):
        suggest(HEALTH_CHECK, ITEM, f"step-{number}")
    submitted(world.org, HEALTH_CHECK, {ITEM: {"level": 1}}, world.admin)
    waiting = list(Action.objects.filter(status=ActionStatus.SUGGESTED).order_by("position"))
    assert len(waiting) == 8
    ids = [action.pk for action in waiting]
    single = waiting[3]

    outcomes = race(
        lambda: services.decide_group(world.org, ids, True, by=world.admin),
        lambda: services.decide_group(world.org, ids, False, by=world.member),
        lambda: services.decide(single, True, by=world.member),
    )

    refused_or_done(outcomes)
    assert any(o.ok for o in outcomes[:2])
    actions = {a.pk: a for a in Action.objects.filter(pk__in=ids)}
    assert not any(a.status == ActionStatus.SUGGESTED for a in actions.values())
    decided_by = {}
    for outcome, status in zip(outcomes[:2], (ActionStatus.NOT_STARTED, ActionStatus.DROPPED), strict=True):
        if outcome.ok:
            for action in outcome.value.decided:
                assert action.pk not in decided_by, "a suggestion was decided twice"
                decided_by[action.pk] = status
                assert actions[action.pk].status == status
    if outcomes[2].ok:
        assert single.pk not in decided_by
        assert actions[single.pk].status == ActionStatus.NOT_STARTED
    # Every suggestion was decided by exactly one of the calls.
    assert set(decided_by) | ({single.pk} if outcomes[2].ok else set()) == set(ids)
    in_plan = [a.position for a in Action.objects.filter(organisation=world.org).in_plan().exclude(status="dropped")]
    assert len(in_plan) == len(set(in_plan)), "two actions share a place in the plan"
