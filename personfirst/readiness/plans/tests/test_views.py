"""The action plan on the web, with the Django test client: the plan page
(suggestions, the plan itself, its filter), adding, changing and removing
an action, progress notes, targets, the overdue banner on the
organisation's home page, and who may do what.

world.org is Eastmere Carers' Centre: world.admin and world.member belong
to it, world.worker's organisation is shared with, world.platform may look
but not change, world.commissioner and world.outsider may not see it.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve, assert_no_error_summary
from personfirst.core.ui.tests.test_form_markup import assert_form_markup
from personfirst.readiness.assessments.tests.pages import form_fields, radio_choices
from personfirst.readiness.plans import services
from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus, Target

from .test_services import HEALTH_CHECK, load_instruments, own_action, submitted, suggest

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.datetime(2027, 3, 10, 9, 30, tzinfo=LONDON)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_url(organisation) -> str:
    return reverse("plans:plan", args=[organisation.slug])


def url(action, name="action") -> str:
    return reverse(f"plans:{name}", args=[action.organisation.slug, action.pk])


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words, without tags, on one line (no space before a colon or full stop)."""
    return re.sub(r" ([:,.])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html(response)).split()))


def date_fields(prefix: str, day="", month="", year="") -> dict[str, str]:
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": year}


@pytest.fixture
def instruments(db):
    return load_instruments()


@pytest.fixture
def drafted(world, instruments):
    """A submitted health check of world.org with two suggestions for one item."""
    suggest(HEALTH_CHECK, "values-and-culture", "vision", title="Write a one-page vision with the people you support")
    suggest(HEALTH_CHECK, "values-and-culture", "session", title="Run a short team session on personalisation")
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    return assessment


def vision_section() -> str:
    """The key of the section the values-and-culture item is in (where the test's suggestions are grouped)."""
    from personfirst.readiness.assessments.models import Item

    return Item.objects.filter(key="values-and-culture").select_related("section").first().section.key


def action_titled(title: str) -> Action:
    return Action.objects.get(title=title)


# --- the plan page -----------------------------------------------------------------------


def test_the_plan_shows_suggestions_grouped_with_why(world, drafted):
    page = client_for(world.member).get(plan_url(world.org))
    assert page.status_code == 200
    words = text(page)
    assert "Suggestions waiting for your decision (2)" in words
    assert "Values and culture" in words
    assert "Why: Values and culture: you are at statement 1 of 3 and aim for statement 2." in words
    assert "Write a one-page vision with the people you support" in words
    # Two buttons for each suggestion, each a POST form that works without JavaScript ...
    for action in Action.objects.filter(status=ActionStatus.SUGGESTED):
        assert html(page).count(f'action="{url(action, "decide")}"') == 1
    # ... and two for the whole section at once.
    assert html(page).count(f'action="{reverse("plans:decide-group", args=[world.org.slug])}"') == 1
    assert html(page).count('name="decision" value="accept"') == 3
    assert "Your plan has no actions yet." in words
    assert f'href="{reverse("plans:targets", args=[world.org.slug, drafted.pk])}"' in html(page)
    assert_form_markup(page)


def test_accepting_and_setting_aside_a_suggestion(world, drafted):
    member = client_for(world.member)
    vision = action_titled("Write a one-page vision with the people you support")
    session = action_titled("Run a short team session on personalisation")

    response = member.post(url(vision, "decide"), {"decision": "accept"})
    assert response.status_code == 302
    # Back to the plan, with the item's suggestions open.
    group = f"a{vision.assessment_id}-{vision_section()}"
    assert response["Location"] == f"{plan_url(world.org)}?open={group}#group-{group}"
    assert re.search(
        rf'<details class="govuk-details" id="group-{group}" open>', html(member.get(response["Location"]))
    )
    response = member.post(url(session, "decide"), {"decision": "drop"})
    assert response.status_code == 302

    vision.refresh_from_db()
    session.refresh_from_db()
    assert (vision.status, session.status) == (ActionStatus.NOT_STARTED, ActionStatus.DROPPED)
    assert "has been set aside" in text(member.get(plan_url(world.org)))  # the message, once
    page = member.get(plan_url(world.org))
    words = text(page)
    assert "Suggestions waiting" not in words
    assert "Write a one-page vision" in words
    assert "Suggested from the action library" in words  # its source
    assert "Run a short team session" not in words  # set aside: out of sight
    # ... unless asked for.
    assert "Run a short team session" in text(member.get(plan_url(world.org), {"show": "dropped"}))


def test_deciding_twice_changes_nothing(world, drafted):
    member = client_for(world.member)
    vision = action_titled("Write a one-page vision with the people you support")
    member.post(url(vision, "decide"), {"decision": "accept"})
    response = member.post(url(vision, "decide"), {"decision": "drop"}, follow=True)
    vision.refresh_from_db()
    assert vision.status == ActionStatus.NOT_STARTED
    assert "had already been decided" in text(response)
    # A decision that is neither: nothing happens.
    other = action_titled("Run a short team session on personalisation")
    member.post(url(other, "decide"), {"decision": "maybe"})
    other.refresh_from_db()
    assert other.status == ActionStatus.SUGGESTED


@time_machine.travel(TODAY, tick=False)
def test_the_plan_lists_actions_in_order_with_status_owner_due_date_and_overdue(world):
    own_action(world.org, world.admin, "First step", owner="Sam", due_date=datetime.date(2027, 3, 9))
    second = own_action(world.org, world.admin, "Second step", due_date=datetime.date(2027, 3, 10))
    services.set_status(second, ActionStatus.IN_PROGRESS, by=world.admin)
    third = own_action(world.org, world.admin, "Third step", due_date=datetime.date(2027, 1, 1))
    services.set_status(third, ActionStatus.DONE, by=world.admin)

    page = client_for(world.member).get(plan_url(world.org))
    rows = re.findall(r'<tr class="govuk-table__row" id="action-\d+".*?</tr>', html(page), re.S)
    assert [re.search(r'href="[^"]+">([^<]+)</a>', row).group(1) for row in rows] == [
        "First step",
        "Second step",
        "Third step",
    ]
    first, second_row, third_row = (" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows)
    assert "Sam" in first and "9 March 2027" in first and "Overdue" in first and "Not started" in first
    assert "Not decided yet" in second_row and "In progress" in second_row and "Overdue" not in second_row
    assert "Done" in third_row and "Overdue" not in third_row  # done late is not overdue
    assert "1 action is overdue." in text(page)
    # Move buttons: none up for the first, none down for the last.
    assert "Move up: First step" not in text(page)
    assert "Move down: First step" in text(page)
    assert "Move up: Third step" in text(page)
    assert "Move down: Third step" not in text(page)


@time_machine.travel(TODAY, tick=False)
def test_the_status_filter_works_with_a_plain_get(world):
    own_action(world.org, world.admin, "Late step", due_date=datetime.date(2027, 3, 1))
    done = own_action(world.org, world.admin, "Done step")
    services.set_status(done, ActionStatus.DONE, by=world.admin)
    member = client_for(world.member)

    page = member.get(plan_url(world.org), {"show": "done"})
    assert "Done step" in text(page) and "Late step" not in text(page)
    assert "Move up" not in text(page)  # the order is changed on the whole plan only
    assert '<form method="get"' in html(page)  # the filter: a plain GET form
    assert re.search(r'<option value="done" selected>', html(page))

    page = member.get(plan_url(world.org), {"show": "overdue"})
    assert "Late step" in text(page) and "Done step" not in text(page)

    page = member.get(plan_url(world.org), {"show": "in_progress"})
    assert "There are no actions to show for ‘In progress’." in text(page)

    page = member.get(plan_url(world.org), {"show": "nonsense"})  # an unknown filter: the whole plan
    assert page.status_code == 200
    assert "Late step" in text(page) and "Done step" in text(page)


def test_move_up_and_down(world):
    own_action(world.org, world.admin, "A")
    b = own_action(world.org, world.admin, "B")
    worker = client_for(world.worker)  # the development worker may change the plan too
    response = worker.post(url(b, "move"), {"direction": "up"})
    assert response.status_code == 302
    assert [a.title for a in services.plan_actions(world.org)] == ["B", "A"]
    worker.post(url(b, "move"), {"direction": "down"})
    assert [a.title for a in services.plan_actions(world.org)] == ["A", "B"]
    worker.post(url(b, "move"), {"direction": "sideways"})
    assert [a.title for a in services.plan_actions(world.org)] == ["A", "B"]


# --- who may do what -------------------------------------------------------------------


def test_the_platform_administrator_may_look_but_not_change(world, drafted):
    platform = client_for(world.platform)
    page = platform.get(plan_url(world.org))
    assert page.status_code == 200
    assert 'name="decision"' not in html(page)
    assert "Add your own action" not in text(page)
    vision = action_titled("Write a one-page vision with the people you support")
    assert platform.post(url(vision, "decide"), {"decision": "accept"}).status_code == 403
    assert platform.get(reverse("plans:add", args=[world.org.slug])).status_code == 403
    assert platform.post(url(vision), {"text": "A note"}).status_code == 403
    vision.refresh_from_db()
    assert vision.status == ActionStatus.SUGGESTED


@pytest.mark.parametrize("persona", ["commissioner", "outsider"])
def test_people_outside_the_organisation_are_refused(world, drafted, persona):
    client = client_for(getattr(world, persona))
    vision = action_titled("Write a one-page vision with the people you support")
    assert client.get(plan_url(world.org)).status_code == 404
    assert client.get(url(vision)).status_code == 404
    assert client.post(url(vision, "decide"), {"decision": "accept"}).status_code == 404
    assert client.get(reverse("plans:targets", args=[world.org.slug, drafted.pk])).status_code == 404
    vision.refresh_from_db()
    assert vision.status == ActionStatus.SUGGESTED


def test_an_action_of_another_organisation_is_not_found_through_yours(world):
    theirs = own_action(world.other_org, world.outsider, "Westholm's step")
    admin = client_for(world.admin)
    assert admin.get(reverse("plans:action", args=[world.org.slug, theirs.pk])).status_code == 404
    assert admin.post(reverse("plans:remove", args=[world.org.slug, theirs.pk])).status_code == 404
    assert Action.objects.filter(pk=theirs.pk).exists()


def test_signed_out_people_are_sent_to_sign_in(world):
    response = Client().get(plan_url(world.org))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# --- adding your own action ------------------------------------------------------------


def test_adding_your_own_action(world):
    member = client_for(world.member)
    add_url = reverse("plans:add", args=[world.org.slug])
    page = member.get(add_url)
    assert page.status_code == 200
    assert_form_markup(page)
    assert_no_error_summary(page)
    assert 'name="status"' not in html(page)  # a new action is not started

    response = member.post(
        add_url,
        {"title": "  Ask three people to join our planning day  ", "why": "", "owner": "Sam"}
        | date_fields("due_date", "31", "3", "2027"),
    )
    assert response.status_code == 302
    action = action_titled("Ask three people to join our planning day")
    assert (action.source, action.status, action.owner) == (ActionSource.OWN, ActionStatus.NOT_STARTED, "Sam")
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.created_by == world.member
    entry = LogEntry.objects.get_for_object(action).get()
    assert entry.actor == world.member
    assert entry.additional_data == {"organisation_id": world.org.pk}


def test_a_due_date_can_be_left_out(world):
    client_for(world.member).post(
        reverse("plans:add", args=[world.org.slug]), {"title": "No date"} | date_fields("due_date")
    )
    assert action_titled("No date").due_date is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "The due date must be a real date"),
        ("31", "", "2027", "The due date must include a month"),
        ("", "", "2027", "The due date must include a day and month"),
        ("1", "3", "27", "Year must include 4 numbers"),
        ("first", "3", "2027", "The due date must be a real date"),
        # Digits of other scripts are digits to str.isdigit(), but not to int() or to people.
        ("²", "3", "2027", "The due date must be a real date"),
        ("1", "٣", "2027", "The due date must be a real date"),
        ("1", "3", "２０２７", "The due date must be a real date"),
        ("1", "3", "2" * 5000, "The due date must be a real date"),
    ],
)
def test_a_bad_due_date_is_explained_and_linked_from_the_error_summary(world, day, month, year, message):
    response = client_for(world.member).post(
        reverse("plans:add", args=[world.org.slug]), {"title": "Something"} | date_fields("due_date", day, month, year)
    )
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_due_date": message})
    assert_form_markup(response)
    # The boxes keep what was typed, marked as in error.
    assert re.search(rf'name="due_date_year" value="{year}"', html(response))
    assert "govuk-input--error" in html(response)
    assert not Action.objects.exists()


