"""The impact preview: each person's figure under a draft is the one
``ras.allocate`` (and so make_budget) gives; changes fall in the right
band; no group of fewer than 5 people is shown."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.sds.allocation import impact, ras_file, services
from personfirst.sds.allocation import ras as ras_rules
from personfirst.sds.allocation.models import IndicativeBudget
from personfirst.sds.selfassessment import questionnaire
from personfirst.testing import examples

from .conftest import SHIPPED, agreed_person, answers_at, draft_text

EASTMERE = ras_file.parse(SHIPPED.read_text(), "eastmere")
QUESTIONS = questionnaire.current().questions(True)


@st.composite
def answers(draw):
    """Any answers to any of the questions (some left out), and whether a carer is present."""
    chosen = {}
    for q in QUESTIONS:
        option = draw(st.one_of(st.none(), st.sampled_from([o.key for o in q.options])))
        if option is not None:
            chosen[q.key] = option
    return chosen, draw(st.booleans())


@st.composite
def priced(draw):
    """Eastmere's RAS with another price, contingency, rounding and ceiling."""
    price = draw(st.decimals(min_value=0, max_value=50, places=2))
    contingency = draw(st.decimals(min_value=0, max_value=20, places=1))
    ceiling = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2)))
    text = (
        SHIPPED.read_text()
        .replace('price_per_point: "9.50"', f'price_per_point: "{price}"')
        .replace('contingency_percent: "5"', f'contingency_percent: "{contingency}"')
        .replace('ceiling_weekly: "1200.00"', f'ceiling_weekly: "{ceiling}"' if ceiling is not None else "")
        .replace("direction: up", draw(st.sampled_from(["direction: up", "direction: nearest"])))
    )
    return ras_file.parse(text, "drawn")


@settings(max_examples=examples(40), deadline=None)
@given(ras=priced(), people=st.lists(answers(), min_size=1, max_size=8))
def test_each_persons_new_figure_is_the_one_allocate_gives(ras, people):
    agreed = [impact.Agreed(index, index, carer, "q", 1, chosen) for index, (chosen, carer) in enumerate(people)]
    changes = impact.compute(ras, agreed, {})
    for change, (chosen, carer) in zip(changes, people, strict=True):
        assert change.weekly == ras_rules.allocate(ras, chosen, carer_present=carer).weekly
        assert change.band == impact.NEW


@pytest.mark.parametrize(
    ("before", "after", "band"),
    [
        (None, Decimal("100"), impact.NEW),
        (impact.Current(Decimal("100.00"), False), Decimal("100.00"), impact.SAME),
        (impact.Current(Decimal("100.00"), False), Decimal("110.00"), impact.UP),
        (impact.Current(Decimal("100.00"), False), Decimal("110.01"), impact.UP_MORE),
        (impact.Current(Decimal("100.00"), False), Decimal("90.00"), impact.DOWN),
        (impact.Current(Decimal("100.00"), False), Decimal("89.99"), impact.DOWN_MORE),
        (impact.Current(Decimal("0.00"), False), Decimal("1.00"), impact.UP_MORE),
        (impact.Current(Decimal("0.00"), False), Decimal("0.00"), impact.SAME),
        (impact.Current(Decimal("100.00"), False), None, impact.TO_PANEL),
        (impact.Current(None, True), Decimal("100.00"), impact.FROM_PANEL),
        (impact.Current(None, True), None, impact.STAYS_PANEL),
    ],
)
def test_bands_of_change(before, after, band):
    assert impact.band_of(before, after) == band


def test_age_bands():
    on = datetime.date(2026, 12, 3)
    assert impact.age_band(None, on) == impact.AGE_UNKNOWN
    assert impact.age_band(datetime.date(1961, 12, 3), on) == impact.OLDER  # 65 today
    assert impact.age_band(datetime.date(1961, 12, 4), on) == impact.WORKING_AGE  # 65 tomorrow
    assert impact.age_band(datetime.date(2008, 12, 4), on) == impact.UNDER_18


def _change(band: str, age: str = impact.WORKING_AGE, team: str = "North") -> impact.Change:
    return impact.Change(object(), None, Decimal(1), band, age, team)


