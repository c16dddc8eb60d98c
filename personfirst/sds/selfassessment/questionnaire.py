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

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yaml.nodes import Node, SequenceNode

from personfirst.sds.definition_files import DefinitionFileError, Reader, compose

SHIPPED = Path(__file__).parent / "questionnaires"
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
TOP_KEYS = {"questionnaire": True, "version": True, "title": True, "licence": True, "domains": True}
DOMAIN_KEYS = {"key": True, "title": True, "carer_part": False, "questions": True}
QUESTION_KEYS = {"key": True, "prompt": True, "guidance": False, "options": True}


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class QuestionDef:
    key: str
    prompt: str
    guidance: str
    options: tuple[Option, ...]
    domain_key: str
    domain_title: str
    carer_part: bool

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


def _key(reader: Reader, node: Node, what: str) -> str | None:
    value = reader.text(node, what)
    if value is not None and not KEY.match(value):
        reader.problem(node, f"{what} should be lower-case letters, digits and hyphens, such as 'personal-care'")
        return None
    return value


def parse(text: str, filename: str = "<questionnaire>") -> Questionnaire:
    reader = Reader(filename)
    root = compose(text, filename)
    top = reader.mapping(root, "The questionnaire", TOP_KEYS)
    if top is None or reader.problems:
        raise DefinitionFileError(reader.problems)
    key = _key(reader, top["questionnaire"], "'questionnaire' (its key)")
    version = reader.integer(top["version"], "'version'", 1)
    title = reader.text(top["title"], "'title'")
    licence = reader.text(top["licence"], "'licence'")
    domains, seen = [], set()
    node = top["domains"]
    if not isinstance(node, SequenceNode) or not node.value:
        reader.problem(node, "'domains' should be a list of at least one domain")
    else:
        for item in node.value:
            domain = _domain(reader, item, seen)
            if domain is not None:
                domains.append(domain)
    if reader.problems:
        raise DefinitionFileError(reader.problems)
    return Questionnaire(key, version, title, licence, tuple(domains))


def _domain(reader: Reader, node: Node, seen: set[str]) -> DomainDef | None:
    found = reader.mapping(node, "A domain", DOMAIN_KEYS)
    if not found or any(k not in found for k in ("key", "title", "questions")):
        return None
    key = _key(reader, found["key"], "A domain's 'key'")
    title = reader.text(found["title"], f"The title of '{key}'")
    carer_part = "carer_part" in found and str(found["carer_part"].value).lower() == "true"
    questions = []
    qnode = found["questions"]
    if not isinstance(qnode, SequenceNode) or not qnode.value:
        reader.problem(qnode, f"The questions of '{key}' should be a list of at least one question")
        return None
    for item in qnode.value:
        q = reader.mapping(item, f"A question of '{key}'", QUESTION_KEYS)
        if not q or any(k not in q for k in ("key", "prompt", "options")):
            continue
        qkey = _key(reader, q["key"], "A question's 'key'")
        if qkey in seen:
            reader.problem(q["key"], f"The question '{qkey}' is given twice")
        seen.add(qkey)
        prompt = reader.text(q["prompt"], f"The prompt of '{qkey}'")
        guidance = reader.text(q["guidance"], f"The guidance of '{qkey}'") if "guidance" in q else ""
        options = []
        onode = q["options"]
        if not isinstance(onode, SequenceNode) or len(onode.value) < 2:
            reader.problem(onode, f"The options of '{qkey}' should be a list of two or more")
            continue
        option_keys = set()
        for option in onode.value:
            o = reader.mapping(option, f"An option of '{qkey}'", {"key": True, "label": True})
            if o and "key" in o and "label" in o:
                okey = _key(reader, o["key"], f"An option's key in '{qkey}'")
                if okey in option_keys:
                    reader.problem(o["key"], f"The option '{okey}' of '{qkey}' is given twice")
                option_keys.add(okey)
                label = reader.text(o["label"], f"The label of '{qkey}: {okey}'")
                if okey and label:
                    options.append(Option(okey, label))
        if qkey and prompt:
            questions.append(
                QuestionDef(qkey, prompt, guidance or "", tuple(options), key or "", title or "", carer_part)
            )
    return DomainDef(key or "", title or "", carer_part, tuple(questions))


def load(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionFileError([f"{path}:1: cannot read the file ({error})"]) from None
    return parse(text, str(path))


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
