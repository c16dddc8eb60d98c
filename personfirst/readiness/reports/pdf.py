"""The report as a PDF (reportlab), for printing and sharing.

A4, with the chart drawn as vector graphics (charts.drawing) and every
figure also in a table. The document's title, author (the organisation)
and language are set in its metadata. Text goes through fonts.printable,
so a letter the font lacks never prints as an empty box.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import charts, fonts
from .content import Report

MARGIN = 18 * mm
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
BOTTOM_MARGIN = MARGIN + 4 * mm  # room for the footer
FRAME_PADDING = 6  # reportlab's Frame default, on each side
# The height a page has for the story (points).
PAGE_SPACE = A4[1] - MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING
# Notes and plans can be thousands of characters long, so a table row can be
# taller than a page: see FlowingTable.
SPLIT_ROW_AT_LEAST = 40


class FlowingTable(Table):
    """A table whose rows stay whole where they fit, and flow across pages
    where they do not.

    Between rows first; then, when the next row does not fit in the space
    left, inside it, with each part at least SPLIT_ROW_AT_LEAST points tall;
    and at the top of a page, where nothing would be gained by waiting for
    the next one, inside it wherever it must (the last part of a very tall
    row can be shorter than that).
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("splitInRow", SPLIT_ROW_AT_LEAST)
        super().__init__(*args, **kwargs)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts or availHeight < PAGE_SPACE - 1:
            return parts
        self.splitInRow = 1
        try:
            return super().split(availWidth, availHeight)
        finally:
            self.splitInRow = SPLIT_ROW_AT_LEAST


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts.registered()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5, textColor=BLACK, spaceAfter=5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "number": ParagraphStyle("number", parent=body, fontSize=9, leading=11.5, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=9, leading=11.5, spaceAfter=0),
        "headnum": ParagraphStyle(
            "headnum", parent=body, fontName=bold, fontSize=9, leading=11.5, spaceAfter=0, alignment=TA_RIGHT
        ),
        "caption": ParagraphStyle("caption", parent=body, fontSize=12, leading=15, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=body, fontName=bold, fontSize=22, leading=27, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6, keepWithNext=1
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "score": ParagraphStyle("score", parent=body, fontName=bold, fontSize=28, leading=32, spaceAfter=2),
    }


def _text(value: str) -> str:
    """Plain text, ready for a reportlab paragraph (which reads a little XML)."""
    return escape(fonts.printable(value or "")).replace("\n", "<br/>")


