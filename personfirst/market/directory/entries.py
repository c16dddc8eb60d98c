"""An entry: everything the directory says about one service, as plain JSON.

A provider's form, a moderator's queue, an import and publishing all speak
entries: the form makes one (forms.py), a submission keeps one while it
waits, an Open Referral UK record is read into one (``from_oruk``), and
publishing writes one to the tables (publishing.py). Comparing two entries
gives the moderator's field-by-field differences (``differences``).

    {"id", "name", "description", "outcomes", "url", "email", "status",
     "accreditations", "alert", "minimum_age", "maximum_age", "accredited",
     "personal_assistant", "assured_date", "assurer_email",
     "themes": [code], "needs": [code], "terms": [term id],
     "cost_options": [{"id", "option", "amount" (a string, "12.50", or None),
                       "unit", "personal_budget", "amount_description",
                       "valid_from", "valid_to"}],
     "locations": [{"id", "link_id", "address_id", "accessibility_id", "location_type",
                    "name", "description", "address_1", "address_2", "city",
                    "postcode", "country", "accessibility", "latitude", "longitude",
                    "external_identifier", "external_identifier_type"}],
     "areas": [{"id", "kind", "code", "name", "extent", "extent_type", "uri"}],
     "schedules": [{"id", "freq", "interval", "byday", "bymonthday", "opens_at",
                    "closes_at", "valid_from", "valid_to", "dtstart", "description",
                    "attending_type", "notes"}],
     "contacts": [{"id", "phone_id", "name", "title", "phone"}],
     "languages": [{"id", "name", "code", "note"}]}
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from . import postcodes
from .vocabulary import NEEDS, PERSONAL_BUDGET_PHRASE, THEMES, Need, Theme, Unit

ITEM_LISTS = ("cost_options", "locations", "areas", "schedules", "contacts", "languages")
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
MAX_AGE = 150
MAX_PRICE = Decimal("99999999.99")


def new_id() -> str:
    return str(uuid.uuid4())


def empty(service_id: str | None = None) -> dict:
    return {
        "id": service_id or new_id(),
        "name": "",
        "description": "",
        "outcomes": "",
        "url": "",
        "email": "",
        "status": "active",
        "accreditations": "",
        "alert": "",
        "minimum_age": None,
        "maximum_age": None,
        "accredited": False,
        "personal_assistant": False,
        "assured_date": None,
        "assurer_email": "",
        "themes": [],
        "needs": [],
        "terms": [],
        **{name: [] for name in ITEM_LISTS},
    }


# --- From the tables ---------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _time(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def of_service(service) -> dict:
    """The published entry of a service (its related rows prefetched or not)."""
    entry = empty(str(service.pk))
    entry.update(
        name=service.name,
        description=service.description,
        outcomes=service.outcomes,
        url=service.url,
        email=service.email,
        status=service.status,
        accreditations=service.accreditations,
        alert=service.alert,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        accredited=service.accredited,
        personal_assistant=service.personal_assistant,
        assured_date=_date(service.assured_date),
        assurer_email=service.assurer_email,
    )
    own_themes = {str(THEMES.term_id(code)): code for code in Theme.values}
    own_needs = {str(NEEDS.term_id(code)): code for code in Need.values}
    for attribute in service.attributes.all():
        term = str(attribute.term_id)
        if term in own_themes:
            entry["themes"].append(own_themes[term])
        elif term in own_needs:
            entry["needs"].append(own_needs[term])
        else:
            entry["terms"].append(term)
    entry["themes"] = [code for code in Theme.values if code in entry["themes"]]
    entry["needs"] = [code for code in Need.values if code in entry["needs"]]
    entry["terms"].sort()
    entry["cost_options"] = [
        {
            "id": str(option.pk),
            "option": option.option,
            "amount": None if option.amount is None else f"{option.amount:.2f}",
            "unit": option.unit,
            "personal_budget": option.personal_budget,
            "amount_description": option.amount_description,
            "valid_from": _date(option.valid_from),
            "valid_to": _date(option.valid_to),
        }
        for option in service.cost_options.all()
    ]
    for link in service.service_at_locations.all():
        location = link.location
        address = next(iter(location.addresses.all()), None)
        access = next(iter(location.accessibility.all()), None)
        entry["locations"].append(
            {
                "id": str(location.pk),
                "link_id": str(link.pk),
                "address_id": str(address.pk) if address else None,
                "accessibility_id": str(access.pk) if access else None,
                "location_type": location.location_type,
                "name": location.name,
                "description": location.description,
                "address_1": address.address_1 if address else "",
                "address_2": address.address_2 if address else "",
                "city": address.city if address else "",
                "postcode": address.postal_code if address else "",
                "country": address.country if address else "GB",
                "accessibility": access.description if access else "",
                "latitude": _text(location.latitude) or None,
                "longitude": _text(location.longitude) or None,
                "external_identifier": location.external_identifier,
                "external_identifier_type": location.external_identifier_type,
            }
        )
    entry["areas"] = [
        {
            "id": str(area.pk),
            "kind": area.kind,
            "code": area.code,
            "name": area.name,
            "extent": area.extent,
            "extent_type": area.extent_type,
            "uri": area.uri,
        }
        for area in service.service_areas.all()
    ]
    entry["schedules"] = [
        {
            "id": str(schedule.pk),
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "bymonthday": schedule.bymonthday,
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
            "valid_from": _date(schedule.valid_from),
            "valid_to": _date(schedule.valid_to),
            "dtstart": _date(schedule.dtstart),
            "description": schedule.description,
            "attending_type": schedule.attending_type,
            "notes": schedule.notes,
        }
        for schedule in service.schedules.all()
    ]
    for contact in service.contacts.all():
        phone = next(iter(contact.phones.all()), None)
        entry["contacts"].append(
            {
                "id": str(contact.pk),
                "phone_id": str(phone.pk) if phone else None,
                "name": contact.name,
                "title": contact.title,
                "phone": phone.number if phone else "",
            }
        )
    entry["languages"] = [
        {"id": str(language.pk), "name": language.name, "code": language.code, "note": language.note}
        for language in service.languages.all()
    ]
    return entry


# --- From an Open Referral UK record ---------------------------------------------------


@dataclass
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class Reader:
    """Reads one Open Referral UK service record, noting every problem with
    the path of the field it is in (``cost_options[1].amount``)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def text(self, record: dict, key: str, where: str, *, required: bool = False, limit: int | None = None) -> str:
        value = record.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{where}{key}", "is missing: every record needs one")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(f"{where}{key}", f"should be text, not {type(value).__name__}")
            return ""
        value = str(value)
        if "\x00" in value:
            self.problem(f"{where}{key}", "contains a null character")
            return ""
        if limit and len(value) > limit:
            self.problem(f"{where}{key}", f"is {len(value)} characters long; the most we keep is {limit}")
        return value.strip()

    def uuid(self, record: dict, key: str, where: str, *, required: bool = True) -> str | None:
        value = record.get(key)
        if value in (None, ""):
            if required:
                self.problem(f"{where}{key}", "is missing: every record needs a UUID")
            return None
        try:
            return str(uuid.UUID(str(value)))
        except (ValueError, AttributeError, TypeError):
            self.problem(f"{where}{key}", f"“{value}” is not a UUID")
            return None

    def number(self, record: dict, key: str, where: str, *, minimum=None, maximum=None) -> Decimal | None:
        value = record.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            self.problem(f"{where}{key}", "should be a number, not true or false")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(f"{where}{key}", f"“{value}” is not a number")
            return None
        if not number.is_finite():
            self.problem(f"{where}{key}", f"“{value}” is not a number")
            return None
        if minimum is not None and number < minimum:
            self.problem(f"{where}{key}", f"{value} is less than {minimum}")
            return None
        if maximum is not None and number > maximum:
            self.problem(f"{where}{key}", f"{value} is more than {maximum}")
            return None
        return number

    def date(self, record: dict, key: str, where: str) -> str | None:
        value = record.get(key)
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError:
            self.problem(f"{where}{key}", f"“{value}” is not a date (YYYY-MM-DD)")
            return None

    def time(self, record: dict, key: str, where: str) -> str | None:
        value = record.get(key)
        if value in (None, ""):
            return None
        try:
            return datetime.time.fromisoformat(str(value)).strftime("%H:%M")
        except ValueError:
            self.problem(f"{where}{key}", f"“{value}” is not a time (HH:MM:SS)")
            return None

    def url(self, record: dict, key: str, where: str) -> str:
        value = self.text(record, key, where, limit=500)
        if value:
            try:
                URLValidator()(value)
            except ValidationError:
                self.problem(f"{where}{key}", f"“{value}” is not a web address")
                return ""
        return value

    def email(self, record: dict, key: str, where: str) -> str:
        value = self.text(record, key, where, limit=254)
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.problem(f"{where}{key}", f"“{value}” is not an e-mail address")
                return ""
        return value

    def items(self, record: dict, key: str, where: str) -> list[tuple[str, dict]]:
        value = record.get(key)
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            self.problem(f"{where}{key}", "should be a list")
            return []
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"{where}{key}[{index}]", "should be an object")
                continue
            found.append((f"{where}{key}[{index}].", item))
        return found


