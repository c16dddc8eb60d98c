"""Action library files (KEY.actions.yaml): checking them line by line,
loading them with their instrument, and the libraries PersonFirst ships."""

from __future__ import annotations

import copy
import io
import re
import textwrap

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.readiness.assessments import instrument_file
from personfirst.readiness.assessments.instrument_file import LEVEL_TYPES, InstrumentFileError
from personfirst.readiness.assessments.loading import load_path, load_paths, read_path, shipped_instrument_paths
from personfirst.readiness.assessments.models import Instrument, InstrumentVersion
from personfirst.readiness.assessments.paired import PAIRED_OPTIONS
from personfirst.readiness.assessments.tests.test_instrument_file import (
    docs_part,
    dump,
    fenced_blocks,
    instruments,
    slugs,
    texts,
)
from personfirst.readiness.plans import library_file
from personfirst.readiness.plans.library_file import ActionDefinition, ActionLibrary, library_path, parse
from personfirst.readiness.plans.models import Action, ActionSource, ActionStatus, Suggestion
from personfirst.testing import examples

INSTRUMENT = """\
key: test-instrument
title: Test instrument
version: "1"
sections:
  - key: first
    title: First
    items:
      - key: steps
        type: ladder
        prompt: Where are you?
        levels: [Nowhere yet, Part of the way, All the way]
      - key: statement
        type: rating
        prompt: We do this well.
  - key: second
    title: Second
    items:
      - key: climb
        type: milestones
        prompt: Which step have you reached?
        levels: [Step one, Step two, Step three, Step four]
"""
DEFINITION = instrument_file.parse(INSTRUMENT, "test-instrument.yaml")

GOOD = """\
# Suggested actions for the test instrument.
instrument: test-instrument
actions:
  steps:
    - key: start-talking
      title: Start talking with the people you support
      detail: >
        Ask them what they would change first.
      for: [1]
    - key: keep-going
      title: Keep a list of what you have changed
  statement:
    - key: write-it-down
      title: Write down how you do this now
      for: [not-met, partly-met]
  climb:
    - key: first-step
      title: Plan the next step with your team
      for: [1, 2, 3]
"""


def problems(text: str, definition=DEFINITION) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        parse(text, "lib.yaml", definition)
    return [str(problem) for problem in caught.value.problems]


def line(text: str, needle: str, occurrence: int = 1) -> int:
    """The number of the line holding ``needle`` (its nth occurrence)."""
    found = [number for number, content in enumerate(text.splitlines(), start=1) if needle in content]
    return found[occurrence - 1]


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new, 1)


# -- Checking a file ----------------------------------------------------------------------


def test_a_good_library_parses():
    library = parse(GOOD, "lib.yaml", DEFINITION)
    assert library == ActionLibrary(
        instrument="test-instrument",
        actions=(
            ActionDefinition(
                "steps",
                "start-talking",
                "Start talking with the people you support",
                "Ask them what they would change first.",
                (1,),
            ),
            ActionDefinition("steps", "keep-going", "Keep a list of what you have changed"),
            ActionDefinition(
                "statement", "write-it-down", "Write down how you do this now", "", ("not-met", "partly-met")
            ),
            ActionDefinition("climb", "first-step", "Plan the next step with your team", "", (1, 2, 3)),
        ),
    )
    assert len(library) == 4
    assert [action.key for action in library.for_item("steps")] == ["start-talking", "keep-going"]


def test_the_library_sits_beside_its_instrument(tmp_path):
    assert library_path(tmp_path / "health-check.yaml") == tmp_path / "health-check.actions.yaml"


def test_unknown_top_level_key():
    text = GOOD + "version: 2\n"
    assert problems(text) == [
        f"lib.yaml:{line(text, 'version: 2')}: unknown key 'version' in the action library; "
        "allowed keys are: instrument, actions"
    ]


def test_unknown_key_in_an_action_suggests_the_right_one():
    text = edit("      for: [1]\n", "      fro: [1]\n")
    assert problems(text) == [
        f"lib.yaml:{line(text, 'fro: [1]')}: unknown key 'fro' in this action (did you mean 'for'?); "
        "allowed keys are: key, title, detail, for"
    ]