def test_nothing_entered(world):
    response = client_for(world.member).post(reverse("plans:add", args=[world.org.slug]), {"title": "   "})
    assert_error_summary_links_resolve(response, expected={"#id_title": "Enter what you will do"})


# --- one action: details, notes, changes, removal ---------------------------------------------


def test_the_action_page_with_progress_notes(world):
    action = own_action(world.org, world.admin, "Write the vision", owner="Sam", why="So we all pull one way")
    member = client_for(world.member)
    page = member.get(url(action))
    assert page.status_code == 200
    words = text(page)
    assert "Write the vision" in words and "So we all pull one way" in words and "Sam" in words
    assert "Added by your organisation" in words
    assert "No notes yet." in words
    assert_form_markup(page)

    response = member.post(url(action), {"text": "Met the trustees; they agreed."})
    assert response.status_code == 302
    page = member.get(url(action))
    assert "Met the trustees; they agreed." in text(page)
    assert "Milo Member" in text(page)

    response = member.post(url(action), {"text": "   "})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_text": "Enter your progress note"})
    assert action.notes.count() == 1


def test_changing_an_action(world):
    action = own_action(world.org, world.admin, "Write the vision", due_date=datetime.date(2027, 5, 1))
    member = client_for(world.member)
    page = member.get(url(action, "edit"))
    assert page.status_code == 200
    assert_form_markup(page)
    fields = form_fields(page)
    assert (fields["due_date_day"], fields["due_date_month"], fields["due_date_year"]) == ("1", "5", "2027")
    assert fields["status"] == ActionStatus.NOT_STARTED
    assert set(radio_choices(page)["status"]) == {"not_started", "in_progress", "done", "dropped"}

    fields.update(title="Write the vision with people we support", owner="Priya", status="done")
    fields.update(date_fields("due_date", "2", "6", "2027"))
    response = member.post(url(action, "edit"), fields)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == ("Write the vision with people we support", "Priya", "done")
    assert action.due_date == datetime.date(2027, 6, 2)
    assert action.completed_at is not None
    assert LogEntry.objects.get_for_object(action).latest("timestamp").actor == world.member


