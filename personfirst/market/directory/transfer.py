"""Importing an Open Referral UK feed, and exporting the directory as an
Open Referral UK data package.

Import is all or nothing: every record is read and checked first, and if
any has a problem nothing is loaded and the report names each problem by
record id and field. A clean run upserts every record by its id (through
publishing.py, as a moderator's decision would), so running the same feed
again changes nothing. Imported entries count as checked by the council
that imports them, so they go straight into the directory.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import entries, oruk, publishing
from .entries import Problem
from .models import Provider, Service, Taxonomy, TaxonomyTerm

BATCH = 500


class FeedError(ValueError):
    """The file itself cannot be read (message: ``file:line: problem``)."""


@dataclass
class Report:
    records: int = 0
    loaded: int = 0
    problems: dict[str, list[Problem]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [f"{record}: {problem}" for record, found in self.problems.items() for problem in found]


def read_feed(path: Path | str) -> list:
    """The service records in a file: a JSON array of services, a page of
    the API (``contents``), ``{"services": [...]}``, or a data package
    (.zip) with services.json, as ``export`` writes."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as package:
                if "services.json" not in package.namelist():
                    raise FeedError(f"{path}:1: the data package has no services.json")
                text = package.read("services.json").decode("utf-8")
                where = f"{path}!services.json"
        else:
            text = path.read_text(encoding="utf-8")
            where = str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise FeedError(f"{path}:1: cannot be read: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"{where}:{error.lineno}: not valid JSON: {error.msg}") from None
    if isinstance(data, dict):
        data = data.get("contents", data.get("services"))
    if not isinstance(data, list):
        raise FeedError(f"{where}:1: expected a list of services (or an object with 'contents' or 'services')")
    return data


def _record_id(record, index: int) -> str:
    if isinstance(record, dict) and record.get("id"):
        return str(record["id"])
    return f"record {index + 1}"


def check(records: list) -> tuple[list[tuple[dict, dict, list[dict]]], Report]:
    """Read every record; the report lists every problem."""
    report = Report(records=len(records))
    read = []
    seen_ids: Counter = Counter()
    child_owner: dict[tuple[str, str], str] = {}
    organizations: dict[str, dict] = {}
    known_terms: dict[str, dict] = {}
    for index, record in enumerate(records):
        record_id = _record_id(record, index)
        entry, organization, terms, problems = entries.from_oruk(record)
        seen_ids[entry["id"]] += 1
        if seen_ids[entry["id"]] == 2:
            problems.append(Problem("id", "appears more than once in this feed"))
        for kind in entries.ITEM_LISTS:
            for position, item in enumerate(entry[kind]):
                owner = child_owner.setdefault((kind, item["id"]), entry["id"])
                if owner != entry["id"] and kind != "locations":
                    problems.append(Problem(f"{kind}[{position}].id", f"is also used by service {owner}"))
        if organization and organization.get("id"):
            organizations.setdefault(organization["id"], organization)
            if organization.get("name"):
                organizations[organization["id"]] = organization
        for term in terms:
            if term.get("name"):
                known_terms[term["id"]] = term
        read.append((entry, organization, terms))
        if problems:
            report.problems[record_id] = problems
    existing_providers = {
        str(pk) for pk in Provider.objects.filter(pk__in=list(organizations)).values_list("pk", flat=True)
    }
    missing_terms = {term["id"] for _, _, terms in read for term in terms if not term.get("name")} - set(known_terms)
    existing_terms = {str(pk) for pk in TaxonomyTerm.objects.filter(pk__in=missing_terms).values_list("pk", flat=True)}
    for index, (_entry, organization, terms) in enumerate(read):
        record_id = _record_id(records[index], index)
        found = report.problems.get(record_id, [])
        if organization and organization.get("id"):
            complete = organizations[organization["id"]]
            if not complete.get("name") and organization["id"] not in existing_providers:
                found.append(Problem("organization.name", "is missing, and no organisation has that id yet"))
        for position, term in enumerate(terms):
            if not term.get("name") and term["id"] not in known_terms and term["id"] not in existing_terms:
                found.append(
                    Problem(f"attributes[{position}].taxonomy_term_id", f"names a term we do not have: {term['id']}")
                )
        if found:
            report.problems[record_id] = found
    return read, report


def import_records(records: list, *, progress: Callable[[int], None] | None = None) -> Report:
    read, report = check(records)
    if not report.ok:
        return report
    with transaction.atomic():
        _taxonomies_and_terms(term for _, _, terms in read for term in terms)
        providers = _providers(organization for _, organization, _ in read if organization)
        items = [publishing.Item(entry, providers[organization["id"]]) for entry, organization, _ in read]
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            publishing.write(batch, keep_stale_flags=True)
            report.loaded += len(batch)
            if progress:
                progress(len(batch))
    return report


def _taxonomies_and_terms(terms: Iterable[dict]) -> None:
    terms = {term["id"]: term for term in terms if term.get("name")}
    taxonomies = {}
    for term in terms.values():
        if term.get("taxonomy_id"):
            taxonomies[term["taxonomy_id"]] = term.get("taxonomy") or "Imported taxonomy"
    existing = {str(pk) for pk in Taxonomy.objects.filter(pk__in=list(taxonomies)).values_list("pk", flat=True)}
    Taxonomy.objects.bulk_create(
        [Taxonomy(id=pk, name=name, description=name) for pk, name in taxonomies.items() if pk not in existing]
    )
    objects = [
        TaxonomyTerm(
            id=term["id"],
            taxonomy_id=term.get("taxonomy_id"),
            name=term["name"],
            description=term.get("description", ""),
            code=term.get("code", ""),
            term_uri=term.get("term_uri", ""),
        )
        for term in terms.values()
    ]
    if objects:
        TaxonomyTerm.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["taxonomy", "name", "description", "code", "term_uri"],
        )
    # Parents last: a parent may come later in the feed.
    known = {
        str(pk)
        for pk in TaxonomyTerm.objects.filter(
            pk__in=[t.get("parent_id") for t in terms.values() if t.get("parent_id")]
        ).values_list("pk", flat=True)
    }
    for term in terms.values():
        if term.get("parent_id") in known:
            TaxonomyTerm.objects.filter(pk=term["id"]).update(parent_id=term["parent_id"])