def test_missing_title_is_reported_on_the_actions_first_line():
    text = edit("      title: Keep a list of what you have changed\n", "")
    assert problems(text) == [f"lib.yaml:{line(text, 'key: keep-going')}: this action is missing required key 'title'"]


def test_missing_instrument_and_actions():
    assert problems("# nothing useful\nactions_list: []\n") == [
        "lib.yaml:2: unknown key 'actions_list' in the action library (did you mean 'actions'?); "
        "allowed keys are: instrument, actions",
        "lib.yaml:2: the action library is missing required key 'instrument'",
        "lib.yaml:2: the action library is missing required key 'actions'",
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "title: Keep a list of what you have changed",
            "title: 2026",
            "title: 2026",
            'title must be text, but YAML reads 2026 as a number; put it in quotes, like "2026"',
        ),
        (
            "detail: >\n        Ask them what they would change first.",
            "detail:\n        - Ask them\n        - Tell them",
            "detail:",
            "detail must be text, but this is a list",
        ),
        (
            "for: [1, 2, 3]",
            "for: 2",
            "for: 2",
            "for must be a list of levels of 'climb' (numbers from 1 to 4), like [1, 2], but this is a number",
        ),
        (
            "for: [not-met, partly-met]",
            "for: not-met",
            "for: not-met",
            "for must be a list of option keys of 'statement', like [not-met], but this is text",
        ),
        (
            "  climb:\n    - key: first-step\n      title: Plan the next step with your team\n      for: [1, 2, 3]\n",
            "  climb: Plan the next step\n",
            "climb: Plan",
            "the actions for 'climb' must be a list of actions, each starting with '- ', but this is text",
        ),
        (
            "    - key: keep-going\n",
            "    - key: [keep-going]\n",
            "key: [keep-going]",
            "action key must be text, but this is a list",
        ),
    ],
)
def test_wrong_types(old, new, needle, message):
    text = edit(old, new)
    assert problems(text) == [f"lib.yaml:{line(text, needle)}: {message}"]


def test_actions_must_be_a_mapping_of_items():
    text = "instrument: test-instrument\nactions:\n  - steps\n"
    assert problems(text) == ["lib.yaml:2: actions must be a mapping (name: value pairs), but this is a list"]


def test_duplicate_action_key_within_an_item():
    text = edit("- key: keep-going", "- key: start-talking")
    assert problems(text) == [
        f"lib.yaml:{line(text, 'key: start-talking', 2)}: action key 'start-talking' is already used on line "
        f"{line(text, 'key: start-talking')} for 'steps'; each action of an item needs its own key"
    ]


def test_the_same_action_key_may_be_used_by_two_items():
    text = edit("- key: first-step", "- key: start-talking")
    assert len(parse(text, "lib.yaml", DEFINITION)) == 4


def test_an_item_given_twice_is_a_duplicate_key():
    text = GOOD + "  steps:\n    - key: another\n      title: Another\n"
    assert problems(text) == [
        f"lib.yaml:{line(text, '  steps:', 2)}: duplicate key 'steps' (already given on line {line(text, '  steps:')})"
    ]


def test_instrument_must_be_the_one_beside_it():
    text = edit("instrument: test-instrument", "instrument: health-check")
    assert problems(text) == [
        f"lib.yaml:{line(text, 'instrument:')}: this action library is for instrument 'health-check', but it "
        "sits beside the instrument 'test-instrument'; name the library after the instrument it belongs to "
        "(test-instrument.actions.yaml) and give its key here"
    ]


