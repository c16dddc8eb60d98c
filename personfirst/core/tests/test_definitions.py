"""The shared definition-file checker and the item-type registry
(personfirst/core/definitions): FILE:LINE problems, scales that never depend
on the order a file lists options in, one check of an answer, and a pillar
registering a type of its own."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import pytest
from yaml.nodes import Node

from personfirst.core.definitions.files import DefinitionFileError, Entry, NodeChecker, line_of, read_yaml
from personfirst.core.definitions.items import (
    ItemType,
    Response,
    item_type,
    read_item,
    register,
    type_names,
    unregister,
)
from personfirst.core.validation import Collector, Invalid


def read(text: str, filename: str = "q.yaml", types=None):
    """Every item of a file that is a list of items, or DefinitionFileError."""
    checker = NodeChecker(filename)
    root = read_yaml(text, filename)
    seen: dict[str, int] = {}
    items = [read_item(checker, node, seen, types=types) for node in root.value]
    checker.raise_problems()
    return items


BEST_FIRST = """
- key: safe
  type: rating
  prompt: Do people feel safe?
  options:
    - {key: yes-always, label: Always, score: 100}
    - {key: sometimes, label: Sometimes, score: 40}
    - {key: never, label: Never, score: 0}
"""
WORST_FIRST = """
- key: safe
  type: rating
  prompt: Do people feel safe?
  options:
    - {key: never, label: Never, score: 0}
    - {key: sometimes, label: Sometimes, score: 40}
    - {key: yes-always, label: Always, score: 100}
"""


def test_the_shared_types_are_registered():
    assert {"ladder", "rating"} <= set(type_names())


@pytest.mark.parametrize("text", [BEST_FIRST, WORST_FIRST], ids=["best first", "worst first"])
def test_a_rating_is_placed_on_its_scale_by_score_whatever_order_the_file_lists_it_in(text):
    [item] = read(text)
    kind = item.kind
    assert kind.scale(item) == ("never", "sometimes", "yes-always")
    assert kind.points(item) == ("Never", "Sometimes", "Always")
    assert kind.position(item, Response(option="yes-always")) == 3
    assert kind.position(item, Response(option="never")) == 1
    assert kind.response_at(item, 3) == Response(option="yes-always")
    assert kind.score(item, Response(option="sometimes")) == 40
    assert kind.position(item, Response(not_relevant=True)) is None


def test_the_page_lists_a_ratings_options_in_the_files_order():
    [item] = read(WORST_FIRST)
    assert [key for key, _ in item.kind.choices(item)] == ["never", "sometimes", "yes-always"]


def test_a_ladder_scores_its_levels_evenly_from_0_to_100():
    [item] = read("- {key: a, type: ladder, prompt: 'Where are you?', levels: [One, Two, Three]}")
    assert [item.kind.score(item, Response(level=n)) for n in (1, 2, 3)] == [0, 50, 100]
    assert item.kind.statement(item, Response(level=2)) == "Two"
    assert item.kind.display(item, Response(level=2)) == "Level 2 of 3"


def test_problems_are_reported_by_file_and_line():
    text = """
- key: a
  type: ladder
  prompt: Where are you?
  levels: [Only one]
- key: a
  type: ladderr
  prompt: Again
- key: c
  type: rating
  prompt: Rate it
  options:
    - {key: x, label: X, score: 50}
    - {key: y, label: Y, score: 50}
