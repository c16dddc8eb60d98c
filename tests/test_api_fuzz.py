"""Whatever is sent to PATCH /api/v1/organisations/{slug}, the answer is JSON
and never a 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ["name", "type", "paid_staff", "volunteers", "services", "description"]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
    | st.sampled_from(["voluntary", "council", "carers_support", "", "\x00", "\ud800", "0", "-1", "1e400"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
field_dicts = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=len(FIELDS))
bodies = json_values.map(lambda value: json.dumps(value)) | field_dicts.map(json.dumps)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(response) -> dict | list:
    assert response.status_code < 500, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    if response.status_code >= 400:
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
    else:
        assert response.status_code == 200
        assert body["slug"] == "eastmere-carers-centre"
    return body


@FUZZ
@given(body=bodies)
def test_patch_with_random_json(world, api_client_for, body):
    client = api_client_for(world.admin)
    response = client.patch("/api/v1/organisations/eastmere-carers-centre", body, content_type="application/json")
    result = check(response)
    if response.status_code == 422:
        assert result["errors"] and all(set(error) == {"field", "message"} for error in result["errors"])


@FUZZ
@given(body=st.binary(max_size=200))
def test_patch_with_random_bytes(world, api_client_for, body):
    client = api_client_for(world.admin)
    check(client.patch("/api/v1/organisations/eastmere-carers-centre", body, content_type="application/json"))


@FUZZ
@given(body=field_dicts)
def test_a_member_is_always_refused_whatever_they_send(world, api_client_for, body):
    client = api_client_for(world.member)
    response = client.patch(
        "/api/v1/organisations/eastmere-carers-centre", json.dumps(body), content_type="application/json"
    )
    check(response)
    # Validation may answer first (422), but nothing a member sends is ever saved.
    assert response.status_code in (403, 422)
    world.org.refresh_from_db()
    assert world.org.name == "Eastmere Carers' Centre"
    assert world.org.paid_staff == 6
