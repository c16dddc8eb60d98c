"""Reading a ``condition:`` (of a section or an item) from an instrument file.

The grammar is described in readiness/assessments/conditions.py and
docs/instruments.md. Every problem goes to the checker with its line, so
that the file's author reads ``FILE:LINE: problem``.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node

from personfirst.core.definitions.files import Entry, NodeChecker, did_you_mean, kind_of, line_of, names_of

from .conditions import (
    AT_LEAST,
    AT_MOST,
    CONDITION_CHOICES,
    CONDITION_KEYS,
    COUNTS,
    MAX_COUNT,
    MAX_DEPTH,
    NOT,
    SIZE,
)

WHAT_CODES = {"provides": "service kind", "organisation_type": "organisation type", SIZE: "size band"}
COUNT_KEYS = {AT_LEAST: False, AT_MOST: False}


def read_condition(checker: NodeChecker, entry: Entry, depth: int = 0) -> dict[str, Any] | None:
    """The condition under ``entry`` (a ``condition:``, or one inside any/all/not), checked."""
    return _mapping(checker, entry.value, entry.line, "condition", depth)


def _mapping(checker: NodeChecker, node: Node, line: int, what: str, depth: int) -> dict[str, Any] | None:
    fields = checker.fields(
        node,
        line,
        what,
        dict.fromkeys(CONDITION_KEYS, False),
        unknown=lambda name: (
            f"unknown condition '{name}'{did_you_mean(name, CONDITION_KEYS)}; "
            f"a condition can use: {names_of(list(CONDITION_KEYS))}"
        ),
    )
    if fields is None:
        return None
    if not fields and isinstance(node, MappingNode) and not node.value:
        checker.problem(line, f"{what} is empty: give at least one of {names_of(list(CONDITION_KEYS))}")
        return None
    condition: dict[str, Any] = {}
    for name in CONDITION_KEYS:  # stored in a fixed order, whatever the file's
        if name not in fields:
            continue
        field = fields[name]
        if name in CONDITION_CHOICES:
            condition[name] = _codes(checker, name, field)
        elif name in COUNTS:
            condition[name] = _count(checker, name, field)
        elif depth >= MAX_DEPTH:
            checker.problem(
                field.line,
                f"conditions are nested too deeply: {name} is inside {depth} levels of any, all and not, "
                f"and the most is {MAX_DEPTH}",
            )
            condition[name] = None
        elif name == NOT:
            condition[name] = _mapping(checker, field.value, field.line, "not", depth + 1)
        else:
            condition[name] = _list(checker, name, field, depth + 1)
    return condition


def _codes(checker: NodeChecker, name: str, entry: Entry) -> list[str]:
    known = [code for code, _label in CONDITION_CHOICES[name].choices]
    codes: list[str] = []
    nodes = checker.sequence(entry, name, f"a list of codes, like [{known[0]}]")
    if nodes == []:
        checker.problem(entry.line, f"{name} is empty: list at least one code")
    for node in nodes or ():
        code = checker.text(node, line_of(node), f"a code in {name}")
        if code is None:
            continue
        if code not in known:
            checker.problem(
                line_of(node),
                f"unknown {WHAT_CODES[name]} '{code}' in {name}{did_you_mean(code, known)}; "
                f"the known codes are: {names_of(known)}",
            )
        elif code in codes:
            checker.problem(line_of(node), f"'{code}' is listed twice in {name}")
        else:
            codes.append(code)
    return codes


def _count(checker: NodeChecker, name: str, entry: Entry) -> dict[str, int]:
    if not isinstance(entry.value, MappingNode):
        checker.problem(
            entry.line,
            f"{name} must be a mapping with at_least and/or at_most, like {{at_least: 1}}, "
            f"but this is {kind_of(entry.value)}",
        )
        return {}
    fields = checker.fields(entry.value, entry.line, name, COUNT_KEYS)
    if fields is None:
        return {}
    if not fields:
        if not entry.value.value:
            checker.problem(entry.line, f"{name} is empty: give at_least, at_most or both")
        return {}
    bounds: dict[str, int] = {}
    for bound in COUNT_KEYS:
        if bound not in fields:
            continue
        value = checker.number(fields[bound], f"{bound} in {name}", 0, MAX_COUNT)
        if value is None:
            continue
        if not isinstance(value, int):
            checker.problem(fields[bound].line, f"{bound} in {name} must be a whole number, but this is {value}")
            continue
        bounds[bound] = value
    if AT_LEAST in bounds and AT_MOST in bounds and bounds[AT_LEAST] > bounds[AT_MOST]:
        checker.problem(
            fields[AT_MOST].line,
            f"at_most ({bounds[AT_MOST]}) is less than at_least ({bounds[AT_LEAST]}) in {name}, "
            "so no organisation could meet it",
        )
    return bounds


def _list(checker: NodeChecker, name: str, entry: Entry, depth: int) -> list[dict[str, Any] | None]:
    nodes = checker.sequence(entry, name, "a list of conditions, each a mapping like {provides: [advocacy]}")
    if nodes == []:
        checker.problem(entry.line, f"{name} is empty: list at least one condition")
    return [_mapping(checker, node, line_of(node), f"a condition in {name}", depth) for node in nodes or ()]
