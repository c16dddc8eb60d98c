"""Instrument definition files: read one, check it, and say exactly what is wrong.

No database and no HTTP in here. docs/instruments.md describes the format
for the people who write instruments; it and this module must agree.

``parse(text, filename)`` returns an InstrumentDefinition, or raises
InstrumentFileError listing EVERY problem in the file, each formatted as
``FILE:LINE: message`` (lines count from 1).

We read the file with ``yaml.compose`` (PyYAML's safe composer), not
``yaml.safe_load``: the node tree keeps the line of every key and value, and
a mapping that gives the same key twice is still visible (safe_load quietly
keeps the last one). Where a problem is reported:

- an unknown, repeated or wrongly typed key: the line of that key;
- a wrongly typed or invalid value in a list (a level, a code): its line;
- a missing key: the first line of the mapping that lacks it;
- a YAML syntax error: the line PyYAML points at.

Optional texts that are left out become "" in the definition; rating items
that leave out ``options`` get DEFAULT_OPTIONS; ``comments`` defaults to true
for rating items and false for the others.

The generic pieces (read_yaml, NodeChecker, Entry, line_of, kind_of,
names_of, Problem, InstrumentFileError) are shared with the other files that
sit beside instruments: action libraries (plans/library_file.py) and the
crosswalk (readiness/crosswalk.py).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from personfirst.readiness.assessments.conditions import CONDITION_CHOICES

KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ITEM_TYPES = ("ladder", "rating", "milestones")
LEVEL_TYPES = ("ladder", "milestones")
MIN_LEVELS = 2
MIN_OPTIONS = 2
MAX_SCORE = 100

# Longest allowed texts, from the database columns they are stored in.
MAX_INSTRUMENT_KEY = 60
MAX_SECTION_KEY = 80
MAX_ITEM_KEY = 80
MAX_OPTION_KEY = 40
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
    "sections": True,
}
SECTION_KEYS = {"key": True, "title": True, "guidance": False, "condition": False, "items": True}
ITEM_KEYS = {
    "key": True,
    "type": True,
    "prompt": True,
    "guidance": False,
    "levels": False,  # required for ladder and milestones, not allowed for rating
    "options": False,  # rating only
    "comments": False,
}
OPTION_KEYS = {"key": True, "label": True, "score": True}

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SCALAR_KINDS = {
    _STR: "text",
    _INT: "a number",
    _FLOAT: "a number",
    _BOOL: "true/false",
    _NULL: "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}


# -- The definition -----------------------------------------------------------


@dataclass(frozen=True)
class OptionDefinition:
    key: str
    label: str
    score: int | float


DEFAULT_OPTIONS = (
    OptionDefinition("fully-met", "Fully met", 100),
    OptionDefinition("partly-met", "Partly met", 50),
    OptionDefinition("not-met", "Not met", 0),
)


@dataclass(frozen=True)
class ItemDefinition:
    key: str
    type: str
    prompt: str
    guidance: str = ""
    levels: tuple[str, ...] = ()  # ladder and milestones: lowest readiness first
    options: tuple[OptionDefinition, ...] = ()  # rating: the effective options (defaults filled in)
    comments: bool = False


@dataclass(frozen=True)
class SectionDefinition:
    key: str
    title: str
    guidance: str = ""
    condition: dict[str, list[str]] | None = None
    items: tuple[ItemDefinition, ...] = ()


@dataclass(frozen=True)
class InstrumentDefinition:
    key: str
    title: str
    version: str
    publisher: str = ""
    licence: str = ""
    description: str = ""
    sections: tuple[SectionDefinition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, with every default filled in."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: comments, layout and YAML style do not change it; wording does."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    @property
    def items(self) -> tuple[ItemDefinition, ...]:
        return tuple(item for section in self.sections for item in section.items)


# -- Problems -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    filename: str
    line: int | None  # 1-based; None when the file could not be read at all
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.filename}: {self.message}"
        return f"{self.filename}:{self.line}: {self.message}"


class InstrumentFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# -- Parsing ------------------------------------------------------------------


def read_yaml(text: str, filename: str) -> Node | None:
    """The file's YAML node tree (None for an empty file), or InstrumentFileError
    for text that is not YAML. Shared by every file format that reports problems
    by line (instruments, action libraries, the crosswalk)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context or "the file is not valid YAML"
        if error.context and error.problem:
            # PyYAML splits its message: context "expected a single document in the stream",
            # problem "but found another document"; or context "while scanning ...".
            if error.problem.startswith("but "):
                problem = f"{error.context}, {error.problem}"
            else:
                problem = f"{error.problem} ({error.context})"
        raise InstrumentFileError([Problem(filename, line, f"YAML syntax error: {problem}")]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        character = error.character if isinstance(error.character, int) else ord(error.character or "\0")
        message = f"the file contains a character YAML does not allow (U+{character:04X})"
        raise InstrumentFileError([Problem(filename, line, message)]) from None
    except RecursionError:
        raise InstrumentFileError([Problem(filename, 1, "the file is nested too deeply to read")]) from None
    if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL):
        return None
    return root


