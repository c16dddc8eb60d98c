"""The API's description at /api/v1/openapi.json: valid OpenAPI 3.1, every
operation listed, every error it can answer with documented."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from personfirst.core.api.api import api

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def resolve(schema, ref: str):
    assert ref.startswith("#/"), ref
    node = schema
    for part in ref[2:].split("/"):
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def served_operations() -> set[tuple[str, str]]:
    """(METHOD, /api/v1/path) for every operation the API actually serves."""
    served = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(part.strip("/") for part in (prefix, path) if part.strip("/"))
                    served.add((method.lower(), full))
    return served


def test_it_is_openapi_3_1(schema):
    assert re.fullmatch(r"3\.1\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "PersonFirst API"
    assert schema["info"]["version"]
    assert schema["paths"]


def test_the_description_needs_no_token(db):
    assert Client().get("/api/v1/openapi.json").status_code == 200


def test_every_reference_resolves(schema):
    refs = list(all_refs(schema))
    assert refs
    for ref in refs:
        resolve(schema, ref)


def test_every_served_operation_is_listed_and_nothing_else(schema):
    listed = {(method, path) for path, method, _operation in operations(schema)}
    served = {(method, re.sub(r"\{(\w+)\}", r"{\1}", path)) for method, path in served_operations()}
    assert listed == served
    assert ("patch", "/api/v1/organisations/{slug}") in listed
    assert ("get", "/api/v1/me") in listed


def test_operations_are_well_formed(schema):
    ids = [operation.get("operationId") for _path, _method, operation in operations(schema)]
    assert all(ids), "every operation has an operationId"
    assert len(ids) == len(set(ids)), "operationIds are unique"
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), f"{where} has no summary"
        assert operation["responses"], where
        for status, response in operation["responses"].items():
            assert re.fullmatch(r"[1-5]\d\d", status), f"{where}: {status}"
            assert response.get("description"), f"{where} {status} has no description"
        # Path parameters are declared, and required.
        declared = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
        for name in re.findall(r"\{(\w+)\}", path):
            assert name in declared, f"{where} does not declare {{{name}}}"
            assert declared[name]["required"] is True


def _error_schema(schema, operation, status: str) -> dict:
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    return resolve(schema, content["$ref"]) if "$ref" in content else content


def test_every_operation_documents_its_errors(schema):
    security_schemes = schema["components"]["securitySchemes"]
    assert security_schemes["TokenAuth"] == {**security_schemes["TokenAuth"], "type": "http", "scheme": "bearer"}
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        responses = operation["responses"]
        assert operation.get("security") == [{"TokenAuth": []}], f"{where} is not behind a token"
        expected = {"401"}
        if "{" in path:
            expected |= {"403", "404"}
        if operation.get("parameters"):
            expected |= {"422"}  # a path or query parameter that is not valid (pk=abc)
        if "requestBody" in operation:
            expected |= {"400", "413", "422"}  # not JSON, larger than the server reads, not valid
        missing = expected - set(responses)
        assert not missing, f"{where} does not document {sorted(missing)}"
        for status in responses:
            if status.startswith(("4", "5")):
                error = _error_schema(schema, operation, status)
                assert "detail" in error["properties"], f"{where} {status} has no 'detail'"
                assert "detail" in error.get("required", []), f"{where} {status}: 'detail' is not required"
        if "422" in responses:
            error = _error_schema(schema, operation, "422")
            assert "errors" in error["properties"], f"{where}: 422 lists no field errors"


def test_patch_organisation_body_is_described(schema):
    operation = schema["paths"]["/api/v1/organisations/{slug}"]["patch"]
    body = resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    assert set(body["properties"]) == {"name", "type", "paid_staff", "volunteers", "services", "description"}
    assert body.get("additionalProperties") is False
    assert not body.get("required"), "send only what changes"
    paid = body["properties"]["paid_staff"]
    assert (paid["type"], paid["minimum"]) == ("integer", 0)


@pytest.mark.parametrize("with_token", [False, True])
def test_every_listed_operation_answers_401_without_a_valid_token(schema, with_token):
    client = Client(HTTP_AUTHORIZATION="Bearer pf_wrong") if with_token else Client()
    for path, method, _operation in operations(schema):
        url = re.sub(r"\{\w+\}", "1", path)
        response = client.generic(method.upper(), url, "{}", content_type="application/json")
        assert response.status_code == 401, f"{method.upper()} {path}: {response.status_code}"
        assert response.json()["detail"]


# --- The request bodies say exactly what is accepted ---------------------------------------------

JSON_SCHEMA_WORDS = {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "allOf", "oneOf", "enum",
    "$ref", "title", "description", "default", "format", "minimum", "maximum", "minLength", "maxLength",
    "pattern", "maxItems", "minItems", "propertyNames", "const", "examples",
}  # fmt: skip


def body_schema(schema, path: str, method: str) -> dict:
    operation = schema["paths"][f"/api/v1/{path}"][method]
    return resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])


def property_schema(schema, body: dict, name: str) -> dict:
    """A property's schema, with a single $ref (or allOf of one) resolved."""
    node = body["properties"][name]
    if "allOf" in node and len(node["allOf"]) == 1:
        node = {**node, **resolve(schema, node["allOf"][0]["$ref"])}
    if "$ref" in node:
        node = {**node, **resolve(schema, node["$ref"])}
    return node


def nullable(node: dict) -> bool:
    return node.get("type") == "null" or any(branch.get("type") == "null" for branch in node.get("anyOf", []))


