"""The calibration API: the same checks, rules and results as the pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from personfirst.sds.calibration.models import CalibrationImport, CalibrationUpload

from .samples import good_csv, with_bad_rows

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _base(world):
    return f"/api/v1/councils/{world.area.code}"


def test_check_then_import_through_the_api(world, api_client_for):
    client = api_client_for(world.council_admin)
    response = _post(client, f"{_base(world)}/calibration-uploads", {"file_name": "p.csv", "content": with_bad_rows()})
    assert response.status_code == 201
    report = response.json()
    assert (report["good_rows"], report["bad_rows"], report["refused"]) == (60, 2, False)
    assert report["problems"] == [
        {
            "line": 62,
            "column": "points",
            "problem": '"x" is not a whole number',
            "message": 'line 62: column points: "x" is not a whole number',
        },
        {
            "line": 63,
            "column": "weekly_cost",
            "problem": '"-2" is below £0',
            "message": 'line 63: column weekly_cost: "-2" is below £0',
        },
    ]
    assert not CalibrationImport.objects.exists()
    url = f"{_base(world)}/calibration-uploads/{report['id']}/import"
    refused = _post(client, url, {"good_rows": 62})
    assert refused.status_code == 422
    assert "This file has 60 good rows, not 62" in json.dumps(refused.json())
    made = _post(client, url, {"good_rows": 60})
    assert made.status_code == 201 and made.json()["row_count"] == 60
    assert _post(client, url, {"good_rows": 60}).status_code == 404  # imported already: the checked file is gone
    listed = client.get(f"{_base(world)}/calibration-imports").json()
    assert [m["id"] for m in listed] == [made.json()["id"]]


def test_a_refused_file_reports_its_header_problems(world, api_client_for):
    client = api_client_for(world.council_admin)
    report = _post(
        client, f"{_base(world)}/calibration-uploads", {"file_name": "p.csv", "content": "points\n1\n"}
    ).json()
    assert report["refused"] is True
    assert [p["message"] for p in report["problems"]] == [
        "line 1: column weekly_cost: missing",
        "line 1: column age_band: missing",
        "line 1: column client_group: missing",
        "line 1: column carer_present: missing",
    ]
    response = _post(client, f"{_base(world)}/calibration-uploads/{report['id']}/import", {"good_rows": 1})
    assert response.status_code == 422 and not CalibrationImport.objects.exists()


def test_a_checked_file_can_be_given_up(world, api_client_for):
    client = api_client_for(world.council_admin)
    report = _post(client, f"{_base(world)}/calibration-uploads", {"file_name": "p.csv", "content": good_csv()}).json()
    assert client.delete(f"{_base(world)}/calibration-uploads/{report['id']}").status_code == 204
    assert not CalibrationUpload.objects.exists()


def _imported(world, client, n=300):
    report = _post(client, f"{_base(world)}/calibration-uploads", {"file_name": "p.csv", "content": good_csv(n)}).json()
    return _post(client, f"{_base(world)}/calibration-uploads/{report['id']}/import", {"good_rows": n}).json()["id"]


def test_fit_and_equity_through_the_api(world, api_client_for):
    client = api_client_for(world.council_admin)
    made = _imported(world, client)
    fit = client.get(f"{_base(world)}/calibration-imports/{made}/fit").json()
    assert fit["packages"] == 300
    price = Decimal(fit["through_zero"]["price_per_point"])
    assert abs(price - Decimal("9.50")) < Decimal("0.50")
    assert fit["through_zero"]["price_per_point"].count(".") == 1 and len(price.as_tuple().digits) >= 3
    assert fit["bands"]["bands"][0]["from_points"] == 0
    given = client.get(f"{_base(world)}/calibration-imports/{made}/fit", {"bands": "0,20,40"}).json()
    assert [b["from_points"] for b in given["bands"]["bands"]] == [0, 20, 40] and given["bands"]["given"]
    bad = client.get(f"{_base(world)}/calibration-imports/{made}/fit", {"bands": "ten"})
    assert bad.status_code == 422 and "whole numbers" in json.dumps(bad.json())
    equity = client.get(f"{_base(world)}/calibration-imports/{made}/equity").json()
    assert [c["key"] for c in equity["categories"]] == ["age_band", "client_group", "carer_present"]
    assert all(g["count"] == 150 for g in equity["categories"][2]["groups"])


def test_too_few_packages_to_fit_is_a_json_error(world, api_client_for):
    client = api_client_for(world.council_admin)
    made = _imported(world, client, n=4)
    for what in ("fit", "equity"):
        response = client.get(f"{_base(world)}/calibration-imports/{made}/{what}")
        assert response.status_code == 422 and "At least 5 packages" in json.dumps(response.json())


@pytest.mark.parametrize("persona", ["practitioner", "commissioner", "platform"])
def test_only_the_areas_council_administrators_may_use_it(world, api_client_for, persona):
    made = _imported(world, api_client_for(world.council_admin))
    client = api_client_for(getattr(world, persona))
    assert client.get(f"{_base(world)}/calibration-imports").status_code == 404
    assert client.get(f"{_base(world)}/calibration-imports/{made}/fit").status_code == 404
    upload = _post(client, f"{_base(world)}/calibration-uploads", {"file_name": "p.csv", "content": good_csv()})
    assert upload.status_code == 404 and not CalibrationUpload.objects.exists()


def test_the_operations_are_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {
        "list_calibration_imports",
        "check_calibration_file",
        "import_calibration_file",
        "give_up_calibration_file",
        "get_calibration_fit",
        "get_calibration_equity",
    } <= operations


def test_a_file_holding_a_nul_character_is_refused_as_not_text(world, api_client_for):
    """A UTF-16 file read as UTF-8 is full of NULs, which PostgreSQL cannot keep:
    it was a 500 there (found by tests/test_hostile_input.py)."""
    client = api_client_for(world.council_admin)
    response = _post(
        client, f"{_base(world)}/calibration-uploads", {"file_name": "p\x00.csv", "content": "po\x00ints\n1\n"}
    )
    assert response.status_code == 201  # checked and kept, as every file is, with its report
    report = response.json()
    assert report["refused"] is True
    assert [p["message"] for p in report["problems"]] == [
        "line 1: the file is not UTF-8 text: save it as CSV UTF-8 and upload it again"
    ]
    upload = CalibrationUpload.objects.get(pk=report["id"])
    assert (upload.file_name, upload.content) == ("p.csv", "")
