"""The search engine on both databases: words, stemming, synonyms, goals,
themes, distance, coverage, price and the rest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from personfirst.market.directory import postcodes
from personfirst.market.search import engine
from personfirst.market.tests.fixtures import make_entry


def names(results) -> list[str]:
    return [hit.service.name for hit in results.hits]


def search(**kwargs):
    return engine.run(engine.Query(**kwargs))


FILLER = [
    "Swimming lessons",
    "Allotment society",
    "Book club",
    "Bowls club",
    "Choir",
    "Chess club",
    "Walking football",
    "Craft circle",
    "Film society",
    "Quiz night",
]


@pytest.fixture
def directory(publish):
    """Ten services that match none of the tests' words, so that every word is
    rare, as in a real directory (bm25 gives a word in half the documents no weight)."""
    for name in FILLER:
        publish(
            name=name,
            description="Meets every week.",
            outcomes="",
            themes=["health-matters"],
            needs=[],
            locations=[],
            areas=[],
            cost_options=[],
        )
    return publish


@pytest.fixture
def centre(places):
    return postcodes.place("NR1 3QU")


def test_words_find_a_service_by_its_stem(directory):
    directory(name="Volunteering Hub", description="Find volunteering roles.", themes=["working-and-volunteering"])
    directory(name="Lunch Club", description="A hot meal on Fridays.")
    assert names(search(words="volunteer")) == ["Volunteering Hub"]
    assert names(search(words="lunch")) == ["Lunch Club"]


def test_carer_finds_caring_and_day_centre_finds_day_service(directory):
    directory(name="Caring Together", description="Breaks and groups for people caring for someone.")
    directory(name="Oak Day Service", description="Activities every weekday.")
    directory(name="Swimming", description="Lessons.")
    assert names(search(words="carer")) == ["Caring Together"]
    assert names(search(words="day centre")) == ["Oak Day Service"]


def test_every_word_must_match_but_a_goal_ranks_by_what_matches(directory):
    directory(name="Saturday Social", description="A social club.", outcomes="See my friends at the weekend.")
    directory(name="Garden Group", description="Gardening together.", outcomes="Make friends outdoors.")
    assert names(search(words="garden saturday")) == []
    found = names(search(goal="get out to see my friends on Saturdays"))
    assert found[0] == "Saturday Social"
    assert "Garden Group" in found


def test_theme_radius_and_distance_order(directory, centre):
    directory(name="Near", themes=["things-to-do"])  # NR1 1AE, 2 km
    far = make_entry(name="Far")
    far["locations"][0]["postcode"] = "NR10 3AN"  # 8.1 km
    directory(far)
    farther = make_entry(name="Farther")
    farther["locations"][0]["postcode"] = "NR10 3BP"  # 12 km
    directory(farther)
    within_ten = search(place=centre, within_metres=10_000)
    assert names(within_ten) == ["Near", "Far"]
    assert within_ten.hits[0].distance == pytest.approx(2014, abs=2)
    # Without a distance, services with no place (the filler) come after those with one.
    assert names(search(place=centre))[:4] == ["Near", "Far", "Farther", "Allotment society"]
    assert names(search(place=centre, within_metres=5_000, theme="things-to-do")) == ["Near"]
    assert names(search(place=centre, within_metres=10_000, theme="money-matters")) == []


def test_covers_my_postcode(directory, centre):
    directory(name="Norwich only")  # covers E07000148
    directory(
        name="NR10 district",
        areas=[
            {
                "id": "6a1f0e1e-58e2-4a0c-9f70-1d7c2d86f0a1",
                "kind": "postcode_district",
                "code": "NR10",
                "name": "NR10",
                "extent": "",
                "extent_type": "",
                "uri": "",
            }
        ],
    )
    directory(
        name="All England",
        areas=[
            {
                "id": "7b1f0e1e-58e2-4a0c-9f70-1d7c2d86f0a2",
                "kind": "country",
                "code": "E92000001",
                "name": "England",
                "extent": "",
                "extent_type": "",
                "uri": "",
            }
        ],
    )
    assert sorted(names(search(place=centre, covers=True))) == ["All England", "Norwich only"]
    nr10 = postcodes.place("NR10 3AN")
    assert sorted(names(search(place=nr10, covers=True))) == ["All England", "NR10 district"]


def test_price_free_and_personal_budget(directory):
    directory(name="Paid")  # 35.00 a session (personal budget) and 6.50 a lunch
    free = make_entry(name="Free group")
    free["cost_options"] = [dict(free["cost_options"][1], amount="0.00", personal_budget=False)]
    directory(free)
    assert names(search(max_price=Decimal("10"))) == ["Free group", "Paid"]
    assert names(search(max_price=Decimal("5"))) == ["Free group"]
    assert names(search(free_only=True)) == ["Free group"]
    assert names(search(personal_budget=True)) == ["Paid"]


def test_relevance_comes_before_distance(directory, centre):
    directory(name="Dementia Cafe", description="A cafe.")  # the word in the name, 2 km
    other = make_entry(name="Community Lunch", description="Lunch, sometimes for people with dementia.")
    other["locations"][0]["postcode"] = "NR1 3QU"  # nearer
    directory(other)
    assert names(search(words="dementia", place=centre)) == ["Dementia Cafe", "Community Lunch"]


def test_paging_counts_everything(directory):
    for number in range(5):
        directory(name=f"Group {number}", themes=["money-matters"])
    results = search(theme="money-matters", per_page=2, page=3)
    assert results.total == 5
    assert results.pages == 3
    assert names(results) == ["Group 4"]


def test_syntax_in_the_words_is_only_words(directory):
    directory(name="Quote Club")
    for text in ['"', "AND OR NOT", "NEAR(", "*", 'quote"club', "-", "' OR 1=1 --"]:
        search(words=text)  # never an error
    assert names(search(words='quote"club')) == ["Quote Club"]
