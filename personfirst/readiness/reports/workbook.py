"""The report as an Excel workbook (openpyxl): three sheets, "Scores",
"Answers" and "Action plan", each with a bold header row that stays in
view when scrolling.

Scores are numbers (so they can be sorted and charted) shown to one decimal
place. The number stored is the score as shown (62.3, not 62.25), so that
a total or average worked out in Excel agrees with the report. Text is
stored as text: a note that starts with "=" stays a note and never becomes
a formula.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font

from .content import NO_SCORE, Report

ONE_DECIMAL = "0.0"
SIGNED = "+0.0;-0.0;0.0"
DATE = "d mmm yyyy"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _sheet(workbook: Workbook, title: str, header: list[str], widths: list[int], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = width
    return sheet


def _put(sheet, row: list, formats: dict[int, str] | None = None, bold: bool = False) -> None:
    """Append a row: text as text (never a formula), numbers with their format."""
    sheet.append([None] * len(row))
    index = sheet.max_row
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(index, column)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = TYPE_STRING  # openpyxl would store "=…" as a formula
            cell.alignment = WRAP
        else:
            cell.value = value
            if formats and column in formats:
                cell.number_format = formats[column]
        if bold:
            cell.font = BOLD


def render(report: Report) -> bytes:
    r = report
    workbook = Workbook()
    workbook.properties.title = f"{r.title} for {r.organisation}"
    workbook.properties.creator = r.organisation
    workbook.properties.subject = f"{r.instrument_shown}, submitted {r.submitted_shown}"
    workbook.properties.language = "en-GB"

    header = ["No.", "Section", "Score out of 100"]
    widths = [6, 48, 16]
    if r.previous_on:
        header.append(f"Change since {r.previous_on.day} {r.previous_on:%B %Y}")
        widths.append(22)
    header.append("Note")
    widths.append(44)
    scores = _sheet(workbook, "Scores", header, widths, first=True)
    strengths = {s.key: n for n, s in enumerate(r.strengths, start=1)}
    needs = {s.key: n for n, s in enumerate(r.needs, start=1)}
    formats = {3: ONE_DECIMAL, 4: SIGNED}
    for s in r.sections:
        notes = []
        if s.score is None:
            notes.append(NO_SCORE)
        if s.key in strengths:
            notes.append(f"Strength {strengths[s.key]}")
        if s.key in needs:
            notes.append(f"Development need {needs[s.key]}")
        row = [s.number, s.title, _number(s.score)]
        if r.previous_on:
            row.append(_number(s.change))
        _put(scores, [*row, "; ".join(notes)], formats)
    for s in r.left_out:
        row = [None, s.title, None] + ([None] if r.previous_on else [])
        _put(scores, [*row, f"Left out: {s.reason}"])
    overall = [None, "Overall", _number(r.overall)]
    if r.previous_on:
        overall.append(_number(r.overall_change))
    _put(scores, [*overall, "" if r.overall is not None else "No score yet"], formats, bold=True)

    answers = _sheet(
        workbook,
        "Answers",
        [
            "Section",
            "No.",
            "Question",
            "Agreed answer",
            "Statement chosen",
            "Score",
            "Notes",
            "Views differ",
            "Gap (what we say minus what people say)",
            "More about the answer",
        ],
        [32, 6, 40, 16, 60, 8, 48, 40, 14, 60],
    )
    for section in r.answers:
        for item in section.items:
            row = [section.title, item.number, item.prompt, item.answer, item.statement, _number(item.score)]
            _put(answers, [*row, item.notes, item.flag or "", item.gap, "; ".join(item.details)], {6: ONE_DECIMAL})

    plan = _sheet(workbook, "Action plan", ["What", "Why", "Owner", "Due date", "Status"], [48, 60, 22, 14, 14])
    for action in r.actions:
        _put(plan, [action.title, action.why, action.owner, action.due_date, action.status], {4: DATE})

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
