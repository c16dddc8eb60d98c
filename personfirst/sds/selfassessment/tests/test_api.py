"""The self-assessment API: the same rules, checks and conflicts as the pages."""

from __future__ import annotations

import json

import pytest

from personfirst.core.people.models import RecordRead
from personfirst.sds.selfassessment.models import Status

pytestmark = pytest.mark.django_db

API = "/api/v1/people"


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_carer_answers_by_question_key_and_sends_then_the_practitioner_agrees(sds, api_client_for):
    carer, practitioner = api_client_for(sds.carer), api_client_for(sds.practitioner)
    base = f"{API}/{sds.cared_for.pk}/self-assessments/{sds.rose_sa.pk}"
    answers = {a["question"]: a for a in carer.get(f"{API}/{sds.cared_for.pk}/self-assessments").json()[0]["answers"]}
    assert answers["washing"]["answer"] == "most" and answers["washing"]["as_role"] == "carer"
    for question, row in answers.items():
        if row["answer"] is None:
            response = put(carer, f"{base}/answers/{question}", {"answer": row["options"][0]})
            assert response.status_code == 200, response.json()
    assert post(carer, f"{base}/submit").json()["status"] == Status.SUBMITTED
    # Answering now is a conflict, with the self-assessment as it is.
    late = put(carer, f"{base}/answers/washing", {"answer": "all"})
    assert late.status_code == 409 and late.json()["current"]["status"] == "submitted"
    stale = post(practitioner, f"{base}/agree", {"revision": 0})
    assert stale.status_code == 409 and "changed while you were looking" in stale.json()["detail"]
    revision = late.json()["current"]["revision"]
    agreed = post(practitioner, f"{base}/agree", {"revision": revision})
    assert agreed.status_code == 201
    budget = agreed.json()
    assert budget["yearly"] == str(__import__("decimal").Decimal(budget["weekly"]) * 52)
    listed = carer.get(f"{API}/{sds.cared_for.pk}/budgets").json()
    assert listed[0]["breakdown"]["steps"] == budget["breakdown"]["steps"]
    assert RecordRead.objects.filter(person=sds.cared_for, what="indicative budgets, through the API").exists()


def test_an_answer_to_a_question_that_does_not_exist_is_named(sds, api_client_for):
    carer = api_client_for(sds.carer)
    base = f"{API}/{sds.cared_for.pk}/self-assessments/{sds.rose_sa.pk}"
    response = put(carer, f"{base}/answers/no-such-question", {"answer": "some"})
    assert response.status_code == 422
    assert "There is no question 'no-such-question'" in json.dumps(response.json())
    response = put(carer, f"{base}/answers/washing", {"answer": "plenty"})
    assert response.status_code == 422 and "not one of the answers" in json.dumps(response.json())
    assert put(carer, f"{base}/answers/washing", {"answer": 3}).status_code == 422


def test_who_may_use_it(sds, api_client_for):
    base = f"{API}/{sds.cared_for.pk}/self-assessments"
    assert api_client_for(sds.commissioner).get(base).status_code == 404
    assert api_client_for(sds.team_manager).get(base).status_code == 403  # a reason first, on the page
    assert (
        put(api_client_for(sds.practitioner), f"{base}/{sds.rose_sa.pk}/answers/washing", {"answer": "all"}).status_code
        == 403
    )
    assert post(api_client_for(sds.carer), f"{base}/{sds.rose_sa.pk}/agree", {"revision": 0}).status_code == 403
    assert api_client_for(sds.person).get(f"{API}/{sds.own_record.pk}/budgets").status_code == 200
