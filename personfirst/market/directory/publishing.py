"""Writing entries to the directory's tables: the one path for publishing a
moderated entry and for importing a feed.

``write`` takes a batch of entries (entries.py) with their providers and
upserts every row by its id: the service, its prices, places, areas,
opening times, contacts, languages and categories. Rows of those services
that the entries no longer hold are deleted, so writing the same entries
twice changes nothing. It places each location from its postcode
(postcodes.py) and works out the facts search filters on. A handful of
queries per batch, whatever its size, so an import of 100,000 services
takes minutes.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from . import entries, grid, postcodes
from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from .vocabulary import LINK_ELIGIBILITY, LINK_THEME, NEEDS, THEMES, fixed_id, theme_bits

# Sent after services are written or removed, with their ids (search keeps its index by it).
services_written = Signal()

SERVICE_FIELDS = [
    "provider",
    "name",
    "description",
    "outcomes",
    "url",
    "email",
    "status",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "alert",
    "assured_date",
    "assurer_email",
    "last_modified",
    "accredited",
    "personal_assistant",
    "lowest_price",
    "personal_budget",
    "theme_bits",
    "stale_flagged_at",
    "stale_escalated_at",
]


@dataclass
class Item:
    entry: dict
    provider_id: uuid.UUID | str


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _upsert(model, objects: list, fields: list[str]) -> None:
    if objects:
        model.objects.bulk_create(objects, update_conflicts=True, unique_fields=["id"], update_fields=fields)


def _fields(model) -> list[str]:
    return [
        f.attname.removesuffix("_id") if f.is_relation else f.name
        for f in model._meta.concrete_fields
        if not f.primary_key
    ]


def _places(items: list[Item]) -> dict[str, tuple[int, int]]:
    codes = {
        postcodes.squash(location["postcode"])
        for item in items
        for location in item.entry["locations"]
        if location.get("postcode") and postcodes.is_well_formed(location["postcode"])
    }
    found: dict[str, tuple[int, int]] = {}
    codes_list = sorted(codes)
    for start in range(0, len(codes_list), 900):
        for row in Postcode.objects.filter(code__in=codes_list[start : start + 900], easting__isnull=False):
            found[row.code] = (row.easting, row.northing)
    return found


def ensure_own_taxonomies() -> None:
    """Our own taxonomies and their terms exist (migration 0002 makes them;
    a database emptied since, as between some tests, gets them back)."""
    from .models import Taxonomy
    from .vocabulary import OWN_TAXONOMIES

    wanted = [term_id for own in OWN_TAXONOMIES for term_id, _code, _label in own.terms()]
    if TaxonomyTerm.objects.filter(pk__in=wanted).count() == len(wanted):
        return
    for own in OWN_TAXONOMIES:
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=own.id, defaults={"name": own.name, "description": own.description, "version": "1"}
        )
        for term_id, code, label in own.terms():
            TaxonomyTerm.objects.get_or_create(
                id=term_id,
                defaults={
                    "taxonomy": taxonomy,
                    "name": label,
                    "code": code,
                    "description": label,
                    "theme": code if own is THEMES else "",
                },
            )


@transaction.atomic
def write(items: Iterable[Item], *, assured_on: datetime.date | None = None, keep_stale_flags: bool = False) -> list:
    """Upsert these entries. ``assured_on``: the day they were checked (a
    moderator's decision), else each entry's own ``assured_date`` or today."""
    items = list(items)
    if not items:
        return []
    ensure_own_taxonomies()
    now = timezone.now()
    today = timezone.localdate()
    ids = [uuid.UUID(item.entry["id"]) for item in items]
    places = _places(items)
    term_themes = dict(
        TaxonomyTerm.objects.filter(pk__in={term for item in items for term in item.entry.get("terms", [])})
        .exclude(theme="")
        .values_list("pk", "theme")
    )
    previous_flags = {}
    if keep_stale_flags:
        previous_flags = {
            row[0]: row[1:]
            for row in Service.objects.filter(pk__in=ids).values_list("pk", "stale_flagged_at", "stale_escalated_at")
        }

    services, options, locations, addresses, access, links = [], [], [], [], [], []
    areas, schedules, contacts, phones, languages, attributes = [], [], [], [], [], []
    for item, service_id in zip(items, ids, strict=True):
        entry = item.entry
        themes = set(entry.get("themes", [])) | {
            term_themes[uuid.UUID(t)] for t in entry.get("terms", []) if uuid.UUID(t) in term_themes
        }
        flags = previous_flags.get(service_id, (None, None))
        services.append(
            Service(
                id=service_id,
                provider_id=item.provider_id,
                name=entry["name"],
                description=entry.get("description", ""),
                outcomes=entry.get("outcomes", ""),
                url=entry.get("url", ""),
                email=entry.get("email", ""),
                status=entry.get("status") or "active",
                accreditations=entry.get("accreditations", ""),
                minimum_age=entry.get("minimum_age"),
                maximum_age=entry.get("maximum_age"),
                alert=entry.get("alert", ""),
                assured_date=assured_on or _date(entry.get("assured_date")) or today,
                assurer_email=entry.get("assurer_email", ""),
                last_modified=now,
                accredited=bool(entry.get("accredited")),
                personal_assistant=bool(entry.get("personal_assistant")),
                lowest_price=entries.lowest_price(entry),
                personal_budget=any(option.get("personal_budget") for option in entry.get("cost_options", [])),
                theme_bits=theme_bits(themes),
                stale_flagged_at=flags[0],
                stale_escalated_at=flags[1],
            )
        )
        for position, option in enumerate(entry.get("cost_options", [])):
            options.append(
                CostOption(
                    id=option["id"],
                    service_id=service_id,
                    option=option.get("option", ""),
                    amount=_decimal(option.get("amount")),
                    unit=option.get("unit", ""),
                    amount_description=(
                        entries.describe_cost(option["unit"], bool(option.get("personal_budget")))
                        if option.get("unit")
                        else option.get("amount_description", "")
                    )[:300],
                    personal_budget=bool(option.get("personal_budget")),
                    valid_from=_date(option.get("valid_from")),
                    valid_to=_date(option.get("valid_to")),
                    position=position,
                )
            )
        for position, place in enumerate(entry.get("locations", [])):
            grid_ref = places.get(postcodes.squash(place.get("postcode", "")))
            latitude, longitude = _decimal(place.get("latitude")), _decimal(place.get("longitude"))
            if grid_ref and latitude is None:
                lat, lon = grid.to_wgs84(*grid_ref)
                latitude, longitude = Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
            locations.append(
                Location(
                    id=place["id"],
                    location_type=place.get("location_type") or "physical",
                    name=place.get("name", ""),
                    description=place.get("description", ""),
                    latitude=latitude,
                    longitude=longitude,
                    easting=grid_ref[0] if grid_ref else None,
                    northing=grid_ref[1] if grid_ref else None,
                    external_identifier=place.get("external_identifier", ""),
                    external_identifier_type=place.get("external_identifier_type", ""),
                )
            )
            links.append(
                ServiceAtLocation(
                    id=place.get("link_id") or fixed_id("link", str(service_id), place["id"]),
                    service_id=service_id,
                    location_id=place["id"],
                    position=position,
                )
            )
            if place.get("address_1") or place.get("postcode") or place.get("city"):
                addresses.append(
                    Address(
                        id=place.get("address_id") or fixed_id("address", place["id"]),
                        location_id=place["id"],
                        address_1=place.get("address_1", ""),
                        address_2=place.get("address_2", ""),
                        city=place.get("city", ""),
                        postal_code=place.get("postcode", ""),
                        country=place.get("country") or "GB",
                        address_type=place.get("location_type") or "physical",
                    )
                )
            if place.get("accessibility"):
                access.append(
                    Accessibility(
                        id=place.get("accessibility_id") or fixed_id("accessibility", place["id"]),
                        location_id=place["id"],
                        description=place["accessibility"],
                    )
                )
        for area in entry.get("areas", []):
            areas.append(
                ServiceArea(
                    id=area["id"],
                    service_id=service_id,
                    name=area.get("name", ""),
                    kind=area.get("kind") or "described",
                    code=area.get("code", ""),
                    extent=area.get("extent", ""),
                    extent_type=area.get("extent_type", ""),
                    uri=area.get("uri", ""),
                )
            )
        for position, schedule in enumerate(entry.get("schedules", [])):
            schedules.append(
                Schedule(
                    id=schedule["id"],
                    service_id=service_id,
                    freq=schedule.get("freq", ""),
                    interval=schedule.get("interval"),
                    byday=schedule.get("byday", ""),
                    bymonthday=schedule.get("bymonthday", ""),
                    opens_at=_time(schedule.get("opens_at")),
                    closes_at=_time(schedule.get("closes_at")),
                    valid_from=_date(schedule.get("valid_from")),
                    valid_to=_date(schedule.get("valid_to")),
                    dtstart=_date(schedule.get("dtstart")),
                    description=schedule.get("description", ""),
                    attending_type=schedule.get("attending_type", ""),
                    notes=schedule.get("notes", ""),
                    position=position,
                )
            )
        for position, contact in enumerate(entry.get("contacts", [])):
            contacts.append(
                Contact(
                    id=contact["id"],
                    service_id=service_id,
                    name=contact.get("name", ""),
                    title=contact.get("title", ""),
                    position=position,
                )
            )
            if contact.get("phone"):
                phones.append(
                    Phone(
                        id=contact.get("phone_id") or fixed_id("phone", contact["id"]),
                        contact_id=contact["id"],
                        number=contact["phone"],
                    )
                )
        for language in entry.get("languages", []):
            languages.append(
                Language(
                    id=language["id"],
                    service_id=service_id,
                    name=language.get("name", ""),
                    code=language.get("code", ""),
                    note=language.get("note", ""),
                )
            )
        terms = (
            [(THEMES.term_id(code), LINK_THEME) for code in entry.get("themes", [])]
            + [(NEEDS.term_id(code), LINK_ELIGIBILITY) for code in entry.get("needs", [])]
            + [(uuid.UUID(term), "") for term in entry.get("terms", [])]
        )
        for term_id, link_type in terms:
            attributes.append(
                Attribute(
                    id=fixed_id("attribute", str(service_id), str(term_id)),
                    service_id=service_id,
                    term_id=term_id,
                    link_type=link_type,
                )
            )

    old_locations = set(ServiceAtLocation.objects.filter(service_id__in=ids).values_list("location_id", flat=True))
    _upsert(Service, services, SERVICE_FIELDS)
    # Rows these services no longer have.
    for model, kept in (
        (CostOption, options),
        (ServiceAtLocation, links),
        (ServiceArea, areas),
        (Schedule, schedules),
        (Contact, contacts),
        (Language, languages),
        (Attribute, attributes),
    ):
        model.objects.filter(service_id__in=ids).exclude(id__in=[obj.id for obj in kept]).delete()
    # A location or contact id moved from one service to another keeps one row.
    _upsert(Location, locations, _fields(Location))
    location_ids = [obj.id for obj in locations]
    Address.objects.filter(Q(location_id__in=location_ids)).exclude(id__in=[a.id for a in addresses]).delete()
    Accessibility.objects.filter(location_id__in=location_ids).exclude(id__in=[a.id for a in access]).delete()
    _upsert(Address, addresses, _fields(Address))
    _upsert(Accessibility, access, _fields(Accessibility))
    _upsert(CostOption, options, _fields(CostOption))
    _upsert(ServiceAtLocation, links, _fields(ServiceAtLocation))
    _upsert(ServiceArea, areas, _fields(ServiceArea))
    _upsert(Schedule, schedules, _fields(Schedule))
    _upsert(Contact, contacts, _fields(Contact))
    Phone.objects.filter(contact_id__in=[c.id for c in contacts]).exclude(id__in=[p.id for p in phones]).delete()
    _upsert(Phone, phones, _fields(Phone))
    _upsert(Language, languages, _fields(Language))
    _upsert(Attribute, attributes, _fields(Attribute))
    # Places no service uses any more.
    orphans = old_locations - {uuid.UUID(str(obj.id)) for obj in locations}
    if orphans:
        Location.objects.filter(pk__in=orphans, service_at_locations__isnull=True).delete()
    transaction.on_commit(lambda: services_written.send(sender=Service, service_ids=ids))
    return ids


def confirm(service: Service, *, by=None) -> None:
    """The provider says the entry is still right: it counts as checked today."""
    service.assured_date = timezone.localdate()
    service.assurer_email = getattr(by, "email", "") or ""
    service.stale_flagged_at = None
    service.stale_escalated_at = None
    service.save(update_fields=["assured_date", "assurer_email", "stale_flagged_at", "stale_escalated_at"])


@transaction.atomic
def rethink_themes(term: TaxonomyTerm) -> int:
    """A council mapped ``term`` to a theme (or changed it): work out again the
    themes of every service it describes. Returns how many services changed."""
    from collections import defaultdict

    ids = list(Attribute.objects.filter(term=term).values_list("service_id", flat=True))
    themes = defaultdict(set)
    for service_id, theme in (
        Attribute.objects.filter(service_id__in=ids).exclude(term__theme="").values_list("service_id", "term__theme")
    ):
        themes[service_id].add(theme)
    for service_id in ids:
        Service.objects.filter(pk=service_id).update(theme_bits=theme_bits(themes.get(service_id, ())))
    transaction.on_commit(lambda: services_written.send(sender=Service, service_ids=ids))
    return len(ids)
