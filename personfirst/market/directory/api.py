"""The Open Referral UK read API at /oruk/ (django-ninja, its own OpenAPI
document at /oruk/openapi.json).

Open to everyone without signing in: what it shows is what the public
search shows. Every response, errors included, carries
``Access-Control-Allow-Origin: *`` (urls.py), so any council's or app's
web page can read it. List pages have the standard's paging fields
(total_items, total_pages, page_number, size, first_page, last_page,
empty, contents). Errors are JSON: {"detail": ..., "errors": [...]}.
"""

from __future__ import annotations

import datetime
import math
import uuid
from typing import Any

from django.db.models import BigIntegerField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from . import oruk, postcodes, textsearch
from .models import Provider, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm

MAX_PER_PAGE = 200

api = NinjaAPI(
    title="PersonFirst directory: Open Referral UK API",
    version=oruk.VERSION,
    description=(
        "The PersonFirst directory of care and support services in the Open Referral UK 3.0 standard. "
        "Open to everyone: no sign-in, and Access-Control-Allow-Origin: * on every response."
    ),
    urls_namespace="oruk",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=None,
)


class Error(Schema):
    detail: str
    errors: list[dict[str, str]] | None = None


ERRORS = {400: Error, 404: Error, 422: Error}


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", []) if part != "query"),
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Some of the parameters are not valid.", "errors": errors}, status=422
    )


# --- Responses (described loosely: the Open Referral UK schemas are the truth) ----


class Meta(Schema):
    version: str = Field(description="The HSDS / Open Referral UK version of this API")
    profile: str = Field(description="Where the profile is described")
    openapi_url: str


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description=f"Results on a page (at most {MAX_PER_PAGE})")


class ServiceFilters(Paging):
    search: str | None = Field(None, max_length=200, description="Words to look for")
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: int | None = Field(None, ge=0, le=150, description="Services for people this old or older")
    maximum_age: int | None = Field(None, ge=0, le=150, description="Services for people this old or younger")
    modified_after: datetime.datetime | None = None


class PlaceFilters(ServiceFilters):
    postcode: str | None = Field(None, max_length=10, description="Order by distance from this postcode")
    proximity: int | None = Field(None, ge=1, le=1_000_000, description="Only within this many metres of the postcode")


def page_of(queryset: QuerySet, paging: Paging, shape) -> dict:
    total = queryset.count()
    pages = max(1, math.ceil(total / paging.per_page))
    start = (paging.page - 1) * paging.per_page
    # The page's ids first (read from an index alone, even far into the list), then their rows.
    ids = list(queryset.values_list("pk", flat=True)[start : start + paging.per_page])
    found = {item.pk: item for item in _with_related(queryset).filter(pk__in=ids)} if ids else {}
    contents = [shape(found[pk]) for pk in ids]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _with_related(queryset: QuerySet) -> QuerySet:
    """The same rows with what their shape reads, without the list's filters and order."""
    plain = queryset.model._default_manager.all()
    if queryset.query.select_related:
        plain = plain.select_related(*_related_names(queryset.query.select_related))
    return plain


def _related_names(tree: dict | bool, prefix: str = "") -> list[str]:
    if not isinstance(tree, dict):
        return []
    names = []
    for name, below in tree.items():
        names.append(prefix + name)
        names += _related_names(below, prefix + name + "__")
    return names


def _uuid_or_404(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404(f"No {what} has the id “{value}”.") from None


def _filtered(services: QuerySet[Service], filters: ServiceFilters) -> QuerySet:
    conditions = Q()
    if filters.search and filters.search.strip():
        conditions &= textsearch.matching(filters.search)
    if filters.taxonomy_term_id:
        conditions &= Q(attributes__term_id=filters.taxonomy_term_id)
    if filters.taxonomy_id:
        conditions &= Q(attributes__term__taxonomy_id=filters.taxonomy_id)
    if filters.minimum_age is not None:
        conditions &= Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.minimum_age)
    if filters.maximum_age is not None:
        conditions &= Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.maximum_age)
    if filters.modified_after is not None:
        conditions &= Q(last_modified__gte=filters.modified_after)
    queryset = services.filter(conditions)
    if filters.taxonomy_term_id or filters.taxonomy_id:
        queryset = queryset.distinct()
    return queryset


@api.get("/", response=Meta, summary="Which version of the standard this API speaks", operation_id="oruk_root")
def root(request: HttpRequest):
    return {
        "version": oruk.VERSION,
        "profile": oruk.PROFILE,
        "openapi_url": request.build_absolute_uri("/oruk/openapi.json"),
    }


@api.get(
    "/services", response={200: Page, **ERRORS}, summary="Services, a page at a time", operation_id="oruk_services"
)
def services(request: HttpRequest, filters: Query[ServiceFilters]):
    queryset = _filtered(Service.objects.listed().select_related("provider"), filters).order_by("name", "id")
    return page_of(queryset, filters, oruk.service_basic)


