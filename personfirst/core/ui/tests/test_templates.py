"""Template mistakes that render as visible text instead of failing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
TEMPLATES = sorted(path for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")) + sorted(
    path for directory in TEMPLATE_DIRS for path in directory.rglob("*.txt")
)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_comment_spans_lines(path):
    """Django's {# #} comment is one line only; across lines it is shown on the page."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        for opening in re.finditer(r"\{#", line):
            assert "#}" in line[opening.end() :], f"{path}:{number}: use {{% comment %}} for a comment over lines"


def test_the_home_page_shows_no_template_syntax(client, db):
    html = client.get("/").content.decode()
    assert "{#" not in html and "{%" not in html
