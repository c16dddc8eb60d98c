"""The readiness API: instruments, assessments, answers, submission and
scores — the scores exactly those on the web results page — with every
error as JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.models import Answer, Assessment, AssessmentStatus
from personfirst.readiness.assessments.tests.conftest import LEFT_OUT_SECTION, load_shipped, shipped_path
from personfirst.readiness.assessments.tests.pages import results_page, shown_changes, shown_overall, shown_sections
from personfirst.readiness.assessments.tests.reference import level_score, reference_mean, reference_round

JSON = "application/json"
API = "/api/v1"


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(JSON), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict)
    assert isinstance(body.get("detail"), str) and body["detail"]
    return body


def field_errors(response) -> dict[str, str]:
    """{field: message} of a 422 answer, which must name the problem."""
    body = assert_json_error(response, 422)
    assert body["errors"], body
    assert all(set(error) == {"field", "message"} for error in body["errors"])
    return {error["field"]: error["message"] for error in body["errors"]}


def put(client, assessment, item_key, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.put(f"{API}/assessments/{assessment.pk}/answers/{item_key}", data, content_type=JSON)


def agreed(assessment, item_key):
    return Answer.objects.filter(assessment=assessment, item__key=item_key, respondent=None).first()


@pytest.fixture
def admin_api(world, api_client_for):
    return api_client_for(world.admin)


@pytest.fixture
def instruments(db):
    return load_shipped()


@pytest.fixture
def health_check(instruments):
    return instruments["health-check"]


@pytest.fixture
def assessment(world, health_check):
    """A draft health check for Eastmere Carers' Centre."""
    return services.start(organisation=world.org, instrument=health_check, by=world.admin)


# --- instruments ---------------------------------------------------------------------------


def test_instruments_with_sections_and_items_in_file_order(admin_api, instruments):
    response = admin_api.get(f"{API}/instruments")
    assert response.status_code == 200
    body = response.json()
    assert [i["key"] for i in body] == ["flexible-services", "health-check", "workforce-ladder"]
    for instrument in body:
        path = shipped_path(instrument["key"])
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert instrument["title"] == source["title"]
        assert instrument["version"] == source["version"]
        assert instrument["revision"] == 1
        assert [s["key"] for s in instrument["sections"]] == [s["key"] for s in source["sections"]]
        for section, source_section in zip(instrument["sections"], source["sections"], strict=True):
            assert [i["key"] for i in section["items"]] == [i["key"] for i in source_section["items"]]
            for item, source_item in zip(section["items"], source_section["items"], strict=True):
                assert item["type"] == source_item["type"]
                assert item["levels"] == source_item.get("levels", [])
                assert item["prompt"] == source_item["prompt"]
    health = next(i for i in body if i["key"] == "health-check")
    direct = next(s for s in health["sections"] if s["key"] == LEFT_OUT_SECTION)
    assert direct["condition"] == {"provides": ["direct_payment_support"]}
    assert health["sections"][0]["condition"] is None
    flexible = next(i for i in body if i["key"] == "flexible-services")
    assert flexible["sections"][0]["items"][0]["options"] == [
        {"key": "fully-met", "label": "Fully met", "score": 100},
        {"key": "partly-met", "label": "Partly met", "score": 50},
        {"key": "not-met", "label": "Not met", "score": 0},
    ]
    assert flexible["sections"][0]["items"][0]["comments"] is True


