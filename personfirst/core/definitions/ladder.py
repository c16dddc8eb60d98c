"""The ``ladder`` item type: pick the one statement, from a list written
lowest first, that fits best now.

Its scale is its levels, 1 (the first listed, the lowest) to n. Choosing
level k of n scores 100 × (k − 1) ÷ (n − 1), so the lowest level scores 0
and the highest 100 (docs/scoring.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from yaml.nodes import Node, ScalarNode

from personfirst.core.validation import Collector

from .files import Entry, NodeChecker, kind_of, line_of, other_yaml_form
from .items import ItemDefinition, ItemType, Response, Value, _or, holders_of, register

MIN_LEVELS = 2
# The most levels an item can have. The API (AnswerIn.level) accepts levels
# up to MAX_LEVELS, so the loader refuses an item that would have levels
# nobody could answer.
MAX_LEVELS = 50
# A level written as a radio button's value: ASCII digits, no sign.
LEVEL_TEXT = re.compile(r"[0-9]{1,3}", re.ASCII)


@register
class Ladder(ItemType):
    name = "ladder"
    keys = {"levels": True}
    uses = "uses levels"
    answer_fields = ("level",)
    numbered = True

    # -- In a definition file

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        if "levels" in fields:
            return {"levels": self.read_levels(checker, fields["levels"], name)}
        if name is not None:
            checker.problem(
                line_of(node),
                f"this {name} item is missing required key 'levels' "
                f"(a list of at least {MIN_LEVELS} statements, lowest readiness first)",
            )
        return {}

    def read_levels(self, checker: NodeChecker, entry: Entry, name: str | None) -> tuple[str, ...]:
        what = name or _or(holders_of("levels"))
        nodes = checker.sequence(entry, "levels", "a list of statements (one per line, each starting with '- ')")
        if nodes is None:
            return ()
        if len(nodes) < MIN_LEVELS:
            counted = "none" if not nodes else str(len(nodes))
            checker.problem(entry.line, f"a {what} item needs at least {MIN_LEVELS} levels, but this one has {counted}")
        elif len(nodes) > MAX_LEVELS:
            checker.problem(
                entry.line, f"a {what} item can have at most {MAX_LEVELS} levels, but this one has {len(nodes)}"
            )
        levels: list[str] = []
        seen: dict[str, int] = {}
        for number, level_node in enumerate(nodes, start=1):
            text = checker.text(level_node, line_of(level_node), f"level {number}")
            if text is None:
                continue
            if text in seen:
                checker.problem(line_of(level_node), f"level {number} is the same as level {seen[text]}")
            seen.setdefault(text, number)
            levels.append(text)
        return tuple(levels)

    def read_point(self, checker: NodeChecker, item: ItemDefinition, node: Node, where: str) -> Value | None:
        size = len(item.levels)
        wanted = f"'{item.key}' is a {item.type} item, so {where} lists its levels as numbers from 1 to {size}"
        unclear = other_yaml_form(node) if checker.integer(node) is not None else None
        if unclear:
            checker.problem(line_of(node), f"{wanted}, but {unclear}")
            return None
        level = checker.integer(node)
        if level is None:
            shown = f"'{node.value}'" if isinstance(node, ScalarNode) else kind_of(node)
            checker.problem(line_of(node), f"{wanted}, not {shown}")
            return None
        if not 1 <= level <= size:
            checker.problem(
                line_of(node), f"{level} is not a level of '{item.key}': it has {size} levels, numbered 1 to {size}"
            )
            return None
        return level

    def points_wanted(self, item: ItemDefinition) -> str:
        return f"a list of levels of '{item.key}' (numbers from 1 to {len(item.levels)}), like [1, 2]"

    def top_phrase(self, item: ItemDefinition, value: Value) -> str:
        return f"level {value} is the highest level of '{item.key}'"

    # -- The scale

    def scale(self, item: ItemDefinition) -> tuple[Value, ...]:
        return tuple(range(1, len(item.levels) + 1))

    def value(self, response: Response | None) -> Value | None:
        return None if response is None or response.not_relevant else response.level

    def response_at(self, item: ItemDefinition, position: int) -> Response:
        if not 1 <= position <= len(item.levels):
            raise ValueError(f"{item.key}: there is no level {position}")
        return Response(level=position)

    def points(self, item: ItemDefinition) -> tuple[str, ...]:
        return tuple(item.levels)

    # -- Scores

    def score(self, item: ItemDefinition, response: Response | None) -> Fraction | None:
        if response is None or response.not_relevant or response.level is None:
            return None
        size = len(item.levels)
        if not 1 <= response.level <= size or size < MIN_LEVELS:
            raise ValueError(f"{item.key}: level {response.level} is not between 1 and {size}")
        return Fraction(100 * (response.level - 1), size - 1)

    # -- Answering

    def choices(self, item: ItemDefinition) -> list[tuple[str, str]]:
        return [(str(number), text) for number, text in enumerate(item.levels, start=1)]

    def from_choice(self, item: ItemDefinition, choice: str) -> dict[str, Any]:
        return {"level": int(choice) if LEVEL_TEXT.fullmatch(choice) else choice}

    def takes(self, item: ItemDefinition) -> str:
        return f"a level (1 to {len(item.levels)})"

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        level = given.get("level")
        if level is None:
            return {}
        size = len(item.levels)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= size:
            problems.add(
                "level",
                f"Select one of the statements (levels 1 to {size}), or ‘Not relevant to us’; "
                f"there is no level {level}.",
            )
            return {}
        return {"level": level}

    # -- In words

    def display(self, item: ItemDefinition, response: Response | None) -> str:
        if response is not None and not response.not_relevant and response.level is not None:
            return f"Level {response.level} of {len(item.levels)}"
        return super().display(item, response)

    def statement(self, item: ItemDefinition, response: Response | None) -> str:
        position = self.position(item, response)
        return item.levels[position - 1] if position is not None else ""
