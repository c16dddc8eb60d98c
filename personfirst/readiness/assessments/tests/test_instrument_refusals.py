"""What the instrument, action library and crosswalk checkers refuse, each
with FILE:LINE and what to write instead: an option key that is the built-in
"not relevant" answer, more levels or options than anyone can answer, and
YAML 1.1's other ways of writing numbers and true/false, which it converts
without a word (010 is 8, 1:30 is 90, 0x1F is 31, 1_0 is 10, yes is true)."""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from personfirst.readiness.assessments import crosswalk
from personfirst.readiness.assessments.forms import NOT_RELEVANT
from personfirst.readiness.assessments.instrument_file import (
    MAX_LEVELS,
    MAX_OPTIONS,
    NOT_RELEVANT_KEY,
    InstrumentFileError,
    parse,
)
from personfirst.readiness.plans import library_file

JSON = "application/json"


def problems(text: str, filename: str = "bad.yaml") -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        parse(text, filename)
    return [str(problem) for problem in caught.value.problems]


def line(text: str, needle: str) -> int:
    return next(number for number, content in enumerate(text.splitlines(), start=1) if needle in content)


def rating(options: str, comments: str = "") -> str:
    """An instrument with one rating item; ``options`` is its options list, written inline."""
    return textwrap.dedent(f"""\
        key: sample
        title: Sample
        version: "1"
        sections:
          - key: first
            title: First
            items:
              - key: rated
                type: rating
                prompt: We do this.
                options: {options}
        """) + (f"        comments: {comments}\n" if comments else "")


def ladder(levels: list[str], kind: str = "ladder") -> str:
    listed = "".join(f"          - Statement {level}\n" for level in levels)
    return (
        textwrap.dedent(f"""\
        key: sample
        title: Sample
        version: "1"
        sections:
          - key: first
            title: First
            items:
              - key: steps
                type: {kind}
                prompt: Where are you?
                levels:
        """)
        + listed
    )


# -- The built-in "not relevant" answer ---------------------------------------------------------


def test_the_forms_not_relevant_choice_is_the_checkers_reserved_key():
    assert NOT_RELEVANT == NOT_RELEVANT_KEY == "not-relevant"


def test_an_option_key_cannot_be_the_not_relevant_answer():
    text = rating(
        "[{key: fully-met, label: Fully met, score: 100}, {key: not-relevant, label: Does not apply, score: 0}]"
    )
    assert problems(text) == [
        f"bad.yaml:{line(text, 'not-relevant')}: option key 'not-relevant' is taken by the answer everyone "
        "can give, 'Not relevant to us'; give this option another key"
    ]


def test_an_option_key_that_only_starts_like_it_is_fine():
    text = rating("[{key: not-relevant-yet, label: Not yet, score: 0}, {key: done, label: Done, score: 100}]")
    assert [o.key for o in parse(text, "ok.yaml").items[0].options] == ["not-relevant-yet", "done"]


# -- The most levels and options ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ladder", "milestones"])
def test_the_most_levels_anyone_can_answer_is_accepted(kind):
    definition = parse(ladder([str(n) for n in range(1, MAX_LEVELS + 1)], kind), "ok.yaml")
    assert len(definition.items[0].levels) == MAX_LEVELS


@pytest.mark.parametrize("kind", ["ladder", "milestones"])
def test_more_levels_than_anyone_can_answer_are_refused(kind):
    text = ladder([str(n) for n in range(1, MAX_LEVELS + 2)], kind)
    assert problems(text) == [
        f"bad.yaml:{line(text, 'levels:')}: a {kind} item can have at most {MAX_LEVELS} levels, "
        f"but this one has {MAX_LEVELS + 1}"
    ]


def test_more_options_than_allowed_are_refused():
    options = ", ".join(f"{{key: o{n}, label: Option {n}, score: {n % 101}}}" for n in range(MAX_OPTIONS + 1))
    text = rating(f"[{options}]")
    assert problems(text) == [
        f"bad.yaml:{line(text, 'options:')}: a rating item can have at most {MAX_OPTIONS} options, "
        f"but this one has {MAX_OPTIONS + 1}"
    ]
    ok = rating("[" + ", ".join(f"{{key: o{n}, label: Option {n}, score: {n}}}" for n in range(MAX_OPTIONS)) + "]")
    assert len(parse(ok, "ok.yaml").items[0].options) == MAX_OPTIONS


