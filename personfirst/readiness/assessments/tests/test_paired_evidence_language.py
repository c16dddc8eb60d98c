"""Paired I/We items, evidence and the date achieved, and Welsh versions
(issue 11: instruments a council or charity can really write).

The fixture instrument tests/fixtures/pair-check.yaml has three paired
items in two sections; pair-check.cy.yaml is its Welsh version.
"""

from __future__ import annotations

import datetime
import json
import shutil
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from personfirst.core.validation import Invalid
from personfirst.readiness.assessments import languages, paired, results, scoring, services
from personfirst.readiness.assessments.instrument_file import InstrumentFileError, parse
from personfirst.readiness.assessments.loading import load_paths, read_path
from personfirst.readiness.assessments.models import Answer, Instrument, InstrumentTranslation

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "pair-check.yaml"
WELSH = FIXTURES / "pair-check.cy.yaml"
API = "/api/v1"


def problems_in(text: str, filename: str = "pairs.yaml") -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        parse(textwrap.dedent(text), filename)
    return [str(problem) for problem in caught.value.problems]


HEAD = """\
key: pairs
title: Pairs
version: "1"
sections:
  - key: one
    title: One
    items:
"""


# -- The file ------------------------------------------------------------------------------


def test_a_paired_item_reads_its_statements_and_default_options():
    definition = read_path(ENGLISH)
    item = definition.items[0]
    assert (item.type, item.options, item.comments) == ("paired", paired.PAIRED_OPTIONS, True)
    assert item.settings == {
        "i": "I have a say in who supports me.",
        "we": "We listen to people when we choose staff.",
        "evidence": True,
    }
    assert "evidence" not in definition.items[1].settings


def test_a_paired_item_without_its_statements_is_refused_on_its_line():
    text = HEAD + "      - key: a\n        type: paired\n        prompt: A\n        i: I do.\n"
    assert problems_in(text) == [
        "pairs.yaml:8: this paired item is missing required key 'we' (what the organisation says, starting 'We')"
    ]


def test_statements_only_on_paired_items_and_evidence_is_true_or_false():
    text = HEAD + (
        "      - key: a\n        type: ladder\n        prompt: A\n        levels: [x, y]\n        we: We do.\n"
        "      - key: b\n        type: rating\n        prompt: B\n        evidence: yes\n"
    )
    assert problems_in(text) == [
        "pairs.yaml:12: we are only for paired items; a ladder item uses levels",
        "pairs.yaml:16: evidence must be true or false, but YAML reads yes as true only in its older version "
        "(1.1), and as text in the current one; write true",
    ]


def test_an_unknown_language_is_refused_on_its_line():
    text = HEAD.replace('version: "1"\n', 'version: "1"\nlanguage: fr\n') + (
        "      - key: a\n        type: ladder\n        prompt: A\n        levels: [x, y]\n"
    )
    assert problems_in(text) == ["pairs.yaml:4: unknown language 'fr'; use one of: en, cy (leave it out for English)"]


def test_an_english_file_keeps_its_content_hash_whether_or_not_it_says_language_en():
    text = HEAD + "      - key: a\n        type: ladder\n        prompt: A\n        levels: [x, y]\n"
    plain = parse(text, "a.yaml")
    said = parse(text.replace('version: "1"\n', 'version: "1"\nlanguage: en\n'), "a.yaml")
    assert plain.content_hash() == said.content_hash()
    assert "language" not in plain.to_dict()


# -- Scores and the gap ------------------------------------------------------------------------


def test_a_paired_item_scores_what_people_say_and_the_gap_is_ours_minus_theirs():
    item = read_path(ENGLISH).items[0]
    kind = item.kind
    assert kind.score(item, scoring.Response(option="partly-true")) == 50
    assert kind.gap(item, "partly-true", "true") == 50
    assert kind.gap(item, "true", "not-true") == -100
    assert kind.gap(item, "true", None) is None
    assert paired.gap_words(Fraction(50)) == "Gap: we rate ourselves 50.0 points above what people tell us"
    assert paired.gap_words(Fraction(-50)) == "Gap: we rate ourselves 50.0 points below what people tell us"
    assert paired.mean_gap([Fraction(50), None, Fraction(0)]) == 25


