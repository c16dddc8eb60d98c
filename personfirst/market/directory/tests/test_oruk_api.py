"""The Open Referral UK API: every endpoint's responses, every example
record and a generated directory of 1,000 services validate against the
standard's own JSON schemas (tests/oruk/, with format checks), and the API
is open to every origin without signing in."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from personfirst.market.directory import generate, oruk, transfer
from personfirst.market.directory.models import Service, ServiceAtLocation
from personfirst.market.tests.fixtures import POSTCODES, make_entry

HERE = Path(__file__).parent / "oruk"
SCHEMAS = HERE / "schema"
BASE = "https://oruk.example/schema/"


def _registry() -> Registry:
    resources = []
    for path in [*SCHEMAS.glob("*.json"), *SCHEMAS.glob("compiled/*.json")]:
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        name = path.relative_to(SCHEMAS).as_posix()
        contents = {"$id": BASE + name, **contents}
        resources.append((BASE + name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": BASE + name}, registry=REGISTRY, format_checker=FormatChecker())


def assert_valid(instance, name: str) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])


PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def assert_page(body: dict, item_schema: str) -> None:
    assert set(body) == PAGE_FIELDS
    for item in body["contents"]:
        assert_valid(item, item_schema)


EXAMPLES = [
    ("service_full.json", "compiled/service.json"),
    ("service_at_location_full.json", "compiled/service_at_location.json"),
    ("organization_full.json", "compiled/organization.json"),
    ("taxonomy.json", "taxonomy.json"),
    ("taxonomy_term.json", "taxonomy_term.json"),
]
LIST_EXAMPLES = [
    ("service_list.json", "compiled/service_list.json"),
    ("service_at_location_list.json", "compiled/service_at_location_list.json"),
    ("organization_list.json", "compiled/organization_list.json"),
    ("taxonomy_list.json", "taxonomy.json"),
    ("taxonomy_term_list.json", "taxonomy_term.json"),
]


@pytest.mark.parametrize(("example", "schema"), EXAMPLES)
def test_every_example_record_validates(example, schema):
    assert_valid(json.loads((HERE / "examples" / example).read_text()), schema)


@pytest.mark.parametrize(("example", "schema"), LIST_EXAMPLES)
def test_every_example_page_validates(example, schema):
    assert_page(json.loads((HERE / "examples" / example).read_text()), schema)


def test_the_validator_is_not_a_pushover():
    """A record with a bad UUID, an unknown status and an e-mail address that is not one fails."""
    bad = {"id": "not-a-uuid", "name": "X", "status": "open", "email": "nobody"}
    messages = " ".join(e.message for e in validator("compiled/service.json").iter_errors(bad))
    assert "not-a-uuid" in messages and "open" in messages and "nobody" in messages


@pytest.fixture
def service(publish):
    return publish(make_entry())


def get(path: str, **params):
    response = Client().get(path, params)
    assert response["Access-Control-Allow-Origin"] == "*", path
    return response


def test_root_says_which_version(service):
    response = get("/oruk/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/oruk/openapi.json")


def test_every_endpoint_validates(service, places):
    link = ServiceAtLocation.objects.get(service=service)
    term = service.attributes.first().term
    assert_page(get("/oruk/services").json(), "compiled/service_list.json")
    assert_valid(get(f"/oruk/services/{service.pk}").json(), "compiled/service.json")
    assert_page(get("/oruk/service_at_locations").json(), "compiled/service_at_location_list.json")
    assert_page(
        get("/oruk/service_at_locations", postcode="NR1 3QU", proximity=5000).json(),
        "compiled/service_at_location_list.json",
    )
    assert_valid(get(f"/oruk/service_at_locations/{link.pk}").json(), "compiled/service_at_location.json")
    assert_page(get("/oruk/organizations").json(), "compiled/organization_list.json")
    assert_valid(get(f"/oruk/organizations/{service.provider_id}").json(), "compiled/organization.json")
    assert_page(get("/oruk/taxonomies").json(), "taxonomy.json")
    assert_valid(get(f"/oruk/taxonomies/{term.taxonomy_id}").json(), "taxonomy.json")
    assert_page(get("/oruk/taxonomy_terms").json(), "taxonomy_term.json")
    assert_valid(get(f"/oruk/taxonomy_terms/{term.pk}").json(), "taxonomy_term.json")


def test_a_full_service_says_everything(service):
    body = get(f"/oruk/services/{service.pk}").json()
    assert [option["amount"] for option in body["cost_options"]] == [35, 6.5]
    assert body["cost_options"][0]["amount_description"] == ("per session; a personal budget or direct payment can pay")
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "NR1 1AE"
    assert 52.6 < location["latitude"] < 52.7 and 1.3 < location["longitude"] < 1.4  # Norwich
    assert {a["taxonomy_term"]["name"] for a in body["attributes"]} == {
        "Things to do",
        "Living at home",
        "Older people",
    }


def test_filters_and_paging(publish):
    for number in range(5):
        publish(name=f"Choir {number}", description="Singing together.")
    publish(name="Swim", description="Lessons.", minimum_age=18)
    body = get("/oruk/services", search="singing", per_page=2, page=2).json()
    assert body["total_items"] == 5 and body["total_pages"] == 3 and body["page_number"] == 2
    assert body["size"] == 2 and not body["first_page"] and not body["last_page"] and not body["empty"]
    assert get("/oruk/services", search="nothing-matches-this").json()["empty"] is True
    swim = get("/oruk/services", minimum_age=10).json()["contents"]
    assert "Swim" not in [s["name"] for s in swim]


def test_proximity_orders_by_distance_and_keeps_within(publish, places):
    far = make_entry(name="Far")
    far["locations"][0]["postcode"] = "NR10 3BP"  # 12 km from NR1 3QU
    publish(far)
    publish(make_entry(name="Near"))  # NR1 1AE, 2 km
    near_first = get("/oruk/service_at_locations", postcode="NR1 3QU").json()["contents"]
    assert [item["service"]["name"] for item in near_first] == ["Near", "Far"]
    within = get("/oruk/service_at_locations", postcode="NR1 3QU", proximity=5000).json()["contents"]
    assert [item["service"]["name"] for item in within] == ["Near"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/oruk/services/not-a-uuid", {}, 404),
        ("/oruk/services/8a4b4c37-3a47-4b38-8d1f-5b3f8f0f0f0f", {}, 404),
        ("/oruk/services", {"page": 0}, 422),
        ("/oruk/services", {"per_page": 100000}, 422),
        ("/oruk/service_at_locations", {"postcode": "XX"}, 400),
        ("/oruk/service_at_locations", {"postcode": "BT1 1AA"}, 400),
        ("/oruk/service_at_locations", {"proximity": 500}, 400),
        ("/oruk/no-such-thing", {}, 404),
        ("/oruk/taxonomy_terms/0", {}, 404),
    ],
)
def test_errors_are_json_with_a_reason(places, path, params, status):
    response = get(path, **params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_openapi_document_lists_every_endpoint():
    document = get("/oruk/openapi.json").json()
    assert set(document["paths"]) >= {
        "/oruk/",
        "/oruk/services",
        "/oruk/services/{id}",
        "/oruk/service_at_locations",
        "/oruk/service_at_locations/{id}",
        "/oruk/organizations",
        "/oruk/organizations/{id}",
        "/oruk/taxonomies",
        "/oruk/taxonomies/{id}",
        "/oruk/taxonomy_terms",
        "/oruk/taxonomy_terms/{id}",
    }


def test_a_preflight_request_is_answered():
    response = Client().options("/oruk/services", HTTP_ORIGIN="https://council.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"


def test_only_running_services_are_shown(publish):
    closed = publish(make_entry(name="Closed", status="defunct"))
    assert get(f"/oruk/services/{closed.pk}").status_code == 404
    assert get("/oruk/services").json()["total_items"] == 0


def test_a_generated_directory_of_a_thousand_services_validates(places, provider, django_capture_on_commit_callbacks):
    places_list = [(code, e, n, la) for code, (e, n, la) in POSTCODES.items()]
    with django_capture_on_commit_callbacks(execute=True):
        report = transfer.import_records(list(generate.records(1000, places_list, seed=7)))
    assert report.ok, report.lines()[:5]
    assert Service.objects.count() == 1000
    service_schema = validator("compiled/service.json")
    for service in oruk.full_services(Service.objects.all()):
        errors = list(service_schema.iter_errors(oruk.service_full(service)))
        assert not errors, f"{service.pk}: {errors[0].message}"
    for page in range(1, 6):
        assert_page(get("/oruk/services", per_page=200, page=page).json(), "compiled/service_list.json")
    # The data package's services.json is the standard's service package.
    stream = io.BytesIO()
    assert transfer.export(stream) == 1000
    with zipfile.ZipFile(stream) as package:
        assert_valid(json.loads(package.read("services.json")), "compiled/service_package.json")
        assert "datapackage.json" in package.namelist() and "cost_options.csv" in package.namelist()