def test_the_api_answers_the_highest_level_the_loader_accepts(world, api_client_for, tmp_path):
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.loading import load_path
    from personfirst.readiness.assessments.models import Instrument

    path = tmp_path / "sample.yaml"
    path.write_text(ladder([str(n) for n in range(1, MAX_LEVELS + 1)]), encoding="utf-8")
    load_path(path)
    assessment = services.start(organisation=world.org, instrument=Instrument.objects.get(key="sample"), by=world.admin)
    client = api_client_for(world.admin)
    url = f"/api/v1/assessments/{assessment.pk}/answers/steps"
    response = client.put(url, json.dumps({"level": MAX_LEVELS}), content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["level"] == MAX_LEVELS
    assert client.put(url, json.dumps({"level": MAX_LEVELS + 1}), content_type=JSON).status_code == 422


# -- YAML 1.1's other ways of writing a number ---------------------------------------------------

# (written, what YAML 1.1 reads, what the message must say to write instead)
SCORES = [
    ("010", "8 (an octal number, as it starts with 0)", "write it without the leading 0, like 10"),
    ("07", "7 (an octal number, as it starts with 0)", "write it without the leading 0, like 7"),
    ("1:30", "90 (a number in base 60, like a time)", "write the number you mean in plain digits"),
    ("0x1F", "31 (a hexadecimal number)", "write 31"),
    ("0b101", "5 (a binary number)", "write 5"),
    ("1_0", "10 (YAML leaves out the underscores)", "write 10"),
    ("3_3.3", "33.3 (YAML leaves out the underscores)", "write 33.3"),
    ("1:0.5", "60.5 (a number in base 60, like a time)", "write the number you mean in plain digits"),
]


@pytest.mark.parametrize(("written", "reads", "instead"), SCORES)
def test_a_score_in_another_number_form_is_refused_saying_what_to_write(written, reads, instead):
    text = rating(f"[{{key: high, label: High, score: 100}}, {{key: low, label: Low, score: {written}}}]")
    (problem,) = problems(text)
    assert problem.startswith(f"bad.yaml:{line(text, 'key: low')}: score must be a number from 0 to 100, but ")
    assert f"YAML reads {written} as {reads}" in problem
    assert instead in problem


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (".inf", "score must be a number from 0 to 100, but this is .inf"),
        (".nan", "score must be a number from 0 to 100, but this is .nan"),
        ("0o7", "score must be a number from 0 to 100, but YAML reads 0o7 as text; write it like 50 or 33.3"),
        ("1e3", "score must be a number from 0 to 100, but YAML reads 1e3 as text; write it like 50 or 33.3"),
        ("yes", "score must be a number from 0 to 100, but this is true/false"),
        ("'50'", "score must be a number from 0 to 100, but this is text; take the quotes off 50"),
    ],
)
def test_other_scores_that_are_not_plain_numbers_are_refused(written, message):
    text = rating(f"[{{key: high, label: High, score: 100}}, {{key: low, label: Low, score: {written}}}]")
    assert problems(text) == [f"bad.yaml:{line(text, 'key: low')}: {message}"]


@pytest.mark.parametrize(("written", "value"), [("0", 0), ("50", 50), ("+50", 50), ("33.3", 33.3), ("50.", 50)])
def test_plain_scores_are_read_as_written(written, value):
    text = rating(f"[{{key: high, label: High, score: 100}}, {{key: low, label: Low, score: {written}}}]")
    assert parse(text, "ok.yaml").items[0].options[1].score == value


ALTERNATIVE_FORMS = {
    "octal": lambda n: f"0{n:o}",
    "hexadecimal": lambda n: f"0x{n:X}",
    "binary": lambda n: f"0b{n:b}",
    "underscores": lambda n: "_".join(str(n)) + "_",
    "base 60": lambda n: f"{n // 60}:{n % 60:02d}",
}


@given(
    number=st.integers(1, 100),
    form=st.sampled_from(sorted(ALTERNATIVE_FORMS)),
)
def test_any_score_in_a_form_yaml_1_1_converts_is_refused(number, form):
    written = ALTERNATIVE_FORMS[form](number)
    if form == "base 60" and number < 60:
        written = f"1:{number:02d}"  # base 60 needs a first digit from 1
    text = rating(f"[{{key: high, label: High, score: 100}}, {{key: low, label: Low, score: {written}}}]")
    (problem,) = problems(text)
    assert f"bad.yaml:{line(text, 'key: low')}: score must be a number from 0 to 100, but YAML reads {written}" in (
        problem
    )
    assert "; write " in problem


