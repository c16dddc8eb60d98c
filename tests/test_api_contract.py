"""The API does what its OpenAPI document says, checked by schemathesis.

schemathesis reads the document the API serves (/api/v1/openapi.json),
generates requests for every operation, valid ones and invalid ones, sends
them to the real application (through Django's test handler: no server, and
inside the test's transaction), and checks every answer:

- never a 500 (not_a_server_error);
- every status code, content type, header and body is one the document
  declares for that operation (status_code_conformance,
  content_type_conformance, response_headers_conformance,
  response_schema_conformance);
- a request the document calls valid is not refused with 400 or 422
  (positive_data_acceptance), and one it calls invalid is refused
  (negative_data_rejection).

Requests carry the token of the organisation admin of the ``world``, and
path parameters are replaced with objects that exist (the carers' centre,
a draft assessment, actions of its plan), so the operations do their real
work instead of answering 404 every time. Some operations answer 409 once
their object has changed (a submitted assessment, a suggestion already
accepted): the document declares it, so it is checked like any other
answer.

Generation is deterministic (fixed seed, derandomised) and bounded:
EXAMPLES per operation, so the run takes well under a minute.
"""

from __future__ import annotations

import datetime
import itertools
import json

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from personfirst.core.api.api import api

EXAMPLES = 25
SEED = 20260309
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]


def _document() -> dict:
    """The document exactly as /api/v1/openapi.json serves it (made here, as the
    module is loaded before any test may use the database)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))


schema = schemathesis.openapi.from_dict(_document())
schema.config.seed = SEED
schema.config.generation.update(
    max_examples=EXAMPLES,
    deterministic=True,
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    # The token is the test's own (below); schemathesis does not make up Authorization headers.
    with_security_parameters=False,
)


def wsgi_app(environ, start_response):
    """The application as WSGI, run by Django's test handler: in the test's
    transaction (it does not close the database connection after each
    request) and without CSRF checks, exactly as the test client runs it."""
    response = ClientHandler(enforce_csrf_checks=False)(environ)
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]


@pytest.fixture
def objects(world):
    """Real objects for the path parameters, and a token for the organisation admin."""
    from personfirst.core.accounts.models import ApiToken
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Item
    from personfirst.readiness.assessments.tests.conftest import load_shipped
    from personfirst.readiness.plans import services as plans
    from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus

    _token, raw = ApiToken.issue(world.admin, "contract")
    instruments = load_shipped()
    answered = []
    for key, item_key in ANSWERED:
        assessment = services.start(organisation=world.org, instrument=instruments[key], by=world.admin)
        answered.append((assessment.pk, Item.objects.get(version=assessment.version, key=item_key)))
    own = plans.add_own(world.org, title="Write down our unit costs", by=world.admin)
    suggestion = Action.objects.create(
        organisation=world.org,
        title="Ask carers what they want",
        status=ActionStatus.SUGGESTED,
        source=ActionSource.LIBRARY,
        position=own.position + 1,
    )
    return {
        "token": raw,
        "slug": world.org.slug,
        "assessment": answered[0][0],
        "own_action": own.pk,
        "suggestion": suggestion.pk,
        # Taken in turn, one example after another.
        "answered": itertools.cycle(answered),
        "keep_generated": itertools.cycle([False, False, False, True]),
    }


# One item of each type: a ladder, a rating and a milestones item.
ANSWERED = [
    ("health-check", "trustee-board"),
    ("flexible-services", "focus-on-outcomes"),
    ("workforce-ladder", "workforce-development"),
]
# Types only a platform administrator may give (the world's admin is not one): a 422 on "type".
TYPES_THAT_GIVE_ACCESS = {"council", "support_development"}


def is_positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def fit_to_stored_data(case, objects) -> None:
    """Make a request point at objects that exist, and, for a request the
    document calls valid, make what depends on stored data fit it: the
    document cannot say which instruments exist, how many levels an item
    has, or which item takes an option rather than a level, and the server
    rightly answers 422 for those (each rule has its own test in
    test_readiness_api.py and plans/tests/test_api.py).

    One valid request in four keeps its generated path (mostly 404s), so
    odd but valid slugs and ids are tried too. Requests the document calls
    invalid keep everything as generated, apart from the path."""
    path = case.operation.path
    item = None
    if case.path_parameters and not (is_positive(case) and next(objects["keep_generated"])):
        parameters = case.path_parameters
        if "slug" in parameters:
            parameters["slug"] = objects["slug"]
        if path.startswith("/api/v1/assessments/{pk}/answers/"):
            parameters["pk"], item = next(objects["answered"])
            parameters["item_key"] = item.key
        elif path.startswith("/api/v1/assessments/"):
            parameters["pk"] = objects["assessment"]
        elif path.endswith(("/accept", "/drop")):
            parameters["pk"] = objects["suggestion"]
        elif path.startswith("/api/v1/plan/actions/"):
            parameters["pk"] = objects["own_action"]
    if not is_positive(case) or not isinstance(case.body, dict):
        return
    body = case.body
    if path.endswith("/assessments") and case.method == "POST":
        body["instrument"] = "health-check"
        body["language"] = "en"  # the health check has no Welsh version (a Welsh start is refused, rightly)
    elif path == "/api/v1/organisations/{slug}" and body.get("type") in TYPES_THAT_GIVE_ACCESS:
        body["type"] = "voluntary"
    elif path == "/api/v1/people" and str(body.get("date_of_birth") or "") > datetime.date.today().isoformat():
        # The document cannot say "before today": a date of birth in the future is rightly refused.
        body["date_of_birth"] = "1950-01-01"
    elif item is not None:
        fit_answer(body, item)


def fit_answer(body: dict, item) -> None:
    if body.get("not_relevant") and (body.get("level") is not None or body.get("option")):
        body["not_relevant"] = False
    # "Don't know" only where the item offers it, and never beside another answer;
    # a written answer only for a context question that takes one.
    if body.get("dont_know") and (not item.offers_dont_know or body.get("not_relevant")):
        body["dont_know"] = False
    if body.get("dont_know"):
        body.pop("level", None)
        body.pop("option", None)
    if "text" not in item.kind.answer_fields:
        body.pop("text", None)
    if "level" in item.kind.answer_fields:
        body.pop("option", None)
        if body.get("level") is not None:
            body["level"] = (body["level"] - 1) % len(item.levels) + 1
    else:
        body.pop("level", None)
        keys = [option["key"] for option in item.options]
        if body.get("option") and body["option"] not in keys:
            body["option"] = keys[len(body["option"]) % len(keys)]
    if "we_option" not in item.kind.answer_fields:
        body.pop("we_option", None)  # paired items only
    # Only items that ask for evidence take it (none of those answered here).
    body.pop("evidence", None)
    body.pop("achieved_on", None)
    if "target_dates" not in item.kind.answer_fields:
        body.pop("target_dates", None)
    elif "target_dates" in body:
        highest = len(item.levels)
        body["target_dates"] = {
            str((int(level) - 2) % (highest - 1) + 2): date for level, date in body["target_dates"].items()
        }


@schema.parametrize()
# The world is made once per operation, and the examples of one operation share it.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_does_what_its_document_says(case, objects):
    fit_to_stored_data(case, objects)
    case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Bearer {objects['token']}"},
        checks=CHECKS,
    )


def test_the_document_checked_is_the_one_served(db):
    from django.test import Client

    assert Client().get("/api/v1/openapi.json").json() == _document()