def test_the_readiness_operations_are_in_the_openapi_document(admin_api):
    document = Client().get(f"{API}/openapi.json").json()
    operations = {
        operation["operationId"]: (method, path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert operations["list_instruments"] == ("get", f"{API}/instruments")
    assert operations["start_assessment"] == ("post", f"{API}/organisations/{{slug}}/assessments")
    assert operations["list_assessments"] == ("get", f"{API}/organisations/{{slug}}/assessments")
    assert operations["record_answer"] == ("put", f"{API}/assessments/{{pk}}/answers/{{item_key}}")
    assert operations["submit_assessment"] == ("post", f"{API}/assessments/{{pk}}/submit")
    assert operations["get_scores"] == ("get", f"{API}/assessments/{{pk}}/scores")
    record = document["paths"][f"{API}/assessments/{{pk}}/answers/{{item_key}}"]["put"]
    assert {"200", "404", "409", "422"} <= set(record["responses"])


# --- assessments -----------------------------------------------------------------------------


def test_create_and_list_assessments(world, admin_api, instruments):
    response = admin_api.post(
        f"{API}/organisations/{world.org.slug}/assessments",
        json.dumps({"instrument": "health-check"}),
        content_type=JSON,
    )
    assert response.status_code == 201
    created = response.json()
    assert created["organisation"] == world.org.slug
    assert created["instrument"] == "health-check"
    assert (created["version"], created["revision"], created["status"]) == ("1.0", 1, "draft")
    assert created["answers"] == []
    assert created["submitted_at"] is None
    assessment = Assessment.objects.get(pk=created["id"])
    assert assessment.started_by == world.admin

    second = admin_api.post(
        f"{API}/organisations/{world.org.slug}/assessments",
        json.dumps({"instrument": "workforce-ladder"}),
        content_type=JSON,
    ).json()
    listed = admin_api.get(f"{API}/organisations/{world.org.slug}/assessments").json()
    assert [a["id"] for a in listed] == [second["id"], created["id"]]
    assert listed[1]["instrument"] == "health-check"
    assert listed[1]["status"] == "draft"


def test_an_unknown_instrument_is_a_422_naming_it(world, admin_api, instruments):
    response = admin_api.post(
        f"{API}/organisations/{world.org.slug}/assessments", json.dumps({"instrument": "horoscope"}), content_type=JSON
    )
    errors = field_errors(response)
    assert "horoscope" in errors["instrument"]
    assert not Assessment.objects.exists()


def test_a_development_worker_with_access_can_start(world, api_client_for, instruments):
    response = api_client_for(world.worker).post(
        f"{API}/organisations/{world.org.slug}/assessments",
        json.dumps({"instrument": "health-check"}),
        content_type=JSON,
    )
    assert response.status_code == 201


def test_who_may_start_and_list(world, api_client_for, instruments):
    body = json.dumps({"instrument": "health-check"})
    address = f"{API}/organisations/{world.org.slug}/assessments"
    assert_json_error(api_client_for(world.member).post(address, body, content_type=JSON), 403)
    assert api_client_for(world.member).get(address).status_code == 200
    for persona in ("outsider", "commissioner"):
        client = api_client_for(getattr(world, persona))
        assert_json_error(client.post(address, body, content_type=JSON), 404)
        assert_json_error(client.get(address), 404)
    assert not Assessment.objects.exists()


# --- answers -----------------------------------------------------------------------------------


def test_record_a_level_then_change_it(world, admin_api, assessment):
    response = put(
        admin_api, assessment, "trustee-board", {"level": 2, "notes": "  Board meets in May  ", "revision": 0}
    )
    assert response.status_code == 200
    assert response.json() == {
        "item": "trustee-board",
        "level": 2,
        "option": None,
        "not_relevant": False,
        "dont_know": False,
        "text": "",
        "notes": "Board meets in May",
        "target_dates": {},
        "we_option": None,
        "gap": None,
        "evidence": "",
        "achieved_on": None,
        "revision": 1,
        "suggested": False,
    }
    response = put(admin_api, assessment, "trustee-board", {"level": 3, "revision": 1})
    assert response.json()["revision"] == 2
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.notes, stored.revision, stored.updated_by) == (3, "", 2, world.admin)
    assessment_body = admin_api.get(f"{API}/assessments/{assessment.pk}").json()
    assert [(a["item"], a["level"]) for a in assessment_body["answers"]] == [("trustee-board", 3)]


def test_record_not_relevant(admin_api, assessment):
    response = put(admin_api, assessment, "marketing", {"not_relevant": True})
    assert response.status_code == 200
    assert response.json()["not_relevant"] is True
    assert agreed(assessment, "marketing").not_relevant


def test_record_an_option(world, admin_api, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    response = put(admin_api, assessment, "focus-on-outcomes", {"option": "partly-met", "notes": "Ask at reviews"})
    assert response.status_code == 200
    assert (response.json()["option"], response.json()["level"]) == ("partly-met", None)
    assert agreed(assessment, "focus-on-outcomes").option == "partly-met"


def test_record_target_dates(world, admin_api, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    response = put(
        admin_api,
        assessment,
        "workforce-development",
        {"level": 2, "target_dates": {"3": "2027-03-31", "5": "2029-01-31"}},
    )
    assert response.status_code == 200
    assert response.json()["target_dates"] == {"3": "2027-03-31", "5": "2029-01-31"}


@pytest.mark.parametrize(
    ("item_key", "body", "field", "words"),
    [
        ("trustee-board", {"level": 5}, "level", "levels 1 to 4"),
        ("trustee-board", {"level": 0}, "level", "greater than or equal to 1"),
        ("trustee-board", {"level": "high"}, "level", "integer"),
        ("trustee-board", {"option": "fully-met"}, "option", "takes a level"),
        ("trustee-board", {"level": 2, "not_relevant": True}, "not_relevant", "not both"),
        ("trustee-board", {"target_dates": {"2": "2027-01-01"}}, "target_dates", "does not take target dates"),
        ("trustee-board", {"notes": "x" * 5001}, "notes", "5,000 characters or fewer"),
        ("trustee-board", {"levle": 2}, "levle", "Extra inputs are not permitted"),
        ("trustee-board", {"revision": -1}, "revision", "greater than or equal to 0"),
        ("trustee-board", {"notes": "a\x00b"}, "notes", "Null characters"),
        ("focus-on-outcomes", {"level": 1}, "level", "takes an option"),
        ("focus-on-outcomes", {"option": "brilliant"}, "option", "fully-met, partly-met, not-met"),
        ("workforce-development", {"level": 2, "target_dates": {"9": "2027-01-01"}}, "target_dates", "levels 2 to 5"),
        ("workforce-development", {"level": 2, "target_dates": {"3": "2027-02-31"}}, "target_dates.3", "date"),
    ],
)
def test_invalid_answers_are_a_422_naming_the_problem(world, admin_api, instruments, item_key, body, field, words):
    instrument = (
        "flexible-services"
        if item_key == "focus-on-outcomes"
        else ("workforce-ladder" if item_key == "workforce-development" else "health-check")
    )
    assessment = services.start(organisation=world.org, instrument=instruments[instrument], by=world.admin)
    errors = field_errors(put(admin_api, assessment, item_key, body))
    assert field in errors, errors
    assert words in errors[field], errors
    assert not Answer.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null"])
def test_a_body_that_is_not_an_answer_is_a_json_error(admin_api, assessment, body):
    response = put(admin_api, assessment, "trustee-board", body)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)
    assert not Answer.objects.exists()


def test_an_unknown_item_is_a_404(admin_api, assessment):
    body = assert_json_error(put(admin_api, assessment, "no-such-item", {"level": 1}), 404)
    assert "no-such-item" in body["detail"]


def test_an_item_in_a_left_out_section_is_a_422(admin_api, assessment):
    errors = field_errors(put(admin_api, assessment, LEFT_OUT_SECTION, {"level": 2}))
    assert "does not apply" in " ".join(errors.values())
    assert not Answer.objects.exists()


def test_a_stale_revision_is_a_409_and_changes_nothing(world, admin_api, api_client_for, assessment):
    assert put(admin_api, assessment, "trustee-board", {"level": 2, "revision": 0}).status_code == 200
    worker = api_client_for(world.worker)
    body = assert_json_error(put(worker, assessment, "trustee-board", {"level": 4, "revision": 0}), 409)
    assert "revision 1" in body["detail"]
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.revision, stored.updated_by) == (2, 1, world.admin)
    # The same answer is not a conflict; a fresh revision wins.
    assert put(worker, assessment, "trustee-board", {"level": 2, "revision": 0}).status_code == 200
    assert put(worker, assessment, "trustee-board", {"level": 4, "revision": 1}).json()["revision"] == 2


def test_members_cannot_record_and_others_are_not_told_it_exists(world, api_client_for, assessment):
    assert_json_error(put(api_client_for(world.member), assessment, "trustee-board", {"level": 2}), 403)
    assert_json_error(api_client_for(world.member).post(f"{API}/assessments/{assessment.pk}/submit"), 403)
    assert api_client_for(world.member).get(f"{API}/assessments/{assessment.pk}/scores").status_code == 200
    for persona in ("outsider", "commissioner"):
        client = api_client_for(getattr(world, persona))
        assert_json_error(put(client, assessment, "trustee-board", {"level": 2}), 404)
        assert_json_error(client.get(f"{API}/assessments/{assessment.pk}"), 404)
        assert_json_error(client.get(f"{API}/assessments/{assessment.pk}/scores"), 404)
        assert_json_error(client.post(f"{API}/assessments/{assessment.pk}/submit"), 404)
    assert not Answer.objects.exists()
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_no_token_is_a_json_401(assessment):
    assert_json_error(Client().get(f"{API}/assessments/{assessment.pk}/scores"), 401)
    assert_json_error(
        Client().put(f"{API}/assessments/{assessment.pk}/answers/trustee-board", "{}", content_type=JSON), 401
    )


def test_an_unknown_assessment_is_a_json_404(admin_api, instruments):
    assert_json_error(admin_api.get(f"{API}/assessments/999999/scores"), 404)


# --- submit and scores ----------------------------------------------------------------------------


def test_submit_freezes_the_answers(world, admin_api, assessment):
    put(admin_api, assessment, "trustee-board", {"level": 2})
    response = admin_api.post(f"{API}/assessments/{assessment.pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    body = assert_json_error(put(admin_api, assessment, "trustee-board", {"level": 4}), 409)
    assert "submitted" in body["detail"]
    assert agreed(assessment, "trustee-board").level == 2
    assert "submitted" in assert_json_error(admin_api.post(f"{API}/assessments/{assessment.pk}/submit"), 409)["detail"]


def test_scores_are_exactly_those_on_the_results_page(world, admin_api, assessment, health_check):
    # A previous submitted assessment, so that changes are shown too.
    earlier = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    for key, level in (("values-and-culture", 1), ("trustee-board", 3), ("marketing", 2)):
        put(admin_api, earlier, key, {"level": level})
    admin_api.post(f"{API}/assessments/{earlier.pk}/submit")
    assessment = services.start(organisation=world.org, instrument=health_check, by=world.admin)

    chosen = {
        "values-and-culture": 2,
        "trustee-board": 2,
        "staff-and-volunteers": 4,
        "people-you-support": 3,
        "knowing-demand": 3,
        "costs-and-prices": 2,
        "marketing": "not-relevant",
    }
    for key, level in chosen.items():
        body = {"not_relevant": True} if level == "not-relevant" else {"level": level}
        assert put(admin_api, assessment, key, body).status_code == 200
    assert admin_api.post(f"{API}/assessments/{assessment.pk}/submit").status_code == 200

    scores = admin_api.get(f"{API}/assessments/{assessment.pk}/scores").json()
    web = Client()
    web.force_login(world.admin)
    page = web.get(reverse("readiness:results", args=[world.org.slug, assessment.pk]))

    api_sections = {
        s["key"]: (Decimal(str(s["score"])) if s["score"] is not None else None) for s in scores["sections"]
    }
    assert api_sections == shown_sections(page)
    assert Decimal(str(scores["overall"])) == shown_overall(page)
    api_changes = {
        s["key"]: (Decimal(str(s["change"])) if s["change"] is not None else None) for s in scores["sections"]
    }
    assert api_changes == shown_changes(page)
    assert scores["previous_assessment"] == earlier.pk
    assert f"{scores['overall_change']:+.1f}".replace("-", "−") in page.content.decode()

    # And both are the formula.
    levels = {item.key: len(item.levels) for item in assessment.version.items.all()}
    expected = {k: level_score(v, levels[k]) for k, v in chosen.items() if v != "not-relevant"}
    for key, value in expected.items():
        assert api_sections[key] == reference_round(value)
    assert Decimal(str(scores["overall"])) == reference_round(reference_mean(expected.values()))
    assert api_sections["marketing"] is None

    parsed = results_page(page)
    assert [s.split(" (")[0] for s in parsed.lists["strengths"]] == [
        next(s["title"] for s in scores["sections"] if s["key"] == key) for key in scores["strengths"]
    ]
    assert [s.split(" (")[0] for s in parsed.lists["needs"]] == [
        next(s["title"] for s in scores["sections"] if s["key"] == key) for key in scores["development_needs"]
    ]
    assert scores["left_out"] == [
        {
            "key": LEFT_OUT_SECTION,
            "title": "Direct payment support",
            "reason": "Only for organisations that provide direct payment support "
            "(payroll, employing a personal assistant)",
        }
    ]
    assert scores["status"] == "submitted"


def test_scores_of_a_draft_with_halves(world, admin_api, instruments):
    """Two rating items at 50 and 0 and one at 100 → (50 + 0 + 100) / 3 = 50;
    a section at 37.5 shows 37.5; the JSON numbers are the shown figures."""
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    for key, option in (
        ("focus-on-outcomes", "fully-met"),
        ("flexible-to-the-plan", "partly-met"),
        ("involving-people", "not-met"),
        ("life-beyond-the-building", "not-met"),
        ("prevention", "partly-met"),
        ("social-enterprise", "partly-met"),
        ("information-advice-advocacy", "not-met"),
    ):
        assert put(admin_api, assessment, key, {"option": option}).status_code == 200
    scores = admin_api.get(f"{API}/assessments/{assessment.pk}/scores").json()
    by_key = {s["key"]: s["score"] for s in scores["sections"]}
    assert by_key["flexible-support"] == 37.5
    assert by_key["new-services"] == 33.3
    assert scores["overall"] == 35.4
    assert scores["status"] == "draft"
    assert scores["previous_assessment"] is None and scores["overall_change"] is None


# --- conflicts carry the current state (issue 9) ------------------------------------------------------


def test_a_409_carries_the_answer_or_the_assessment_as_it_is_now(world, admin_api, api_client_for, assessment):
    put(admin_api, assessment, "trustee-board", {"level": 2, "revision": 0})
    body = assert_json_error(
        put(api_client_for(world.worker), assessment, "trustee-board", {"level": 4, "revision": 0}), 409
    )
    assert body["current"]["level"] == 2 and body["current"]["revision"] == 1

    assert admin_api.post(f"{API}/assessments/{assessment.pk}/submit").status_code == 200
    body = assert_json_error(admin_api.post(f"{API}/assessments/{assessment.pk}/submit"), 409)
    assert body["detail"] == "This assessment has been submitted, so its answers can no longer be changed."
    assert (body["current"]["id"], body["current"]["status"]) == (assessment.pk, "submitted")
    body = assert_json_error(put(admin_api, assessment, "trustee-board", {"level": 3}), 409)
    assert body["current"]["level"] == 2
