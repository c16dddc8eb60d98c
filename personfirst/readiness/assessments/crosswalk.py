"""The crosswalk: items of different instruments that ask about the same
thing, so that an organisation answers once and sees its answer suggested
in its other assessments.

No database and no HTTP in here. docs/instruments.md ("Crosswalk")
describes the file; it and this module must agree.

``parse(text, filename, instruments)`` checks a crosswalk file against the
instruments it names and returns a Crosswalk, or raises InstrumentFileError
listing every problem as ``FILE:LINE: message`` (the same building blocks as
instrument files: personfirst.core.definitions.files.NodeChecker).

``carry(source, response, target)`` carries an answer over from one item's
scale to another's: the same fraction of the way up, to the nearest position
(readiness.services.start uses it to suggest answers). Each item's scale is
its type's (ItemType.scale: a ladder's levels, a rating's options by score).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from yaml.nodes import Node

from personfirst.core.definitions.files import (
    KEY_PATTERN,
    DefinitionFileError,
    NodeChecker,
    Problem,
    line_of,
    names_of,
    read_yaml,
)
from personfirst.core.definitions.items import ItemDefinition, Response

from .instrument_file import MAX_TITLE

FILENAME = "crosswalk.yaml"
MIN_ITEMS = 2
CROSSWALK_KEYS = {"links": True}
LINK_KEYS = {"theme": True, "items": True}


class ItemRef(NamedTuple):
    instrument: str
    item: str

    def __str__(self) -> str:
        return f"{self.instrument}/{self.item}"


@dataclass(frozen=True)
class Link:
    theme: str
    items: tuple[ItemRef, ...]


@dataclass(frozen=True)
class Crosswalk:
    links: tuple[Link, ...] = ()

    def related(self, instrument: str, item: str) -> list[ItemRef]:
        """The items of OTHER instruments linked to this one."""
        for link in self.links:
            if ItemRef(instrument, item) in link.items:
                return [ref for ref in link.items if ref.instrument != instrument]
        return []


def parse(text: str, filename: str, instruments: Mapping[str, Collection[str]]) -> Crosswalk:
    """Check a crosswalk file; ``instruments`` maps each instrument key to its item keys."""
    root = read_yaml(text, filename)
    if root is None:
        raise DefinitionFileError([Problem(filename, 1, "the file is empty: a crosswalk needs links")])
    checker = _CrosswalkChecker(filename, instruments)
    crosswalk = checker.crosswalk(root)
    checker.raise_problems()
    return crosswalk


def _close(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _CrosswalkChecker(NodeChecker):
    def __init__(self, filename: str, instruments: Mapping[str, Collection[str]]):
        super().__init__(filename)
        self.instruments = instruments
        self.linked: dict[ItemRef, int] = {}  # item -> line of the link it is in

    def crosswalk(self, root: Node) -> Crosswalk | None:
        fields = self.fields(root, line_of(root), "the crosswalk", CROSSWALK_KEYS)
        if fields is None or "links" not in fields:
            return None
        entry = fields["links"]
        nodes = self.sequence(entry, "links", "a list of links, each with a theme and items")
        if nodes == []:
            self.problem(entry.line, "links is empty: give at least one link")
        links = [self.link(node) for node in nodes or ()]
        return Crosswalk(links=tuple(link for link in links if link is not None))

    def link(self, node: Node) -> Link | None:
        fields = self.fields(node, line_of(node), "this link", LINK_KEYS)
        if fields is None:
            return None
        theme = self.entry_text(fields.get("theme"), "theme", MAX_TITLE)
        if "items" not in fields:
            return None
        entry = fields["items"]
        nodes = self.sequence(entry, "items", "a list of items, each written as instrument-key/item-key")
        if nodes is None:
            return None
        if len(nodes) < MIN_ITEMS:
            counted = "none" if not nodes else str(len(nodes))
            self.problem(entry.line, f"a link needs at least {MIN_ITEMS} items, but this one has {counted}")
        refs: list[ItemRef] = []
        for item_node in nodes:
            ref = self.item(item_node)
            if ref is None:
                continue
            if ref in refs:
                self.problem(line_of(item_node), f"{ref} is listed twice in this link")
            elif ref in self.linked:
                self.problem(
                    line_of(item_node),
                    f"{ref} is already in the link on line {self.linked[ref]}; an item can be in only one link, "
                    "so put everything that asks about the same thing in one link",
                )
            else:
                refs.append(ref)
                self.linked[ref] = line_of(node)
        if len(refs) >= MIN_ITEMS and len({ref.instrument for ref in refs}) == 1:
            self.problem(
                entry.line,
                f"every item in this link is from '{refs[0].instrument}'; a link joins items of different instruments",
            )
        if theme is None or len(refs) != len(nodes):
            return None
        return Link(theme=theme, items=tuple(refs))

    def item(self, node: Node) -> ItemRef | None:
        line = line_of(node)
        text = self.text(node, line, "an item in a link")
        if text is None:
            return None
        instrument, slash, item = text.partition("/")
        if not slash or not KEY_PATTERN.match(instrument) or not KEY_PATTERN.match(item):
            self.problem(
                line, f"'{text}' must be written as instrument-key/item-key, like health-check/costs-and-prices"
            )
            return None
        if instrument not in self.instruments:
            self.problem(
                line,
                f"there is no instrument '{instrument}'{_close(instrument, self.instruments)}; "
                f"the instruments are: {names_of(sorted(self.instruments))}",
            )
            return None
        items = self.instruments[instrument]
        if item not in items:
            self.problem(line, f"the instrument '{instrument}' has no item '{item}'{_close(item, items)}")
            return None
        return ItemRef(instrument, item)


# -- Carrying an answer from one item to another -----------------------------------


def nearest_position(position: int, size_from: int, size_to: int) -> int:
    """The position (1-based) on a scale of ``size_to`` that is the same
    fraction of the way up as ``position`` on a scale of ``size_from``:
    (p − 1)/(n − 1) of the way. Exactly halfway between two positions goes
    to the lower one, so that a suggestion never flatters."""
    if size_from < 2 or size_to < 2 or not 1 <= position <= size_from:
        raise ValueError(f"position {position} on a scale of {size_from} cannot go onto a scale of {size_to}")
    exact = Fraction((position - 1) * (size_to - 1), size_from - 1)
    below = exact.numerator // exact.denominator
    return 1 + below + (1 if exact - below > Fraction(1, 2) else 0)


def translate(value: int | str, source: Sequence[int | str], target: Sequence[int | str]) -> int | str:
    """``value`` (a level or an option key on the ``source`` scale) carried onto the ``target`` scale."""
    position = list(source).index(value) + 1
    return target[nearest_position(position, len(source), len(target)) - 1]


def carry(source: ItemDefinition, response: Response, target: ItemDefinition) -> Response | None:
    """The answer to ``source`` carried onto ``target``'s scale, as an answer
    to ``target``; None when it cannot be (an answer the source item no
    longer has, or a scale of fewer than two points)."""
    source_scale = source.kind.scale(source)
    target_scale = target.kind.scale(target)
    value = source.kind.value(response)
    if value not in source_scale or len(source_scale) < 2 or len(target_scale) < 2:
        return None
    position = nearest_position(source_scale.index(value) + 1, len(source_scale), len(target_scale))
    return target.kind.response_at(target, position)
