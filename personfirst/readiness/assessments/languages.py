"""Instruments in more than one language: Welsh versions.

An instrument is written in English (its file may say ``language: en``, or
nothing). A Welsh version is a second file, ``KEY.cy.yaml`` beside the
English ``KEY.yaml``, in the same format with ``language: cy``. It
translates the English file and nothing else: the same instrument key and
version, the same sections, items and options, by key and in the same
order, the same item types, the same number of levels, the same option
scores, conditions and ``evidence`` switches. The loader checks each of
these and names every mismatch as ``FILE:LINE`` in the Welsh file; a file
that does not match loads nothing (it is a companion of the English file:
loading.register_companion).

It is stored as an InstrumentTranslation of the English version: the
words only, by key. An assessment has a ``language`` (chosen when it is
started, from the languages its instrument has); its pages show the
instrument's words in that language (``translate_sections``), with
``lang="cy"`` on them (WCAG 3.1.2). The answers, scores and insight are the
same whichever language was used, as the items are the same rows with the
same keys and scales: Welsh and English assessments are counted together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from personfirst.core.definitions.files import line_of, read_text, read_yaml

from .instrument_file import LANGUAGES, InstrumentDefinition, InstrumentFileError, Problem, parse

ENGLISH = "en"
WELSH = "cy"
SUFFIX = WELSH  # KEY.cy.yaml


# -- Reading and checking a Welsh file against its English one ------------------------


def _value(node: Node, name: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == name:
                return value
    return None


def _key_line(node: Node, name: str = "key") -> int:
    if isinstance(node, MappingNode):
        for key, _value_node in node.value:
            if isinstance(key, ScalarNode) and key.value == name:
                return line_of(key)
    return line_of(node)


def _children(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def check_structure(text: str, filename: str, welsh: InstrumentDefinition, english: InstrumentDefinition) -> None:
    """Raise InstrumentFileError naming, by line in the Welsh file, every way
    its structure differs from the English instrument's."""
    root = read_yaml(text, filename)
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(filename, line, message))

    if welsh.language != WELSH:
        problem(
            _key_line(root, "language") if _value(root, "language") else 1,
            f"a Welsh version must say language: {WELSH} (this one says {welsh.language})",
        )
    if welsh.key != english.key:
        problem(_key_line(root), f"key '{welsh.key}' must be the English instrument's key, '{english.key}'")
    if welsh.version != english.version:
        problem(
            _key_line(root, "version"),
            f"version '{welsh.version}' must be the English file's version, '{english.version}'; "
            "translate the version that is loaded",
        )
    section_nodes = _children(_value(root, "sections"))
    ours = [s.key for s in english.sections]
    theirs = [s.key for s in welsh.sections]
    if ours != theirs:
        where = _key_line(root, "sections")
        missing = [key for key in ours if key not in theirs]
        extra = [key for key in theirs if key not in ours]
        for key in extra:
            node = section_nodes[theirs.index(key)]
            problem(_key_line(node), f"section '{key}' is not in the English instrument")
        if missing:
            problem(where, f"the Welsh version has no section {', '.join(repr(k) for k in missing)}")
        if not missing and not extra:
            problem(where, f"the sections must be in the English order: {', '.join(ours)}")
    english_sections = {s.key: s for s in english.sections}
    for node, section in zip(section_nodes, welsh.sections, strict=False):
        match = english_sections.get(section.key)
        if match is None:
            continue
        if section.condition != match.condition:
            problem(_key_line(node), f"section '{section.key}' must have the English file's condition")
        item_nodes = _children(_value(node, "items"))
        our_items = [i.key for i in match.items]
        their_items = [i.key for i in section.items]
        if our_items != their_items:
            problem(
                _key_line(node, "items"),
                f"the items of section '{section.key}' must be the English file's, in its order: "
                f"{', '.join(our_items)} (the Welsh file has {', '.join(their_items) or 'none'})",
            )
            continue
        for item_node, item, english_item in zip(item_nodes, section.items, match.items, strict=True):
            _check_item(item_node, item, english_item, problem)
    if problems:
        raise InstrumentFileError(problems)