@pytest.fixture
def pair_check(db):
    load_paths([ENGLISH])
    return Instrument.objects.get(key="pair-check")


@pytest.fixture
def started(world, pair_check):
    return services.start(organisation=world.org, instrument=pair_check, by=world.admin)


def save(assessment, section_key, values, by):
    section = assessment.version.sections.get(key=section_key)
    return services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=by)


def test_the_docs_worked_example_section_75_gap_plus_25(world, started):
    save(
        started,
        "my-support",
        {
            "who-supports-me": {"option": "partly-true", "we_option": "true"},
            "changing-times": {"option": "true", "we_option": "true"},
        },
        world.admin,
    )
    section = next(s for s in results.results_for(started).sections if s.key == "my-support")
    assert (section.score, section.gap) == (scoring.one_decimal(75), scoring.one_decimal(25))
    assert [item.key for item in section.rated_above] == ["who-supports-me"]
    assert (
        section.items[0].details[0] == "What we say about ourselves, “We listen to people when we choose staff.”: True"
    )


def test_both_ratings_are_needed_unless_not_relevant(world, started):
    with pytest.raises(Invalid) as caught:
        save(started, "my-support", {"who-supports-me": {"option": "true"}}, world.admin)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        (("who-supports-me", "we_option"), "Select how true it is for what you say, as well as the other rating.")
    ]
    with pytest.raises(Invalid) as caught:
        save(started, "my-support", {"who-supports-me": {"not_relevant": True, "we_option": "true"}}, world.admin)
    assert caught.value.errors[0].message == "Choose ratings or ‘Not relevant to us’, not both."
    with pytest.raises(Invalid) as caught:
        save(started, "my-support", {"changing-times": {"option": "true", "we_option": "maybe"}}, world.admin)
    assert "there is no option ‘maybe’" in caught.value.errors[0].message
    save(started, "my-support", {"who-supports-me": {"not_relevant": True}}, world.admin)
    assert Answer.objects.get(assessment=started, item__key="who-supports-me").not_relevant


# -- Evidence and the date achieved -------------------------------------------------------------


def test_evidence_and_the_date_achieved_are_checked_and_kept(world, started):
    today = datetime.date.today()
    future = (today + datetime.timedelta(days=2)).isoformat()
    cases = [
        ({"evidence": "x" * 1001}, "evidence", "Evidence must be 1,000 characters or fewer"),
        ({"achieved_on": future}, "achieved_on", "The date achieved must be today or in the past"),
        ({"achieved_on": "2026-02-30"}, "achieved_on", "Enter the date achieved as a real date, like 2026-03-31"),
    ]
    for extra, field, message in cases:
        with pytest.raises(Invalid) as caught:
            values = {"who-supports-me": {"option": "true", "we_option": "true", **extra}}
            save(started, "my-support", values, world.admin)
        assert [(e.field, e.message) for e in caught.value.errors] == [(("who-supports-me", field), message)]
    with pytest.raises(Invalid) as caught:
        values = {"who-supports-me": {"option": "partly-true", "we_option": "true", "achieved_on": "2025-01-31"}}
        save(started, "my-support", values, world.admin)
    assert caught.value.errors[0].message == "Leave the date achieved empty unless you chose the highest answer"
    with pytest.raises(Invalid) as caught:
        save(
            started,
            "my-support",
            {"changing-times": {"option": "true", "we_option": "true", "evidence": "x"}},
            world.admin,
        )
    assert caught.value.errors[0].message == "This question does not ask for evidence or a date achieved."

    values = {"option": "true", "we_option": "true", "evidence": " Our survey, May 2025 ", "achieved_on": "2025-06-01"}
    save(started, "my-support", {"who-supports-me": values}, world.admin)
    answer = Answer.objects.get(assessment=started, item__key="who-supports-me")
    assert (answer.evidence, answer.achieved_on) == ("Our survey, May 2025", datetime.date(2025, 6, 1))
    assert answer.describe()[-2:] == ["Evidence: Our survey, May 2025", "Achieved on 1 June 2025"]


