"""The crosswalk (crosswalk.yaml) and answering once: checking the file,
loading it with the shipped instruments, and suggesting answers in a new
assessment from the organisation's latest submitted answers to related items
of other instruments, which count only once someone confirms them."""

from __future__ import annotations

import datetime
import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from personfirst.core.definitions.items import ItemDefinition, Option, Response
from personfirst.readiness.assessments import crosswalk, loading, results, services
from personfirst.readiness.assessments.crosswalk import ItemRef, carry, nearest_position, translate
from personfirst.readiness.assessments.instrument_file import InstrumentFileError
from personfirst.readiness.assessments.loading import (
    CROSSWALK_PATH,
    load_paths,
    load_shipped,
    read_crosswalk,
    read_path,
)
from personfirst.readiness.assessments.loading import shipped_instrument_paths as shipped_paths
from personfirst.readiness.assessments.models import Answer, Assessment, CrosswalkItem, CrosswalkLink, Instrument, Item

from .pages import form_fields
from .test_instrument_file import docs_part, fenced_blocks

HEALTH = "health-check"
FLEXIBLE = "flexible-services"
LADDER = "workforce-ladder"

INSTRUMENTS = {
    "alpha": ["one", "two", "three"],
    "beta": ["uno", "dos"],
    "gamma": ["eins"],
}