def test_unknown_item_names_the_items_the_instrument_has():
    text = edit("  statement:", "  statements:")
    assert problems(text) == [
        f"lib.yaml:{line(text, 'statements:')}: the instrument 'test-instrument' has no item 'statements' "
        "(did you mean 'statement'?); its items are: steps, statement, climb"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("for: [1]", "for: [0]", "for: [0]", "0 is not a level of 'steps': it has 3 levels, numbered 1 to 3"),
        ("for: [1]", "for: [4]", "for: [4]", "4 is not a level of 'steps': it has 3 levels, numbered 1 to 3"),
        (
            "for: [1]",
            "for: [3]",
            "for: [3]",
            "level 3 is the highest level of 'steps', so an answer there is never below its target and this "
            "action would never be suggested",
        ),
        (
            "for: [1]",
            "for: [first]",
            "for: [first]",
            "'steps' is a ladder item, so for lists its levels as numbers from 1 to 3, not 'first'",
        ),
        (
            "for: [1, 2, 3]",
            'for: [1, "2", 3]',
            'for: [1, "2", 3]',
            "'climb' is a milestones item, so for lists its levels as numbers from 1 to 4, not '2'",
        ),
        (
            "for: [not-met, partly-met]",
            "for: [not-met, partly]",
            "partly]",
            "'partly' is not an option of 'statement' (did you mean 'partly-met'?); "
            "its options are: fully-met, partly-met, not-met",
        ),
        (
            "for: [not-met, partly-met]",
            "for: [not-met, 2]",
            "not-met, 2]",
            "'statement' is a rating item, so for lists option keys (fully-met, partly-met, not-met), not 2",
        ),
        (
            "for: [not-met, partly-met]",
            "for: [fully-met]",
            "fully-met]",
            "'fully-met' is the best answer to 'statement' (it has the highest score), so an answer there is "
            "never below its target and this action would never be suggested",
        ),
        ("for: [1, 2, 3]", "for: [1, 2, 1]", "for: [1, 2, 1]", "1 is listed twice in for"),
    ],
)
def test_for_values_must_fit_the_item(old, new, needle, message):
    text = edit(old, new)
    assert problems(text) == [f"lib.yaml:{line(text, needle)}: {message}"]


def test_for_values_on_their_own_lines_are_reported_on_their_line():
    text = edit("for: [1, 2, 3]", "for:\n        - 1\n        - 7\n        - 2")
    assert problems(text) == [
        f"lib.yaml:{line(text, '- 7')}: 7 is not a level of 'climb': it has 4 levels, numbered 1 to 4"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "for: [1]",
            "for: []",
            "for: []",
            "for is empty: list the answers this action suits, or leave for out to suit any answer",
        ),
        (
            "  climb:\n    - key: first-step\n      title: Plan the next step with your team\n      for: [1, 2, 3]\n",
            "  climb: []\n",
            "climb: []",
            "the list of actions for 'climb' is empty: give at least one action",
        ),
    ],
)
def test_empty_lists(old, new, needle, message):
    text = edit(old, new)
    assert problems(text) == [f"lib.yaml:{line(text, needle)}: {message}"]


def test_empty_actions_and_empty_file():
    assert problems("instrument: test-instrument\nactions: {}\n") == [
        "lib.yaml:2: actions is empty: list at least one item with its actions"
    ]
    assert problems("# only a comment\n") == [
        "lib.yaml:1: the file is empty: an action library needs instrument and actions"
    ]


def test_yaml_syntax_error_has_its_line():
    text = edit("      title: Keep a list of what you have changed", "      title: Keep: a list")
    [message] = problems(text)
    assert message.startswith(f"lib.yaml:{line(text, 'Keep: a list')}: YAML syntax error: ")


def test_every_problem_in_a_file_is_reported_in_line_order():
    text = edit("instrument: test-instrument", "instrument: other")
    text = edit("  statement:", "  statment:", text)
    text = edit("for: [1, 2, 3]", "for: [5]", text)
    text = edit("      title: Keep a list of what you have changed\n", "      titel: Keep a list\n", text)
    found = problems(text)
    assert [int(message.split(":")[1]) for message in found] == [
        line(text, "instrument: other"),
        line(text, "key: keep-going"),  # missing title
        line(text, "titel:"),
        line(text, "statment:"),
        line(text, "for: [5]"),
    ]


