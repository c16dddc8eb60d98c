"""From scores to action, in the browser, as a new organisation admin would
(issue 4): submit an assessment, accept two suggested actions, give them
owners and dates, mark one done, see it in the history, and download the
report as PDF and Word. Both files are read back: they must hold the same
scores and actions as the pages. axe-core checks every page on the way.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

import pytest
from django.utils import timezone

from .conftest import sign_in
from .test_health_check import rounded

pytestmark = pytest.mark.browser

EMAIL = "omar.organiser@carers.example"
PASSWORD = "another-new-password-2026"
SCORES = {"fully-met": 100, "partly-met": 50, "not-met": 0}
# Owner, due date and status given to each of the two accepted actions.
DETAILS = [
    ("Sam Carter", datetime.date(2027, 3, 31), "In progress"),
    ("Priya Shah", datetime.date(2027, 6, 30), "Done"),
]


@pytest.fixture
def organiser(world):
    from personfirst.core.access.tests.helpers import ADMIN, join
    from personfirst.core.accounts.models import User
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    load_shipped()  # the instruments with their action libraries
    user = User.objects.create_user(EMAIL, PASSWORD, full_name="Omar Organiser")
    join(user, world.org, ADMIN)
    return user


def squash(text: str) -> str:
    return " ".join(text.split())


def quarter_of(day: datetime.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def test_an_admin_turns_an_assessment_into_a_plan_and_a_report(world, organiser, page):
    sign_in(page, EMAIL, PASSWORD)
    page.follow(page.locator("main").get_by_role("link", name="Eastmere Carers' Centre"))
    page.follow(page.locator("main").get_by_role("link", name="Assessments", exact=True))
    page.get_by_label("Flexible services self-assessment").check()
    page.submit(page.get_by_role("button", name="Start"))
    assessment_path = page.path
    sections = page.locator(".govuk-task-list__link").count()
    assert sections == 4

    # Every challenge rated, mostly low, so there is plenty to plan.
    page.follow(page.locator(".govuk-task-list__link").first)
    section_scores: list[Fraction] = []
    for _ in range(sections):
        names = sorted(
            set(page.locator("input[type=radio][name^='item-']").evaluate_all("els => els.map(e => e.name)"))
        )
        scores = []
        for index, name in enumerate(names):
            option = "partly-met" if index == 0 else "not-met"
            page.locator(f"input[name='{name}'][value='{option}']").check()
            scores.append(SCORES[option])
        section_scores.append(Fraction(sum(scores), len(scores)))
        page.submit(page.get_by_role("button", name="Save and continue"))
    assert page.path == assessment_path
    page.follow(page.get_by_role("link", name="Check your answers and submit"))
    page.submit(page.get_by_role("button", name="Submit the assessment"))

    assert page.path.endswith("/results/")
    results_path = page.path
    overall = str(rounded(sum(section_scores, Fraction(0)) / len(section_scores)))
    assert page.locator("#overall-score .pf-score__value").inner_text().split()[0] == overall

    # The draft plan: suggestions from the action library, waiting for a decision.
    page.follow(page.get_by_role("link", name="See the action plan"))
    assert page.locator("#suggestions").count() == 1
    accepted = []
    for _ in range(2):
        group = page.locator("details.govuk-details").first
        if group.get_attribute("open") is None:
            group.locator("summary").click()
        suggestion = group.locator("[id^='action-']").first
        accepted.append(squash(suggestion.locator("h4").inner_text()))
        page.submit(suggestion.get_by_role("button", name=re.compile(r"^Accept")))
    assert len(set(accepted)) == 2
    plan_rows = page.locator("#plan-actions tbody tr")
    assert [squash(t) for t in plan_rows.locator("td:first-child a").all_inner_texts()] == accepted

    # Owners, due dates, and one done.
    for title, (owner, due, status) in zip(accepted, DETAILS, strict=True):
        page.follow(page.locator("#plan-actions").get_by_role("link", name=title, exact=True))
        page.follow(page.get_by_role("link", name="Change this action"))
        page.get_by_label("Who will make sure it happens? (optional)").fill(owner)
        page.get_by_label("Day").fill(str(due.day))
        page.get_by_label("Month").fill(str(due.month))
        page.get_by_label("Year").fill(str(due.year))
        page.get_by_label(status, exact=True).check()
        page.submit(page.get_by_role("button", name="Save changes"))
        assert owner in page.locator("main").inner_text()
        page.follow(page.get_by_role("link", name="Back to the action plan"))
    table = squash(page.locator("#plan-actions").inner_text())
    for title, (owner, due, status) in zip(accepted, DETAILS, strict=True):
        assert title in table and owner in table and due.strftime("%-d %B %Y") in table and status in table

    # The history: the assessment, and the action done this quarter.
    page.visit(f"/organisations/{world.org.slug}/")
    page.follow(page.get_by_role("link", name="Progress over time"))
    this_quarter = page.locator(f"#actions-done tr[data-quarter='{quarter_of(timezone.localdate())}'] td")
    assert this_quarter.inner_text().strip() == "1"
    assert overall in page.locator("main").inner_text()

    # The report, downloaded and read back.
    page.visit(results_path)
    with page.expect_download() as pdf_download:
        page.locator("#report-downloads").get_by_role("link", name="PDF").click()
    with page.expect_download() as docx_download:
        page.locator("#report-downloads").get_by_role("link", name="Word document").click()
    # The printable report page (checked with axe like every page here).
    page.follow(page.get_by_role("link", name="See the report"))
    report_text = squash(page.locator("main").inner_text())
    assert overall in report_text
    assert all(title in report_text for title in accepted)

    from docx import Document
    from pypdf import PdfReader

    pdf_text = squash(" ".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages))
    document = Document(str(docx_download.value.path()))
    docx_text = squash(
        " ".join(
            [p.text for p in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )
    )
    for name, text in (("PDF", pdf_text), ("Word", docx_text)):
        assert overall in text, f"the {name} report lacks the overall score {overall}"
        for score in section_scores:
            assert str(rounded(score)) in text, f"the {name} report lacks a section score {rounded(score)}"
        for title, (owner, _due, _status) in zip(accepted, DETAILS, strict=True):
            assert title in text, f"the {name} report lacks the action {title!r}"
            assert owner in text, f"the {name} report lacks the owner {owner!r}"
