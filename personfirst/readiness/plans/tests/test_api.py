"""The action plan API: listing (with a status filter), adding your own
action, changing one, accepting or setting aside a suggestion. Every error
is JSON, as everywhere under /api/."""

from __future__ import annotations

import datetime
import json

import pytest
from auditlog.models import LogEntry

from personfirst.readiness.plans import services
from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus

pytestmark = pytest.mark.django_db

API = "/api/v1"
JSON = "application/json"


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"]
    return body


def field_errors(response) -> dict[str, str]:
    body = error(response, 422)
    return {e["field"]: e["message"] for e in body["errors"]}


def make(world, title, status=ActionStatus.NOT_STARTED, organisation=None, **extra) -> Action:
    return Action.objects.create(
        organisation=organisation or world.org, title=title, status=status, created_by=world.admin, **extra
    )


def plan_path(organisation) -> str:
    return f"{API}/organisations/{organisation.slug}/plan/actions"


def action_path(action, suffix="") -> str:
    return f"{API}/plan/actions/{action.pk}{suffix}"


def patch(client, action, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.patch(action_path(action), data, content_type=JSON)


def post(client, path, body=None):
    return client.post(path, json.dumps(body) if body is not None else "", content_type=JSON)


# --- reading ----------------------------------------------------------------------------


def test_listing_the_plan_with_and_without_a_filter(world, api_client_for):
    first = make(world, "First", position=1, owner="Sam", due_date=datetime.date(2020, 1, 1))
    make(world, "Waiting", ActionStatus.SUGGESTED, position=2)
    make(world, "Not for us", ActionStatus.DROPPED, position=3)
    make(world, "Someone else's", organisation=world.other_org)
    services.add_note(first, "Under way", by=world.member)
    client = api_client_for(world.member)

    response = client.get(plan_path(world.org))
    assert response.status_code == 200
    listed = response.json()
    assert [a["title"] for a in listed] == ["First", "Waiting"]  # set aside: left out
    assert listed[0] | {"created_at": None} == {
        "id": first.pk,
        "organisation": world.org.slug,
        "title": "First",
        "why": "",
        "detail": "",
        "owner": "Sam",
        "due_date": "2020-01-01",
        "status": "not_started",
        "overdue": True,
        "source": "own",
        "instrument": None,
        "item": None,
        "assessment": None,
        "position": 1,
        "created_at": None,
        "completed_at": None,
        "notes": [
            {"text": "Under way", "written_by": "Milo Member", "written_at": listed[0]["notes"][0]["written_at"]}
        ],
    }

    assert [a["title"] for a in client.get(plan_path(world.org), {"status": "dropped"}).json()] == ["Not for us"]
    assert [a["title"] for a in client.get(plan_path(world.org), {"status": "suggested"}).json()] == ["Waiting"]
    assert "status" in str(error(client.get(plan_path(world.org), {"status": "finished"}), 422))


def test_one_action(world, api_client_for):
    action = make(world, "One")
    assert api_client_for(world.platform).get(action_path(action)).json()["title"] == "One"
    error(api_client_for(world.commissioner).get(action_path(action)), 404)


# --- adding -------------------------------------------------------------------------------


def test_adding_your_own_action(world, api_client_for):
    make(world, "Already there", position=4)
    response = post(
        api_client_for(world.worker),
        plan_path(world.org),
        {"title": " Ask three people to join our planning day ", "owner": "Sam", "due_date": "2027-03-31"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["owner"], body["due_date"]) == (
        "Ask three people to join our planning day",
        "Sam",
        "2027-03-31",
    )
    assert (body["status"], body["source"], body["position"]) == ("not_started", "own", 5)
    action = Action.objects.get(pk=body["id"])
    assert action.created_by == world.worker
    assert LogEntry.objects.get_for_object(action).get().actor == world.worker


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x", "due_date": "2027-02-30"}, "due_date"),
        ({"title": "x", "owner": "o" * 121}, "owner"),
        ({"title": "x", "status": "done"}, "status"),  # not a field of a new action
        ({"title": "x\x00"}, "title"),
    ],
)
def test_adding_something_not_valid(world, api_client_for, body, field):
    errors = field_errors(post(api_client_for(world.member), plan_path(world.org), body))
    assert field in errors
    assert not Action.objects.exists()


