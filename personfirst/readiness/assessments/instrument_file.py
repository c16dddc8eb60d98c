"""Instrument definition files: read one, check it, and say exactly what is wrong.

No database and no HTTP in here. docs/instruments.md describes the format
for the people who write instruments; it and this module must agree.

``parse(text, filename)`` returns an InstrumentDefinition, or raises
InstrumentFileError listing EVERY problem in the file, each formatted as
``FILE:LINE: message`` (lines count from 1).

What every definition file shares (reading strict YAML, the line of each
problem, the refusal of YAML 1.1's surprising numbers and true/false) is in
personfirst.core.definitions.files. Items are checked by their item type's
class (personfirst.core.definitions.items.read_item): ``ladder`` and
``rating`` from core, ``milestones`` from readiness.assessments.milestones.
This module checks what is an instrument's own: its top level, its sections
and their conditions.

Optional texts that are left out become "" in the definition; rating items
that leave out ``options`` get DEFAULT_OPTIONS; ``comments`` defaults to true
for rating items and false for the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from yaml.nodes import Node

from personfirst.core.definitions.files import (
    KEY_PATTERN,
    DefinitionFileError,
    Entry,
    NodeChecker,
    Problem,
    kind_of,
    line_of,
    names_of,
    other_yaml_form,
    read_text,
    read_yaml,
)
from personfirst.core.definitions.items import (
    MAX_ITEM_KEY,
    NOT_RELEVANT_KEY,
    ItemDefinition,
    holders_of,
    item_keys,
    read_item,
    type_names,
)
from personfirst.core.definitions.items import Option as OptionDefinition
from personfirst.core.definitions.ladder import MAX_LEVELS, MIN_LEVELS
from personfirst.core.definitions.rating import DEFAULT_OPTIONS, MAX_OPTION_KEY, MAX_OPTIONS, MAX_SCORE, OPTION_KEYS
from personfirst.readiness.assessments import instrument_features as features
from personfirst.readiness.assessments import milestones, paired  # noqa: F401 (registers the milestones and paired types)
from personfirst.readiness.assessments.condition_file import read_condition

# The names other modules and the tests know this module by.
InstrumentFileError = DefinitionFileError
__all__ = [
    "DEFAULT_OPTIONS",
    "KEY_PATTERN",
    "MAX_ITEM_KEY",
    "MAX_LEVELS",
    "MAX_OPTIONS",
    "MAX_OPTION_KEY",
    "MAX_SCORE",
    "MIN_LEVELS",
    "NOT_RELEVANT_KEY",
    "OPTION_KEYS",
    "Entry",
    "InstrumentFileError",
    "ItemDefinition",
    "NodeChecker",
    "OptionDefinition",
    "Problem",
    "kind_of",
    "line_of",
    "names_of",
    "other_yaml_form",
    "parse",
    "read_text",
    "read_yaml",
]

# The item types an instrument may use. Named here, not "every one registered":
# other pillars register types of their own (self-directed support's "need"),
# which a readiness instrument must refuse. A new readiness type is added here too.
ITEM_TYPES = ("ladder", "rating", "milestones", "context", "paired")
assert set(ITEM_TYPES) <= set(type_names()), "a readiness item type is not registered"
# The types whose answers are levels, lowest first (ladder and milestones).
LEVEL_TYPES = tuple(name for name in holders_of("levels") if name in ITEM_TYPES)

# The languages an instrument file may be written in (``language``; English
# unless it says otherwise). A Welsh file translates an English one: see
# readiness/assessments/languages.py.
LANGUAGES = {"en": "English", "cy": "Cymraeg (Welsh)"}

# Longest allowed texts, from the database columns they are stored in.
MAX_INSTRUMENT_KEY = 60
MAX_SECTION_KEY = 80
MAX_TITLE = 200
MAX_VERSION = 40
MAX_PUBLISHER = 200
MAX_LICENCE = 200

# Each mapping's keys: True = required, False = optional. The order is the
# order the docs list them in.
INSTRUMENT_KEYS = {
    "key": True,
    "title": True,
    "version": True,
    "publisher": False,
    "licence": False,
    "description": False,
    **features.FLAG_KEYS,
    "language": False,
    "sections": True,
}
SECTION_KEYS = {
    "key": True,
    "title": True,
    "guidance": False,
    "condition": False,
    "weight": False,
    **features.FLAG_KEYS,
    "items": True,
}
ITEM_KEYS = item_keys(ITEM_TYPES) | features.ITEM_EXTRA_KEYS


# -- The definition -----------------------------------------------------------


@dataclass(frozen=True)
class SectionDefinition:
    key: str
    title: str
    guidance: str = ""
    condition: dict[str, Any] | None = None
    items: tuple[ItemDefinition, ...] = ()
    weight: int | float = 1  # its share of the overall score (docs/scoring.md)


@dataclass(frozen=True)
class InstrumentDefinition:
    key: str
    title: str
    version: str
    publisher: str = ""
    licence: str = ""
    description: str = ""
    sections: tuple[SectionDefinition, ...] = ()
    language: str = "en"

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, with every default filled in. An item's
        ``settings`` is left out while it is empty, so that the canonical
        form (and the content hash) of every file written before item types
        had settings stays as it was."""
        found = json.loads(json.dumps(dataclasses.asdict(self)))
        if found.get("language") == "en":
            found.pop("language")  # as before languages, so English files keep their hash
        for section in found["sections"]:
            for item in section["items"]:
                if not item.get("settings"):
                    item.pop("settings", None)
        return features.canonical(found)

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: comments, layout and YAML style do not change it; wording does."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    @property
    def items(self) -> tuple[ItemDefinition, ...]:
        return tuple(item for section in self.sections for item in section.items)