def test_the_personal_data_export_has_the_evidence(world, started):
    from personfirst.readiness.assessments.personal_data import _export_answers

    values = {"option": "true", "we_option": "partly-true", "evidence": "Minutes", "achieved_on": "2025-06-01"}
    save(started, "my-support", {"who-supports-me": values}, world.admin)
    (row,) = _export_answers(world.admin)["answers_you_wrote"]
    assert (row["organisation_rating"], row["evidence"], row["achieved_on"]) == ("partly-true", "Minutes", "2025-06-01")


# -- Pages and the API ----------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(assessment, name, *extra) -> str:
    return reverse(f"readiness:{name}", args=[assessment.organisation.slug, assessment.pk, *extra])


def test_the_section_page_asks_for_both_ratings_and_the_evidence(world, started):
    client = client_for(world.admin)
    html = client.get(page_url(started, "section", "my-support")).content.decode()
    for name in ("item-who-supports-me", "we-who-supports-me", "evidence-who-supports-me", "achieved-who-supports-me"):
        assert f'name="{name}"' in html
    assert 'name="evidence-changing-times"' not in html
    assert "What people who use our services tell us: “I have a say in who supports me.”" in html
    response = client.post(
        page_url(started, "section", "my-support"),
        {"item-who-supports-me": "true", "rev-who-supports-me": 0, "rev-changing-times": 0, "continue": "1"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "Select how true it is for what you say, as well as the other rating." in text
    assert not Answer.objects.filter(assessment=started).exists()


def test_the_results_page_shows_the_gap_by_section_and_question(world, started):
    save(
        started,
        "my-support",
        {
            "who-supports-me": {"option": "partly-true", "we_option": "true"},
            "changing-times": {"option": "true", "we_option": "true"},
        },
        world.admin,
    )
    html = client_for(world.admin).get(page_url(started, "results")).content.decode()
    table = html[html.index('id="gaps"') : html.index("</table>", html.index('id="gaps"'))]
    assert "My support" in table and "+25.0" in table
    assert "Who supports me</span> (+50.0)" in table
    assert "Information" not in table  # no paired answers there: no gap
    assert "Gap: we rate ourselves 50.0 points above what people tell us" in html


def test_the_api_records_both_ratings_and_gives_the_gap(world, started, api_client_for):
    api = api_client_for(world.admin)
    body = {"option": "not-true", "we_option": "true", "evidence": "Survey", "achieved_on": None}
    response = api.put(
        f"{API}/assessments/{started.pk}/answers/who-supports-me", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    got = response.json()
    assert (got["option"], got["we_option"], got["gap"], got["evidence"]) == ("not-true", "true", 100.0, "Survey")
    response = api.put(
        f"{API}/assessments/{started.pk}/answers/changing-times",
        json.dumps({"option": "true"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "we_option", "message": "Select how true it is for what you say, as well as the other rating."}
    ]
    scores = api.get(f"{API}/assessments/{started.pk}/scores").json()
    assert [(s["key"], s["score"], s["gap"]) for s in scores["sections"]] == [
        ("my-support", 0.0, 100.0),
        ("information", None, None),
    ]


# -- Welsh versions ----------------------------------------------------------------------------------


@pytest.fixture
def welsh_copy(tmp_path):
    """The fixture pair in a folder of their own, so that a test may spoil the Welsh one."""
    shutil.copy(ENGLISH, tmp_path / ENGLISH.name)
    shutil.copy(WELSH, tmp_path / WELSH.name)
    return tmp_path / ENGLISH.name, tmp_path / WELSH.name


def load_problems(english: Path) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        load_paths([english])
    return [str(problem) for problem in caught.value.problems]


def test_a_welsh_version_whose_structure_differs_is_refused_with_file_and_line(db, welsh_copy):
    english, welsh = welsh_copy
    text = welsh.read_text(encoding="utf-8")
    spoiled = (
        text.replace('version: "1.0"', 'version: "1.1"')
        .replace(
            "{key: partly-true, label: Rhannol wir, score: 50}", "{key: partly-true, label: Rhannol wir, score: 60}", 1
        )
        .replace("      - key: clear-information", "      - key: clear-info")
    )
    welsh.write_text(spoiled, encoding="utf-8")
    assert load_problems(english) == [
        f"{welsh}:5: version '1.1' must be the English file's version, '1.0'; translate the version that is loaded",
        f"{welsh}:17: item 'who-supports-me' must have the English options, with the same keys and scores: "
        "not-true (0), partly-true (50), true (100)",
        f"{welsh}:32: the items of section 'information' must be the English file's, in its order: "
        "clear-information (the Welsh file has clear-info)",
    ]
    assert not Instrument.objects.exists()  # nothing loaded, not even the English file


def test_a_welsh_version_must_say_its_language_and_a_welsh_file_alone_is_refused(db, welsh_copy):
    english, welsh = welsh_copy
    welsh.write_text(welsh.read_text(encoding="utf-8").replace("language: cy\n", ""), encoding="utf-8")
    assert load_problems(english) == [f"{welsh}:1: a Welsh version must say language: cy (this one says en)"]
    assert load_problems(WELSH) == [
        f"{WELSH}:1: this file is in another language (cy): put it beside the English file as KEY.cy.yaml, "
        "and it is loaded with it as a translation"
    ]


def test_a_welsh_version_loads_with_its_english_file(pair_check):
    version = pair_check.latest_version()
    translation = InstrumentTranslation.objects.get(version=version)
    assert translation.language == "cy"
    assert translation.text["sections"]["information"]["title"] == "Gwybodaeth"
    assert languages.languages_of(version) == [("en", "English"), ("cy", "Cymraeg (Welsh)")]
    ((_path, again),) = load_paths([ENGLISH])
    assert not again.created and [c.status for c in again.companions if c.name == "Welsh version"] == ["unchanged"]


def test_an_assessment_in_welsh_shows_the_welsh_words_marked_lang_cy(world, pair_check):
    client = client_for(world.admin)
    response = client.post(
        reverse("readiness:list", args=[world.org.slug]), {"instrument": "pair-check", "language": "cy"}
    )
    assert response.status_code == 302
    assessment = world.org.assessments.get()
    assert assessment.language == "cy"
    html = client.get(page_url(assessment, "section", "my-support")).content.decode()
    assert '<h1 class="govuk-heading-l" lang="cy">Fy nghefnogaeth</h1>' in html
    assert (
        "What people who use our services tell us: "
        '“<span lang="cy">Mae gen i lais yn pwy sy&#x27;n fy nghefnogi.</span>”' in html
    )
    assert '<span lang="cy">Rhannol wir</span>' in html
    assert (
        "Not relevant to us" in html and '<span lang="cy">Not relevant' not in html
    )  # the service's words stay English
    # The answers are the same items: saved and scored as in English.
    save(assessment, "my-support", {"who-supports-me": {"option": "true", "we_option": "true"}}, world.admin)
    html = client.get(page_url(assessment, "results")).content.decode()
    assert '<h3 class="govuk-heading-s" lang="cy">Fy nghefnogaeth</h3>' in html
    assert results.results_for(assessment).sections[0].score == scoring.one_decimal(100)


def test_starting_in_a_language_the_instrument_does_not_have_is_refused(world, instruments):
    with pytest.raises(Invalid) as caught:
        services.start(organisation=world.org, instrument=instruments["health-check"], by=world.admin, language="cy")
    assert caught.value.errors[0].message == "The Personalisation health check can be answered in English only."
