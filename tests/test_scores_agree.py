"""Every place that shows a readiness assessment's scores shows the same ones.

Which answers count is decided once, by ``services.answers_that_count``
(docs/scoring.md, "Which answers count"): the agreed answers, less any
suggestion (answer once) that nobody has confirmed. Respondents' own answers
(co-production) never count, and sections left out by a condition are not
scored. This property test builds random submitted assessments on the shipped
instruments with all of that in them, and reads the overall and section
scores back from every place that shows them:

- the results page (and, before submitting, the draft's results page and
  the check-your-answers page's count of suggestions still to confirm),
- the history page (its assessments table and its section scores table),
- the caseload page, as the development worker the organisation shares with,
- the API (``GET /api/v1/assessments/{id}/scores``),
- the report page and its downloads: PDF (its text, with pypdf), Word
  (python-docx), Excel (openpyxl) and the answers CSV,
- insight's facts for the assessment (its Submission and Value rows),
- the action plan, whose suggestions come from the answers that count.

Each must equal what the one function's answers give under readiness.scoring,
shown to one decimal place with halves rounded up; and the one function must
give exactly the answers the test meant to count.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from personfirst.core.definitions.items import Response
from personfirst.core.organisations.models import Organisation
from personfirst.insight.area.models import Kind, Submission, Value
from personfirst.readiness.assessments import scoring, services
from personfirst.readiness.assessments.loading import load_shipped
from personfirst.readiness.assessments.models import Answer, Assessment, Instrument, Item, Perspective
from personfirst.readiness.assessments.tests.pages import shown_overall, shown_sections
from personfirst.readiness.plans.library import Library
from personfirst.readiness.plans.models import Action, ActionSource
from personfirst.readiness.progress.tests.pages import tables
from personfirst.testing import examples

pytestmark = pytest.mark.django_db

SHIPPED = ("health-check", "flexible-services", "workforce-ladder")
NO_SCORE = "Not relevant or not answered"

# The services that decide which sections apply (the health check's
# conditional sections), and some that decide nothing.
SERVICES = ("information_advice", "advocacy", "brokerage", "direct_payment_support", "carers_support", "short_breaks")
EXAMPLES = 25
# Who may be asked for their own answers (co-production): world persona, point of view.
RESPONDENTS = (("member", Perspective.TRUSTEE), ("worker", Perspective.DEVELOPMENT_WORKER))


# --- Building a random assessment ----------------------------------------------------


def draw_values(data, item: Item) -> dict:
    """A random answer of the item's type: a rating's option, or a level
    (with a target date above it now and then, for milestones)."""
    fields = item.kind.answer_fields
    if "option" in fields:
        return {"option": data.draw(st.sampled_from([option.key for option in item.definition.options]))}
    size = len(item.levels)
    level = data.draw(st.integers(1, size))
    values = {"level": level}
    if "target_dates" in fields and level < size and data.draw(st.booleans()):
        values["target_dates"] = {str(level + 1): "2027-03-31"}
        event("a target date")
    return values


def draw_answers(data, item: Item) -> dict | None:
    """Not answered (None), not relevant, or an answer of the item's type."""
    choice = data.draw(st.sampled_from(["skip", "not_relevant", "answer", "answer"]))
    event(f"an answer: {choice} ({item.type})")
    if choice == "skip":
        return None
    if choice == "not_relevant":
        return {"not_relevant": True}
    return draw_values(data, item)


def save(assessment: Assessment, section, values: dict, by, respondent=None) -> None:
    if not values:
        return
    current = {
        a.item.key: a.revision
        for a in Answer.objects.filter(assessment=assessment, respondent=respondent).select_related("item")
    }
    conflicts = services.save_section(
        assessment=assessment,
        section=section,
        values=values,
        revisions={key: current.get(key, 0) for key in values},
        by=by,
        respondent=respondent,
    )
    assert not conflicts


def submit_source(data, world, organisation: Organisation, instrument: Instrument, when: datetime.datetime) -> None:
    """A submitted assessment of another instrument, for answer once to suggest from."""
    draft = services.start(organisation=organisation, instrument=instrument, by=world.admin)
    applies, _left_out = services.split_sections(draft)
    for section in applies:
        values = {}
        for item in section.items.all():
            given_values = draw_answers(data, item)
            if given_values is not None:
                values[item.key] = given_values
        save(draft, section, values, world.admin)
    services.submit(assessment=draft, by=world.admin)
    Assessment.objects.filter(pk=draft.pk).update(submitted_at=when)


