"""Instruments a council or charity can really write (issue 11): conditions
on more keys with all/any/not and on single items, section weights, context
questions, "Not relevant" switched off and "Don't know".

The file checker's messages are checked exactly, as ``FILE:LINE: message``.
"""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from personfirst.core.organisations.choices import OrganisationType, ServiceKind, SizeBand, size_band
from personfirst.readiness.assessments import scoring, services
from personfirst.readiness.assessments.conditions import MAX_DEPTH, Profile, applies, describe
from personfirst.readiness.assessments.instrument_file import InstrumentFileError, parse
from personfirst.testing import examples

FEATURES = textwrap.dedent("""
    key: features
    title: Features check
    version: "1"
    dont_know: true
    sections:
      - key: people
        title: What people say
        weight: 3
        items:
          - key: choice
            type: ladder
            prompt: People choose their support.
            not_relevant: false
            levels: [Not yet, Some, All]
          - key: big-teams
            type: ladder
            prompt: Our large volunteer teams are trained.
            condition: {volunteers: {at_least: 500}}
            levels: [Not yet, Some, All]
          - key: area
            type: context
            prompt: Where do you mainly work?
            options:
              - {key: towns, label: Mostly in towns}
              - {key: rural, label: Mostly in rural areas}
          - key: answered-by
            type: context
            prompt: Who answered this section?
            max_length: 20
      - key: money
        title: Money
        dont_know: false
        items:
          - key: budgets
            type: rating
            prompt: People know their budget.
""").lstrip("\n")


