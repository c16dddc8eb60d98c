"""The caseload page with the Django test client: the table, sorting and
filtering by GET links and forms, the empty states, who may see it, the
service navigation, starting an assessment from it, and its queries."""

from __future__ import annotations

import datetime
import random
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from personfirst.readiness.assessments.models import Assessment
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.progress.tests.helpers import at, submitted
from personfirst.readiness.progress.tests.pages import tables

from .helpers import SHARING, build_caseload

pytestmark = pytest.mark.django_db

URL = "/caseload/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker(world):
    return client_for(world.worker)


@pytest.fixture
def some_work(world, instruments):
    with time_machine.travel(at(2026, 5, 15, 9), tick=False):
        submitted(
            world.org,
            instruments["workforce-ladder"],
            world.admin,
            {"workforce-development": {"level": 3}},
            at(2026, 2, 1),
        )
        Action.objects.all().delete()
        Action.objects.create(
            organisation=world.org, title="Late", status=ActionStatus.NOT_STARTED, due_date=datetime.date(2026, 5, 1)
        )
        Action.objects.create(organisation=world.org, title="Going", status=ActionStatus.IN_PROGRESS)
        yield


def caseload_table(response):
    assert response.status_code == 200
    return tables(response)["caseload"]


def slugs(response) -> list[str]:
    return [attrs["data-organisation"] for attrs in caseload_table(response).attrs]


def test_the_worker_sees_a_row_per_organisation_with_its_figures(world, worker, some_work):
    with time_machine.travel(at(2026, 5, 15, 9), tick=False):
        response = worker.get(URL)
    table = caseload_table(response)
    assert table.caption == "7 organisations, sorted by name, A to Z"
    assert table.headings == [
        "Organisation",
        "Type",
        "Latest score",
        "Last assessed",
        "Open actions",
        "Overdue actions",
        "Assessment",
    ]
    assert slugs(response) == SHARING
    carers = table.by("data-organisation")["eastmere-carers-centre"]
    assert carers[:6] == [
        "Eastmere Carers' Centre",
        "Voluntary and community organisation",
        "50.0 out of 100: results of the Person-centred workforce ladder Person-centred workforce ladder",
        "1 Feb 2026",
        "2",
        "1",
    ]
    assert carers[6] == "Start an assessment for Eastmere Carers' Centre"
    never = table.by("data-organisation")["little-acorns"]
    assert never[2:6] == ["Not assessed yet", "Never", "0", "0"]
    html = response.content.decode()
    assert f'href="{reverse("organisations:detail", args=[world.org.slug])}"' in html
    assert f'href="{reverse("readiness:list", args=[world.org.slug])}"' in html
    assert world.unshared.name not in html


def test_the_headers_sort_by_links_with_aria_sort(worker, some_work):
    table = caseload_table(worker.get(URL))
    sorts = {text: attrs.get("aria-sort") for text, attrs in zip(table.headings, table.header_attrs, strict=True)}
    assert sorts == {
        "Organisation": "ascending",
        "Type": None,
        "Latest score": "none",
        "Last assessed": "none",
        "Open actions": None,
        "Overdue actions": "none",
        "Assessment": None,
    }
    html = worker.get(URL).content.decode()
    # A first click on a column gives its own order; a second reverses it.
    assert 'href="?sort=score&amp;order=ascending"' in html
    assert 'href="?sort=overdue&amp;order=descending"' in html
    assert 'href="?sort=name&amp;order=descending"' in html

    response = worker.get(URL, {"sort": "overdue", "order": "descending"})
    table = caseload_table(response)
    assert table.caption.endswith("sorted by overdue actions, most first")
    assert slugs(response)[0] == "eastmere-carers-centre"
    assert (
        dict(zip(table.headings, [a.get("aria-sort") for a in table.header_attrs], strict=True))["Overdue actions"]
        == "descending"
    )
    assert slugs(worker.get(URL, {"sort": "name", "order": "descending"})) == SHARING[::-1]


def test_sort_links_keep_the_filters_and_the_filter_form_keeps_the_sort(worker, some_work):
    response = worker.get(URL, {"type": "voluntary", "only": "overdue", "sort": "score", "order": "descending"})
    html = response.content.decode()
    links = [href for href in _hrefs(html) if href.startswith("?")]
    assert links
    for href in links:
        query = parse_qs(urlsplit(href).query)
        assert query["type"] == ["voluntary"] and query["only"] == ["overdue"]
    assert '<input type="hidden" name="sort" value="score">' in html
    assert '<input type="hidden" name="order" value="descending">' in html
    assert slugs(response) == ["eastmere-carers-centre"]


def _hrefs(html: str) -> list[str]:
    import re

    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html)]


def test_the_filters(worker, some_work):
    assert slugs(worker.get(URL, {"type": "home_care"})) == ["riverside-home-care"]
    assert slugs(worker.get(URL, {"name": "acorn"})) == ["little-acorns"]
    assert slugs(worker.get(URL, {"only": "overdue"})) == ["eastmere-carers-centre"]
    with time_machine.travel(at(2026, 5, 15, 9), tick=False):
        stale = slugs(worker.get(URL, {"only": "not-assessed"}))
    assert stale == [s for s in SHARING if s != "eastmere-carers-centre"]
    filtered = caseload_table(worker.get(URL, {"type": "home_care"}))
    assert filtered.caption == "1 of 7 organisations, sorted by name, A to Z"


