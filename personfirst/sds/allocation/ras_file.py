"""Reading a RAS definition file (YAML) into a ``ras.Ras``.

Every problem is reported as ``FILE:LINE: problem``, all of them at once,
and nothing is loaded from a file with any problem. The format is in
docs/sds.md. Plain Python: no database, no HTTP.

(When the shared definition-file checker, personfirst/core/definitions,
reaches main, this reader should move onto its NodeChecker.)
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from yaml.nodes import Node, SequenceNode

from personfirst.sds.definition_files import DefinitionFileError, Reader

from .ras import Band, Domain, Question, Ras, RasError

RasFileError = DefinitionFileError

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


def parse(text: str, filename: str = "<ras>") -> Ras:
    reader = Reader(filename)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DefinitionFileError(
            [f"{filename}:{line}: this is not valid YAML ({getattr(error, 'problem', error)})"]
        ) from None
    if root is None:
        raise DefinitionFileError([f"{filename}:1: the file is empty"])
    top = reader.mapping(root, "The RAS", TOP_KEYS)
    if top is None:
        raise DefinitionFileError(reader.problems)
    key = reader.text(top["ras"], "'ras' (its name)") if "ras" in top else None
    version = reader.integer(top["version"], "'version'", 1) if "version" in top else None
    title = reader.text(top["title"], "'title'") if "title" in top else None
    effective = None
    if "effective_from" in top:
        try:
            effective = datetime.date.fromisoformat(str(top["effective_from"].value))
        except (ValueError, TypeError):
            reader.problem(top["effective_from"], "'effective_from' should be a date such as 2026-04-01")
    price = reader.amount(top["price_per_point"], "'price_per_point'") if "price_per_point" in top else None
    bands: list[Band] = []
    if "bands" in top:
        node = top["bands"]
        if not isinstance(node, SequenceNode):
            reader.problem(node, "'bands' should be a list")
        else:
            for item in node.value:
                band = reader.mapping(item, "A band", {"from": True, "weekly": True})
                if band and "from" in band and "weekly" in band:
                    start = reader.integer(band["from"], "A band's 'from'")
                    weekly = reader.amount(band["weekly"], "A band's 'weekly'")
                    if start is not None and weekly is not None:
                        bands.append(Band(start, weekly))
    contingency = Decimal(0)
    if "contingency_percent" in top:
        contingency = reader.amount(top["contingency_percent"], "'contingency_percent'") or Decimal(0)
    round_to, round_up = Decimal("1.00"), True
    if "rounding" in top:
        rounding = reader.mapping(top["rounding"], "'rounding'", {"to": True, "direction": False})
        if rounding:
            if "to" in rounding:
                round_to = reader.amount(rounding["to"], "'rounding: to'") or Decimal("1.00")
            if "direction" in rounding:
                direction = str(rounding["direction"].value)
                if direction not in ("up", "nearest"):
                    reader.problem(rounding["direction"], "'rounding: direction' should be 'up' or 'nearest'")
                round_up = direction != "nearest"
    ceiling = reader.amount(top["ceiling_weekly"], "'ceiling_weekly'") if "ceiling_weekly" in top else None
    domains: list[Domain] = []
    if "domains" in top:
        domains = _domains(reader, top["domains"])
    if reader.problems:
        raise DefinitionFileError(reader.problems)
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
        raise DefinitionFileError([f"{filename}:{root.start_mark.line + 1}: {error}"]) from None


def _domains(reader: Reader, node: Node) -> list[Domain]:
    if not isinstance(node, SequenceNode) or not node.value:
        reader.problem(node, "'domains' should be a list of at least one domain")
        return []
    domains, keys = [], set()
    for item in node.value:
        found = reader.mapping(item, "A domain", DOMAIN_KEYS)
        if not found or any(k not in found for k in ("key", "title", "cap", "questions")):
            continue
        key = reader.text(found["key"], "A domain's 'key'")
        if key in keys:
            reader.problem(found["key"], f"The domain '{key}' is given twice")
        keys.add(key)
        title = reader.text(found["title"], "A domain's 'title'")
        cap = reader.integer(found["cap"], f"The cap of '{key}'")
        carer_only = False
        if "carer_only" in found:
            carer_only = str(found["carer_only"].value).lower() == "true"
        questions = []
        qnode = found["questions"]
        qmap = reader.mapping(qnode, f"The questions of '{key}'", {})
        for qkey_node, answers_node in qnode.value if qmap is not None else []:
            answers = reader.mapping(answers_node, f"The answers to '{qkey_node.value}'", {})
            if answers is None:
                continue
            points = {}
            for answer, value in answers.items():
                number = reader.integer(value, f"The points for '{qkey_node.value}: {answer}'")
                if number is not None:
                    points[answer] = number
            questions.append(Question(str(qkey_node.value), points))
        if key and title and cap is not None:
            domains.append(Domain(key, title, cap, tuple(questions), carer_only))
    return domains


def load(path: str | Path) -> Ras:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionFileError([f"{path}:1: cannot read the file ({error})"]) from None
    return parse(text, str(path))


SHIPPED = Path(__file__).parent / "ras"