_UNIT_WORDS = {
    "hour": Unit.HOUR,
    "hr": Unit.HOUR,
    "session": Unit.SESSION,
    "visit": Unit.SESSION,
    "day": Unit.DAY,
    "week": Unit.WEEK,
    "month": Unit.MONTH,
    "item": Unit.ITEM,
    "meal": Unit.ITEM,
}


def unit_from_words(text: str) -> str:
    """The unit a description names ("per 1 hour session" -> hour), or ''."""
    for word in re.findall(r"[a-z]+", (text or "").lower()):
        word = word.rstrip("s") if word.endswith("s") and word[:-1] in _UNIT_WORDS else word
        if word in _UNIT_WORDS:
            return str(_UNIT_WORDS[word])
    return ""


def describe_cost(unit: str, personal_budget: bool, extra: str = "") -> str:
    """The amount_description we publish: "per hour; a personal budget or direct payment can pay"."""
    parts = [Unit(unit).label] if unit else []
    if extra and extra not in parts:
        parts = [extra] if not parts else [*parts, extra]
    if personal_budget:
        parts.append(PERSONAL_BUDGET_PHRASE)
    return "; ".join(parts)


def from_oruk(record: Any) -> tuple[dict, dict | None, list[dict], list[Problem]]:
    """An Open Referral UK service record (fully nested, as /services/{id}
    gives it) as (entry, organization, taxonomy terms, problems)."""
    reader = Reader()
    if not isinstance(record, dict):
        return empty(), None, [], [Problem("(record)", "should be an object")]
    entry = empty()
    entry["id"] = reader.uuid(record, "id", "") or entry["id"]
    entry["name"] = reader.text(record, "name", "", required=True, limit=200)
    entry["description"] = reader.text(record, "description", "")
    entry["outcomes"] = reader.text(record, "outcomes", "")
    entry["url"] = reader.url(record, "url", "")
    entry["email"] = reader.email(record, "email", "")
    status = reader.text(record, "status", "", required=True)
    if status and status not in STATUSES:
        reader.problem("status", f"“{status}” is not one of {', '.join(STATUSES)}")
    entry["status"] = status if status in STATUSES else "active"
    entry["accreditations"] = reader.text(record, "accreditations", "")
    entry["alert"] = reader.text(record, "alert", "")
    for key in ("minimum_age", "maximum_age"):
        age = reader.number(record, key, "", minimum=0, maximum=MAX_AGE)
        entry[key] = int(age) if age is not None else None
    low, high = entry["minimum_age"], entry["maximum_age"]
    if low is not None and high is not None and low > high:
        reader.problem("maximum_age", "is lower than minimum_age")
    entry["assured_date"] = reader.date(record, "assured_date", "")
    entry["assurer_email"] = reader.email(record, "assurer_email", "")

    organization = record.get("organization")
    if organization is None and record.get("organization_id"):
        organization = {"id": record.get("organization_id")}
    if not isinstance(organization, dict):
        reader.problem("organization", "is missing: every service needs the organisation that provides it")
        organization = None
    else:
        organization = {
            "id": reader.uuid(organization, "id", "organization."),
            "name": reader.text(organization, "name", "organization.", limit=200),
            "description": reader.text(organization, "description", "organization."),
            "email": reader.email(organization, "email", "organization."),
            "website": reader.url(organization, "website", "organization."),
            "uri": reader.url(organization, "uri", "organization."),
        }

    terms: list[dict] = []
    own_themes = {str(THEMES.term_id(code)): code for code in Theme.values}
    own_needs = {str(NEEDS.term_id(code)): code for code in Need.values}
    for where, attribute in reader.items(record, "attributes", ""):
        term = attribute.get("taxonomy_term")
        term_id = None
        if isinstance(term, dict):
            term_id = reader.uuid(term, "id", f"{where}taxonomy_term.")
            if term_id and term_id not in own_themes and term_id not in own_needs:
                terms.append(
                    {
                        "id": term_id,
                        "name": reader.text(term, "name", f"{where}taxonomy_term.", required=True, limit=200),
                        "description": reader.text(term, "description", f"{where}taxonomy_term."),
                        "code": reader.text(term, "term", f"{where}taxonomy_term.", limit=100),
                        "taxonomy": reader.text(term, "taxonomy", f"{where}taxonomy_term.", limit=200),
                        "taxonomy_id": reader.uuid(term, "taxonomy_id", f"{where}taxonomy_term.", required=False),
                        "parent_id": reader.uuid(term, "parent_id", f"{where}taxonomy_term.", required=False),
                        "term_uri": reader.url(term, "term_uri", f"{where}taxonomy_term."),
                    }
                )
        else:
            term_id = reader.uuid(attribute, "taxonomy_term_id", where)
            if term_id and term_id not in own_themes and term_id not in own_needs:
                terms.append({"id": term_id})
        if term_id in own_themes:
            entry["themes"].append(own_themes[term_id])
        elif term_id in own_needs:
            entry["needs"].append(own_needs[term_id])
        elif term_id and term_id not in entry["terms"]:
            entry["terms"].append(term_id)
    entry["themes"] = [code for code in Theme.values if code in entry["themes"]]
    entry["needs"] = [code for code in Need.values if code in entry["needs"]]
    entry["terms"].sort()

    for where, option in reader.items(record, "cost_options", ""):
        amount = reader.number(option, "amount", where, minimum=0, maximum=MAX_PRICE)
        description = reader.text(option, "amount_description", where, limit=300)
        entry["cost_options"].append(
            {
                "id": reader.uuid(option, "id", where) or new_id(),
                "option": reader.text(option, "option", where, limit=200),
                "amount": None if amount is None else f"{amount.quantize(Decimal('0.01')):.2f}",
                "unit": unit_from_words(description),
                "personal_budget": PERSONAL_BUDGET_PHRASE in description.lower(),
                "amount_description": description,
                "valid_from": reader.date(option, "valid_from", where),
                "valid_to": reader.date(option, "valid_to", where),
            }
        )
    for where, link in reader.items(record, "service_at_locations", ""):
        location = link.get("location")
        if not isinstance(location, dict):
            reader.problem(f"{where}location", "is missing")
            continue
        here = f"{where}location."
        location_type = reader.text(location, "location_type", here) or "physical"
        if location_type not in ("physical", "postal", "virtual"):
            reader.problem(f"{here}location_type", f"“{location_type}” is not physical, postal or virtual")
        addresses = reader.items(location, "addresses", here)
        address_where, address = addresses[0] if addresses else (here, {})
        postcode = reader.text(address, "postal_code", address_where, limit=12) if address else ""
        if postcode and not postcodes.is_well_formed(postcode) and (address.get("country") or "GB") == "GB":
            reader.problem(f"{address_where}postal_code", f"“{postcode}” is not a UK postcode")
        accessibility = reader.items(location, "accessibility", here)
        access_where, access = accessibility[0] if accessibility else (here, {})
        latitude = reader.number(location, "latitude", here, minimum=-90, maximum=90)
        longitude = reader.number(location, "longitude", here, minimum=-180, maximum=180)
        entry["locations"].append(
            {
                "id": reader.uuid(location, "id", here) or new_id(),
                "link_id": reader.uuid(link, "id", where) or new_id(),
                "address_id": (reader.uuid(address, "id", address_where) if address else None),
                "accessibility_id": (reader.uuid(access, "id", access_where) if access else None),
                "location_type": location_type if location_type in ("physical", "postal", "virtual") else "physical",
                "name": reader.text(location, "name", here, limit=200),
                "description": reader.text(location, "description", here),
                "address_1": reader.text(address, "address_1", address_where, limit=200) if address else "",
                "address_2": reader.text(address, "address_2", address_where, limit=200) if address else "",
                "city": reader.text(address, "city", address_where, limit=100) if address else "",
                "postcode": postcodes.formatted(postcode) if postcode else "",
                "country": (reader.text(address, "country", address_where, limit=2) or "GB") if address else "GB",
                "accessibility": (
                    reader.text(access, "description", access_where)
                    or reader.text(access, "accessibility", access_where)
                )
                if access
                else "",
                "latitude": None if latitude is None else str(latitude),
                "longitude": None if longitude is None else str(longitude),
                "external_identifier": reader.text(location, "external_identifier", here, limit=100),
                "external_identifier_type": reader.text(location, "external_identifier_type", here, limit=50),
            }
        )
    for where, area in reader.items(record, "service_areas", ""):
        entry["areas"].append(_area_from_oruk(reader, area, where))
    for where, schedule in reader.items(record, "schedules", ""):
        freq = reader.text(schedule, "freq", where)
        if freq and freq not in ("WEEKLY", "MONTHLY"):
            reader.problem(f"{where}freq", f"“{freq}” is not WEEKLY or MONTHLY")
        interval = reader.number(schedule, "interval", where, minimum=1, maximum=366)
        entry["schedules"].append(
            {
                "id": reader.uuid(schedule, "id", where) or new_id(),
                "freq": freq if freq in ("WEEKLY", "MONTHLY") else "",
                "interval": int(interval) if interval is not None else None,
                "byday": reader.text(schedule, "byday", where, limit=40),
                "bymonthday": reader.text(schedule, "bymonthday", where, limit=40),
                "opens_at": reader.time(schedule, "opens_at", where),
                "closes_at": reader.time(schedule, "closes_at", where),
                "valid_from": reader.date(schedule, "valid_from", where),
                "valid_to": reader.date(schedule, "valid_to", where),
                "dtstart": reader.date(schedule, "dtstart", where),
                "description": reader.text(schedule, "description", where),
                "attending_type": reader.text(schedule, "attending_type", where, limit=200),
                "notes": reader.text(schedule, "notes", where),
            }
        )
    for where, contact in reader.items(record, "contacts", ""):
        phones = reader.items(contact, "phones", where)
        phone_where, phone = phones[0] if phones else (where, {})
        entry["contacts"].append(
            {
                "id": reader.uuid(contact, "id", where) or new_id(),
                "phone_id": reader.uuid(phone, "id", phone_where) if phone else None,
                "name": reader.text(contact, "name", where, limit=200),
                "title": reader.text(contact, "title", where, limit=200),
                "phone": reader.text(phone, "number", phone_where, limit=40) if phone else "",
            }
        )
    for where, language in reader.items(record, "languages", ""):
        entry["languages"].append(
            {
                "id": reader.uuid(language, "id", where) or new_id(),
                "name": reader.text(language, "name", where, limit=100),
                "code": reader.text(language, "code", where, limit=10),
                "note": reader.text(language, "note", where, limit=300),
            }
        )
    return entry, organization, terms, reader.problems


