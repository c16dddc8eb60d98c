"""The supported self-assessment questionnaire, read from its definition
file (questionnaires/*.yaml; format in docs/sds.md). Plain Python: no
database, no HTTP.

A questionnaire is domains of questions; each question is answered by
choosing one of its options, listed from the least need to the most. The
points each answer carries are the RAS's (allocation/ras), never shown as
points to the person: ``check_against`` makes sure a RAS prices every
answer, and that its points never fall as the need rises.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yaml.nodes import Node

from personfirst.core.definitions.files import (
    DefinitionFileError,
    Entry,
    NodeChecker,
    Problem,
    line_of,
    read_text,
    read_yaml,
)
from personfirst.core.definitions.items import ItemDefinition, Option, read_item

from . import need  # noqa: F401 (registers the need item type)

SHIPPED = Path(__file__).parent / "questionnaires"
TOP_KEYS = {"questionnaire": True, "version": True, "title": True, "licence": True, "domains": True}
DOMAIN_KEYS = {"key": True, "title": True, "carer_part": False, "questions": True}
TYPES = ("need",)
MAX_KEY = 80
MAX_TITLE = 200


@dataclass(frozen=True)
class QuestionDef:
    key: str
    prompt: str
    guidance: str
    options: tuple[Option, ...]
    domain_key: str
    domain_title: str
    carer_part: bool
    item: ItemDefinition

    def label_of(self, answer: str | None) -> str:
        return next((o.label for o in self.options if o.key == answer), "")


@dataclass(frozen=True)
class DomainDef:
    key: str
    title: str
    carer_part: bool
    questions: tuple[QuestionDef, ...]


@dataclass(frozen=True)
class Questionnaire:
    key: str
    version: int
    title: str
    licence: str
    domains: tuple[DomainDef, ...]

    def questions(self, carer_present: bool = True) -> list[QuestionDef]:
        return [q for d in self.domains if carer_present or not d.carer_part for q in d.questions]

    def question(self, key: str) -> QuestionDef | None:
        return next((q for q in self.questions() if q.key == key), None)


class QuestionnaireChecker(NodeChecker):
    def version(self, entry: Entry) -> int | None:
        value = self.integer(entry.value)
        if value is None or value < 1:
            self.problem(entry.line, "version must be a whole number of 1 or more")
            return None
        return value

    def domain(self, node: Node, seen: dict[str, int], domain_keys: dict[str, int]) -> DomainDef | None:
        fields = self.fields(node, line_of(node), "this domain", DOMAIN_KEYS)
        if fields is None:
            return None
        key = self.key(fields.get("key"), "domain", MAX_KEY)
        if key is not None:
            if key in domain_keys:
                self.problem(fields["key"].line, f"domain key '{key}' is already used on line {domain_keys[key]}")
            domain_keys.setdefault(key, fields["key"].line)
        title = self.entry_text(fields.get("title"), "title", MAX_TITLE)
        carer_part = bool(self.true_or_false(fields["carer_part"], "carer_part")) if "carer_part" in fields else False
        questions: list[QuestionDef] = []
        nodes = (
            self.sequence(fields["questions"], "questions", "a list of questions") if "questions" in fields else None
        )
        if nodes is not None and not nodes:
            self.problem(fields["questions"].line, "a domain needs at least one question")
        for item_node in nodes or []:
            item = read_item(self, item_node, seen, types=TYPES)
            if item is None or not (item.key and item.prompt and item.type):
                continue
            questions.append(
                QuestionDef(
                    item.key, item.prompt, item.guidance, item.options, key or "", title or "", carer_part, item
                )
            )
        return DomainDef(key or "", title or "", carer_part, tuple(questions))


def parse(text: str, filename: str = "<questionnaire>") -> Questionnaire:
    root = read_yaml(text, filename)
    if root is None:
        raise DefinitionFileError([Problem(filename, 1, "the file is empty")])
    checker = QuestionnaireChecker(filename)
    top = checker.fields(root, line_of(root), "the questionnaire", TOP_KEYS)
    checker.raise_problems()
    key = checker.key(top.get("questionnaire"), "questionnaire", MAX_KEY)
    version = checker.version(top["version"])
    title = checker.entry_text(top.get("title"), "title", MAX_TITLE)
    licence = checker.entry_text(top.get("licence"), "licence", MAX_TITLE)
    domains: list[DomainDef] = []
    seen: dict[str, int] = {}
    domain_keys: dict[str, int] = {}
    nodes = checker.sequence(top["domains"], "domains", "a list of domains")
    if nodes is not None and not nodes:
        checker.problem(top["domains"].line, "the questionnaire needs at least one domain")
    for node in nodes or []:
        domain = checker.domain(node, seen, domain_keys)
        if domain is not None:
            domains.append(domain)
    checker.raise_problems()
    return Questionnaire(key, version, title, licence, tuple(domains))


def load(path: str | Path) -> Questionnaire:
    return parse(read_text(path), str(path))


@cache
def shipped(key: str, version: int) -> Questionnaire:
    """A questionnaire we ship, by its key and version."""
    for path in sorted(SHIPPED.glob("*.yaml")):
        questionnaire = load(path)
        if (questionnaire.key, questionnaire.version) == (key, version):
            return questionnaire
    raise LookupError(f"No questionnaire {key} version {version}")


def current() -> Questionnaire:
    return max((load(p) for p in SHIPPED.glob("*.yaml")), key=lambda q: (q.key, q.version))


def check_against(questionnaire: Questionnaire, ras) -> list[str]:
    """What stops ``ras`` pricing ``questionnaire``'s answers (empty: nothing)."""
    problems = []
    for q in questionnaire.questions():
        found = ras.question(q.key)
        if found is None:
            problems.append(f"The RAS gives no points for the question '{q.key}'.")
            continue
        points = found[1].points
        missing = [o.key for o in q.options if o.key not in points]
        if missing:
            problems.append(f"The RAS gives no points for '{q.key}: {', '.join(missing)}'.")
            continue
        ordered = [points[o.key] for o in q.options]
        if any(after < before for before, after in zip(ordered, ordered[1:], strict=False)):
            problems.append(f"The RAS's points for '{q.key}' fall as the need rises.")
        if found[0].carer_only != q.carer_part:
            problems.append(f"'{q.key}' is in the carer's part of one file and not of the other.")
    return problems
