"""The report's answers and action plan as CSV files.

UTF-8 with a byte-order mark, so that Excel reads accents and other letters
correctly, and Windows line ends, as RFC 4180 asks. A cell that starts with
=, +, -, @ (or a tab or carriage return) is prefixed with an apostrophe, so
that a spreadsheet shows it as text and never runs it as a formula (CSV
formula injection).
"""

from __future__ import annotations

import csv
import io

from .content import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def answers(report: Report) -> bytes:
    """One row per question: its section and the section's score, the agreed
    answer, its score, the notes, and any flag where people's views differed."""
    rows = [
        [
            section.number,
            section.title,
            section.shown,
            item.number,
            item.prompt,
            item.answer,
            item.statement,
            item.score_shown,
            item.notes,
            item.flag or "",
            item.gap,
            "; ".join(item.details),
        ]
        for section in report.answers
        for item in section.items
    ]
    header = [
        "Section number",
        "Section",
        "Section score out of 100",
        "Question number",
        "Question",
        "Agreed answer",
        "Statement chosen",
        "Score out of 100",
        "Notes",
        "Views differ",
        "Gap (what we say minus what people say)",
        "More about the answer",
    ]
    return _csv(header, rows)


def plan(report: Report) -> bytes:
    """One row per action in the plan. Dates as 2026-03-04, which every spreadsheet reads."""
    rows = [[a.title, a.why, a.owner, a.due_date.isoformat() if a.due_date else "", a.status] for a in report.actions]
    return _csv(["What", "Why", "Owner", "Due date", "Status"], rows)