@api.get(
    "/services/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A service with everything about it",
    operation_id="oruk_service",
)
def service(request: HttpRequest, id: str):  # noqa: A002 - the standard's name
    found = oruk.full_services(Service.objects.listed()).filter(pk=_uuid_or_404(id, "service")).first()
    if found is None:
        raise Http404(f"No service has the id “{id}”.")
    return oruk.service_full(found)


@api.get(
    "/service_at_locations",
    response={200: Page, **ERRORS},
    summary="Services at their places, a page at a time",
    operation_id="oruk_service_at_locations",
)
def service_at_locations(request: HttpRequest, filters: Query[PlaceFilters]):
    links = ServiceAtLocation.objects.filter(service__status=ServiceStatus.ACTIVE).select_related(
        "service__provider", "location"
    )
    service_ids = _filtered(Service.objects.listed(), filters).values("pk")
    links = links.filter(service_id__in=service_ids)
    if filters.proximity and not filters.postcode:
        raise HttpError(400, "Give a postcode with proximity: the distance is measured from it.")
    if filters.postcode:
        try:
            place = postcodes.place(filters.postcode)
        except postcodes.PostcodeError as error:
            raise HttpError(400, str(error)) from None
        links = links.filter(location__easting__isnull=False)
        if filters.proximity:
            r = filters.proximity
            links = links.filter(
                location__easting__range=(place.easting - r, place.easting + r),
                location__northing__range=(place.northing - r, place.northing + r),
            )
        east = Cast("location__easting", BigIntegerField()) - place.easting
        north = Cast("location__northing", BigIntegerField()) - place.northing
        links = links.annotate(d2=ExpressionWrapper(east * east + north * north, output_field=BigIntegerField()))
        if filters.proximity:
            links = links.filter(d2__lte=filters.proximity**2)
        links = links.order_by("d2", "id")
    else:
        links = links.order_by("service__name", "position", "id")
    return page_of(links, filters, oruk.service_at_location_basic)


@api.get(
    "/service_at_locations/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A service at one place, with everything about both",
    operation_id="oruk_service_at_location",
)
def service_at_location(request: HttpRequest, id: str):  # noqa: A002
    link = (
        ServiceAtLocation.objects.filter(
            pk=_uuid_or_404(id, "service at a location"), service__status=ServiceStatus.ACTIVE
        )
        .select_related("location")
        .prefetch_related("location__addresses", "location__accessibility")
        .first()
    )
    if link is None:
        raise Http404(f"No service at a location has the id “{id}”.")
    link.service = oruk.full_services().get(pk=link.service_id)
    return oruk.service_at_location_full(link)


@api.get(
    "/organizations",
    response={200: Page, **ERRORS},
    summary="Organisations, a page at a time",
    operation_id="oruk_organizations",
)
def organizations(request: HttpRequest, paging: Query[Paging]):
    return page_of(Provider.objects.order_by("name", "id"), paging, oruk.organization)


@api.get(
    "/organizations/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="An organisation with its services",
    operation_id="oruk_organization",
)
def organization(request: HttpRequest, id: str):  # noqa: A002
    provider = Provider.objects.filter(pk=_uuid_or_404(id, "organisation")).first()
    if provider is None:
        raise Http404(f"No organisation has the id “{id}”.")
    return oruk.organization_full(provider, oruk.full_services(provider.services.listed()).order_by("name"))


@api.get(
    "/taxonomies",
    response={200: Page, **ERRORS},
    summary="Taxonomies, a page at a time",
    operation_id="oruk_taxonomies",
)
def taxonomies(request: HttpRequest, paging: Query[Paging]):
    return page_of(Taxonomy.objects.order_by("name", "id"), paging, oruk.taxonomy)


@api.get(
    "/taxonomies/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A taxonomy with its terms",
    operation_id="oruk_taxonomy",
)
def taxonomy(request: HttpRequest, id: str):  # noqa: A002
    found = Taxonomy.objects.filter(pk=_uuid_or_404(id, "taxonomy")).prefetch_related("terms__taxonomy").first()
    if found is None:
        raise Http404(f"No taxonomy has the id “{id}”.")
    return oruk.taxonomy(found, with_terms=True)


@api.get(
    "/taxonomy_terms",
    response={200: Page, **ERRORS},
    summary="Taxonomy terms, a page at a time",
    operation_id="oruk_taxonomy_terms",
)
def taxonomy_terms(request: HttpRequest, paging: Query[Paging]):
    return page_of(TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id"), paging, oruk.taxonomy_term)


@api.get(
    "/taxonomy_terms/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A taxonomy term",
    operation_id="oruk_taxonomy_term",
)
def taxonomy_term(request: HttpRequest, id: str):  # noqa: A002
    term = TaxonomyTerm.objects.filter(pk=_uuid_or_404(id, "taxonomy term")).select_related("taxonomy").first()
    if term is None:
        raise Http404(f"No taxonomy term has the id “{id}”.")
    return oruk.taxonomy_term(term)
