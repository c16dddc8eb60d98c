"""Whose figures a page shows (a scope), and the two queries that count them.

- England: every organisation, from the national counts.
- A council area: the organisations in it.
- A support and development organisation: the organisations that share
  with it (access.rules.shared_with), which its development workers can see.

Each scope answers two questions, each one indexed aggregate (GROUP BY):

1. ``records``: counted submissions by type, size band, quarter and the
   quarter of the next submission, with how many have an overall score and
   its total. The groups, periods and trend come from this alone.
2. ``value_counts``: for the filters chosen, how many organisations have
   each section score and each answer, in their latest assessment.

bench/insight_views.py times these same two queries on their own, as the
floor for the page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum

from personfirst.core.access import roles as access
from personfirst.core.organisations.models import CouncilArea, Organisation

from .models import NationalCell, NationalValue, Submission, Value

ENGLAND = "england"
AREA = "area"
SHARED = "shared"


# (org_type, size_band, quarter, superseded quarter, organisations, scored, overall total)
RecordRow = tuple[str, str, int, "int | None", int, int, float]


@dataclass(frozen=True)
class Scope:
    kind: str
    title: str
    area: CouncilArea | None = None
    support: Organisation | None = None
    # England from the national counts; False: from every submission's own rows
    # (the same figures, slower: tests and bench/insight_views.py compare them).
    national_counts: bool = True

    @property
    def national(self) -> bool:
        return self.kind == ENGLAND and self.national_counts

    @property
    def url_kwargs(self) -> dict[str, str]:
        if self.kind == AREA:
            return {"code": self.area.code}
        if self.kind == SHARED:
            return {"slug": self.support.slug}
        return {}

    @property
    def who(self) -> str:
        """Who is counted, for the page: '… organisations in Eastmere'."""
        if self.kind == AREA:
            return f"organisations in {self.area.name}"
        if self.kind == SHARED:
            return f"organisations that share their records with {self.support.name}"
        return "organisations in England"

    # --- the two queries

    def _filtered(self, queryset: QuerySet, organisation: str = "organisation") -> QuerySet:
        if self.kind == AREA:
            return queryset.filter(council_area=self.area)
        if self.kind == SHARED:
            return queryset.filter(**{f"{organisation}__in": access.shared_with(self.support, access.ASSESSMENTS)})
        return queryset

    def records_query(self, instrument_id: int) -> QuerySet:
        fields = ("org_type", "size_band", "quarter", "superseded_quarter")
        if self.national:
            return (
                NationalCell.objects.filter(instrument_id=instrument_id)
                .values_list(*fields)
                .annotate(Sum("organisations"), Sum("scored"), Sum("overall_total"))
                .order_by()
            )
        return (
            self._filtered(Submission.objects.filter(instrument_id=instrument_id))
            .exclude(superseded_quarter=F("quarter"))
            .values_list(*fields)
            .annotate(Count("pk"), Count("overall"), Sum("overall"))
            .order_by()
        )

    def records(self, instrument_id: int) -> frozenset[RecordRow]:
        """The rows as they come (in no order). Thousands of plain rows: run
        on the cursor, as the ORM's conversion of each would cost more than
        the query. insight.report.summarise works them out once per result."""
        return _fetch(_records_sql(self, instrument_id))

    def values_query(
        self,
        instrument_id: int,
        *,
        types: Sequence[str] | None = None,
        sizes: Sequence[str] | None = None,
        period: tuple[int, int] | None = None,
    ) -> QuerySet:
        """Organisations by section score and by answer: each one's latest
        assessment, or its last one in the period (insight.disclosure.counted_in)."""
        model = NationalValue if self.national else Value
        queryset = model.objects.filter(instrument_id=instrument_id)
        if not self.national:
            queryset = self._filtered(queryset, organisation="submission__organisation")
        if period is None:
            queryset = queryset.filter(superseded_quarter__isnull=True)
        else:
            first, last = period
            queryset = queryset.filter(
                Q(superseded_quarter__isnull=True) | Q(superseded_quarter__gt=last),
                quarter__gte=first,
                quarter__lte=last,
            )
        if types is not None:
            queryset = queryset.filter(org_type__in=types)
        if sizes is not None:
            queryset = queryset.filter(size_band__in=sizes)
        count = Sum("organisations") if self.national else Count("pk")
        return queryset.values_list("kind", "key", "value", "scale").annotate(count).order_by()

    def value_counts(
        self,
        instrument_id: int,
        *,
        types: tuple[str, ...] | None = None,
        sizes: tuple[str, ...] | None = None,
        period: tuple[int, int] | None = None,
    ) -> frozenset[tuple[str, str, int, int, int]]:
        """(kind, key, value, scale, organisations) rows, in no order, run on the cursor like ``records``."""
        return _fetch(_values_sql(self, instrument_id, types, sizes, period))


# The ORM takes longer to build these queries than the database takes to run
# the national ones, so each query's SQL is made once per scope, instrument
# and filters. It names no counts and no dates, so it stays right as the data
# changes.


@functools.lru_cache(maxsize=64)
def _records_sql(scope: Scope, instrument_id: int) -> tuple[str, tuple]:
    return scope.records_query(instrument_id).query.sql_with_params()


@functools.lru_cache(maxsize=256)
def _values_sql(
    scope: Scope,
    instrument_id: int,
    types: tuple[str, ...] | None,
    sizes: tuple[str, ...] | None,
    period: tuple[int, int] | None,
) -> tuple[str, tuple]:
    query = scope.values_query(instrument_id, types=types, sizes=sizes, period=period)
    return query.query.sql_with_params()


def _fetch(compiled: tuple[str, tuple]) -> frozenset:
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return frozenset(cursor.fetchall())


def england(*, national_counts: bool = True) -> Scope:
    return Scope(ENGLAND, "England", national_counts=national_counts)


def for_area(area: CouncilArea) -> Scope:
    return Scope(AREA, area.name, area=area)


def for_support_organisation(support: Organisation) -> Scope:
    return Scope(SHARED, f"Organisations that share with {support.name}", support=support)
