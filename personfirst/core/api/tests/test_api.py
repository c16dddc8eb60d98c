"""The JSON API: who am I, organisations, and every error as JSON."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.http import JsonResponse
from django.test import Client

from personfirst.core.accounts.models import ApiToken

JSON = "application/json"


def org_url(organisation) -> str:
    return f"/api/v1/organisations/{organisation.slug}"


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(JSON), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body, dict)
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert b"<html" not in response.content.lower()
    return body


def patch(client, organisation, body, content_type=JSON):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.patch(org_url(organisation), data, content_type=content_type)


# --- /me and /organisations ----------------------------------------------------------


def test_me(world, api_client_for):
    response = api_client_for(world.admin).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "email": "admin@carers.example",
        "full_name": "Asha Admin",
        "platform_administrator": False,
        "memberships": [{"slug": "eastmere-carers-centre", "name": "Eastmere Carers' Centre", "role": "admin"}],
        "roles": [
            {
                "role": "organisation_admin",
                "label": "Organisation administrator",
                "organisation": "eastmere-carers-centre",
                "council_area": None,
                "valid_from": mock.ANY,
                "valid_until": None,
            }
        ],
    }


def test_me_for_a_platform_administrator(world, api_client_for):
    body = api_client_for(world.platform).get("/api/v1/me").json()
    assert body["platform_administrator"] is True
    assert body["memberships"] == []
    assert [role["role"] for role in body["roles"]] == ["platform_admin"]


def test_me_for_a_superuser_with_no_role(world, api_client_for):
    body = api_client_for(world.superuser).get("/api/v1/me").json()
    assert body["platform_administrator"] is False
    assert body["roles"] == []


def test_organisations_with_relationship(world, api_client_for):
    mine = api_client_for(world.member).get("/api/v1/organisations").json()
    assert mine == [
        {
            "slug": "eastmere-carers-centre",
            "name": "Eastmere Carers' Centre",
            "type": "voluntary",
            "relationship": "member",
        }
    ]
    assert [o["relationship"] for o in api_client_for(world.admin).get("/api/v1/organisations").json()] == ["admin"]

    caseload = api_client_for(world.worker).get("/api/v1/organisations").json()
    relationships = {o["slug"]: o["relationship"] for o in caseload}
    assert relationships["eastmere-voluntary-action"] == "member"
    assert relationships["eastmere-carers-centre"] == "shared"
    assert "beech-house" not in relationships
    assert "westholm-day-centre" not in relationships
    assert [o["name"] for o in caseload] == sorted(o["name"] for o in caseload)

    everything = api_client_for(world.platform).get("/api/v1/organisations").json()
    assert {o["relationship"] for o in everything} == {"platform"}
    assert len(everything) == 13


def test_outsider_sees_only_their_own(world, api_client_for):
    body = api_client_for(world.outsider).get("/api/v1/organisations").json()
    assert [o["slug"] for o in body] == ["westholm-day-centre"]


# --- one organisation ------------------------------------------------------------------


def test_member_reads_an_organisation(world, api_client_for):
    response = api_client_for(world.member).get(org_url(world.org))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "slug": "eastmere-carers-centre",
        "name": "Eastmere Carers' Centre",
        "type": "voluntary",
        "type_label": "Voluntary and community organisation",
        "paid_staff": 6,
        "volunteers": 25,
        "size_band": "small",
        "council_area": {"code": "E99000001", "name": "Eastmere"},
        "services": ["carers_support", "information_advice", "short_breaks"],
        "description": "",
    }


def test_worker_reads_a_sharing_organisation(world, api_client_for):
    assert api_client_for(world.worker).get(org_url(world.org)).status_code == 200


@pytest.mark.parametrize(("persona", "target"), [("worker", "unshared"), ("outsider", "org"), ("commissioner", "org")])
def test_organisations_you_cannot_see_are_not_found(world, api_client_for, persona, target):
    client = api_client_for(getattr(world, persona))
    organisation = getattr(world, target)
    assert_json_error(client.get(org_url(organisation)), 404)
    assert_json_error(patch(client, organisation, {"paid_staff": 1}), 404)


def test_unknown_slug_is_not_found(world, api_client_for):
    body = assert_json_error(api_client_for(world.platform).get("/api/v1/organisations/no-such-place"), 404)
    assert body == {"detail": "Not found."}


@pytest.mark.parametrize("persona", ["member", "worker"])
def test_member_and_worker_cannot_patch(world, api_client_for, persona):
    response = patch(api_client_for(getattr(world, persona)), world.org, {"paid_staff": 99})
    body = assert_json_error(response, 403)
    assert body["detail"] == "You do not have permission to do that."
    world.org.refresh_from_db()
    assert world.org.paid_staff == 6


def test_admin_patches_the_profile(world, api_client_for):
    response = patch(
        api_client_for(world.admin),
        world.org,
        {"paid_staff": 12, "services": ["befriending", "carers_support", "befriending"], "description": "Carers."},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["paid_staff"] == 12
    assert body["size_band"] == "small"  # 12 paid staff and 25 volunteers: 37 people
    assert body["services"] == ["befriending", "carers_support"]
    assert body["description"] == "Carers."
    assert body["name"] == "Eastmere Carers' Centre"  # untouched
    world.org.refresh_from_db()
    assert (world.org.paid_staff, world.org.services, world.org.volunteers) == (
        12,
        ["befriending", "carers_support"],
        25,
    )


def test_admin_changes_the_name_and_type(world, api_client_for):
    response = patch(api_client_for(world.admin), world.org, {"name": "Eastmere Carers", "type": "user_led"})
    assert response.status_code == 200
    assert response.json()["type_label"] == "User-led organisation"
    world.org.refresh_from_db()
    assert (world.org.name, world.org.org_type) == ("Eastmere Carers", "user_led")


def test_an_empty_patch_changes_nothing(world, api_client_for):
    response = patch(api_client_for(world.admin), world.org, {})
    assert response.status_code == 200
    assert response.json()["paid_staff"] == 6


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"paid_staff": -1}, "paid_staff", "greater than or equal to 0"),
        ({"volunteers": -5}, "volunteers", "greater than or equal to 0"),
        ({"paid_staff": "lots"}, "paid_staff", "integer"),
        ({"paid_staff": 2.5}, "paid_staff", "integer"),
        ({"type": "spaceship"}, "type", "Input should be"),
        ({"services": ["carers_support", "teleporting"]}, "services.1", "Input should be"),
        ({"services": "carers_support"}, "services", "list"),
        ({"name": ""}, "name", "at least 1 character"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"paid_stafff": 3}, "paid_stafff", "Extra inputs are not permitted"),
    ],
)
def test_validation_errors(world, api_client_for, body, field, words):
    response = patch(api_client_for(world.admin), world.org, body)
    result = assert_json_error(response, 422)
    assert result["detail"] == "Some of what you sent is not valid."
    assert all(set(error) == {"field", "message"} for error in result["errors"])
    messages = {error["field"]: error["message"] for error in result["errors"]}
    assert field in messages, result
    assert words in messages[field]
    world.org.refresh_from_db()
    assert world.org.paid_staff == 6
    assert world.org.name == "Eastmere Carers' Centre"


def test_several_errors_are_all_reported(world, api_client_for):
    result = assert_json_error(patch(api_client_for(world.admin), world.org, {"paid_staff": -1, "type": "x"}), 422)
    assert {error["field"] for error in result["errors"]} == {"paid_staff", "type"}


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "null", "42", "true"])
def test_a_body_that_is_not_an_object_is_refused(world, api_client_for, body):
    result = assert_json_error(patch(api_client_for(world.admin), world.org, body), 422)
    assert result["errors"]


@pytest.mark.parametrize("body", ["{bad json", '{"paid_staff": 3', "\xff\xfe", "{'single': 'quotes'}"])
def test_malformed_json_is_a_json_error(world, api_client_for, body):
    response = patch(api_client_for(world.admin), world.org, body)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


def test_a_form_encoded_body_is_a_json_error(world, api_client_for):
    response = patch(
        api_client_for(world.admin), world.org, "paid_staff=3", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 415, 422)
    assert_json_error(response, response.status_code)


def test_text_with_a_null_character_is_refused(world, api_client_for):
    result = assert_json_error(patch(api_client_for(world.admin), world.org, {"name": "Eastmere\x00"}), 422)
    assert [error["field"] for error in result["errors"]] == ["name"]


def test_an_org_admin_cannot_make_their_organisation_a_council(world, api_client_for):
    """A council's members are commissioners for its area; a support organisation's
    members are development workers. Neither is something an organisation can
    make itself."""
    for org_type in ("council", "support_development"):
        result = assert_json_error(patch(api_client_for(world.admin), world.org, {"type": org_type}), 422)
        assert [error["field"] for error in result["errors"]] == ["type"]
    world.org.refresh_from_db()
    assert world.org.org_type == "voluntary"
    assert api_client_for(world.admin).get("/api/v1/me").status_code == 200


def test_a_platform_administrator_can_set_any_type(world, api_client_for):
    response = patch(api_client_for(world.platform), world.other_org, {"type": "support_development"})
    assert response.status_code == 200


def test_a_council_keeps_its_type_when_its_admin_edits_it(world, api_client_for):
    from personfirst.core.access.tests.helpers import ADMIN, join

    join(world.commissioner, world.council, ADMIN)
    response = patch(api_client_for(world.commissioner), world.council, {"type": "council", "paid_staff": 2500})
    assert response.status_code == 200


# --- authentication ------------------------------------------------------------------


UNAUTHENTICATED = [
    {},
    {"HTTP_AUTHORIZATION": "Bearer pf_not-a-real-token"},
    {"HTTP_AUTHORIZATION": "Bearer "},
    {"HTTP_AUTHORIZATION": "Basic YWRtaW46cGFzc3dvcmQ="},
    {"HTTP_AUTHORIZATION": "pf_no-scheme"},
]


@pytest.mark.parametrize("headers", UNAUTHENTICATED)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/organisations"),
        ("get", "/api/v1/organisations/eastmere-carers-centre"),
        ("patch", "/api/v1/organisations/eastmere-carers-centre"),
    ],
)
def test_no_token_or_a_bad_token_is_401(world, headers, method, path):
    client = Client(**headers)
    response = getattr(client, method)(path, "{}", content_type=JSON) if method == "patch" else client.get(path)
    body = assert_json_error(response, 401)
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        ({}, 'Bearer realm="PersonFirst"'),
        ({"HTTP_AUTHORIZATION": "Basic YWRtaW46cGFzc3dvcmQ="}, 'Bearer realm="PersonFirst"'),
        ({"HTTP_AUTHORIZATION": "Bearer "}, 'Bearer realm="PersonFirst"'),
        # RFC 6750, 3.1: a token was sent and did not work.
        ({"HTTP_AUTHORIZATION": "Bearer pf_not-a-real-token"}, 'Bearer realm="PersonFirst", error="invalid_token"'),
    ],
)
def test_a_401_says_how_to_authenticate(world, headers, challenge):
    client = Client(**headers)
    for response in (client.get("/api/v1/me"), patch(client, world.org, {"paid_staff": 1})):
        assert_json_error(response, 401)
        assert response["WWW-Authenticate"] == challenge


def test_a_401_made_outside_the_api_views_says_how_to_authenticate_too(rf):
    from django.http import HttpResponse

    from personfirst.core.api.middleware import JsonErrorsForApiMiddleware

    middleware = JsonErrorsForApiMiddleware(lambda request: HttpResponse("<p>Unauthorised</p>", status=401))
    response = middleware(rf.get("/api/v1/anything"))
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="PersonFirst"'
    # A JSON 401 without the header gets it as well, and one with its own keeps it.
    middleware = JsonErrorsForApiMiddleware(lambda request: JsonResponse({"detail": "No."}, status=401))
    assert middleware(rf.get("/api/v1/anything"))["WWW-Authenticate"] == 'Bearer realm="PersonFirst"'
    own = JsonResponse({"detail": "No."}, status=401)
    own["WWW-Authenticate"] = 'Bearer realm="elsewhere"'
    assert JsonErrorsForApiMiddleware(lambda request: own)(rf.get("/api/v1/x"))["WWW-Authenticate"] == (
        'Bearer realm="elsewhere"'
    )


def test_a_revoked_token_is_401(world):
    token, raw = ApiToken.issue(world.admin, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    token.revoke()
    response = client.get("/api/v1/me")
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="PersonFirst", error="invalid_token"'
    assert_json_error(patch(client, world.org, {"paid_staff": 1}), 401)
    world.org.refresh_from_db()
    assert world.org.paid_staff == 6


def test_a_signed_in_browser_session_is_not_an_api_token(world, client):
    client.force_login(world.admin)
    assert_json_error(client.get("/api/v1/me"), 401)


def test_a_token_records_when_it_was_last_used(world):
    token, raw = ApiToken.issue(world.member, "script")
    assert token.last_used_at is None
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- addresses and methods ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/organisations/x/y", "/api/", "/api/v2/me"])
def test_unknown_api_address_is_a_json_404(world, api_client_for, path):
    assert_json_error(api_client_for(world.admin).get(path), 404)


def test_unknown_api_address_is_a_json_404_without_a_token(db, client):
    assert_json_error(client.get("/api/v1/nothing-here"), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/organisations/eastmere-carers-centre"),
        ("post", "/api/v1/organisations/eastmere-carers-centre"),
        ("put", "/api/v1/organisations/eastmere-carers-centre"),
        ("post", "/api/v1/me"),
        ("delete", "/api/v1/organisations"),
    ],
)
def test_wrong_method_is_a_json_405(world, api_client_for, method, path):
    response = getattr(api_client_for(world.admin), method)(path, "{}", content_type=JSON)
    assert_json_error(response, 405)
    assert "Allow" in response
    world.org.refresh_from_db()
    assert world.org.paid_staff == 6


def test_the_openapi_document_says_what_size_bands_count(client):
    schema = client.get("/api/v1/openapi.json").json()
    described = schema["components"]["schemas"]["OrganisationOut"]["properties"]["size_band"]["description"]
    assert "paid staff and volunteers together" in described
    assert all(band in described for band in ("micro", "small", "medium", "large"))