def test_fewer_than_five_people_show_nothing():
    result = impact.summarise([_change(impact.UP)] * 4)
    assert result.hidden and set(result.bands.values()) == {None} and result.weekly_before is None


def test_no_group_under_five_is_shown_nor_one_that_would_give_it_away():
    changes = (
        [_change(impact.UP, team="North")] * 12
        + [_change(impact.DOWN_MORE, team="South")] * 3
        + [_change(impact.UP_MORE, team="East")] * 6
    )
    result = impact.summarise(changes)
    assert result.people == 21
    teams = {row.label: row for row in result.groups["Team"]}
    assert teams["South"].people is None and set(teams["South"].bands.values()) == {None}
    # East is the smallest shown, so it is hidden too: South cannot be worked out as 21 - 12 - 6.
    assert teams["East"].people is None
    assert teams["North"].people == 12 and teams["North"].bands[impact.UP] == 12
    # Within the whole council: 3 down by more than 10% is hidden, and so is the smallest other (6 up more).
    assert result.bands[impact.DOWN_MORE] is None and result.bands[impact.UP_MORE] is None
    assert result.bands[impact.UP] == 12 and result.bands[impact.SAME] == 0


@pytest.mark.django_db
def test_preview_of_a_draft_against_the_budgets_in_force_and_then_publishing(eastmere, adult_born):
    world = eastmere
    low, high = answers_at(1), answers_at(2)
    people = [agreed_person(world.area, low, born=adult_born) for _ in range(6)]
    people += [agreed_person(world.area, high, born=datetime.date(1950, 1, 1)) for _ in range(5)]
    # Someone in another council is not counted.
    agreed_person(world.other_area, low, budget=False)
    draft, _ = services.load_ras(draft_text("11.00"), "v2.yaml", council_area=world.area)

    result = impact.preview(draft)
    assert result.people == 11
    assert result.bands[impact.UP_MORE] == 11  # £9.50 -> £11.00 a point is 15.8% more
    assert result.up_more == 11 and result.down_more == 0
    ages = {row.label: row.people for row in result.groups["Age band"]}
    assert ages == {impact.WORKING_AGE: 6, impact.OLDER: 5}
    assert result.weekly_after > result.weekly_before

    # Publishing makes the same figures, as new budgets, and keeps the old ones.
    done = services.publish(draft, by=world.council_admin, effective_from=datetime.date.today())
    assert done.budgets_made == 11
    for change in result.changes:
        newest = IndicativeBudget.objects.filter(person_id=change.person_id).first()
        assert newest.ras_version == draft and newest.weekly == change.weekly
        assert newest.breakdown["weekly"] == str(change.weekly)
        assert IndicativeBudget.objects.filter(person_id=change.person_id, ras_version=world.v1).exists()
    # The preview of what is now in force: no change for anyone.
    assert impact.preview(draft).bands[impact.SAME] == 11


@pytest.mark.django_db
def test_the_preview_reads_answers_in_bulk(eastmere, django_assert_max_num_queries):
    world = eastmere
    for level in range(6):
        agreed_person(world.area, answers_at(level % 4))
    draft, _ = services.load_ras(draft_text("9.00"), "v2.yaml", council_area=world.area)
    with django_assert_max_num_queries(6):
        result = impact.preview(draft)
    assert result.people == 6


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=answers())
@pytest.mark.django_db
def test_the_preview_gives_what_make_budget_gives(eastmere, drawn):
    """The preview's figure for a person equals the budget make_budget makes
    from the same answers with the same version (publishing it)."""
    world = eastmere
    chosen, carer = drawn
    person = agreed_person(world.area, chosen, carer=carer, budget=False)
    version = services.current_ras(world.area)
    [change] = [
        c for c in impact.compute(version.ras(), impact.agreed_answers(world.area.pk), {}) if c.person_id == person.pk
    ]
    sa = person.self_assessments.get()
    labels = {q.key: (q.prompt, q.label_of(chosen.get(q.key))) for q in sa.questions()}
    budget = services.make_budget(sa, chosen, labels, by=None)
    assert change.weekly == budget.weekly and (change.weekly is None) == budget.to_panel