def build(data, world, instruments: dict[str, Instrument], admin: Client) -> tuple[Assessment, dict[str, dict]]:
    """A random submitted assessment of Eastmere Carers' Centre, and the
    answers the test means to count (item key -> the values saved)."""
    organisation = Organisation.objects.get(pk=world.org.pk)
    organisation.services = sorted(data.draw(st.sets(st.sampled_from(SERVICES)), label="services"))
    organisation.save()
    target = data.draw(st.sampled_from(SHIPPED), label="instrument")
    # Earlier submitted assessments of the other instruments: answer once
    # suggests answers from them (the crosswalk links all three).
    earlier = timezone.now() - datetime.timedelta(days=30)
    for n, other in enumerate(key for key in SHIPPED if key != target):
        if data.draw(st.sampled_from([True, True, True, False]), label=f"submit {other} first"):
            submit_source(data, world, organisation, instruments[other], earlier + datetime.timedelta(days=n))

    draft = services.start(organisation=organisation, instrument=instruments[target], by=world.admin)
    suggested = {a.item.key: a for a in Answer.objects.filter(assessment=draft, suggested=True).select_related("item")}
    counted: dict[str, dict] = {}
    unconfirmed = 0
    applies, _left_out = services.split_sections(draft)
    for section in applies:
        values = {}
        for item in section.items.all():
            if item.key in suggested:
                choices = st.sampled_from(["leave", "leave", "confirm", "change"])
                choice = data.draw(choices, label=f"suggestion {item.key}")
                event(f"a suggestion: {choice}")
                if choice == "leave":
                    unconfirmed += 1
                    continue  # a suggestion nobody confirms: it must not count
                if choice == "confirm":
                    answer = suggested[item.key]
                    kept = {"level": answer.level} if answer.level is not None else {"option": answer.option}
                    values[item.key] = kept
                else:
                    values[item.key] = draw_answers(data, item) or {"not_relevant": True}
            else:
                given_values = draw_answers(data, item)
                if given_values is not None:
                    values[item.key] = given_values
        save(draft, section, values, world.admin)
        counted.update(values)

    # Co-production: people asked for their own answers, which never count.
    for persona, perspective in RESPONDENTS:
        if not data.draw(st.booleans(), label=f"ask the {persona} for their own answers"):
            continue
        user = getattr(world, persona)
        event("a respondent's own answers")
        respondent = services.add_respondent(assessment=draft, user=user, perspective=perspective, by=world.admin)
        for section in applies:
            own = {}
            for item in section.items.all():
                given_values = draw_answers(data, item)
                if given_values is not None:
                    own[item.key] = given_values
            save(draft, section, own, user, respondent=respondent)

    # The check-your-answers page counts the suggestions nobody has confirmed
    # (they are left out of the scores), and only those.
    check = get(admin, "readiness:check", draft).content.decode()
    waiting = re.search(r'id="to-confirm">(\d+) suggested answers? (is|are) waiting', check)
    assert (int(waiting.group(1)) if waiting else 0) == unconfirmed, "check answers: suggestions to confirm"

    # The draft's results page: the same rules on the answers saved so far.
    draft_overall, draft_sections = expected_scores(draft)
    check_results_page(get(admin, "readiness:results", draft), draft_overall, draft_sections)

    assessment = services.submit(assessment=draft, by=world.admin)
    event(f"sections left out: {len(assessment.left_out)}")
    # A later change to the profile does not change a submitted assessment's results.
    organisation.services = sorted(data.draw(st.sets(st.sampled_from(SERVICES)), label="services afterwards"))
    organisation.save()
    return Assessment.objects.select_related("organisation", "version__instrument").get(pk=assessment.pk), counted


# --- What the one function says ------------------------------------------------------


def expected_scores(assessment: Assessment) -> tuple[Fraction | None, dict[str, Fraction | None]]:
    """(overall, section key -> score) from services.answers_that_count and
    readiness.scoring, for the sections that apply (for a submitted
    assessment, those not left out when it was submitted)."""
    counting = services.answers_that_count([assessment])[assessment.pk]
    responses = {key: answer.response for key, answer in counting.items()}
    applies, _left_out = services.split_sections(assessment)
    sections = {}
    for section in applies:
        sections[section.key] = scoring.section_score([item.definition for item in section.items.all()], responses)
    return scoring.overall_score(sections.values()), sections


def shown(value: Fraction | None) -> Decimal | None:
    """As every page shows it: one decimal place, halves rounded up (docs/scoring.md)."""
    return scoring.one_decimal(value)


def as_text(value: Fraction | None) -> str:
    return NO_SCORE if value is None else str(shown(value))