def test_the_filter_form_is_a_get_form_with_a_govuk_button(worker):
    html = worker.get(URL).content.decode()
    assert '<form method="get" action="/caseload/" novalidate id="filters">' in html
    button = '<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">'
    assert f"{button}Apply filters</button>" in html
    assert 'name="name"' in html and 'name="type"' in html
    assert 'value="overdue"' in html and 'value="not-assessed"' in html
    # Only the types in the caseload are offered.
    assert '<option value="home_care">Home care</option>' in html
    assert 'value="residential"' not in html


def test_no_organisation_matches(worker):
    response = worker.get(URL, {"name": "no such name"})
    html = response.content.decode()
    assert 'id="no-matches"' in html
    assert "caseload" not in tables(response)
    assert "Clear the filters" in html


def test_a_type_that_is_not_offered_gives_the_default_view(worker):
    """An old bookmark or a mistyped link: every type, and no error (issue 11)."""
    response = worker.get(URL, {"type": "council", "only": ["overdue-ish"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" not in html
    assert slugs(response) == SHARING
    assert "<title>Error: " not in html


def test_an_unknown_sort_falls_back_to_name(worker):
    assert slugs(worker.get(URL, {"sort": "size", "order": "sideways"})) == SHARING


def test_a_worker_that_nobody_shares_with_sees_an_empty_state(new_worker):
    lonely = client_for(new_worker())
    response = lonely.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="empty-caseload"' in html
    assert "caseload" not in tables(response)
    assert 'id="filters"' not in html


@pytest.mark.parametrize("role", ["admin", "member", "commissioner", "outsider", "platform"])
def test_only_development_workers_may_see_a_caseload(world, role):
    assert client_for(getattr(world, role)).get(URL).status_code == 404


def test_signed_out_you_are_asked_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    ("role", "shown"), [("worker", True), ("admin", False), ("commissioner", False), ("platform", False)]
)
def test_the_service_navigation_has_caseload_for_development_workers(world, role, shown):
    html = client_for(getattr(world, role)).get(reverse("pages:dashboard")).content.decode()
    assert ('class="govuk-service-navigation__link" href="/caseload/"' in html) is shown


def test_the_caseload_link_is_marked_current_on_the_caseload(worker):
    html = worker.get(URL, {"sort": "score"}).content.decode()
    assert 'href="/caseload/" aria-current="page"' in html


def test_starting_an_assessment_from_the_caseload_shows_who_started_it(world, worker, instruments):
    start = reverse("readiness:list", args=[world.org.slug])
    assert f'href="{start}"' in worker.get(URL).content.decode()
    response = worker.post(start, {"instrument": "health-check"})
    assessment = Assessment.objects.get(organisation=world.org, started_by=world.worker)
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    html = worker.get(assessment.get_absolute_url()).content.decode()
    today = assessment.started_at.astimezone(datetime.UTC).date()
    assert "Started by Wendy Worker, development worker at Eastmere Voluntary Action, on" in html
    assert str(today.year) in html
    # The organisation sees it too.
    assert (
        "development worker at Eastmere Voluntary Action"
        in client_for(world.admin).get(assessment.get_absolute_url()).content.decode()
    )


def test_an_assessment_the_admin_started_names_them_without_a_role(world, instruments):
    from personfirst.readiness.assessments import services

    assessment = services.start(organisation=world.org, instrument=instruments["health-check"], by=world.admin)
    html = client_for(world.admin).get(assessment.get_absolute_url()).content.decode()
    assert "Started by Asha Admin on " in html
    assert "development worker" not in html


def test_the_page_needs_as_many_queries_for_10_organisations_as_for_3(
    world, instruments, new_worker, django_assert_max_num_queries
):
    counts = {}
    for size in (3, 10):
        client = client_for(build_caseload(world, instruments, new_worker, size))
        client.get(URL)  # the session is loaded and cached once
        for sort in ("name", "score", "overdue"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL, {"sort": sort, "only": "overdue"})
            assert len(slugs(response)) == size
            counts[size, sort] = len(queries)
    assert {counts[3, sort] for sort in ("name", "score", "overdue")} == {
        counts[10, sort] for sort in ("name", "score", "overdue")
    }
    with django_assert_max_num_queries(20):
        client.get(URL, {"sort": "score"})


def test_figures_match_random_assessments(world, instruments, worker):
    """The score in the table is the results page's overall score, for random answers."""
    from personfirst.readiness.assessments.tests.pages import shown_overall
    from personfirst.readiness.progress.tests.helpers import submitted_at_random

    made = submitted_at_random(world.org, instruments["health-check"], world.admin, random.Random(11), at(2026, 1, 1))
    shown = shown_overall(worker.get(reverse("readiness:results", args=[world.org.slug, made.pk])))
    cell = caseload_table(worker.get(URL)).by("data-organisation")["eastmere-carers-centre"][2]
    assert cell.startswith(f"{shown} out of 100")
