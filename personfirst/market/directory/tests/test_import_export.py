"""Importing an Open Referral UK feed (all or nothing, a report per record
by id and field, idempotent upsert by id) and exporting a data package."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from personfirst.market.directory import generate, transfer
from personfirst.market.directory.models import CostOption, Provider, Service
from personfirst.market.tests.fixtures import POSTCODES

PLACES = [(code, e, n, la) for code, (e, n, la) in POSTCODES.items()]


@pytest.fixture
def feed():
    return list(generate.records(12, PLACES, seed=3))


def _spoil(feed):
    bad = copy.deepcopy(feed)
    bad[2]["cost_options"] = [{"id": "c0a0b0c0-0000-4000-8000-000000000001", "amount": "twelve"}]
    bad[5]["status"] = "open"
    del bad[5]["name"]
    bad[9]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ZZ9 BAD"
    return bad


def test_three_bad_records_are_reported_by_id_and_field_and_nothing_is_loaded(db, feed, places):
    bad = _spoil(feed)
    report = transfer.import_records(bad)
    assert not report.ok and report.loaded == 0
    assert set(report.problems) == {bad[2]["id"], bad[5]["id"], bad[9]["id"]}
    assert [str(p) for p in report.problems[bad[2]["id"]]] == ["cost_options[0].amount: “twelve” is not a number"]
    assert {p.field for p in report.problems[bad[5]["id"]]} == {"name", "status"}
    assert [p.field for p in report.problems[bad[9]["id"]]] == [
        "service_at_locations[0].location.addresses[0].postal_code"
    ]
    assert not Service.objects.exists() and not Provider.objects.exists()


def test_a_clean_run_loads_everything_and_a_second_run_changes_nothing(
    db, feed, places, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = transfer.import_records(feed)
    assert first.ok and first.loaded == 12
    counts = (Service.objects.count(), CostOption.objects.count(), Provider.objects.count())
    modified = dict(Service.objects.values_list("pk", "name"))
    with django_capture_on_commit_callbacks(execute=True):
        again = transfer.import_records(feed)
    assert again.ok
    assert (Service.objects.count(), CostOption.objects.count(), Provider.objects.count()) == counts
    assert dict(Service.objects.values_list("pk", "name")) == modified
    # A record changed in the feed is updated in place, by id; a price it lost is gone.
    changed = copy.deepcopy(feed)
    changed[0]["name"] = "Renamed Club"
    changed[0]["cost_options"] = changed[0]["cost_options"][:0]
    transfer.import_records(changed)
    service = Service.objects.get(pk=feed[0]["id"])
    assert service.name == "Renamed Club" and not service.cost_options.exists()


def test_the_same_id_twice_in_a_feed_is_a_problem(db, feed, places):
    doubled = [*feed, copy.deepcopy(feed[0])]
    report = transfer.import_records(doubled)
    assert [str(p) for p in report.problems[feed[0]["id"]]][-1].startswith("id: appears more than once")


def test_the_command_reports_each_problem_and_fails(db, feed, places, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(_spoil(feed)))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was loaded: 3 of 12 records have problems"):
        call_command("import_oruk", str(path), stderr=err)
    assert f"{path}: {feed[2]['id']}: cost_options[0].amount" in err.getvalue()


def test_a_broken_file_names_the_line(db, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text('[\n{"id": 1},\n{"id": \n')
    with pytest.raises(CommandError, match=rf"{path}:\d+: not valid JSON"):
        call_command("import_oruk", str(path))


def test_export_then_import_gives_the_same_directory(db, feed, places, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transfer.import_records(feed)
    before = {s.pk: (s.name, s.lowest_price, s.personal_budget, s.theme_bits) for s in Service.objects.all()}
    package = tmp_path / "directory.zip"
    call_command("export_oruk", str(package), stdout=io.StringIO())
    with zipfile.ZipFile(package) as opened:
        descriptor = json.loads(opened.read("datapackage.json"))
        assert {resource["path"] for resource in descriptor["resources"]} >= {"services.csv", "cost_options.csv"}
        assert opened.read("services.csv").decode().count("\n") == 13  # a header and 12 rows
    Service.objects.all().delete()
    call_command("import_oruk", str(package), stdout=io.StringIO())
    after = {s.pk: (s.name, s.lowest_price, s.personal_budget, s.theme_bits) for s in Service.objects.all()}
    assert after == before


def test_a_national_term_mapped_to_a_theme_finds_its_services_under_it(db, places, django_capture_on_commit_callbacks):
    from personfirst.market.directory import publishing
    from personfirst.market.directory.models import TaxonomyTerm
    from personfirst.market.search import engine

    record = next(generate.records(1, PLACES, seed=11))
    record["attributes"] = [
        {
            "id": "5f1d9a54-1111-4c3b-9f2e-000000000001",
            "taxonomy_term": {
                "id": "5f1d9a54-2222-4c3b-9f2e-000000000002",
                "name": "Adult day care",
                "description": "A national category",
                "taxonomy": "LGA service types",
                "taxonomy_id": "5f1d9a54-3333-4c3b-9f2e-000000000003",
            },
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert transfer.import_records([record]).ok
    assert engine.run(engine.Query(theme="things-to-do")).total == 0
    term = TaxonomyTerm.objects.get(name="Adult day care")
    term.theme = "things-to-do"
    term.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.rethink_themes(term) == 1
    assert engine.run(engine.Query(theme="things-to-do")).total == 1
