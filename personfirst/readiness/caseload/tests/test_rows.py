"""The caseload's rows (caseload.rows): which organisations, their figures,
sorting and filtering, with today fixed at 15 May 2026.

world.worker works for Eastmere Voluntary Action, which seven organisations
share with: Eastmere Carers' Centre (world.org), Riverside Home Care, Open
Doors Housing Trust, Speak Up Eastmere, Little Acorns Community Care,
Eastmere Advice Network and Direct Choice Payments Support.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from personfirst.core.organisations.models import AccessGrant, Organisation
from personfirst.readiness.assessments import results, services
from personfirst.readiness.caseload import rows
from personfirst.readiness.caseload.rows import Filters
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.progress.tests.helpers import at, submitted, submitted_at_random

from .helpers import SHARING, act, build_caseload

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 15)


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


@pytest.fixture
def today():
    with time_machine.travel(at(2026, 5, 15, 9), tick=False):
        yield TODAY


@pytest.fixture
def caseload(world, instruments, today):
    """Assessments and actions for some of the worker's organisations."""
    carers, riverside, housing, speak_up = (
        world.org,
        org("riverside-home-care"),
        org("open-doors-housing"),
        org("speak-up-eastmere"),
    )
    ladder, health = instruments["workforce-ladder"], instruments["health-check"]
    # The carers' centre: a health check, then a later workforce ladder (the latest, of any instrument).
    submitted(carers, health, world.admin, {"values-and-culture": {"level": 3}}, at(2025, 3, 1))
    carers_latest = submitted(
        carers, ladder, world.admin, {"workforce-development": {"level": 3}}, at(2026, 2, 1)
    )  # 50.0
    # Riverside: one health check, the day before a year ago (so not in the last 12 months).
    riverside_latest = submitted_at_random(riverside, health, world.worker, random.Random(3), at(2025, 5, 14, 23))
    # Open Doors: just after midnight a year ago to the day (so it counts as in the last 12 months).
    housing_latest = submitted(
        housing, ladder, world.worker, {"workforce-development": {"level": 5}}, at(2025, 5, 15, 0)
    )  # 100.0
    # Speak Up: only a draft, which does not count.
    services.start(organisation=speak_up, instrument=health, by=world.worker)
    # The unshared organisation's work is never in the caseload.
    submitted(world.unshared, ladder, world.platform, {}, at(2026, 4, 1))

    Action.objects.all().delete()  # only the actions below (submitting may suggest some)
    yesterday, two_days_ago = TODAY - datetime.timedelta(days=1), TODAY - datetime.timedelta(days=2)
    act(carers, ActionStatus.NOT_STARTED, yesterday)  # overdue
    act(carers, ActionStatus.IN_PROGRESS, two_days_ago)  # overdue
    act(carers, ActionStatus.IN_PROGRESS, TODAY)  # open; due today is not overdue
    act(carers, ActionStatus.NOT_STARTED, None)  # open, no date
    act(carers, ActionStatus.DONE, yesterday)  # done: neither
    act(carers, ActionStatus.DROPPED, yesterday)  # dropped: neither
    act(carers, ActionStatus.SUGGESTED, yesterday)  # only suggested: neither
    act(riverside, ActionStatus.NOT_STARTED, datetime.date(2026, 1, 31))  # overdue
    act(housing, ActionStatus.IN_PROGRESS, datetime.date(2026, 12, 1))  # open
    act(world.unshared, ActionStatus.NOT_STARTED, yesterday)  # not in the caseload
    return SimpleNamespace(
        carers=carers_latest, riverside=riverside_latest, housing=housing_latest, riverside_org=riverside
    )


def by_slug(found) -> dict:
    return {row.organisation.slug: row for row in found}


def slugs(found) -> list[str]:
    return [row.organisation.slug for row in found]


def test_one_row_per_organisation_that_shares_with_the_worker(world, caseload):
    found = rows.rows_for(world.worker)
    assert slugs(found) == SHARING  # by name, A to Z
    assert world.unshared.slug not in slugs(found)