def read_text(path: str | Path) -> str:
    """A definition file's text (UTF-8, with or without a byte-order mark).
    Raises InstrumentFileError naming the file when it cannot be read."""
    filename = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InstrumentFileError(
            [Problem(filename, None, f"cannot read the file: it is not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise InstrumentFileError(
            [Problem(filename, None, f"cannot read the file: {error.strerror or error}")]
        ) from None


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


class Entry(NamedTuple):
    """One ``name: value`` pair of a mapping."""

    key: Node
    value: Node

    @property
    def line(self) -> int:
        return line_of(self.key)


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping (name: value pairs)"
    if isinstance(node, SequenceNode):
        return "a list"
    return _SCALAR_KINDS.get(node.tag, f"a value tagged {node.tag}")


def names_of(names: Mapping[str, object] | list[str]) -> str:
    return ", ".join(names)


class NodeChecker:
    """Building blocks for checking a YAML node tree: each collects problems
    (with the line they are on) and returns what it could read, or None.

    Subclasses add the methods for one file format; see _Checker below, and
    plans/library_file.py and readiness/crosswalk.py.
    """

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.visited: set[int] = set()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.filename, line, message))

    def raise_problems(self) -> None:
        """Raise InstrumentFileError with every problem found, in line order (if there are any)."""
        if self.problems:
            raise InstrumentFileError(sorted(self.problems, key=lambda problem: problem.line or 0))

    # Building blocks

    def first_visit(self, node: Node, line: int) -> bool:
        """Refuse a mapping or list reached twice through a YAML alias (and so any alias bomb)."""
        if id(node) in self.visited:
            self.problem(
                line, "this repeats an earlier part of the file with a YAML alias (*name); write it out in full"
            )
            return False
        self.visited.add(id(node))
        return True

    def fields(
        self,
        node: Node,
        line: int,
        what: str,
        spec: Mapping[str, bool],
        unknown: Callable[[str], str] | None = None,
    ) -> dict[str, Entry] | None:
        """The entries of a mapping, reporting unknown, repeated and missing keys."""
        if not isinstance(node, MappingNode):
            self.problem(line, f"{what} must be a mapping (name: value pairs), but this is {kind_of(node)}")
            return None
        if not self.first_visit(node, line):
            return None
        found: dict[str, Entry] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            entry = Entry(key_node, value_node)
            if not isinstance(key_node, ScalarNode):
                self.problem(entry.line, f"a key in {what} must be a plain name, not {kind_of(key_node)}")
                continue
            name = key_node.value
            if name in first_lines:
                self.problem(entry.line, f"duplicate key '{name}' (already given on line {first_lines[name]})")
                continue
            first_lines[name] = entry.line
            if name not in spec:
                self.problem(entry.line, unknown(name) if unknown else self.unknown_key(name, what, spec))
                continue
            found[name] = entry
        for name, required in spec.items():
            if required and name not in found and name not in first_lines:
                self.problem(line_of(node), f"{what} is missing required key '{name}'")
        return found

    @staticmethod
    def unknown_key(name: str, what: str, spec: Mapping[str, bool]) -> str:
        close = difflib.get_close_matches(name, list(spec), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown key '{name}' in {what}{hint}; allowed keys are: {names_of(spec)}"

    def text(
        self, node: Node, line: int, name: str, max_length: int | None = None, quote_hint: str | None = None
    ) -> str | None:
        """A non-empty text, stripped of leading and trailing whitespace."""
        if not isinstance(node, ScalarNode):
            self.problem(line, f"{name} must be text, but this is {kind_of(node)}")
            return None
        if node.tag == _NULL:
            self.problem(line, f"{name} has no value")
            return None
        if node.tag != _STR:
            hint = (quote_hint or 'put it in quotes, like "{value}"').format(value=node.value)
            self.problem(line, f"{name} must be text, but YAML reads {node.value} as {kind_of(node)}; {hint}")
            return None
        value = node.value.strip()
        if not value:
            self.problem(line, f"{name} is empty")
            return None
        if max_length is not None and len(value) > max_length:
            self.problem(line, f"{name} is too long: {len(value)} characters, and the most is {max_length}")
            return None
        return value

    def entry_text(self, entry: Entry | None, name: str, max_length: int | None = None, **kwargs) -> str | None:
        return None if entry is None else self.text(entry.value, entry.line, name, max_length, **kwargs)

    def key(self, entry: Entry | None, what: str, max_length: int) -> str | None:
        value = self.entry_text(entry, f"{what} key", max_length)
        if value is not None and not KEY_PATTERN.match(value):
            self.problem(
                entry.line,
                f"{what} key '{value}' must use only lowercase letters, digits and single hyphens "
                "(like 'my-key-2'), and must not start or end with a hyphen",
            )
            return None
        return value

    def sequence(self, entry: Entry, name: str, what: str) -> list[Node] | None:
        """The nodes of a list, or None (reported) when it is not a list."""
        if not isinstance(entry.value, SequenceNode):
            self.problem(entry.line, f"{name} must be {what}, but this is {kind_of(entry.value)}")
            return None
        if not self.first_visit(entry.value, entry.line):
            return None
        return list(entry.value.value)

    def integer(self, node: Node) -> int | None:
        """The whole number a scalar node holds (not true/false), or None without reporting."""
        if isinstance(node, ScalarNode) and node.tag == _INT:
            return self.constructor.construct_object(node)
        return None


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
        sections: list[SectionDefinition | None] = []
        if "sections" in fields:
            entry = fields["sections"]
            nodes = self.sequence(entry, "sections", "a list of sections")
            if nodes == []:
                self.problem(entry.line, "sections is empty: an instrument needs at least one section")
            sections = [self.section(node) for node in nodes or ()]
        return InstrumentDefinition(
            key=key,
            title=title,
            version=version,
            publisher=publisher or "",
            licence=licence or "",
            description=description or "",
            sections=tuple(sections),
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
        items: list[ItemDefinition | None] = []
        if "items" in fields:
            entry = fields["items"]
            nodes = self.sequence(entry, "items", "a list of items")
            if nodes == []:
                self.problem(entry.line, "items is empty: a section needs at least one item")
            items = [self.item(item_node) for item_node in nodes or ()]
        return SectionDefinition(key=key, title=title, guidance=guidance or "", condition=condition, items=tuple(items))

    def condition(self, entry: Entry) -> dict[str, list[str]] | None:
        fields = self.fields(
            entry.value,
            entry.line,
            "condition",
            dict.fromkeys(CONDITION_CHOICES, False),
            unknown=lambda name: f"unknown condition '{name}'; a condition can use: {names_of(CONDITION_CHOICES)}",
        )
        if fields is None:
            return None
        if not fields and not entry.value.value:
            self.problem(entry.line, f"condition is empty: give at least one of {names_of(CONDITION_CHOICES)}")
        condition: dict[str, list[str]] = {}
        for name, choices in CONDITION_CHOICES.items():
            if name not in fields:
                continue
            known = [code for code, _label in choices.choices]
            what = "service kind" if name == "provides" else "organisation type"
            codes: list[str] = []
            code_entry = fields[name]
            nodes = self.sequence(code_entry, name, f"a list of codes, like [{known[0]}]")
            if nodes == []:
                self.problem(code_entry.line, f"{name} is empty: list at least one code")
            for node in nodes or ():
                code = self.text(node, line_of(node), f"a code in {name}")
                if code is None:
                    continue
                if code not in known:
                    close = difflib.get_close_matches(code, known, n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.problem(
                        line_of(node),
                        f"unknown {what} '{code}' in {name}{hint}; the known codes are: {names_of(known)}",
                    )
                elif code in codes:
                    self.problem(line_of(node), f"'{code}' is listed twice in {name}")
                else:
                    codes.append(code)
            condition[name] = codes
        return condition

    def item(self, node: Node) -> ItemDefinition | None:
        def unknown(name: str) -> str:
            if name == "condition":
                return (
                    "a condition can only go on a section, not on an item; "
                    "put the item in a section of its own to give it a condition"
                )
            return self.unknown_key(name, "this item", ITEM_KEYS)

        fields = self.fields(node, line_of(node), "this item", ITEM_KEYS, unknown=unknown)
        if fields is None:
            return None
        key = self.key(fields.get("key"), "item", MAX_ITEM_KEY)
        if key is not None:
            if key in self.item_keys:
                self.problem(
                    fields["key"].line,
                    f"item key '{key}' is already used on line {self.item_keys[key]}; "
                    "item keys must be unique across the whole instrument",
                )
            else:
                self.item_keys[key] = fields["key"].line
        type_ = self.entry_text(fields.get("type"), "type")
        if type_ is not None and type_ not in ITEM_TYPES:
            close = difflib.get_close_matches(type_, ITEM_TYPES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(fields["type"].line, f"unknown item type '{type_}'{hint}; use one of: {names_of(ITEM_TYPES)}")
            type_ = None
        prompt = self.entry_text(fields.get("prompt"), "prompt")
        guidance = self.entry_text(fields.get("guidance"), "guidance")

        levels: tuple[str, ...] = ()
        if "levels" in fields:
            if type_ == "rating":
                self.problem(
                    fields["levels"].line,
                    "levels are only for ladder and milestones items; a rating item uses options "
                    "(or leave options out for Fully met, Partly met and Not met)",
                )
            else:
                levels = self.levels(fields["levels"], type_)
        elif type_ in LEVEL_TYPES:
            self.problem(
                line_of(node),
                f"this {type_} item is missing required key 'levels' "
                f"(a list of at least {MIN_LEVELS} statements, lowest readiness first)",
            )

        options: tuple[OptionDefinition, ...] = ()
        if "options" in fields:
            if type_ in LEVEL_TYPES:
                self.problem(fields["options"].line, f"options are only for rating items; a {type_} item uses levels")
            else:
                options = self.options(fields["options"])
        elif type_ == "rating":
            options = DEFAULT_OPTIONS

        comments = type_ == "rating"
        if "comments" in fields:
            entry = fields["comments"]
            if isinstance(entry.value, ScalarNode) and entry.value.tag == _BOOL:
                comments = self.constructor.construct_object(entry.value)
            else:
                self.problem(entry.line, f"comments must be true or false, but this is {kind_of(entry.value)}")

        return ItemDefinition(
            key=key,
            type=type_,
            prompt=prompt,
            guidance=guidance or "",
            levels=levels,
            options=options,
            comments=comments,
        )

    def levels(self, entry: Entry, type_: str | None) -> tuple[str, ...]:
        nodes = self.sequence(entry, "levels", "a list of statements (one per line, each starting with '- ')")
        if nodes is None:
            return ()
        if len(nodes) < MIN_LEVELS:
            counted = "none" if not nodes else str(len(nodes))
            self.problem(
                entry.line,
                f"a {type_ or 'ladder or milestones'} item needs at least {MIN_LEVELS} levels, "
                f"but this one has {counted}",
            )
        levels: list[str] = []
        seen: dict[str, int] = {}
        for number, node in enumerate(nodes, start=1):
            text = self.text(node, line_of(node), f"level {number}")
            if text is None:
                continue
            if text in seen:
                self.problem(line_of(node), f"level {number} is the same as level {seen[text]}")
            seen.setdefault(text, number)
            levels.append(text)
        return tuple(levels)

    def options(self, entry: Entry) -> tuple[OptionDefinition, ...]:
        nodes = self.sequence(entry, "options", "a list of options, each with key, label and score")
        if nodes is None:
            return ()
        if len(nodes) < MIN_OPTIONS:
            counted = "none" if not nodes else str(len(nodes))
            self.problem(
                entry.line,
                f"a rating item needs at least {MIN_OPTIONS} options, but this one has {counted} "
                "(leave options out for Fully met, Partly met and Not met)",
            )
        options: list[OptionDefinition] = []
        keys: dict[str, int] = {}
        labels: dict[str, int] = {}
        for node in nodes:
            fields = self.fields(node, line_of(node), "this option", OPTION_KEYS)
            if fields is None:
                continue
            key = self.key(fields.get("key"), "option", MAX_OPTION_KEY)
            if key is not None:
                if key in keys:
                    self.problem(fields["key"].line, f"option key '{key}' is already used on line {keys[key]}")
                keys.setdefault(key, fields["key"].line)
            label = self.entry_text(fields.get("label"), "label", MAX_TITLE)
            if label is not None:
                if label in labels:
                    self.problem(
                        fields["label"].line, f"option label '{label}' is already used on line {labels[label]}"
                    )
                labels.setdefault(label, fields["label"].line)
            score = self.score(fields["score"]) if "score" in fields else None
            options.append(OptionDefinition(key=key, label=label, score=score))
        return tuple(options)

    def score(self, entry: Entry) -> int | float | None:
        node = entry.value
        wanted = f"score must be a number from 0 to {MAX_SCORE}"
        if not isinstance(node, ScalarNode) or node.tag not in (_INT, _FLOAT):
            if isinstance(node, ScalarNode) and node.tag == _STR and node.style and _looks_like_number(node.value):
                self.problem(entry.line, f"{wanted}, but this is text; take the quotes off {node.value}")
            elif isinstance(node, ScalarNode) and node.tag == _STR and _looks_like_number(node.value):
                self.problem(entry.line, f"{wanted}, but YAML reads {node.value} as text; write it like 50 or 33.3")
            elif isinstance(node, ScalarNode) and node.tag == _STR:
                self.problem(entry.line, f"{wanted}, but this is text ('{node.value}')")
            else:
                self.problem(entry.line, f"{wanted}, but this is {kind_of(node)}")
            return None
        value = self.constructor.construct_object(node)
        if not (math.isfinite(value) and 0 <= value <= MAX_SCORE):
            self.problem(entry.line, f"{wanted}, but this is {node.value}")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
