"""The PDF and Word files take the longest text the forms and the instrument
files allow: long notes and plans flow across pages, and the document's
properties keep within their limits while the body keeps every word."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from personfirst.readiness.assessments.instrument_file import MAX_TITLE, MAX_VERSION
from personfirst.readiness.assessments.models import Answer
from personfirst.readiness.reports import content, pdf, word

pytestmark = pytest.mark.django_db

NOTES_LIMIT = 5000  # the answer form's and the API's notes limit


def long_text(length: int, seed: str) -> str:
    """Readable words (so that the PDF's text reads back), exactly ``length`` characters."""
    text = ""
    number = 0
    while len(text) < length:
        number += 1
        text += f"{seed}{number} "
    return text[:length].rstrip().ljust(length, "x")


def download(world, assessment, name: str):
    client = Client()
    client.force_login(world.admin)
    response = client.get(reverse(name, args=[assessment.organisation.slug, assessment.pk]))
    assert response.status_code == 200, response.content[:300]
    return response.content


def pdf_words(data: bytes) -> tuple[list[str], int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).split(), len(reader.pages)


def all_in_order(text: str, words: list[str]) -> bool:
    """Every word of ``text``, in order, among ``words`` (a cell split across pages
    is read back with the other cells of its row, and the footer, in between)."""
    remaining = iter(words)
    return all(word in remaining for word in text.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def long_report(world, reported):
    """The reported assessment with the longest text allowed everywhere a person or a file can put it."""
    version = reported.assessment.version
    version.title = long_text(MAX_TITLE, "Title")
    version.label = long_text(MAX_VERSION, "v")
    version.publisher = long_text(200, "Publisher")
    version.save()
    world.org.name = long_text(200, "Organisation")
    world.org.save()
    Answer.objects.filter(assessment=reported.assessment, respondent=None, item__key="trustee-board").update(
        notes=long_text(1200, "Comment")
    )
    Answer.objects.filter(assessment=reported.assessment, respondent=None, item__key="managing-change").update(
        notes=long_text(NOTES_LIMIT, "Note")
    )
    action = reported.in_plan[0]
    action.title = long_text(200, "What")
    action.why = long_text(2000, "Why")
    action.owner = long_text(120, "Owner")
    action.save()
    return reported


def test_a_1200_character_comment_goes_into_the_pdf_whole(world, reported):
    notes = long_text(1200, "Comment")
    Answer.objects.filter(assessment=reported.assessment, respondent=None, item__key="trustee-board").update(
        notes=notes
    )
    words, _pages = pdf_words(download(world, reported.assessment, "reports:pdf"))
    assert all_in_order(notes, words)


def test_the_longest_text_allowed_flows_across_pages_of_the_pdf(world, long_report):
    data = download(world, long_report.assessment, "reports:pdf")
    words, pages = pdf_words(data)
    assert pages > 3
    for text in (
        long_text(NOTES_LIMIT, "Note"),
        long_text(1200, "Comment"),
        long_text(2000, "Why"),
        long_text(MAX_TITLE, "Title"),
        long_text(200, "Organisation"),
    ):
        assert all_in_order(text, words)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.startswith("Readiness report: Title1")


def test_the_longest_text_allowed_fits_the_word_documents_properties(world, long_report):
    document = Document(io.BytesIO(download(world, long_report.assessment, "reports:docx")))
    properties = document.core_properties
    for value in (properties.title, properties.subject, properties.author):
        assert 0 < len(value) <= word.MAX_PROPERTY
    assert properties.title.startswith("Readiness report: Title1")
    assert properties.title.endswith("…")
    # The body keeps the full text.
    body = squeezed(
        "\n".join(
            [p.text for p in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )
    )
    for text in (
        long_text(MAX_TITLE, "Title"),
        long_text(MAX_VERSION, "v"),
        long_text(200, "Organisation"),
        long_text(NOTES_LIMIT, "Note"),
        long_text(2000, "Why"),
    ):
        assert squeezed(text) in body


def cant_split(row) -> bool:
    return row._tr.trPr is not None and row._tr.trPr.find(word.qn("w:cantSplit")) is not None


def test_a_row_with_long_text_may_split_across_word_pages(world, long_report):
    """A row taller than a page that may not split is cut off: a row with long text may split, short ones stay whole."""
    document = Document(io.BytesIO(download(world, long_report.assessment, "reports:docx")))
    rows = [row for table in document.tables for row in table.rows[1:]]
    long_rows = [row for row in rows if max(len(cell.text) for cell in row.cells) > word.KEEP_WHOLE]
    short_rows = [row for row in rows if max(len(cell.text) for cell in row.cells) <= word.KEEP_WHOLE]
    assert len(long_rows) >= 3  # the 1,200 and 5,000 character notes, the 2,000 character why
    assert not any(cant_split(row) for row in long_rows)
    assert all(cant_split(row) for row in short_rows)


@pytest.mark.parametrize("length", [0, 1, 60, 254, 255, 256, 1000])
def test_a_property_is_cut_to_the_limit_with_an_ellipsis(length):
    value = "x" * length
    cut = word.property_text(value)
    assert len(cut) <= word.MAX_PROPERTY
    assert cut == value if length <= word.MAX_PROPERTY else cut == "x" * (word.MAX_PROPERTY - 1) + "…"


def test_every_format_renders_the_longest_report(world, long_report):
    report = content.build(long_report.assessment)
    assert pdf.render(report).startswith(b"%PDF-")
    for name in ("reports:report", "reports:xlsx", "reports:answers-csv", "reports:plan-csv"):
        assert download(world, long_report.assessment, name)
