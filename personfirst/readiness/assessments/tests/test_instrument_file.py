"""The instrument file checker: the shipped files, targeted bad files, and properties.

No database here: readiness.instrument_file is plain Python.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.core.definitions.items import exact
from personfirst.core.organisations.choices import OrganisationType, ServiceKind
from personfirst.readiness.assessments.conditions import CONDITION_CHOICES
from personfirst.readiness.assessments.instrument_file import (
    DEFAULT_OPTIONS,
    INSTRUMENT_KEYS,
    ITEM_KEYS,
    ITEM_TYPES,
    LEVEL_TYPES,
    OPTION_KEYS,
    SECTION_KEYS,
    InstrumentFileError,
    Problem,
    parse,
)
from personfirst.readiness.assessments.paired import PAIRED_OPTIONS
from personfirst.testing import examples

INSTRUMENTS = Path(__file__).resolve().parent.parent / "instruments"


def shipped(name: str):
    path = INSTRUMENTS / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def problems_in(text: str, filename: str = "bad.yaml") -> list[Problem]:
    with pytest.raises(InstrumentFileError) as caught:
        parse(textwrap.dedent(text).lstrip("\n"), filename)
    assert caught.value.problems, "InstrumentFileError without problems"
    return caught.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_in(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# -- The shipped instruments ----------------------------------------------------


def test_health_check_has_fifteen_ladders_and_two_conditional_sections():
    definition = shipped("health-check.yaml")
    assert (definition.key, definition.title, definition.version) == (
        "health-check",
        "Personalisation health check",
        "1.0",
    )
    assert definition.publisher == "PersonFirst contributors"
    assert definition.licence == "CC BY 4.0"
    assert definition.description.startswith("For small charities")
    assert len(definition.sections) == 15
    assert [len(section.items) for section in definition.sections] == [1] * 15
    assert {item.type for item in definition.items} == {"ladder"}
    assert [len(item.levels) for item in definition.items] == [3, 4, 4, 4, 3, 4, 3, 3, 4, 3, 4, 4, 3, 4, 4]
    assert [section.key for section in definition.sections if section.condition] == [
        "information-advice-advocacy-brokerage",
        "direct-payment-support",
    ]
    assert definition.sections[13].condition == {"provides": ["information_advice", "advocacy", "brokerage"]}
    assert definition.sections[14].condition == {"provides": ["direct_payment_support"]}
    assert all(section.guidance for section in definition.sections)
    assert all(item.options == () and item.comments is False for item in definition.items)
    # Folded text is stripped: no trailing newline, no leading space.
    first_level = definition.items[0].levels[0]
    assert first_level.startswith("We have not yet looked") and first_level == first_level.strip()


def test_flexible_services_has_thirteen_rating_items_in_four_sections():
    definition = shipped("flexible-services.yaml")
    assert definition.key == "flexible-services"
    assert [section.key for section in definition.sections] == [
        "flexible-support",
        "new-services",
        "workforce",
        "systems-and-processes",
    ]
    assert [len(section.items) for section in definition.sections] == [4, 3, 3, 3]
    assert all(section.condition is None for section in definition.sections)
    for item in definition.items:
        assert item.type == "rating"
        assert item.levels == ()
        assert item.options == DEFAULT_OPTIONS
        assert item.comments is True
    assert [(o.key, o.label, o.score) for o in DEFAULT_OPTIONS] == [
        ("fully-met", "Fully met", 100),
        ("partly-met", "Partly met", 50),
        ("not-met", "Not met", 0),
    ]
    guided = [item.key for item in definition.items if item.guidance]
    assert guided == ["life-beyond-the-building"]


def test_workforce_ladder_is_one_milestones_item_with_five_levels():
    definition = shipped("workforce-ladder.yaml")
    assert definition.key == "workforce-ladder"
    assert len(definition.sections) == 1
    (item,) = definition.sections[0].items
    assert (item.key, item.type, len(item.levels)) == ("workforce-development", "milestones", 5)
    assert item.levels[0].startswith("Meeting the legal basics.")
    assert item.levels[-1].startswith("A person-centred workforce strategy.")


def test_item_keys_are_unique_across_all_shipped_files():
    for name in ("health-check.yaml", "flexible-services.yaml", "workforce-ladder.yaml"):
        keys = [item.key for item in shipped(name).items]
        assert len(keys) == len(set(keys))


def test_content_hash_ignores_comments_and_layout_but_not_wording():
    original = (INSTRUMENTS / "workforce-ladder.yaml").read_text(encoding="utf-8")
    relaid = "# An extra comment.\n" + original.replace("\n\nsections:", "\n\n\nsections:  # the sections\n")
    reworded = original.replace("Meeting the legal basics.", "Meeting the legal minimum.")
    assert relaid != original
    assert reworded != original
    assert parse(relaid, "x").content_hash() == parse(original, "x").content_hash()
    assert parse(reworded, "x").content_hash() != parse(original, "x").content_hash()


def test_leaving_defaults_out_or_writing_them_out_is_the_same_content():
    short = """
        key: one
        title: One
        version: "1"
        sections:
          - key: s
            title: S
            items:
              - {key: i, type: rating, prompt: P}
    """
    written_out = """
        key: one
        title: One
        version: "1"
        sections:
          - key: s
            title: S
            items:
              - key: i
                type: rating
                prompt: P
                comments: true
                options:
                  - {key: fully-met, label: Fully met, score: 100}
                  - {key: partly-met, label: Partly met, score: 50.0}
                  - {key: not-met, label: Not met, score: 0}
    """
    a = parse(textwrap.dedent(short), "a")
    b = parse(textwrap.dedent(written_out), "b")
    assert a == b
    assert a.content_hash() == b.content_hash()


def test_problem_formats_as_file_line_message():
    assert str(Problem("x.yaml", 12, "unknown key 'titel'")) == "x.yaml:12: unknown key 'titel'"
    assert str(Problem("x.yaml", None, "cannot read the file")) == "x.yaml: cannot read the file"


# -- Targeted bad files -----------------------------------------------------------

GOOD = textwrap.dedent("""
    key: sample
    title: Sample
    version: "1.0"
    sections:
      - key: first
        title: First
        items:
          - key: where-now
            type: ladder
            prompt: Where are you now?
            levels:
              - Not started
              - Started
