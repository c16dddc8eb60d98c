"""The report as a Word document (python-docx), for organisations to edit
and fold into their own papers: real headings, real tables with a header
row that repeats on every page, and the title, author and language set.

The chart is a PNG picture (charts.png, drawn with Pillow: no system
libraries needed) with alternative text, followed by the table of the same
figures, which is what a screen reader reads and what someone editing the
document can change.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import charts
from .content import Report

LANGUAGE = "en-GB"
# Word's core properties (title, subject, author...) hold at most 255
# characters; the document's body always keeps the full text.
MAX_PROPERTY = 255
# A table row with no more text than this in any cell stays on one page; a
# longer one (long notes, a long plan) may break across pages, as a row taller
# than a page that may not break is cut off.
KEEP_WHOLE = 500


def property_text(value: str) -> str:
    """A text for a core property: cut to MAX_PROPERTY characters, the cut marked with an ellipsis."""
    value = value or ""
    if len(value) <= MAX_PROPERTY:
        return value
    return value[: MAX_PROPERTY - 1].rstrip() + "…"


def _set_language(document) -> None:
    """The proofing language of the normal style (so Word checks British spelling)."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _table(document, header: list[str] | None, rows: list[list[str]], widths=None, numeric=(), row_heads=False):
    table = document.add_table(rows=0, cols=len(rows[0]) if rows else len(header or []))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if header:
        cells = table.add_row().cells
        _repeat_header(table.rows[-1])
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        if max((len(text or "") for text in row), default=0) <= KEEP_WHOLE:
            _no_split(table.rows[-1])
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            lines = (text or "").split("\n")
            paragraph = cell.paragraphs[0]
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = row_heads and column == 0
                if index < len(lines) - 1:
                    run.add_break()
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()
    return table


def _picture(document, data: bytes, width_cm: float, description: str) -> None:
    document.add_picture(io.BytesIO(data), width=Cm(width_cm))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", description)
    inline.docPr.set("title", "Section scores")


def render(report: Report) -> bytes:
    r = report
    document = Document()
    properties = document.core_properties
    properties.title = property_text(f"{r.title} for {r.organisation}")
    properties.author = property_text(r.organisation)
    properties.subject = property_text(f"{r.instrument_shown}, submitted {r.submitted_shown}")
    properties.language = LANGUAGE
    properties.comments = "Made with PersonFirst."
    _set_language(document)
    document.styles["Normal"].font.size = Pt(11)

    document.add_paragraph(r.organisation)
    document.add_heading(r.title, level=0)
    _table(document, None, r.details, widths=[4, 12], row_heads=True)

    document.add_heading("Scores", level=1)
    overall = document.add_paragraph("Overall score: ")
    overall.add_run(r.overall_shown).bold = True
    if r.overall is not None:
        overall.add_run(" out of 100")
    if r.previous_on:
        document.add_paragraph(f"Change since {r.previous_on.day} {r.previous_on:%B %Y}: {r.overall_change_shown}")
    document.add_heading("Scores by section", level=2)
    header = ["No.", "Section", "Score out of 100"]
    rows = [[str(s.number), s.title, s.shown] for s in r.sections]
    widths = [1.4, 10.6, 3.5]
    if r.previous_on:
        header.append("Change")
        rows = [row + [s.change_shown] for row, s in zip(rows, r.sections, strict=True)]
        widths = [1.4, 8.6, 3.2, 2.8]
    _table(document, header, rows, widths=widths, numeric=(0, 2, 3))
    if r.has_scores:
        _picture(document, charts.png(r), 16, charts.description(r))

    # Numbered by hand: Word's list numbering would carry on from one list to the next.
    document.add_heading("Strengths", level=2)
    for number, s in enumerate(r.strengths, start=1):
        document.add_paragraph(f"{number}. {s.title} ({s.shown})")
    if not r.strengths:
        document.add_paragraph(r.no_strengths)
    document.add_heading("Development needs", level=2)
    for number, s in enumerate(r.needs, start=1):
        document.add_paragraph(f"{number}. {s.title} ({s.shown})")
    if not r.needs:
        document.add_paragraph(r.no_needs)
    if r.left_out:
        document.add_heading("Left out", level=2)
        document.add_paragraph(
            "These sections and questions do not apply to the organisation, so they are not in the scores:"
        )
        for s in r.left_out:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(s.title).bold = True
            item.add_run(f": {s.reason}")
    if r.not_scored:
        document.add_paragraph(
            "Sections with no score (everything marked not relevant, or not answered): "
            + ", ".join(s.title for s in r.not_scored)
            + "."
        )

    document.add_heading("Where people saw things differently", level=1)
    if r.disagreements:
        document.add_paragraph(
            "Questions where two of the people who answered on their own were two or more levels apart, "
            "and the answer that was agreed."
        )
        _table(
            document,
            ["No.", "Question", "Answers given", "Agreed answer"],
            [[d.number, f"{d.question}\n{d.flag}", d.views_shown, d.agreed] for d in r.disagreements],
            widths=[1.4, 6.4, 5.2, 3],
        )
    else:
        document.add_paragraph("No question had answers two or more levels apart.")

    document.add_heading("Action plan", level=1)
    if r.actions:
        _table(
            document,
            ["What", "Why", "Owner", "Due", "Status"],
            [[a.title, a.why, a.owner or "Not set", a.due_shown, a.status] for a in r.actions],
            widths=[4.6, 4.6, 2.4, 2.4, 2],
        )
    else:
        document.add_paragraph("No actions have been agreed for this assessment yet.")

    document.add_heading("Answers and notes", level=1)
    for section in r.answers:
        document.add_heading(section.heading, level=2)
        _table(
            document,
            ["No.", "Question", "Agreed answer", "Score", "Notes"],
            [[i.number, i.prompt, i.answer_in_full, i.score_shown, i.notes] for i in section.items],
            widths=[1.2, 4.2, 5.4, 1.6, 3.8],
            numeric=(3,),
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
