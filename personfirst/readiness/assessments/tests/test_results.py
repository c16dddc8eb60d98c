"""An assessment's results (readiness.results) and the results page:
scores from the agreed answers, strengths and development needs, the change
since the previous submitted assessment, what was left out and why, and
provisional scores for a draft. Also a property test that loads random
instruments, answers them at random and compares every figure with the
reference implementation."""

from __future__ import annotations

import datetime
import itertools
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.core.organisations.models import CouncilArea, Organisation
from personfirst.readiness.assessments import results, scoring, services
from personfirst.readiness.assessments.loading import load_text
from personfirst.readiness.assessments.models import Assessment
from personfirst.readiness.assessments.scoring import one_decimal
from personfirst.testing import examples

from .conftest import LEFT_OUT_SECTION, shipped_path
from .pages import results_page, shown_changes, shown_overall
from .reference import exact, level_score, reference_mean, reference_round

pytestmark = pytest.mark.django_db


def answer_levels(assessment, levels: dict[str, int | str], by):
    """Save the agreed answers {item key: level or 'not-relevant'} section by section."""
    applies, _left_out = services.split_sections(assessment)
    for section in applies:
        values = {}
        for item in section.items.all():
            if item.key in levels:
                chosen = levels[item.key]
                values[item.key] = {"not_relevant": True} if chosen == "not-relevant" else {"level": chosen}
        if values:
            current = services.answers_for(assessment)
            revisions = {key: current[key].revision if key in current else 0 for key in values}
            assert (
                services.save_section(assessment=assessment, section=section, values=values, revisions=revisions, by=by)
                == []
            )


def submit_at(assessment, when, by):
    services.submit(assessment=assessment, by=by)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    return Assessment.objects.get(pk=assessment.pk)


def titles(section_results) -> list[str]:
    return [s.title for s in section_results]


def by_key(result) -> dict:
    return {s.key: s for s in result.sections}


# --- scores -----------------------------------------------------------------------------------


def test_results_follow_the_rules_for_the_agreed_answers(world, assessment):
    answer_levels(assessment, {"values-and-culture": 2, "trustee-board": 2, "marketing": "not-relevant"}, world.admin)
    respondent = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    services.save_section(
        assessment=assessment,
        section=assessment.version.sections.get(key="flexibility"),
        values={"flexibility": {"level": 3}},
        revisions={},
        by=world.member,
        respondent=respondent,
    )
    result = results.results_for(assessment)
    sections = by_key(result)
    assert sections["values-and-culture"].raw == 50  # level 2 of 3
    assert sections["trustee-board"].raw == Fraction(100, 3)  # level 2 of 4
    assert sections["trustee-board"].score == Decimal("33.3")
    assert sections["marketing"].raw is None  # not relevant
    assert sections["flexibility"].raw is None  # only a respondent's own answer
    assert result.overall_raw == Fraction(125, 3)
    assert result.overall == Decimal("41.7")
    assert "Telling people about your services" in titles(result.not_relevant)
    assert "Being flexible and quick to adapt" in titles(result.not_relevant)
    assert sections["trustee-board"].items[0].answer == "Level 2 of 4"
    assert sections["trustee-board"].items[0].score == Decimal("33.3")
    assert sections["marketing"].items[0].answer == "Not relevant"
    assert sections["marketing"].items[0].score is None


def test_nothing_answered_means_no_scores(assessment):
    result = results.results_for(assessment)
    assert result.overall is None
    assert result.scored == []
    assert result.strengths == [] and result.needs == []
    assert len(result.not_relevant) == 14


def test_the_shown_scores_are_the_raw_scores_rounded_halves_up(world, instruments):
    """A rating section of four items scored 100, 50, 0 and 0 → 37.5; of two
    items, 100 and 0 → 50; of three, 50, 50, 0 → 33.3…"""
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    values = {
        "flexible-support": {
            "focus-on-outcomes": "fully-met",
            "flexible-to-the-plan": "partly-met",
            "involving-people": "not-met",
            "life-beyond-the-building": "not-met",
        },
        "new-services": {
            "prevention": "partly-met",
            "social-enterprise": "partly-met",
            "information-advice-advocacy": "not-met",
        },
    }
    for section_key, options in values.items():
        section = assessment.version.sections.get(key=section_key)
        services.save_section(
            assessment=assessment,
            section=section,
            by=world.admin,
            revisions={},
            values={k: {"option": o} for k, o in options.items()},
        )
    result = results.results_for(assessment)
    sections = by_key(result)
    assert sections["flexible-support"].score == Decimal("37.5")
    assert sections["new-services"].score == Decimal("33.3")
    assert result.overall_raw == Fraction(425, 12)  # (37.5 + 33⅓) / 2 = 35.41…
    assert result.overall == Decimal("35.4")
    for section in result.sections:
        assert section.score == one_decimal(section.raw)