def _area_from_oruk(reader: Reader, area: dict, where: str) -> dict:
    from .models import ENGLAND, ONS_GEOGRAPHY, AreaKind

    uri = reader.text(area, "uri", where, limit=500)
    extent = reader.text(area, "extent", where)
    extent_type = reader.text(area, "extent_type", where, limit=20)
    name = reader.text(area, "name", where, limit=300) or reader.text(area, "service_area", where, limit=300)
    kind, code = AreaKind.DESCRIBED, ""
    if uri.startswith(ONS_GEOGRAPHY):
        code = uri.removeprefix(ONS_GEOGRAPHY).strip("/")
        kind = AreaKind.COUNTRY if code == ENGLAND else AreaKind.LOCAL_AUTHORITY
    elif extent_type == "postcode":
        code = postcodes.area_code(extent) or ""
        kind = AreaKind.POSTCODE_SECTOR if " " in code else AreaKind.POSTCODE_DISTRICT
        if not code:
            reader.problem(f"{where}extent", f"“{extent}” is not a postcode district or sector")
            kind = AreaKind.DESCRIBED
    return {
        "id": reader.uuid(area, "id", where) or new_id(),
        "kind": str(kind),
        "code": code,
        "name": name,
        "extent": extent,
        "extent_type": extent_type,
        "uri": uri,
    }


