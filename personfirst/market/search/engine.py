"""Searching the directory: words, a goal, a theme, a postcode and a
distance, "covers my postcode", price, personal budget, accredited and
personal assistants, ranked by relevance then distance.

One SQL query finds the page of services (and how many there are in all),
with full-text search in the database itself: FTS5 with Porter stemming on
SQLite, tsvector/tsquery with the 'english' configuration on PostgreSQL.
A second query (and its prefetches) loads what the page shows about them.

Relevance is put in tenths (0.0 to 1.0: a match in the name counts most,
then what the service helps people achieve, then the rest), and services
equally relevant are ordered by distance, nearest first, then by name.
Distance is straight-line, in metres, from British National Grid
references: a service is as near as its nearest place.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch

from personfirst.market.directory.models import Service, ServiceAtLocation
from personfirst.market.directory.postcodes import Place
from personfirst.market.directory.vocabulary import THEME_BITS

from . import words

PER_PAGE = 20
COUNTRY_OF = {"E": "E92000001", "W": "W92000004", "S": "S92000003"}
GREAT_BRITAIN_AND_UK = ("K03000001", "K02000001")


@dataclass(frozen=True)
class Query:
    words: str = ""
    goal: str = ""
    theme: str = ""
    place: Place | None = None
    within_metres: int | None = None
    covers: bool = False
    max_price: Decimal | None = None
    free_only: bool = False
    personal_budget: bool = False
    accredited: bool = False
    personal_assistants: bool = False
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class Hit:
    service: Service
    distance: float | None = None  # metres
    relevance: float | None = None
    nearest: object | None = None  # the Location it is nearest at

    @property
    def distance_km(self) -> str | None:
        if self.distance is None:
            return None
        return f"{self.distance / 1000:.1f}"


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


def _text_match(query: Query) -> tuple[str, list] | None:
    """The common table expression ``hits`` (matching documents with their score), or None."""
    every = words.concepts(query.words)
    some = words.concepts(query.goal)
    if not every and not some:
        return None
    if connection.vendor == "postgresql":
        parts, params = [], []
        if every:
            sql, more = words.tsquery_sql(every, every=True)
            parts.append(f"({sql})")
            params += more
        if some:
            sql, more = words.tsquery_sql(some, every=False)
            parts.append(f"({sql})")
            params += more
        tsquery = " && ".join(parts)
        # The query's words are parameters: ``tsquery`` holds only placeholders.
        select = "SELECT d.id AS doc_id, d.service_id AS service_id, ts_rank(d.vector, q.query, 32) AS score"
        source = f"FROM search_document d, (SELECT {tsquery} AS query) q WHERE d.vector @@ q.query"
        cte = f"hits AS MATERIALIZED ({select} {source})"
        return (
            cte,
            params,
        )
    parts = []
    if every:
        parts.append(f"({words.fts5_query(every, every=True)})")
    if some:
        parts.append(f"({words.fts5_query(some, every=False)})")
    match = " AND ".join(parts)
    return (
        # MATERIALIZED: bm25() only works in the query that matches, never flattened into the outer one.
        "hits AS MATERIALIZED (SELECT search_fts.rowid AS doc_id, d.service_id AS service_id, "
        "-bm25(search_fts, 10.0, 1.0, 4.0) / (1.0 - bm25(search_fts, 10.0, 1.0, 4.0)) AS score "
        "FROM search_fts JOIN search_document d ON d.id = search_fts.rowid WHERE search_fts MATCH %s)",
        [match],
    )


def build(query: Query) -> tuple[str, list]:
    """The SQL (and its parameters) for one page of results."""
    params: list = []
    select = ["s.id", "s.name"]
    joins: list[str] = []
    where = ["s.status = 'active'"]
    group = False
    text = _text_match(query)
    prefix = ""
    if text:
        cte, text_params = text
        prefix = f"WITH {cte} "
        joins.append("FROM hits JOIN directory_service s ON s.id = hits.service_id")
        params += text_params
        select.append("ROUND(CAST(hits.score AS NUMERIC), 1) AS band")
    else:
        joins.append("FROM directory_service s")
        select.append("NULL AS band")
    having = ""
    if query.place:
        e, n = query.place.easting, query.place.northing
        distance = (
            "MIN((CAST(l.easting AS BIGINT) - %s) * (CAST(l.easting AS BIGINT) - %s)"
            " + (CAST(l.northing AS BIGINT) - %s) * (CAST(l.northing AS BIGINT) - %s))"
        )
        select.append(f"{distance} AS d2")
        distance_params = [e, e, n, n]
        if query.within_metres:
            r = int(query.within_metres)
            joins.append(
                "JOIN directory_serviceatlocation sal ON sal.service_id = s.id "
                "JOIN directory_location l ON l.id = sal.location_id "
                "AND l.easting BETWEEN %s AND %s AND l.northing BETWEEN %s AND %s"
            )
            join_params = [e - r, e + r, n - r, n + r]
            having = f"HAVING {distance} <= %s"
            having_params = [*distance_params, r * r]
        else:
            joins.append(
                "LEFT JOIN directory_serviceatlocation sal ON sal.service_id = s.id "
                "LEFT JOIN directory_location l ON l.id = sal.location_id"
            )
            join_params = []
            having_params = []
        group = True
    else:
        select.append("NULL AS d2")
        distance_params, join_params, having_params = [], [], []
    select.append("COUNT(*) OVER () AS total")
    where_params: list = []
    if query.theme and query.theme in THEME_BITS:
        where.append("(s.theme_bits & %s) != 0")
        where_params.append(THEME_BITS[query.theme])
    if query.covers and query.place:
        la = query.place.la_code
        where.append(
            "EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = s.id AND ("
            "(a.kind = 'local_authority' AND a.code = %s) OR (a.kind = 'postcode_district' AND a.code = %s) "
            "OR (a.kind = 'postcode_sector' AND a.code = %s) OR (a.kind = 'country' AND a.code IN (%s, %s, %s))))"
        )
        where_params += [
            la,
            query.place.outward,
            query.place.sector,
            COUNTRY_OF.get(la[:1], "-"),
            *GREAT_BRITAIN_AND_UK,
        ]
    if query.free_only:
        where.append("s.lowest_price = 0")
    elif query.max_price is not None:
        where.append("s.lowest_price <= %s")
        where_params.append(query.max_price)
    if query.personal_budget:
        where.append("s.personal_budget = %s")
        where_params.append(True)
    if query.accredited:
        where.append("s.accredited = %s")
        where_params.append(True)
    if query.personal_assistants:
        where.append("s.personal_assistant = %s")
        where_params.append(True)

    order = []
    if text:
        order.append("band DESC")
    if query.place:
        order.append("d2 ASC NULLS LAST")
    order += ["s.name", "s.id"]
    group_by = f"GROUP BY s.id, s.name{', hits.score' if text else ''}" if group else ""
    sql = (
        f"{prefix}SELECT {', '.join(select)} {' '.join(joins)} WHERE {' AND '.join(where)} "
        f"{group_by} {having} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
    )
    offset = (max(query.page, 1) - 1) * query.per_page
    # Parameters in the order their placeholders appear.
    all_params = (
        params
        + [*(distance_params if query.place else [])]
        + join_params
        + where_params
        + having_params
        + [query.per_page, offset]
    )
    return sql, all_params


def rows(query: Query) -> list[tuple]:
    sql, params = build(query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def run(query: Query) -> Results:
    found = rows(query)
    results = Results(query=query, total=found[0][4] if found else 0)
    if not found:
        return results
    ids = [_as_uuid(row[0]) for row in found]
    services = Service.objects.select_related("provider").prefetch_related(
        "cost_options",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related("location__addresses"),
        ),
    )
    by_id = {service.pk: service for service in services.filter(pk__in=ids)}
    for row, service_id in zip(found, ids, strict=True):
        service = by_id.get(service_id)
        if service is None:  # removed since the first query
            continue
        hit = Hit(service=service, relevance=float(row[2]) if row[2] is not None else None)
        if query.place:
            nearest = None
            for link in service.service_at_locations.all():
                location = link.location
                if location.easting is None:
                    continue
                metres = math.hypot(location.easting - query.place.easting, location.northing - query.place.northing)
                if nearest is None or metres < nearest[0]:
                    nearest = (metres, location)
            if nearest:
                hit.distance, hit.nearest = nearest
        results.hits.append(hit)
    return results


def matching(text: str):
    """A condition on Service: every word of ``text`` (with its synonyms)
    matches (the Open Referral UK API's ``search``: directory/textsearch.py)."""
    from django.db.models import Q
    from django.db.models.expressions import RawSQL

    groups = words.concepts(text)
    if not groups:
        return Q()
    if connection.vendor == "postgresql":
        tsquery, params = words.tsquery_sql(groups, every=True)
        sql = f"SELECT service_id FROM search_document WHERE vector @@ ({tsquery})"  # noqa: S608 - placeholders only
    else:
        sql = (
            "SELECT d.service_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s"
        )
        params = [words.fts5_query(groups, every=True)]
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - the words are parameters