# --- strengths and development needs ----------------------------------------------------------


def test_strengths_are_the_three_highest_sections_and_needs_the_three_lowest(world, assessment):
    answer_levels(
        assessment,
        {
            "values-and-culture": 3,  # 100
            "trustee-board": 3,  # 66.7
            "staff-and-volunteers": 2,  # 33.3
            "people-you-support": 4,  # 100
            "knowing-demand": 1,  # 0
            "marketing": 2,  # 33.3
            "managing-change": 1,  # 0
            "flexibility": "not-relevant",
        },
        world.admin,
    )
    result = results.results_for(assessment)
    # Ties are broken by title, A to Z.
    assert titles(result.strengths) == [
        "Involving the people you support",  # 100
        "Values and culture",  # 100
        "Backing from the trustee board",  # 66.7
    ]
    # Backing from staff and volunteers (33.3) ties with Telling people about
    # your services (33.3), which is not a need: so neither is.
    assert titles(result.needs) == [
        "Knowing the demand for your services",  # 0
        "Managing change",  # 0
    ]


def test_when_every_section_scores_the_same_none_is_a_strength_or_a_need(world, assessment):
    keys = ["values-and-culture", "trustee-board", "staff-and-volunteers", "people-you-support", "marketing"]
    levels = {item.key: len(item.levels) for item in assessment.version.items.all()}
    answer_levels(assessment, {key: levels[key] for key in keys}, world.admin)  # all at the top
    result = results.results_for(assessment)
    assert result.strengths == [] and result.needs == []
    assert result.no_strengths == result.no_needs == scoring.ALL_SAME


def test_two_scored_sections_are_one_strength_and_one_need(world, assessment):
    answer_levels(assessment, {"trustee-board": 4, "marketing": 1}, world.admin)
    result = results.results_for(assessment)
    assert titles(result.strengths) == ["Backing from the trustee board"]
    assert titles(result.needs) == ["Telling people about your services"]


def test_one_scored_section_is_too_few_to_rank_and_the_page_says_so(world, assessment):
    answer_levels(assessment, {"trustee-board": 3}, world.admin)
    result = results.results_for(assessment)
    assert result.strengths == [] and result.needs == []
    client = Client()
    client.force_login(world.member)
    html = client.get(reverse("readiness:results", args=[world.org.slug, assessment.pk])).content.decode()
    assert 'id="strengths"' not in html and 'id="needs"' not in html
    assert html.count("Only one section has a score, so there is nothing to rank it against.") == 2


def test_the_results_page_lists_strengths_and_needs_with_their_scores(world, assessment):
    answer_levels(
        assessment, {"values-and-culture": 3, "trustee-board": 2, "marketing": 1, "managing-change": 2}, world.admin
    )
    client = Client()
    client.force_login(world.member)
    page = results_page(client.get(reverse("readiness:results", args=[world.org.slug, assessment.pk])))
    # Four scored sections: two strengths and two needs, never the same one.
    assert page.lists["strengths"] == [
        "Values and culture (100.0)",
        "Managing change (50.0)",
    ]
    assert page.lists["needs"] == [
        "Telling people about your services (0.0)",
        "Backing from the trustee board (33.3)",
    ]


# --- change since the previous assessment -------------------------------------------------------