def test_changing_an_action_with_a_bad_date_keeps_it_as_it_was(world):
    action = own_action(world.org, world.admin, "Write the vision", due_date=datetime.date(2027, 5, 1))
    member = client_for(world.member)
    fields = form_fields(member.get(url(action, "edit")))
    fields.update(date_fields("due_date", "30", "2", "2027"), status="in_progress")
    response = member.post(url(action, "edit"), fields)
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_due_date": "must be a real date"})
    action.refresh_from_db()
    assert (action.due_date, action.status) == (datetime.date(2027, 5, 1), ActionStatus.NOT_STARTED)


def test_a_suggestion_is_decided_before_it_is_changed(world, drafted):
    vision = action_titled("Write a one-page vision with the people you support")
    member = client_for(world.member)
    response = member.get(url(vision, "edit"))
    assert response.status_code == 302
    assert response["Location"] == url(vision)
    page = member.get(url(vision))
    assert "This is a suggestion waiting for your decision." in text(page)
    assert 'value="accept"' in html(page)


def test_removing_an_action_asks_first(world):
    action = own_action(world.org, world.admin, "Write the vision")
    services.add_note(action, "Started", by=world.admin)
    member = client_for(world.member)
    page = member.get(url(action, "remove"))
    assert page.status_code == 200
    assert "Are you sure you want to remove this action?" in text(page)
    assert "with its 1 progress note" in text(page)
    assert Action.objects.filter(pk=action.pk).exists()  # looking removes nothing

    response = member.post(url(action, "remove"))
    assert response.status_code == 302
    assert response["Location"] == plan_url(world.org)
    assert not Action.objects.filter(pk=action.pk).exists()