GOOD = """\
# Related items.
links:
  - theme: First things
    items: [alpha/one, beta/uno]
  - theme: Second things
    items:
      - alpha/two
      - beta/dos
      - gamma/eins
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        crosswalk.parse(text, "crosswalk.yaml", INSTRUMENTS)
    return [str(problem) for problem in caught.value.problems]


def line(text: str, needle: str, occurrence: int = 1) -> int:
    found = [number for number, content in enumerate(text.splitlines(), start=1) if needle in content]
    return found[occurrence - 1]


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new, 1)


# -- The file ------------------------------------------------------------------------------


def test_a_good_crosswalk_parses():
    walk = crosswalk.parse(GOOD, "crosswalk.yaml", INSTRUMENTS)
    assert [(link.theme, [str(ref) for ref in link.items]) for link in walk.links] == [
        ("First things", ["alpha/one", "beta/uno"]),
        ("Second things", ["alpha/two", "beta/dos", "gamma/eins"]),
    ]
    assert walk.related("alpha", "two") == [ItemRef("beta", "dos"), ItemRef("gamma", "eins")]
    assert walk.related("alpha", "three") == []


def test_the_shipped_crosswalk_is_valid_and_links_different_instruments():
    definitions = [read_path(path) for path in shipped_paths()]
    walk = read_crosswalk(CROSSWALK_PATH, definitions)
    assert len(walk.links) == 8
    for link in walk.links:
        assert len({ref.instrument for ref in link.items}) >= 2, link.theme


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "alpha/one, beta/uno",
            "alpha/one, delta/uno",
            "delta/uno",
            "there is no instrument 'delta' (did you mean 'beta'?); the instruments are: alpha, beta, gamma",
        ),
        (
            "- beta/dos",
            "- beta/does",
            "beta/does",
            "the instrument 'beta' has no item 'does' (did you mean 'dos'?)",
        ),
        (
            "items: [alpha/one, beta/uno]",
            "items: [alpha/one]",
            "items: [alpha/one]",
            "a link needs at least 2 items, but this one has 1",
        ),
        (
            "items: [alpha/one, beta/uno]",
            "items: []",
            "items: []",
            "a link needs at least 2 items, but this one has none",
        ),
        (
            "items: [alpha/one, beta/uno]",
            "items: [alpha/one, alpha/three]",
            "items: [alpha/one, alpha/three]",
            "every item in this link is from 'alpha'; a link joins items of different instruments",
        ),
        (
            "items: [alpha/one, beta/uno]",
            "items: [alpha/one, beta/uno, alpha/one]",
            "items: [alpha/one, beta/uno, alpha/one]",
            "alpha/one is listed twice in this link",
        ),
        (
            "- gamma/eins",
            "- beta/uno",
            "- beta/uno",
            f"beta/uno is already in the link on line {line(GOOD, '- theme: First')}; an item can be in only "
            "one link, so put everything that asks about the same thing in one link",
        ),
        (
            "alpha/one, beta/uno",
            "alpha-one, beta/uno",
            "alpha-one",
            "'alpha-one' must be written as instrument-key/item-key, like health-check/costs-and-prices",
        ),
        (
            "  - theme: Second things\n",
            "  - theme: Second things\n    colour: blue\n",
            "colour: blue",
            "unknown key 'colour' in this link; allowed keys are: theme, items",
        ),
        (
            "  - theme: First things\n    items",
            "  - items",
            "- items: [alpha/one",
            "this link is missing required key 'theme'",
        ),
        (
            "  - theme: First things",
            "  - theme: 42",
            "theme: 42",
            'theme must be text, but YAML reads 42 as a number; put it in quotes, like "42"',
        ),
    ],
)
def test_problems_have_their_lines(old, new, needle, message):
    text = edit(old, new)
    assert problems(text) == [f"crosswalk.yaml:{line(text, needle)}: {message}"]


def test_unknown_top_level_key_and_empty_links():
    assert problems("links: []\nthemes: []\n") == [
        "crosswalk.yaml:1: links is empty: give at least one link",
        "crosswalk.yaml:2: unknown key 'themes' in the crosswalk; allowed keys are: links",
    ]
    assert problems("\n") == ["crosswalk.yaml:1: the file is empty: a crosswalk needs links"]
    assert problems("links:\n  theme: x\n") == [
        "crosswalk.yaml:1: links must be a list of links, each with a theme and items, but this is a mapping "
        "(name: value pairs)"
    ]


# -- Carrying an answer across ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "size_from", "size_to", "expected"),
    [
        (1, 4, 3, 1),
        (2, 4, 3, 2),  # 2/3 of a step up: nearer 2
        (3, 4, 3, 2),  # 4/3: nearer 2
        (4, 4, 3, 3),
        (2, 3, 4, 2),  # exactly halfway between 2 and 3: the lower
        (2, 3, 5, 3),
        (3, 5, 3, 2),
        (2, 5, 3, 1),  # a quarter of the way up: halfway between 1 and 2, so the lower
        (4, 5, 3, 2),  # three quarters: halfway between 2 and 3, so the lower
        (4, 7, 3, 2),
        (5, 7, 3, 2),  # 2/3 of the way: 1.33 steps up, nearer 2
        (6, 7, 3, 3),
    ],
)
def test_nearest_position(position, size_from, size_to, expected):
    assert nearest_position(position, size_from, size_to) == expected


@given(size_from=st.integers(2, 12), size_to=st.integers(2, 12), data=st.data())
def test_nearest_position_keeps_ends_order_and_is_nearest(size_from, size_to, data):
    assert nearest_position(1, size_from, size_to) == 1
    assert nearest_position(size_from, size_from, size_to) == size_to
    mapped = [nearest_position(p, size_from, size_to) for p in range(1, size_from + 1)]
    assert mapped == sorted(mapped)
    p = data.draw(st.integers(1, size_from))
    q = nearest_position(p, size_from, size_to)
    exact = (p - 1) / (size_from - 1) * (size_to - 1) + 1
    assert abs(q - exact) <= 0.5 + 1e-9
    if size_from == size_to:
        assert q == p


def test_nearest_position_refuses_what_is_not_on_the_scale():
    with pytest.raises(ValueError):
        nearest_position(5, 4, 3)
    with pytest.raises(ValueError):
        nearest_position(1, 1, 3)


def test_a_rating_scale_is_its_options_by_score():
    options = (
        Option("some", "Some", 40),
        Option("all", "All", 100),
        Option("none", "None", 0),
        Option("most", "Most", 66.7),
    )
    rating = ItemDefinition("r", "rating", "?", options=options)
    assert rating.kind.scale(rating) == ("none", "some", "most", "all")
    ladder = ItemDefinition("l", "ladder", "?", levels=("a", "b", "c"))
    assert ladder.kind.scale(ladder) == (1, 2, 3)
    # Equal scores (which a file may no longer give): the keys settle it, not the order listed.
    tied = ItemDefinition("t", "rating", "?", options=(Option("yes", "Yes", 100), Option("also-yes", "Also", 100)))
    assert tied.kind.scale(tied) == ("also-yes", "yes")
    reversed_tie = ItemDefinition("t", "rating", "?", options=tuple(reversed(tied.options)))
    assert reversed_tie.kind.scale(reversed_tie) == ("also-yes", "yes")


def test_carry_goes_by_the_types_scales_whatever_order_the_options_are_listed_in():
    best_first = (
        Option("fully-met", "Fully met", 100),
        Option("partly-met", "Partly met", 50),
        Option("not-met", "Not met", 0),
    )
    ladder = ItemDefinition("l", "ladder", "?", levels=("1", "2", "3", "4"))
    for options in (best_first, tuple(reversed(best_first))):
        rating = ItemDefinition("r", "rating", "?", options=options)
        assert [carry(ladder, Response(level=n), rating).option for n in (1, 2, 3, 4)] == [
            "not-met",
            "partly-met",
            "partly-met",
            "fully-met",
        ]
        assert [carry(rating, Response(option=o), ladder).level for o in ("not-met", "partly-met", "fully-met")] == [
            1,
            2,
            4,
        ]
    assert carry(ladder, Response(level=9), rating) is None
    assert carry(ladder, Response(not_relevant=True), rating) is None


def test_translate_between_a_ladder_and_the_default_rating():
    rating = ["not-met", "partly-met", "fully-met"]
    assert [translate(level, [1, 2, 3, 4], rating) for level in (1, 2, 3, 4)] == [
        "not-met",
        "partly-met",
        "partly-met",
        "fully-met",
    ]
    assert [translate(option, rating, [1, 2, 3, 4]) for option in rating] == [1, 2, 4]


# -- Loading -----------------------------------------------------------------------------------


def test_load_instruments_loads_the_crosswalk_once(db):
    call_command("load_instruments", stdout=io.StringIO())
    links = list(CrosswalkLink.objects.values_list("theme", flat=True))
    assert len(links) == 8 and links[0] == "Unit costs and prices"
    assert list(CrosswalkLink.objects.first().items.values_list("instrument_key", "item_key")) == [
        ("health-check", "costs-and-prices"),
        ("flexible-services", "prices-for-direct-purchase"),
    ]
    with CaptureQueriesContext(connection) as queries:
        stdout = io.StringIO()
        call_command("load_instruments", stdout=stdout)
    assert stdout.getvalue() == "The 4 shipped instruments are up to date.\n"
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_a_changed_crosswalk_replaces_the_links(db, tmp_path):
    load_shipped()
    changed = tmp_path / "crosswalk.yaml"
    changed.write_text(
        "links:\n  - theme: Prices\n    items: [health-check/costs-and-prices, flexible-services/regulation]\n",
        encoding="utf-8",
    )
    _results, result = load_shipped(crosswalk_path=changed)
    assert (result.changed, result.links) == (True, 1)
    assert list(CrosswalkItem.objects.values_list("item_key", flat=True)) == ["costs-and-prices", "regulation"]


def test_load_instrument_leaves_the_crosswalk_alone(db):
    call_command("load_instrument", *[str(p) for p in shipped_paths()], stdout=io.StringIO())
    assert not CrosswalkLink.objects.exists()


def test_a_bad_crosswalk_refuses_the_whole_load(db, tmp_path):
    bad = tmp_path / "crosswalk.yaml"
    bad.write_text("links:\n  - theme: Prices\n    items: [health-check/costs, flexible-services/regulation]\n")
    with pytest.raises(InstrumentFileError) as caught:
        load_shipped(crosswalk_path=bad)
    assert [str(p) for p in caught.value.problems] == [f"{bad}:3: the instrument 'health-check' has no item 'costs'"]
    assert not Instrument.objects.exists()
    assert not CrosswalkLink.objects.exists()


# -- Answer once -------------------------------------------------------------------------------


@pytest.fixture
def linked(db):
    """The shipped instruments and crosswalk, as load_instruments loads them."""
    load_shipped()
    return {instrument.key: instrument for instrument in Instrument.objects.all()}


def save(assessment, item_key, by, **values):
    item = Item.objects.select_related("section").get(version=assessment.version, key=item_key)
    current = Answer.objects.filter(assessment=assessment, item=item, respondent=None).first()
    conflicts = services.save_section(
        assessment=assessment,
        section=item.section,
        values={item_key: values},
        revisions={item_key: current.revision if current else 0},
        by=by,
    )
    assert not conflicts


def submitted(organisation, instrument, by, answers: dict, days_ago: int = 10) -> Assessment:
    assessment = services.start(organisation=organisation, instrument=instrument, by=by)
    for item_key, values in answers.items():
        save(assessment, item_key, by, **values)
    services.submit(assessment=assessment, by=by)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    assessment.refresh_from_db()
    return assessment


def suggestions(assessment) -> dict:
    return {
        a.item.key: a.item.kind.value(a.response)
        for a in Answer.objects.filter(assessment=assessment, suggested=True).select_related("item")
    }


@pytest.mark.parametrize(("level", "option"), [(1, "not-met"), (2, "partly-met"), (3, "partly-met"), (4, "fully-met")])
def test_a_ladder_answer_is_suggested_on_a_rating_item(world, linked, level, option):
    source = submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"level": level}})
    new = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(new) == {"prices-for-direct-purchase": option}
    answer = Answer.objects.get(assessment=new, item__key="prices-for-direct-purchase")
    assert answer.suggested_from == Answer.objects.get(assessment=source, item__key="costs-and-prices")
    assert (answer.revision, answer.respondent, answer.notes) == (1, None, "")


@pytest.mark.parametrize(("option", "level"), [("not-met", 1), ("partly-met", 2), ("fully-met", 4)])
def test_a_rating_answer_is_suggested_on_a_ladder_item(world, linked, option, level):
    submitted(world.org, linked[FLEXIBLE], world.admin, {"involving-people": {"option": option}})
    new = services.start(organisation=world.org, instrument=linked[HEALTH], by=world.admin)
    assert suggestions(new) == {"people-you-support": level}


def test_a_rating_answer_is_suggested_on_a_milestones_item(world, linked):
    submitted(world.org, linked[FLEXIBLE], world.admin, {"learning-and-development": {"option": "partly-met"}})
    new = services.start(organisation=world.org, instrument=linked[LADDER], by=world.admin)
    assert suggestions(new) == {"workforce-development": 3}  # halfway up five steps
    assert Answer.objects.get(assessment=new).target_dates == {}


def test_the_latest_submitted_answer_is_used_and_not_relevant_is_skipped(world, linked):
    older = submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"level": 4}}, days_ago=400)
    submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"not_relevant": True}}, days_ago=30)
    new = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(new) == {"prices-for-direct-purchase": "fully-met"}
    assert Answer.objects.get(assessment=new).suggested_from.assessment == older

    submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"level": 1}}, days_ago=5)
    newer = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(newer) == {"prices-for-direct-purchase": "not-met"}


def test_only_submitted_assessments_count(world, linked):
    draft = services.start(organisation=world.org, instrument=linked[HEALTH], by=world.admin)
    save(draft, "costs-and-prices", world.admin, level=3)
    new = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(new) == {}


def test_another_organisations_answers_are_never_used(world, linked):
    submitted(world.unshared, linked[HEALTH], world.admin, {"costs-and-prices": {"level": 3}})
    submitted(world.other_org, linked[HEALTH], world.outsider, {"costs-and-prices": {"level": 3}})
    new = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(new) == {}
    theirs = services.start(organisation=world.other_org, instrument=linked[FLEXIBLE], by=world.outsider)
    assert suggestions(theirs) == {"prices-for-direct-purchase": "partly-met"}
    assert Answer.objects.get(assessment=theirs).suggested_from.assessment.organisation == world.other_org


def test_respondents_own_answers_are_not_used(world, linked):
    assessment = services.start(organisation=world.org, instrument=linked[HEALTH], by=world.admin)
    respondent = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    item = Item.objects.get(version=assessment.version, key="costs-and-prices")
    services.save_section(
        assessment=assessment,
        section=item.section,
        values={"costs-and-prices": {"level": 4}},
        revisions={},
        by=world.member,
        respondent=respondent,
    )
    services.submit(assessment=assessment, by=world.admin)
    new = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    assert suggestions(new) == {}


def test_unconfirmed_suggestions_are_not_passed_on(world, linked):
    submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"level": 3}}, days_ago=40)
    flexible = services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)
    services.submit(assessment=flexible, by=world.admin)  # its suggestion was never confirmed
    Assessment.objects.filter(pk=flexible.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=1))
    # Only the health check's own answer (an earlier assessment of the same instrument) could feed it: no.
    new = services.start(organisation=world.org, instrument=linked[HEALTH], by=world.admin)
    assert suggestions(new) == {}


def test_items_in_sections_that_do_not_apply_get_no_suggestion(world, linked):
    # Beech House provides residential and nursing care, so the health check's section on
    # information, advice, advocacy and brokerage is left out for it.
    submitted(
        world.unshared,
        linked[FLEXIBLE],
        world.admin,
        {"information-advice-advocacy": {"option": "partly-met"}, "prices-for-direct-purchase": {"option": "not-met"}},
    )
    new = services.start(organisation=world.unshared, instrument=linked[HEALTH], by=world.admin)
    assert suggestions(new) == {"costs-and-prices": 1}


def test_without_a_crosswalk_nothing_is_suggested(world, db):
    load_paths(shipped_paths())
    health = Instrument.objects.get(key=HEALTH)
    submitted(
        world.org, Instrument.objects.get(key=FLEXIBLE), world.admin, {"involving-people": {"option": "fully-met"}}
    )
    assert suggestions(services.start(organisation=world.org, instrument=health, by=world.admin)) == {}


# -- Suggested answers do not count until confirmed ------------------------------------------------


@pytest.fixture
def suggested(world, linked):
    """A flexible services draft for world.org with one suggested answer (prices: partly met),
    from a health check submitted on 3 March 2026."""
    source = submitted(world.org, linked[HEALTH], world.admin, {"costs-and-prices": {"level": 3}})
    when = timezone.make_aware(datetime.datetime(2026, 3, 3, 15, 0))
    Assessment.objects.filter(pk=source.pk).update(submitted_at=when)
    return services.start(organisation=world.org, instrument=linked[FLEXIBLE], by=world.admin)


def section_of(assessment, key):
    return next(s for s in services.split_sections(assessment)[0] if s.key == key)


def test_an_unconfirmed_suggestion_is_not_scored_or_counted(suggested):
    answers = services.answers_for(suggested)
    assert answers == {}
    everything = services.answers_for(suggested, include_suggested=True)
    assert list(everything) == ["prices-for-direct-purchase"]
    assert everything["prices-for-direct-purchase"].is_answered
    assert not everything["prices-for-direct-purchase"].counts
    section = section_of(suggested, "systems-and-processes")
    assert services.section_status(section, everything) == "to_confirm"
    result = results.results_for(suggested)
    scored = {s.key: s.raw for s in result.sections}
    assert scored["systems-and-processes"] is None
    assert result.overall_raw is None


def test_saving_the_section_confirms_the_suggestion_and_it_then_counts(world, suggested):
    save(suggested, "prices-for-direct-purchase", world.admin, option="partly-met")
    answer = Answer.objects.get(assessment=suggested)
    assert (answer.suggested, answer.revision, answer.option, answer.updated_by) == (
        False,
        2,
        "partly-met",
        world.admin,
    )
    section = section_of(suggested, "systems-and-processes")
    assert services.section_status(section, services.answers_for(suggested, include_suggested=True)) == "in_progress"
    scored = {s.key: s.score for s in results.results_for(suggested).sections}
    assert str(scored["systems-and-processes"]) == "50.0"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(assessment, name, *extra) -> str:
    return reverse(f"readiness:{name}", args=[assessment.organisation.slug, assessment.pk, *extra])


def test_the_section_page_says_where_a_suggestion_came_from_and_saving_confirms_it(world, suggested):
    client = client_for(world.admin)
    url = page(suggested, "section", "systems-and-processes")
    response = client.get(url)
    html = response.content.decode()
    assert (
        "Suggested from your answer to ‘Unit costs and prices’ in the Personalisation health check you "
        "submitted on 3 March 2026, last saved by Asha Admin." in html
    )
    assert "Check it, change it if needed, and save to confirm." in html
    assert html.count('class="govuk-inset-text" id="suggested-') == 1
    fields = form_fields(response)
    assert fields["item-prices-for-direct-purchase"] == "partly-met"

    response = client.post(url, fields)
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=suggested)
    assert (answer.suggested, answer.option) == (False, "partly-met")
    assert "Suggested from your answer" not in client.get(url).content.decode()


def test_the_task_list_and_check_page_show_suggestions_waiting(world, suggested):
    client = client_for(world.admin)
    detail = client.get(page(suggested, "assessment")).content.decode()
    assert detail.count("Suggested answers to check") == 1
    check = client.get(page(suggested, "check")).content.decode()
    assert "1 suggested answer is waiting to be confirmed." in check
    assert "Suggested, not yet confirmed" in check
    assert "12 questions have no answer." in check  # 13 statements, one of them suggested


def test_the_api_shows_and_confirms_suggestions(world, suggested, api_client_for):
    api = api_client_for(world.admin)
    body = api.get(f"/api/v1/assessments/{suggested.pk}").json()
    assert [(a["item"], a["option"], a["suggested"], a["revision"]) for a in body["answers"]] == [
        ("prices-for-direct-purchase", "partly-met", True, 1)
    ]
    scores = api.get(f"/api/v1/assessments/{suggested.pk}/scores").json()
    assert scores["overall"] is None
    response = api.put(
        f"/api/v1/assessments/{suggested.pk}/answers/prices-for-direct-purchase",
        {"option": "partly-met", "revision": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["suggested"], response.json()["revision"]) == (False, 2)
    assert api.get(f"/api/v1/assessments/{suggested.pk}/scores").json()["overall"] == 50.0


# -- docs/instruments.md says what the code does -------------------------------------------------


def test_the_docs_crosswalk_example_is_valid_for_the_shipped_instruments():
    example = fenced_blocks(docs_part("## Crosswalk"), "yaml")[0]
    definitions = {d.key: [item.key for item in d.items] for d in (read_path(p) for p in shipped_paths())}
    walk = crosswalk.parse(example, "crosswalk.yaml", definitions)
    assert [link.theme for link in walk.links] == ["Unit costs and prices", "Staff learning and development"]


def test_the_docs_mapping_table_is_what_translate_does():
    part = docs_part("## Crosswalk")
    table = [line.strip("|").split("|") for line in part.splitlines() if re.match(r"^\| \d \|", line)]
    rows = [[cell.strip() for cell in (row[0], row[1], row[3], row[4])] for row in table]
    assert len(rows) == 4
    labels = {"Not met": "not-met", "Partly met": "partly-met", "Fully met": "fully-met"}
    rating = ["not-met", "partly-met", "fully-met"]
    for level, suggested, option, back in rows:
        assert translate(int(level), [1, 2, 3, 4], rating) == labels[suggested]
        if option:
            assert translate(labels[option], rating, [1, 2, 3, 4]) == int(back)


def test_the_docs_list_every_key_the_crosswalk_checker_allows():
    part = docs_part("## Crosswalk")
    documented = re.findall(r"^\| `([a-z_]+)` +\|", part, flags=re.M)
    assert documented == list(crosswalk.LINK_KEYS)
    assert list(crosswalk.CROSSWALK_KEYS) == ["links"]


def test_load_instruments_reports_a_changed_library_under_its_instrument(db, tmp_path, monkeypatch):
    for path in loading.SHIPPED_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(loading, "SHIPPED_DIR", tmp_path)
    call_command("load_instruments", stdout=io.StringIO())
    library = tmp_path / "workforce-ladder.actions.yaml"
    library.write_text(
        library.read_text(encoding="utf-8").replace("title: Plan how you will talk", "title: Plan how to talk"),
        encoding="utf-8",
    )
    stdout = io.StringIO()
    call_command("load_instruments", stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Person-centred workforce ladder is unchanged (revision 1)",
        "Updated its action library (workforce-ladder.actions.yaml): 10 suggested actions",
    ]


def test_answer_once_is_explained_where_suggestions_appear_with_where_they_came_from(world, suggested):
    """Issue 11: the task list and the section say what a suggested answer is,
    where it came from and who gave it; the task list's tag is short enough
    for one line, with the explanation in the section's hint."""
    client = client_for(world.admin)
    detail = client.get(page(suggested, "assessment")).content.decode()
    assert 'id="answer-once"' in detail
    assert "So that you only answer once" in detail
    tag = re.search(r'<strong class="govuk-tag govuk-tag--yellow">([^<]*)</strong>', detail).group(1)
    assert tag == "To check" and len(tag) <= 12  # fits the status column on one line
    assert 'class="govuk-task-list__hint"' in detail
    assert "Has answers filled in from another assessment" in detail
    html = client.get(page(suggested, "section", "systems-and-processes")).content.decode()
    assert 'id="answer-once"' in html
    assert "last saved by Asha Admin" in html
    # Nothing to explain where there are no suggestions: the assessment they came from.
    source = Answer.objects.get(assessment=suggested).suggested_from.assessment
    assert 'id="answer-once"' not in client.get(page(source, "assessment")).content.decode()
