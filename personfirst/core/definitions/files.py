"""Reading definition files: strict YAML, every problem reported as FILE:LINE.

PersonFirst is configured by plain-text files that councils and charities
write themselves: readiness instruments, action libraries, the crosswalk,
and (to come) care questionnaires and RAS tables. This module is what they
share, and knows nothing of any one format: no database and no HTTP.

We read a file with ``yaml.compose`` (PyYAML's safe composer), not
``yaml.safe_load``: the node tree keeps the line of every key and value, and
a mapping that gives the same key twice is still visible (safe_load quietly
keeps the last one). ``NodeChecker`` has the building blocks a format's
checker is made of; each collects problems, with the line they are on, and
returns what it could read. ``raise_problems`` then raises
``DefinitionFileError`` listing every problem in the file, each formatted as
``FILE:LINE: message`` (lines count from 1). Where a problem is reported:

- an unknown, repeated or wrongly typed key: the line of that key;
- a wrongly typed or invalid value in a list (a level, a code): its line;
- a missing key: the first line of the mapping that lacks it;
- a YAML syntax error: the line PyYAML points at.

PyYAML follows YAML 1.1, which reads some plain values in ways people (and
YAML 1.2) do not: ``010`` as 8, ``1:30`` as 90, ``yes`` as true. Those are
refused with a message saying what to write (``other_yaml_form``).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# A key (of an instrument, a section, an item, an option...): lowercase
# letters and digits in groups joined by single hyphens.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
# YAML 1.2 reads true/false only written these ways; YAML 1.1 (PyYAML) also
# reads yes, no, on and off.
_TRUE_FALSE = ("true", "True", "TRUE", "false", "False", "FALSE")
_SCALAR_KINDS = {
    _STR: "text",
    _INT: "a number",
    _FLOAT: "a number",
    _BOOL: "true/false",
    _NULL: "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}


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


class DefinitionFileError(Exception):
    """Every problem found in a file (or in several files: load_instrument checks them all)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# -- Reading ------------------------------------------------------------------


def read_yaml(text: str, filename: str) -> Node | None:
    """The file's YAML node tree (None for an empty file), or DefinitionFileError
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
        raise DefinitionFileError([Problem(filename, line, f"YAML syntax error: {problem}")]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        character = error.character if isinstance(error.character, int) else ord(error.character or "\0")
        message = f"the file contains a character YAML does not allow (U+{character:04X})"
        raise DefinitionFileError([Problem(filename, line, message)]) from None
    except RecursionError:
        raise DefinitionFileError([Problem(filename, 1, "the file is nested too deeply to read")]) from None
    if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL):
        return None
    return root


def read_text(path: str | Path) -> str:
    """A definition file's text (UTF-8, with or without a byte-order mark).
    Raises DefinitionFileError naming the file when it cannot be read."""
    filename = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DefinitionFileError(
            [Problem(filename, None, f"cannot read the file: it is not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise DefinitionFileError(
            [Problem(filename, None, f"cannot read the file: {error.strerror or error}")]
        ) from None


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

    Subclasses add the methods for one file format: readiness instruments
    (readiness/assessments/instrument_file.py), action libraries
    (readiness/plans/library_file.py) and the crosswalk
    (readiness/assessments/crosswalk.py). Items are read by
    personfirst.core.definitions.items.read_item, with each item type's own
    keys checked by its class.
    """

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.visited: set[int] = set()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.filename, line, message))

    def raise_problems(self) -> None:
        """Raise DefinitionFileError with every problem found, in line order (if there are any)."""
        if self.problems:
            raise DefinitionFileError(sorted(self.problems, key=lambda problem: problem.line or 0))

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

    def true_or_false(self, entry: Entry, name: str) -> bool | None:
        """true or false, written so that every YAML reads it the same way."""
        if isinstance(entry.value, ScalarNode) and entry.value.tag == _BOOL:
            unclear = other_yaml_form(entry.value)
            if unclear:
                self.problem(entry.line, f"{name} must be true or false, but {unclear}")
                return None
            return self.constructor.construct_object(entry.value)
        self.problem(entry.line, f"{name} must be true or false, but this is {kind_of(entry.value)}")
        return None

    def number(self, entry: Entry, name: str, low: int, high: int) -> int | float | None:
        """A number from ``low`` to ``high`` written in plain digits (a whole
        number comes back as an int, 50.0 too)."""
        node = entry.value
        wanted = f"{name} must be a number from {low} to {high}"
        if not isinstance(node, ScalarNode) or node.tag not in (_INT, _FLOAT):
            if isinstance(node, ScalarNode) and node.tag == _STR and node.style and looks_like_number(node.value):
                self.problem(entry.line, f"{wanted}, but this is text; take the quotes off {node.value}")
            elif isinstance(node, ScalarNode) and node.tag == _STR and looks_like_number(node.value):
                self.problem(entry.line, f"{wanted}, but YAML reads {node.value} as text; write it like 50 or 33.3")
            elif isinstance(node, ScalarNode) and node.tag == _STR:
                self.problem(entry.line, f"{wanted}, but this is text ('{node.value}')")
            else:
                self.problem(entry.line, f"{wanted}, but this is {kind_of(node)}")
            return None
        unclear = other_yaml_form(node)
        if unclear:
            self.problem(entry.line, f"{wanted}, but {unclear}")
            return None
        value = self.constructor.construct_object(node)
        if not (math.isfinite(value) and low <= value <= high):
            self.problem(entry.line, f"{wanted}, but this is {node.value}")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value