def test_the_figures_of_each_row(world, caseload):
    found = by_slug(rows.rows_for(world.worker))

    carers = found["eastmere-carers-centre"]
    assert carers.latest == caseload.carers
    assert carers.instrument_title == "Person-centred workforce ladder"
    assert carers.score == Decimal("50.0")
    assert carers.last_assessed == datetime.date(2026, 2, 1)
    assert (carers.open_actions, carers.overdue_actions) == (4, 2)

    riverside = found["riverside-home-care"]
    assert riverside.latest == caseload.riverside
    assert riverside.instrument_title == "Personalisation health check"
    assert riverside.score == results.results_for(caseload.riverside).overall  # exactly the results page's figure
    assert riverside.score is not None
    assert riverside.last_assessed == datetime.date(2025, 5, 14)
    assert (riverside.open_actions, riverside.overdue_actions) == (1, 1)

    housing = found["open-doors-housing"]
    assert (housing.score, housing.last_assessed) == (Decimal("100.0"), datetime.date(2025, 5, 15))
    assert (housing.open_actions, housing.overdue_actions) == (1, 0)

    for slug in ("speak-up-eastmere", "little-acorns", "eastmere-advice-network", "direct-choice"):
        row = found[slug]
        assert (row.latest, row.score, row.last_assessed, row.instrument_title) == (None, None, None, "")
        assert (row.open_actions, row.overdue_actions) == (0, 0)


def test_overdue_follows_the_date(world, caseload):
    # The next day, the action due "today" is overdue too.
    with time_machine.travel(at(2026, 5, 16, 9), tick=False):
        assert by_slug(rows.rows_for(world.worker))["eastmere-carers-centre"].overdue_actions == 3
    # An explicit date wins.
    early = rows.rows_for(world.worker, today=datetime.date(2026, 1, 1))
    assert by_slug(early)["eastmere-carers-centre"].overdue_actions == 0


def test_a_revoked_grant_takes_the_organisation_out(world, caseload):
    AccessGrant.objects.get(organisation=world.org, support_organisation=world.support_org).revoke(by=world.admin)
    assert "eastmere-carers-centre" not in slugs(rows.rows_for(world.worker))


# --- sorting ---------------------------------------------------------------------------------------


def test_sort_by_name_both_ways(world, caseload):
    assert slugs(rows.rows_for(world.worker, sort="name", order="descending")) == SHARING[::-1]


def test_sort_by_score_with_no_score_last_either_way(world, caseload):
    never = ["direct-choice", "eastmere-advice-network", "little-acorns", "speak-up-eastmere"]  # in name order
    riverside = caseload.riverside
    scored = sorted(
        [("eastmere-carers-centre", Decimal("50.0")), ("open-doors-housing", Decimal("100.0"))]
        + [("riverside-home-care", results.results_for(riverside).overall)],
        key=lambda pair: pair[1],
    )
    ascending = rows.rows_for(world.worker, sort="score")
    assert slugs(ascending) == [slug for slug, _ in scored] + never
    descending = rows.rows_for(world.worker, sort="score", order="descending")
    assert slugs(descending) == [slug for slug, _ in scored[::-1]] + never


def test_sort_by_last_assessed(world, caseload):
    never = ["direct-choice", "eastmere-advice-network", "little-acorns", "speak-up-eastmere"]
    assert slugs(rows.rows_for(world.worker, sort="assessed")) == [
        "riverside-home-care",
        "open-doors-housing",
        "eastmere-carers-centre",
        *never,
    ]
    assert slugs(rows.rows_for(world.worker, sort="assessed", order="descending")) == [
        "eastmere-carers-centre",
        "open-doors-housing",
        "riverside-home-care",
        *never,
    ]


def test_sort_by_overdue_most_first_and_ties_in_name_order(world, caseload):
    found = rows.rows_for(world.worker, sort="overdue")  # most first by default
    assert slugs(found)[:2] == ["eastmere-carers-centre", "riverside-home-care"]
    assert slugs(found)[2:] == [s for s in SHARING if s not in ("eastmere-carers-centre", "riverside-home-care")]
    fewest = rows.rows_for(world.worker, sort="overdue", order="ascending")
    assert slugs(fewest)[-2:] == ["riverside-home-care", "eastmere-carers-centre"]
    assert slugs(fewest)[:5] == slugs(found)[2:]