# --- Differences -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def money(amount: str | Decimal | None) -> str:
    if amount in (None, ""):
        return "No amount given"
    amount = Decimal(str(amount))
    return "Free" if amount == 0 else f"£{amount:,.2f}"


def price_text(option: dict) -> str:
    words = [money(option.get("amount"))]
    if option.get("unit") and Decimal(str(option.get("amount") or 0)) != 0:
        words.append(Unit(option["unit"]).label)
    if option.get("personal_budget"):
        words.append("(a personal budget or direct payment can pay)")
    return " ".join(words)


def _flatten(entry: dict) -> dict[str, str]:
    """Label -> shown value, for every field a person would recognise."""
    themes, needs = dict(Theme.choices), dict(Need.choices)
    shown: dict[str, str] = {
        "Name": entry.get("name", ""),
        "Description": entry.get("description", ""),
        "What it helps people achieve": entry.get("outcomes", ""),
        "Website": entry.get("url", ""),
        "E-mail address": entry.get("email", ""),
        "Status": entry.get("status", ""),
        "Accreditations": entry.get("accreditations", ""),
        "Alert": entry.get("alert", ""),
        "Youngest age": _text(entry.get("minimum_age")),
        "Oldest age": _text(entry.get("maximum_age")),
        "Themes": ", ".join(label for code, label in themes.items() if code in entry.get("themes", [])),
        "Who it is for": ", ".join(label for code, label in needs.items() if code in entry.get("needs", [])),
        "Other categories": ", ".join(sorted(entry.get("terms", []))),
    }
    for number, option in enumerate(entry.get("cost_options", []), start=1):
        label = f"Price {number}" + (f" ({option['option']})" if option.get("option") else "")
        shown[label] = price_text(option)
    for number, location in enumerate(entry.get("locations", []), start=1):
        address = ", ".join(
            part
            for part in (
                location.get("address_1"),
                location.get("address_2"),
                location.get("city"),
                location.get("postcode"),
            )
            if part
        )
        shown[f"Place {number}"] = " – ".join(part for part in (location.get("name"), address) if part)
        shown[f"Place {number}: accessibility"] = location.get("accessibility", "")
    for number, area in enumerate(entry.get("areas", []), start=1):
        shown[f"Area served {number}"] = area.get("name") or area.get("code", "")
    for number, schedule in enumerate(entry.get("schedules", []), start=1):
        shown[f"Opening times {number}"] = schedule_text(schedule)
    for number, contact in enumerate(entry.get("contacts", []), start=1):
        shown[f"Contact {number}"] = " ".join(
            part
            for part in (contact.get("name"), contact.get("title") and f"({contact['title']})", contact.get("phone"))
            if part
        )
    shown["Languages"] = ", ".join(language.get("name", "") for language in entry.get("languages", []))
    return {label: value for label, value in shown.items() if value}


def schedule_text(schedule: dict) -> str:
    days = [DAYS[day] for day in (schedule.get("byday") or "").split(",") if day in DAYS]
    times = ""
    if schedule.get("opens_at") and schedule.get("closes_at"):
        times = f"{schedule['opens_at']} to {schedule['closes_at']}"
    parts = [", ".join(days), times, schedule.get("description", "")]
    return "; ".join(part for part in parts if part)


def differences(before: dict | None, after: dict) -> list[Change]:
    """What changes, field by field, from the published entry to the new one."""
    old = _flatten(before) if before else {}
    new = _flatten(after)
    labels = list(new) + [label for label in old if label not in new]
    return [
        Change(label, old.get(label, ""), new.get(label, ""))
        for label in labels
        if old.get(label, "") != new.get(label, "")
    ]


def lowest_price(entry: dict) -> Decimal | None:
    amounts = [
        Decimal(option["amount"]) for option in entry.get("cost_options", []) if option.get("amount") not in (None, "")
    ]
    return min(amounts) if amounts else None
