"""The instrument keys beyond items' own: a section's ``weight``, the answers
offered besides an item's choices (``not_relevant``, ``dont_know``, given for
the whole instrument, a section or an item, the nearest one counting), and
an item's ``condition``.

Kept apart from instrument_file.py, which calls these; docs/instruments.md
describes them. Every problem goes to the checker with its line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from personfirst.core.definitions.files import Entry, NodeChecker
from personfirst.core.definitions.items import DONT_KNOW_KEY, ItemDefinition, item_type

from .condition_file import read_condition

# Keys an instrument, a section or an item may give (all optional).
FLAG_KEYS = {"not_relevant": False, "dont_know": False}
# Keys an item of an instrument has beyond what its type reads (read here).
ITEM_EXTRA_KEYS = {"condition": False, **FLAG_KEYS}
DEFAULTS = {"not_relevant": True, "dont_know": False}

MAX_WEIGHT = 100
WEIGHT_PLACES = 3  # decimal places a weight may have (Section.weight)


@dataclasses.dataclass(frozen=True)
class Flags:
    """Whether "Not relevant to us" and "Don't know" are offered."""

    not_relevant: bool = True
    dont_know: bool = False

    def within(self, checker: NodeChecker, fields: Mapping[str, Entry]) -> Flags:
        """These flags as a part's own keys change them."""
        found = {}
        for name in FLAG_KEYS:
            if name in fields:
                value = checker.true_or_false(fields[name], name)
                if value is not None:
                    found[name] = value
        return dataclasses.replace(self, **found)


def read_weight(checker: NodeChecker, entry: Entry) -> Fraction | None:
    """A section's weight: a number above 0 and at most MAX_WEIGHT, with at most WEIGHT_PLACES decimals."""
    value = checker.number(entry, "weight", 0, MAX_WEIGHT)
    if value is None:
        return None
    if value <= 0:
        checker.problem(entry.line, f"weight must be more than 0 (and at most {MAX_WEIGHT}), but this is 0")
        return None
    text = entry.value.value.lstrip("+")
    decimals = len(text.partition(".")[2]) if isinstance(entry.value, ScalarNode) and "e" not in text.lower() else 0
    if decimals > WEIGHT_PLACES:
        checker.problem(entry.line, f"weight can have at most {WEIGHT_PLACES} decimal places, but this is {text}")
        return None
    return Fraction(Decimal(text)) if decimals else Fraction(value)


def weight_number(weight: Fraction) -> int | float:
    """How a weight is kept in the canonical form (and JSON): 2, or 1.5."""
    return int(weight) if weight.denominator == 1 else float(Decimal(weight.numerator) / weight.denominator)


def split_item(node: Node) -> tuple[Node, dict[str, Entry]]:
    """An item's node without the keys read here, and those entries (the first of each)."""
    if not isinstance(node, MappingNode):
        return node, {}
    kept, extra = [], {}
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        if name in ITEM_EXTRA_KEYS and name not in extra:
            extra[name] = Entry(key_node, value_node)
        else:
            kept.append((key_node, value_node))
    if not extra:
        return node, {}
    return MappingNode(node.tag, kept, node.start_mark, node.end_mark, flow_style=node.flow_style), extra


def item_with_extras(
    checker: NodeChecker, item: ItemDefinition | None, extra: Mapping[str, Entry], inherited: Flags, line: int
) -> ItemDefinition | None:
    """The item with its condition and the answers it offers."""
    condition = read_condition(checker, extra["condition"]) if "condition" in extra else None
    if item is None or item.type is None:
        inherited.within(checker, extra)  # still check the values
        return item
    if not item_type(item.type).scored:
        for name in FLAG_KEYS:
            if name in extra:
                checker.problem(
                    extra[name].line,
                    f"a {item.type} question is never scored, so it offers neither ‘Not relevant’ nor ‘Don’t know’; "
                    f"take {name} off it",
                )
        return dataclasses.replace(item, condition=condition, not_relevant=False, dont_know=False)
    flags = inherited.within(checker, extra)
    if flags.dont_know and any(option.key == DONT_KNOW_KEY for option in item.options):
        checker.problem(
            extra["dont_know"].line if "dont_know" in extra else line,
            f"option key '{DONT_KNOW_KEY}' is taken by the answer ‘Don’t know’; give that option another key",
        )
    return dataclasses.replace(item, condition=condition, not_relevant=flags.not_relevant, dont_know=flags.dont_know)


def canonical(found: dict[str, Any]) -> dict[str, Any]:
    """Leave the new keys out of an instrument's canonical form while they are
    the defaults, so that the content hash of every file written before them
    stays as it was."""
    for section in found["sections"]:
        if section.get("weight") == 1:
            section.pop("weight")
        for item in section["items"]:
            if item.get("condition") is None:
                item.pop("condition", None)
            for name, default in DEFAULTS.items():
                if item.get(name) == default:
                    item.pop(name, None)
    return found