# -- Any corrupted library is refused with a line that points at the problem --------------


def _valid_values(item: dict) -> list:
    """The answers an action of this item may list in ``for`` (everything below the top)."""
    if item["type"] in LEVEL_TYPES:
        return list(range(1, len(item["levels"])))
    if item["type"] == "context":
        return []  # never scored: no answers to list
    defaults = PAIRED_OPTIONS if item["type"] == "paired" else instrument_file.DEFAULT_OPTIONS
    options = item.get("options") or [{"key": o.key, "score": o.score} for o in defaults]
    best = max(option["score"] for option in options)
    tops = [option["key"] for option in options if option["score"] == best]
    return [option["key"] for option in options if not (len(tops) == 1 and option["key"] == tops[0])]


@st.composite
def instruments_with_libraries(draw):
    """A random valid instrument (as a dict) and a random valid action library for it."""
    doc = draw(instruments())
    all_items = [item for section in doc["sections"] for item in section["items"]]
    chosen = draw(
        st.lists(st.sampled_from(all_items), min_size=1, max_size=len(all_items), unique_by=lambda i: i["key"])
    )
    actions = {}
    for item in chosen:
        count = draw(st.integers(1, 4))
        keys = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
        entries = []
        for key in keys:
            entry = {"key": key, "title": draw(texts)}
            if draw(st.booleans()):
                entry["detail"] = draw(texts)
            values = _valid_values(item)
            if values and draw(st.booleans()):
                entry["for"] = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
            entries.append(entry)
        actions[item["key"]] = entries
    return doc, {"instrument": doc["key"], "actions": actions}


def _entries(library):
    return [(item_key, entry) for item_key, entries in library["actions"].items() for entry in entries]


def _placed_entries(library):
    """(place, item key, action) for every action; a place is the path to a node of the YAML document."""
    return [
        (("actions", item_key, index), item_key, entry)
        for item_key, entries in library["actions"].items()
        for index, entry in enumerate(entries)
    ]


# Corruptions: each changes a valid library in place and returns the places
# (paths into the document: mapping keys and list positions) of which at least
# one must be on the line of a reported problem. A path ending in a key means
# that key's line; one ending in a position, the line where that list entry starts.


def add_unknown_key(draw, doc, library):
    name = draw(st.sampled_from(["colour", "titel", "notes", "level", "fro"]))
    place, target = draw(st.sampled_from([((), library)] + [(p, e) for p, _key, e in _placed_entries(library)]))
    target[name] = draw(texts)
    return [(*place, name)]


def remove_a_title(draw, doc, library):
    place, _item_key, entry = draw(st.sampled_from(_placed_entries(library)))
    del entry["title"]
    return [place]  # reported on the action's first line


def change_a_type(draw, doc, library):
    choice = draw(st.sampled_from(["title", "detail", "for", "actions", "item", "instrument"]))
    place, item_key, entry = draw(st.sampled_from(_placed_entries(library)))
    if choice == "title":
        entry["title"] = draw(st.sampled_from([7, 2.5, True, ["a list"]]))
    elif choice == "detail":
        entry["detail"] = {"more": "words"}
    elif choice == "for":
        entry["for"] = draw(st.sampled_from(["all", 1, {"level": 1}]))
    elif choice == "actions":
        library["actions"] = list(library["actions"])
        return [("actions",)]
    elif choice == "item":
        library["actions"][item_key] = "see the plan"
        return [("actions", item_key)]
    else:
        library["instrument"] = 42
        return [("instrument",)]
    return [(*place, choice)]


def duplicate_an_action_key(draw, doc, library):
    item_key = draw(st.sampled_from(list(library["actions"])))
    entries = library["actions"][item_key]
    if len(entries) == 1:
        entries.append(copy.deepcopy(entries[0]))
    first, second = sorted(draw(st.lists(st.integers(0, len(entries) - 1), min_size=2, max_size=2, unique=True)))
    entries[second]["key"] = entries[first]["key"]
    return [("actions", item_key, first, "key"), ("actions", item_key, second, "key")]