def test_target_date_actions_show_their_source(world, instruments):
    submitted(
        world.org,
        "workforce-ladder",
        {"workforce-development": {"level": 2, "target_dates": {"3": "2027-03-31"}}},
        world.admin,
    )
    action = Action.objects.get(source=ActionSource.TARGET_DATE)
    words = text(client_for(world.member).get(plan_url(world.org)))
    assert action.title in words
    assert "A target date you set" in words
    assert "31 March 2027" in words
    assert "Person-centred workforce ladder" in text(client_for(world.member).get(url(action)))


# --- targets ------------------------------------------------------------------------------


def targets_url(assessment) -> str:
    return reverse("plans:targets", args=[assessment.organisation.slug, assessment.pk])


def test_setting_targets(world, instruments):
    suggest(HEALTH_CHECK, "values-and-culture", "vision")
    suggest(HEALTH_CHECK, "trustee-board", "board")
    Target.objects.create(organisation=world.org, instrument_key=HEALTH_CHECK, item_key="values-and-culture", level=1)
    assessment = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}, "trustee-board": {"level": 2}}, world.admin
    )
    assert not Action.objects.filter(item_key="values-and-culture").exists()  # at its own target

    member = client_for(world.member)
    page = member.get(targets_url(assessment))
    assert page.status_code == 200
    assert_form_markup(page)
    fields = form_fields(page)
    assert fields == {
        "target-values-and-culture": "1",
        "target-trustee-board": "3",
        # What the page showed, so that saving never quietly undoes someone else's change.
        "seen-values-and-culture": "1",
        "seen-trustee-board": "3",
    }
    assert "(one step up: suggested)" in text(page)
    assert "(where you are now: no new actions)" in text(page)
    assert radio_choices(page)["target-values-and-culture"] == ["1", "2", "3"]

    fields["target-values-and-culture"] = "3"
    response = member.post(targets_url(assessment), fields, follow=True)
    assert response.redirect_chain[-1][0] == plan_url(world.org)
    assert "1 new suggestion is waiting for your decision." in text(response)
    assert Target.objects.get(item_key="values-and-culture").level == 3
    assert Target.objects.get(item_key="trustee-board").level == 3
    assert Action.objects.get(item_key="values-and-culture").status == ActionStatus.SUGGESTED