# --- Reading each place --------------------------------------------------------------


def get(client: Client, name: str, assessment: Assessment):
    response = client.get(reverse(name, args=[assessment.organisation.slug, assessment.pk]))
    assert response.status_code == 200, (name, response.status_code)
    return response


def decimal_or_none(text: str) -> Decimal | None:
    return None if text.startswith("No score") or text == NO_SCORE else Decimal(text.split()[0])


def tenths(number: float | None) -> Decimal | None:
    """A number as JSON or a spreadsheet gives it (62.3 as a float), as shown: 62.3."""
    return None if number is None else Decimal(str(number)).quantize(Decimal("0.1"))


def words(text: str) -> str:
    return " ".join(text.split())


def check_results_page(response, overall, sections) -> None:
    assert shown_overall(response) == shown(overall), "results page: overall"
    assert shown_sections(response) == {key: shown(raw) for key, raw in sections.items()}, "results page: sections"


def check_history(admin: Client, assessment: Assessment, overall, sections) -> None:
    page = tables(admin.get(reverse("progress:history", args=[assessment.organisation.slug])))
    key = assessment.version.instrument.key
    row = page[f"assessments-{key}"].by("data-assessment")[str(assessment.pk)]
    assert decimal_or_none(row[2]) == shown(overall), "history: overall"
    # The only submitted assessment of this instrument: the one column of figures.
    trend = page[f"trend-{key}"].by("data-section")
    assert decimal_or_none(trend.pop("overall")[2]) == shown(overall), "history: overall in the trend table"
    assert {k: decimal_or_none(cells[2]) for k, cells in trend.items() if k in sections} == {
        k: shown(raw) for k, raw in sections.items()
    }, "history: sections"
    # A section left out at submission has no score in the history either.
    assert all(cells[2] == "No score" for k, cells in trend.items() if k not in sections), "history: left out"


def check_caseload(worker: Client, assessment: Assessment, overall) -> None:
    page = tables(worker.get(reverse("caseload:caseload")))
    cell = page["caseload"].by("data-organisation")[assessment.organisation.slug][2]
    expected = "No score" if overall is None else f"{shown(overall)} out of 100"
    assert cell.startswith(expected), f"caseload: {cell!r}, expected {expected!r}"


def check_api(api: Client, assessment: Assessment, overall, sections) -> None:
    response = api.get(f"/api/v1/assessments/{assessment.pk}/scores")
    assert response.status_code == 200
    body = response.json()

    assert tenths(body["overall"]) == shown(overall), "API: overall"
    assert {s["key"]: tenths(s["score"]) for s in body["sections"]} == {k: shown(raw) for k, raw in sections.items()}, (
        "API: sections"
    )
    assert sorted(entry["key"] for entry in body["left_out"]) == sorted(e["key"] for e in assessment.left_out)


def check_reports(admin: Client, assessment: Assessment, overall, sections) -> None:
    titles = {s.key: s.title for s in assessment.version.sections.all()}
    # [number, title, shown score] for each section that applies, in order.
    rows = [[str(n), titles[key], as_text(raw)] for n, (key, raw) in enumerate(sections.items(), start=1)]
    overall_text = "No score yet" if overall is None else str(shown(overall))

    page = get(admin, "reports:report", assessment)
    assert shown_overall(page) == shown(overall), "report page: overall"
    assert tables(page)["section-scores"].rows == rows, "report page: sections"

    document = Document(io.BytesIO(get(admin, "reports:docx", assessment).content))
    paragraphs = [p.text for p in document.paragraphs]
    if overall is not None:
        assert f"Overall score: {overall_text} out of 100" in paragraphs, "Word: overall"
    else:
        assert not any(p.startswith("Overall score: ") and p[15:16].isdigit() for p in paragraphs), "Word: overall"
    word_tables = {
        tuple(c.text for c in t.rows[0].cells): [[c.text for c in r.cells] for r in t.rows[1:]] for t in document.tables
    }
    assert word_tables[("No.", "Section", "Score out of 100")] == rows, "Word: sections"

    workbook = openpyxl.load_workbook(io.BytesIO(get(admin, "reports:xlsx", assessment).content))
    sheet = list(workbook["Scores"].iter_rows(min_row=2))
    cells = [
        [str(r[0].value), r[1].value, NO_SCORE if r[2].value is None else f"{r[2].value:.1f}"]
        for r in sheet
        if isinstance(r[0].value, int)
    ]
    assert cells == rows, "Excel: sections"
    overall_row = next(r for r in sheet if r[1].value == "Overall")
    assert tenths(overall_row[2].value) == shown(overall), "Excel: overall"

    data = get(admin, "reports:answers-csv", assessment).content
    answers = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    in_csv = sorted({(r["Section number"], r["Section"], r["Section score out of 100"]) for r in answers})
    assert in_csv == sorted(tuple(row) for row in rows), "answers CSV: sections"

    pdf = PdfReader(io.BytesIO(get(admin, "reports:pdf", assessment).content))
    text = words("\n".join(p.extract_text() for p in pdf.pages))
    if overall is not None:
        assert f"Overall score {overall_text} out of 100" in text, "PDF: overall"
    for number, title, score in rows:
        assert words(f"{number} {title} {score}") in text, f"PDF: section {number} {title} {score}"


