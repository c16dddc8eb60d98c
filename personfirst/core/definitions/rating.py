"""The ``rating`` item type: pick one of a few options, each with a score,
such as Fully met (100), Partly met (50) and Not met (0).

Its scale is its options **ordered by score**, the lowest first: the order
in which a file lists them is only the order people see them in, so a
rating written worst-first means exactly what the same rating written
best-first means. That is why no two options of an item may have the same
score. Choosing an option scores its score (docs/scoring.md).

A questionnaire that gives points per answer (a care self-assessment) can
use this type as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from yaml.nodes import Node, ScalarNode

from personfirst.core.validation import Collector

from .files import Entry, NodeChecker, did_you_mean, line_of, names_of
from .items import NOT_RELEVANT_KEY, ItemDefinition, ItemType, Option, Response, Value, exact, register

MIN_OPTIONS = 2
MAX_OPTIONS = 50
MAX_SCORE = 100
MAX_OPTION_KEY = 40
MAX_LABEL = 200
OPTION_KEYS = {"key": True, "label": True, "score": True}

DEFAULT_OPTIONS = (
    Option("fully-met", "Fully met", 100),
    Option("partly-met", "Partly met", 50),
    Option("not-met", "Not met", 0),
)


@register
class Rating(ItemType):
    name = "rating"
    keys = {"options": False}
    uses = "uses options (or leave options out for Fully met, Partly met and Not met)"
    comments_by_default = True
    answer_fields = ("option",)
    numbered = False

    # -- In a definition file

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        if "options" in fields:
            return {"options": self.read_options(checker, fields["options"])}
        return {"options": DEFAULT_OPTIONS} if name is not None else {}

    def read_options(self, checker: NodeChecker, entry: Entry) -> tuple[Option, ...]:
        nodes = checker.sequence(entry, "options", "a list of options, each with key, label and score")
        if nodes is None:
            return ()
        if len(nodes) < MIN_OPTIONS:
            counted = "none" if not nodes else str(len(nodes))
            checker.problem(
                entry.line,
                f"a rating item needs at least {MIN_OPTIONS} options, but this one has {counted} "
                "(leave options out for Fully met, Partly met and Not met)",
            )
        elif len(nodes) > MAX_OPTIONS:
            checker.problem(
                entry.line, f"a rating item can have at most {MAX_OPTIONS} options, but this one has {len(nodes)}"
            )
        options: list[Option] = []
        keys: dict[str, int] = {}
        labels: dict[str, int] = {}
        scores: dict[Fraction, tuple[str | None, int]] = {}
        for option_node in nodes:
            fields = checker.fields(option_node, line_of(option_node), "this option", OPTION_KEYS)
            if fields is None:
                continue
            key = checker.key(fields.get("key"), "option", MAX_OPTION_KEY)
            if key == NOT_RELEVANT_KEY:
                checker.problem(
                    fields["key"].line,
                    f"option key '{key}' is taken by the answer everyone can give, 'Not relevant to us'; "
                    "give this option another key",
                )
            elif key is not None:
                if key in keys:
                    checker.problem(fields["key"].line, f"option key '{key}' is already used on line {keys[key]}")
                keys.setdefault(key, fields["key"].line)
            label = checker.entry_text(fields.get("label"), "label", MAX_LABEL)
            if label is not None:
                if label in labels:
                    checker.problem(
                        fields["label"].line, f"option label '{label}' is already used on line {labels[label]}"
                    )
                labels.setdefault(label, fields["label"].line)
            score = checker.number(fields["score"], "score", 0, MAX_SCORE) if "score" in fields else None
            if score is not None:
                if exact(score) in scores:
                    other, line = scores[exact(score)]
                    named = f"option '{other}'" if other else "the option"
                    checker.problem(
                        fields["score"].line,
                        f"score {score} is already the score of {named} on line {line}; give each option a score "
                        "of its own, as the scores place the options on the item's scale (lowest first)",
                    )
                scores.setdefault(exact(score), (key, fields["score"].line))
            options.append(Option(key=key, label=label, score=score))
        return tuple(options)

    def read_point(self, checker: NodeChecker, item: ItemDefinition, node: Node, where: str) -> Value | None:
        keys = [option.key for option in item.options]
        if not isinstance(node, ScalarNode) or checker.integer(node) is not None:
            shown = node.value if isinstance(node, ScalarNode) else "a list or a mapping"
            checker.problem(
                line_of(node),
                f"'{item.key}' is a rating item, so {where} lists option keys ({names_of(keys)}), not {shown}",
            )
            return None
        value = checker.text(node, line_of(node), f"an option key in {where}")
        if value is None:
            return None
        if value not in keys:
            checker.problem(
                line_of(node),
                f"'{value}' is not an option of '{item.key}'{did_you_mean(value, keys)}; "
                f"its options are: {names_of(keys)}",
            )
            return None
        return value

    def points_wanted(self, item: ItemDefinition) -> str:
        lowest = self.scale(item)[0] if item.options else "an-option-key"
        return f"a list of option keys of '{item.key}', like [{lowest}]"

    def top_phrase(self, item: ItemDefinition, value: Value) -> str:
        return f"'{value}' is the best answer to '{item.key}' (it has the highest score)"

    # -- The scale

    def ranked(self, item: ItemDefinition) -> list[Option]:
        """The options from the lowest score to the highest. (A file may not
        give two options one score; for a version stored before that rule,
        the option keys settle a tie, never the order they were listed in.)"""
        return sorted(item.options, key=lambda option: (exact(option.score), option.key))

    def scale(self, item: ItemDefinition) -> tuple[Value, ...]:
        return tuple(option.key for option in self.ranked(item))

    def value(self, response: Response | None) -> Value | None:
        return None if response is None or response.not_relevant else (response.option or None)

    def response_at(self, item: ItemDefinition, position: int) -> Response:
        scale = self.scale(item)
        if not 1 <= position <= len(scale):
            raise ValueError(f"{item.key}: there is no position {position}")
        return Response(option=scale[position - 1])

    def points(self, item: ItemDefinition) -> tuple[str, ...]:
        return tuple(option.label for option in self.ranked(item))

    # -- Scores

    def score(self, item: ItemDefinition, response: Response | None) -> Fraction | None:
        if response is None or response.not_relevant or not response.option:
            return None
        for option in item.options:
            if option.key == response.option:
                return exact(option.score)
        raise ValueError(f"{item.key}: {response.option!r} is not one of its options")

    # -- Answering

    def choices(self, item: ItemDefinition) -> list[tuple[str, str]]:
        return [(option.key, option.label) for option in item.options]

    def from_choice(self, item: ItemDefinition, choice: str) -> dict[str, Any]:
        return {"option": choice}

    def takes(self, item: ItemDefinition) -> str:
        return f"an option ({', '.join(option.key for option in item.options)})"

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        option = given.get("option")
        if option is None or option == "":
            return {}
        keys = [o.key for o in item.options]
        if option not in keys:
            problems.add(
                "option",
                f"Select one of the options ({', '.join(keys)}), or ‘Not relevant to us’; there is no option "
                f"‘{option}’.",
            )
            return {}
        return {"option": option}

    # -- In words

    def display(self, item: ItemDefinition, response: Response | None) -> str:
        if response is not None and not response.not_relevant and response.option:
            return next((o.label for o in item.options if o.key == response.option), response.option)
        return super().display(item, response)
