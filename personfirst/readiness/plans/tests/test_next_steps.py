"""The dashboard's "what to do next" for an organisation: the rule
(next_steps.steps, no database) and what it reads (next_steps.situation_for)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from personfirst.readiness.plans import next_steps
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.plans.next_steps import Draft, Situation, steps

TODAY = datetime.date(2027, 3, 10)
BASE = {"plan_url": "/plan/", "assessments_url": "/assessments/"}


def situation(**kwargs) -> Situation:
    return Situation(**{**BASE, **kwargs})


def keys(found) -> list[str]:
    return [step.key for step in found]


def test_an_administrator_with_no_assessment_is_asked_to_start_the_first_check():
    found = steps(situation(can_start=True), TODAY)
    assert keys(found) == ["start"]
    assert found[0].link_text == "Start your first check"
    assert found[0].url == "/assessments/"


def test_a_member_who_may_not_start_one_is_given_no_step():
    assert steps(situation(can_start=False), TODAY) == []


def test_an_assessment_in_progress_comes_first_and_replaces_start():
    draft = Draft("Health check", "/a/1/", datetime.date(2027, 3, 1))
    found = steps(situation(can_start=True, drafts=(draft,), overdue=2, suggestions=3, can_change_plan=True), TODAY)
    assert keys(found) == ["continue", "overdue", "decide"]
    assert found[0].link_text == "Continue the Health check"
    assert found[0].url == "/a/1/"
    assert "1 March 2027" in found[0].detail


def test_someone_who_may_not_answer_is_offered_to_see_it_not_continue_it():
    draft = Draft("Health check", "/a/1/", datetime.date(2027, 3, 1), can_edit=False)
    assert steps(situation(drafts=(draft,)), TODAY)[0].link_text == "See the Health check in progress"


def test_counts_are_in_the_words_and_say_one_or_many():
    one = steps(situation(overdue=1, suggestions=1, due_soon=1, can_change_plan=True), TODAY)
    assert [s.link_text for s in one] == [
        "Look at 1 overdue action",
        "Decide on 1 suggested action",
        "See 1 action due in the next 30 days",
    ]
    many = steps(situation(overdue=4, suggestions=31, due_soon=2, can_change_plan=True), TODAY)
    assert [s.link_text for s in many] == [
        "Look at 4 overdue actions",
        "Decide on 31 suggested actions",
        "See 2 actions due in the next 30 days",
    ]
    assert many[0].urgent and many[0].url == "/plan/?show=overdue#plan"
    assert many[1].url == "/plan/#suggestions"


def test_suggestions_from_several_assessments_say_so():
    found = steps(situation(suggestions=5, assessments_with_suggestions=3, can_change_plan=True), TODAY)
    assert "from 3 assessments" in found[0].detail


def test_suggestions_are_not_offered_to_someone_who_may_not_decide():
    assert "decide" not in keys(steps(situation(suggestions=5, can_change_plan=False), TODAY))


@pytest.mark.parametrize(
    ("submitted", "reassess"),
    [
        (datetime.date(2026, 3, 10), True),  # a year ago today
        (datetime.date(2026, 3, 9), True),
        (datetime.date(2026, 3, 11), False),  # a year ago tomorrow
        (datetime.date(2027, 1, 1), False),
    ],
)
def test_a_check_a_year_old_asks_for_another(submitted, reassess):
    found = steps(situation(can_start=True, last_submitted=submitted, last_results_url="/r/"), TODAY)
    assert ("reassess" in keys(found)) is reassess
    if not reassess:
        assert keys(found) == ["results"]  # nothing pressing: the latest results


def test_no_reassess_while_one_is_in_progress():
    draft = Draft("Health check", "/a/2/", datetime.date(2027, 3, 1))
    found = steps(situation(can_start=True, last_submitted=datetime.date(2025, 1, 1), drafts=(draft,)), TODAY)
    assert keys(found) == ["continue"]


def test_a_year_ago_from_29_february_is_28_february():
    assert next_steps.year_ago(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


@given(
    drafts=st.integers(0, 2),
    overdue=st.integers(0, 3),
    suggestions=st.integers(0, 3),
    due_soon=st.integers(0, 3),
    can_start=st.booleans(),
    can_change_plan=st.booleans(),
    submitted=st.one_of(st.none(), st.dates(datetime.date(2024, 1, 1), TODAY)),
)
def test_steps_are_in_a_fixed_order_with_no_repeats_and_start_only_when_never_assessed(
    drafts, overdue, suggestions, due_soon, can_start, can_change_plan, submitted
):
    found = steps(
        situation(
            drafts=tuple(Draft(f"Check {n}", f"/a/{n}/", TODAY) for n in range(drafts)),
            overdue=overdue,
            suggestions=suggestions,
            due_soon=due_soon,
            can_start=can_start,
            can_change_plan=can_change_plan,
            last_submitted=submitted,
            last_results_url="/r/" if submitted else "",
        ),
        TODAY,
    )
    order = ["continue", "overdue", "decide", "due-soon", "reassess", "start", "results"]
    found_keys = keys(found)
    assert found_keys == sorted(found_keys, key=order.index)
    assert found_keys.count("continue") == drafts
    assert ("start" in found_keys) == (can_start and submitted is None and not drafts)
    assert ("overdue" in found_keys) == bool(overdue)
    others = [key for key in found_keys if key != "results"]
    assert ("results" in found_keys) == (not others and submitted is not None)
    assert all(step.url for step in found)


# -- What it reads from the database ----------------------------------------------------------


@pytest.mark.django_db
def test_situation_counts_the_plan_and_what_the_person_may_do(world):
    org = world.org
    common = {"organisation": org, "title": "An action"}
    Action.objects.create(**common, status=ActionStatus.SUGGESTED)
    Action.objects.create(**common, status=ActionStatus.NOT_STARTED, due_date=TODAY - datetime.timedelta(days=1))
    Action.objects.create(**common, status=ActionStatus.IN_PROGRESS, due_date=TODAY + datetime.timedelta(days=30))
    Action.objects.create(**common, status=ActionStatus.IN_PROGRESS, due_date=TODAY + datetime.timedelta(days=31))
    Action.objects.create(**common, status=ActionStatus.DONE, due_date=TODAY - datetime.timedelta(days=5))

    for_admin = next_steps.situation_for(org, world.admin, TODAY)
    assert (for_admin.suggestions, for_admin.overdue, for_admin.due_soon) == (1, 1, 1)
    assert for_admin.can_start and for_admin.can_change_plan
    assert for_admin.last_submitted is None and for_admin.drafts == ()

    for_member = next_steps.situation_for(org, world.member, TODAY)
    assert not for_member.can_start
    assert for_member.can_change_plan  # members run the plan too (plans/rules.py)

    # Someone who may not see the plan is told nothing about it.
    for_outsider = next_steps.situation_for(org, world.outsider, TODAY)
    assert (for_outsider.suggestions, for_outsider.overdue, for_outsider.due_soon) == (0, 0, 0)