def check_insight(assessment: Assessment, overall, sections) -> None:
    submission = Submission.objects.get(pk=assessment.pk)
    insight_overall = None if submission.overall is None else scoring.exact(submission.overall)
    assert shown(insight_overall) == shown(overall), "insight: overall"
    stored = {v.key: Fraction(v.value, v.scale) for v in Value.objects.filter(submission=submission, kind=Kind.SECTION)}
    assert stored == {k: raw for k, raw in sections.items() if raw is not None}, "insight: sections (exact)"


def check_plan(assessment: Assessment, counting: dict[str, Answer]) -> None:
    """The plan's suggested actions are for items whose counted answer is
    below the top of the scale (the default target is one step up) and that
    the library has something for; no others."""
    library = Library(assessment.version)
    left_out = {entry["key"] for entry in assessment.left_out}
    wanted = set()
    for item in Item.objects.filter(version=assessment.version).select_related("section"):
        answer = counting.get(item.key)
        if item.section.key in left_out or answer is None:
            continue
        place = item.kind.position(item.definition, answer.response)
        if place is None or place >= len(item.kind.scale(item.definition)):
            continue
        if library.suggestions_for(item.key, item.kind.value(answer.response)):
            wanted.add(item.key)
    actions = Action.objects.filter(assessment=assessment)
    got = set(actions.filter(source=ActionSource.LIBRARY).values_list("item_key", flat=True))
    assert got == wanted, "plan: suggested actions"
    dated = set(actions.filter(source=ActionSource.TARGET_DATE).values_list("item_key", flat=True))
    assert dated <= set(counting), "plan: target dates"


# --- The property --------------------------------------------------------------------


@pytest.fixture
def shipped(world):
    """The shipped instruments and the crosswalk, loaded as load_instruments would."""
    load_shipped()
    return {instrument.key: instrument for instrument in Instrument.objects.filter(key__in=SHIPPED)}


@pytest.fixture
def clients(world, api_client_for):
    admin, worker = Client(), Client()
    admin.force_login(world.admin)
    worker.force_login(world.worker)
    return {"admin": admin, "worker": worker, "api": api_client_for(world.admin)}


# About 1.5 s of work an example (the PDF and the Word chart take most of it),
# several times that on a busy shared machine; so more time than the default,
# and in proportion under `make test-explore`.
@pytest.mark.timeout(max(600, examples(EXAMPLES) * 7))
@settings(
    max_examples=examples(EXAMPLES),
    deadline=None,
    # No shrinking: an example takes about a second, and shrinking one took
    # minutes. A failure prints every draw by name, which says what was built.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_page_download_and_api_response_shows_the_same_scores(world, shipped, clients, data):
    # Each example in a savepoint that is rolled back: the next starts from the same world.
    with transaction.atomic():
        assessment, meant = build(data, world, shipped, clients["admin"])
        counting = services.answers_that_count([assessment])[assessment.pk]
        # The one function counts exactly the answers the test meant to count:
        # confirmed suggestions and answers given, not the unconfirmed
        # suggestions, nor the respondents' own answers.
        assert {key: answer.response for key, answer in counting.items()} == {
            key: Response(level=values.get("level"), option=values.get("option"), not_relevant="not_relevant" in values)
            for key, values in meant.items()
        }
        overall, sections = expected_scores(assessment)
        event("no overall score" if overall is None else "an overall score")

        check_results_page(get(clients["admin"], "readiness:results", assessment), overall, sections)
        check_history(clients["admin"], assessment, overall, sections)
        check_caseload(clients["worker"], assessment, overall)
        check_api(clients["api"], assessment, overall, sections)
        check_reports(clients["admin"], assessment, overall, sections)
        check_insight(assessment, overall, sections)
        check_plan(assessment, counting)
        transaction.set_rollback(True)
