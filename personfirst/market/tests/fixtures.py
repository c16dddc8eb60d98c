"""Fixtures the market's tests share: real postcodes around Norwich (from
the ONS data the postcode package ships), a provider, a moderator, entries."""

from __future__ import annotations

import copy
import uuid

import pytest

# Postcode -> (easting, northing, local authority), as the package gives them.
POSTCODES = {
    "NR13QU": (622760, 307925, "E07000148"),  # the centre of the tests' map (Norwich)
    "NR11AE": (624758, 308175, "E07000148"),  # 2.0 km away
    "NR11AG": (625400, 310800, "E07000144"),  # 3.9 km (Broadland)
    "NR103AN": (619476, 315325, "E07000144"),  # 8.1 km
    "NR103BP": (623839, 319912, "E07000144"),  # 12.0 km
    "NR117JZ": (615670, 336947, "E07000147"),  # 29.9 km
    "SW1A1AA": (529090, 179645, "E09000033"),
}


@pytest.fixture
def places(db):
    from personfirst.market.directory.models import Postcode

    Postcode.objects.bulk_create(
        [Postcode(code=code, easting=e, northing=n, la_code=la) for code, (e, n, la) in POSTCODES.items()]
        + [Postcode(code="GY11AA", easting=None, northing=None, la_code="")]
    )
    return POSTCODES


def make_entry(**changes) -> dict:
    """A complete entry (entries.py) for a day centre in Norwich, with two prices."""
    from personfirst.market.directory import entries

    entry = entries.empty()
    entry.update(
        name="Riverside Day Centre",
        description="A day centre with lunch, activities and trips out for older people.",
        outcomes="Get out of the house and try something new.",
        url="https://riverside.example/day-centre",
        email="hello@riverside.example",
        themes=["things-to-do", "living-at-home"],
        needs=["older-people"],
        minimum_age=55,
    )
    entry["cost_options"] = [
        {
            "id": str(uuid.uuid4()),
            "option": "Weekday session",
            "amount": "35.00",
            "unit": "session",
            "personal_budget": True,
            "amount_description": "",
            "valid_from": None,
            "valid_to": None,
        },
        {
            "id": str(uuid.uuid4()),
            "option": "Lunch",
            "amount": "6.50",
            "unit": "item",
            "personal_budget": False,
            "amount_description": "",
            "valid_from": None,
            "valid_to": None,
        },
    ]
    entry["locations"] = [
        {
            "id": str(uuid.uuid4()),
            "link_id": None,
            "address_id": None,
            "accessibility_id": None,
            "location_type": "physical",
            "name": "Riverside Hall",
            "description": "",
            "address_1": "1 River Lane",
            "address_2": "",
            "city": "Norwich",
            "postcode": "NR1 1AE",
            "country": "GB",
            "accessibility": "Step-free entrance and an accessible toilet.",
            "latitude": None,
            "longitude": None,
            "external_identifier": "",
            "external_identifier_type": "",
        },
    ]
    entry["areas"] = [
        {
            "id": str(uuid.uuid4()),
            "kind": "local_authority",
            "code": "E07000148",
            "name": "Norwich",
            "extent": "",
            "extent_type": "",
            "uri": "http://statistics.data.gov.uk/id/statistical-geography/E07000148",
        }
    ]
    entry["schedules"] = [
        {
            "id": str(uuid.uuid4()),
            "freq": "WEEKLY",
            "interval": 1,
            "byday": "MO,WE,SA",
            "bymonthday": "",
            "opens_at": "10:00",
            "closes_at": "15:30",
            "valid_from": None,
            "valid_to": None,
            "dtstart": None,
            "description": "",
            "attending_type": "",
            "notes": "",
        }
    ]
    entry["contacts"] = [
        {
            "id": str(uuid.uuid4()),
            "phone_id": None,
            "name": "Rita Reception",
            "title": "Manager",
            "phone": "01603 000000",
        }
    ]
    entry["languages"] = [{"id": str(uuid.uuid4()), "name": "English", "code": "en", "note": ""}]
    for key, value in changes.items():
        entry[key] = copy.deepcopy(value)
    return entry


@pytest.fixture
def provider(world):
    from personfirst.market.directory.models import Provider

    return Provider.objects.create(organisation=world.org, name="Riverside Trust", description="Support in Norwich.")


@pytest.fixture
def moderator(world):
    """The demo's directory moderator (a grant over the whole service)."""
    return world.moderator


@pytest.fixture
def publish(provider, places, django_capture_on_commit_callbacks):
    """publish(entry) -> the Service, written and indexed as a moderator's decision would."""
    from personfirst.market.directory import publishing
    from personfirst.market.directory.models import Service

    def write(entry=None, *, to=None, **changes):
        entry = entry or make_entry(**changes)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.write([publishing.Item(entry, (to or provider).pk)])
        return Service.objects.get(pk=entry["id"])

    return write
