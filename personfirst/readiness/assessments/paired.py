"""The ``paired`` item type (readiness): what people who use services say,
beside what the organisation says, each rated on the item's scale.

A paired item has two statements: ``i``, in the words of a person who uses
the organisation's services ("I choose who supports me"), and ``we``, the
organisation's own ("We let people choose who supports them"). The
organisation records two ratings on the item's options (a rating scale,
placed by score as a rating's are):

- **what people tell us** (the answer's ``option``): the organisation's
  honest reading of what the people who use its services tell it (surveys,
  reviews, conversations, complaints), or what they said themselves when
  they took part in the assessment (co-production: a respondent with the
  perspective "person who uses our services" answers the same item);
- **what we say** (the answer's ``we_option``): how far the organisation
  thinks its own statement is true.

The item **scores the people's rating** (docs/scoring.md): what counts is
what people experience. The organisation's rating is kept, and the **gap**
is the organisation's score minus the people's (a positive gap: the
organisation rates itself above what people say). Both ratings are needed
unless the item is marked not relevant.

Its scale, its place on co-production flags, targets and the crosswalk are
the people's rating's, so answer once carries only that rating; the
organisation's own rating is left for it to give again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from django import forms
from yaml.nodes import Node

from personfirst.core.definitions.files import Entry, NodeChecker, line_of
from personfirst.core.definitions.items import (
    NOT_RELEVANT_KEY,
    NOT_RELEVANT_LABEL,
    AnswerChoiceField,
    ItemDefinition,
    Option,
    Response,
    exact,
    register,
)
from personfirst.core.definitions.rating import Rating
from personfirst.core.validation import Collector

from .scoring import one_decimal

MAX_STATEMENT = 500

# Unless the file lists options of its own: how true each statement is.
PAIRED_OPTIONS = (
    Option("not-true", "Not true", 0),
    Option("partly-true", "Partly true", 50),
    Option("true", "True", 100),
)

STATEMENTS = (
    ("i", "what a person who uses services says, starting 'I'"),
    ("we", "what the organisation says, starting 'We'"),
)
PEOPLE = "What people who use our services tell us"
ORGANISATION = "What we say about ourselves"


@register
class Paired(Rating):
    name = "paired"
    keys = {"i": True, "we": True, "options": False}
    uses = "uses i and we (the two statements) and, if you like, options"
    comments_by_default = True
    answer_fields = ("option", "we_option")

    # -- In a definition file

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        read: dict[str, Any] = {}
        if "options" in fields:
            read["options"] = self.read_options(checker, fields["options"])
        elif name is not None:
            read["options"] = PAIRED_OPTIONS
        settings = {}
        for key, words in STATEMENTS:
            if key in fields:
                text = checker.entry_text(fields[key], key, MAX_STATEMENT)
                if text is not None:
                    settings[key] = text
            elif name is not None:
                checker.problem(line_of(node), f"this paired item is missing required key '{key}' ({words})")
        if settings:
            read["settings"] = settings
        return read

    # -- The gap

    def option_score(self, item: ItemDefinition, option: str | None) -> Fraction | None:
        for choice in item.options:
            if option and choice.key == option:
                return exact(choice.score)
        return None

    def gap(self, item: ItemDefinition, option: str | None, we_option: str | None) -> Fraction | None:
        """The organisation's score minus the people's (positive: it rates
        itself above what people say); None unless both are given."""
        people = self.option_score(item, option)
        ours = self.option_score(item, we_option)
        return None if people is None or ours is None else ours - people

    # -- Answering

    def takes(self, item: ItemDefinition) -> str:
        return f"two options ({', '.join(option.key for option in item.options)}): option and we_option"

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        keys = [o.key for o in item.options]
        option, we_option = given.get("option"), given.get("we_option")
        if given.get("not_relevant"):
            if we_option not in (None, ""):
                problems.add("we_option", f"Choose ratings or ‘{NOT_RELEVANT_LABEL}’, not both.")
            return {}
        if option in (None, "") and we_option in (None, ""):
            return {}
        cleaned: dict[str, Any] = {}
        for field, value, whose in (
            ("option", option, "what people tell you"),
            ("we_option", we_option, "what you say"),
        ):
            if value in (None, ""):
                problems.add(field, f"Select how true it is for {whose}, as well as the other rating.")
            elif value not in keys:
                problems.add(
                    field, f"Select one of the options ({', '.join(keys)}) for {whose}; there is no option ‘{value}’."
                )
            else:
                cleaned[field] = value
        return cleaned

    # The section page: the people's rating (with "not relevant"), then the organisation's.

    def field_name(self, item: ItemDefinition, path: tuple[str, ...] = ()) -> str:
        if path == ("we_option",):
            return f"we-{item.key}"
        return super().field_name(item, path)

    def form_fields(self, item: ItemDefinition) -> dict[str, forms.Field]:
        fields = super().form_fields(item)
        people = fields[self.field_name(item)]
        people.label = f"{PEOPLE}: “{item.settings.get('i', '')}”"
        people.help_text = item.guidance
        ours = {
            self.field_name(item, ("we_option",)): AnswerChoiceField(
                label=f"{ORGANISATION}: “{item.settings.get('we', '')}”",
                choices=self.choices(item),
                widget=forms.RadioSelect,
                required=False,
            )
        }
        # The organisation's rating goes straight after the people's.
        names = list(fields)
        return {names[0]: people, **ours, **{name: fields[name] for name in names[1:]}}

    def form_initial(self, item: ItemDefinition, stored: Mapping[str, Any]) -> dict[str, Any]:
        initial = super().form_initial(item, stored)
        if stored.get("we_option"):
            initial[self.field_name(item, ("we_option",))] = stored["we_option"]
        return initial

    def form_values(self, item: ItemDefinition, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        values = super().form_values(item, cleaned)
        ours = cleaned.get(self.field_name(item, ("we_option",))) or ""
        if ours:
            values["we_option"] = ours
        return values

    # -- In words

    def answer_in_full(self, item: ItemDefinition, response: Response | None) -> str:
        if response is None or response.not_relevant or not response.option:
            return super().answer_in_full(item, response)
        return f"{PEOPLE} about “{item.settings.get('i', '')}”: {self.display(item, response)}"

    def answer_details(self, item: ItemDefinition, stored: Mapping[str, Any]) -> list[str]:
        we_option = stored.get("we_option") or ""
        if stored.get("not_relevant") or not we_option:
            return []
        label = next((o.label for o in item.options if o.key == we_option), we_option)
        lines = [f"{ORGANISATION}, “{item.settings.get('we', '')}”: {label}"]
        gap = self.gap(item, stored.get("option"), we_option)
        if gap is not None:
            lines.append(gap_words(gap))
        return lines


def gap_words(gap: Fraction | None) -> str:
    """A gap in words, for pages and downloads."""
    if gap is None:
        return "No gap to show"
    if gap > 0:
        return f"Gap: we rate ourselves {one_decimal(gap)} points above what people tell us"
    if gap < 0:
        return f"Gap: we rate ourselves {one_decimal(-gap)} points below what people tell us"
    return "No gap: we rate ourselves as people do"


def mean_gap(gaps: Iterable[Fraction | None]) -> Fraction | None:
    found = [gap for gap in gaps if gap is not None]
    return sum(found, Fraction(0)) / len(found) if found else None


def is_paired(item: ItemDefinition) -> bool:
    return item.type == Paired.name


__all__ = ["NOT_RELEVANT_KEY", "PAIRED_OPTIONS", "Paired", "gap_words", "is_paired", "mean_gap"]
