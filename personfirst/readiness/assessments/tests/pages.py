"""Reading the readiness pages in tests, without a browser: the form a page
would submit, and the figures a results page shows."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser


def _text(response_or_html) -> str:
    return response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()


class _FormParser(HTMLParser):
    """The fields of the page's forms as a browser would submit them (without
    any button), and the choices of each radio group."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    self.values[name] = a.get("value", "")
            elif kind in ("checkbox",):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Django starts a textarea's content with a newline that browsers drop.
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[self._textarea] else data


def form_fields(response_or_html) -> dict[str, str]:
    """What the page's form would send if submitted as it stands."""
    parser = _FormParser()
    parser.feed(_text(response_or_html))
    return parser.values


def radio_choices(response_or_html) -> dict[str, list[str]]:
    parser = _FormParser()
    parser.feed(_text(response_or_html))
    return parser.radios


class _ResultsParser(HTMLParser):
    """The overall score (#overall-score), the headings of the section table
    and each of its rows (rows with data-section) as cell texts, and the
    items of every list with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self._in_thead = False
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None
        self.overall = ""
        self._overall_depth = 0
        self.ids: set[str] = set()
        self.lists: dict[str, list[str]] = {}
        self._list: str | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "thead":
            self._in_thead = True
        if self._in_thead and tag == "th":
            self._heading = []
        if tag == "tr" and "data-section" in a:
            self._row = a["data-section"]
            self.rows[self._row] = []
        if self._row and tag in ("td", "th"):
            self._cell = []
        if tag == "p" and "pf-score__value" in a.get("class", "").split():
            self._overall_depth = 1
        elif self._overall_depth and tag != "br":
            self._overall_depth += 1
        if tag in ("ol", "ul") and a.get("id"):
            self._list = a["id"]
            self.lists[self._list] = []
        if self._list and tag == "li":
            self._item = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_thead = False
        if tag == "th" and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if self._row and tag in ("td", "th") and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr":
            self._row = None
        if self._overall_depth:
            self._overall_depth -= 1
        if tag == "li" and self._item is not None and self._list:
            self.lists[self._list].append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in ("ol", "ul"):
            self._list = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._overall_depth:
            self.overall += data
        if self._item is not None:
            self._item.append(data)


def results_page(response_or_html) -> _ResultsParser:
    parser = _ResultsParser()
    parser.feed(_text(response_or_html))
    return parser


def shown_overall(response_or_html) -> Decimal | None:
    """The overall score on a results page, or None for 'No score yet'."""
    words = results_page(response_or_html).overall.split()
    return Decimal(words[0]) if words and words[0] != "No" else None


def _number(text: str) -> Decimal | None:
    """'62.5' → 62.5, '+3.5' → 3.5, '−2.0' → −2.0, 'no change' → 0; anything else → None."""
    text = text.replace("−", "-").replace("+", "")
    if text == "no change":
        return Decimal("0.0")
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _column(response_or_html, heading: str) -> dict[str, Decimal | None]:
    page = results_page(response_or_html)
    index = page.headings.index(heading)
    return {key: _number(cells[index]) for key, cells in page.rows.items()}


def shown_sections(response_or_html) -> dict[str, Decimal | None]:
    """section key -> the score in the 'Scores by section' table (None when it has none)."""
    return _column(response_or_html, "Score out of 100")


def shown_changes(response_or_html) -> dict[str, Decimal | None]:
    """section key -> the change since the previous assessment (None when not comparable)."""
    return _column(response_or_html, "Change")