def test_change_since_the_previous_submitted_assessment_of_the_same_instrument(world, health_check, instruments):
    now = timezone.now()
    first = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(first, {"values-and-culture": 1, "trustee-board": 2, "marketing": 3, "flexibility": 2}, world.admin)
    first = submit_at(first, now - datetime.timedelta(days=365), world.admin)

    # Not comparable: a draft, another instrument, another organisation.
    draft = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(draft, {"values-and-culture": 3}, world.admin)
    other_instrument = services.start(
        organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin
    )
    submit_at(other_instrument, now - datetime.timedelta(days=30), world.admin)
    elsewhere = services.start(organisation=world.other_org, instrument=health_check, by=world.outsider)
    submit_at(elsewhere, now - datetime.timedelta(days=30), world.outsider)

    second = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(
        second,
        {
            "values-and-culture": 2,
            "trustee-board": 4,
            "marketing": 3,
            "flexibility": "not-relevant",
            "managing-change": 2,
        },
        world.admin,
    )
    second = submit_at(second, now, world.admin)

    result = results.results_for(second)
    assert result.previous == first
    sections = by_key(result)
    assert sections["values-and-culture"].change == Decimal("50.0")  # 0 → 50
    assert sections["trustee-board"].change == Decimal("66.7")  # 33.3 → 100
    assert sections["marketing"].change == Decimal("0.0")  # 66.7 → 66.7
    assert sections["flexibility"].change is None  # 50 → not relevant
    assert sections["managing-change"].change is None  # no answer before
    # Overall: (0 + 33⅓ + 66⅔ + 50)/4 = 37.5 → (50 + 100 + 66⅔ + 50)/4 = 66.7
    before = reference_round(
        reference_mean([level_score(1, 3), level_score(2, 4), level_score(3, 4), level_score(2, 3)])
    )
    after = reference_round(
        reference_mean([level_score(2, 3), level_score(4, 4), level_score(3, 4), level_score(2, 3)])
    )
    assert (before, after) == (Decimal("37.5"), Decimal("66.7"))
    assert result.overall_change == after - before == Decimal("29.2")
    assert result.overall_change == result.overall - results.results_for(first).overall

    # A draft compares with the latest submitted one.
    assert results.results_for(draft).previous == second
    # The first has nothing before it.
    assert results.results_for(first).previous is None


def test_the_results_page_shows_the_change(world, health_check):
    first = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(first, {"values-and-culture": 3, "trustee-board": 2}, world.admin)
    submit_at(first, timezone.now() - datetime.timedelta(days=200), world.admin)
    second = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(second, {"values-and-culture": 2, "trustee-board": 2, "marketing": 1}, world.admin)
    client = Client()
    client.force_login(world.admin)
    page = client.get(reverse("readiness:results", args=[world.org.slug, second.pk]))
    changes = shown_changes(page)
    assert changes["values-and-culture"] == Decimal("-50.0")
    assert changes["trustee-board"] == Decimal("0.0")
    assert changes["marketing"] is None
    html = page.content.decode()
    assert "−50.0" in html
    # Overall: 66.7 → 27.8 (the mean of 50, 33.3 and 0).
    assert shown_overall(page) == Decimal("27.8")
    assert '<strong id="overall-change">−38.9</strong>' in html


def test_a_new_version_of_the_instrument_still_compares_with_the_last_assessment(world, health_check):
    first = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    answer_levels(first, {"trustee-board": 2}, world.admin)
    submit_at(first, timezone.now() - datetime.timedelta(days=90), world.admin)
    text = shipped_path("health-check").read_text(encoding="utf-8")
    load_text(text.replace('version: "1.0"', 'version: "2.0"', 1), "health-check.yaml")
    second = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    assert second.version.revision == 2
    answer_levels(second, {"trustee-board": 3}, world.admin)
    result = results.results_for(second)
    assert result.previous == first
    assert by_key(result)["trustee-board"].change == Decimal("33.4")  # 33.3 → 66.7


# --- left out, and provisional ------------------------------------------------------------------


def test_left_out_sections_are_listed_with_the_reason(world, assessment):
    result = results.results_for(assessment)
    assert [entry["key"] for entry in result.left_out] == [LEFT_OUT_SECTION]
    assert result.left_out[0]["reason"].startswith("Only for organisations that provide direct payment support")
    assert LEFT_OUT_SECTION not in by_key(result)
    client = Client()
    client.force_login(world.admin)
    page = results_page(client.get(reverse("readiness:results", args=[world.org.slug, assessment.pk])))
    assert page.lists["left-out"] == [
        "Direct payment support: Only for organisations that provide direct payment support "
        "(payroll, employing a personal assistant)"
    ]
    assert LEFT_OUT_SECTION not in page.rows


