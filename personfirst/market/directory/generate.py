"""Made-up Open Referral UK feeds, for tests, the demo and benchmarks.

``records(count, places, ...)`` returns fully nested service records (as
/services/{id} gives them, and as an import reads them): names, words,
themes, prices and places drawn reproducibly from a seed, spread over the
``places`` given as (postcode, easting, northing, local authority).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence

from .models import ONS_GEOGRAPHY
from .vocabulary import NEEDS, THEMES, Need, Theme, Unit, fixed_id

KINDS = [
    ("Day Centre", "A day centre with activities, lunch and trips out.", "see my friends, get out of the house"),
    ("Lunch Club", "A hot two-course lunch and good company.", "eat a hot meal with other people"),
    ("Home Help", "Help at home with cleaning, shopping and laundry.", "stay in my own home"),
    ("Befriending", "A volunteer visits or phones every week for a chat.", "feel less lonely"),
    ("Carers Group", "A group for people caring for a family member.", "have a break from caring"),
    ("Community Transport", "Door-to-door transport to appointments and shops.", "get to the shops and the doctor"),
    ("Walking Group", "Gentle walks around the parks, every week.", "keep fit and meet people"),
    ("Money Advice", "Help with benefits, bills and budgeting.", "manage my money"),
    ("Job Club", "Support to find paid work or volunteering.", "find a job"),
    ("Memory Cafe", "A cafe for people living with dementia and their carers.", "keep my memory active"),
    ("Personal Care", "Care workers help with washing, dressing and meals.", "stay independent at home"),
    ("Gardening Project", "Grow vegetables and flowers on the allotment.", "be outdoors and grow food"),
]
PLACES_WORDS = ["Riverside", "Oak", "Meadow", "Station", "Church", "Market", "Castle", "Mill", "Park", "Bridge"]
UNITS = [Unit.HOUR, Unit.SESSION, Unit.WEEK, Unit.ITEM]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def records(
    count: int,
    places: Sequence[tuple[str, int, int, str]],
    *,
    seed: int = 1,
    organisations: int | None = None,
    locations_per_service: float = 1.5,
) -> Iterator[dict]:
    rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible
    organisations = organisations or max(1, count // 5)
    orgs = [
        {
            "id": str(fixed_id("generated-organisation", str(seed), str(number))),
            "name": f"{rng.choice(PLACES_WORDS)} Care Trust {number}",
            "description": "A made-up provider for testing.",
        }
        for number in range(organisations)
    ]
    themes = list(Theme)
    needs = list(Need)
    for number in range(count):
        kind, description, outcome = KINDS[number % len(KINDS)]
        name = f"{rng.choice(PLACES_WORDS)} {kind} {number}"
        service_id = _uuid(rng)
        chosen_themes = rng.sample(themes, rng.choice((1, 1, 2)))
        chosen_needs = rng.sample(needs, rng.choice((0, 1, 2)))
        attributes = [
            {
                "id": _uuid(rng),
                "link_type": "theme",
                "taxonomy_term": {
                    "id": str(THEMES.term_id(theme.value)),
                    "name": theme.label,
                    "description": theme.label,
                },
            }
            for theme in chosen_themes
        ] + [
            {
                "id": _uuid(rng),
                "link_type": "eligibility",
                "taxonomy_term": {"id": str(NEEDS.term_id(need.value)), "name": need.label, "description": need.label},
            }
            for need in chosen_needs
        ]
        cost_options = []
        for _ in range(rng.choice((0, 1, 2, 2))):
            unit = rng.choice(UNITS)
            amount = rng.choice((0, 3.5, 6, 12.5, 18, 22.75, 35, 60, 140))
            budget = rng.random() < 0.5
            cost_options.append(
                {
                    "id": _uuid(rng),
                    "option": rng.choice(("Standard", "Weekday", "Weekend", "Concession")),
                    "amount": amount,
                    "amount_description": f"{Unit(unit).label}"
                    + ("; a personal budget or direct payment can pay" if budget else ""),
                }
            )
        links = []
        wanted = 1 if rng.random() < 2 - locations_per_service else 2
        for _ in range(wanted):
            postcode, _east, _north, _la = rng.choice(places)
            location_id = _uuid(rng)
            links.append(
                {
                    "id": _uuid(rng),
                    "location": {
                        "id": location_id,
                        "location_type": "physical",
                        "name": f"{rng.choice(PLACES_WORDS)} Hall",
                        "addresses": [
                            {
                                "id": _uuid(rng),
                                "address_1": f"{rng.randint(1, 200)} {rng.choice(PLACES_WORDS)} Road",
                                "city": "Testtown",
                                "state_province": "",
                                "postal_code": postcode,
                                "country": "GB",
                                "address_type": "physical",
                            }
                        ],
                    },
                }
            )
        la = rng.choice(places)[3]
        record = {
            "id": service_id,
            "name": name,
            "description": f"{description} Service number {number}.",
            "outcomes": outcome,
            "status": "active",
            "organization": rng.choice(orgs),
            "cost_options": cost_options,
            "service_at_locations": links,
            "service_areas": [{"id": _uuid(rng), "name": f"Council area {la}", "uri": ONS_GEOGRAPHY + la}],
            "schedules": [
                {
                    "id": _uuid(rng),
                    "freq": "WEEKLY",
                    "interval": 1,
                    "byday": rng.choice(("MO", "TU,TH", "SA")),
                    "opens_at": "10:00:00",
                    "closes_at": "15:00:00",
                }
            ],
            "contacts": [
                {"id": _uuid(rng), "name": "Reception", "phones": [{"id": _uuid(rng), "number": "01234 567890"}]}
            ],
            "languages": [{"id": _uuid(rng), "name": "English", "code": "en"}],
            "attributes": attributes,
        }
        if rng.random() < 0.3:
            record["minimum_age"] = rng.choice((18, 50, 65))
        yield record