def _check_item(node: Node, item, english, problem) -> None:
    line = _key_line(node)
    if item.type != english.type:
        problem(_key_line(node, "type"), f"item '{item.key}' must be a {english.type} item, as in English")
        return
    if len(item.levels) != len(english.levels):
        problem(
            _key_line(node, "levels"),
            f"item '{item.key}' must have {len(english.levels)} levels, as in English (this one has "
            f"{len(item.levels)})",
        )
    ours = [(o.key, o.score) for o in english.options]
    theirs = [(o.key, o.score) for o in item.options]
    if ours != theirs:
        problem(
            _key_line(node, "options") if _value(node, "options") else line,
            f"item '{item.key}' must have the English options, with the same keys and scores: "
            + ", ".join(f"{key} ({score})" for key, score in ours),
        )
    if bool(item.settings.get("evidence")) != bool(english.settings.get("evidence")):
        problem(line, f"item '{item.key}' must ask for evidence exactly when the English one does")


def words_of(definition: InstrumentDefinition) -> dict[str, Any]:
    """The translated words, by key (InstrumentTranslation.text)."""
    return {
        "title": definition.title,
        "description": definition.description,
        "sections": {s.key: {"title": s.title, "guidance": s.guidance} for s in definition.sections},
        "items": {
            i.key: {
                "prompt": i.prompt,
                "guidance": i.guidance,
                "levels": list(i.levels),
                "options": {o.key: o.label for o in i.options},
                "settings": {k: v for k, v in i.settings.items() if isinstance(v, str)},
            }
            for i in definition.items
        },
    }


@dataclasses.dataclass(frozen=True)
class Translation:
    language: str
    text: dict[str, Any]
    source: str

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(self.text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read(path: Path, english: InstrumentDefinition) -> Translation:
    """A Welsh file, checked whole and against its English instrument (the companion's read)."""
    filename = str(path)
    text = read_text(path)
    welsh = parse(text, filename)
    check_structure(text, filename, welsh, english)
    return Translation(WELSH, words_of(welsh), path.name)


def store(translation: Translation, version) -> tuple[str, str]:
    """Keep the translation of this version (the companion's store)."""
    from .models import InstrumentTranslation

    found = InstrumentTranslation.objects.filter(version=version, language=translation.language).first()
    summary = f"{LANGUAGES[translation.language]}, {len(translation.text['items'])} questions"
    if found is not None and found.content_hash == translation.content_hash:
        return "unchanged", summary
    InstrumentTranslation.objects.update_or_create(
        version=version,
        language=translation.language,
        defaults={
            "text": translation.text,
            "content_hash": translation.content_hash,
            "source_name": translation.source,
        },
    )
    return ("updated" if found else "loaded"), summary


# -- Showing an assessment in its language -------------------------------------------------


def languages_of(version) -> list[tuple[str, str]]:
    """The languages an instrument version can be answered in: English, then its translations."""
    codes = [ENGLISH, *sorted(t.language for t in version.translations.all())]
    return [(code, LANGUAGES[code]) for code in codes if code in LANGUAGES]


def translate_sections(sections: Iterable, version, language: str) -> None:
    """Put the instrument's words in ``language`` on these Section rows and
    their prefetched items, in memory only (nothing is saved): titles,
    guidance, prompts, levels, option labels and paired statements. English,
    or a language the version has no translation for, changes nothing."""
    if language == ENGLISH:
        return
    translation = version.translations.filter(language=language).first()
    if translation is None:
        return
    words = translation.text
    for section in sections:
        section.language = language
        found = words["sections"].get(section.key, {})
        section.title = found.get("title", section.title)
        section.guidance = found.get("guidance", section.guidance)
        for item in section.items.all():
            _translate_item(item, words["items"].get(item.key), language)


def _translate_item(item, found: dict | None, language: str) -> None:
    if not found:
        return
    item.language = language
    item.prompt = found.get("prompt", item.prompt)
    item.guidance = found.get("guidance", item.guidance)
    if len(found.get("levels", [])) == len(item.levels):
        item.levels = list(found["levels"])
    labels = found.get("options", {})
    item.options = [{**option, "label": labels.get(option["key"], option["label"])} for option in item.options]
    item.settings = {**(item.settings or {}), **found.get("settings", {})}
    item.__dict__.pop("definition", None)  # Item.definition is cached


def register() -> None:
    """Load KEY.cy.yaml with each instrument file (from AppConfig.ready)."""
    from .loading import Companion, register_companion

    register_companion(Companion(name="Welsh version", suffix=SUFFIX, read=read, store=store, optional=True))
