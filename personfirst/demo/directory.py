"""The demo's directory: published services of Eastmere's organisations,
and one new entry waiting for the directory moderator.

Eastmere is made up, but the directory can only place real postcodes, so
its services are at real postcodes in Norwich. Loading twice changes nothing.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from personfirst.core.organisations.models import Organisation
from personfirst.market.directory import entries, moderation, postcodes, publishing
from personfirst.market.directory.models import ENGLAND, ONS_GEOGRAPHY, Postcode, Provider, Service, Submission

# Real postcodes in and around Norwich (Norwich City E07000148, Broadland E07000144).
POSTCODES = ["NR1 3QU", "NR1 1AE", "NR1 1AG", "NR2 1TF", "NR3 3AG", "NR3 4AY", "NR4 7TJ", "NR10 3AN"]
COUNCIL = "E07000148"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://personfirst.example/demo/" + "/".join(parts)))


# slug, name, description, outcomes, themes, needs, prices [(what, amount, unit, budget)], postcode, days, hours
SERVICES = [
    (
        "eastmere-carers-centre",
        "Carers' Cafe",
        "A relaxed cafe morning for unpaid carers: tea, cake, advice and other carers to talk to.",
        "have a break from caring, meet other carers, find out what help there is",
        ["health-matters", "things-to-do"],
        ["carers"],
        [("A morning", "0", "session", False)],
        "NR1 1AE",
        "TU",
        ("10:00", "12:00"),
    ),
    (
        "eastmere-carers-centre",
        "Sitting service for carers",
        "A trained volunteer sits with the person you care for, at home, so you can go out.",
        "have time for myself, go to my own appointments",
        ["living-at-home", "staying-safe"],
        ["carers", "dementia"],
        [("Up to three hours", "12.00", "session", True), ("Each extra hour", "5.00", "hour", True)],
        "NR1 1AE",
        "MO,WE,FR",
        ("09:00", "17:00"),
    ),
    (
        "riverside-home-care",
        "Help at home",
        "Care workers visit to help with washing, dressing, meals and medicines, from 30 minutes a visit.",
        "stay in my own home, get up and dressed, eat well",
        ["living-at-home"],
        ["older-people", "physical-disability"],
        [("Weekday visits", "24.50", "hour", True), ("Evenings and weekends", "28.00", "hour", True)],
        "NR3 3AG",
        "MO,TU,WE,TH,FR,SA,SU",
        ("07:00", "22:00"),
    ),
    (
        "speak-up-eastmere",
        "Saturday social club",
        "A social club run by and for people with a learning disability: games, music and trips out.",
        "see my friends on Saturdays, go out, try new things",
        ["things-to-do"],
        ["learning-disability", "autism"],
        [("A Saturday", "4.00", "session", True)],
        "NR2 1TF",
        "SA",
        ("11:00", "16:00"),
    ),
    (
        "little-acorns",
        "Day service at Acorn House",
        "A small day service with gardening, cooking and crafts, and a hot lunch.",
        "get out of the house, learn to cook, be with other people",
        ["things-to-do", "living-at-home"],
        ["older-people", "learning-disability"],
        [("A day", "48.00", "day", True), ("Lunch", "5.50", "item", False)],
        "NR3 4AY",
        "MO,WE,TH",
        ("09:30", "15:30"),
    ),
    (
        "eastmere-advice-network",
        "Benefits and money advice",
        "Free, confidential help with benefits, debts and budgeting, by phone or in person.",
        "manage my money, claim what I am entitled to",
        ["money-matters"],
        [],
        [("Advice", "0", "session", False)],
        "NR1 3QU",
        "MO,TU,WE,TH",
        ("09:00", "16:00"),
    ),
    (
        "direct-choice",
        "Direct payment support",
        "Help to use a direct payment: employing a personal assistant, payroll and keeping records.",
        "use my direct payment, employ my own personal assistant",
        ["money-matters", "living-at-home"],
        [],
        [("Payroll, a month", "18.00", "month", True)],
        "NR4 7TJ",
        "MO,TU,WE,TH,FR",
        ("09:00", "17:00"),
    ),
    (
        "good-neighbours",
        "Befriending and lifts",
        "Volunteers visit for a chat every week and give lifts to the shops and appointments.",
        "feel less lonely, get to the shops and the doctor",
        ["getting-around", "things-to-do"],
        ["older-people"],
        [("Visits", "0", "session", False), ("A lift", "3.00", "item", False)],
        "NR10 3AN",
        "MO,TU,WE,TH,FR",
        ("09:00", "17:00"),
    ),
    (
        "common-table",
        "Community lunch",
        "A three-course lunch cooked by our trainees, every Wednesday, with a warm welcome.",
        "eat a hot meal with other people, find work in a kitchen",
        ["things-to-do", "working-and-volunteering"],
        [],
        [("Lunch", "6.50", "item", False)],
        "NR1 1AG",
        "WE",
        ("12:00", "14:00"),
    ),
]
# A new entry from the carers' centre, waiting for the moderator.
WAITING = (
    "eastmere-carers-centre",
    "Carers' walking group",
    "A gentle walk around the parks every Thursday, then coffee.",
    "keep fit, meet other carers",
    ["health-matters", "things-to-do"],
    ["carers"],
    [("A walk", "0", "session", False)],
    "NR2 1TF",
    "TH",
    ("10:00", "11:30"),
)


def _entry(spec) -> dict:
    slug, name, description, outcomes, themes, needs, prices, postcode, days, (opens, closes) = spec
    key = f"{slug}/{name}"
    entry = entries.empty(_id("service", key))
    entry.update(name=name, description=description, outcomes=outcomes, themes=themes, needs=needs)
    entry["cost_options"] = [
        {
            "id": _id("price", key, what),
            "option": what,
            "amount": amount if amount != "0" else "0.00",
            "unit": unit,
            "personal_budget": budget,
            "amount_description": "",
            "valid_from": None,
            "valid_to": None,
        }
        for what, amount, unit, budget in prices
    ]
    entry["locations"] = [
        {
            "id": _id("place", key),
            "link_id": _id("link", key),
            "address_id": _id("address", key),
            "accessibility_id": None,
            "location_type": "physical",
            "name": f"{name} base",
            "description": "",
            "address_1": "1 Market Street",
            "address_2": "",
            "city": "Eastmere",
            "postcode": postcodes.formatted(postcode),
            "country": "GB",
            "accessibility": "Step-free entrance and an accessible toilet.",
            "latitude": None,
            "longitude": None,
            "external_identifier": "",
            "external_identifier_type": "",
        }
    ]
    entry["areas"] = [
        {
            "id": _id("area", key),
            "kind": "local_authority",
            "code": COUNCIL,
            "name": "Eastmere (Norwich)",
            "extent": "",
            "extent_type": "",
            "uri": ONS_GEOGRAPHY + COUNCIL,
        }
    ]
    if slug == "eastmere-advice-network":
        entry["areas"].append(
            {
                "id": _id("area", key, "england"),
                "kind": "country",
                "code": ENGLAND,
                "name": "England",
                "extent": "",
                "extent_type": "",
                "uri": ONS_GEOGRAPHY + ENGLAND,
            }
        )
    entry["schedules"] = [
        {
            "id": _id("schedule", key),
            "freq": "WEEKLY",
            "interval": 1,
            "byday": days,
            "bymonthday": "",
            "opens_at": opens,
            "closes_at": closes,
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
            "id": _id("contact", key),
            "phone_id": _id("phone", key),
            "name": "Reception",
            "title": "",
            "phone": "01603 000000",
        }
    ]
    entry["languages"] = [{"id": _id("language", key), "name": "English", "code": "en", "note": ""}]
    return entry


@transaction.atomic
def load() -> int:
    """Publish the demo services (once) and put one entry in the queue. Returns how many were published."""
    missing = [code for code in POSTCODES if not Postcode.objects.filter(code=postcodes.squash(code)).exists()]
    if missing:
        postcodes.load(only=missing)
    providers = {}
    for slug in {spec[0] for spec in [*SERVICES, WAITING]}:
        organisation = Organisation.objects.get(slug=slug)
        providers[slug], _ = Provider.objects.get_or_create(
            organisation=organisation, defaults={"name": organisation.name, "description": organisation.description}
        )
    items = [
        publishing.Item(_entry(spec), providers[spec[0]].pk)
        for spec in SERVICES
        if not Service.objects.filter(pk=_id("service", f"{spec[0]}/{spec[1]}")).exists()
    ]
    publishing.write(items)
    waiting = _entry(WAITING)
    if not Submission.objects.filter(service_id=waiting["id"]).exists():
        moderation.submit(providers[WAITING[0]], waiting, by=None)
    return len(items)
