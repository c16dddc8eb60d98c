"""The area insight pages: who may see which (per role), that a
commissioner never sees an organisation's name, the filters, the charts'
own content security policy, the downloads read back (openpyxl, pypdf), and
where one organisation stands."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from personfirst.core.organisations.models import Organisation
from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve
from personfirst.insight.area import figures, report, sources
from personfirst.insight.area.models import Kind, Value

from .conftest import make, publish
from .test_facts import submit

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "admin", "worker", "commissioner", "platform", "outsider")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def outcome(world, role, path) -> str:
    response = client_for(None if role == "anonymous" else getattr(world, role)).get(path)
    if response.status_code == 302 and response["Location"].startswith("/account/sign-in/"):
        return "sign in"
    return str(response.status_code)


def pages(world) -> dict[str, str]:
    return {
        "index": reverse("insight:index"),
        "england": reverse("insight:england"),
        "own area": reverse("insight:area", args=[world.area.code]),
        "other area": reverse("insight:area", args=[world.other_area.code]),
        "shared": reverse("insight:shared", args=[world.support_org.slug]),
        "not a support organisation": reverse("insight:shared", args=[world.org.slug]),
        "area chart": reverse("insight:area-chart", args=[world.area.code, "sections"]),
        "area spreadsheet": reverse("insight:area-report", args=[world.area.code, "xlsx"]),
        "england PDF": reverse("insight:england-report", args=["pdf"]),
        "shared chart": reverse("insight:shared-chart", args=[world.support_org.slug, "trend"]),
        "standing": reverse("insight:standing", args=[world.org.slug]),
        "standing, unshared": reverse("insight:standing", args=[world.unshared.slug]),
    }


# page -> the roles that get 200; everyone else signed in gets 404, and anonymous is sent to sign in.
ALLOWED = {
    "index": {"worker", "commissioner", "platform"},
    "england": {"worker", "commissioner", "platform"},
    "england PDF": {"worker", "commissioner", "platform"},
    "own area": {"commissioner", "platform"},
    "area chart": {"commissioner", "platform"},
    "area spreadsheet": {"commissioner", "platform"},
    "other area": {"platform"},
    "shared": {"worker", "platform"},
    "shared chart": {"worker", "platform"},
    "not a support organisation": set(),
    "standing": {"member", "admin", "worker", "platform"},
    "standing, unshared": {"platform"},
}


def test_who_may_see_each_page(eastmere):
    world = eastmere.world
    for name, path in pages(world).items():
        for role in ROLES:
            expected = "sign in" if role == "anonymous" else ("200" if role in ALLOWED[name] else "404")
            assert outcome(world, role, path) == expected, f"{name} as {role}"


def test_the_navigation_offers_area_insight_to_those_who_can_use_it(eastmere):
    world = eastmere.world
    for role in ROLES[1:]:
        html = client_for(getattr(world, role)).get(reverse("pages:dashboard")).content.decode()
        assert ('href="/insight/"' in html) is (role in ALLOWED["index"]), role


def names_in_eastmere(world) -> list[str]:
    return [o.name for o in Organisation.objects.filter(council_area=world.area).exclude(pk=world.council.pk)]


def test_a_commissioner_sees_figures_and_no_organisations_name(eastmere):
    world = eastmere.world
    client = client_for(world.commissioner)
    area = world.area.code
    html = client.get(reverse("insight:area", args=[area])).content.decode()
    assert "80 organisations counted" in re.sub(r"<[^>]+>", "", html)
    downloads = {fmt: client.get(reverse("insight:area-report", args=[area, fmt])).content for fmt in ("xlsx", "pdf")}
    spreadsheet = load_workbook(io.BytesIO(downloads["xlsx"]))
    spreadsheet_text = " ".join(
        str(cell) for sheet in spreadsheet for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(downloads["pdf"])).pages)
    for name in names_in_eastmere(world):
        assert name not in html
        assert name not in spreadsheet_text
        assert name not in pdf_text


def shown(value):
    """A figure as the spreadsheet holds it: a number, or the word Hidden."""
    if value is None:
        return "Hidden"
    return value if isinstance(value, int) else float(value)


def test_the_spreadsheet_has_the_pages_figures(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument)
    response = client_for(world.platform).get(reverse("insight:area-report", args=[world.area.code, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="eastmere-personalisation-health-check.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About", "Sections", "Questions", "Common needs", "Trend"]
    rows = list(book["Sections"].iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Section", "Organisations")
    for section, row in zip(built.sections, rows[1:], strict=True):
        expected = [section.n, section.minimum, section.lower, section.median, section.upper, section.maximum]
        assert list(row[2:]) == [shown(v) for v in expected]
    questions = list(book["Questions"].iter_rows(values_only=True))
    for item, row in zip(built.items, questions[1:], strict=True):
        for cell in item.cells[:-1]:
            assert row[1 + cell.first] == shown(cell.share)
            assert list(row[2 + cell.first : 1 + cell.first + cell.span]) == [f"With step {cell.first}"] * (
                cell.span - 1
            )
        assert row[-1] == shown(item.cells[-1].share)
    needs = list(book["Common needs"].iter_rows(values_only=True))
    assert needs[1][2] == built.needs_shown[0].share
    assert needs[1][1].startswith(built.needs_shown[0].sentence)
    trend = list(book["Trend"].iter_rows(values_only=True))
    assert [r[0] for r in trend[1:]] == [row.label for row in built.trend]
    about = " ".join(str(r[0]) for r in book["About"].iter_rows(values_only=True))
    assert "Organisations counted: 80." in about


def test_the_pdf_has_the_pages_figures(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    built = report.build(sources.for_area(world.area), instrument)
    response = client_for(world.platform).get(reverse("insight:area-report", args=[world.area.code, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Area insight: Eastmere" in text
    assert "Organisations counted: 80." in text
    assert f"{built.needs_shown[0].share}% of organisations here" in text
    assert str(built.sections[0].median) in text
    assert reader.metadata.title == "Area insight: Eastmere"


def test_a_filter_that_splits_a_group_shows_no_figures(world, health_check):
    make(world, organisations=40)
    # Three organisations of a type nobody else has: they form a group with others.
    for n in range(3):
        organisation = Organisation.objects.create(
            name=f"Rare {n}", slug=f"rare-{n}", org_type="support_development", council_area=world.area
        )
        submit(world, health_check, organisation=organisation)
    publish(health_check)
    view = report.build(sources.for_area(world.area), health_check).view
    rare = next(g for g in view.groups if any(c[0] == "support_development" for c in g.cells))
    others = sorted({c[0] for c in rare.cells} - {"support_development"})
    assert others  # pooled with another type
    query = "&".join(f"type={t}" for t in others)
    html = (
        client_for(world.platform).get(reverse("insight:area", args=[world.area.code]) + "?" + query).content.decode()
    )
    assert 'id="hidden-figures"' in html
    assert 'id="section-scores"' not in html
    assert "Local support and development organisation" in html  # named as a group to include
    assert "organisations counted" not in html


def test_a_period_from_another_instrument_is_an_error_on_the_form(eastmere):
    world = eastmere.world
    path = reverse("insight:area", args=[world.area.code]) + "?period=1"
    response = client_for(world.platform).get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a period from the list" in html
    assert_error_summary_links_resolve(html)
    assert "80 organisations counted" in re.sub(r"<[^>]+>", "", html)  # the figures with no filters


def test_charts_are_images_with_a_policy_of_their_own(eastmere):
    world = eastmere.world
    client = client_for(world.commissioner)
    for name in ("sections", "levels", "trend"):
        response = client.get(reverse("insight:area-chart", args=[world.area.code, name]))
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content
        assert b"<script" not in svg
        policy = response["Content-Security-Policy"]
        assert policy.startswith("default-src 'none'; style-src 'sha256-")
        for block in re.findall(rb"<style[^>]*>(.*?)</style>", svg, flags=re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(block).digest()).decode()
            assert f"'sha256-{digest}'" in policy
    assert client.get(reverse("insight:area-chart", args=[world.area.code, "pie"])).status_code == 404
    assert client.get(reverse("insight:area-report", args=[world.area.code, "docx"])).status_code == 404


def test_the_page_links_its_charts_and_downloads_with_the_filters(eastmere):
    world = eastmere.world
    path = reverse("insight:england") + "?step=2"
    html = client_for(world.worker).get(path).content.decode()
    assert 'src="/insight/england/charts/sections.svg?step=2"' in html
    assert 'href="/insight/england/report.xlsx?step=2" download' in html


# --- Where one organisation stands ---------------------------------------------


def percentile_reference(organisation, others_latest_scores, own):
    lower = sum(1 for s in others_latest_scores if s < own)
    same = sum(1 for s in others_latest_scores if s == own)
    return figures.whole(Fraction(100 * (2 * lower + same), 2 * len(others_latest_scores)))


def test_where_an_organisation_stands_in_its_area(eastmere):
    world, instrument = eastmere.world, eastmere.instrument
    submit(world, instrument)
    html = client_for(world.member).get(reverse("insight:standing", args=[world.org.slug])).content.decode()
    own = {
        v.key: Fraction(v.value, v.scale)
        for v in Value.objects.filter(submission__organisation=world.org, kind=Kind.SECTION)
    }
    others = Value.objects.filter(council_area=world.area, kind=Kind.SECTION, superseded_quarter__isnull=True).exclude(
        submission__organisation=world.org
    )
    checked = 0
    for key, score in own.items():
        scores = [Fraction(v.value, v.scale) for v in others.filter(key=key)]
        row = re.search(rf'data-section="{key}">(.*?)</tr>', html, flags=re.DOTALL).group(1)
        cells = re.findall(r'numeric">([^<]*)<', row)
        assert cells[2] == str(percentile_reference(world.org, scores, score)), key
        assert cells[3] == f"{len(scores)} others"
        checked += 1
    assert checked >= 10


def test_a_worker_who_can_see_all_but_a_few_in_the_area_gets_no_comparison(world, health_check):
    """Every synthetic organisation shares with the worker; one other (Beech House) does not. From the
    ranks of the ones they can see, the worker could work out Beech House's scores: hidden."""
    make(world, organisations=20, share_fraction=1.0)
    submit(world, health_check, organisation=world.unshared)
    submit(world, health_check)
    publish(health_check)
    path = reverse("insight:standing", args=[world.org.slug])
    worker = client_for(world.worker).get(path).content.decode()
    member = client_for(world.member).get(path).content.decode()
    row = r'data-section="values-and-culture">(.*?)</tr>'
    worker_cells = re.findall(r'numeric">([^<]*)<', re.search(row, worker, flags=re.DOTALL).group(1))
    member_cells = re.findall(r'numeric">([^<]*)<', re.search(row, member, flags=re.DOTALL).group(1))
    assert worker_cells[2:4] == ["Hidden", "Hidden"]
    assert member_cells[3] == "21 others"
    assert member_cells[2] != "Hidden"