@given(number=st.integers(0, 100))
def test_any_score_in_plain_digits_is_accepted(number):
    other = 100 if number != 100 else 0  # each option has a score of its own
    text = rating(f"[{{key: high, label: High, score: {other}}}, {{key: low, label: Low, score: {number}}}]")
    assert parse(text, "ok.yaml").items[0].options[1].score == number


# -- yes, no, on and off ----------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "means"), [("yes", "true"), ("No", "false"), ("on", "true"), ("OFF", "false")])
def test_comments_take_only_true_or_false(written, means):
    text = rating("[{key: a, label: A, score: 100}, {key: b, label: B, score: 0}]", comments=written)
    assert problems(text) == [
        f"bad.yaml:{line(text, 'comments:')}: comments must be true or false, but YAML reads {written} as {means} "
        f"only in its older version (1.1), and as text in the current one; write {means}"
    ]


@pytest.mark.parametrize(("written", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_comments_written_true_or_false_are_read(written, value):
    text = rating("[{key: a, label: A, score: 100}, {key: b, label: B, score: 0}]", comments=written)
    assert parse(text, "ok.yaml").items[0].comments is value


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("title: Sample", "title: yes", "title must be text, but YAML reads yes as true/false; put it in quotes"),
        ("title: Sample", "title: 1:30", "title must be text, but YAML reads 1:30 as a number; put it in quotes"),
        ("key: rated", "key: 010", "item key must be text, but YAML reads 010 as a number; put it in quotes"),
        ("prompt: We do this.", "prompt: off", "prompt must be text, but YAML reads off as true/false; put it"),
        ("key: a,", "key: on,", "option key must be text, but YAML reads on as true/false; put it in quotes"),
        ("label: B,", "label: 0x1F,", "label must be text, but YAML reads 0x1F as a number; put it in quotes"),
    ],
)
def test_text_written_as_a_number_or_true_false_is_refused(old, new, message):
    text = rating("[{key: a, label: A, score: 100}, {key: b, label: B, score: 0}]").replace(old, new, 1)
    (problem,) = problems(text)
    assert problem.startswith(f"bad.yaml:{line(text, new)}: {message}")


# -- Action libraries: levels in for ------------------------------------------------------------

LIBRARY_INSTRUMENT = parse(ladder([str(n) for n in range(1, 12)]), "sample.yaml")


def library(values: str) -> str:
    return textwrap.dedent(f"""\
        instrument: sample
        actions:
          steps:
            - key: start
              title: Start
              for: {values}
        """)


def library_problems(text: str) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        library_file.parse(text, "lib.yaml", LIBRARY_INSTRUMENT)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("written", "reads"), [(r[0], r[1]) for r in SCORES if "." not in r[0]])
def test_a_level_in_another_number_form_is_refused(written, reads):
    text = library(f"[{written}]")
    (problem,) = library_problems(text)
    assert problem.startswith(
        f"lib.yaml:{line(text, 'for:')}: 'steps' is a ladder item, so for lists its levels as numbers from 1 to 11, "
        f"but YAML reads {written} as {reads}; write "
    )


def test_levels_in_plain_digits_are_read():
    parsed = library_file.parse(library("[1, +2, 10]"), "lib.yaml", LIBRARY_INSTRUMENT)
    assert parsed.actions[0].applies_to == (1, 2, 10)


@pytest.mark.parametrize("written", ["yes", "off"])
def test_a_level_written_as_true_or_false_is_refused(written):
    text = library(f"[{written}]")
    assert library_problems(text) == [
        f"lib.yaml:{line(text, 'for:')}: 'steps' is a ladder item, so for lists its levels as numbers from 1 to 11, "
        f"not '{written}'"
    ]


# -- The crosswalk: text only ---------------------------------------------------------------------


@pytest.mark.parametrize("written", ["yes", "1:30", "010", "0x1F"])
def test_a_crosswalk_theme_must_be_text(written):
    text = f"links:\n  - theme: {written}\n    items: [alpha/one, beta/uno]\n"
    with pytest.raises(InstrumentFileError) as caught:
        crosswalk.parse(text, "crosswalk.yaml", {"alpha": ["one"], "beta": ["uno"]})
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith(f"crosswalk.yaml:2: theme must be text, but YAML reads {written} as ")
    assert "put it in quotes" in problem
