"""Postcodes from the ONS data in the package, placed on the grid, with a
clear message for everything we cannot place."""

from __future__ import annotations

import pytest

from personfirst.market.directory import grid, postcodes
from personfirst.market.tests.fixtures import POSTCODES


def test_the_package_gives_the_postcodes_the_tests_use():
    """The fixture's numbers are the package's (the ONS postcode directory)."""
    rows = {code: (e, n, la) for code, e, n, la in postcodes.rows(POSTCODES)}
    assert rows == POSTCODES


def test_a_postcode_with_no_place_or_council_is_kept_with_empty_values():
    """The package gives NaN for them (the whole load failed on SQLite's NOT NULL before this)."""
    assert list(postcodes.rows(["AB11 3AG"])) == [("AB113AG", None, None, "")]


def test_northern_ireland_is_left_out_of_the_table():
    assert list(postcodes.rows(["BT11AA"])) == []


def test_loading_some_postcodes(db):
    from personfirst.market.directory.models import Postcode

    assert postcodes.load(only=["NR1 3QU", "SW1A 1AA"]) == 2
    assert Postcode.objects.get(code="NR13QU").easting == 622760


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a postcode, like NR1 3QU"),
        ("banana", "“banana” is not a postcode"),
        ("BT1 1AA", "postcodes in Northern Ireland are on a different map grid"),
        ("NR99 9ZZ", "We cannot find the postcode NR99 9ZZ"),
        ("GY1 1AA", "We know the postcode GY1 1AA but not where it is on the map"),
    ],
)
def test_what_we_cannot_place_is_said_plainly(places, text, message):
    with pytest.raises(postcodes.PostcodeError, match=message):
        postcodes.place(text)


def test_a_postcode_is_placed_however_it_is_typed(places):
    place = postcodes.place(" nr13qu ")
    assert (place.postcode, place.easting, place.northing, place.la_code) == ("NR1 3QU", 622760, 307925, "E07000148")
    assert (place.outward, place.sector) == ("NR1", "NR1 3")


def test_districts_and_sectors():
    assert postcodes.area_code("nr1") == "NR1"
    assert postcodes.area_code("NR10 3") == "NR10 3"
    assert postcodes.area_code("NR10 3AN") is None


def test_grid_to_latitude_and_longitude_matches_the_ordnance_surveys_worked_example():
    lat, lon = grid.to_osgb36(651409.903, 313177.270)  # the OS guide: 52°39'27.2531"N, 1°43'4.5177"E
    assert lat == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert lon == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)
    # Buckingham Palace (SW1A 1AA), WGS84, to within about 10 metres.
    lat, lon = grid.to_wgs84(529090, 179645)
    assert lat == pytest.approx(51.50101, abs=1e-4) and lon == pytest.approx(-0.14159, abs=1.5e-4)


def test_loading_every_postcode_replaces_the_table(db, monkeypatch):
    """The whole load (COPY or batched inserts), on a small stand-in for the package."""
    from personfirst.market.directory.models import Postcode, PostcodeDataset

    Postcode.objects.create(code="OLD1AA", easting=1, northing=1, la_code="E0")
    sample = [("NR13QU", 622760, 307925, "E07000148"), ("GY11AA", None, None, "")]
    monkeypatch.setattr(postcodes, "rows", lambda only=None: iter(sample))
    counted = []
    assert postcodes.load(progress=counted.append, batch=1) == 2
    assert sum(counted) == 2
    assert sorted(Postcode.objects.values_list("code", flat=True)) == ["GY11AA", "NR13QU"]
    assert PostcodeDataset.objects.get().count == 2