"""
    with pytest.raises(DefinitionFileError) as error:
        read(text, "care.yaml")
    lines = str(error.value).splitlines()
    assert "care.yaml:5: a ladder item needs at least 2 levels, but this one has 1" in lines
    assert any(line.startswith("care.yaml:6: item key 'a' is already used on line 2") for line in lines)
    assert any(line.startswith("care.yaml:7: unknown item type 'ladderr' (did you mean 'ladder'?)") for line in lines)
    assert any(line.startswith("care.yaml:14: score 50 is already the score of option 'x'") for line in lines)


def test_one_check_of_an_answer_names_each_problem_by_its_field():
    [item] = read(BEST_FIRST)
    assert item.kind.clean(item, {"option": "sometimes", "notes": " ok "}) == {
        "level": None,
        "option": "sometimes",
        "not_relevant": False,
        "dont_know": False,
        "text": "",
        "notes": "ok",
        "target_dates": {},
    }
    with pytest.raises(Invalid) as error:
        item.kind.clean(item, {"option": "maybe", "level": 2})
    assert error.value.messages() == {
        "level": ["This question takes an option (yes-always, sometimes, never), not a level."]
    }
    with pytest.raises(Invalid) as error:
        item.kind.clean(item, {"option": "maybe"})
    assert "there is no option ‘maybe’" in error.value.messages()["option"][0]


class Points(ItemType):
    """What a self-directed-support questionnaire might add: one choice whose
    options carry points (any whole number, two options may share one)."""

    name = "points-choice-test"
    keys = {"answers": True}
    uses = "uses answers"
    answer_fields = ("option",)

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        if "answers" not in fields:
            if name is not None:
                checker.problem(line_of(node), "this item is missing required key 'answers'")
            return {}
        answers = {}
        for entry in fields["answers"].value.value:
            key, points = entry.value.split("=")
            answers[key] = int(points)
        return {"settings": answers}

    def scale(self, item):
        return tuple(sorted(item.settings, key=lambda key: (item.settings[key], key)))

    def value(self, response):
        return None if response is None or response.not_relevant else response.option

    def score(self, item, response):
        value = self.value(response)
        return None if value is None else Fraction(item.settings[value])

    def choices(self, item):
        return [(key, key) for key in item.settings]

    def clean_answer(self, item, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        if given.get("option") not in item.settings:
            problems.add("option", "Choose one of the answers.")
            return {}
        return {"option": given["option"]}


@pytest.fixture
def points_type():
    register(Points)
    yield item_type(Points.name)
    unregister(Points.name)


def test_a_pillar_registers_a_type_of_its_own_and_chooses_which_types_its_files_allow(points_type):
    text = "- {key: mobility, type: points-choice-test, prompt: Getting about, answers: [none=0, some=3, lots=5]}"
    [item] = read(text, types=("points-choice-test",))
    assert item.kind is points_type
    assert item.kind.score(item, Response(option="some")) == 3
    assert item.kind.position(item, Response(option="lots")) == 3
    with pytest.raises(Invalid, match="Choose one of the answers"):
        item.kind.clean(item, {"option": "all"})
    # A format that does not list the type refuses it, by line.
    with pytest.raises(DefinitionFileError, match=r"q.yaml:1: unknown item type 'points-choice-test'"):
        read(text, types=("ladder", "rating"))


def test_a_type_taken_away_is_unknown_again(points_type):
    unregister(Points.name)
    with pytest.raises(ValueError, match="unknown item type"):
        item_type(Points.name)
    register(Points)


def test_two_types_may_not_share_a_name():
    class Other(ItemType):
        name = "ladder"

    with pytest.raises(ValueError, match="two item types are called 'ladder'"):
        register(Other)


def test_an_answer_is_shown_in_full_in_the_words_it_was_chosen_by():
    [ladder] = read("- {key: a, type: ladder, prompt: 'Where?', levels: [Just starting, Well on the way, Done]}")
    [rating] = read(WORST_FIRST)
    assert ladder.kind.answer_in_full(ladder, Response(level=2)) == "Well on the way"
    assert ladder.kind.place(ladder, Response(level=2)) == "Statement 2 of 3"
    assert rating.kind.answer_in_full(rating, Response(option="sometimes")) == "Sometimes"
    assert rating.kind.place(rating, Response(option="sometimes")) == ""
    for item in (ladder, rating):
        assert item.kind.answer_in_full(item, Response(not_relevant=True)) == "Not relevant to us"
        assert item.kind.answer_in_full(item, None) == "Not answered"
        assert item.kind.answer_in_full(item, Response()) == "Not answered"
        assert item.kind.place(item, None) == ""
