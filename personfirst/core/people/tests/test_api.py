"""The people's records API: the same rules and the same log of reads as the pages."""

from __future__ import annotations

import pytest

from personfirst.core.people.models import Person, RecordRead, Supporter

pytestmark = pytest.mark.django_db


def test_a_practitioner_creates_and_reads_a_record(world, api_client_for):
    api = api_client_for(world.practitioner)
    response = api.post(
        "/api/v1/people",
        {"council_area": world.area.code, "given_name": "Ada", "family_name": "Moss", "date_of_birth": "1950-01-02"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["given_name"] == "Ada" and body["signs_in"] is False
    assert not RecordRead.objects.exists()  # creating is not reading
    read = api.get(f"/api/v1/people/{body['id']}")
    assert read.status_code == 200
    assert read.json()["date_of_birth"] == "1950-01-02"
    logged = RecordRead.objects.get()
    assert (logged.user, logged.what, logged.routine) == (world.practitioner, "the record, through the API", True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"council_area": "E99000001", "family_name": "Moss"}, "given_name"),
        ({"council_area": "E99000001", "given_name": "A", "family_name": "M", "email": "nope"}, "email"),
        ({"council_area": "E99000002", "given_name": "A", "family_name": "M"}, "council_area"),
        (
            {"council_area": "E99000001", "given_name": "A", "family_name": "M", "date_of_birth": "2999-01-01"},
            "date_of_birth",
        ),
        ({"council_area": "E99000001", "given_name": "A\x00", "family_name": "M"}, "given_name"),
        ({"council_area": "E99000001", "given_name": "A", "family_name": "M", "nickname": "x"}, "nickname"),
    ],
)
def test_bad_input_is_a_json_error_naming_the_field(world, api_client_for, body, field):
    response = api_client_for(world.practitioner).post("/api/v1/people", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Person.objects.count() == 2  # the demo's two


def test_the_carer_reads_the_record_and_the_supporters(world, api_client_for):
    api = api_client_for(world.carer)
    assert [p["given_name"] for p in api.get("/api/v1/people").json()] == ["Rose"]
    assert api.get(f"/api/v1/people/{world.cared_for.pk}").status_code == 200
    supporters = api.get(f"/api/v1/people/{world.cared_for.pk}/supporters").json()
    assert supporters == [
        {
            "name": "Carl Ellis",
            "kind": "carer",
            "may_edit": True,
            "may_act": False,
            "status": "current",
            "valid_until": None,
            "consent_given_at": supporters[0]["consent_given_at"],
            "consent_by": "practitioner",
            "consent_how": "in_person",
        }
    ]
    assert RecordRead.objects.filter(user=world.carer).count() == 2
    # Who has looked is for the person and those who act for them.
    assert api.get(f"/api/v1/people/{world.cared_for.pk}/reads").status_code == 403


def test_the_person_reads_who_has_looked(world, api_client_for):
    api_client_for(world.practitioner).get(f"/api/v1/people/{world.own_record.pk}")
    reads = api_client_for(world.person).get(f"/api/v1/people/{world.own_record.pk}/reads").json()
    assert [(r["who"], r["as_role"], r["routine"]) for r in reads] == [("Priya Practitioner", "practitioner", True)]


@pytest.mark.parametrize("persona", ["commissioner", "platform", "superuser", "worker", "outsider"])
def test_others_get_nothing_and_no_read_is_logged(world, api_client_for, persona):
    api = api_client_for(getattr(world, persona))
    assert api.get(f"/api/v1/people/{world.cared_for.pk}").status_code == 404
    assert api.get("/api/v1/people").status_code == 404
    assert not RecordRead.objects.exists()


def test_a_reason_is_given_in_the_service_not_the_api(world, api_client_for):
    response = api_client_for(world.team_manager).get(f"/api/v1/people/{world.cared_for.pk}")
    assert response.status_code == 403
    assert "Give a reason" in response.json()["detail"]


def test_an_ended_supporter_reads_nothing(world, api_client_for):
    from django.utils import timezone

    Supporter.objects.filter(user=world.carer).update(ended_at=timezone.now())
    assert api_client_for(world.carer).get(f"/api/v1/people/{world.cared_for.pk}").status_code == 404


def test_the_openapi_document_describes_the_people_endpoints(world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/people/{person_id}/reads"} <= set(paths)