def test_adding_is_for_people_who_may_change_the_plan(world, api_client_for):
    error(post(api_client_for(world.platform), plan_path(world.org), {"title": "x"}), 403)
    error(post(api_client_for(world.commissioner), plan_path(world.org), {"title": "x"}), 404)
    error(post(api_client_for(world.outsider), plan_path(world.org), {"title": "x"}), 404)
    error(world_client_without_token().post(plan_path(world.org), "{}", content_type=JSON), 401)
    error(api_client_for(world.member).post(plan_path(world.org), "not json", content_type=JSON), 400)
    assert not Action.objects.exists()


def world_client_without_token():
    from django.test import Client

    return Client()


# --- changing ----------------------------------------------------------------------------------


def test_changing_an_action(world, api_client_for):
    action = make(world, "Old", owner="Sam", due_date=datetime.date(2027, 1, 1))
    client = api_client_for(world.member)

    body = patch(client, action, {"status": "done", "title": "New", "due_date": None}).json()
    assert (body["title"], body["owner"], body["due_date"], body["status"]) == ("New", "Sam", None, "done")
    assert body["completed_at"] is not None
    action.refresh_from_db()
    assert action.completed_at is not None
    assert LogEntry.objects.get_for_object(action).latest("timestamp").actor == world.member

    body = patch(client, action, {"status": "in_progress", "owner": ""}).json()
    assert (body["status"], body["owner"], body["completed_at"]) == ("in_progress", "", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"status": None}, "status"),
        ({"status": "suggested"}, "status"),
        ({"due_date": "soon"}, "due_date"),
        ({"owner": "Sam", "colour": "red"}, "colour"),
    ],
)
def test_changing_with_something_not_valid(world, api_client_for, body, field):
    action = make(world, "Stays", owner="Kim")
    assert field in field_errors(patch(api_client_for(world.member), action, body))
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == ("Stays", "Kim", ActionStatus.NOT_STARTED)


def test_a_suggestion_is_accepted_before_it_is_changed(world, api_client_for):
    suggestion = make(world, "Waiting", ActionStatus.SUGGESTED, source=ActionSource.LIBRARY)
    error(patch(api_client_for(world.member), suggestion, {"owner": "Sam"}), 409)


def test_changing_is_for_people_who_may_change_the_plan(world, api_client_for):
    action = make(world, "Stays")
    error(patch(api_client_for(world.platform), action, {"owner": "x"}), 403)
    error(patch(api_client_for(world.outsider), action, {"owner": "x"}), 404)
    action.refresh_from_db()
    assert action.owner == ""


# --- deciding on suggestions -----------------------------------------------------------------


def test_accepting_and_dropping_suggestions(world, api_client_for):
    make(world, "In the plan", position=7)
    take = make(world, "Take", ActionStatus.SUGGESTED, position=1)
    leave = make(world, "Leave", ActionStatus.SUGGESTED, position=2)
    client = api_client_for(world.admin)

    body = post(client, action_path(take, "/accept")).json()
    assert (body["status"], body["position"]) == ("not_started", 8)
    assert post(client, action_path(leave, "/drop")).json()["status"] == "dropped"

    error(post(client, action_path(take, "/accept")), 409)
    error(post(client, action_path(leave, "/accept")), 409)  # set aside for good
    error(post(client, action_path(take, "/drop")), 409)
    leave.refresh_from_db()
    assert leave.status == ActionStatus.DROPPED


def test_deciding_is_for_people_who_may_change_the_plan(world, api_client_for):
    suggestion = make(world, "Waiting", ActionStatus.SUGGESTED)
    error(post(api_client_for(world.platform), action_path(suggestion, "/accept")), 403)
    error(post(api_client_for(world.commissioner), action_path(suggestion, "/drop")), 404)
    suggestion.refresh_from_db()
    assert suggestion.status == ActionStatus.SUGGESTED


def test_the_operations_are_described(world):
    from django.test import Client

    schema = Client().get(f"{API}/openapi.json").json()
    operations = {
        operation["operationId"]: operation for path in schema["paths"].values() for operation in path.values()
    }
    for name in (
        "list_plan_actions",
        "create_plan_action",
        "get_plan_action",
        "update_plan_action",
        "accept_suggestion",
        "drop_suggestion",
    ):
        assert operations[name]["summary"], name
        assert operations[name]["tags"] == ["Action plans"]
    assert {"409", "422", "403", "404"} <= set(operations["update_plan_action"]["responses"])
