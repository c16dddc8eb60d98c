"""Action library files: read one, check it against its instrument, and say
exactly what is wrong.

No database and no HTTP in here. docs/instruments.md ("Action libraries")
describes the format; it and this module must agree.

An action library sits beside an instrument file and is named after it:
``health-check.actions.yaml`` beside ``health-check.yaml``. It lists, for
items of that instrument, actions an organisation could take when its answer
is below its target::

    instrument: health-check
    actions:
      costs-and-prices:
        - key: unit-costs
          title: Work out a unit cost for each service
          detail: >
            Divide what a service costs in a year by the hours you deliver.
          for: [1, 2]

``for`` lists the answers the action suits: levels (1 is the lowest) for a
ladder or milestones item, option keys for a rating item. Without ``for`` the
action suits any answer below the target.

``parse(text, filename, instrument)`` returns an ActionLibrary, or raises
DefinitionFileError listing EVERY problem, each as ``FILE:LINE: message``.
The checking is done with the same building blocks as instrument files
(personfirst.core.definitions.files.NodeChecker), so problems are reported in the
same places: an unknown, repeated or wrongly typed key on its own line, a
wrong entry in a list on the entry's line, a missing key on the first line of
the mapping that lacks it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from personfirst.core.definitions.files import (
    DefinitionFileError,
    Entry,
    NodeChecker,
    Problem,
    line_of,
    names_of,
    read_text,
    read_yaml,
)
from personfirst.core.definitions.items import ItemDefinition
from personfirst.readiness.assessments.instrument_file import MAX_INSTRUMENT_KEY, MAX_TITLE, InstrumentDefinition

SUFFIX = "actions"  # health-check.yaml -> health-check.actions.yaml
MAX_ACTION_KEY = 80  # plans.Suggestion.key

# Each mapping's keys: True = required, False = optional, in the order the docs list them.
LIBRARY_KEYS = {"instrument": True, "actions": True}
ACTION_KEYS = {"key": True, "title": True, "detail": False, "for": False}


@dataclass(frozen=True)
class ActionDefinition:
    item_key: str
    key: str
    title: str
    detail: str = ""
    applies_to: tuple[int | str, ...] = ()  # levels or option keys; empty: any answer below the target


@dataclass(frozen=True)
class ActionLibrary:
    instrument: str
    actions: tuple[ActionDefinition, ...] = ()

    def for_item(self, item_key: str) -> tuple[ActionDefinition, ...]:
        return tuple(action for action in self.actions if action.item_key == item_key)

    def __len__(self) -> int:
        return len(self.actions)


def library_path(instrument_path: str | Path) -> Path:
    """Where an instrument file's action library is: KEY.yaml -> KEY.actions.yaml, in the same folder."""
    path = Path(instrument_path)
    return path.with_name(f"{path.stem}.{SUFFIX}.yaml")


def parse(text: str, filename: str, instrument: InstrumentDefinition) -> ActionLibrary:
    """Check an action library against its (checked) instrument; return it, or raise DefinitionFileError."""
    root = read_yaml(text, filename)
    if root is None:
        message = "the file is empty: an action library needs instrument and actions"
        raise DefinitionFileError([Problem(filename, 1, message)])
    checker = _LibraryChecker(filename, instrument)
    library = checker.library(root)
    checker.raise_problems()
    return library


def read_path(path: str | Path, instrument: InstrumentDefinition) -> ActionLibrary:
    """Read and check one library file. Raises DefinitionFileError (also when the file cannot be read)."""
    return parse(read_text(path), str(path), instrument)


def _close(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _LibraryChecker(NodeChecker):
    def __init__(self, filename: str, instrument: InstrumentDefinition):
        super().__init__(filename)
        self.instrument = instrument
        self.items = {item.key: item for item in instrument.items}

    def library(self, root: Node) -> ActionLibrary | None:
        fields = self.fields(root, line_of(root), "the action library", LIBRARY_KEYS)
        if fields is None:
            return None
        key = self.key(fields.get("instrument"), "instrument", MAX_INSTRUMENT_KEY)
        if key is not None and key != self.instrument.key:
            self.problem(
                fields["instrument"].line,
                f"this action library is for instrument '{key}', but it sits beside the instrument "
                f"'{self.instrument.key}'; name the library after the instrument it belongs to "
                f"({self.instrument.key}.{SUFFIX}.yaml) and give its key here",
            )
        actions: list[ActionDefinition] = []
        if "actions" in fields:
            entry = fields["actions"]
            item_fields = self.fields(
                entry.value,
                entry.line,
                "actions",
                dict.fromkeys(self.items, False),
                unknown=self.unknown_item,
            )
            if item_fields is not None and not entry.value.value:
                self.problem(entry.line, "actions is empty: list at least one item with its actions")
            for item_key, item_entry in (item_fields or {}).items():
                actions.extend(self.item_actions(self.items[item_key], item_entry))
        return ActionLibrary(instrument=key, actions=tuple(actions))

    def unknown_item(self, name: str) -> str:
        return (
            f"the instrument '{self.instrument.key}' has no item '{name}'{_close(name, list(self.items))}; "
            f"its items are: {names_of(self.items)}"
        )

    def item_actions(self, item: ItemDefinition, entry: Entry) -> list[ActionDefinition]:
        nodes = self.sequence(entry, f"the actions for '{item.key}'", "a list of actions, each starting with '- '")
        if nodes == []:
            self.problem(entry.line, f"the list of actions for '{item.key}' is empty: give at least one action")
        actions: list[ActionDefinition] = []
        keys: dict[str, int] = {}
        for node in nodes or ():
            fields = self.fields(node, line_of(node), "this action", ACTION_KEYS)
            if fields is None:
                continue
            key = self.key(fields.get("key"), "action", MAX_ACTION_KEY)
            if key is not None:
                if key in keys:
                    self.problem(
                        fields["key"].line,
                        f"action key '{key}' is already used on line {keys[key]} for '{item.key}'; "
                        "each action of an item needs its own key",
                    )
                    key = None
                else:
                    keys[key] = fields["key"].line
            title = self.entry_text(fields.get("title"), "title", MAX_TITLE)
            detail = self.entry_text(fields.get("detail"), "detail")
            applies_to = self.applies_to(item, fields["for"]) if "for" in fields else ()
            if key is not None and title is not None:
                actions.append(ActionDefinition(item.key, key, title, detail or "", applies_to))
        return actions

    def applies_to(self, item: ItemDefinition, entry: Entry) -> tuple[int | str, ...]:
        """The answers an action suits, each read by the item's type (ItemType.read_point)."""
        kind = item.kind
        nodes = self.sequence(entry, "for", kind.points_wanted(item))
        if nodes == []:
            self.problem(
                entry.line, "for is empty: list the answers this action suits, or leave for out to suit any answer"
            )
        scale = kind.scale(item)
        values: list[int | str] = []
        for node in nodes or ():
            value = kind.read_point(self, item, node, "for")
            if value is None:
                continue
            if scale and value == scale[-1]:
                self.problem(
                    line_of(node),
                    f"{kind.top_phrase(item, value)}, so an answer there is never below its target "
                    "and this action would never be suggested",
                )
            elif value in values:
                self.problem(line_of(node), f"{value} is listed twice in for")
            else:
                values.append(value)
        return tuple(values)
