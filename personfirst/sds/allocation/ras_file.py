"""Reading a RAS definition file (YAML) into a ``ras.Ras``, with the shared
definition-file checker (personfirst/core/definitions/files.py).

Every problem is reported as ``FILE:LINE: problem``, all of them at once,
and nothing is loaded from a file with any problem. The format is in
docs/sds.md. Amounts are written as quoted decimals ("9.50") and read as
``Decimal``, never through a float. Plain Python: no database, no HTTP.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from personfirst.core.definitions.files import (
    DefinitionFileError,
    Entry,
    NodeChecker,
    Problem,
    kind_of,
    line_of,
    read_text,
    read_yaml,
)

from .ras import Band, Domain, Question, Ras, RasError

RasFileError = DefinitionFileError
SHIPPED = Path(__file__).parent / "ras"

TOP_KEYS = {
    "ras": True,
    "version": True,
    "title": True,
    "effective_from": True,
    "price_per_point": False,
    "bands": False,
    "contingency_percent": False,
    "rounding": False,
    "ceiling_weekly": False,
    "domains": True,
}
DOMAIN_KEYS = {"key": True, "title": True, "cap": True, "carer_only": False, "questions": True}
MAX_KEY = 80
MAX_TITLE = 200
MAX_POINTS = 10_000


class RasChecker(NodeChecker):
    def pairs(self, entry: Entry, what: str) -> dict[str, Entry]:
        """A mapping whose keys are names of the file's own choosing (question and answer keys)."""
        node = entry.value
        if not isinstance(node, MappingNode):
            self.problem(entry.line, f"{what} must be a mapping (name: value pairs), but this is {kind_of(node)}")
            return {}
        if not self.first_visit(node, entry.line):
            return {}
        found: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            pair = Entry(key_node, value_node)
            name = self.text(key_node, pair.line, f"a name in {what}")
            if name is None:
                continue
            if name in found:
                self.problem(pair.line, f"duplicate key '{name}' (already given on line {found[name].line})")
                continue
            found[name] = pair
        return found

    def whole(self, entry: Entry, name: str, minimum: int = 0) -> int | None:
        value = self.integer(entry.value)
        if value is None or isinstance(value, bool) or not minimum <= value <= MAX_POINTS:
            self.problem(entry.line, f"{name} should be a whole number from {minimum} to {MAX_POINTS:,}")
            return None
        return value

    def amount(self, entry: Entry, name: str) -> Decimal | None:
        node = entry.value
        value = None
        if isinstance(node, ScalarNode) and node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int"):
            try:
                value = Decimal(node.value.strip())
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:
            self.problem(entry.line, f'{name} should be an amount of 0 or more, in pounds and pence, like "12.50"')
            return None
        return value

    def date(self, entry: Entry, name: str) -> datetime.date | None:
        node = entry.value
        try:
            return datetime.date.fromisoformat(str(node.value)) if isinstance(node, ScalarNode) else None
        except ValueError:
            pass
        self.problem(entry.line, f"{name} should be a date such as 2026-04-01")
        return None


def parse(text: str, filename: str = "<ras>") -> Ras:
    root = read_yaml(text, filename)
    if root is None:
        raise DefinitionFileError([Problem(filename, 1, "the file is empty")])
    c = RasChecker(filename)
    top = c.fields(root, line_of(root), "the RAS", TOP_KEYS)
    c.raise_problems()
    key = c.key(top.get("ras"), "ras", MAX_KEY)
    version = c.whole(top["version"], "version", 1) if "version" in top else None
    title = c.entry_text(top.get("title"), "title", MAX_TITLE)
    effective = c.date(top["effective_from"], "effective_from") if "effective_from" in top else None
    price = c.amount(top["price_per_point"], "price_per_point") if "price_per_point" in top else None
    bands: list[Band] = []
    band_nodes = (c.sequence(top["bands"], "bands", "a list of bands") or []) if "bands" in top else []
    for node in band_nodes:
        band = c.fields(node, line_of(node), "this band", {"from": True, "weekly": True})
        if band and "from" in band and "weekly" in band:
            start, weekly = c.whole(band["from"], "a band's from"), c.amount(band["weekly"], "a band's weekly")
            if start is not None and weekly is not None:
                bands.append(Band(start, weekly))
    contingency = Decimal(0)
    if "contingency_percent" in top:
        contingency = c.amount(top["contingency_percent"], "contingency_percent") or Decimal(0)
    round_to, round_up = Decimal("1.00"), True
    if "rounding" in top:
        rounding = c.fields(top["rounding"].value, top["rounding"].line, "rounding", {"to": True, "direction": False})
        if rounding and "to" in rounding:
            round_to = c.amount(rounding["to"], "rounding: to") or Decimal("1.00")
        if rounding and "direction" in rounding:
            direction = c.entry_text(rounding["direction"], "rounding: direction")
            if direction not in ("up", "nearest"):
                c.problem(rounding["direction"].line, "rounding: direction should be 'up' or 'nearest'")
            round_up = direction != "nearest"
    ceiling = c.amount(top["ceiling_weekly"], "ceiling_weekly") if "ceiling_weekly" in top else None
    domains: list[Domain] = []
    domain_keys: dict[str, int] = {}
    questions_seen: dict[str, int] = {}
    for node in c.sequence(top["domains"], "domains", "a list of domains") or []:
        domain = _domain(c, node, domain_keys, questions_seen)
        if domain is not None:
            domains.append(domain)
    c.raise_problems()
    try:
        return Ras(
            key=key,
            version=version,
            title=title,
            effective_from=effective,
            domains=tuple(domains),
            price_per_point=price,
            bands=tuple(bands),
            contingency_percent=contingency,
            round_to=round_to,
            round_up=round_up,
            ceiling_weekly=ceiling,
        )
    except RasError as error:
        raise DefinitionFileError([Problem(filename, line_of(root), str(error))]) from None


def _domain(c: RasChecker, node, domain_keys: dict[str, int], questions_seen: dict[str, int]) -> Domain | None:
    fields = c.fields(node, line_of(node), "this domain", DOMAIN_KEYS)
    if fields is None:
        return None
    key = c.key(fields.get("key"), "domain", MAX_KEY)
    if key is not None:
        if key in domain_keys:
            c.problem(fields["key"].line, f"domain key '{key}' is already used on line {domain_keys[key]}")
        domain_keys.setdefault(key, fields["key"].line)
    title = c.entry_text(fields.get("title"), "title", MAX_TITLE)
    cap = c.whole(fields["cap"], f"the cap of '{key}'") if "cap" in fields else None
    carer_only = bool(c.true_or_false(fields["carer_only"], "carer_only")) if "carer_only" in fields else False
    questions: list[Question] = []
    if "questions" in fields:
        entry = fields["questions"]
        for question_key, answers in c.pairs(entry, f"the questions of '{key}'").items():
            if question_key in questions_seen:
                first = questions_seen[question_key]
                c.problem(answers.line, f"question '{question_key}' is already priced on line {first}")
            questions_seen.setdefault(question_key, answers.line)
            points: dict[str, int] = {}
            for answer, value in c.pairs(answers, f"the answers to '{question_key}'").items():
                number = c.whole(value, f"the points for '{question_key}: {answer}'")
                if number is not None:
                    points[answer] = number
            questions.append(Question(question_key, points))
    if key and title and cap is not None:
        return Domain(key, title, cap, tuple(questions), carer_only)
    return None


def load(path: str | Path) -> Ras:
    return parse(read_text(path), str(path))
