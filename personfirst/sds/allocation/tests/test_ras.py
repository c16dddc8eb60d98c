"""The RAS arithmetic (ras.py): property tests over many made-up RAS versions
and answers, and the shipped file."""

from __future__ import annotations

import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from personfirst.sds.allocation import ras_file
from personfirst.sds.allocation.ras import Band, Domain, Question, Ras, RasError, allocate, weekly_for_points
from personfirst.testing import examples

OPTIONS = ("a", "b", "c", "d")  # from least to most need


@st.composite
def questions(draw, key: str) -> Question:
    points = sorted(draw(st.lists(st.integers(0, 15), min_size=4, max_size=4)))
    return Question(key, dict(zip(OPTIONS, points, strict=True)))


@st.composite
def rases(draw) -> Ras:
    domains = []
    n = 0
    for d in range(draw(st.integers(1, 4))):
        qs = []
        for _ in range(draw(st.integers(1, 3))):
            qs.append(draw(questions(f"q{n}")))
            n += 1
        domains.append(Domain(f"d{d}", f"Domain {d}", draw(st.integers(0, 30)), tuple(qs), carer_only=d == 3))
    amounts = st.decimals(min_value=0, max_value=40, places=2, allow_nan=False, allow_infinity=False)
    if draw(st.booleans()):
        price, bands = draw(amounts), ()
    else:
        starts = sorted(set(draw(st.lists(st.integers(1, 100), max_size=5))))
        weeklies = sorted(draw(st.lists(amounts, min_size=len(starts) + 1, max_size=len(starts) + 1)))
        price = None
        bands = tuple(Band(start, weekly * 10) for start, weekly in zip([0, *starts], weeklies, strict=True))
    return Ras(
        key="made-up",
        version=1,
        title="Made up",
        effective_from=datetime.date(2026, 4, 1),
        domains=tuple(domains),
        price_per_point=price,
        bands=bands,
        contingency_percent=draw(st.decimals(min_value=0, max_value=20, places=1)),
        round_to=draw(st.sampled_from([Decimal("0.01"), Decimal("1.00"), Decimal("5.00"), Decimal("10.00")])),
        round_up=draw(st.booleans()),
        ceiling_weekly=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2))),
    )


@st.composite
def a_ras_and_two_needs(draw):
    """A RAS, some answers, and answers showing as much need or more on every question."""
    ras = draw(rases())
    less, more = {}, {}
    for key in ras.question_keys:
        low = draw(st.integers(-1, 3))  # -1: unanswered
        high = draw(st.integers(low, 3))
        if low >= 0:
            less[key] = OPTIONS[low]
        if high >= 0:
            more[key] = OPTIONS[high]
    return ras, less, more, draw(st.booleans())


@settings(max_examples=examples(300))
@given(a_ras_and_two_needs())
def test_more_need_never_means_less_money(case):
    ras, less, more, carer = case
    low, high = allocate(ras, less, carer_present=carer), allocate(ras, more, carer_present=carer)
    assert high.points >= low.points
    if low.to_panel:
        assert high.to_panel  # more need than a case for the panel is one too
    elif not high.to_panel:
        assert high.weekly >= low.weekly


@settings(max_examples=examples(200))
@given(a_ras_and_two_needs())
def test_never_negative_and_the_same_answers_give_the_same_budget(case):
    ras, answers, _, carer = case
    first, again = allocate(ras, answers, carer_present=carer), allocate(ras, dict(answers), carer_present=carer)
    assert first == again
    assert first.to_panel or (first.weekly >= 0 and first.yearly == first.weekly * 52)
    assert all(isinstance(step.weekly, Decimal) for step in first.steps)