class _Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.s = _styles()
        self.story: list = []

    def p(self, text: str, style: str = "body", markup: bool = False) -> None:
        self.story.append(Paragraph(text if markup else _text(text), self.s[style]))

    def table(
        self, header: list[str] | None, rows: list[list[str]], widths: list[float], numeric=(), row_heads=False
    ) -> Table:
        """A table of plain-text cells. The header row, if any, repeats on
        every page; with ``row_heads`` the first column is bold. A row too
        tall for the space left on a page flows onto the next one."""
        cells = (
            [[Paragraph(_text(h), self.s["headnum" if i in numeric else "head"]) for i, h in enumerate(header)]]
            if header
            else []
        )
        for row in rows:
            # Each cell is a list of flowables: reportlab splits a row across pages only then.
            cells.append(
                [
                    [
                        Paragraph(
                            _text(value),
                            self.s["head" if row_heads and column == 0 else "number" if column in numeric else "cell"],
                        )
                    ]
                    for column, value in enumerate(row)
                ]
            )
        table = FlowingTable(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        first = 1 if header else 0
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 1 if header else 0.5, BLACK if header else RULE),
                    ("LINEBELOW", (0, first), (-1, -1), 0.5, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        self.story.append(table)
        self.story.append(Spacer(1, 6))
        return table

    def numbered(self, lines: list[str]) -> None:
        items = [ListItem(Paragraph(_text(line), self.s["body"])) for line in lines]
        self.story.append(
            ListFlowable(
                items, bulletType="1", bulletFormat="%s.", bulletFontName=self.s["body"].fontName, leftIndent=16
            )
        )

    def bullets(self, lines: list[str]) -> ListFlowable:
        items = [ListItem(Paragraph(line, self.s["body"])) for line in lines]
        return ListFlowable(items, bulletType="bullet", start="•", leftIndent=14)

    def build(self) -> list:
        r = self.report
        width = A4[0] - 2 * MARGIN
        self.p(r.organisation, "caption")
        self.p(r.title, "h1")
        self.table(None, r.details, [38 * mm, width - 38 * mm], row_heads=True)

        self.p("Scores", "h2")
        self.p("Overall score", "body")
        self.p(
            _text(r.overall_shown) + (' <font size="12">out of 100</font>' if r.overall is not None else ""),
            "score",
            markup=True,
        )
        if r.previous_on:
            self.p(f"Change since {r.previous_on.day} {r.previous_on:%B %Y}: {r.overall_change_shown}", "body")
        self.p("Scores by section", "h3")
        header = ["No.", "Section", "Score out of 100"]
        widths = [12 * mm, width - 12 * mm - 40 * mm, 40 * mm]
        rows = [[str(s.number), s.title, s.shown] for s in r.sections]
        if r.previous_on:
            header.append("Change")
            widths = [12 * mm, width - 12 * mm - 40 * mm - 26 * mm, 40 * mm, 26 * mm]
            rows = [row + [s.change_shown] for row, s in zip(rows, r.sections, strict=True)]
        self.table(header, rows, widths, numeric=(0, 2, 3))
        if r.has_scores:
            self.story.append(
                KeepTogether([charts.drawing(r), Paragraph(_text(charts.description(r)), self.s["small"])])
            )
            self.story.append(Spacer(1, 6))

        self.p("Strengths", "h3")
        if r.strengths:
            self.numbered([f"{s.title} ({s.shown})" for s in r.strengths])
        else:
            self.p(r.no_strengths)
        self.p("Development needs", "h3")
        if r.needs:
            self.numbered([f"{s.title} ({s.shown})" for s in r.needs])
        else:
            self.p(r.no_needs)
        if r.left_out:
            self.story.append(
                KeepTogether(
                    [
                        Paragraph("Left out", self.s["h3"]),
                        Paragraph(
                            "These sections and questions do not apply to the organisation, "
                            "so they are not in the scores:",
                            self.s["body"],
                        ),
                        self.bullets([f"<b>{_text(s.title)}</b>: {_text(s.reason)}" for s in r.left_out]),
                    ]
                )
            )
        if r.not_scored:
            self.p(
                "Sections with no score (everything marked not relevant, or not answered): "
                + ", ".join(s.title for s in r.not_scored)
                + "."
            )

        self.p("Where people saw things differently", "h2")
        if r.disagreements:
            self.p(
                "Questions where two of the people who answered on their own were two or more levels apart, "
                "and the answer that was agreed."
            )
            self.table(
                ["No.", "Question", "Answers given", "Agreed answer"],
                [[d.number, f"{d.question}\n{d.flag}", d.views_shown, d.agreed] for d in r.disagreements],
                [12 * mm, 0.42 * (width - 12 * mm), 0.36 * (width - 12 * mm), 0.22 * (width - 12 * mm)],
            )
        else:
            self.p("No question had answers two or more levels apart.")

        self.p("Action plan", "h2")
        if r.actions:
            self.table(
                ["What", "Why", "Owner", "Due", "Status"],
                [[a.title, a.why, a.owner or "Not set", a.due_shown, a.status] for a in r.actions],
                [width * 0.3, width * 0.3, width * 0.14, width * 0.13, width * 0.13],
            )
        else:
            self.p("No actions have been agreed for this assessment yet.")

        self.p("Answers and notes", "h2")
        for section in r.answers:
            self.p(section.heading, "h3")
            self.table(
                ["No.", "Question", "Agreed answer", "Score", "Notes"],
                [[i.number, i.prompt, i.answer_in_full, i.score_shown, i.notes] for i in section.items],
                [12 * mm, width * 0.26, width * 0.36, 16 * mm, width - 28 * mm - width * 0.62],
                numeric=(3,),
            )
        return self.story


def _footer(report: Report):
    regular, _bold = fonts.registered()
    left = fonts.printable(f"{report.organisation}: {report.instrument}, submitted {report.submitted_shown}")

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 10 * mm, left[:110])
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def render(report: Report) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        # The metadata is Unicode text, not drawn with the font: no need for fonts.printable.
        title=f"{report.title} for {report.organisation}",
        author=report.organisation,
        subject=f"{report.instrument_shown}, submitted {report.submitted_shown}",
        creator="PersonFirst",
        producer="PersonFirst",
        lang="en-GB",
    )
    footer = _footer(report)
    document.build(_Builder(report).build(), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
