"""Reading a RAS file: every problem named with the file and line; nothing loaded from a bad file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from personfirst.sds.allocation import ras_file

GOOD = """\
ras: test-ras
version: 2
title: Test RAS
effective_from: 2026-04-01
bands:
  - {from: 0, weekly: "0.00"}
  - {from: 10, weekly: "150.00"}
contingency_percent: "0"
rounding: {to: "5.00", direction: nearest}
ceiling_weekly: "900.00"
domains:
  - key: care
    title: Care
    cap: 20
    questions:
      washing: {none: 0, all: 12}
"""


def test_a_good_file_loads():
    ras = ras_file.parse(GOOD, "test.yaml")
    assert (ras.key, ras.version, ras.round_to, ras.round_up) == ("test-ras", 2, Decimal("5.00"), False)
    assert ras.bands[1].weekly == Decimal("150.00")
    assert ras.question("washing")[1].points == {"none": 0, "all": 12}


def test_every_shipped_ras_loads():
    files = sorted(ras_file.SHIPPED.glob("*.yaml"))
    assert files
    for path in files:
        ras_file.load(path)


@pytest.mark.parametrize(
    ("bad", "good", "expected"),
    [
        ("title: Test RAS\n", "", "test.yaml:1: the RAS is missing required key 'title'"),
        ("cap: 20", "cap: -3", "test.yaml:14: the cap of 'care' should be a whole number from 0"),
        ('weekly: "150.00"', 'weekly: "lots"', "test.yaml:7: a band's weekly should be an amount of 0 or more"),
        ('weekly: "150.00"', 'weekly: "1.005"', "test.yaml:7: a band's weekly should be an amount"),
        ("effective_from: 2026-04-01", "effective_from: soon", "test.yaml:4: effective_from should be a date"),
        ("direction: nearest", "direction: sideways", "test.yaml:9: rounding: direction should be 'up' or"),
        ("all: 12", "all: twelve", "test.yaml:16: the points for 'washing: all' should be a whole number"),
        ("version: 2", "version: 2\nprice: 3", "test.yaml:3: unknown key 'price' in the RAS"),
        ("none: 0, all: 12", "none: 0, none: 12", "test.yaml:16: duplicate key 'none'"),
        ("{from: 10,", "{from: 10 weekly", "test.yaml:7: YAML syntax error"),
    ],
)
def test_a_malformed_file_names_what_and_where(bad, good, expected):
    with pytest.raises(ras_file.RasFileError) as error:
        ras_file.parse(GOOD.replace(bad, good), "test.yaml")
    problems = [str(problem) for problem in error.value.problems]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_ras_whose_bands_fall_is_refused_with_the_reason():
    with pytest.raises(ras_file.RasFileError, match="gives less than the band before it"):
        ras_file.parse(
            GOOD.replace('"150.00"', '"0.00"').replace('"0.00"}\n  - {from: 10', '"9.00"}\n  - {from: 10'), "t"
        )


@pytest.mark.django_db
def test_the_ras_page_shows_every_answers_points_to_anyone(client):
    from personfirst.core.organisations.models import CouncilArea
    from personfirst.sds.allocation import services

    area = CouncilArea.objects.create(code="E99000001", name="Eastmere")
    assert "No council has a resource allocation system in force yet" in client.get("/resource-allocation/").text
    version, _ = services.load_ras_file(ras_file.SHIPPED / "eastmere-ras-1.yaml", council_area=area)
    assert "No resource allocation system is in force in Eastmere" in client.get("/resource-allocation/E99000001/").text
    services.publish(version, by=None, backdate=True)
    assert "/resource-allocation/E99000001/" in client.get("/resource-allocation/").text
    html = client.get("/resource-allocation/E99000001/").text
    assert "£9.50 a point" in html and "5% is added" in html
    assert "How do you get on with washing, bathing and keeping clean?" in html
    assert "Someone needs to do it with me every time" in html
