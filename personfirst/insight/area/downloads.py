"""The area report as a spreadsheet (openpyxl) and as a PDF (reportlab):
the same figures as the page, hidden where the page hides them."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from personfirst.core.access.disclosure import EXTREMES_MINIMUM, MINIMUM

from .report import Report

HIDDEN = "Hidden"


def _cell(value):
    return HIDDEN if value is None else value


def about_lines(report: Report) -> list[str]:
    lines = [
        f"{report.instrument.title}: {report.scope.who}.",
        *report.describe_filters(),
        "Each organisation is counted once, by the assessment named above, in the area, type and size band "
        "it had when it submitted it.",
        f"Figures published as at {report.as_at}: they change only when new figures are published, after a "
        "quarter ends."
        if report.as_at
        else "No figures have been published yet.",
        f"Any figure about fewer than {MINIMUM} organisations is hidden, and so is any figure that could be "
        "worked out from others to show fewer. The lowest and highest score are shown only for "
        f"{EXTREMES_MINIMUM} organisations or more.",
        "Quartiles use linear interpolation between the nearest ranks. Scores are out of 100.",
        f"Made on {date.today():%d %B %Y} by PersonFirst.",
    ]
    if report.older:
        lines.append(
            "Some organisations are counted as they were at the end of " + ", ".join(report.older) + ": too few "
            "of them had changed since to show the change without singling someone out."
        )
    if report.joined_groups:
        lines.append("Counted only together here: " + " | ".join(report.joined_groups) + ".")
    if report.left_out:
        lines.append(
            "Organisations whose type or size band is counted together with others in their area are left out "
            "of these figures (they are in the figures for all types and sizes)."
        )
    if not report.shown:
        lines.append("No figures are shown for these filters: they would pick out too few organisations.")
    else:
        lines.append(f"Organisations counted: {report.population}.")
    return lines


SECTION_HEADINGS = [
    "No.",
    "Section",
    "Organisations",
    "Lowest",
    "Lower quartile",
    "Median",
    "Upper quartile",
    "Highest",
]


def section_rows(report: Report) -> list[list]:
    return [
        [s.number, s.title, _cell(s.n), *(_cell(v) for v in (s.minimum, s.lower, s.median, s.upper, s.maximum))]
        for s in report.sections
    ]


def item_headings(report: Report) -> list[str]:
    positions = max((i.positions for i in report.items), default=0)
    return ["No.", "Question", *(f"Step {p} (%)" for p in range(1, positions + 1)), "Not relevant or other (%)"]


def item_rows(report: Report) -> list[list]:
    positions = max((i.positions for i in report.items), default=0)
    rows = []
    for item in report.items:
        steps = []
        for cell in item.cells[:-1]:
            steps += [_cell(cell.share)] + [f"With step {cell.first}"] * (cell.span - 1)
        steps += [""] * (positions - item.positions)
        rows.append([item.number, item.title, *steps, _cell(item.cells[-1].share)])
    return rows


NEED_HEADINGS = ["Rank", "Common need", "Share of organisations (%)", "Organisations that answered"]


def need_rows(report: Report) -> list[list]:
    rows = [
        [rank, need.sentence + (f" Step {need.step}: ‘{need.statement}’" if need.statement else ""), need.share,
         need.answered]
        for rank, need in enumerate(report.needs_shown, start=1)
    ]  # fmt: skip
    rows += [["", f"‘{need.item.title}’: hidden", HIDDEN, HIDDEN] for need in report.needs_hidden]
    return rows


TREND_HEADINGS = ["Period", "Organisations", "Average overall score"]


def trend_rows(report: Report) -> list[list]:
    return [[row.label, _cell(row.organisations), _cell(row.average)] for row in report.trend]


def _title(report: Report) -> str:
    return f"Area insight: {report.scope.title}"


def xlsx(report: Report) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    about.append([_title(report)])
    about["A1"].font = Font(bold=True, size=14)
    for line in about_lines(report):
        about.append([line])
    about.column_dimensions["A"].width = 120
    for title, headings, rows in (
        ("Sections", SECTION_HEADINGS, section_rows(report)),
        ("Questions", item_headings(report), item_rows(report)),
        ("Common needs", NEED_HEADINGS, need_rows(report)),
        ("Trend", TREND_HEADINGS, trend_rows(report)),
    ):
        sheet = book.create_sheet(title)
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
        sheet.column_dimensions["B"].width = 70 if title != "Trend" else 16
        sheet.column_dimensions["A"].width = 30 if title == "Trend" else 6
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(report: Report) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_title(report),
        author="PersonFirst",
        lang="en-GB",
    )

    def table(headings: list[str], rows: list[list], widths: list[float] | None = None) -> Table:
        data = [[Paragraph(escape(str(h)), small) for h in headings]]
        data += [[Paragraph(escape(str(v)), small) for v in row] for row in rows]
        made = Table(data, colWidths=widths, repeatRows=1)
        made.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return made

    story = [Paragraph(escape(_title(report)), styles["Title"])]
    story += [Paragraph(escape(line), body) for line in about_lines(report)]
    width = landscape(A4)[0] - 30 * mm
    figure_column = (width - 107 * mm) / 6
    sections = (
        ("Scores by section", SECTION_HEADINGS, section_rows(report), [12 * mm, 95 * mm, *[figure_column] * 6]),
        ("Common development needs", NEED_HEADINGS, need_rows(report), [14 * mm, width - 84 * mm, 35 * mm, 35 * mm]),
        ("Where organisations are on each question", item_headings(report), item_rows(report), None),
        ("Average overall score over time", TREND_HEADINGS, trend_rows(report), [80 * mm, 40 * mm, 50 * mm]),
    )  # fmt: skip
    for heading, headings, rows, widths in sections:
        story += [Spacer(1, 6 * mm), Paragraph(escape(heading), styles["Heading2"]), table(headings, rows, widths)]
    document.build(story)
    return buffer.getvalue()


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx),
    "pdf": ("application/pdf", pdf),
}