def test_no_comparison_with_fewer_than_five_others(world, health_check):
    submit(world, health_check)
    for organisation in Organisation.objects.filter(slug__in=["beech-house", "good-neighbours", "common-table"]):
        submit(world, health_check, organisation=organisation)
    html = client_for(world.platform).get(reverse("insight:standing", args=[world.org.slug])).content.decode()
    assert "3 others" not in html
    assert html.count(">Hidden<") >= 2 * 13


def test_standing_without_an_assessment(world, health_check):
    html = client_for(world.admin).get(reverse("insight:standing", args=[world.org.slug])).content.decode()
    assert 'id="no-assessment"' in html


def test_a_page_is_made_once_for_each_snapshot_and_address(eastmere, monkeypatch):
    """insight/pages.py: the same snapshot and address send the body made before, a submission
    changes nothing shown, and a new snapshot makes the page anew."""
    world = eastmere.world
    made = []
    build_from = report.build_from
    monkeypatch.setattr(report, "build_from", lambda *args, **kwargs: made.append(1) or build_from(*args, **kwargs))
    client = client_for(world.commissioner)
    path = reverse("insight:area", args=[world.area.code])

    def counted() -> str:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(path).content.decode()))
        return re.search(r"(\d+) organisations counted", text).group(1)

    assert (counted(), len(made)) == ("80", 1)
    assert (counted(), len(made)) == ("80", 1)  # the same snapshot: the body made before
    client.get(path + "?step=2")
    assert len(made) == 2  # another address: made anew
    submit(world, eastmere.instrument)  # world.org, in Eastmere, had no assessment of its own
    assert (counted(), len(made)) == ("80", 2)  # nothing shown changes
    publish(eastmere.instrument, eastmere.snapshot.quarter + 1)
    assert counted() == "80"  # one new organisation on its own is not shown...
    assert len(made) == 3  # ...but the page is made anew for the new snapshot
    # Someone else allowed to see the area gets the same body, with their own header.
    other = client_for(world.platform).get(path).content.decode()
    assert len(made) == 3
    assert "80" in re.sub(r"<[^>]+>", "", other)


def test_the_box_chart_has_a_legend_of_sections_in_colours_of_their_own(eastmere):
    from personfirst.insight.area import charts, report, sources
    from personfirst.readiness.assessments.models import Instrument

    world = eastmere.world
    built = report.build(sources.for_area(world.area), Instrument.objects.get(key="health-check"))
    shown = [row for row in built.sections if row.shown]
    assert len(shown) >= 2
    svg = charts.sections(built).decode()
    for row in shown:
        assert f">{row.number}. {row.title}<" in svg.replace("&#8217;", "’")
    series_colours = set(re.findall(r"\.color-\d+[^{]*\{[^}]*?(?:stroke|fill):\s*(#[0-9a-f]{6})", svg))
    assert len(series_colours) >= min(len(shown), 8)