def did_you_mean(name: str, known: Collection[str]) -> str:
    """ " (did you mean 'ladder'?)" for a near miss, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def looks_like_number(text: str) -> bool:
    """1e3, 0o7: numbers to YAML 1.2 (and to Python), text to YAML 1.1."""
    for read in (float, lambda value: int(value, 0)):
        try:
            read(text)
        except ValueError:
            continue
        return True
    return False


def other_yaml_form(node: Node) -> str | None:
    """What is wrong with a plain number or true/false that YAML 1.1 (PyYAML)
    reads in a way people, and YAML 1.2, do not: "YAML reads 010 as 8 (...);
    write ...". None for a node written plainly (50, +50, 33.3, true), or that
    is not a number or true/false at all.

    YAML 1.1 reads 010 as octal (8), 1:30 in base 60 (90), 0x1F as
    hexadecimal (31), 0b101 as binary (5) and 1_0 without its underscore
    (10), all without a word, and yes, no, on and off as true or false.
    """
    if not isinstance(node, ScalarNode) or node.tag not in (_INT, _FLOAT, _BOOL):
        return None
    text = node.value
    if node.tag == _BOOL:
        if text in _TRUE_FALSE:
            return None
        means = "true" if text.lower() in ("yes", "on", "y") else "false"
        return (
            f"YAML reads {text} as {means} only in its older version (1.1), and as text in the current one; "
            f"write {means}"
        )
    try:
        value = SafeConstructor().construct_object(node)
    except (ValueError, yaml.constructor.ConstructorError):  # pragma: no cover - the resolver matched it
        return None
    shown = _shown_number(value)
    if "_" in text:
        return f"YAML reads {text} as {shown} (YAML leaves out the underscores); write {shown}"
    if ":" in text:
        return (
            f"YAML reads {text} as {shown} (a number in base 60, like a time); "
            f"write the number you mean in plain digits, such as {shown}"
        )
    if node.tag == _INT:
        digits = text.lstrip("+-")
        if digits[:2].lower() == "0x":
            return f"YAML reads {text} as {shown} (a hexadecimal number); write {shown}"
        if digits[:2].lower() == "0b":
            return f"YAML reads {text} as {shown} (a binary number); write {shown}"
        if len(digits) > 1 and digits.startswith("0"):
            return (
                f"YAML reads {text} as {shown} (an octal number, as it starts with 0); "
                f"write it without the leading 0, like {digits.lstrip('0') or '0'}"
            )
    return None


def _shown_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    return str(value)
