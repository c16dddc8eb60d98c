"""Readiness workflows under concurrent requests, with real transactions:
each call runs in a thread of its own with its own database connection (the
``race`` fixture in conftest.py), as requests on two app-server workers would.

Every test checks that every call that succeeded left its change in the
database, and that every call that was refused was told so by the domain
(``NotEditable``, a returned answer conflict, or ``ConflictError``), never by
an IntegrityError or a DatabaseError. They run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from personfirst.core.concurrency import ConflictError
from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.models import Answer, AssessmentStatus, Respondent

from .test_services import agreed, save

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "trustee-board"  # a section of its own in the health check


def refused_or_done(outcomes) -> None:
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked


def test_submitting_twice_at_once_submits_once_and_drafts_the_plan_once(world, assessment, race):
    from personfirst.readiness.plans.models import Action

    save(assessment, ITEM, {ITEM: {"level": 1}}, by=world.admin)

    outcomes = race(
        *[lambda by=by: services.submit(assessment=assessment, by=by) for by in (world.admin, world.worker)]
    )

    refused_or_done(outcomes)
    assert [o.ok for o in outcomes].count(True) == 1, outcomes
    refused = next(o.error for o in outcomes if not o.ok)
    assert isinstance(refused, services.NotEditable)
    assert refused.current.status == AssessmentStatus.SUBMITTED
    winner = next(o.value for o in outcomes if o.ok)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.submitted_by) == (AssessmentStatus.SUBMITTED, winner.submitted_by)
    drafted = list(Action.objects.filter(organisation=world.org).values_list("item_key", "library_key", "title"))
    assert drafted and len(drafted) == len(set(drafted))  # drafted once: no suggestion twice


def test_a_section_saved_while_the_assessment_is_submitted_is_in_it_or_refused(world, instruments, race):
    health_check = instruments["health-check"]
    saved = refused = 0
    for _round in range(4):
        assessment = services.start(organisation=world.org, instrument=health_check, by=world.admin)
        save(assessment, ITEM, {ITEM: {"level": 1}}, by=world.admin)

        outcomes = race(
            lambda a=assessment: save(a, ITEM, {ITEM: {"level": 3}}, revisions={ITEM: 1}, by=world.worker),
            lambda a=assessment: services.submit(assessment=a, by=world.admin),
        )

        refused_or_done(outcomes)
        assert outcomes[1].ok
        if outcomes[0].ok:
            assert outcomes[0].value == []  # saved, with no conflict
            assert agreed(assessment, ITEM).level == 3  # and frozen into the submitted assessment
            saved += 1
        else:
            assert isinstance(outcomes[0].error, services.NotEditable)
            assert agreed(assessment, ITEM).level == 1
            refused += 1
    assert saved + refused == 4


def test_one_agreed_answer_saved_by_several_people_at_once_keeps_one_and_tells_the_others(world, assessment, race):
    save(assessment, ITEM, {ITEM: {"level": 1}}, by=world.admin)  # revision 1, seen by everyone
    levels = [2, 3, 4, 2]
    people = [world.admin, world.worker, world.admin, world.worker]

    outcomes = race(
        *[
            lambda level=level, by=by: save(assessment, ITEM, {ITEM: {"level": level}}, revisions={ITEM: 1}, by=by)
            for level, by in zip(levels, people, strict=True)
        ]
    )

    refused_or_done(outcomes)
    saved = [level for level, o in zip(levels, outcomes, strict=True) if o.value == []]
    told = [o.value for o in outcomes if o.value]
    stored = agreed(assessment, ITEM)
    # One save wins (and any other that gave the very same answer); everyone else is shown theirs.
    assert saved and set(saved) == {stored.level}
    assert len(saved) + len(told) == len(levels)
    for conflicts in told:
        assert [c.theirs.level for c in conflicts] == [stored.level]
    assert stored.revision == 2


def test_agreed_and_own_answers_saved_at_once_are_all_kept(world, assessment, race):
    milo = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    wendy = services.add_respondent(assessment=assessment, user=world.worker, perspective="worker", by=world.admin)

    outcomes = race(
        lambda: save(assessment, ITEM, {ITEM: {"level": 2}}, by=world.admin),
        lambda: save(assessment, ITEM, {ITEM: {"level": 3}}, by=world.member, respondent=milo),
        lambda: save(assessment, ITEM, {ITEM: {"level": 4}}, by=world.worker, respondent=wendy),
    )

    refused_or_done(outcomes)
    assert [o.value for o in outcomes] == [[], [], []]
    stored = {a.respondent_id: a.level for a in Answer.objects.filter(assessment=assessment)}
    assert stored == {None: 2, milo.pk: 3, wendy.pk: 4}


def test_asking_the_same_person_twice_at_once_adds_them_once(world, assessment, race):
    outcomes = race(
        *[
            lambda perspective=perspective, by=by: services.add_respondent(
                assessment=assessment, user=world.member, perspective=perspective, by=by
            )
            for perspective, by in (("staff", world.admin), ("trustee", world.worker), ("staff", world.worker))
        ]
    )

    refused_or_done(outcomes)
    assert all(o.ok for o in outcomes)
    respondent = Respondent.objects.get(assessment=assessment, user=world.member)
    assert {o.value.pk for o in outcomes} == {respondent.pk}


def test_a_respondent_removed_while_saving_is_told_not_an_error(world, assessment, race):
    for _round in range(3):
        milo = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
        seen = Respondent.objects.select_related("user").get(pk=milo.pk)  # the remove page has read it

        outcomes = race(
            lambda milo=milo: save(assessment, ITEM, {ITEM: {"level": 3}}, by=world.member, respondent=milo),
            lambda seen=seen: services.remove_respondent(seen),
        )

        refused_or_done(outcomes)
        assert outcomes[1].ok
        assert not Respondent.objects.filter(pk=milo.pk).exists()
        assert not Answer.objects.filter(respondent_id=milo.pk).exists()
