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


def _groups(query: Query) -> tuple[list, list]:
    return words.concepts(query.words), words.concepts(query.goal)


def _tsquery(every: list, some: list) -> tuple[str, list]:
    parts, params = [], []
    if every:
        sql, more = words.tsquery_sql(every, every=True)
        parts.append(f"({sql})")
        params += more
    if some:
        sql, more = words.tsquery_sql(some, every=False)
        parts.append(f"({sql})")
        params += more
    return " && ".join(parts), params


def _fts5_match(every: list, some: list) -> str:
    parts = []
    if every:
        parts.append(f"({words.fts5_query(every, every=True)})")
    if some:
        parts.append(f"({words.fts5_query(some, every=False)})")
    return " AND ".join(parts)


# The squared distance from the query's grid reference (parameters: e, e, n, n).
DISTANCE = (
    "(CAST(p.easting AS BIGINT) - %s) * (CAST(p.easting AS BIGINT) - %s)"
    " + (CAST(p.northing AS BIGINT) - %s) * (CAST(p.northing AS BIGINT) - %s)"
)


def build(query: Query) -> tuple[str, list]:
    """The SQL (and its parameters, in order) for one page of results.

    It reads the search tables only: ``near`` (places within the radius,
    from the (easting, northing, document) index alone), then documents by
    their integer id, then the text match: on SQLite the FTS5 matches with
    their bm25 score, on PostgreSQL the tsquery tested (and ranked) only on
    the documents that are left."""
    postgres = connection.vendor == "postgresql"
    every, some = _groups(query)
    text = bool(every or some)
    ctes: list[str] = []
    params: list = []
    joins: list[str] = []
    where: list[str] = []
    if query.place:
        e, n = query.place.easting, query.place.northing
        if query.within_metres:
            r = int(query.within_metres)
            nearest = f"SELECT p.document_id AS doc_id, MIN({DISTANCE}) AS d2 FROM search_point p"  # noqa: S608 - placeholders only
            box = "WHERE p.easting BETWEEN %s AND %s AND p.northing BETWEEN %s AND %s"
            ctes.append(f"near AS MATERIALIZED ({nearest} {box} GROUP BY p.document_id HAVING MIN({DISTANCE}) <= %s)")
            params += [e, e, n, n, e - r, e + r, n - r, n + r, e, e, n, n, r * r]
            joins.append(f"FROM near {'JOIN' if postgres else 'CROSS JOIN'} search_document d ON d.id = near.doc_id")
        else:
            nearest = f"SELECT p.document_id AS doc_id, MIN({DISTANCE}) AS d2 FROM search_point p"  # noqa: S608 - placeholders only
            ctes.append(f"near AS MATERIALIZED ({nearest} GROUP BY p.document_id)")
            params += [e, e, n, n]
            joins.append("FROM search_document d LEFT JOIN near ON near.doc_id = d.id")
        d2 = "near.d2"
    else:
        joins.append("FROM search_document d")
        d2 = "NULL"
    score = "NULL"
    join_params: list = []
    if text and postgres:
        tsquery, ts_params = _tsquery(every, some)
        joins.append(f"CROSS JOIN (SELECT {tsquery} AS query) q")  # noqa: S608 - placeholders only
        join_params += ts_params
        where.append("d.vector @@ q.query")
        score = "ts_rank(d.vector, q.query, 32)"
    elif text:
        # MATERIALIZED: bm25() works only in the query that matches, never flattened into the outer one.
        ctes.append(
            "hits AS MATERIALIZED (SELECT rowid AS doc_id, "
            "-bm25(search_fts, 10.0, 1.0, 4.0, 0.0) / (1.0 - bm25(search_fts, 10.0, 1.0, 4.0, 0.0)) AS score "
            "FROM search_fts WHERE search_fts MATCH %s)"
        )
        match = _fts5_match(every, some)
        squares = (
            words.squares_near(query.place.easting, query.place.northing, int(query.within_metres))
            if query.place and query.within_metres
            else None
        )
        if squares:  # only the documents near the place are matched, so only they are scored
            match = f"({match}) AND squares : ({' OR '.join(squares)})"
        params.append(match)
        # Within a radius there are few places: start from them (CROSS JOIN keeps SQLite's order),
        # rather than from every document the words match.
        joins.append(f"{'CROSS JOIN' if query.place and query.within_metres else 'JOIN'} hits ON hits.doc_id = d.id")
        score = "hits.score"
    where_params: list = []
    if query.theme and query.theme in THEME_BITS:
        where.append("(d.theme_bits & %s) != 0")
        where_params.append(THEME_BITS[query.theme])
    if query.covers and query.place:
        la = query.place.la_code
        where.append(
            "EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = d.service_id AND ("
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
        where.append("d.lowest_price = 0")
    elif query.max_price is not None:
        where.append("d.lowest_price <= %s")
        where_params.append(query.max_price)
    for wanted, column in (
        (query.personal_budget, "personal_budget"),
        (query.accredited, "accredited"),
        (query.personal_assistants, "personal_assistant"),
    ):
        if wanted:
            where.append(f"d.{column} = %s")
            where_params.append(True)
    band = f"ROUND(CAST({score} AS NUMERIC), 1)" if text else "NULL"
    order = (["band DESC"] if text else []) + (["d2 ASC NULLS LAST"] if query.place else []) + ["d.name", "d.id"]
    sql = (
        (f"WITH {', '.join(ctes)} " if ctes else "")
        + f"SELECT d.service_id, d.name, {band} AS band, {d2} AS d2, COUNT(*) OVER () AS total "
        + " ".join(joins)
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
    )
    offset = (max(query.page, 1) - 1) * query.per_page
    return sql, params + join_params + where_params + [query.per_page, offset]


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
