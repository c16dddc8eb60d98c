"""The ``need`` item type (self-directed support): pick the one answer that
fits best, from options listed from the least need to the most, such as
"I do this on my own" ... "Someone needs to do it with me every time".

Its scale is its options in the order the file lists them (least need
first): that order is what "more need" means, and the RAS checks that its
points never fall along it (questionnaire.check_against). The options carry
no score or points here: the points are the RAS's, versioned on their own,
and never shown to the person as a score. Every question must be answered:
there is no "not relevant" (a question that may not apply says so in its
first option, such as "None, or this does not apply to me").

Registered with the shared item-type registry (personfirst/core/definitions)
when this module is imported (selfassessment's AppConfig.ready and
questionnaire.py do).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from yaml.nodes import Node

from personfirst.core.definitions.files import Entry, NodeChecker, line_of
from personfirst.core.definitions.items import NOT_RELEVANT_KEY, ItemDefinition, Option, Response, Value, register
from personfirst.core.definitions.rating import MAX_LABEL, MAX_OPTION_KEY, MAX_OPTIONS, MIN_OPTIONS, Rating
from personfirst.core.validation import Collector, Invalid

OPTION_KEYS = {"key": True, "label": True}


@register
class Need(Rating):
    name = "need"
    keys = {"options": True}
    uses = "uses options, from the least need to the most (no scores: the points are the RAS's)"
    comments_by_default = False

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        if "options" not in fields:
            return {}
        entry = fields["options"]
        nodes = checker.sequence(entry, "options", "a list of options, each with key and label, least need first")
        if nodes is None:
            return {"options": ()}
        if not MIN_OPTIONS <= len(nodes) <= MAX_OPTIONS:
            checker.problem(
                entry.line, f"a need item needs {MIN_OPTIONS} to {MAX_OPTIONS} options, but this one has {len(nodes)}"
            )
        options: list[Option] = []
        keys: dict[str, int] = {}
        for position, option_node in enumerate(nodes):
            option_fields = checker.fields(option_node, line_of(option_node), "this option", OPTION_KEYS)
            if option_fields is None:
                continue
            key = checker.key(option_fields.get("key"), "option", MAX_OPTION_KEY)
            if key == NOT_RELEVANT_KEY:
                checker.problem(option_fields["key"].line, f"option key '{key}' is kept for other item types")
            elif key is not None:
                if key in keys:
                    checker.problem(
                        option_fields["key"].line, f"option key '{key}' is already used on line {keys[key]}"
                    )
                keys.setdefault(key, option_fields["key"].line)
            label = checker.entry_text(option_fields.get("label"), "label", MAX_LABEL)
            # The position is the scale (least need first); it is not a score.
            options.append(Option(key=key, label=label, score=position))
        return {"options": tuple(options)}

    def ranked(self, item: ItemDefinition) -> list[Option]:
        return list(item.options)

    def score(self, item: ItemDefinition, response: Response | None) -> Fraction | None:
        return None  # points are the RAS's, not the questionnaire's

    def top_phrase(self, item: ItemDefinition, value: Value) -> str:
        return f"'{value}' is the answer showing the most need for '{item.key}'"

    def clean(self, item: ItemDefinition, given: Mapping[str, Any]) -> dict[str, Any]:
        if given.get("not_relevant"):
            raise Invalid.one("not_relevant", "Every question needs an answer: choose the one that fits best.")
        option = given.get("option")
        if option is None or option == "":
            raise Invalid.one("option", "Select the answer that fits best")
        return super().clean(item, given)

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        option = given.get("option")
        keys = [o.key for o in item.options]
        if option not in keys:
            problems.add("option", f"‘{option}’ is not one of the answers to ‘{item.key}’ ({', '.join(keys)}).")
            return {}
        return {"option": option}