def another_instrument(draw, doc, library):
    library["instrument"] = doc["key"] + "-other"
    return [("instrument",)]


def unknown_item(draw, doc, library):
    library["actions"]["not-an-item-here"] = [{"key": "any", "title": "Any"}]  # slugs have at most 3 parts
    return [("actions", "not-an-item-here")]


def bad_for_value(draw, doc, library):
    place, item_key, entry = draw(st.sampled_from(_placed_entries(library)))
    item = next(i for s in doc["sections"] for i in s["items"] if i["key"] == item_key)
    if item["type"] in LEVEL_TYPES:
        bad = draw(st.sampled_from([0, len(item["levels"]), len(item["levels"]) + 1, 99, "one", 1.5]))
    else:
        bad = draw(st.sampled_from(["not-an-option-here", 1, 0]))
    values = list(entry.get("for", []))
    position = draw(st.integers(0, len(values)))
    values.insert(position, bad)
    entry["for"] = values
    return [(*place, "for", position)]


def empty_a_list(draw, doc, library):
    choice = draw(st.sampled_from(["for", "item", "actions"]))
    place, item_key, entry = draw(st.sampled_from(_placed_entries(library)))
    if choice == "for":
        entry["for"] = []
        return [(*place, "for")]
    if choice == "item":
        library["actions"][item_key] = []
        return [("actions", item_key)]
    library["actions"] = {}
    return [("actions",)]


CORRUPTIONS = [
    add_unknown_key,
    remove_a_title,
    change_a_type,
    duplicate_an_action_key,
    another_instrument,
    unknown_item,
    bad_for_value,
    empty_a_list,
]


def line_of(text: str, place: tuple) -> int:
    """The line (from 1) of a place in a YAML document, found by parsing it, not
    by searching the text: YAML quotes a key such as 6, null or yes ('6':)."""
    node, line = yaml.compose(text), None
    for step in place:
        if isinstance(node, yaml.MappingNode):
            key, node = next((k, v) for k, v in node.value if k.value == step)
            line = key.start_mark.line + 1
        else:
            node = node.value[step]
            line = node.start_mark.line + 1
    return line


def test_line_of_finds_keys_that_yaml_quotes():
    text = dump({"actions": {"6": [{"key": "null", "for": [1, 2]}], "yes": []}, "instrument": "x"}, True)
    assert text.splitlines()[1] == "  '6':"  # a text search for "6:" finds nothing
    assert line_of(text, ("actions", "6")) == 2
    assert line_of(text, ("actions", "6", 0)) == 3
    assert line_of(text, ("actions", "6", 0, "for")) == 4
    assert line_of(text, ("actions", "6", 0, "for", 1)) == 6
    assert line_of(text, ("actions", "yes")) == 7
    assert line_of(text, ("instrument",)) == 8


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=instruments_with_libraries(), allow_unicode=st.booleans())
def test_any_valid_library_parses(pair, allow_unicode):
    doc, library = pair
    definition = instrument_file.parse(dump(doc, allow_unicode=True), "random.yaml")
    parsed = parse(dump(library, allow_unicode), "random.actions.yaml", definition)
    assert [(a.item_key, a.key, a.title, a.detail, list(a.applies_to)) for a in parsed.actions] == [
        (item_key, entry["key"], entry["title"], entry.get("detail", ""), entry.get("for", []))
        for item_key, entry in _entries(library)
    ]


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=instruments_with_libraries(), corruption=st.sampled_from(CORRUPTIONS), data=st.data())
def test_any_corrupted_library_is_refused_with_a_line_that_points_at_it(pair, corruption, data):
    doc, library = pair
    definition = instrument_file.parse(dump(doc, allow_unicode=True), "random.yaml")
    places = corruption(data.draw, doc, library)
    text = dump(library, allow_unicode=True)
    lines = text.splitlines()
    expected = {line_of(text, place) for place in places}
    with pytest.raises(InstrumentFileError) as caught:
        parse(text, "corrupt.actions.yaml", definition)
    found = caught.value.problems
    assert found
    for problem in found:
        assert isinstance(problem.line, int)
        assert 1 <= problem.line <= len(lines), str(problem)
        assert str(problem).startswith(f"corrupt.actions.yaml:{problem.line}: ")
    assert any(p.line in expected for p in found), (
        f"{corruption.__name__}: no problem on line {sorted(expected)} ({places}):\n"
        + "\n".join(str(p) for p in found)
        + "\n---\n"
        + text
    )


