"""The provider's entry form and the moderator's decision form.

The entry form is one form (one error summary, one page that works
without JavaScript) with numbered groups of fields for up to three prices
and two places; empty groups are ignored. ``to_entry`` turns what was
typed into an entry (entries.py), keeping the ids of prices and places
that were there before, so a moderator's differences match them up.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django import forms

from personfirst.core.ui.forms import Form

from . import entries, postcodes
from .models import ENGLAND, ONS_GEOGRAPHY, AreaKind, ServiceStatus
from .vocabulary import Need, Theme, Unit

PRICES = 3
PLACES = 2
YES = "yes"
DAY_CHOICES = list(entries.DAYS.items())


def _price_fields(number: int) -> dict[str, forms.Field]:
    return {
        f"price_{number}_option": forms.CharField(
            label="What this price is for",
            required=False,
            max_length=200,
            help_text="For example: a weekday session, a meal, a week's support",
        ),
        f"price_{number}_amount": forms.CharField(
            label="Price in pounds",
            required=False,
            max_length=12,
            help_text="Enter 0 if it is free",
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        ),
        f"price_{number}_unit": forms.ChoiceField(
            label="Charged", required=False, choices=[("", "Choose how it is charged"), *Unit.choices]
        ),
        f"price_{number}_budget": forms.MultipleChoiceField(
            label="Paying with a personal budget",
            required=False,
            choices=[(YES, "A personal budget or a direct payment can pay for this")],
            widget=forms.CheckboxSelectMultiple,
        ),
    }


def _place_fields(number: int) -> dict[str, forms.Field]:
    return {
        f"place_{number}_name": forms.CharField(label="Name of the place", required=False, max_length=200),
        f"place_{number}_address_1": forms.CharField(label="Address line 1", required=False, max_length=200),
        f"place_{number}_city": forms.CharField(label="Town or city", required=False, max_length=100),
        f"place_{number}_postcode": forms.CharField(
            label="Postcode",
            required=False,
            max_length=10,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
        ),
        f"place_{number}_accessibility": forms.CharField(
            label="Access",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Step-free access, toilets, hearing loops, parking",
        ),
    }


class EntryForm(Form):
    name = forms.CharField(label="Name of the service", max_length=200)
    description = forms.CharField(
        label="What the service does",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what people get, where and how often, in plain words",
    )
    outcomes = forms.CharField(
        label="What it helps people achieve",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the words people use, for example: see my friends, stay in my own home, get a job",
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every theme people might look under",
        error_messages={"required": "Choose at least one theme people might look under"},
    )
    needs = forms.MultipleChoiceField(
        label="Who it is for",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave empty if it is for anyone",
    )
    minimum_age = forms.IntegerField(label="Youngest age", required=False, min_value=0, max_value=entries.MAX_AGE)
    maximum_age = forms.IntegerField(label="Oldest age", required=False, min_value=0, max_value=entries.MAX_AGE)
    status = forms.ChoiceField(label="Is it running?", choices=ServiceStatus.choices, initial=ServiceStatus.ACTIVE)
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(label="E-mail address", required=False)
    contact_name = forms.CharField(label="Who to contact", required=False, max_length=200)
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    days = forms.MultipleChoiceField(
        label="Days it runs", choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    opens_at = forms.TimeField(
        label="Opens at",
        required=False,
        help_text="For example, 9:30",
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
    )
    closes_at = forms.TimeField(
        label="Closes at",
        required=False,
        help_text="For example, 16:00",
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
    )
    area_council = forms.MultipleChoiceField(
        label="Where you provide it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(YES, "Anywhere in the council area of the first place's postcode")],
    )
    area_districts = forms.CharField(
        label="Postcode districts you cover",
        required=False,
        max_length=300,
        help_text="Separate them with commas, for example: NR1, NR2, NR10 3",
    )
    area_england = forms.MultipleChoiceField(
        label="All of England",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(YES, "Anyone in England can use it (by phone or online, for example)")],
    )
    languages = forms.CharField(
        label="Languages spoken",
        required=False,
        max_length=300,
        help_text="Separate them with commas, for example: English, Polish, British Sign Language",
    )

    # -- groups for the template
    def groups(self) -> list[tuple[str, list]]:
        def pick(*names):
            return [self[name] for name in names]

        groups = [
            ("About the service", pick("name", "description", "outcomes", "themes", "needs", "status")),
            ("Ages", pick("minimum_age", "maximum_age")),
        ]
        for number in range(1, PRICES + 1):
            groups.append(
                (f"Price {number}", [self[f"price_{number}_{part}"] for part in ("option", "amount", "unit", "budget")])
            )
        for number in range(1, PLACES + 1):
            groups.append(
                (
                    f"Place {number}",
                    [
                        self[f"place_{number}_{part}"]
                        for part in ("name", "address_1", "city", "postcode", "accessibility")
                    ],
                )
            )
        groups += [
            ("Areas served", pick("area_council", "area_districts", "area_england")),
            ("When it runs", pick("days", "opens_at", "closes_at")),
            ("Contact", pick("contact_name", "phone", "email", "url")),
            ("Languages", pick("languages")),
        ]
        return groups

    # -- checks
    def clean(self):
        data = super().clean()
        for number in range(1, PRICES + 1):
            self._clean_price(number, data)
        for number in range(1, PLACES + 1):
            self._clean_place(number, data)
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be the same as the youngest age or more")
        if (data.get("opens_at") is None) != (data.get("closes_at") is None):
            missing = "closes_at" if data.get("closes_at") is None else "opens_at"
            self.add_error(missing, "Enter both the opening and the closing time, or neither")
        elif data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            self.add_error("closes_at", "The closing time must be after the opening time")
        codes = []
        for part in (data.get("area_districts") or "").split(","):
            if not part.strip():
                continue
            code = postcodes.area_code(part)
            if code is None:
                self.add_error(
                    "area_districts", f"“{part.strip()}” is not a postcode district (like NR1) or sector (like NR1 3)"
                )
            else:
                codes.append(code)
        data["district_codes"] = codes
        if data.get("area_council") and not data.get("place_1_postcode"):
            self.add_error(
                "place_1_postcode", "Enter the postcode of the first place, to say which council area you cover"
            )
        return data

    def _clean_price(self, number: int, data: dict) -> None:
        prefix = f"price_{number}_"
        amount_text = (data.get(prefix + "amount") or "").strip().lstrip("£").replace(",", "")
        filled = any(data.get(prefix + part) for part in ("option", "unit", "budget")) or amount_text
        if not filled:
            data[prefix + "value"] = None
            return
        if not amount_text:
            self.add_error(prefix + "amount", f"Enter the price {number} in pounds, or 0 if it is free")
            return
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            self.add_error(prefix + "amount", f"Enter the price {number} as a number of pounds, like 12.50")
            return
        if (
            not amount.is_finite()
            or amount < 0
            or amount > entries.MAX_PRICE
            or amount != amount.quantize(Decimal("0.01"))
        ):
            self.add_error(prefix + "amount", f"Enter the price {number} as pounds and pence, like 12.50, from 0 up")
            return
        if amount > 0 and not data.get(prefix + "unit"):
            self.add_error(prefix + "unit", f"Choose how price {number} is charged, for example per hour")
            return
        data[prefix + "value"] = amount.quantize(Decimal("0.01"))

    def _clean_place(self, number: int, data: dict) -> None:
        prefix = f"place_{number}_"
        filled = any(
            (data.get(prefix + part) or "").strip()
            for part in ("name", "address_1", "city", "postcode", "accessibility")
        )
        if not filled:
            return
        for part, message in (("address_1", "Enter the first line of the address"), ("city", "Enter the town or city")):
            if not (data.get(prefix + part) or "").strip():
                self.add_error(prefix + part, f"{message} of place {number}")
        postcode = data.get(prefix + "postcode") or ""
        try:
            data[prefix + "postcode"] = postcodes.check_shape(postcode)
            postcodes.place(postcode)
        except postcodes.PostcodeError as error:
            self.add_error(prefix + "postcode", f"Place {number}: {error}")

    # -- to and from entries
    @classmethod
    def initial_from(cls, entry: dict) -> dict:
        initial = {
            key: entry.get(key)
            for key in (
                "name",
                "description",
                "outcomes",
                "themes",
                "needs",
                "minimum_age",
                "maximum_age",
                "status",
                "url",
                "email",
            )
        }
        for number, option in enumerate(entry.get("cost_options", [])[:PRICES], start=1):
            initial[f"price_{number}_option"] = option.get("option", "")
            initial[f"price_{number}_amount"] = option.get("amount") or ""
            initial[f"price_{number}_unit"] = option.get("unit", "")
            initial[f"price_{number}_budget"] = [YES] if option.get("personal_budget") else []
        for number, place in enumerate(entry.get("locations", [])[:PLACES], start=1):
            for part in ("name", "address_1", "city", "postcode", "accessibility"):
                initial[f"place_{number}_{part}"] = place.get(part, "")
        contact = (entry.get("contacts") or [{}])[0]
        initial["contact_name"] = contact.get("name", "")
        initial["phone"] = contact.get("phone", "")
        schedule = (entry.get("schedules") or [{}])[0]
        initial["days"] = [day for day in (schedule.get("byday") or "").split(",") if day]
        initial["opens_at"] = schedule.get("opens_at")
        initial["closes_at"] = schedule.get("closes_at")
        areas = entry.get("areas", [])
        initial["area_council"] = [YES] if any(a.get("kind") == AreaKind.LOCAL_AUTHORITY for a in areas) else []
        initial["area_england"] = [YES] if any(a.get("kind") == AreaKind.COUNTRY for a in areas) else []
        initial["area_districts"] = ", ".join(
            a["code"] for a in areas if a.get("kind") in (AreaKind.POSTCODE_DISTRICT, AreaKind.POSTCODE_SECTOR)
        )
        initial["languages"] = ", ".join(language.get("name", "") for language in entry.get("languages", []))
        return initial

    def to_entry(self, before: dict) -> dict:
        """The entry this form describes, keeping ``before``'s ids and the fields it does not show."""
        data = self.cleaned_data
        entry = {**before}
        for key in ("name", "description", "outcomes", "status", "url", "email"):
            entry[key] = (data.get(key) or "").strip()
        entry["themes"] = [code for code in Theme.values if code in data["themes"]]
        entry["needs"] = [code for code in Need.values if code in data.get("needs", [])]
        entry["minimum_age"], entry["maximum_age"] = data.get("minimum_age"), data.get("maximum_age")

        old_options = list(before.get("cost_options", []))
        entry["cost_options"] = []
        for number in range(1, PRICES + 1):
            amount = data.get(f"price_{number}_value")
            if amount is None:
                continue
            old = old_options[number - 1] if number <= len(old_options) else {}
            entry["cost_options"].append(
                {
                    "id": old.get("id") or str(uuid.uuid4()),
                    "option": (data.get(f"price_{number}_option") or "").strip(),
                    "amount": f"{amount:.2f}",
                    "unit": data.get(f"price_{number}_unit") or "",
                    "personal_budget": YES in (data.get(f"price_{number}_budget") or []),
                    "amount_description": "",
                    "valid_from": old.get("valid_from"),
                    "valid_to": old.get("valid_to"),
                }
            )
        old_places = list(before.get("locations", []))
        entry["locations"] = []
        for number in range(1, PLACES + 1):
            if not (data.get(f"place_{number}_address_1") or "").strip():
                continue
            old = old_places[number - 1] if number <= len(old_places) else {}
            entry["locations"].append(
                {
                    **{key: old.get(key) for key in ("link_id", "address_id", "accessibility_id")},
                    "id": old.get("id") or str(uuid.uuid4()),
                    "location_type": "physical",
                    "name": data[f"place_{number}_name"].strip(),
                    "description": old.get("description", ""),
                    "address_1": data[f"place_{number}_address_1"].strip(),
                    "address_2": old.get("address_2", ""),
                    "city": data[f"place_{number}_city"].strip(),
                    "postcode": data[f"place_{number}_postcode"],
                    "country": "GB",
                    "accessibility": data[f"place_{number}_accessibility"].strip(),
                    "latitude": None,
                    "longitude": None,
                    "external_identifier": old.get("external_identifier", ""),
                    "external_identifier_type": old.get("external_identifier_type", ""),
                }
            )
        entry["areas"] = self._areas(before.get("areas", []), entry["locations"])
        old_schedule = (before.get("schedules") or [{}])[0]
        entry["schedules"] = []
        if data.get("days") or data.get("opens_at"):
            entry["schedules"].append(
                {
                    **{key: old_schedule.get(key) for key in ("valid_from", "valid_to", "dtstart", "bymonthday")},
                    "id": old_schedule.get("id") or str(uuid.uuid4()),
                    "freq": "WEEKLY",
                    "interval": 1,
                    "byday": ",".join(day for day in entries.DAYS if day in (data.get("days") or [])),
                    "bymonthday": old_schedule.get("bymonthday") or "",
                    "opens_at": data["opens_at"].strftime("%H:%M") if data.get("opens_at") else None,
                    "closes_at": data["closes_at"].strftime("%H:%M") if data.get("closes_at") else None,
                    "description": old_schedule.get("description", ""),
                    "attending_type": old_schedule.get("attending_type", ""),
                    "notes": old_schedule.get("notes", ""),
                }
            )
        old_contact = (before.get("contacts") or [{}])[0]
        entry["contacts"] = []
        if data.get("contact_name") or data.get("phone"):
            entry["contacts"].append(
                {
                    "id": old_contact.get("id") or str(uuid.uuid4()),
                    "phone_id": old_contact.get("phone_id"),
                    "name": data.get("contact_name", "").strip(),
                    "title": old_contact.get("title", ""),
                    "phone": data.get("phone", "").strip(),
                }
            )
        old_languages = {language["name"].lower(): language for language in before.get("languages", [])}
        entry["languages"] = []
        for name in (part.strip() for part in (data.get("languages") or "").split(",")):
            if name:
                old = old_languages.get(name.lower(), {})
                entry["languages"].append(
                    {
                        "id": old.get("id") or str(uuid.uuid4()),
                        "name": name,
                        "code": old.get("code", ""),
                        "note": old.get("note", ""),
                    }
                )
        return entry

    def _areas(self, before: list[dict], places: list[dict]) -> list[dict]:
        data = self.cleaned_data
        by_key = {(area.get("kind"), area.get("code")): area for area in before}
        wanted: list[tuple[str, str, str, str]] = []
        if data.get("area_council") and places:
            place = postcodes.place(places[0]["postcode"])
            wanted.append(
                (
                    AreaKind.LOCAL_AUTHORITY,
                    place.la_code,
                    f"The council area of {place.postcode}",
                    ONS_GEOGRAPHY + place.la_code,
                )
            )
        for code in data.get("district_codes", []):
            kind = AreaKind.POSTCODE_SECTOR if " " in code else AreaKind.POSTCODE_DISTRICT
            wanted.append((kind, code, code, ""))
        if data.get("area_england"):
            wanted.append((AreaKind.COUNTRY, ENGLAND, "England", ONS_GEOGRAPHY + ENGLAND))
        kept_described = [area for area in before if area.get("kind") == AreaKind.DESCRIBED]
        areas = []
        for kind, code, name, uri in wanted:
            old = by_key.get((str(kind), code), {})
            areas.append(
                {
                    "id": old.get("id") or str(uuid.uuid4()),
                    "kind": str(kind),
                    "code": code,
                    "name": old.get("name") or name,
                    "extent": code
                    if kind in (AreaKind.POSTCODE_DISTRICT, AreaKind.POSTCODE_SECTOR)
                    else old.get("extent", ""),
                    "extent_type": "postcode"
                    if kind in (AreaKind.POSTCODE_DISTRICT, AreaKind.POSTCODE_SECTOR)
                    else old.get("extent_type", ""),
                    "uri": uri or old.get("uri", ""),
                }
            )
        return areas + kept_described


# The numbered groups of fields, declared like the others (so the GOV.UK mixin styles them).
for _number in range(1, PRICES + 1):
    EntryForm.base_fields.update(_price_fields(_number))
for _number in range(1, PLACES + 1):
    EntryForm.base_fields.update(_place_fields(_number))


class DecisionForm(Form):
    PUBLISH, ASK, REJECT = "publish", "ask", "reject"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (PUBLISH, "Publish it"),
            (ASK, "Ask the provider for more information"),
            (REJECT, "Do not publish it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to publish the entry, ask for more information, or not publish it"},
    )
    reasons = forms.CharField(
        label="Your reasons, or what you need to know",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The provider sees this. Say what to change, or why it cannot be listed",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in (self.ASK, self.REJECT) and not (data.get("reasons") or "").strip():
            message = (
                "Say what more information you need"
                if data["decision"] == self.ASK
                else "Say why the entry is not published"
            )
            self.add_error("reasons", message)
        return data
