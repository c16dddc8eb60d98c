"""The history page and its charts, with the Django test client: the same
figures as the results pages, a table beside every chart, the charts' own
strict policy, and who may see them."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from personfirst.readiness.assessments.tests.pages import shown_overall, shown_sections
from personfirst.readiness.plans.models import Action, ActionStatus

from .helpers import at, submitted
from .pages import tables

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def history_url(organisation) -> str:
    return reverse("progress:history", args=[organisation.slug])


def trend_url(organisation, key="tracker") -> str:
    return reverse("progress:trend-chart", args=[organisation.slug, key])


def actions_url(organisation) -> str:
    return reverse("progress:actions-chart", args=[organisation.slug])


def done(organisation, when):
    made = Action.objects.create(organisation=organisation, title="Done", status=ActionStatus.DONE)
    Action.objects.filter(pk=made.pk).update(completed_at=when)


def test_the_history_shows_the_figures_of_every_results_page(world, tracker_history):
    client = client_for(world.member)
    page = client.get(history_url(world.org))
    assert page.status_code == 200
    found = tables(page)

    listed = found["assessments-tracker"]
    assert listed.headings == ["Submitted", "Version", "Overall score out of 100", "Results"]
    assert [a["data-assessment"] for a in listed.attrs] == [str(a.pk) for a in reversed(tracker_history)]
    assert [cells[:3] for cells in listed.rows] == [
        ["20 January 2026", "2", "36.1"],
        ["10 August 2025", "1", "75.0"],
        ["10 February 2025", "1", "58.3"],
    ]

    trend = found["trend-tracker"]
    assert trend.headings == ["No.", "Section", "10 Feb 2025", "10 Aug 2025", "20 Jan 2026"]
    rows = trend.by("data-section")
    assert list(rows) == ["values", "flexibility", "demand", "planning", "overall"]
    assert rows["flexibility"][:2] == ["2", "Flexible support for each person"]
    # Every figure is the one on that assessment's own results page.
    for column, assessment in enumerate(tracker_history, start=2):
        results = client.get(reverse("readiness:results", args=[world.org.slug, assessment.pk]))
        sections = shown_sections(results)
        for key in ("values", "flexibility", "demand", "planning"):
            expected = sections.get(key)
            assert rows[key][column] == (str(expected) if expected is not None else "No score"), (key, column)
        assert rows["overall"][column] == str(shown_overall(results))
    # Each result is linked.
    html = page.content.decode()
    for assessment in tracker_history:
        assert f'href="{reverse("readiness:results", args=[world.org.slug, assessment.pk])}"' in html


def test_every_chart_has_a_table_of_the_same_figures_beside_it(world, tracker_history):
    for when in (at(2025, 7, 1), at(2025, 9, 30), at(2026, 2, 14)):
        done(world.org, when)
    html = client_for(world.admin).get(history_url(world.org)).content.decode()

    assert f'<img class="pf-chart" src="{trend_url(world.org)}"' in html
    assert "The table ‘Section scores at each assessment’ below it has the same figures." in html
    assert f'<img class="pf-chart" src="{actions_url(world.org)}"' in html
    quarters = tables(html)["actions-done"]
    assert quarters.headings == ["Quarter", "Actions done"]
    assert quarters.rows[:4] == [["2025 Q3", "2"], ["2025 Q4", "0"], ["2026 Q1", "1"], ["2026 Q2", "0"]]
    # The same figures are in the charts.
    trend_svg = client_for(world.admin).get(trend_url(world.org)).content.decode()
    for text in ("Overall", "1. Values", "2. Flexible support for each person", "4. Planning", "10 Feb 2025"):
        assert text in trend_svg
    actions_svg = client_for(world.admin).get(actions_url(world.org)).content.decode()
    for label in ("2025 Q3", "2025 Q4", "2026 Q1"):
        assert label in actions_svg


def test_with_nothing_submitted_and_nothing_done(world):
    html = client_for(world.admin).get(history_url(world.org)).content.decode()
    assert 'id="no-assessments"' in html
    assert 'id="no-actions-done"' in html
    assert "pf-chart" not in html


@pytest.mark.parametrize("chart", ["trend", "actions"])
def test_the_charts_are_svg_with_their_own_strict_policy(world, tracker_history, chart):
    done(world.org, at(2025, 7, 1))
    url = trend_url(world.org) if chart == "trend" else actions_url(world.org)
    response = client_for(world.worker).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<script" not in svg.lower()
    assert not re.search(r"\son[a-z]+\s*=", svg)
    assert not re.search(r'\sstyle="', svg)
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "script-src" not in policy
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", svg, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_the_actions_chart_with_nothing_done_is_still_a_picture(world):
    response = client_for(world.admin).get(actions_url(world.org))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


def test_a_trend_chart_for_an_instrument_never_submitted_is_not_found(world, tracker_history):
    assert client_for(world.admin).get(trend_url(world.org, "health-check")).status_code == 404
    assert client_for(world.admin).get(trend_url(world.org, "no-such-instrument")).status_code == 404


def test_the_organisation_page_links_to_the_history(world):
    html = client_for(world.member).get(reverse("organisations:detail", args=[world.org.slug])).content.decode()
    assert f'href="{history_url(world.org)}"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member", 200),
        ("admin", 200),
        ("worker", 200),
        ("platform", 200),
        ("commissioner", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_the_history_and_its_charts(world, tracker_history, role, status):
    client = client_for(getattr(world, role))
    for url in (history_url(world.org), trend_url(world.org), actions_url(world.org)):
        assert client.get(url).status_code == status, url


def test_the_worker_cannot_see_an_organisation_that_does_not_share(world):
    client = client_for(world.worker)
    for url in (history_url(world.unshared), actions_url(world.unshared)):
        assert client.get(url).status_code == 404
    assert client_for(world.platform).get(history_url(world.unshared)).status_code == 200


def test_signed_out_you_are_asked_to_sign_in(world):
    response = Client().get(history_url(world.org))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_page_needs_the_same_queries_for_one_assessment_or_several(world, instruments):
    client = client_for(world.admin)
    ladder = instruments["workforce-ladder"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(world.org)).status_code == 200
        return len(queries)

    submitted(world.org, ladder, world.admin, {"workforce-development": {"level": 2}}, at(2025, 1, 1))
    done(world.org, at(2025, 2, 1))
    client.get(history_url(world.org))  # the session settles (accounts/sessions.py writes it at most once a minute)
    one = count()
    for month in (2, 3, 4):
        submitted(world.org, ladder, world.admin, {"workforce-development": {"level": 3}}, at(2025, month, 1))
        submitted(world.org, instruments["health-check"], world.admin, {}, at(2025, month, 2))
        done(world.org, at(2025, month + 3, 1))
    assert count() == one


def test_the_trend_chart_tells_fifteen_lines_apart_and_names_each_in_full():
    from personfirst.readiness.progress import charts

    long = "A section with a long title that once was cut short, number"
    names = ["Overall"] + [f"{n}. {long} {n}" for n in range(1, 15)]
    looks = [(charts.COLOURS[i % len(charts.COLOURS)], "dasharray" in charts.stroke(i)) for i in range(len(names))]
    assert len(set(looks)) == len(names)  # no two lines in the same colour and pattern
    assert len(set(charts.COLOURS)) == len(charts.COLOURS)
    svg = charts.trend(["2025", "2026"], [(name, [50.0, 60.0]) for name in names], title="Trend").decode()
    for index, name in enumerate(names):
        assert f">{charts.legend_name(index, name)}<" in svg  # in full, not cut off
    assert len(re.findall(r"stroke-dasharray:\s*10,5", svg)) == len(names) - len(charts.COLOURS)