def keywords(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            if key not in ("properties", "examples", "default", "const", "enum"):
                yield from keywords(value)
            elif key == "properties":
                for child in value.values():
                    yield from keywords(child)
    elif isinstance(node, list):
        for value in node:
            yield from keywords(value)


def test_the_schemas_use_only_json_schema_words(schema):
    """pydantic writes a bound it cannot place as "ge" or "le", which no validator or fuzzer reads."""
    used = {word for component in schema["components"]["schemas"].values() for word in keywords(component)}
    for _path, _method, operation in operations(schema):
        used |= {word for parameter in operation.get("parameters", []) for word in keywords(parameter["schema"])}
    assert not used - JSON_SCHEMA_WORDS


BODIES = [
    # path, method, required fields, fields that may be null
    ("organisations/{slug}", "patch", set(), set()),
    ("organisations/{slug}/assessments", "post", {"instrument"}, set()),
    ("assessments/{pk}/answers/{item_key}", "put", set(), {"level", "option", "we_option", "achieved_on", "revision"}),
    ("organisations/{slug}/plan/actions", "post", {"title"}, {"due_date"}),
    ("plan/actions/{pk}", "patch", set(), {"due_date"}),
]


@pytest.mark.parametrize(("path", "method", "required", "may_be_null"), BODIES)
def test_required_and_nullable_fields_are_exactly_those(schema, path, method, required, may_be_null):
    body = body_schema(schema, path, method)
    assert body.get("additionalProperties") is False
    assert set(body.get("required", [])) == required
    assert {name for name in body["properties"] if nullable(body["properties"][name])} == may_be_null
    if method == "patch":
        # Left out, a field keeps its value: the document gives no default that would suggest otherwise.
        assert not [name for name, node in body["properties"].items() if "default" in node]


def test_bounds_are_those_of_the_stored_fields(schema):
    from personfirst.core.organisations.models import Organisation
    from personfirst.readiness.assessments.instrument_file import MAX_INSTRUMENT_KEY, MAX_LEVELS
    from personfirst.readiness.assessments.models import Answer, Instrument
    from personfirst.readiness.plans.models import Action

    def max_length(model, field):
        return model._meta.get_field(field).max_length

    organisation = body_schema(schema, "organisations/{slug}", "patch")["properties"]
    assert organisation["name"]["maxLength"] == max_length(Organisation, "name")
    for count in ("paid_staff", "volunteers"):
        assert (organisation[count]["type"], organisation[count]["minimum"]) == ("integer", 0)
    for path, method in [("organisations/{slug}/plan/actions", "post"), ("plan/actions/{pk}", "patch")]:
        action = body_schema(schema, path, method)["properties"]
        assert action["title"]["maxLength"] == max_length(Action, "title")
        assert action["owner"]["maxLength"] == max_length(Action, "owner")
        assert action["title"]["minLength"] == 1
    start = body_schema(schema, "organisations/{slug}/assessments", "post")["properties"]
    assert start["instrument"]["maxLength"] == max_length(Instrument, "key") == MAX_INSTRUMENT_KEY
    answer = body_schema(schema, "assessments/{pk}/answers/{item_key}", "put")["properties"]
    level = answer["level"]["anyOf"][0]
    assert (level["minimum"], level["maximum"]) == (1, MAX_LEVELS)
    assert answer["option"]["anyOf"][0]["maxLength"] == max_length(Answer, "option")
    assert answer["target_dates"]["propertyNames"] == {"pattern": "^[1-9][0-9]{0,2}$"}
    assert answer["target_dates"]["additionalProperties"] == {"type": "string", "format": "date"}


def test_choice_fields_are_enums_of_the_stored_choices(schema):
    from personfirst.core.organisations.choices import OrganisationType, ServiceKind
    from personfirst.readiness.plans.models import ActionStatus
    from personfirst.readiness.plans.services import CHOOSABLE_STATUSES

    organisation = body_schema(schema, "organisations/{slug}", "patch")
    assert property_schema(schema, organisation, "type")["enum"] == list(OrganisationType.values)
    services = organisation["properties"]["services"]
    assert resolve(schema, services["items"]["$ref"])["enum"] == list(ServiceKind.values)
    assert services["maxItems"] == len(ServiceKind.values)
    action = body_schema(schema, "plan/actions/{pk}", "patch")
    assert set(property_schema(schema, action, "status")["enum"]) == set(CHOOSABLE_STATUSES)
    (status,) = [
        p
        for p in schema["paths"]["/api/v1/organisations/{slug}/plan/actions"]["get"]["parameters"]
        if p["in"] == "query"
    ]
    assert resolve(schema, status["schema"]["anyOf"][0]["$ref"])["enum"] == list(ActionStatus.values)


def test_text_fields_say_what_the_validators_refuse(schema):
    """No null character anywhere; a title or a name needs a character that is not a space."""
    from personfirst.core.api.schemas import NO_NULL, NOT_BLANK

    for path, method, _required, _null in BODIES:
        for name, node in body_schema(schema, path, method)["properties"].items():
            strings = [node] if node.get("type") == "string" else list(node.get("anyOf", []))
            if any(branch.get("type") == "string" and "format" not in branch for branch in strings):
                if name == "instrument" or "enum" in node:
                    continue  # a key: its own pattern; a fixed choice (language): its enum
                assert node.get("pattern") in (NO_NULL, NOT_BLANK), (path, name)
    assert body_schema(schema, "plan/actions/{pk}", "patch")["properties"]["title"]["pattern"] == NOT_BLANK
    assert body_schema(schema, "organisations/{slug}", "patch")["properties"]["name"]["pattern"] == NOT_BLANK
