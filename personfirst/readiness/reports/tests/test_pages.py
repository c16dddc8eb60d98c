"""The report page: the same figures as the results page, the chart as
inline SVG with no styles, links to every download, who may see it, and a
clear 409 page for a draft."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from personfirst.readiness.assessments.tests.pages import results_page, shown_overall, shown_sections

from .conftest import OVERALL, SECTION_SCORES, page_tables

pytestmark = pytest.mark.django_db

DOWNLOADS = ("reports:pdf", "reports:docx", "reports:xlsx", "reports:answers-csv", "reports:plan-csv")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def report_url(assessment, name: str = "reports:report") -> str:
    return reverse(name, args=[assessment.organisation.slug, assessment.pk])


def test_the_report_shows_the_results_pages_figures(world, reported):
    client = client_for(world.admin)
    report = client.get(report_url(reported.assessment))
    assert report.status_code == 200
    results = client.get(reverse("readiness:results", args=[world.org.slug, reported.assessment.pk]))
    assert shown_overall(report) == shown_overall(results) == Decimal(OVERALL)
    assert shown_sections(report) == shown_sections(results)
    for key, score in SECTION_SCORES.items():
        assert shown_sections(report)[key] == Decimal(score)
    page = results_page(report)
    assert page.lists["strengths"] == results_page(results).lists["strengths"]
    assert page.lists["needs"] == results_page(results).lists["needs"]
    assert page.lists["left-out"] == results_page(results).lists["left-out"]


def test_the_report_shows_the_plan_the_flags_and_the_notes(world, reported):
    html = client_for(world.worker).get(report_url(reported.assessment)).content.decode()
    tables = page_tables(html)
    assert [row[:4] for row in tables["action-plan"]] == [
        ["Hold a trustee session on personal budgets", reported.in_plan[0].why, "Asha Admin", "1 May 2026"],
        [
            "Ask carers what flexible support they want",
            "Involving the people you support.",
            "Milo Member",
            "30 June 2026",
        ],
        ["Write down our unit costs", "", "Café Ŵelsh team", "No date set"],
    ]
    assert "A suggestion nobody has accepted" not in html
    assert "An action the centre dropped" not in html
    (flag,) = tables["disagreements"]
    assert flag[0] == "2.1"
    assert "Development worker and trustee see this differently (3 levels apart)" in flag[1]
    assert "Milo Member (trustee): Level 1 of 4" in flag[2]
    assert flag[3] == "Level 2 of 4"
    assert "The board has not discussed personal budgets yet.<br>Wendy thinks it has; Milo does not." in html
    assert "Submitted</dt>" in html and "4 March 2026 by Asha Admin" in html


def test_the_chart_is_inline_svg_with_a_bar_for_each_scored_section(world, reported):
    html = client_for(world.admin).get(report_url(reported.assessment)).content.decode()
    (svg,) = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert 'role="img"' in svg and "<title" in svg
    bars = re.findall(r'<rect class="pf-bar-chart__bar"[^>]*width="([\d.]+)"', svg)
    assert len(bars) == len(SECTION_SCORES)
    # 400 points for 100: the widths are the shown scores, times four.
    assert sorted(Decimal(w) for w in bars) == sorted(Decimal(s) * 4 for s in SECTION_SCORES.values())
    for score in SECTION_SCORES.values():
        assert f">{score}</text>" in svg


def test_the_page_has_no_inline_style_or_script(world, reported):
    response = client_for(world.admin).get(report_url(reported.assessment))
    html = response.content.decode()
    assert not re.search(r"<style\b", html, flags=re.I)
    assert not re.search(r"\sstyle\s*=", html, flags=re.I)
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        assert "src=" in attributes and not body.strip()
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_the_report_and_the_results_page_link_to_every_download(world, reported):
    client = client_for(world.admin)
    report = client.get(report_url(reported.assessment)).content.decode()
    results = client.get(reverse("readiness:results", args=[world.org.slug, reported.assessment.pk])).content.decode()
    for name in DOWNLOADS:
        assert f'href="{report_url(reported.assessment, name)}" download' in report
        assert f'href="{report_url(reported.assessment, name)}" download' in results
    assert f'href="{report_url(reported.assessment)}"' in results
    # On paper, the report says where it is online.
    assert f"This report is online at http://testserver{report_url(reported.assessment)}" in report


def test_a_drafts_results_page_has_no_report_links(world, assessment):
    html = client_for(world.admin).get(reverse("readiness:results", args=[world.org.slug, assessment.pk]))
    assert report_url(assessment) not in html.content.decode()


@pytest.mark.parametrize("name", ["reports:report", *DOWNLOADS])
def test_a_draft_has_no_report_yet(world, assessment, name):
    response = client_for(world.admin).get(report_url(assessment, name))
    assert response.status_code == 409
    html = response.content.decode()
    assert "This report is not ready yet" in html
    assert "has not been submitted yet" in html
    assert reverse("readiness:results", args=[world.org.slug, assessment.pk]) in html
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("role", ["admin", "member", "worker", "platform"])
@pytest.mark.parametrize("name", ["reports:report", *DOWNLOADS])
def test_people_who_may_see_the_results_may_see_the_report(world, reported, role, name):
    response = client_for(getattr(world, role)).get(report_url(reported.assessment, name))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["commissioner", "outsider"])
@pytest.mark.parametrize("name", ["reports:report", *DOWNLOADS])
def test_others_are_refused_as_if_it_did_not_exist(world, reported, role, name):
    response = client_for(getattr(world, role)).get(report_url(reported.assessment, name))
    assert response.status_code == 404
    assert "Content-Disposition" not in response.headers


def test_others_are_refused_a_draft_too_and_learn_nothing(world, assessment):
    assert client_for(world.outsider).get(report_url(assessment)).status_code == 404


def test_a_worker_loses_the_report_when_the_organisation_stops_sharing(world, reported):
    from personfirst.core.organisations.models import AccessGrant

    AccessGrant.objects.filter(organisation=world.org).delete()
    # The worker gave their own answers, so they still know the assessment
    # exists (403), but they no longer see its results or its report.
    assert client_for(world.worker).get(report_url(reported.assessment)).status_code == 403
    reported.worker_respondent.delete()
    assert client_for(world.worker).get(report_url(reported.assessment)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(reported):
    response = client_for(None).get(report_url(reported.assessment, "reports:pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_an_assessment_of_another_organisation_through_this_ones_address(world, reported):
    url = reverse("reports:report", args=[world.unshared.slug, reported.assessment.pk])
    assert client_for(world.admin).get(url).status_code == 404
