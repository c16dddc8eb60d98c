"""Reading the SDS definition files (the RAS, the self-assessment
questionnaire): YAML read as nodes, so that every problem names its
``FILE:LINE``; all problems are collected and reported at once.

(When the shared definition-file checker, personfirst/core/definitions,
reaches main, these readers should move onto its NodeChecker.)
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode


def compose(text: str, filename: str) -> Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionFileError([f"{filename}:{line}: this is not valid YAML ({problem})"]) from None
    if root is None:
        raise DefinitionFileError([f"{filename}:1: the file is empty"])
    return root


class DefinitionFileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[str] = []

    def problem(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.filename}:{line}: {message}")

    def mapping(self, node: Node, what: str, keys: dict[str, bool]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} should be a set of 'name: value' lines")
            return None
        found: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value
            if keys and key not in keys:
                self.problem(key_node, f"{what} has an unknown key '{key}' (expected one of {', '.join(keys)})")
            elif key in found:
                self.problem(key_node, f"{what} gives '{key}' twice")
            else:
                found[key] = value
        for key, required in keys.items():
            if required and key not in found:
                self.problem(node, f"{what} is missing '{key}'")
        return found

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, f"{what} should be some text")
            return None
        return str(node.value).strip()

    def integer(self, node: Node, what: str, minimum: int = 0) -> int | None:
        try:
            value = int(node.value) if isinstance(node, ScalarNode) and str(node.value).lstrip("-").isdigit() else None
        except ValueError:
            value = None
        if value is None or value < minimum:
            self.problem(node, f"{what} should be a whole number of {minimum} or more")
            return None
        return value

    def amount(self, node: Node, what: str) -> Decimal | None:
        try:
            value = Decimal(str(node.value)) if isinstance(node, ScalarNode) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            self.problem(node, f'{what} should be an amount of 0 or more, such as "12.50"')
            return None
        return value