# -- Parsing ------------------------------------------------------------------


def parse(text: str, filename: str) -> InstrumentDefinition:
    """Check an instrument file and return its definition, or raise InstrumentFileError."""
    root = read_yaml(text, filename)
    if root is None:
        message = "the file is empty: an instrument needs at least key, title, version and sections"
        raise InstrumentFileError([Problem(filename, 1, message)])

    checker = _Checker(filename)
    definition = checker.instrument(root)
    checker.raise_problems()
    return definition


class _Checker(NodeChecker):
    """Walks an instrument's node tree, collecting problems and building the definition.

    Each method returns what it could read (None or a partial value when
    something is wrong); the definition is only returned when there are no
    problems at all.
    """

    def __init__(self, filename: str):
        super().__init__(filename)
        self.section_keys: dict[str, int] = {}
        self.item_keys: dict[str, int] = {}
        self.flags = features.Flags()
        self.split_nodes: list[Node] = []

    # The instrument and its parts

    def instrument(self, root: Node) -> InstrumentDefinition | None:
        fields = self.fields(root, line_of(root), "the instrument", INSTRUMENT_KEYS)
        if fields is None:
            return None
        key = self.key(fields.get("key"), "instrument", MAX_INSTRUMENT_KEY)
        title = self.entry_text(fields.get("title"), "title", MAX_TITLE)
        version = self.entry_text(
            fields.get("version"), "version", MAX_VERSION, quote_hint='write the version in quotes, like "{value}"'
        )
        publisher = self.entry_text(fields.get("publisher"), "publisher", MAX_PUBLISHER)
        licence = self.entry_text(fields.get("licence"), "licence", MAX_LICENCE)
        description = self.entry_text(fields.get("description"), "description")
        self.flags = instrument_flags = features.Flags().within(self, fields)
        language = self.entry_text(fields.get("language"), "language")
        if language is not None and language not in LANGUAGES:
            self.problem(
                fields["language"].line,
                f"unknown language '{language}'; use one of: {names_of(LANGUAGES)} (leave it out for English)",
            )
            language = None
        sections: list[SectionDefinition | None] = []
        if "sections" in fields:
            entry = fields["sections"]
            nodes = self.sequence(entry, "sections", "a list of sections")
            if nodes == []:
                self.problem(entry.line, "sections is empty: an instrument needs at least one section")
            sections = []
            for node in nodes or ():
                sections.append(self.section(node))
                self.flags = instrument_flags
        return InstrumentDefinition(
            key=key,
            title=title,
            version=version,
            publisher=publisher or "",
            licence=licence or "",
            description=description or "",
            sections=tuple(sections),
            language=language or "en",
        )

    def section(self, node: Node) -> SectionDefinition | None:
        fields = self.fields(node, line_of(node), "this section", SECTION_KEYS)
        if fields is None:
            return None
        key = self.key(fields.get("key"), "section", MAX_SECTION_KEY)
        if key is not None:
            if key in self.section_keys:
                self.problem(
                    fields["key"].line, f"section key '{key}' is already used on line {self.section_keys[key]}"
                )
            else:
                self.section_keys[key] = fields["key"].line
        title = self.entry_text(fields.get("title"), "title", MAX_TITLE)
        guidance = self.entry_text(fields.get("guidance"), "guidance")
        condition = self.condition(fields["condition"]) if "condition" in fields else None
        weight = features.read_weight(self, fields["weight"]) if "weight" in fields else None
        self.flags = self.flags.within(self, fields)
        items: list[ItemDefinition | None] = []
        if "items" in fields:
            entry = fields["items"]
            nodes = self.sequence(entry, "items", "a list of items")
            if nodes == []:
                self.problem(entry.line, "items is empty: a section needs at least one item")
            items = [self.item(item_node) for item_node in nodes or ()]
        return SectionDefinition(
            key=key,
            title=title,
            guidance=guidance or "",
            condition=condition,
            items=tuple(items),
            weight=features.weight_number(weight) if weight is not None else 1,
        )

    def condition(self, entry: Entry) -> dict[str, Any] | None:
        return read_condition(self, entry)

    def item(self, node: Node) -> ItemDefinition | None:
        def unknown(name: str) -> str:
            return self.unknown_key(name, "this item", ITEM_KEYS)

        own, extra = features.split_item(node)
        self.split_nodes.append(own)  # kept alive: the alias check tells nodes apart by id()
        item = read_item(self, own, self.item_keys, types=ITEM_TYPES, unknown=unknown)
        return features.item_with_extras(self, item, extra, self.flags, line_of(node))