def test_a_target_off_the_list_is_explained(world, instruments):
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.admin)
    response = client_for(world.member).post(targets_url(assessment), {"target-values-and-culture": "1"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(
        response, expected={"#id_target-values-and-culture_0": "Choose a target for ‘Values and culture’"}
    )
    assert not Target.objects.exists()


def test_targets_are_for_submitted_assessments_and_people_who_may_change_the_plan(world, instruments):
    from personfirst.readiness.assessments import services as readiness_services

    draft = readiness_services.start(organisation=world.org, instrument=instruments[HEALTH_CHECK], by=world.admin)
    assert client_for(world.admin).get(targets_url(draft)).status_code == 404
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.admin)
    assert client_for(world.platform).get(targets_url(assessment)).status_code == 403
    assert client_for(world.worker).get(targets_url(assessment)).status_code == 200
    # An older assessment's targets page leads to the latest one's.
    newer = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 3}}, world.admin)
    response = client_for(world.worker).get(targets_url(assessment))
    assert (response.status_code, response["Location"]) == (302, targets_url(newer))


# --- other pages ------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_organisation_home_page_flags_overdue_actions(world):
    home = reverse("organisations:detail", args=[world.org.slug])
    admin = client_for(world.admin)
    own_action(world.org, world.admin, "Due today", due_date=datetime.date(2027, 3, 10))
    assert 'id="overdue-actions"' not in html(admin.get(home))  # nothing overdue: nothing shown

    for day in (1, 2, 3, 4):
        own_action(world.org, world.admin, f"Late step {day}", owner="Sam", due_date=datetime.date(2027, 3, day))
    done = own_action(world.org, world.admin, "Late but done", due_date=datetime.date(2027, 2, 1))
    services.set_status(done, ActionStatus.DONE, by=world.admin)

    page = admin.get(home)
    words = text(page)
    assert "4 actions in your plan are overdue" in words
    for day in (1, 2, 3):
        assert f"Late step {day}: due {day} March 2027 (Sam)" in words
    assert "Late step 4" not in words and "And 1 more." in words
    assert "Late but done" not in words
    assert f'href="{plan_url(world.org)}?show=overdue#plan"' in html(page)


def test_the_organisation_pages_link_to_the_plan(world):
    page = client_for(world.member).get(reverse("organisations:detail", args=[world.org.slug]))
    assert f'href="{plan_url(world.org)}"' in html(page)
    assert ">Action plan<" in html(page)


def test_the_results_page_links_to_the_plan_and_the_targets(world, instruments):
    assessment = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.admin)
    results = reverse("readiness:results", args=[world.org.slug, assessment.pk])
    page = client_for(world.member).get(results)
    assert "See the action plan" in text(page)
    assert f'href="{targets_url(assessment)}"' in html(page)
    page = client_for(world.platform).get(results)
    assert "See the action plan" in text(page)
    assert f'href="{targets_url(assessment)}"' not in html(page)  # may not change the plan


