"""Web and API share one validation path: an answer is checked by the
service (services.save_section, through its item's type), and the section
page and the API only translate its errors. So the same bad input gets the
same message on both, word for word."""

from __future__ import annotations

import json

import pytest

from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve
from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.models import Answer

from .test_views import client_for, post_section

pytestmark = pytest.mark.django_db

API = "/api/v1"

# (instrument, section, item, what the page sends, what the API is sent, the field in error on the page, the API's field)
CASES = [
    pytest.param(
        "health-check",
        "values-and-culture",
        "values-and-culture",
        {"item-values-and-culture": "4"},
        {"level": 4},
        "#id_item-values-and-culture_0",
        "level",
        id="a level the ladder does not have",
    ),
    pytest.param(
        "flexible-services",
        None,
        "focus-on-outcomes",
        {"item-focus-on-outcomes": "brilliant"},
        {"option": "brilliant"},
        "#id_item-focus-on-outcomes_0",
        "option",
        id="an option the rating does not have",
    ),
    pytest.param(
        "health-check",
        "values-and-culture",
        "values-and-culture",
        {"item-values-and-culture": "2", "notes-values-and-culture": "x" * 5001},
        {"level": 2, "notes": "x" * 5001},
        "#id_notes-values-and-culture",
        "notes",
        id="notes that are too long",
    ),
    pytest.param(
        "workforce-ladder",
        None,
        "workforce-development",
        {"item-workforce-development": "2", "target-workforce-development-3": "2027-02-31"},
        {"level": 2, "target_dates": {"3": "2027-02-31"}},
        "#id_target-workforce-development-3",
        "target_dates.3",
        id="a target date that is not a real date",
    ),
]


@pytest.mark.parametrize(("instrument", "section", "item", "form", "body", "anchor", "field"), CASES)
def test_the_same_bad_answer_gets_the_same_message_on_the_page_and_in_the_api(
    world, instruments, api_client_for, instrument, section, item, form, body, anchor, field
):
    assessment = services.start(organisation=world.org, instrument=instruments[instrument], by=world.admin)
    section = section or assessment.version.items.get(key=item).section.key

    browser = client_for(world.admin)
    page = post_section(browser, assessment, section, {}, **form)
    assert page.status_code == 200
    shown = assert_error_summary_links_resolve(page)
    assert list(shown) == [anchor], shown

    response = api_client_for(world.admin).put(
        f"{API}/assessments/{assessment.pk}/answers/{item}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    said = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert list(said) == [field], said

    assert shown[anchor] == said[field]
    assert not Answer.objects.exists()