@settings(max_examples=examples(200))
@given(a_ras_and_two_needs())
def test_contingency_rounding_and_the_ceiling_as_specified(case):
    ras, answers, _, carer = case
    result = allocate(ras, answers, carer_present=carer)
    if ras.price_per_point is not None:
        base = ras.price_per_point * result.points
    else:
        base = [b.weekly for b in ras.bands if b.from_points <= result.points][-1]
    with_contingency = base + base * ras.contingency_percent / 100
    steps = with_contingency / ras.round_to
    rounded = (
        steps.to_integral_value(rounding=ROUND_CEILING)
        if ras.round_up
        else steps.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    expected = rounded * ras.round_to
    assert result.steps[-1 if not result.to_panel else -2].weekly == expected
    # Rounded up: never below the sum; to the nearest: within half a step.
    if ras.round_up:
        assert expected >= with_contingency
    assert abs(expected - with_contingency) <= ras.round_to
    if ras.ceiling_weekly is not None and expected > ras.ceiling_weekly:
        assert result.to_panel and result.weekly is None and result.yearly is None
    else:
        assert not result.to_panel and result.weekly == expected


@settings(max_examples=examples(150))
@given(a_ras_and_two_needs())
def test_the_explanation_adds_up(case):
    ras, answers, _, carer = case
    result = allocate(ras, answers, carer_present=carer)
    assert result.points == sum(d.counted for d in result.domains)
    for domain in result.domains:
        assert domain.counted <= domain.cap
        assert domain.counted == (0 if (not carer and domain.key == "d3") else min(domain.raw, domain.cap))
    # What each answer moved is never negative, and never more than the whole.
    for _, moved in result.moved_by:
        assert Decimal(0) <= moved <= (result.weekly or 0)


def test_a_carer_never_lowers_the_persons_budget():
    ras = ras_file.load(ras_file.SHIPPED / "eastmere-ras-1.yaml")
    needs = {"washing": "most", "toilet": "some", "safety": "most", "informal-support": "all"}
    alone = allocate(ras, needs, carer_present=False)
    with_carer = allocate(ras, {**needs, "carer-breaks": "regular"}, carer_present=True)
    assert with_carer.weekly > alone.weekly
    # Living with someone who helps every day counts no points either way.
    assert allocate(ras, {**needs, "informal-support": "none"}).weekly == alone.weekly


def test_the_shipped_ras_worked_example():
    ras = ras_file.load(ras_file.SHIPPED / "eastmere-ras-1.yaml")
    answers = {"washing": "all", "dressing": "most", "toilet": "some", "meals": "most"}
    result = allocate(ras, answers)
    # 10 + 5 + 3 + 6 = 24 points x £9.50 = £228.00; + 5% = £239.40; up to £240.
    assert result.points == 24
    assert [s.weekly for s in result.steps] == [Decimal("228.00"), Decimal("239.400"), Decimal("240.00")]
    assert result.weekly == Decimal("240.00") and result.yearly == Decimal("12480.00")
    assert result.moved_by[0][0].question == "washing" and result.moved_by[0][1] == Decimal("100.00")


def test_the_ceiling_sends_to_a_panel():
    ras = ras_file.load(ras_file.SHIPPED / "eastmere-ras-1.yaml")
    everything = dict.fromkeys(ras.question_keys, "all")
    assert weekly_for_points(ras, 200) is None
    result = allocate(ras, everything)
    assert result.points < 200 and not result.to_panel  # the caps keep the shipped RAS under its ceiling


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bands": (Band(0, Decimal(10)), Band(5, Decimal(5)))}, "gives less than the band before it"),
        ({"bands": (Band(1, Decimal(10)),)}, "must start at 0 points"),
        ({"price_per_point": Decimal(-1)}, "cannot be negative"),
        ({"price_per_point": None}, "either a price per point or a band table"),
        ({"round_to": Decimal(0)}, "Round to an amount above"),
    ],
)
def test_a_ras_that_cannot_work_is_refused(change, message):
    base = {
        "key": "r",
        "version": 1,
        "title": "R",
        "effective_from": datetime.date(2026, 4, 1),
        "domains": (Domain("d", "D", 5, (Question("q", {"a": 1}),)),),
        "price_per_point": Decimal(1),
    }
    if "bands" in change:
        base["price_per_point"] = None
    with pytest.raises(RasError, match=message):
        Ras(**{**base, **change})
