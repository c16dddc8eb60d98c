"""The ``context`` item type: a question asked for context only, never scored.

Such as "Which area do you mainly work in?" (one of a few options) or "Who
is your main contact for this check?" (a short written answer). Its answer
is recorded and shown on check-answers and results pages and in downloads,
but it has no score, no place on a scale (so no plan suggestions, no
co-production flags, no area figures), and an unanswered context question
does not hold up progress.

In a file it has either ``options`` (each a key and a label, no score) or
``max_length`` (a written answer of at most that many characters; leave both
out for a written answer of at most DEFAULT_LENGTH). It never offers "Not
relevant to us" or "Don't know": a question that is not scored can be left
blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django import forms
from yaml.nodes import Node

from personfirst.core.validation import Collector

from .files import Entry, NodeChecker, line_of
from .items import (
    DONT_KNOW_KEY,
    NOT_RELEVANT_KEY,
    AnswerChoiceField,
    ItemDefinition,
    ItemType,
    Option,
    Response,
    Value,
    register,
)

MAX_LENGTH = 1000  # the longest written answer any context question takes (Answer.text)
DEFAULT_LENGTH = 200
MAX_CONTEXT_OPTIONS = 50
OPTION_KEYS = {"key": True, "label": True}


@register
class Context(ItemType):
    name = "context"
    keys = {"options": False, "max_length": False}
    uses = "uses options (each a key and a label) or max_length"
    comments_by_default = False
    answer_fields = ("option", "text")
    numbered = False
    scored = False

    # -- In a definition file

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        if "options" in fields and "max_length" in fields:
            checker.problem(
                fields["max_length"].line,
                "a context question has options or a written answer (max_length), not both",
            )
        if "options" in fields:
            return {"options": self.read_options(checker, fields["options"])}
        length = DEFAULT_LENGTH
        if "max_length" in fields:
            found = checker.number(fields["max_length"], "max_length", 1, MAX_LENGTH)
            if isinstance(found, float):
                checker.problem(fields["max_length"].line, f"max_length must be a whole number, but this is {found}")
            elif found is not None:
                length = found
        return {"settings": {"max_length": length}} if name is not None else {}

    def read_options(self, checker: NodeChecker, entry: Entry) -> tuple[Option, ...]:
        nodes = checker.sequence(entry, "options", "a list of options, each with key and label")
        if nodes is None:
            return ()
        if len(nodes) < 2:
            checker.problem(entry.line, "a context question needs at least 2 options (or leave options out)")
        elif len(nodes) > MAX_CONTEXT_OPTIONS:
            checker.problem(entry.line, f"a context question can have at most {MAX_CONTEXT_OPTIONS} options")
        options = []
        keys: dict[str, int] = {}
        for option_node in nodes:
            fields = checker.fields(option_node, line_of(option_node), "this option", OPTION_KEYS)
            if fields is None:
                continue
            key = checker.key(fields.get("key"), "option", 40)
            if key in (NOT_RELEVANT_KEY, DONT_KNOW_KEY):
                checker.problem(fields["key"].line, f"option key '{key}' is kept for the service; give it another key")
            elif key is not None:
                if key in keys:
                    checker.problem(fields["key"].line, f"option key '{key}' is already used on line {keys[key]}")
                keys.setdefault(key, fields["key"].line)
            label = checker.entry_text(fields.get("label"), "label", 200)
            options.append(Option(key=key, label=label, score=0))
        return tuple(options)

    def points_wanted(self, item: ItemDefinition) -> str:
        return "nothing: a context question is never scored"

    # -- No scale, no score

    def value(self, response: Response | None) -> Value | None:
        return None if response is None else (response.option or None)

    def score(self, item: ItemDefinition, response: Response | None) -> Fraction | None:
        return None

    # -- Answering

    @staticmethod
    def max_length(item: ItemDefinition) -> int | None:
        """The longest written answer, or None for a question with options."""
        return None if item.options else int(item.settings.get("max_length", DEFAULT_LENGTH))

    def choices(self, item: ItemDefinition) -> list[tuple[str, str]]:
        return [(option.key, option.label) for option in item.options]

    def from_choice(self, item: ItemDefinition, choice: str) -> dict[str, Any]:
        return {"option": choice}

    def takes(self, item: ItemDefinition) -> str:
        if item.options:
            return f"an option ({', '.join(option.key for option in item.options)})"
        return "a written answer"

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        option, text = given.get("option"), given.get("text")
        limit = self.max_length(item)
        if limit is None:
            if text not in (None, ""):
                problems.add("text", f"This question takes {self.takes(item)}, not a written answer.")
                return {}
            if option in (None, ""):
                return {}
            keys = [o.key for o in item.options]
            if option not in keys:
                problems.add("option", f"Select one of the options ({', '.join(keys)}); there is no option ‘{option}’.")
                return {}
            return {"option": option}
        if option not in (None, ""):
            problems.add("option", "This question takes a written answer, not an option.")
            return {}
        if text is None:
            return {}
        if not isinstance(text, str):
            problems.add("text", "Your answer must be text.")
            return {}
        text = text.strip()
        if len(text) > limit:
            problems.add("text", f"Your answer must be {limit:,} characters or fewer")
            return {}
        return {"text": text}

    def form_fields(self, item: ItemDefinition) -> dict[str, forms.Field]:
        limit = self.max_length(item)
        if limit is None:
            field: forms.Field = AnswerChoiceField(
                label=item.prompt,
                help_text=item.guidance,
                choices=self.choices(item),
                widget=forms.RadioSelect,
                required=False,
            )
        else:
            # The service checks the length (clean_answer); the browser is told it too.
            widget = forms.TextInput if limit <= 200 else forms.Textarea(attrs={"rows": 3})
            field = forms.CharField(label=item.prompt, help_text=item.guidance, required=False, widget=widget)
            field.widget.attrs["maxlength"] = limit
        return {self.field_name(item): field}

    def field_name(self, item: ItemDefinition, path: tuple[str, ...] = ()) -> str:
        return f"item-{item.key}"

    def form_initial(self, item: ItemDefinition, stored: Mapping[str, Any]) -> dict[str, Any]:
        value = stored.get("option") or stored.get("text") or ""
        return {self.field_name(item): value} if value else {}

    def form_values(self, item: ItemDefinition, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        given = cleaned.get(self.field_name(item)) or ""
        if not given:
            return {}
        return {"text": given} if self.max_length(item) is not None else {"option": given}

    # -- In words

    def display(self, item: ItemDefinition, response: Response | None) -> str:
        if response is not None and response.option:
            return next((o.label for o in item.options if o.key == response.option), response.option)
        if response is not None and response.text:
            return response.text
        return "Not answered"

    def answer_in_full(self, item: ItemDefinition, response: Response | None) -> str:
        return self.display(item, response)
