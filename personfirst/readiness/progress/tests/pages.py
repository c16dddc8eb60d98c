"""Reading tables off a page in tests, without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    headings: list[str] = field(default_factory=list)
    attrs: list[dict[str, str]] = field(default_factory=list)  # of each body row's <tr>
    rows: list[list[str]] = field(default_factory=list)  # each body row's cell texts
    header_attrs: list[dict[str, str]] = field(default_factory=list)  # of each <th> in <thead>
    caption: str = ""

    def by(self, attribute: str) -> dict[str, list[str]]:
        """Rows keyed by an attribute of their <tr>, such as data-section."""
        return {a[attribute]: cells for a, cells in zip(self.attrs, self.rows, strict=True) if attribute in a}


class _TablesParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, Table] = {}
        self._table: Table | None = None
        self._in_head = False
        self._text: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "table" and a.get("id"):
            self._table = self.tables[a["id"]] = Table()
        if self._table is None:
            return
        if tag == "br" and self._text is not None:
            self._text.append(" ")
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self._table.attrs.append(a)
            self._table.rows.append([])
        elif tag in ("td", "th"):
            self._text = []
            if self._in_head:
                self._table.header_attrs.append(a)

    def handle_endtag(self, tag):
        if self._table is None:
            return
        if tag == "caption" and self._caption is not None:
            self._table.caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._text is not None:
            text = " ".join("".join(self._text).split())
            if self._in_head:
                self._table.headings.append(text)
            else:
                self._table.rows[-1].append(text)
            self._text = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if self._caption is not None:
            self._caption.append(data)


def tables(response_or_html) -> dict[str, Table]:
    """Every table with an id on the page."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    parser = _TablesParser()
    parser.feed(html)
    return parser.tables