def test_draft_results_are_marked_provisional_and_submitted_ones_are_not(world, assessment):
    answer_levels(assessment, {"trustee-board": 2}, world.admin)
    client = Client()
    client.force_login(world.admin)
    address = reverse("readiness:results", args=[world.org.slug, assessment.pk])
    draft = client.get(address).content.decode()
    assert "This assessment has not been submitted yet, so these scores may still change." in draft
    services.submit(assessment=assessment, by=world.admin)
    submitted = client.get(address).content.decode()
    assert "may still change" not in submitted
    assert "Submitted on" in submitted


# --- random instruments, random answers -------------------------------------------------------------

SERVICES = ["advocacy", "brokerage", "meals", "transport"]
INSTRUMENT_NUMBERS = itertools.count()


@st.composite
def instrument_files(draw):
    """A random, valid instrument definition (as YAML's JSON subset) and
    random answers to it: (definition, {item key: answer or None})."""
    sections, answers = [], {}
    for s in range(draw(st.integers(min_value=1, max_value=5))):
        items = []
        for i in range(draw(st.integers(min_value=1, max_value=4))):
            key = f"s{s}-i{i}"
            kind = draw(st.sampled_from(["ladder", "milestones", "rating"]))
            item = {"key": key, "type": kind, "prompt": f"Question {s}.{i}"}
            if kind == "rating":
                scores = draw(
                    st.lists(
                        st.one_of(st.integers(0, 100), st.decimals(0, 100, places=1).map(float)),
                        min_size=2,
                        max_size=4,
                        unique=True,
                    )
                )
                item["options"] = [{"key": f"o{n}", "label": f"Option {n}", "score": v} for n, v in enumerate(scores)]
                choices = [f"o{n}" for n in range(len(scores))]
            else:
                count = draw(st.integers(min_value=2, max_value=6))
                item["levels"] = [f"Statement {n}" for n in range(1, count + 1)]
                choices = list(range(1, count + 1))
            items.append(item)
            answers[key] = draw(st.one_of(st.none(), st.just("not-relevant"), st.sampled_from(choices)))
        section = {"key": f"s{s}", "title": f"Section {s:02d}", "items": items}
        if draw(st.booleans()):
            section["condition"] = {
                "provides": draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=2, unique=True))
            }
        sections.append(section)
    return {"title": "Random instrument", "version": "1", "sections": sections}, answers


