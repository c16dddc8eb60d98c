"""A development worker's caseload: one row per organisation that shares its
records with the worker's support organisation, with its latest score (if
it shares its assessments) and how its action plan stands (if it shares
its plan).

Plain functions with no HTTP. The number of queries does not depend on the
number of organisations: the dates and action counts are annotations, and
the scores of all the latest assessments are worked out together
(progress.scores), exactly as their results pages show them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from personfirst.core.access import roles as access
from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import Organisation
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus
from personfirst.readiness.plans.models import OPEN_STATUSES, Action
from personfirst.readiness.progress.scores import submitted_scores

# The sort keys the page offers, with the order a first click gives.
SORTS = {"name": "ascending", "score": "ascending", "assessed": "ascending", "overdue": "descending"}
DEFAULT_SORT = "name"
ORDERS = ("ascending", "descending")


@dataclass(frozen=True)
class Filters:
    name: str = ""  # part of the name, any case
    org_type: str = ""  # an OrganisationType code; empty for every type
    has_overdue: bool = False  # only organisations with an overdue action
    not_assessed_for_a_year: bool = False  # nothing submitted in the last 12 months

    @property
    def any(self) -> bool:
        return bool(self.name or self.org_type or self.has_overdue or self.not_assessed_for_a_year)


@dataclass(frozen=True)
class Row:
    organisation: Organisation
    latest: Assessment | None  # the latest submitted assessment, of any instrument
    score: Decimal | None  # its overall score, as its results page shows it
    last_assessed: datetime.date | None  # the day it was submitted (local time)
    open_actions: int
    overdue_actions: int
    shares_assessments: bool = True  # False: the score and dates are not shared with the worker
    shares_plan: bool = True  # False: the action counts are not shared

    @property
    def instrument_title(self) -> str:
        return self.latest.version.title if self.latest else ""


def year_ago(today: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _count(actions: QuerySet[Action]):
    """The number of the organisation's actions in ``actions``, as a subquery."""
    counted = (
        actions.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def organisations_for(user, filters: Filters | None = None, today: datetime.date | None = None):
    """The organisations of the user's caseload that pass the filters, each
    annotated with latest_id and latest_at (its latest submitted assessment),
    open_count and overdue_count, each only where the organisation shares
    that part of its records (shares_assessments, shares_plan). One query."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    assessments_shared = access.shared_organisations(user, access.ASSESSMENTS)
    plan_shared = access.shared_organisations(user, access.PLAN)
    latest = Assessment.objects.filter(
        organisation=OuterRef("pk"), organisation__in=assessments_shared, status=AssessmentStatus.SUBMITTED
    ).order_by("-submitted_at", "-pk")
    open_actions = Action.objects.filter(status__in=OPEN_STATUSES, organisation__in=plan_shared)
    organisations = access.shared_organisations(user).annotate(
        shares_assessments=Exists(assessments_shared.filter(pk=OuterRef("pk"))),
        shares_plan=Exists(plan_shared.filter(pk=OuterRef("pk"))),
        latest_id=Subquery(latest.values("pk")[:1]),
        latest_at=Subquery(latest.values("submitted_at")[:1]),
        open_count=_count(open_actions),
        overdue_count=_count(open_actions.filter(due_date__lt=today)),
    )
    if filters.name.strip():
        organisations = organisations.filter(name__icontains=filters.name.strip())
    if filters.org_type:
        organisations = organisations.filter(org_type=filters.org_type)
    if filters.has_overdue:
        organisations = organisations.filter(overdue_count__gt=0)
    if filters.not_assessed_for_a_year:
        cutoff = _start_of(year_ago(today))
        organisations = organisations.filter(Q(latest_at__isnull=True) | Q(latest_at__lt=cutoff))
    return organisations


def rows_for(
    user,
    filters: Filters | None = None,
    sort: str = DEFAULT_SORT,
    order: str | None = None,
    today: datetime.date | None = None,
) -> list[Row]:
    """The caseload's rows, filtered and sorted. Rows with nothing to sort by
    (no score, never assessed) come last whichever the order; ties are in
    name order."""
    organisations = list(organisations_for(user, filters, today))
    latest_ids = [o.latest_id for o in organisations if o.latest_id is not None]
    assessments = Assessment.objects.filter(pk__in=latest_ids).select_related("version")
    latest = {a.pk: a for a in assessments} if latest_ids else {}
    scores = submitted_scores(latest.values())
    rows = [
        Row(
            organisation=o,
            latest=latest.get(o.latest_id),
            score=scores[o.latest_id].overall if o.latest_id in scores else None,
            last_assessed=timezone.localtime(o.latest_at).date() if o.latest_at else None,
            open_actions=o.open_count,
            overdue_actions=o.overdue_count,
            shares_assessments=o.shares_assessments,
            shares_plan=o.shares_plan,
        )
        for o in organisations
    ]
    return sort_rows(rows, sort, order)


SORT_VALUES = {
    "name": lambda row: row.organisation.name.casefold(),
    "score": lambda row: row.score,
    "assessed": lambda row: row.last_assessed,
    "overdue": lambda row: row.overdue_actions,
}


def sort_rows(rows: list[Row], sort: str = DEFAULT_SORT, order: str | None = None) -> list[Row]:
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    order = order or SORTS[sort]
    by_name = sorted(rows, key=lambda row: (row.organisation.name.casefold(), row.organisation.pk))
    value = SORT_VALUES[sort]
    present = [row for row in by_name if value(row) is not None]
    missing = [row for row in by_name if value(row) is None]
    # Python's sort is stable even when reversed, so equal values stay in name order.
    present.sort(key=value, reverse=order == "descending")
    return present + missing


def type_choices(user) -> list[tuple[str, str]]:
    """The types of organisation in the user's caseload, for the filter."""
    present = set(access.shared_organisations(user).order_by().values_list("org_type", flat=True).distinct())
    return [(code, label) for code, label in OrganisationType.choices if code in present]


def support_organisations(user) -> list[Organisation]:
    """The local support and development organisations the user is a development worker for."""
    return list(access.worker_organisations(user).order_by("name"))


@dataclass(frozen=True)
class Summary:
    """The caseload in counts, for the worker's dashboard."""

    total: int  # every organisation that shares with the worker
    with_overdue: int  # of those that share their plan: with an overdue action
    not_assessed_for_a_year: int  # of those that share their assessments: nothing submitted in 12 months
    never_assessed: int  # of those: nothing submitted ever
    in_progress: int  # of those: with an assessment in progress
    not_sharing_assessments: int  # share their profile but not their assessments


def summary(user, today: datetime.date | None = None) -> Summary:
    """How many organisations of the caseload need what, in one query."""
    today = today or timezone.localdate()
    cutoff = _start_of(year_ago(today))
    drafts = Assessment.objects.filter(organisation=OuterRef("pk"), status=AssessmentStatus.DRAFT)
    organisations = organisations_for(user, today=today).annotate(has_draft=Exists(drafts))
    assessed = Q(shares_assessments=True)
    counts = organisations.aggregate(
        total=Count("pk"),
        with_overdue=Count("pk", filter=Q(shares_plan=True, overdue_count__gt=0)),
        not_assessed_for_a_year=Count("pk", filter=assessed & (Q(latest_at__isnull=True) | Q(latest_at__lt=cutoff))),
        never_assessed=Count("pk", filter=assessed & Q(latest_at__isnull=True)),
        in_progress=Count("pk", filter=assessed & Q(has_draft=True)),
        not_sharing_assessments=Count("pk", filter=Q(shares_assessments=False)),
    )
    return Summary(**counts)