def test_the_plan_page_takes_the_same_number_of_queries_however_long_the_plan(world, drafted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = client_for(world.member)
    member.get(plan_url(world.org))  # the session settles
    counts = []
    for _round in range(2):
        for number in range(10):
            own_action(world.org, world.admin, f"Step {number}", due_date=datetime.date(2020, 1, number + 1))
        with CaptureQueriesContext(connection) as queries:
            page = member.get(plan_url(world.org))
        assert "Step 9" in text(page)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- when someone else got there first (issue 9) ----------------------------------------------


def first_run(monkeypatch, other) -> None:
    """Make ``other`` (someone else's request) happen just before this
    request takes the plan's lock: after the view has read the action."""
    real = services._lock_plan

    def lock_after_other(organisation_id):
        monkeypatch.setattr(services, "_lock_plan", real)
        other()
        real(organisation_id)

    monkeypatch.setattr(services, "_lock_plan", lock_after_other)


def test_a_suggestion_withdrawn_while_you_accept_it_is_explained_on_the_plan(world, drafted, monkeypatch):
    vision = action_titled("Write a one-page vision with the people you support")
    first_run(monkeypatch, lambda: Action.objects.filter(pk=vision.pk).delete())

    response = client_for(world.member).post(url(vision, "decide"), {"decision": "accept"}, follow=True)

    assert response.redirect_chain[-1][0] == plan_url(world.org)
    assert (
        "‘Write a one-page vision with the people you support’ is no longer waiting for a decision: it was "
        "withdrawn when the plan was drafted again, or someone removed it. Nothing was changed." in text(response)
    )
    assert "govuk-notification-banner" in html(response)


def test_an_action_removed_while_you_change_it_or_add_a_note_is_explained(world, monkeypatch):
    action = own_action(world.org, world.admin, "Write the vision")
    member = client_for(world.member)
    fields = form_fields(member.get(url(action, "edit")))
    fields["owner"] = "Priya"
    first_run(monkeypatch, lambda: Action.objects.filter(pk=action.pk).delete())

    response = member.post(url(action, "edit"), fields, follow=True)

    assert response.redirect_chain[-1][0] == plan_url(world.org)
    assert "‘Write the vision’ is no longer in the plan: someone else has removed it. Nothing was changed." in text(
        response
    )

    again = own_action(world.org, world.admin, "Ring the council")
    first_run(monkeypatch, lambda: Action.objects.filter(pk=again.pk).delete())
    response = member.post(url(again), {"text": "Left a message."}, follow=True)
    # The note is given back, so that nothing typed is lost.
    assert "so your note was not added. Your note was: Left a message." in text(response)


def test_targets_changed_by_someone_else_meanwhile_are_shown_and_kept_unless_you_save_again(world, instruments):
    assessment = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}, "trustee-board": {"level": 1}}, world.admin
    )
    admin, member = client_for(world.admin), client_for(world.member)
    mine = form_fields(member.get(targets_url(assessment)))  # both load the page
    theirs = form_fields(admin.get(targets_url(assessment)))
    theirs["target-values-and-culture"] = "3"
    assert admin.post(targets_url(assessment), theirs).status_code == 302

    mine["target-values-and-culture"] = "1"  # a different choice for the same question
    response = member.post(targets_url(assessment), mine)

    assert response.status_code == 409
    words = text(response)
    assert (
        "Someone else changed the target for ‘Values and culture’ while you were choosing. Nothing was saved." in words
    )
    assert "The targets are now:" in words
    assert Target.objects.get(item_key="values-and-culture").level == 3
    # Their choice stays chosen; saving again keeps it.
    fields = form_fields(response)
    assert fields["target-values-and-culture"] == "1" and fields["seen-values-and-culture"] == "3"
    assert member.post(targets_url(assessment), fields).status_code == 302
    assert Target.objects.get(item_key="values-and-culture").level == 1


