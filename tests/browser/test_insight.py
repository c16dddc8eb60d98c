"""Area insight in the browser, with axe-core run on every page: the demo
commissioner and the demo development worker each open their area view from
the navigation, filter it, and download the spreadsheet, whose figures must
be the filtered page's."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def insight_world(demo_world):
    """The demo area with its assessments, plus 60 synthetic organisations in Eastmere (a third
    of them sharing with Eastmere Voluntary Action), so that figures are not all hidden, published
    as at this quarter (as if it had ended)."""
    from django.utils import timezone

    from personfirst.demo import synthetic
    from personfirst.insight.area import publish, quarters
    from personfirst.readiness.assessments.models import Instrument

    synthetic.generate(
        organisations=60,
        assessments_per_organisation=3,
        area_code=demo_world.area.code,
        seed=3,
        share_with=demo_world.support_org,
        share_fraction=0.35,
    )
    publish.publish(Instrument.objects.get(key="health-check"), quarters.quarter_of(timezone.now()))
    return demo_world


def counted(page) -> int:
    return int(re.search(r"(\d+) organisations? counted", page.locator("#population").inner_text()).group(1))


def download_spreadsheet(page, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the figures as a spreadsheet (.xlsx)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return load_workbook(path)


def about(book) -> str:
    return " ".join(str(row[0]) for row in book["About"].iter_rows(values_only=True))


def largest_type_shown(scope, instrument):
    """The type with the most organisations whose figures are shown on their own here."""
    from personfirst.core.organisations.choices import OrganisationType
    from personfirst.insight.area import report

    shown = [
        (built.population, code, label)
        for code, label in OrganisationType.choices
        if (built := report.build(scope, instrument, report.Filters(types=(code,)))).shown
    ]
    assert shown, "no type can be shown on its own"
    _population, code, label = max(shown)
    return code, label


def test_the_commissioner_filters_the_area_and_downloads_it(insight_world, either_page, tmp_path):
    from personfirst.insight.area import report, sources
    from personfirst.readiness.assessments.models import Instrument

    page, world = either_page, insight_world
    instrument = Instrument.objects.get(key="health-check")
    scope = sources.for_area(world.area)
    code, label = largest_type_shown(scope, instrument)
    expected = report.build(scope, instrument, report.Filters(types=(code,)))
    assert expected.needs_shown

    sign_in(page, world.commissioner.email, world.password)
    page.follow(page.locator(".govuk-service-navigation").get_by_role("link", name="Area insight"))
    page.follow(page.locator("main").get_by_role("link", name="Eastmere"))
    assert counted(page) == 70  # 60 synthetic, and the ten demo organisations with assessments
    assert page.locator("#section-scores tbody tr").count() == 15
    for name in ("Eastmere Carers' Centre", "Riverside Home Care", "Synthetic organisation"):
        assert name not in page.content()

    page.get_by_label(label, exact=True).check()
    page.submit(page.get_by_role("button", name="Apply filters"))
    assert f"type={code}" in page.url
    assert counted(page) == expected.population
    assert f"Types: {label}" in page.locator("#filters-chosen").inner_text()
    first_need = page.locator("#needs tbody tr").first
    assert first_need.get_attribute("data-share") == str(expected.needs_shown[0].share)

    book = download_spreadsheet(page, tmp_path)
    assert f"Organisations counted: {expected.population}." in about(book)
    assert f"Types: {label}" in about(book)
    medians = [row[5] for row in list(book["Sections"].iter_rows(values_only=True))[1:]]
    assert medians == [float(s.median) if s.median is not None else "Hidden" for s in expected.sections]


def test_the_development_worker_filters_a_period_and_downloads_it(insight_world, page, tmp_path):
    from personfirst.insight.area import quarters, report, sources
    from personfirst.readiness.assessments.models import Instrument

    world = insight_world
    instrument = Instrument.objects.get(key="health-check")
    scope = sources.for_support_organisation(world.support_org)
    everything = report.build(scope, instrument)
    # The latest period whose figures are shown for the organisations that share.
    first, last = next(
        p
        for p in reversed(everything.view.periods)
        if report.build(scope, instrument, report.Filters(period=p[0])).shown
    )
    expected = report.build(scope, instrument, report.Filters(period=first))

    sign_in(page, world.worker.email, world.password)
    page.follow(page.locator(".govuk-service-navigation").get_by_role("link", name="Area insight"))
    page.follow(
        page.locator("main").get_by_role("link", name="Organisations that share with Eastmere Voluntary Action")
    )
    assert counted(page) == everything.population

    page.get_by_label("Assessments counted").select_option(label=f"Submitted in {quarters.period_label(first, last)}")
    page.submit(page.get_by_role("button", name="Apply filters"))
    assert counted(page) == expected.population
    trend_row = page.locator(f'#trend tr[data-first="{first}"]')
    assert "the period chosen" in trend_row.inner_text()

    book = download_spreadsheet(page, tmp_path)
    assert f"Organisations counted: {expected.population}." in about(book)
    trend = list(book["Trend"].iter_rows(values_only=True))[1:]
    assert [row[0] for row in trend] == [row.label for row in expected.trend]

    # England, as a benchmark, from the index.
    page.follow(page.get_by_role("link", name="Back to area insight"))
    page.follow(page.locator("main").get_by_role("link", name="England"))
    assert counted(page) >= everything.population