""").lstrip("\n")

# A second section whose item reuses GOOD's item key; it starts on line 14.
SECOND_SECTION = """\
  - key: second
    title: Second
    items:
      - key: where-now
        type: rating
        prompt: We do this.
"""


def test_the_good_base_file_parses():
    definition = parse(textwrap.dedent(GOOD), "good.yaml")
    assert definition.items[0].levels == ("Not started", "Started")


def test_unknown_key_names_its_line_and_suggests_the_right_one():
    problem = only_problem(GOOD.replace("        type: ladder\n", "        type: ladder\n        guidence: Think.\n"))
    assert problem.line == 10
    assert problem.message == (
        "unknown key 'guidence' in this item (did you mean 'guidance'?); "
        "allowed keys are: key, type, prompt, guidance, levels, options, max_length, i, we, comments, evidence, "
        "condition, not_relevant, dont_know"
    )


def test_misspelt_required_key_also_reports_it_missing():
    problems = problems_in(GOOD.replace("    title: First\n", "    titel: First\n"))
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (5, "this section is missing required key 'title'"),
        (6, "unknown key 'titel' in this section (did you mean 'title'?)"),
    ]


def test_unknown_key_at_the_top_level():
    problem = only_problem(GOOD.replace('version: "1.0"\n', 'version: "1.0"\ncolour: blue\n'))
    assert problem.line == 4
    assert problem.message.startswith("unknown key 'colour' in the instrument; allowed keys are: key, title, version")


def test_missing_field_names_the_mapping_that_lacks_it():
    problem = only_problem(GOOD.replace("        prompt: Where are you now?\n", ""))
    assert problem.line == 8
    assert problem.message == "this item is missing required key 'prompt'"


def test_missing_sections():
    problem = only_problem("""
        key: sample
        title: Sample
        version: "1.0"
    """)
    assert (problem.line, problem.message) == (1, "the instrument is missing required key 'sections'")


def test_ladder_with_one_level():
    problem = only_problem(GOOD.replace("          - Started\n", ""))
    assert problem.line == 11
    assert problem.message == "a ladder item needs at least 2 levels, but this one has 1"


def test_milestones_without_levels():
    problem = only_problem("""
        key: sample
        title: Sample
        version: "1.0"
        sections:
          - key: first
            title: First
            items:
              - key: steps
                type: milestones
                prompt: Which step?
    """)
    assert problem.line == 8
    assert problem.message.startswith("this milestones item is missing required key 'levels'")


def test_duplicate_item_key_across_sections():
    problem = only_problem(GOOD + SECOND_SECTION)
    assert problem.line == 17
    assert problem.message == (
        "item key 'where-now' is already used on line 8; item keys must be unique across the whole instrument"
    )


def test_duplicate_section_key():
    problem = only_problem(GOOD + SECOND_SECTION.replace("second", "first").replace("where-now", "other"))
    assert (problem.line, problem.message) == (14, "section key 'first' is already used on line 5")


def test_an_item_may_share_its_sections_key():
    parse(GOOD.replace("key: where-now", "key: first"), "ok.yaml")


def test_duplicate_mapping_key_is_caught_although_safe_load_would_hide_it():
    text = GOOD.replace("        type: ladder\n", "        type: ladder\n        prompt: Again?\n")
    # safe_load quietly keeps the last one:
    assert yaml.safe_load(text)["sections"][0]["items"][0]["prompt"] == "Where are you now?"
    problem = only_problem(text)
    assert problem.line == 11
    assert problem.message == "duplicate key 'prompt' (already given on line 10)"


def test_unknown_condition():
    problem = only_problem(
        GOOD.replace("    title: First\n", "    title: First\n    condition:\n      region: [north]\n")
    )
    assert problem.line == 8
    assert problem.message == (
        "unknown condition 'region'; a condition can use: "
        "provides, organisation_type, size, paid_staff, volunteers, all, any, not"
    )


def test_unknown_service_code_names_it_and_lists_the_known_ones():
    problem = only_problem(
        GOOD.replace(
            "    title: First\n",
            "    title: First\n    condition:\n      provides:\n        - advocacy\n        - cooking\n",
        )
    )
    assert problem.line == 10
    assert problem.message.startswith("unknown service kind 'cooking' in provides; the known codes are: personal_care,")
    assert "did you mean" not in problem.message
    assert all(code in problem.message for code in ServiceKind.values)


def test_unknown_organisation_type():
    problem = only_problem(
        GOOD.replace("    title: First\n", "    title: First\n    condition: {organisation_type: [charity]}\n")
    )
    assert problem.line == 7
    assert problem.message.startswith("unknown organisation type 'charity' in organisation_type")
    assert all(code in problem.message for code in OrganisationType.values)


def test_empty_condition():
    problem = only_problem(GOOD.replace("    title: First\n", "    title: First\n    condition: {}\n"))
    assert (problem.line, problem.message) == (
        7,
        "condition is empty: give at least one of provides, organisation_type, size, paid_staff, volunteers, "
        "all, any, not",
    )


def test_a_condition_on_an_item_is_read_and_checked():
    definition = parse(
        GOOD.replace("        type: ladder\n", "        type: ladder\n        condition: {provides: [advocacy]}\n"),
        "good.yaml",
    )
    assert definition.items[0].condition == {"provides": ["advocacy"]}
    problem = only_problem(
        GOOD.replace("        type: ladder\n", "        type: ladder\n        condition: {provides: [cooking]}\n")
    )
    assert problem.line == 10
    assert problem.message.startswith("unknown service kind 'cooking' in provides")


def test_levels_written_as_text():
    problem = only_problem(
        GOOD.replace(
            "        levels:\n          - Not started\n          - Started\n", "        levels: Not started, Started\n"
        )
    )
    assert (problem.line, problem.message) == (
        11,
        "levels must be a list of statements (one per line, each starting with '- '), but this is text",
    )


def test_score_written_as_text():
    problem = only_problem("""
        key: sample
        title: Sample
        version: "1.0"
        sections:
          - key: first
            title: First
            items:
              - key: rated
                type: rating
                prompt: We do this.
                options:
                  - {key: yes-always, label: Always, score: 100}
                  - {key: never, label: Never, score: nothing}
    """)
    assert (problem.line, problem.message) == (13, "score must be a number from 0 to 100, but this is text ('nothing')")


def test_score_out_of_range_and_quoted_numbers():
    problems = problems_in("""
        key: sample
        title: Sample
        version: "1.0"
        sections:
          - key: first
            title: First
            items:
              - key: rated
                type: rating
                prompt: We do this.
                options:
                  - {key: high, label: High, score: 150}
                  - {key: low, label: Low, score: "0"}
                  - {key: odd, label: Odd, score: true}
                  - {key: big, label: Big, score: 1e3}
    """)
    assert [(p.line, p.message) for p in problems] == [
        (12, "score must be a number from 0 to 100, but this is 150"),
        (13, "score must be a number from 0 to 100, but this is text; take the quotes off 0"),
        (14, "score must be a number from 0 to 100, but this is true/false"),
        (15, "score must be a number from 0 to 100, but YAML reads 1e3 as text; write it like 50 or 33.3"),
    ]


def test_sections_written_as_a_mapping():
    problem = only_problem("""
        key: sample
        title: Sample
        version: "1.0"
        sections:
          first:
            title: First
    """)
    assert (problem.line, problem.message) == (
        4,
        "sections must be a list of sections, but this is a mapping (name: value pairs)",
    )


def test_version_must_be_quoted():
    problem = only_problem(GOOD.replace('version: "1.0"', "version: 1.0"))
    assert problem.line == 3
    assert (
        problem.message
        == 'version must be text, but YAML reads 1.0 as a number; write the version in quotes, like "1.0"'
    )


def test_other_wrong_types():
    problems = problems_in("""
        key: Sample Key
        title: [Sample]
        version: "2"
        publisher: ""
        sections:
          - key: first
            title: First
            items:
              - key: where-now
                type: scale
                prompt: 42
                comments: sometimes
              - key: rated
                type: rating
                prompt: We do this.
                levels: [a, b]
              - key: climbing
                type: ladder
                prompt: Where?
                levels: [a, a]
                options: []
    """)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (
            1,
            "instrument key 'Sample Key' must use only lowercase letters, digits and single hyphens "
            "(like 'my-key-2'), and must not start or end with a hyphen",
        ),
        (2, "title must be text, but this is a list"),
        (4, "publisher is empty"),
        (10, "unknown item type 'scale'"),
        (11, "prompt must be text, but YAML reads 42 as a number"),
        (12, "comments must be true or false, but this is text"),
        (16, "levels are only for ladder and milestones items"),
        (20, "level 2 is the same as level 1"),
        (21, "options are only for rating, context and paired items"),
    ]


def test_yaml_syntax_error_reports_the_line_pyyaml_points_at():
    problem = only_problem("""
        key: sample
        title: Sample
        version: "1.0"
        sections:
          - key: first
            title: First: the sequel
    """)
    assert problem.line == 6
    assert problem.message.startswith("YAML syntax error: mapping values are not allowed here")


def test_tab_indentation_is_a_syntax_error():
    problem = only_problem('key: sample\ntitle: Sample\nversion: "1.0"\nsections:\n\t- key: first\n')
    assert problem.line == 5
    assert problem.message.startswith("YAML syntax error:")


def test_two_documents_in_one_file():
    problem = only_problem(GOOD + "---\n" + GOOD)
    assert (problem.line, problem.message) == (
        14,
        "YAML syntax error: expected a single document in the stream, but found another document",
    )


def test_a_control_character_is_named():
    problem = only_problem(GOOD.replace("Where are you now?", "Where are you\x07 now?"))
    assert (problem.line, problem.message) == (10, "the file contains a character YAML does not allow (U+0007)")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(text):
    problems = problems_in(text)
    assert [(p.line, p.message) for p in problems] == [
        (1, "the file is empty: an instrument needs at least key, title, version and sections")
    ]


def test_top_level_must_be_a_mapping():
    problem = only_problem("- key: sample\n")
    assert (problem.line, problem.message) == (
        1,
        "the instrument must be a mapping (name: value pairs), but this is a list",
    )


def test_alias_of_a_mapping_or_list_is_refused():
    problem = only_problem(
        GOOD.replace("        levels:\n", "        levels: &steps\n")
        + "  - key: second\n    title: Second\n    items:\n"
        + "      - key: again\n        type: ladder\n        prompt: Again\n        levels: *steps\n"
    )
    assert problem.line == 20
    assert "YAML alias" in problem.message


def test_every_problem_in_a_file_is_reported_in_line_order():
    problems = problems_in("""
        key: sample
        title: Sample
        version: 2
        sections:
          - key: first
            titel: First
            condition: {provides: [cooking], region: [north]}
            items:
              - key: where-now
                type: ladder
                prompt: Where are you now?
                levels: [Only one]
              - key: where-now
                type: rating
                prompt: We do this.
                options:
                  - {key: a, label: A, score: lots}
    """)
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    lines_and_starts = [(p.line, p.message[:31]) for p in problems]
    assert lines_and_starts == [
        (3, "version must be text, but YAML "),
        (5, "this section is missing require"),
        (6, "unknown key 'titel' in this sec"),
        (7, "unknown condition 'region'; a c"),
        (7, "unknown service kind 'cooking' "),
        (12, "a ladder item needs at least 2 "),
        (13, "item key 'where-now' is already"),
        (16, "a rating item needs at least 2 "),
        (17, "score must be a number from 0 t"),
    ]
    assert all(str(p).startswith(f"bad.yaml:{p.line}: ") for p in problems)


# -- Properties -------------------------------------------------------------------

SERVICE_CODES = list(ServiceKind.values)
TYPE_CODES = list(OrganisationType.values)

slugs = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1, max_size=3).map(
    "-".join
)
# Stripped, non-empty texts, with no filter to slow generation down: words
# joined by single spaces. The characters include YAML's special ones and
# some beyond ASCII, so that quoting and escaping get exercised.
TEXT_CHARACTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "-:#&*!|>'\"%@`{}[],?.;/\\()+=~^$_<"
    "éüßøÆ’“”…–—€£·§¿中文字😀"
)
words = st.text(st.sampled_from(TEXT_CHARACTERS), min_size=1, max_size=8)
texts = st.lists(words, min_size=1, max_size=4).map(" ".join)
short_texts = st.lists(words, min_size=1, max_size=3).map(" ".join)  # at most 26 characters, for version
scores = st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False))
provides_lists = st.lists(st.sampled_from(SERVICE_CODES), min_size=1, max_size=4, unique=True)
type_lists = st.lists(st.sampled_from(TYPE_CODES), min_size=1, max_size=3, unique=True)
conditions = st.one_of(
    st.fixed_dictionaries({"provides": provides_lists}),
    st.fixed_dictionaries({"organisation_type": type_lists}),
    st.fixed_dictionaries({"provides": provides_lists, "organisation_type": type_lists}),
)


@st.composite
def options_lists(draw):
    count = draw(st.integers(2, 5))
    keys = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    labels = draw(st.lists(texts, min_size=count, max_size=count, unique=True))
    # Each option its own score: the scores place the options on the item's scale.
    values = draw(st.lists(scores, min_size=count, max_size=count, unique_by=exact))
    return [{"key": k, "label": label, "score": score} for k, label, score in zip(keys, labels, values, strict=True)]


@st.composite
def items(draw, key):
    item_type = draw(st.sampled_from(ITEM_TYPES))
    item = {"key": key, "type": item_type, "prompt": draw(texts)}
    if draw(st.booleans()):
        item["guidance"] = draw(texts)
    if item_type in LEVEL_TYPES:
        item["levels"] = draw(st.lists(texts, min_size=2, max_size=6, unique=True))
    elif item_type == "context":
        if draw(st.booleans()):
            item["options"] = [{"key": o["key"], "label": o["label"]} for o in draw(options_lists())]
        elif draw(st.booleans()):
            item["max_length"] = draw(st.integers(1, 1000))
    elif draw(st.booleans()):
        item["options"] = draw(options_lists())
    if item_type == "paired":
        item["i"] = draw(texts)
        item["we"] = draw(texts)
    if draw(st.booleans()):
        item["comments"] = draw(st.booleans())
    return item


@st.composite
def instruments(draw):
    """A random valid instrument, as the dict a YAML file would hold."""
    counts = draw(st.lists(st.integers(1, 5), min_size=1, max_size=6))
    section_keys = draw(st.lists(slugs, min_size=len(counts), max_size=len(counts), unique=True))
    item_keys = iter(draw(st.lists(slugs, min_size=sum(counts), max_size=sum(counts), unique=True)))
    doc = {"key": draw(slugs), "title": draw(texts), "version": draw(short_texts)}
    for optional in ("publisher", "licence", "description"):
        if draw(st.booleans()):
            doc[optional] = draw(texts)
    doc["sections"] = []
    for section_key, count in zip(section_keys, counts, strict=True):
        section = {"key": section_key, "title": draw(texts)}
        if draw(st.booleans()):
            section["guidance"] = draw(texts)
        if draw(st.booleans()):
            section["condition"] = draw(conditions)
        if draw(st.booleans()):
            section["weight"] = draw(st.integers(1, 100))
        section["items"] = [draw(items(next(item_keys))) for _ in range(count)]
        doc["sections"].append(section)
    return doc


def expected_structure(doc: dict) -> dict:
    """What InstrumentDefinition.to_dict() should give for a valid doc: every default filled in."""
    default_options = [{"key": o.key, "label": o.label, "score": o.score} for o in DEFAULT_OPTIONS]

    paired_options = [{"key": o.key, "label": o.label, "score": o.score} for o in PAIRED_OPTIONS]
    defaults = {"rating": default_options, "paired": paired_options}

    def item(i):
        found = {
            "key": i["key"],
            "type": i["type"],
            "prompt": i["prompt"],
            "guidance": i.get("guidance", ""),
            "levels": i.get("levels", []),
            "options": i.get("options", defaults.get(i["type"], [])),
            "comments": i.get("comments", i["type"] in ("rating", "paired")),
        }
        if i["type"] == "context":  # options without scores, or a written answer; never "not relevant"
            found["options"] = [{**option, "score": 0} for option in found["options"]]
            if not found["options"]:
                found["settings"] = {"max_length": i.get("max_length", 200)}
            found["not_relevant"] = False
        if i["type"] == "paired":
            found["settings"] = {"i": i["i"], "we": i["we"]}
        return found

    return {
        "key": doc["key"],
        "title": doc["title"],
        "version": doc["version"],
        "publisher": doc.get("publisher", ""),
        "licence": doc.get("licence", ""),
        "description": doc.get("description", ""),
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "guidance": s.get("guidance", ""),
                "condition": s.get("condition"),
                "items": [item(i) for i in s["items"]],
            }
            | ({"weight": s["weight"]} if s.get("weight", 1) != 1 else {})
            for s in doc["sections"]
        ],
    }


def dump(doc: dict, allow_unicode: bool) -> str:
    # A JSON round trip first, so that no object is shared and safe_dump writes no anchors.
    return yaml.safe_dump(json.loads(json.dumps(doc)), sort_keys=False, allow_unicode=allow_unicode)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instruments(), allow_unicode=st.booleans())
def test_any_valid_instrument_round_trips(doc, allow_unicode):
    definition = parse(dump(doc, allow_unicode), "random.yaml")
    assert definition.to_dict() == expected_structure(doc)


# Corruptions: each changes a valid doc in place and returns the texts that the
# line of at least one reported problem must contain (or () for "any line").


def _mappings(doc):
    """(description, mapping, spec-required-keys) for every mapping a corruption may touch."""
    found = [("instrument", doc, ["key", "title", "version", "sections"])]
    for section in doc["sections"]:
        found.append(("section", section, ["key", "title", "items"]))
        for item in section["items"]:
            required = ["key", "type", "prompt"] + (["levels"] if item["type"] in LEVEL_TYPES else [])
            required += ["i", "we"] if item["type"] == "paired" else []
            found.append(("item", item, required))
            for option in item.get("options", []):
                found.append(("option", option, ["key", "label", "score"]))
    return found


def _all_items(doc):
    return [item for section in doc["sections"] for item in section["items"]]


def delete_required_field(draw, doc):
    _what, mapping, required = draw(st.sampled_from(_mappings(doc)))
    name = draw(st.sampled_from(required))
    del mapping[name]
    first_remaining = next(iter(mapping))
    return (f"{first_remaining}:",)  # reported on the mapping's first line


def add_unknown_key(draw, doc):
    _what, mapping, _required = draw(st.sampled_from(_mappings(doc)))
    name = draw(st.sampled_from(["colour", "titel", "notes", "level", "option", "condition-x"]))
    mapping[name] = draw(texts)
    return (f"{name}:",)


def shrink_a_ladder(draw, doc):
    laddered = [item for item in _all_items(doc) if item["type"] in LEVEL_TYPES]
    if laddered:
        item = draw(st.sampled_from(laddered))
    else:
        item = draw(st.sampled_from(_all_items(doc)))
        item["type"] = "ladder"
        item.pop("options", None)
        item["levels"] = ["Only one", "Two"]
    item["levels"] = item["levels"][: draw(st.integers(0, 1))]
    return ("levels:",)


def shrink_the_options(draw, doc):
    item = draw(st.sampled_from(_all_items(doc)))
    item["type"] = "rating"
    item.pop("levels", None)
    item["options"] = draw(options_lists())[:1]
    return ("options:",)


def duplicate_an_item_key(draw, doc):
    all_items = _all_items(doc)
    if len(all_items) == 1:
        section = doc["sections"][0]
        section["items"].append(copy.deepcopy(section["items"][0]))
        all_items = _all_items(doc)
    first, second = sorted(draw(st.lists(st.integers(0, len(all_items) - 1), min_size=2, max_size=2, unique=True)))
    all_items[second]["key"] = all_items[first]["key"]
    return ("key:", all_items[first]["key"])


def unknown_condition(draw, doc):
    section = draw(st.sampled_from(doc["sections"]))
    name = draw(st.sampled_from(["region", "sizes", "provide", "org_type"]))
    section.setdefault("condition", {})[name] = ["anything"]
    return (f"{name}:",)


def unknown_code(draw, doc):
    section = draw(st.sampled_from(doc["sections"]))
    name = draw(st.sampled_from(["provides", "organisation_type"]))
    codes = section.setdefault("condition", {}).setdefault(name, [])
    codes.insert(draw(st.integers(0, len(codes))), "cooking")
    return ("cooking",)


def change_a_type(draw, doc):
    choice = draw(st.sampled_from(["levels", "score", "sections", "items", "title", "version", "comments", "prompt"]))
    all_items = _all_items(doc)
    if choice == "levels":
        item = draw(st.sampled_from(all_items))
        item["type"] = draw(st.sampled_from(LEVEL_TYPES))
        item.pop("options", None)
        item["levels"] = "Not started, started, finished"
    elif choice == "score":
        item = draw(st.sampled_from(all_items))
        item["type"] = "rating"
        item.pop("levels", None)
        item["options"] = draw(options_lists())
        draw(st.sampled_from(item["options"]))["score"] = draw(st.sampled_from(["high", "fifty", "n/a"]))
    elif choice == "sections":
        doc["sections"] = {"first": doc["sections"][0]}
    elif choice == "items":
        draw(st.sampled_from(doc["sections"]))["items"] = "none yet"
    elif choice == "title":
        draw(st.sampled_from([doc, *doc["sections"]]))["title"] = draw(st.integers(0, 2024))
    elif choice == "version":
        doc["version"] = draw(st.sampled_from([1, 2.5, True]))
    elif choice == "comments":
        draw(st.sampled_from(all_items))["comments"] = draw(st.sampled_from(["yes please", 1, ["x"]]))
    elif choice == "prompt":
        draw(st.sampled_from(all_items))["prompt"] = [draw(texts)]
    return (f"{choice}:",)


CORRUPTIONS = [
    delete_required_field,
    add_unknown_key,
    shrink_a_ladder,
    shrink_the_options,
    duplicate_an_item_key,
    unknown_condition,
    unknown_code,
    change_a_type,
]


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instruments(), corruption=st.sampled_from(CORRUPTIONS), data=st.data())
def test_any_single_corruption_is_refused_with_a_line_that_points_at_it(doc, corruption, data):
    needles = corruption(data.draw, doc)
    text = dump(doc, allow_unicode=True)
    lines = text.splitlines()
    with pytest.raises(InstrumentFileError) as caught:
        parse(text, "corrupt.yaml")
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert isinstance(problem.line, int)
        assert 1 <= problem.line <= len(lines), str(problem)
        assert str(problem).startswith(f"corrupt.yaml:{problem.line}: ")
    assert any(all(needle in lines[p.line - 1] for needle in needles) for p in problems), (
        f"{corruption.__name__}: no problem on a line containing {needles}:\n"
        + "\n".join(str(p) for p in problems)
        + "\n---\n"
        + text
    )


# -- docs/instruments.md says what the checker does ---------------------------------

DOCS = Path(__file__).resolve().parents[4] / "docs" / "instruments.md"


def docs_part(heading: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def fenced_blocks(part: str, language: str = "") -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", part, flags=re.S | re.M)


def test_the_docs_complete_example_is_valid():
    example = fenced_blocks(docs_part("## A complete example"), "yaml")[0]
    definition = parse(example, "example.yaml")
    assert [section.key for section in definition.sections] == ["volunteering", "employing-assistants"]
    assert definition.sections[1].condition == {"provides": ["personal_assistants", "direct_payment_support"]}
    rating = definition.sections[0].items[1]
    assert (rating.type, rating.options, rating.comments) == ("rating", DEFAULT_OPTIONS, True)


def test_the_docs_error_example_is_what_the_checker_says():
    part = docs_part("## Loading a file")
    bad_file = fenced_blocks(part, "yaml")[0]
    printed = next(block for block in fenced_blocks(part) if "load_instrument volunteer-readiness.yaml" in block)
    printed_problems = printed.splitlines()[1:-1]  # between the command and the CommandError line
    with pytest.raises(InstrumentFileError) as caught:
        parse(bad_file, "volunteer-readiness.yaml")
    actual = [str(problem) for problem in caught.value.problems]
    assert len(printed_problems) == len(actual)
    for shown, real in zip(printed_problems, actual, strict=True):
        # The docs may cut a long line short with "…".
        assert real == shown or (shown.endswith("…") and real.startswith(shown[:-1])), (shown, real)
    assert printed.splitlines()[-1] == f"CommandError: {len(actual)} problems in 1 file; nothing was loaded"


def test_the_docs_code_tables_match_organisations_choices():
    part = docs_part("## Conditions")
    services, types = part[part.index("**Service kinds**") :].split("**Organisation types**")
    row = re.compile(r"^\| `([a-z_]+)` \| (.+?) \|$", re.M)
    assert row.findall(services) == list(ServiceKind.choices)
    assert row.findall(types) == list(OrganisationType.choices)


def test_the_docs_list_every_key_the_checker_allows():
    text = DOCS.read_text(encoding="utf-8")
    for heading, names in [
        ("## Top level", INSTRUMENT_KEYS),
        ("## Sections", SECTION_KEYS),
        ("## Items", ITEM_KEYS),
        ("### Rating options", OPTION_KEYS),
        ("## Conditions", CONDITION_CHOICES),
    ]:
        part = text[text.index(f"\n{heading}\n") :]
        part = part[: part.find("\n#", 2)]
        documented = re.findall(r"^\| `([a-z_]+)` +\|", part, flags=re.M)
        assert documented[: len(names)] == list(names), heading