def _providers(organizations: Iterable[dict]) -> dict[str, uuid.UUID]:
    complete: dict[str, dict] = {}
    for organization in organizations:
        if organization.get("name") or organization["id"] not in complete:
            complete[organization["id"]] = organization
    named = [org for org in complete.values() if org.get("name")]
    if named:
        Provider.objects.bulk_create(
            [
                Provider(
                    id=org["id"],
                    name=org["name"],
                    description=org.get("description", ""),
                    email=org.get("email", ""),
                    website=org.get("website", ""),
                    uri=org.get("uri", ""),
                    last_modified=timezone.now(),
                )
                for org in named
            ],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["name", "description", "email", "website", "uri", "last_modified"],
        )
    return {pk: uuid.UUID(pk) for pk in complete}


# --- Export --------------------------------------------------------------------------

TABLES = {
    "organizations": ["id", "name", "description", "email", "website", "uri"],
    "services": [
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "accreditations",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "alert",
        "last_modified",
    ],
    "locations": [
        "id",
        "location_type",
        "name",
        "description",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ],
    "service_at_locations": ["id", "service_id", "location_id"],
    "addresses": [
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "cost_options": ["id", "service_id", "valid_from", "valid_to", "option", "amount", "amount_description"],
    "service_areas": ["id", "service_id", "name", "extent", "extent_type", "uri", "service_area"],
    "schedules": [
        "id",
        "service_id",
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "dtstart",
        "description",
        "attending_type",
        "notes",
    ],
    "contacts": ["id", "service_id", "name", "title"],
    "phones": ["id", "contact_id", "number", "description"],
    "languages": ["id", "service_id", "name", "code", "note"],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": ["id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri", "term"],
}
NUMBERS = {"minimum_age", "maximum_age", "latitude", "longitude", "amount", "interval"}


def _rows(services: list[dict]) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = defaultdict(list)
    for service in services:
        rows["services"].append(service)
        for schedule in service["schedules"]:
            rows["schedules"].append(schedule)
        rows["service_areas"] += service["service_areas"]
        rows["cost_options"] += service["cost_options"]
        rows["languages"] += service["languages"]
        rows["attributes"] += service["attributes"]
        for contact in service["contacts"]:
            rows["contacts"].append(contact)
            rows["phones"] += contact.get("phones", [])
        for link in service["service_at_locations"]:
            rows["service_at_locations"].append(link)
            location = link["location"]
            rows["locations"].append(location)
            rows["addresses"] += location["addresses"]
            rows["accessibility"] += location["accessibility"]
    return rows


def export(stream, *, chunk: int = 1_000) -> int:
    """Write the directory to ``stream`` as a zip: datapackage.json, one CSV
    per table and services.json (every service, fully nested). Returns the
    number of services."""
    buffers = {table: io.StringIO() for table in TABLES}
    writers = {table: csv.DictWriter(buffers[table], TABLES[table], extrasaction="ignore") for table in TABLES}
    for writer in writers.values():
        writer.writeheader()
    seen_locations: set[str] = set()
    count = 0
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as package:
        with package.open("services.json", "w") as services_json:
            services_json.write(b"[")
            ids = list(Service.objects.order_by("name", "id").values_list("pk", flat=True))
            for start in range(0, len(ids), chunk):
                chunk_ids = ids[start : start + chunk]
                found = {s.pk: s for s in oruk.full_services(Service.objects.filter(pk__in=chunk_ids))}
                records = [oruk.service_full(found[pk]) for pk in chunk_ids if pk in found]
                for record in records:
                    services_json.write(
                        (b"," if count else b"") + json.dumps(record, ensure_ascii=False).encode("utf-8")
                    )
                    count += 1
                for table, table_rows in _rows(records).items():
                    for row in table_rows:
                        if table == "locations":
                            if row["id"] in seen_locations:
                                continue
                            seen_locations.add(row["id"])
                        writers[table].writerow(row)
            services_json.write(b"]")
        for provider in Provider.objects.order_by("name", "id"):
            writers["organizations"].writerow(oruk.organization(provider))
        for item in Taxonomy.objects.order_by("name", "id"):
            writers["taxonomies"].writerow(oruk.taxonomy(item))
        for term in TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id"):
            writers["taxonomy_terms"].writerow(oruk.taxonomy_term(term))
        for table, buffer in buffers.items():
            package.writestr(f"{table}.csv", buffer.getvalue())
        package.writestr("datapackage.json", json.dumps(_descriptor(), indent=2))
    return count


def _descriptor() -> dict:
    return {
        "name": "personfirst-directory",
        "title": "PersonFirst directory of care and support services",
        "profile": "tabular-data-package",
        "version": oruk.VERSION,
        "created": timezone.now().isoformat(),
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": name, "type": "number" if name in NUMBERS else "string"} for name in columns],
                    "primaryKey": "id",
                },
            }
            for table, columns in TABLES.items()
        ]
        + [{"name": "services-json", "path": "services.json", "format": "json", "mediatype": "application/json"}],
    }