def problems(text: str) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        parse(text, "bad.yaml")
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, marker: str) -> int:
    """The line (from 1) of the first line containing ``marker``."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if marker in line)


def with_condition(condition_yaml: str) -> str:
    """FEATURES with this condition (YAML lines, indented for a section) on its first section."""
    block = textwrap.indent(textwrap.dedent(condition_yaml).strip("\n"), "    ") + "\n"
    return FEATURES.replace("    weight: 3\n", "    weight: 3\n" + block)


# -- Reading the file ------------------------------------------------------------------


def test_the_features_file_reads_as_written():
    definition = parse(FEATURES, "features.yaml")
    people, money = definition.sections
    assert (people.weight, money.weight) == (3, 1)
    items = {item.key: item for item in definition.items}
    # dont_know from the instrument, switched off by a section; not_relevant switched off by one item
    assert (items["choice"].dont_know, items["choice"].not_relevant) == (True, False)
    assert (items["budgets"].dont_know, items["budgets"].not_relevant) == (False, True)
    assert items["big-teams"].condition == {"volunteers": {"at_least": 500}}
    # context questions never offer either
    assert (items["area"].not_relevant, items["area"].dont_know) == (False, False)
    assert items["answered-by"].settings == {"max_length": 20}
    assert [option.key for option in items["area"].options] == ["towns", "rural"]


def test_files_without_the_new_keys_keep_their_content_hash():
    plain = (
        FEATURES.replace("dont_know: true\n", "").replace("    weight: 3\n", "").replace("    dont_know: false\n", "")
    )
    plain = plain.replace("        not_relevant: false\n", "")
    found = parse(plain, "plain.yaml").to_dict()
    for section in found["sections"]:
        assert "weight" not in section
        for item in section["items"]:
            if item["type"] != "context":
                assert not {"not_relevant", "dont_know"} & set(item), item
    assert "condition" not in found["sections"][0]["items"][0]


@pytest.mark.parametrize(
    ("condition", "marker", "message"),
    [
        (
            "condition: {region: [north]}",
            "region",
            "unknown condition 'region'; a condition can use: provides, organisation_type, size, paid_staff, "
            "volunteers, all, any, not",
        ),
        (
            "condition: {provides: advocacy}",
            "provides",
            "provides must be a list of codes, like [personal_care], but this is text",
        ),
        ("condition: {any: []}", "any", "any is empty: list at least one condition"),
        ("condition: {size: []}", "size", "size is empty: list at least one code"),
        (
            "condition: {size: [tiny]}",
            "size",
            "unknown size band 'tiny' in size; the known codes are: micro, small, medium, large",
        ),
        (
            "condition:\n  paid_staff:\n    at_least: -1",
            "at_least",
            "at_least in paid_staff must be a number from 0 to 1000000, but this is -1",
        ),
        (
            "condition:\n  volunteers:\n    at_least: 1.5",
            "at_least",
            "at_least in volunteers must be a whole number, but this is 1.5",
        ),
        (
            "condition:\n  volunteers:\n    at_least: 10\n    at_most: 5",
            "at_most",
            "at_most (5) is less than at_least (10) in volunteers, so no organisation could meet it",
        ),
        (
            "condition: {volunteers: 10}",
            "volunteers",
            "volunteers must be a mapping with at_least and/or at_most, like {at_least: 1}, but this is a number",
        ),
        (
            "condition: {paid_staff: {}}",
            "paid_staff",
            "paid_staff is empty: give at_least, at_most or both",
        ),
        (
            "condition: {paid_staff: {more_than: 3}}",
            "more_than",
            "unknown key 'more_than' in paid_staff; allowed keys are: at_least, at_most",
        ),
        (
            "condition: {not: {}}",
            "not",
            "not is empty: give at least one of provides, organisation_type, size, "
            "paid_staff, volunteers, all, any, not",
        ),
        (
            "condition: {any: [advocacy]}",
            "any",
            "a condition in any must be a mapping (name: value pairs), but this is text",
        ),
        (
            "condition:\n  not:\n    any:\n      - all:\n          - not: {size: [micro]}",
            "- not:",
            "conditions are nested too deeply: not is inside 3 levels of any, all and not, and the most is 3",
        ),
    ],
)
def test_a_bad_condition_is_reported_on_its_line(condition, marker, message):
    text = with_condition(condition)
    found = problems(text)
    start = line_of(text, "condition")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if n >= start and marker in row)
    assert found == [f"bad.yaml:{line}: {message}"]


def test_nesting_up_to_the_limit_is_fine():
    text = with_condition("condition:\n  not:\n    any:\n      - all:\n          - size: [micro]")
    assert MAX_DEPTH == 3
    assert parse(text, "deep.yaml").sections[0].condition == {"not": {"any": [{"all": [{"size": ["micro"]}]}]}}


def test_a_bad_condition_on_an_item_is_reported_on_its_line():
    text = FEATURES.replace("{volunteers: {at_least: 500}}", "{volunteers: {at_least: 500}, region: [north]}")
    line = line_of(text, "region")
    assert problems(text) == [
        f"bad.yaml:{line}: unknown condition 'region'; a condition can use: provides, organisation_type, size, "
        "paid_staff, volunteers, all, any, not"
    ]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0", "weight must be more than 0 (and at most 100), but this is 0"),
        ("101", "weight must be a number from 0 to 100, but this is 101"),
        ("two", "weight must be a number from 0 to 100, but this is text ('two')"),
        ("1.2345", "weight can have at most 3 decimal places, but this is 1.2345"),
    ],
)
def test_a_bad_weight(weight, message):
    text = FEATURES.replace("weight: 3", f"weight: {weight}")
    assert problems(text) == [f"bad.yaml:{line_of(text, 'weight')}: {message}"]


def test_a_decimal_weight_is_kept_exactly():
    text = FEATURES.replace("weight: 3", "weight: 1.25")
    assert parse(text, "w.yaml").sections[0].weight == 1.25


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "dont_know: true\n",
            "dont_know: yes\n",
            "dont_know",
            "dont_know must be true or false, but YAML reads yes as true only in its older version (1.1), and as "
            "text in the current one; write true",
        ),
        (
            "        not_relevant: false\n",
            "        not_relevant: 0\n",
            "not_relevant",
            "not_relevant must be true or false, but this is a number",
        ),
        (
            "        max_length: 20\n",
            "        max_length: 20\n        dont_know: true\n",
            "        dont_know",
            "a context question is never scored, so it offers neither ‘Not relevant’ nor ‘Don’t know’; "
            "take dont_know off it",
        ),
        (
            "        max_length: 20\n",
            "        max_length: 2000\n",
            "max_length",
            "max_length must be a number from 1 to 1000, but this is 2000",
        ),
        (
            "        max_length: 20\n",
            "        max_length: 20\n        options: [{key: a, label: A}, {key: b, label: B}]\n",
            "max_length",
            "a context question has options or a written answer (max_length), not both",
        ),
        (
            "          - {key: rural, label: Mostly in rural areas}\n",
            "          - {key: rural, label: Mostly in rural areas, score: 3}\n",
            "score: 3",
            "unknown key 'score' in this option; allowed keys are: key, label",
        ),
    ],
)
def test_bad_answer_keys(old, new, marker, message):
    text = FEATURES.replace(old, new, 1)
    assert problems(text) == [f"bad.yaml:{line_of(text, marker)}: {message}"]


def test_a_rating_option_may_not_take_the_key_of_dont_know_where_it_is_offered():
    text = FEATURES.replace("    dont_know: false\n", "").replace(
        "        prompt: People know their budget.\n",
        "        prompt: People know their budget.\n"
        "        options: [{key: dont-know, label: Unsure, score: 0}, {key: sure, label: Sure, score: 100}]\n",
    )
    line = line_of(text, "key: budgets")
    assert problems(text) == [
        f"bad.yaml:{line}: option key 'dont-know' is taken by the answer ‘Don’t know’; give that option another key"
    ]


# -- Conditions: applies agrees with a simple reference; describe never fails ---------------

SERVICES = [code for code, _ in ServiceKind.choices]
TYPES = [code for code, _ in OrganisationType.choices]
SIZES = [code for code, _ in SizeBand.choices]


def counts():
    return st.one_of(
        st.fixed_dictionaries({"at_least": st.integers(0, 300)}),
        st.fixed_dictionaries({"at_most": st.integers(0, 300)}),
        st.tuples(st.integers(0, 300), st.integers(0, 300)).map(
            lambda pair: {"at_least": min(pair), "at_most": max(pair)}
        ),
    )


leaves = st.one_of(
    st.fixed_dictionaries({"provides": st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True)}),
    st.fixed_dictionaries({"organisation_type": st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)}),
    st.fixed_dictionaries({"size": st.lists(st.sampled_from(SIZES), min_size=1, max_size=2, unique=True)}),
    st.fixed_dictionaries({"paid_staff": counts()}),
    st.fixed_dictionaries({"volunteers": counts()}),
)
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"all": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"any": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
        st.tuples(leaves, inner).map(lambda pair: {**pair[1], **pair[0]}),
    ),
    max_leaves=8,
)
profiles = st.builds(
    Profile,
    org_type=st.sampled_from(TYPES),
    services=st.frozensets(st.sampled_from(SERVICES), max_size=4),
    paid_staff=st.integers(0, 300),
    volunteers=st.integers(0, 300),
)


def reference(condition: dict, profile: Profile) -> bool:
    """Each key of a mapping must hold; written out plainly, apart from the code."""
    results = []
    for key, value in condition.items():
        if key == "provides":
            results.append(any(code in profile.services for code in value))
        elif key == "organisation_type":
            results.append(profile.org_type in value)
        elif key == "size":
            results.append(size_band(profile.paid_staff, profile.volunteers).value in value)
        elif key in ("paid_staff", "volunteers"):
            number = profile.paid_staff if key == "paid_staff" else profile.volunteers
            results.append(value.get("at_least", 0) <= number <= value.get("at_most", 10**9))
        elif key == "all":
            results.append(all(reference(part, profile) for part in value))
        elif key == "any":
            results.append(any(reference(part, profile) for part in value))
        elif key == "not":
            results.append(not reference(value, profile))
    return all(results)


@settings(max_examples=examples(300), deadline=None)
@given(condition=trees, profile=profiles)
def test_applies_agrees_with_the_reference_and_describe_always_has_words(condition, profile):
    assert applies(condition, profile) is reference(condition, profile)
    words = describe(condition)
    assert words.startswith("Only for organisations ") and "None" not in words and "{" not in words


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"paid_staff": {"at_least": 1}}, "Only for organisations with at least 1 paid staff"),
        ({"volunteers": {"at_most": 9}}, "Only for organisations with at most 9 volunteers"),
        ({"volunteers": {"at_least": 1, "at_most": 49}}, "Only for organisations with 1 to 49 volunteers"),
        (
            {"size": ["micro", "small"]},
            "Only for organisations whose size is micro (fewer than 10 people) or small (10 to 49 people)",
        ),
        (
            {"any": [{"provides": ["advocacy"]}, {"volunteers": {"at_least": 10}}]},
            "Only for organisations that provide advocacy or with at least 10 volunteers",
        ),
        (
            {"not": {"organisation_type": ["council"]}},
            "Only for organisations other than those whose type is “Council”",
        ),
        (
            {"provides": ["meals"], "any": [{"size": ["micro"]}, {"paid_staff": {"at_most": 3}}]},
            "Only for organisations that provide meals and food and (whose size is micro (fewer than 10 people) "
            "or with at most 3 paid staff)",
        ),
    ],
)
def test_describe_the_new_keys(condition, expected):
    assert describe(condition) == expected


def test_applies_with_numbers():
    assert applies({"paid_staff": {"at_least": 1}}, "voluntary", [], paid_staff=1)
    assert not applies({"paid_staff": {"at_least": 1}}, "voluntary", [], paid_staff=0, volunteers=40)
    assert applies({"size": ["small"]}, "voluntary", [], paid_staff=5, volunteers=5)
    assert not applies({"not": {"size": ["small"]}}, "voluntary", [], paid_staff=5, volunteers=5)


# -- Scoring: weights -----------------------------------------------------------------------


def test_the_overall_score_is_the_weighted_mean_of_the_sections_with_a_score():
    assert scoring.overall_score([100, 0], [2, 1]) == Fraction(200, 3)
    assert scoring.one_decimal(scoring.overall_score([100, 0], [2, 1])) == Decimal("66.7")
    # A section with no score is left out, weight and all
    assert scoring.overall_score([None, 40, 80], [5, 1, 3]) == Fraction(40 + 240, 4)
    assert scoring.overall_score([None, None], [1, 2]) is None
    # Every weight 1: the plain mean, as before
    assert scoring.overall_score([10, 20, 40], [1, 1, 1]) == scoring.overall_score([10, 20, 40])
    # Weights are exact: 0.1 is a tenth
    assert scoring.overall_score([100, 0], [Decimal("0.1"), Decimal("0.2")]) == Fraction(100, 3)


def test_a_weight_must_be_positive():
    with pytest.raises(ValueError, match="weight must be more than 0"):
        scoring.overall_score([10], [0])


# -- In the service, on the pages and in the API ------------------------------------------------

API = "/api/v1"


@pytest.fixture
def features(world, tmp_path):
    """The features instrument, loaded, and a draft for world.org (a small organisation)."""
    from personfirst.readiness.assessments.loading import load_text

    world.org.paid_staff, world.org.volunteers = 4, 8
    world.org.save()
    version = load_text(FEATURES, "features.yaml").version
    return services.start(organisation=world.org, instrument=version.instrument, by=world.admin)


def put(client, assessment, item, body):
    return client.put(
        f"{API}/assessments/{assessment.pk}/answers/{item}", json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_a_conditional_item_is_left_out_with_its_reason(world, features):
    applies_, left_out = services.split_sections(features)
    assert [item.key for item in applies_[0].items.all()] == ["choice", "area", "answered-by"]
    assert left_out == [
        {
            "key": "big-teams",
            "title": "Our large volunteer teams are trained.",
            "reason": "Only for organisations with at least 500 volunteers",
            "section": "people",
        }
    ]


@pytest.mark.django_db
def test_the_results_page_says_why_an_item_was_left_out(world, features, answer):
    from django.urls import reverse

    from .test_views import client_for

    answer(features, "choice", by=world.admin, level=3)
    submitted = services.submit(assessment=features, by=world.admin)
    page = client_for(world.admin).get(reverse("readiness:results", args=[world.org.slug, submitted.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Our large volunteer teams are trained." in text
    assert "Only for organisations with at least 500 volunteers" in text
    # Frozen at submission: the profile changing afterwards does not bring it back
    world.org.volunteers = 900
    world.org.save()
    applies_, _left_out = services.split_sections(submitted)
    assert "big-teams" not in [item.key for item in applies_[0].items.all()]


@pytest.mark.django_db
def test_weights_dont_know_and_context_in_the_scores(world, features, answer):
    from personfirst.readiness.assessments.results import results_for
    from personfirst.readiness.progress.scores import submitted_scores

    answer(features, "choice", by=world.admin, level=3)  # 100, in the section with weight 3
    answer(features, "area", by=world.admin, option="rural")  # context: never scored
    answer(features, "answered-by", by=world.admin, text="  Sam  ")
    answer(features, "budgets", by=world.admin, option="not-met")  # 0, weight 1
    results = results_for(features)
    assert [s.raw for s in results.sections] == [100, 0]
    assert results.overall_raw == Fraction(300, 4)
    people = results.sections[0]
    shown = {item.key: item.in_full for item in people.items}
    assert shown == {"choice": "All", "area": "Mostly in rural areas", "answered-by": "Sam"}
    assert {item.key: item.score for item in people.items}["area"] is None

    answer(features, "choice", by=world.admin, dont_know=True)
    results = results_for(features)
    assert [s.raw for s in results.sections] == [None, 0]
    assert results.sections[0].items[0].in_full == "Don’t know"
    assert results.overall_raw == 0
    assert services.dont_know_count(services.split_sections(features)[0], services.answers_for(features)) == 1
    # A "Don't know" answer completes the question; the context questions do not hold the section up
    section = services.split_sections(features)[0][0]
    assert services.section_status(section, services.answers_for(features)) == "completed"

    # History and caseload use the same rule
    answer(features, "choice", by=world.admin, level=2)
    submitted = services.submit(assessment=features, by=world.admin)
    assert submitted_scores([submitted])[submitted.pk].overall_raw == results_for(submitted).overall_raw
    assert results_for(submitted).overall_raw == Fraction(3 * 50 + 0, 4)


@pytest.mark.django_db
def test_an_unanswered_context_question_does_not_hold_a_section_up(world, features, answer):
    answer(features, "choice", by=world.admin, level=1)
    section = services.split_sections(features)[0][0]
    assert services.section_status(section, services.answers_for(features)) == "completed"


@pytest.mark.django_db
def test_dont_know_is_suggested_in_the_plan_as_finding_out(world, features, answer):
    from personfirst.readiness.plans.models import Action

    answer(features, "choice", by=world.admin, dont_know=True)
    answer(features, "area", by=world.admin, option="towns")
    services.submit(assessment=features, by=world.admin)
    titles = list(Action.objects.filter(organisation=world.org).values_list("item_key", "title"))
    assert titles == [("choice", "Find out: People choose their support")]


@pytest.mark.django_db
def test_the_form_offers_only_what_the_item_offers(world, features):
    from personfirst.readiness.assessments.forms import SectionForm

    applies_, _ = services.split_sections(features)
    people, money = applies_
    form = SectionForm(section=people, answers={})
    choices = [value for value, _label in form.fields["item-choice"].choices]
    assert choices == ["1", "2", "3", "dont-know"]  # no "not-relevant"
    assert "notes-area" not in form.fields
    assert form.fields["item-answered-by"].widget.attrs["maxlength"] == 20
    form = SectionForm(section=money, answers={})
    assert [value for value, _ in form.fields["item-budgets"].choices][-1] == "not-relevant"
    assert "dont-know" not in [value for value, _ in form.fields["item-budgets"].choices]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("section", "item", "form", "body", "anchor", "field", "message"),
    [
        (
            "people",
            "choice",
            {"item-choice": "not-relevant"},
            {"not_relevant": True},
            "#id_item-choice_0",
            "not_relevant",
            "This question cannot be answered ‘Not relevant to us’: choose an answer.",
        ),
        (
            "money",
            "budgets",
            {"item-budgets": "dont-know"},
            {"dont_know": True},
            "#id_item-budgets_0",
            "dont_know",
            "This question does not offer ‘Don’t know’: choose an answer.",
        ),
        (
            "people",
            "answered-by",
            {"item-answered-by": "x" * 21},
            {"text": "x" * 21},
            "#id_item-answered-by",
            "text",
            "Your answer must be 20 characters or fewer",
        ),
    ],
)
def test_the_page_and_the_api_refuse_with_the_same_words(
    world, features, api_client_for, section, item, form, body, anchor, field, message
):
    from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve
    from personfirst.readiness.assessments.models import Answer

    from .test_views import client_for, post_section

    page = post_section(client_for(world.admin), features, section, {}, **form)
    assert page.status_code == 200
    shown = assert_error_summary_links_resolve(page)
    assert shown == {anchor: message}

    response = put(api_client_for(world.admin), features, item, body)
    assert response.status_code == 422, response.content
    assert {error["field"]: error["message"] for error in response.json()["errors"]} == {field: message}
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_api_records_dont_know_and_a_written_answer(world, features, api_client_for):
    client = api_client_for(world.admin)
    response = put(client, features, "choice", {"dont_know": True})
    assert response.status_code == 200, response.content
    assert response.json()["dont_know"] is True
    response = put(client, features, "answered-by", {"text": "Sam"})
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Sam"
    response = put(client, features, "big-teams", {"level": 2})
    assert response.status_code == 422


@pytest.mark.django_db
def test_the_task_list_counts_dont_know_answers_apart(world, features, answer):
    from django.urls import reverse

    from .test_views import client_for

    answer(features, "choice", by=world.admin, dont_know=True)
    page = client_for(world.admin).get(reverse("readiness:assessment", args=[world.org.slug, features.pk]))
    assert "You answered ‘Don’t know’ to 1 question. You can go back and answer it before you submit." in (
        page.content.decode()
    )


@pytest.mark.django_db
def test_check_answers_shows_context_answers_and_does_not_count_them_as_unanswered(world, features, answer):
    from django.urls import reverse

    from .test_views import client_for

    answer(features, "choice", by=world.admin, level=2)
    answer(features, "answered-by", by=world.admin, text="Sam Jones")
    page = client_for(world.admin).get(reverse("readiness:check", args=[world.org.slug, features.pk]))
    text = page.content.decode()
    assert "Sam Jones" in text
    # Only "budgets" is unanswered: the blank context question "area" is not counted
    assert "1 question has no answer." in text