@pytest.fixture
def plain_organisation(db):
    area = CouncilArea.objects.create(code="E99000077", name="Testshire")
    return Organisation.objects.create(
        name="Random Test Group",
        slug="random-test-group",
        org_type="voluntary",
        council_area=area,
        services=["advocacy", "meals"],
    )


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=instrument_files())
def test_random_instruments_and_answers_score_as_the_reference_says(plain_organisation, generated):
    definition, chosen = generated
    # Every example (and every replay while shrinking) loads its own instrument.
    key = f"random-{next(INSTRUMENT_NUMBERS)}"
    definition = {"key": key, **definition}
    version = load_text(json.dumps(definition), f"{key}.yaml").version
    assessment = services.start(organisation=plain_organisation, instrument=version.instrument, by=None)
    applies, left_out = services.split_sections(assessment)
    for section in applies:
        values = {}
        for item in section.items.all():
            choice = chosen[item.key]
            if choice == "not-relevant":
                values[item.key] = {"not_relevant": True}
            elif isinstance(choice, int):
                values[item.key] = {"level": choice}
            elif choice is not None:
                values[item.key] = {"option": choice}
        services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=None)

    result = results.results_for(assessment)

    # The reference: which sections apply, each one's mean, the overall mean.
    expected_sections = {}
    expected_left_out = []
    for section in definition["sections"]:
        wanted = section.get("condition", {}).get("provides")
        if wanted and not set(wanted) & set(plain_organisation.services):
            expected_left_out.append(section["key"])
            continue
        scores = []
        for item in section["items"]:
            choice = chosen[item["key"]]
            if choice is None or choice == "not-relevant":
                continue
            if item["type"] == "rating":
                scores.append(exact(next(o["score"] for o in item["options"] if o["key"] == choice)))
            else:
                scores.append(level_score(choice, len(item["levels"])))
        expected_sections[section["key"]] = reference_mean(scores)
    assert [entry["key"] for entry in left_out] == expected_left_out
    assert [s.key for s in result.sections] == list(expected_sections)
    for section in result.sections:
        assert section.raw == expected_sections[section.key]
        assert section.score == reference_round(expected_sections[section.key])
    overall = reference_mean(expected_sections.values())
    assert result.overall_raw == overall
    assert result.overall == reference_round(overall)
    # A strength: its score and every higher one fit in the top min(3, half);
    # a need likewise from the bottom.
    scored = [v for v in expected_sections.values() if v is not None]
    k = min(3, len(scored) // 2)
    strengths = {key for key, v in expected_sections.items() if v is not None and sum(o >= v for o in scored) <= k}
    needs = {key for key, v in expected_sections.items() if v is not None and sum(o <= v for o in scored) <= k}
    assert {s.key for s in result.strengths} == strengths
    assert {s.key for s in result.needs} == needs


# --- the worked example in docs/scoring.md ----------------------------------------------------------

WORKED_EXAMPLE = """
key: worked-example
title: Worked example
version: "1"
sections:
  - key: values
    title: Values and culture
    items:
      - {key: values, type: ladder, prompt: Where are you, levels: [One, Two, Three]}
  - key: trustees
    title: Backing from the trustee board
    items:
      - {key: trustees, type: ladder, prompt: Where are you, levels: [One, Two, Three, Four]}
  - key: flexible
    title: Giving flexible support
    items:
      - {key: f1, type: rating, prompt: First}
      - {key: f2, type: rating, prompt: Second}
      - {key: f3, type: rating, prompt: Third}
      - {key: f4, type: rating, prompt: Fourth}
  - key: change
    title: Managing change
    items:
      - {key: change, type: ladder, prompt: Where are you, levels: [One, Two, Three]}
  - key: marketing
    title: Telling people about your services
    items:
      - {key: marketing, type: ladder, prompt: Where are you, levels: [One, Two, Three, Four]}
  - key: demand
    title: Knowing the demand for your services
    items:
      - {key: demand, type: ladder, prompt: Where are you, levels: [One, Two, Three]}
  - key: direct-payments
    title: Direct payment support
    condition: {provides: [direct_payment_support]}
    items:
      - {key: direct-payments, type: ladder, prompt: Where are you, levels: [One, Two, Three, Four]}
"""


def test_the_worked_example_in_docs_scoring_md(world):
    version = load_text(WORKED_EXAMPLE, "worked-example.yaml").version
    assessment = services.start(organisation=world.org, instrument=version.instrument, by=world.admin)
    sections = {s.key: s for s in services.split_sections(assessment)[0]}
    answers = {
        "values": {"values": {"level": 2}},
        "trustees": {"trustees": {"level": 2}},
        "flexible": {
            "f1": {"option": "fully-met"},
            "f2": {"option": "partly-met"},
            "f3": {"option": "not-met"},
            "f4": {"not_relevant": True},
        },
        "change": {"change": {"level": 3}},
        "marketing": {"marketing": {"not_relevant": True}},
    }
    for key, values in answers.items():
        services.save_section(assessment=assessment, section=sections[key], values=values, revisions={}, by=world.admin)
    result = results.results_for(assessment)
    shown = {s.title: s.score for s in result.sections}
    assert shown == {
        "Values and culture": Decimal("50.0"),
        "Backing from the trustee board": Decimal("33.3"),
        "Giving flexible support": Decimal("50.0"),
        "Managing change": Decimal("100.0"),
        "Telling people about your services": None,
        "Knowing the demand for your services": None,
    }
    assert result.overall_raw == Fraction(175, 3)  # 233⅓ ÷ 4
    assert result.overall == Decimal("58.3")
    assert titles(result.strengths) == ["Managing change"]
    assert titles(result.needs) == ["Backing from the trustee board"]
    assert [(e["title"], e["reason"]) for e in result.left_out] == [
        (
            "Direct payment support",
            "Only for organisations that provide direct payment support (payroll, employing a personal assistant)",
        )
    ]
