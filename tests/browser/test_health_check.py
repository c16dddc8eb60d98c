"""A new organisation admin completes the shipped personalisation health
check in the browser, as a newcomer would, with axe-core run on every page:

- one section marked "Not relevant to us", which then has no score;
- one section (direct payment support) left out by its condition, because
  Eastmere Carers' Centre does not provide direct payment support;
- the results page checked against the formula, computed here from the
  levels chosen: a level k of n scores 100·(k−1)/(n−1); a section scores the
  mean of its items; the overall score is the mean of the sections with a
  score; one decimal place, halves up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

EMAIL = "nia.newcomer@carers.example"
PASSWORD = "a-brand-new-password-2026"
NOT_RELEVANT = "marketing"  # "Telling people about your services"
LEFT_OUT = "Direct payment support"


def rounded(value: Fraction) -> Decimal:
    """One decimal place, halves up, from the exact value."""
    tenths = value * 10
    whole = tenths.numerator // tenths.denominator
    if tenths - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(f"{whole // 10}.{whole % 10}")


@pytest.fixture
def newcomer(world):
    """A brand-new admin of Eastmere Carers' Centre, with the shipped instruments loaded."""
    from personfirst.core.access.tests.helpers import ADMIN, join
    from personfirst.core.accounts.models import User
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    load_shipped()
    user = User.objects.create_user(EMAIL, PASSWORD, full_name="Nia Newcomer")
    join(user, world.org, ADMIN)
    return user


def test_a_new_admin_completes_the_health_check(world, newcomer, page):
    sign_in(page, EMAIL, PASSWORD)
    page.follow(page.locator("main").get_by_role("link", name="Eastmere Carers' Centre"))
    page.follow(page.locator("main").get_by_role("link", name="Assessments", exact=True))
    page.get_by_label("Personalisation health check").check()
    page.submit(page.get_by_role("button", name="Start"))

    # The task list: every section that applies, and the one left out, with why.
    assert re.search(r"/assessments/\d+/$", page.path)
    task_links = page.locator(".govuk-task-list__link")
    titles = task_links.all_inner_texts()
    assert len(titles) == 14
    assert LEFT_OUT not in titles
    left_out_text = page.get_by_text("Only for organisations that provide direct payment support")
    assert left_out_text.count() == 1
    assert page.locator(".govuk-task-list__status").filter(has_text="Not started").count() == 14

    # One section per page, from the first to the last with "Save and continue".
    page.follow(task_links.first)
    chosen: dict[str, tuple[int, int]] = {}  # section title -> (level, number of levels)
    not_relevant_title = None
    for position in range(len(titles)):
        title = page.locator("h1").inner_text().strip()
        assert title == titles[position]
        radios = page.locator("input[type=radio][name^='item-']")
        name = radios.first.get_attribute("name")
        values = list(radios.evaluate_all("els => els.map(e => e.value)"))
        assert values[-1] == "not-relevant"
        levels = len(values) - 1
        if name == f"item-{NOT_RELEVANT}":
            page.get_by_label("Not relevant to us").check()
            not_relevant_title = title
        else:
            level = 1 + (position * 2) % levels  # a spread of low, middle and high levels
            page.locator(f"input[name='{name}'][value='{level}']").check()
            chosen[title] = (level, levels)
        if position == 3:
            page.get_by_label("Notes (optional)").fill("We asked three of the people we support.")
        page.submit(page.get_by_role("button", name="Save and continue"))
    assert not_relevant_title == "Telling people about your services"

    # Back on the task list: everything done.
    assert page.get_by_text("You have completed 14 of 14 sections").count() == 1
    assert page.locator(".govuk-task-list__status").filter(has_text="Not relevant").count() == 1
    assert page.locator(".govuk-task-list__status").filter(has_text="Completed").count() == 13

    page.follow(page.get_by_role("link", name="Check your answers and submit"))
    assert page.get_by_role("heading", name="Check your answers before you submit").count() == 1
    assert page.get_by_text("We asked three of the people we support.").count() == 1
    page.submit(page.get_by_role("button", name="Submit the assessment"))

    # The results, against the formula.
    assert page.path.endswith("/results/")
    section_scores = {title: Fraction(100 * (level - 1), levels - 1) for title, (level, levels) in chosen.items()}
    overall = sum(section_scores.values(), Fraction(0)) / len(section_scores)
    shown_overall = page.locator("#overall-score .pf-score__value").inner_text()
    assert shown_overall.split()[0] == str(rounded(overall)), shown_overall

    rows = page.locator("#section-scores tbody tr")
    assert rows.count() == 14
    headers = page.locator("#section-scores thead th").all_inner_texts()
    score_column = headers.index("Score out of 100")
    shown = {}
    for index in range(rows.count()):
        cells = rows.nth(index).locator("th, td").all_inner_texts()
        shown[cells[headers.index("Section")].strip()] = cells[score_column].strip()
    assert set(shown) == set(titles)
    for title, score in section_scores.items():
        assert shown[title] == str(rounded(score)), title
    assert shown[not_relevant_title] == "Not relevant or not answered"
    assert LEFT_OUT not in shown

    left_out = page.locator("#left-out li").all_inner_texts()
    assert left_out == [
        "Direct payment support: Only for organisations that provide direct payment support "
        "(payroll, employing a personal assistant)"
    ]
    # At most three, and at most half the sections, each; a section tied with
    # one left out of the list is left out too (docs/scoring.md).
    values = list(section_scores.values())
    k = min(3, len(values) // 2)
    strengths = page.locator("#strengths li").all_inner_texts()
    best = sorted(section_scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best = [(title, score) for title, score in best if sum(v >= score for v in values) <= k]
    assert strengths == [f"{title} ({rounded(score)})" for title, score in best]
    needs = page.locator("#needs li").all_inner_texts()
    worst = sorted(section_scores.items(), key=lambda kv: (kv[1], kv[0]))
    worst = [(title, score) for title, score in worst if sum(v <= score for v in values) <= k]
    assert needs == [f"{title} ({rounded(score)})" for title, score in worst]
    assert not set(strengths) & set(needs)

    # The radar chart loads (a failed image would fail the test at teardown).
    chart = page.locator("img.pf-chart")
    assert chart.count() == 1
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
