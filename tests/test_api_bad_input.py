"""Bad input gets a clear 4xx naming what is wrong, never a 500: a revision
for an answer that does not exist, target-date keys written with digits of
another script, and bodies larger than the server reads (for the API and for
web forms alike)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.models import Answer
from personfirst.readiness.assessments.tests.test_api import API, JSON, agreed, assert_json_error, field_errors, put


@pytest.fixture
def admin_api(world, api_client_for):
    return api_client_for(world.admin)


@pytest.fixture
def instruments(db):
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    return load_shipped()


@pytest.fixture
def assessment(world, instruments):
    return services.start(organisation=world.org, instrument=instruments["health-check"], by=world.admin)


@pytest.fixture
def ladder(world, instruments):
    """A workforce ladder: its milestones item takes target dates for levels 2 to 5."""
    return services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)


# --- Revisions --------------------------------------------------------------------------------


@pytest.mark.parametrize("revision", [1, 5, 2**31])
def test_a_revision_for_an_item_never_answered_is_a_409_with_the_current_state(admin_api, assessment, revision):
    body = assert_json_error(put(admin_api, assessment, "trustee-board", {"level": 2, "revision": revision}), 409)
    assert "no answer yet" in body["detail"] and "revision 0" in body["detail"]
    assert not Answer.objects.exists()


def test_revision_0_for_an_item_never_answered_saves_it(admin_api, assessment):
    response = put(admin_api, assessment, "trustee-board", {"level": 2, "revision": 0})
    assert response.status_code == 200
    assert response.json()["revision"] == 1


def test_a_revision_ahead_of_the_stored_one_is_a_409(admin_api, assessment):
    assert put(admin_api, assessment, "trustee-board", {"level": 2}).status_code == 200
    body = assert_json_error(put(admin_api, assessment, "trustee-board", {"level": 3, "revision": 7}), 409)
    assert "revision 1" in body["detail"]
    assert agreed(assessment, "trustee-board").level == 2


# --- Target-date keys ---------------------------------------------------------------------------

# Each of these is a "digit" to str.isdigit(), but only 0-9 write a level.
OTHER_DIGITS = [
    "²",
    "³",
    "٣",
    "३",
    "３",
    "𝟑",
    "3\n",
    " 3",
    "+3",
    "03",
    "3.0",
    "",
    "-3",
    pytest.param("3" * 5000, id="5000-digits"),
]


@pytest.mark.parametrize("key", OTHER_DIGITS)
def test_a_target_date_key_must_be_a_level_in_plain_digits(admin_api, ladder, key):
    response = put(admin_api, ladder, "workforce-development", {"level": 2, "target_dates": {key: "2027-03-31"}})
    errors = field_errors(response)
    assert "target_dates" in errors, errors
    assert "levels 2 to 5" in errors["target_dates"]
    assert not Answer.objects.exists()


def test_plain_digit_keys_still_work(admin_api, ladder):
    response = put(admin_api, ladder, "workforce-development", {"level": 2, "target_dates": {"3": "2027-03-31"}})
    assert response.status_code == 200
    assert response.json()["target_dates"] == {"3": "2027-03-31"}


# --- Bodies over the limit ---------------------------------------------------------------------


def test_a_body_under_the_limit_is_read_and_checked(admin_api, assessment):
    body = json.dumps({"level": 2, "notes": "x" * 1_000_000})
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    errors = field_errors(put(admin_api, assessment, "trustee-board", body))
    assert "notes" in errors


@pytest.mark.parametrize("size", [3_000_000, 10_000_000])
def test_an_api_body_over_the_limit_is_a_json_413(world, admin_api, assessment, size):
    body = json.dumps({"level": 2, "notes": "x" * size})
    for response in (
        put(admin_api, assessment, "trustee-board", body),
        admin_api.patch(f"{API}/organisations/{world.org.slug}", body, content_type=JSON),
        admin_api.post(f"{API}/organisations/{world.org.slug}/plan/actions", body, content_type=JSON),
    ):
        detail = assert_json_error(response, 413)["detail"]
        assert "too large" in detail and "MB" in detail
    assert not Answer.objects.exists()


@pytest.mark.parametrize("enforce_csrf_checks", [False, True])
def test_a_web_form_over_the_limit_is_a_clear_413_page(world, enforce_csrf_checks):
    """Whoever reads the form first (the CSRF check, or the view), the answer is the same page."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(world.admin)
    url = f"/organisations/{world.org.slug}/edit/"
    assert client.get(url).status_code == 200  # sets the CSRF cookie, as a browser would have it
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(url, {"csrfmiddlewaretoken": token, "name": "x" * 3_000_000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "too large" in page and "MB" in page
    assert "Nothing you sent has been saved" in page
    world.org.refresh_from_db()
    assert world.org.name == "Eastmere Carers' Centre"


# --- Strict types: no quiet conversions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"volunteers": False}, "volunteers"),
        ({"paid_staff": True}, "paid_staff"),
        ({"paid_staff": "5"}, "paid_staff"),
        ({"type": None}, "type"),
        ({"name": None}, "name"),
        ({"services": None}, "services"),
        ({"description": None}, "description"),
        ({"paid_staff": None}, "paid_staff"),
    ],
)
def test_patching_an_organisation_with_the_wrong_type_is_a_422_naming_the_field(world, admin_api, body, field):
    response = admin_api.patch(f"{API}/organisations/{world.org.slug}", json.dumps(body), content_type=JSON)
    assert field in field_errors(response)
    world.org.refresh_from_db()
    assert (world.org.volunteers, world.org.paid_staff, world.org.org_type) == (25, 6, "voluntary")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "due_date": 0}, "due_date"),
        ({"title": "x", "due_date": 1_800_000_000}, "due_date"),
        ({"title": "x", "due_date": "2027-03-31T00:00:00"}, "due_date"),
        ({"title": "x", "due_date": "２０２７-03-31"}, "due_date"),
        ({"title": True}, "title"),
        ({"title": "x", "why": None}, "why"),
        ({"title": "x", "owner": None}, "owner"),
    ],
)
def test_adding_an_action_with_the_wrong_type_is_a_422_naming_the_field(world, admin_api, body, field):
    from personfirst.readiness.plans.models import Action

    before = Action.objects.count()
    response = admin_api.post(f"{API}/organisations/{world.org.slug}/plan/actions", json.dumps(body), content_type=JSON)
    assert field in field_errors(response)
    assert Action.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"why": None}, "why"),
        ({"owner": None}, "owner"),
        ({"title": None}, "title"),
        ({"status": None}, "status"),
        ({"due_date": 0}, "due_date"),
    ],
)
def test_changing_an_action_with_the_wrong_type_is_a_422_naming_the_field(world, admin_api, body, field):
    from personfirst.readiness.plans import services as plans

    action = plans.add_own(world.org, title="Stays", owner="Kim", by=world.admin)
    response = admin_api.patch(f"{API}/plan/actions/{action.pk}", json.dumps(body), content_type=JSON)
    assert field in field_errors(response)
    action.refresh_from_db()
    assert (action.title, action.owner, action.why) == ("Stays", "Kim", "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": True}, "level"),
        ({"level": "2"}, "level"),
        ({"not_relevant": "yes"}, "not_relevant"),
        ({"not_relevant": 1}, "not_relevant"),
        ({"not_relevant": None}, "not_relevant"),
        ({"notes": None}, "notes"),
        ({"revision": False}, "revision"),
        ({"target_dates": None}, "target_dates"),
    ],
)
def test_an_answer_with_the_wrong_type_is_a_422_naming_the_field(admin_api, assessment, body, field):
    assert field in field_errors(put(admin_api, assessment, "trustee-board", body))
    assert not Answer.objects.exists()


def test_a_target_date_must_be_written_as_a_date(admin_api, ladder):
    body = {"level": 2, "target_dates": {"3": 1_800_000_000}}
    assert "target_dates.3" in field_errors(put(admin_api, ladder, "workforce-development", body))
    assert not Answer.objects.exists()