# -- Loading with the instrument ------------------------------------------------------------


def write_pair(folder, library: str | None = GOOD, instrument: str = INSTRUMENT):
    path = folder / "test-instrument.yaml"
    path.write_text(instrument, encoding="utf-8")
    beside = library_path(path)
    if library is None:
        beside.unlink(missing_ok=True)
    else:
        beside.write_text(library, encoding="utf-8")
    return path


def stored(version) -> list[tuple]:
    return list(
        Suggestion.objects.filter(version=version).values_list("item_key", "key", "title", "detail", "applies_to")
    )


def counts() -> dict[str, int]:
    return {
        "instruments": Instrument.objects.count(),
        "versions": InstrumentVersion.objects.count(),
        "suggestions": Suggestion.objects.count(),
    }


def test_a_good_library_is_loaded_with_its_instrument(db, tmp_path):
    result = load_path(write_pair(tmp_path))
    assert result.created
    assert stored(result.version) == [
        (
            "steps",
            "start-talking",
            "Start talking with the people you support",
            "Ask them what they would change first.",
            [1],
        ),
        ("steps", "keep-going", "Keep a list of what you have changed", "", []),
        ("statement", "write-it-down", "Write down how you do this now", "", ["not-met", "partly-met"]),
        ("climb", "first-step", "Plan the next step with your team", "", [1, 2, 3]),
    ]
    [companion] = result.companions
    assert (companion.name, companion.path.name, companion.status, companion.summary) == (
        "action library",
        "test-instrument.actions.yaml",
        "loaded",
        "4 suggested actions",
    )


def test_the_command_says_what_it_did_with_the_library(db, tmp_path):
    path = write_pair(tmp_path)
    stdout = io.StringIO()
    call_command("load_instrument", str(path), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Loaded Test instrument version 1 as revision 1",
        "Loaded its action library (test-instrument.actions.yaml): 4 suggested actions",
    ]
    stdout = io.StringIO()
    call_command("load_instrument", str(path), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Test instrument is unchanged (revision 1)",
        "Its action library (test-instrument.actions.yaml) is unchanged: 4 suggested actions",
    ]