def test_an_unknown_sort_is_refused(world):
    with pytest.raises(ValueError):
        rows.rows_for(world.worker, sort="size")


# --- filtering -------------------------------------------------------------------------------------


def test_filter_by_type(world, caseload):
    assert slugs(rows.rows_for(world.worker, Filters(org_type="home_care"))) == ["riverside-home-care"]
    assert slugs(rows.rows_for(world.worker, Filters(org_type="residential"))) == []  # Beech House does not share


def test_filter_by_name_ignores_case_and_spaces(world, caseload):
    assert slugs(rows.rows_for(world.worker, Filters(name="  EASTMERE "))) == [
        "eastmere-advice-network",
        "eastmere-carers-centre",
        "speak-up-eastmere",
    ]


def test_filter_to_organisations_with_overdue_actions(world, caseload):
    assert slugs(rows.rows_for(world.worker, Filters(has_overdue=True))) == [
        "eastmere-carers-centre",
        "riverside-home-care",
    ]


def test_filter_to_organisations_not_assessed_in_the_last_12_months(world, caseload):
    # Riverside was assessed on 14 May 2025 (more than a year before 15 May
    # 2026); Open Doors on 15 May 2025 (a year ago to the day), so it is not
    # stale; drafts do not count, so Speak Up has never been assessed.
    assert slugs(rows.rows_for(world.worker, Filters(not_assessed_for_a_year=True))) == [
        "direct-choice",
        "eastmere-advice-network",
        "little-acorns",
        "riverside-home-care",
        "speak-up-eastmere",
    ]


def test_filters_combine(world, caseload):
    both = Filters(has_overdue=True, not_assessed_for_a_year=True)
    assert slugs(rows.rows_for(world.worker, both)) == ["riverside-home-care"]
    assert slugs(rows.rows_for(world.worker, Filters(name="river", org_type="voluntary"))) == []
    assert Filters().any is False and both.any is True


def test_a_year_ago():
    assert rows.year_ago(datetime.date(2026, 5, 15)) == datetime.date(2025, 5, 15)
    assert rows.year_ago(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_type_choices_are_the_types_in_the_caseload(world):
    codes = [code for code, _label in rows.type_choices(world.worker)]
    assert codes == [
        "home_care",
        "voluntary",
        "housing",
        "user_led",
        "micro_enterprise",
        "information_advice",
        "direct_payment_support",
    ]


# --- queries -----------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_caseload(
    world, instruments, new_worker, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size in (3, 10):
        worker = build_caseload(world, instruments, new_worker, size)
        with CaptureQueriesContext(connection) as queries:
            found = rows.rows_for(worker, sort="score")
        assert len(found) == size
        assert all(row.score is not None or row.latest is not None for row in found)
        counts[size] = len(queries)
    assert counts[3] == counts[10]
    with django_assert_max_num_queries(6):
        rows.rows_for(worker)


def test_the_summary_counts_agree_with_the_rows_and_the_filters(world, caseload):
    """The dashboard's counts (issue 11) are the same as the caseload's filters give."""
    found = rows.summary(world.worker, TODAY)
    every = rows.rows_for(world.worker)
    assert found.total == len(every)
    assert found.with_overdue == len(rows.rows_for(world.worker, Filters(has_overdue=True)))
    assert found.with_overdue == 2  # the carers' centre and Riverside
    shared = [row for row in every if row.shares_assessments]
    not_assessed = rows.rows_for(world.worker, Filters(not_assessed_for_a_year=True))
    assert found.not_assessed_for_a_year == len([row for row in not_assessed if row.shares_assessments])
    assert found.never_assessed == len([row for row in shared if row.last_assessed is None])
    assert found.in_progress == 1  # Speak Up's draft
    assert found.not_sharing_assessments == len(every) - len(shared)
    # A revoked grant takes the organisation out of every count.
    AccessGrant.objects.filter(organisation=caseload.riverside_org).delete()
    after = rows.summary(world.worker, TODAY)
    assert (after.total, after.with_overdue) == (found.total - 1, 1)
