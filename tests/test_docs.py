"""The docs a newcomer and an operator rely on keep their shape.

A merge once sorted docs/operations.md's lines into one table, losing the
PostgreSQL, e-mail, backups and scaling-out sections without any test
noticing. These checks are about structure only: the sections the charter
asks for are there, and every Markdown table's rows have as many cells as
its header (rows from one table landing in another break that)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"

REQUIRED_SECTIONS = {
    "operations.md": [
        "Environment variables",
        "PostgreSQL",
        "E-mail",
        "Backups",
        "Scaling out",
        "Scheduled jobs",
        "Retention",
    ],
    "architecture.md": [],
}


def _cells(line: str) -> int:
    # A table row: cells between pipes, not counting pipes escaped or inside `code`.
    text = re.sub(r"`[^`]*`", "code", line.strip()).replace("\\|", "")
    return text.strip("|").count("|") + 1


def tables(text: str):
    """(line number, header cells, row line number, row cells) for each table row."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if lines[index].startswith("|") and index + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$", lines[index + 1]):
            header = _cells(lines[index])
            row = index + 2
            while row < len(lines) and lines[row].startswith("|"):
                yield index + 1, header, row + 1, _cells(lines[row])
                row += 1
            index = row
        else:
            index += 1


@pytest.mark.parametrize("name", sorted(path.name for path in DOCS.glob("*.md")))
def test_every_table_row_has_its_headers_cells(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    wrong = [
        f"docs/{name}:{row}: {cells} cells under the header of line {start} ({header} cells)"
        for start, header, row, cells in tables(text)
        if cells != header
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("name", "sections"), sorted(REQUIRED_SECTIONS.items()))
def test_the_sections_operators_need_are_there(name, sections):
    headings = {match.group(1).strip() for match in re.finditer(r"^#+ (.+)$", (DOCS / name).read_text(), re.MULTILINE)}
    missing = [section for section in sections if section not in headings]
    assert not missing, f"docs/{name} has lost its sections: {missing}"


def test_the_table_check_finds_rows_from_another_table():
    text = "| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n| `x` | y |\n"
    assert [(row, cells) for _start, _header, row, cells in tables(text)] == [(3, 3), (4, 2)]
