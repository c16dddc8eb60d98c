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
        if "requestBody" in operation:
            expected |= {"400", "422"}
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
    paid = body["properties"]["paid_staff"]["anyOf"][0]
    assert paid["minimum"] == 0


@pytest.mark.parametrize("with_token", [False, True])
def test_every_listed_operation_answers_401_without_a_valid_token(schema, with_token):
    client = Client(HTTP_AUTHORIZATION="Bearer pf_wrong") if with_token else Client()
    for path, method, _operation in operations(schema):
        url = re.sub(r"\{\w+\}", "1", path)
        response = client.generic(method.upper(), url, "{}", content_type="application/json")
        assert response.status_code == 401, f"{method.upper()} {path}: {response.status_code}"
        assert response.json()["detail"]
