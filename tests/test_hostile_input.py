"""Hostile input on every form and every API operation that takes a body.

Generated from the URL conf through the authorization matrix
(tests/test_url_matrix.py): for each URL a signed-in role may use, the
test finds what it accepts and sends it values nobody wrote a test for —
very long text, NUL bytes, numbers too big for any column, dates that do
not exist, lists where one value was expected, JSON of the wrong shape.

- Web pages: the page is fetched as a role that may use it; every form on
  it that posts is sent the hostile values in each of its fields (and the
  fields the matrix row gives, for pages that only answer POST).
- API operations: the body's fields are read from the OpenAPI document and
  given hostile values, and the whole body is sometimes not an object.

Whatever is sent, the answer is never a 500 (and under /api/ it is JSON
with a ``detail``), and no Django default message reaches the person. A
new form or operation is covered the day it is added to the matrix.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.testing import examples

from . import test_url_matrix as matrix
from .test_url_matrix import _address, _client_for, _fill, cases_for, endpoints

# The matrix's world (built once for the module, each test in a savepoint) and its signed-in personas.
shared_world = matrix.shared_world
matrix_world = matrix.matrix_world

WRITES = ("POST", "PUT", "PATCH")
# Doing these as a role would end the test's session or its world, not probe a form.
NOT_PROBED = {"accounts:sign-out"}
# Django's own words, which must never reach a person (core/ui/forms.py gives the service's).
DJANGO_DEFAULTS = (
    "This field is required.",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Null characters are not allowed.",
)

# Each of these goes into every field of every form (and every field of
# every API body) in turn; random mixes of them follow.
HOSTILE_TEXT = [
    "",
    "a\x00b",
    "x" * 5_000,
    "-1",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "2026-02-30",
    "31/12/2026",
    "£1,000.505",
    "<script>alert(1)</script>",
    "\u202e\u200b",
    "🙂" * 50,
    "null",
]
# text() never draws lone surrogates: they cannot be sent in a form (JSON can: see HOSTILE_JSON).
hostile_text = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=40)
HOSTILE_JSON = [*HOSTILE_TEXT, "\ud800", None, True, -1, 2**70, 1.5, 1e308, [], {}, ["x", 1], {"key": "x"}]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | hostile_text
    | st.just("\ud800")
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)

HOSTILE = settings(
    max_examples=examples(5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------------------
# What each URL accepts.
# ---------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms on a page that post, with their field names and options."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                values = self._current["fields"].setdefault(name, [])
                if attrs.get("value") is not None:
                    values.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


_PROBED: set[tuple[str, str, tuple[str, ...]]] = set()


def _allowed_roles(the_case) -> list[str]:
    """The roles that may use a URL, the signed-out visitor last."""
    return sorted(the_case.allow, key=lambda role: (role == "anonymous", role))


def _allowed_role(the_case) -> str | None:
    roles = [role for role in _allowed_roles(the_case) if role != "anonymous"]
    return roles[0] if roles else None


def _web_targets() -> list:
    targets = []
    for endpoint in endpoints():
        if endpoint.is_api or endpoint.is_admin or endpoint.name in NOT_PROBED:
            continue
        for index, the_case in enumerate(cases_for(endpoint) or ()):
            if the_case.allow:  # every row someone may use: each may reach another state of the page
                targets.append(pytest.param(endpoint, the_case, id=f"{endpoint.name}-{the_case.label or index}"))
    return targets


def _api_targets() -> list:
    targets = []
    for endpoint in endpoints():
        if not endpoint.is_api or not set(endpoint.methods or ()) & set(WRITES):
            continue
        for index, the_case in enumerate(cases_for(endpoint) or ()):
            role = _allowed_role(the_case)
            if role is not None:
                for method in sorted(set(endpoint.methods) & set(WRITES)):
                    targets.append(
                        pytest.param(endpoint, the_case, role, method, id=f"{endpoint.name}-{index}-{method}-{role}")
                    )
                break
    return targets


def _body_fields(openapi: dict, path: str, method: str) -> list[str]:
    """The names of the JSON body's fields, from the OpenAPI document."""
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return sorted(schema.get("properties", {}))


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@pytest.fixture(scope="module")
def openapi(shared_world, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


# ---------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------


def _assert_sound(response, where: str, is_api: bool) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if is_api:
        assert response["Content-Type"].startswith("application/json"), f"{where}: not JSON"
        if response.status_code >= 400:
            body = json.loads(response.content)
            assert isinstance(body, dict) and isinstance(body.get("detail"), str), f"{where}: {body!r}"[:500]
    elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        text = response.content.decode()
        for words in DJANGO_DEFAULTS:
            assert words not in text, f"{where}: shows Django's own message {words!r}"


@pytest.mark.parametrize(("endpoint", "the_case"), _web_targets())
def test_every_form_survives_hostile_input(endpoint, the_case, matrix_world):
    world = matrix_world
    path = _address(endpoint, _fill(endpoint, the_case, world))
    # The first role allowed here that is shown a form (a reader may be shown none).
    for role in _allowed_roles(the_case):
        client = _client_for(world, role, is_api=False)
        page = client.get(path)
        parser = _Forms()
        if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
            parser.feed(page.content.decode())
        forms = [(urljoin(path, form["action"]), sorted(form["fields"])) for form in parser.forms]
        forms = [(action, fields) for action, fields in forms if action.split("?")[0] != "/account/sign-out/"]
        if forms:
            break
    if the_case.data:
        role = _allowed_role(the_case) or "anonymous"
        client = _client_for(world, role, is_api=False)
        forms.append((path, sorted(the_case.data)))
    # A form already probed (the same address, fields and role, from another row) is not sent again.
    forms = [form for form in forms if (role, form[0].split("?")[0], tuple(form[1])) not in _PROBED]
    _PROBED.update((role, action.split("?")[0], tuple(fields)) for action, fields in forms)
    if not forms:
        pytest.skip("no form posts here, or only forms already probed")

    def send(action: str, body: dict) -> None:
        response = client.post(action, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded")
        _assert_sound(response, f"POST {action} as {role} with {body!r}"[:300], is_api=False)

    for action, fields in forms:
        send(action, {})
        for value in HOSTILE_TEXT:
            send(action, dict.fromkeys(fields, value))
        send(action, dict.fromkeys(fields, ["1", "2"]))

    @HOSTILE
    @given(data=st.data())
    def mixes(data):
        action, fields = data.draw(st.sampled_from(forms))
        body = {
            name: data.draw(st.lists(hostile_text, min_size=1, max_size=2))
            for name in fields
            if data.draw(st.booleans())
        }
        send(action, body)

    mixes()


@pytest.mark.parametrize(("endpoint", "the_case", "role", "method"), _api_targets())
def test_every_api_operation_survives_hostile_input(endpoint, the_case, role, method, matrix_world, openapi):
    world = matrix_world
    path = _address(endpoint, _fill(endpoint, the_case, world))
    fields = _body_fields(openapi, _openapi_path(endpoint.route), method)
    client = _client_for(world, role, is_api=True)
    objects = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, json_values)) if fields else json_values

    def send(body) -> None:
        response = client.generic(method, path, json.dumps(body), content_type="application/json")
        _assert_sound(response, f"{method} {path} as {role} with {json.dumps(body)[:200]}", is_api=True)

    for value in HOSTILE_JSON:
        send(value)  # the whole body
        if fields:
            send(dict.fromkeys(fields, value))

    @HOSTILE
    @given(body=objects | json_values)
    def mixes(body):
        send(body)

    mixes()


def test_the_walk_finds_forms_and_operations():
    """The generated lists are not empty: the walk really reaches the URL conf."""
    assert len(_web_targets()) > 40
    assert len(_api_targets()) > 10
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # a body over it is a clear 413, tested elsewhere