def test_loading_again_writes_nothing(db, tmp_path):
    path = write_pair(tmp_path)
    first = load_path(path)
    pks = list(Suggestion.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        again = load_path(path)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert again.version == first.version and not again.created
    assert again.companions[0].status == "unchanged"
    assert list(Suggestion.objects.values_list("pk", flat=True)) == pks


def test_a_changed_library_replaces_the_versions_suggestions_but_not_drafted_actions(world, tmp_path):
    path = write_pair(tmp_path)
    version = load_path(path).version
    suggestion = Suggestion.objects.get(version=version, key="keep-going")
    drafted = Action.objects.create(
        organisation=world.org,
        instrument_key="test-instrument",
        item_key="steps",
        library_key=suggestion.key,
        source=ActionSource.LIBRARY,
        title=suggestion.title,
        status=ActionStatus.SUGGESTED,
    )
    write_pair(tmp_path, edit("title: Keep a list of what you have changed", "title: Keep a log of every change"))
    stdout = io.StringIO()
    call_command("load_instrument", str(path), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Test instrument is unchanged (revision 1)",
        "Updated its action library (test-instrument.actions.yaml): 4 suggested actions",
    ]
    assert InstrumentVersion.objects.count() == 1
    assert Suggestion.objects.get(version=version, key="keep-going").title == "Keep a log of every change"
    assert Suggestion.objects.filter(version=version).count() == 4
    drafted.refresh_from_db()
    assert drafted.title == "Keep a list of what you have changed"


def test_a_removed_action_goes_and_the_order_is_the_files(db, tmp_path):
    path = write_pair(tmp_path)
    version = load_path(path).version
    shorter = edit("    - key: keep-going\n      title: Keep a list of what you have changed\n", "")
    write_pair(tmp_path, shorter)
    assert load_path(path).companions[0].summary == "3 suggested actions"
    assert [key for _item, key, *_rest in stored(version)] == ["start-talking", "write-it-down", "first-step"]


def test_a_new_instrument_version_gets_the_library_too(db, tmp_path):
    path = write_pair(tmp_path)
    first = load_path(path).version
    write_pair(
        tmp_path,
        edit("title: Plan the next step with your team", "title: Plan the next step together"),
        instrument=INSTRUMENT.replace('version: "1"', 'version: "2"'),
    )
    result = load_path(path)
    assert result.created and result.version.revision == 2
    assert result.companions[0].status == "loaded"
    assert Suggestion.objects.get(version=result.version, key="first-step").title == "Plan the next step together"
    # The first version keeps the library it was loaded with.
    assert Suggestion.objects.get(version=first, key="first-step").title == "Plan the next step with your team"


def test_without_a_library_the_command_says_so_and_keeps_what_was_loaded(db, tmp_path):
    path = write_pair(tmp_path)
    version = load_path(path).version
    write_pair(tmp_path, library=None)
    stdout = io.StringIO()
    call_command("load_instrument", str(path), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Test instrument is unchanged (revision 1)",
        "It has no action library (there is no test-instrument.actions.yaml beside it)",
    ]
    assert Suggestion.objects.filter(version=version).count() == 4


def test_a_bad_library_refuses_the_whole_load(db, tmp_path):
    good_elsewhere = tmp_path / "other"
    good_elsewhere.mkdir()
    other = write_pair(good_elsewhere)
    other = other.rename(good_elsewhere / "other-copy.yaml")  # an instrument with no library beside it
    bad_text = edit("for: [1]", "for: [9]")
    path = write_pair(tmp_path, bad_text)
    with pytest.raises(InstrumentFileError) as caught:
        load_paths([other, path])
    assert [str(p) for p in caught.value.problems] == [
        f"{library_path(path)}:{line(bad_text, 'for: [9]')}: "
        "9 is not a level of 'steps': it has 3 levels, numbered 1 to 3"
    ]
    assert counts() == {"instruments": 0, "versions": 0, "suggestions": 0}


def test_a_bad_library_through_the_command_loads_nothing(db, tmp_path):
    bad_text = edit("  statement:", "  statment:")
    path = write_pair(tmp_path, bad_text)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"^1 problem in 1 file; nothing was loaded$"):
        call_command("load_instrument", str(path), stdout=stdout, stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        f"{library_path(path)}:{line(bad_text, 'statment:')}: the instrument 'test-instrument' has no item "
        "'statment' (did you mean 'statement'?); its items are: steps, statement, climb"
    ]
    assert stdout.getvalue() == ""
    assert counts() == {"instruments": 0, "versions": 0, "suggestions": 0}


def test_a_bad_library_leaves_the_loaded_one_alone(db, tmp_path):
    path = write_pair(tmp_path)
    version = load_path(path).version
    before = stored(version)
    write_pair(tmp_path, edit("title: Keep a list of what you have changed", "title:"))
    with pytest.raises(InstrumentFileError):
        load_path(path)
    assert stored(version) == before


