"""Every download, read back with the library that reads that format, shows
the figures and the plan that the report page shows: the overall and
section scores to one decimal place, and each action's title, owner and
due date. Also: file names, metadata, CSV formula injection, and a PDF for
an organisation whose name has letters beyond Latin-1 and markup."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from personfirst.readiness.assessments.models import Answer
from personfirst.readiness.assessments.tests.pages import shown_overall
from personfirst.readiness.reports import csv_files, fonts

from .conftest import FILENAME, OVERALL, SECTION_SCORES, page_tables, words

pytestmark = pytest.mark.django_db


def get(world, assessment, name: str, user=None):
    client = Client()
    client.force_login(user or world.admin)
    return client.get(reverse(name, args=[assessment.organisation.slug, assessment.pk]))


@pytest.fixture
def web(world, reported):
    """What the report page shows: the overall score, the section table and the plan."""
    response = get(world, reported.assessment, "reports:report")
    tables = page_tables(response.content.decode())
    figures = {
        "overall": str(shown_overall(response)),
        "sections": tables["section-scores"],  # [No., Section, Score out of 100]
        "actions": tables["action-plan"],  # [What, Why, Owner, Due, Status]
    }
    # The page itself says what docs/scoring.md works out, so comparing with it means something.
    assert figures["overall"] == OVERALL
    assert {row[1]: row[2] for row in figures["sections"]}["Backing from the trustee board"] == "33.3"
    assert sorted(row[2] for row in figures["sections"] if row[2][0].isdigit()) == sorted(SECTION_SCORES.values())
    assert len(figures["actions"]) == 3
    return figures


def due_date(shown: str) -> datetime.date | None:
    return datetime.datetime.strptime(shown, "%d %B %Y").date() if shown != "No date set" else None


# --- Content-Disposition ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "filename", "content_type"),
    [
        ("reports:pdf", f"{FILENAME}.pdf", "application/pdf"),
        ("reports:docx", f"{FILENAME}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("reports:xlsx", f"{FILENAME}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("reports:answers-csv", f"{FILENAME}-answers.csv", "text/csv; charset=utf-8"),
        ("reports:plan-csv", f"{FILENAME}-plan.csv", "text/csv; charset=utf-8"),
    ],
)
def test_each_download_is_an_attachment_with_a_readable_name(world, reported, name, filename, content_type):
    response = get(world, reported.assessment, name)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]


# --- PDF ------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return words("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_pdf_shows_the_pages_figures_and_plan(world, reported, web):
    data = get(world, reported.assessment, "reports:pdf").content
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert f"Overall score {web['overall']} out of 100" in text
    for number, title, score in web["sections"]:
        assert f"{number} {title} {score}" in text
    for what, why, owner, due, status in web["actions"]:
        assert words(f"{what} {why} {owner} {due} {status}") in text
    assert "Development worker and trustee see this differently (3 levels apart)" in text
    assert "Direct payment support: Only for organisations that provide direct payment support" in text
    assert "A suggestion nobody has accepted" not in text


def test_the_pdf_has_a_title_author_and_language(world, reported):
    reader = PdfReader(io.BytesIO(get(world, reported.assessment, "reports:pdf").content))
    assert reader.metadata.title == "Readiness report: Personalisation health check for Eastmere Carers' Centre"
    assert reader.metadata.author == "Eastmere Carers' Centre"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_pdf_chart_is_vector_graphics(world, reported):
    """The chart is drawn, not pasted in as a picture: no image in the file,
    and its axis and bar labels are text."""
    reader = PdfReader(io.BytesIO(get(world, reported.assessment, "reports:pdf").content))
    assert all(not page.images for page in reader.pages)
    text = words("\n".join(page.extract_text() for page in reader.pages))
    assert "0 25 50 75 100 Score out of 100" in text


def test_a_pdf_for_a_name_with_welsh_letters_and_markup(world, reported):
    world.org.name = "Café Ŵelsh & Co <test>"
    world.org.save()
    response = get(world, reported.assessment, "reports:pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.author == "Café Ŵelsh & Co <test>"
    text = words("\n".join(page.extract_text() for page in reader.pages))
    assert f"Organisation {fonts.printable('Café Ŵelsh & Co <test>')}" in text
    if fonts.family().name == "DejaVu Sans":
        assert "Café Ŵelsh & Co <test>" in text
    # The other formats take it too.
    for name in ("reports:report", "reports:docx", "reports:xlsx", "reports:answers-csv"):
        assert get(world, reported.assessment, name).status_code == 200
    assert "Café Ŵelsh &amp; Co &lt;test&gt;" in get(world, reported.assessment, "reports:report").content.decode()


# --- Word -----------------------------------------------------------------------


def docx_tables(document) -> dict[tuple[str, ...], list[list[str]]]:
    """Each table with a header row, by its headings: its other rows as cell texts."""
    found = {}
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        found[tuple(rows[0])] = rows[1:]
    return found


def test_the_word_document_shows_the_pages_figures_and_plan(world, reported, web):
    document = Document(io.BytesIO(get(world, reported.assessment, "reports:docx").content))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Overall score: {web['overall']} out of 100" in paragraphs
    tables = docx_tables(document)
    assert tables[("No.", "Section", "Score out of 100")] == web["sections"]
    assert tables[("What", "Why", "Owner", "Due", "Status")] == web["actions"]
    (flag,) = tables[("No.", "Question", "Answers given", "Agreed answer")]
    assert "3 levels apart" in flag[1]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:3] == ["Readiness report: Personalisation health check", "Scores", "Scores by section"]
    assert "2. Backing from the trustee board (33.3)" in headings


def test_the_word_document_has_metadata_and_a_described_chart(world, reported):
    document = Document(io.BytesIO(get(world, reported.assessment, "reports:docx").content))
    properties = document.core_properties
    assert properties.title == "Readiness report: Personalisation health check for Eastmere Carers' Centre"
    assert properties.author == "Eastmere Carers' Centre"
    assert properties.language == "en-GB"
    (chart,) = document.inline_shapes
    description = chart._inline.docPr.get("descr")
    assert "Bar chart of the section scores" in description and "Scores by section" in description
    picture = document.part.related_parts[chart._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert picture.blob.startswith(b"\x89PNG")


# --- Excel ----------------------------------------------------------------------


def test_the_workbook_shows_the_pages_figures_and_plan(world, reported, web):
    workbook = openpyxl.load_workbook(io.BytesIO(get(world, reported.assessment, "reports:xlsx").content))
    assert workbook.sheetnames == ["Scores", "Answers", "Action plan"]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value)

    scores = workbook["Scores"]
    rows = list(scores.iter_rows(min_row=2))
    sections = [row for row in rows if isinstance(row[0].value, int)]
    shown = []
    for number, title, score, _note in ((r[0], r[1], r[2], r[3]) for r in sections):
        if score.value is None:
            shown.append([str(number.value), title.value, "Not relevant or not answered"])
        else:
            assert isinstance(score.value, int | float) and score.number_format == "0.0"
            shown.append([str(number.value), title.value, f"{score.value:.1f}"])
    assert shown == web["sections"]
    overall = next(row for row in rows if row[1].value == "Overall")
    assert f"{overall[2].value:.1f}" == web["overall"] and overall[2].number_format == "0.0"
    left_out = next(row for row in rows if row[1].value == "Direct payment support")
    assert left_out[3].value.startswith("Left out: Only for organisations")

    plan = workbook["Action plan"]
    assert [c.value for c in plan[1]] == ["What", "Why", "Owner", "Due date", "Status"]
    actions = []
    for what, _why, owner, due, status in plan.iter_rows(min_row=2):
        actions.append((what.value, owner.value or "Not set", due.value.date() if due.value else None, status.value))
    assert actions == [(a[0], a[2], due_date(a[3]), a[4]) for a in web["actions"]]

    answers = workbook["Answers"]
    header = [c.value for c in answers[1]]
    board = next(row for row in answers.iter_rows(min_row=2) if row[1].value == "2.1")
    record = dict(zip(header, board, strict=True))
    assert record["Agreed answer"].value == "Level 2 of 4"
    assert f"{record['Score'].value:.1f}" == "33.3" and record["Score"].number_format == "0.0"
    assert record["Views differ"].value.endswith("(3 levels apart)")


# --- CSV ------------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_answers_csv_has_the_section_scores(world, reported, web):
    rows = read_csv(get(world, reported.assessment, "reports:answers-csv").content)
    sections = {(r["Section number"], r["Section"], r["Section score out of 100"]) for r in rows}
    assert sections == {tuple(row) for row in web["sections"]}
    board = next(r for r in rows if r["Question number"] == "2.1")
    assert board["Score out of 100"] == "33.3"
    assert board["Notes"] == "The board has not discussed personal budgets yet.\nWendy thinks it has; Milo does not."
    assert board["Views differ"] == "Development worker and trustee see this differently (3 levels apart)"
    change = next(r for r in rows if r["Question number"] == "8.1")
    assert "ŵ and é are fine" in change["Notes"]


def test_the_plan_csv_has_the_pages_actions(world, reported, web):
    rows = read_csv(get(world, reported.assessment, "reports:plan-csv").content)
    assert [(r["What"], r["Owner"] or "Not set", r["Due date"], r["Status"]) for r in rows] == [
        (a[0], a[2], due_date(a[3]).isoformat() if due_date(a[3]) else "", a[4]) for a in web["actions"]
    ]


# --- Formula injection -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Plain text", "Plain text"),
        ("50.0", "50.0"),
        ("", ""),
    ],
)
def test_guard(value, safe):
    assert csv_files.guard(value) == safe


HYPERLINK = '=HYPERLINK("http://evil.example","Click me")'


def test_formulas_typed_into_a_plan_or_notes_stay_text(world, reported):
    action = reported.in_plan[0]
    action.title, action.owner, action.why = HYPERLINK, "@attacker", "+1+1"
    action.save()
    Answer.objects.filter(assessment=reported.assessment, respondent=None, item__key="trustee-board").update(
        notes="-2+3"
    )

    plan = read_csv(get(world, reported.assessment, "reports:plan-csv").content)
    assert (plan[0]["What"], plan[0]["Owner"], plan[0]["Why"]) == ("'" + HYPERLINK, "'@attacker", "'+1+1")
    answers = read_csv(get(world, reported.assessment, "reports:answers-csv").content)
    assert next(r for r in answers if r["Question number"] == "2.1")["Notes"] == "'-2+3"

    workbook = openpyxl.load_workbook(io.BytesIO(get(world, reported.assessment, "reports:xlsx").content))
    title = workbook["Action plan"]["A2"]
    assert title.value == HYPERLINK
    assert title.data_type == "s"  # text: a formula would read back as "f"
    note = next(row for row in workbook["Answers"].iter_rows(min_row=2) if row[1].value == "2.1")[6]
    assert (note.value, note.data_type) == ("-2+3", "s")
