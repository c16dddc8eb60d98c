"""The directory as Open Referral UK 3.0 JSON (the schemas in
shared/openreferral-uk/schema are the truth for every shape here).

Optional fields are left out rather than sent empty, because an empty
string is not a valid e-mail address or web address for the schemas.
Contacts carry their ``phones`` and languages their ``name`` and ``code``
(Open Referral's HSDS 3.0 fields, which the UK profile allows).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .models import (
    Attribute,
    Location,
    Provider,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "3.0"
PROFILE = "https://openreferral.github.io/uk-profile/"


def _compact(record: dict) -> dict:
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _number(value: Decimal | int | None):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def organization(provider: Provider) -> dict:
    return {
        "id": str(provider.pk),
        "name": provider.name,
        "description": provider.description,
        **_compact({"email": provider.email, "website": provider.website, "uri": provider.uri}),
    }


def taxonomy_term(term: TaxonomyTerm) -> dict:
    return {
        "id": str(term.pk),
        "name": term.name,
        "description": term.description,
        **_compact(
            {
                "parent_id": str(term.parent_id) if term.parent_id else None,
                "taxonomy": term.taxonomy.name if term.taxonomy_id else None,
                "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
                "term_uri": term.term_uri,
                "term": term.code,
            }
        ),
    }


def taxonomy(item: Taxonomy, *, with_terms: bool = False) -> dict:
    record = {
        "id": str(item.pk),
        "name": item.name,
        "description": item.description,
        **_compact({"uri": item.uri, "version": item.version}),
    }
    if with_terms:
        record["taxonomy_terms"] = [taxonomy_term(term) for term in item.terms.all()]
    return record


def service_basic(service: Service, *, with_organization: bool = True) -> dict:
    """A service's own fields (the list pages' shape)."""
    record = {
        "id": str(service.pk),
        "organization_id": str(service.provider_id),
        "name": service.name,
        "status": service.status,
        **_compact(
            {
                "description": service.description,
                "url": service.url,
                "email": service.email,
                "accreditations": service.accreditations,
                "minimum_age": service.minimum_age,
                "maximum_age": service.maximum_age,
                "assured_date": service.assured_date.isoformat() if service.assured_date else None,
                "assurer_email": service.assurer_email,
                "alert": service.alert,
                "last_modified": service.last_modified.isoformat().replace("+00:00", "Z"),
            }
        ),
    }
    if with_organization:
        record["organization"] = organization(service.provider)
    return record


def location_basic(location: Location) -> dict:
    return {
        "id": str(location.pk),
        "location_type": location.location_type,
        **_compact(
            {
                "name": location.name,
                "description": location.description,
                "latitude": _number(location.latitude),
                "longitude": _number(location.longitude),
                "external_identifier": location.external_identifier,
                "external_identifier_type": location.external_identifier_type,
            }
        ),
    }


def location_full(location: Location) -> dict:
    record = location_basic(location)
    record["addresses"] = [
        {
            "id": str(address.pk),
            "location_id": str(location.pk),
            "address_1": address.address_1,
            "city": address.city,
            "state_province": address.state_province,
            "postal_code": address.postal_code,
            "country": address.country,
            "address_type": address.address_type,
            **_compact({"address_2": address.address_2, "region": address.region, "attention": address.attention}),
        }
        for address in location.addresses.all()
    ]
    record["accessibility"] = [
        {
            "id": str(item.pk),
            "location_id": str(location.pk),
            **_compact({"description": item.description, "details": item.details, "url": item.url}),
        }
        for item in location.accessibility.all()
    ]
    return record


def _cost_option(option) -> dict:
    return {
        "id": str(option.pk),
        "service_id": str(option.service_id),
        **_compact(
            {
                "option": option.option,
                "amount": _number(option.amount),
                "amount_description": option.amount_description,
                "valid_from": option.valid_from.isoformat() if option.valid_from else None,
                "valid_to": option.valid_to.isoformat() if option.valid_to else None,
            }
        ),
    }


def _schedule(schedule) -> dict:
    return {
        "id": str(schedule.pk),
        "service_id": str(schedule.service_id),
        **_compact(
            {
                "freq": schedule.freq,
                "interval": schedule.interval,
                "byday": schedule.byday,
                "bymonthday": schedule.bymonthday,
                "opens_at": schedule.opens_at.strftime("%H:%M:%S") if schedule.opens_at else None,
                "closes_at": schedule.closes_at.strftime("%H:%M:%S") if schedule.closes_at else None,
                "valid_from": schedule.valid_from.isoformat() if schedule.valid_from else None,
                "valid_to": schedule.valid_to.isoformat() if schedule.valid_to else None,
                "dtstart": schedule.dtstart.isoformat() if schedule.dtstart else None,
                "description": schedule.description,
                "attending_type": schedule.attending_type,
                "notes": schedule.notes,
            }
        ),
    }


def _service_area(area) -> dict:
    return {
        "id": str(area.pk),
        "service_id": str(area.service_id),
        **_compact(
            {
                "name": area.name,
                "service_area": area.name,
                "extent": area.extent,
                "extent_type": area.extent_type,
                "uri": area.uri,
            }
        ),
    }


def _contact(contact) -> dict:
    record = {
        "id": str(contact.pk),
        "service_id": str(contact.service_id),
        **_compact({"name": contact.name, "title": contact.title}),
    }
    phones = [
        {
            "id": str(phone.pk),
            "contact_id": str(contact.pk),
            "number": phone.number,
            **_compact({"description": phone.description}),
        }
        for phone in contact.phones.all()
    ]
    if phones:
        record["phones"] = phones
    return record


def _attribute(attribute: Attribute) -> dict:
    return {
        "id": str(attribute.pk),
        "link_id": str(attribute.service_id),
        "taxonomy_term_id": str(attribute.term_id),
        **_compact({"link_type": attribute.link_type}),
        "taxonomy_term": taxonomy_term(attribute.term),
    }


def service_full(service: Service, *, with_organization: bool = True) -> dict:
    """A service with everything about it (the /services/{id} shape)."""
    record = service_basic(service, with_organization=with_organization)
    record["schedules"] = [_schedule(schedule) for schedule in service.schedules.all()]
    record["service_areas"] = [_service_area(area) for area in service.service_areas.all()]
    record["service_at_locations"] = [
        {
            "id": str(link.pk),
            "service_id": str(service.pk),
            "location_id": str(link.location_id),
            "location": location_full(link.location),
        }
        for link in service.service_at_locations.all()
    ]
    record["languages"] = [
        {
            "id": str(language.pk),
            "service_id": str(service.pk),
            "name": language.name,
            **_compact({"code": language.code, "note": language.note}),
        }
        for language in service.languages.all()
    ]
    record["cost_options"] = [_cost_option(option) for option in service.cost_options.all()]
    record["contacts"] = [_contact(contact) for contact in service.contacts.all()]
    record["attributes"] = [_attribute(attribute) for attribute in service.attributes.all()]
    return record


def service_at_location_basic(link: ServiceAtLocation) -> dict:
    return {
        "id": str(link.pk),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
        "location": location_basic(link.location),
        "service": service_basic(link.service),
    }


def service_at_location_full(link: ServiceAtLocation) -> dict:
    return {
        "id": str(link.pk),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
        "location": location_full(link.location),
        "service": service_full(link.service),
    }


def organization_full(provider: Provider, services: QuerySet[Service]) -> dict:
    record = organization(provider)
    record["services"] = [service_full(service, with_organization=False) for service in services]
    return record


# --- Querysets that fetch what the shapes above need, in a fixed number of queries ----


def full_services(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    queryset = Service.objects.all() if queryset is None else queryset
    return queryset.select_related("provider").prefetch_related(
        "schedules",
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__accessibility"
            ),
        ),
        "languages",
        "cost_options",
        Prefetch("contacts", queryset=_contacts()),
        Prefetch("attributes", queryset=Attribute.objects.select_related("term__taxonomy")),
    )


def _contacts():
    from .models import Contact

    return Contact.objects.prefetch_related("phones")