def test_targets_you_left_alone_keep_someone_elses_change(world, instruments):
    assessment = submitted(
        world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}, "trustee-board": {"level": 1}}, world.admin
    )
    admin, member = client_for(world.admin), client_for(world.member)
    mine = form_fields(member.get(targets_url(assessment)))
    theirs = form_fields(admin.get(targets_url(assessment)))
    theirs["target-values-and-culture"] = "3"
    assert admin.post(targets_url(assessment), theirs).status_code == 302

    mine["target-trustee-board"] = "4"
    assert member.post(targets_url(assessment), mine).status_code == 302

    assert Target.objects.get(item_key="values-and-culture").level == 3  # not undone by the later save
    assert Target.objects.get(item_key="trustee-board").level == 4


def test_an_action_changed_by_someone_else_meanwhile_keeps_their_change_or_asks_again(world):
    action = own_action(world.org, world.admin, "Write the vision", owner="Sam")
    admin, member = client_for(world.admin), client_for(world.member)
    mine = form_fields(member.get(url(action, "edit")))  # both open the form
    theirs = form_fields(admin.get(url(action, "edit")))
    theirs.update(owner="Priya")
    assert admin.post(url(action, "edit"), theirs).status_code == 302

    # A change to something else keeps theirs.
    response = member.post(url(action, "edit"), {**mine, "status": "in_progress"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.status) == ("Priya", "in_progress")

    # A different change to the same thing is shown, and nothing is saved.
    mine = form_fields(member.get(url(action, "edit")))
    theirs = form_fields(admin.get(url(action, "edit")))
    assert admin.post(url(action, "edit"), {**theirs, "owner": "Kim"}).status_code == 302
    response = member.post(url(action, "edit"), {**mine, "owner": "Jo"})
    assert response.status_code == 409
    assert (
        "Someone else changed who will make sure it happens of ‘Write the vision’ while you were changing it. "
        "Nothing was saved. It now says who will make sure it happens: ‘Kim’." in text(response)
    )
    action.refresh_from_db()
    assert action.owner == "Kim"
    again = form_fields(response)
    assert (again["owner"], again["seen-owner"]) == ("Jo", "Kim")  # yours kept; saving again keeps it
    assert member.post(url(action, "edit"), again).status_code == 302
    action.refresh_from_db()
    assert action.owner == "Jo"


# --- suggestions grouped by assessment, then section; a whole group decided at once (issue 11) ---


@pytest.fixture
def two_assessments(world, instruments):
    """Suggestions from a health check (one section, two suggestions) and from
    a flexible services check (one section "Giving flexible support", two items)."""
    suggest(HEALTH_CHECK, "values-and-culture", "vision", title="Write a one-page vision")
    suggest(HEALTH_CHECK, "values-and-culture", "session", title="Run a team session")
    suggest("flexible-services", "focus-on-outcomes", "outcomes", title="Ask people what matters to them")
    suggest("flexible-services", "flexible-to-the-plan", "flex", title="Let plans change week to week")
    health = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    flexible = submitted(
        world.org,
        "flexible-services",
        {"focus-on-outcomes": {"option": "not-met"}, "flexible-to-the-plan": {"option": "not-met"}},
        world.admin,
    )
    return health, flexible


def summaries(page) -> list[str]:
    found = re.findall(r'<span class="govuk-details__summary-text">(.*?)</span>', html(page), re.S)
    return [" ".join(summary.split()) for summary in found]


def test_suggestions_are_grouped_by_assessment_then_section_with_distinct_headings(world, two_assessments):
    health, flexible = two_assessments
    page = client_for(world.admin).get(plan_url(world.org))
    words = text(page)
    # One heading per assessment, the latest first, with its count.
    first = words.index(f"From the {flexible.version.title} submitted on")
    second = words.index(f"From the {health.version.title} submitted on")
    assert first < second
    assert f"{flexible.version.title} submitted on {flexible.submitted_at:%-d %B %Y}: 2 suggestions" in words
    # One section group for the two items of "Giving flexible support", not one per item.
    found = summaries(page)
    assert len(found) == len(set(found)) == 2
    assert any(summary.endswith("(2 suggestions)") for summary in found)


def test_accepting_a_whole_group_puts_every_suggestion_in_the_plan_in_order(world, two_assessments):
    _health, flexible = two_assessments
    group = list(Action.objects.filter(assessment=flexible, status=ActionStatus.SUGGESTED).order_by("position"))
    assert len(group) == 2
    admin = client_for(world.admin)
    decide_url = reverse("plans:decide-group", args=[world.org.slug])
    response = admin.post(decide_url, {"decision": "accept", "action": [a.pk for a in group]})
    assert response.status_code == 302
    accepted = list(Action.objects.filter(pk__in=[a.pk for a in group]).order_by("position"))
    assert [a.status for a in accepted] == [ActionStatus.NOT_STARTED] * 2
    assert [a.pk for a in accepted] == [a.pk for a in group]  # in the order they were suggested
    assert "2 suggestions are now in your plan" in text(admin.get(plan_url(world.org)))
    # The health check's suggestions are untouched.
    assert Action.objects.filter(status=ActionStatus.SUGGESTED).count() == 2


def test_setting_aside_a_group_and_deciding_it_again(world, two_assessments):
    health, _flexible = two_assessments
    ids = list(Action.objects.filter(assessment=health).values_list("pk", flat=True))
    admin = client_for(world.admin)
    decide_url = reverse("plans:decide-group", args=[world.org.slug])
    admin.post(decide_url, {"decision": "drop", "action": ids})
    assert set(Action.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ActionStatus.DROPPED}
    # The same group again (another tab): nothing changes, and the person is told.
    response = admin.post(decide_url, {"decision": "accept", "action": ids}, follow=True)
    assert "None of these suggestions is waiting for a decision any more" in text(response)
    assert set(Action.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ActionStatus.DROPPED}


def test_a_group_decision_touches_only_the_organisations_own_suggestions(world, two_assessments):
    theirs = Action.objects.create(organisation=world.other_org, title="Theirs", status=ActionStatus.SUGGESTED)
    decide_url = reverse("plans:decide-group", args=[world.org.slug])
    response = client_for(world.admin).post(decide_url, {"decision": "accept", "action": [theirs.pk]}, follow=True)
    assert "None of these suggestions is waiting" in text(response)
    theirs.refresh_from_db()
    assert theirs.status == ActionStatus.SUGGESTED


@pytest.mark.parametrize("data", [{"decision": "maybe", "action": ["1"]}, {"decision": "accept"}, {}])
def test_a_group_decision_without_a_choice_or_suggestions_says_what_to_do(world, two_assessments, data):
    decide_url = reverse("plans:decide-group", args=[world.org.slug])
    response = client_for(world.admin).post(decide_url, data, follow=True)
    assert "Choose ‘Accept all’ or ‘None of these are for us’" in text(response)
    assert Action.objects.filter(status=ActionStatus.SUGGESTED).count() == 4


def test_those_who_may_only_look_cannot_decide_a_group(world, two_assessments):
    ids = list(Action.objects.values_list("pk", flat=True))
    decide_url = reverse("plans:decide-group", args=[world.org.slug])
    assert client_for(world.platform).post(decide_url, {"decision": "drop", "action": ids}).status_code == 403
    assert client_for(world.commissioner).post(decide_url, {"decision": "drop", "action": ids}).status_code in (
        403,
        404,
    )
    assert Action.objects.filter(status=ActionStatus.SUGGESTED).count() == 4


def test_add_your_own_action_comes_after_the_plan(world, drafted):
    words = text(client_for(world.admin).get(plan_url(world.org)))
    assert words.index("Your plan") < words.index("Add your own action")
    assert words.index("Suggestions waiting") < words.index("Add your own action")


def test_targets_say_which_assessment_they_belong_to_and_older_results_say_where_their_link_goes(world, instruments):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=LONDON)):
        older = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 2}}, world.admin)
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=LONDON)):
        newer = submitted(world.org, HEALTH_CHECK, {"values-and-culture": {"level": 1}}, world.admin)
    admin = client_for(world.admin)
    title = newer.version.title
    page = text(admin.get(targets_url(newer)))
    assert f"Set your targets for the {title} submitted on 1 March 2027" in page
    # From last year's results: the link says it goes to this year's targets.
    results = admin.get(reverse("readiness:results", args=[world.org.slug, older.pk]))
    assert f'href="{targets_url(newer)}"' in html(results)
    assert f"Set your targets for your latest {title}, submitted on 1 March 2027" in text(results)
    assert f'href="{targets_url(older)}"' not in html(results)
    # This year's results link to their own.
    assert f"Set your targets for this {title}" in text(
        admin.get(reverse("readiness:results", args=[world.org.slug, newer.pk]))
    )
    # An old address of the targets page says where it has gone.
    followed = admin.get(targets_url(older), follow=True)
    assert "Targets are set against your latest" in text(followed)
    assert "not the one submitted on 1 March 2026" in text(followed)