def test_a_bad_instrument_and_a_bad_library_are_reported_together(db, tmp_path):
    good = write_pair(tmp_path, edit("for: [1]", "for: [0]"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: broken\ntitle: Broken\n", encoding="utf-8")
    with pytest.raises(InstrumentFileError) as caught:
        load_paths([good, broken])
    assert list(dict.fromkeys(p.filename for p in caught.value.problems)) == [str(library_path(good)), str(broken)]
    assert counts() == {"instruments": 0, "versions": 0, "suggestions": 0}


# -- The libraries PersonFirst ships -------------------------------------------------------


def shipped_libraries():
    for path in shipped_instrument_paths():
        definition = read_path(path)
        yield definition, library_file.read_path(library_path(path), definition)


def test_every_shipped_instrument_has_a_valid_library():
    keys = [definition.key for definition, _library in shipped_libraries()]
    assert keys == ["flexible-services", "health-check", "side-by-side", "workforce-ladder"]


@pytest.mark.parametrize(
    ("instrument", "at_least"),
    [("health-check", 2), ("flexible-services", 2), ("workforce-ladder", 1), ("side-by-side", 1)],
)
def test_the_shipped_libraries_cover_every_item(instrument, at_least):
    definition, library = next((d, lib) for d, lib in shipped_libraries() if d.key == instrument)
    short = {item.key: len(library.for_item(item.key)) for item in definition.items}
    assert all(count >= at_least for count in short.values()), short


def test_every_answer_below_the_top_gets_at_least_one_shipped_suggestion():
    gaps = []
    for definition, library in shipped_libraries():
        for item in definition.items:
            if item.type in LEVEL_TYPES:
                below_top = list(range(1, len(item.levels)))
            else:
                best = max(option.score for option in item.options)
                below_top = [option.key for option in item.options if option.score < best]
            for answer in below_top:
                if not any(not a.applies_to or answer in a.applies_to for a in library.for_item(item.key)):
                    gaps.append(f"{definition.key}/{item.key} answered {answer}")
    assert gaps == []


def test_shipped_library_text_is_plain_and_complete():
    for _definition, library in shipped_libraries():
        for action in library.actions:
            assert action.detail, f"{library.instrument}/{action.item_key}/{action.key} has no detail"
            assert not action.title.endswith("."), action.title
            assert len(action.title) <= 100, action.title


def test_the_text_example_in_the_module_docstring_is_a_valid_library():
    example = textwrap.dedent(library_file.__doc__.split("::\n")[1].split("\n\n``for``")[0])
    health_check = read_path(next(p for p in shipped_instrument_paths() if p.stem == "health-check"))
    assert len(parse(example, "example.yaml", health_check)) == 1


# -- docs/instruments.md says what the checker does ------------------------------------------


def docs_instrument():
    example = fenced_blocks(docs_part("## A complete example"), "yaml")[0]
    return instrument_file.parse(example, "volunteer-readiness.yaml")


def test_the_docs_library_example_is_valid_for_the_docs_instrument():
    example = fenced_blocks(docs_part("## Action libraries"), "yaml")[0]
    library = parse(example, "volunteer-readiness.actions.yaml", docs_instrument())
    assert [(a.item_key, a.key, a.applies_to) for a in library.actions] == [
        ("volunteer-matching", "ask-what-matters", (1,)),
        ("volunteer-matching", "meet-and-choose", (1, 2)),
        ("volunteer-training", "choice-session", ("not-met",)),
        ("volunteer-training", "buddy-volunteers", ()),
        ("assistant-support", "advert-template", (1,)),
    ]


def test_the_docs_library_error_example_is_what_the_checker_says():
    part = docs_part("## Action libraries")
    bad = fenced_blocks(part, "yaml")[1]
    printed = next(block for block in fenced_blocks(part) if "load_instrument volunteer-readiness.yaml" in block)
    with pytest.raises(InstrumentFileError) as caught:
        parse(bad, "volunteer-readiness.actions.yaml", docs_instrument())
    actual = [str(problem) for problem in caught.value.problems]
    assert printed.splitlines()[1:-1] == actual
    assert printed.splitlines()[-1] == f"CommandError: {len(actual)} problems in 1 file; nothing was loaded"


def test_the_docs_list_every_key_the_library_checker_allows():
    part = docs_part("## Action libraries")
    documented = re.findall(r"^\| `([a-z_]+)` +\|", part, flags=re.M)
    assert documented == list(library_file.LIBRARY_KEYS) + list(library_file.ACTION_KEYS)
