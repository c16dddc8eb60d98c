"""Co-production: several respondents answer on their own; per item, the
spread of their answers, and a flag where two of them are two or more levels
apart. For rating items the levels are the options ordered by score (the
item type's scale), whatever order the file lists them in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from personfirst.readiness.assessments import coproduction, services
from personfirst.readiness.assessments.models import Answer, Item, Perspective, Respondent

DEFAULT_OPTIONS = [
    {"key": "fully-met", "label": "Fully met", "score": 100},
    {"key": "partly-met", "label": "Partly met", "score": 50},
    {"key": "not-met", "label": "Not met", "score": 0},
]


def ladder(levels: int = 4) -> Item:
    return Item(key="ladder", type="ladder", prompt="?", levels=[f"Level {n}" for n in range(1, levels + 1)])


def rating() -> Item:
    return Item(key="rating", type="rating", prompt="?", options=DEFAULT_OPTIONS)


def respondent(perspective: str) -> Respondent:
    return Respondent(perspective=perspective)


# --- positions on the scale -------------------------------------------------------------


def test_a_level_is_its_own_position():
    item = ladder()
    assert [coproduction.position(item, Answer(item=item, level=k)) for k in (1, 2, 3, 4)] == [1, 2, 3, 4]


def test_rating_options_count_as_levels_by_their_scores():
    item = rating()
    positions = [coproduction.position(item, Answer(item=item, option=o["key"])) for o in DEFAULT_OPTIONS]
    # Listed best first: the first option has the highest score, so the highest level.
    assert positions == [3, 2, 1]


def test_a_rating_written_worst_first_is_read_by_its_scores_not_its_order():
    """The old rule (options listed best first) put 'Not met' at the top of this scale."""
    worst_first = list(reversed(DEFAULT_OPTIONS))
    item = Item(key="rating", type="rating", prompt="?", options=worst_first)
    positions = {o["key"]: coproduction.position(item, Answer(item=item, option=o["key"])) for o in worst_first}
    assert positions == {"not-met": 1, "partly-met": 2, "fully-met": 3}
    far = spread(
        item, [("trustee", Answer(item=item, option="fully-met")), ("staff", Answer(item=item, option="partly-met"))]
    )
    assert (far.distance, far.flag) == (1, None)


def test_no_answer_not_relevant_or_an_unknown_option_has_no_position():
    item = rating()
    assert coproduction.position(item, None) is None
    assert coproduction.position(item, Answer(item=item, not_relevant=True)) is None
    assert coproduction.position(item, Answer(item=item, option="amazing")) is None
    assert coproduction.position(item, Answer(item=item)) is None


# --- the flag ------------------------------------------------------------------------------


def spread(item, answers):
    rows = [(respondent(p), answer) for p, answer in answers]
    return coproduction.spread_for(item, rows, agreed=None)


def test_two_levels_apart_is_flagged_naming_both_points_of_view():
    item = ladder()
    result = spread(item, [("staff", Answer(item=item, level=1)), ("trustee", Answer(item=item, level=3))])
    assert result.distance == 2
    assert result.flag == "Trustee and staff see this differently (2 levels apart)"


def test_one_level_apart_is_not_flagged():
    item = ladder()
    result = spread(item, [("staff", Answer(item=item, level=2)), ("trustee", Answer(item=item, level=3))])
    assert (result.distance, result.flag) == (1, None)


def test_the_same_point_of_view_far_apart():
    item = ladder(5)
    result = spread(item, [("staff", Answer(item=item, level=5)), ("staff", Answer(item=item, level=1))])
    assert result.flag == "Staff answers are 4 levels apart"


def test_the_widest_gap_counts_and_not_relevant_is_left_out():
    item = ladder(4)
    result = spread(
        item,
        [
            ("person", Answer(item=item, level=4)),
            ("volunteer", Answer(item=item, not_relevant=True)),
            ("worker", Answer(item=item, level=3)),
            ("manager", Answer(item=item, level=1)),
            ("carer", None),
        ],
    )
    assert result.distance == 3
    assert result.flag == "Person who uses our services and manager see this differently (3 levels apart)"
    assert len(result.rows) == 5  # everyone is shown, answered or not


def test_fully_met_against_not_met_is_flagged_but_against_partly_met_is_not():
    item = rating()
    far = spread(
        item, [("trustee", Answer(item=item, option="fully-met")), ("staff", Answer(item=item, option="not-met"))]
    )
    near = spread(
        item, [("trustee", Answer(item=item, option="fully-met")), ("staff", Answer(item=item, option="partly-met"))]
    )
    assert far.flag == "Trustee and staff see this differently (2 levels apart)"
    assert (near.distance, near.flag) == (1, None)


def test_one_answer_has_no_spread():
    item = ladder()
    result = spread(item, [("staff", Answer(item=item, level=1)), ("trustee", Answer(item=item, not_relevant=True))])
    assert (result.distance, result.flag) == (None, None)


@given(
    levels=st.integers(min_value=2, max_value=8),
    data=st.data(),
)
def test_flagged_exactly_when_some_two_answers_are_two_or_more_levels_apart(levels, data):
    item = ladder(levels)
    perspectives = [p for p, _label in Perspective.choices]
    answers = data.draw(
        st.lists(
            st.tuples(st.sampled_from(perspectives), st.one_of(st.none(), st.integers(min_value=1, max_value=levels))),
            max_size=7,
        )
    )
    result = spread(item, [(p, Answer(item=item, level=k) if k else None) for p, k in answers])
    given_levels = [k for _p, k in answers if k]
    if len(given_levels) < 2:
        assert result.distance is None and result.flag is None
        return
    assert result.distance == max(given_levels) - min(given_levels)
    assert (result.flag is not None) == (result.distance >= 2)
    if result.flag:
        assert f"{result.distance} levels apart" in result.flag


# --- across an assessment ---------------------------------------------------------------------


@pytest.mark.django_db
def test_spreads_for_an_assessment(world, assessment):
    milo = services.add_respondent(assessment=assessment, user=world.member, perspective="trustee", by=world.admin)
    wendy = services.add_respondent(assessment=assessment, user=world.worker, perspective="worker", by=world.admin)
    sections = {s.key: s for s in services.split_sections(assessment)[0]}
    for who, level in ((milo, 1), (wendy, 4)):
        services.save_section(
            assessment=assessment,
            section=sections["trustee-board"],
            values={"trustee-board": {"level": level}},
            revisions={},
            by=who.user,
            respondent=who,
        )
    services.save_section(
        assessment=assessment,
        section=sections["trustee-board"],
        values={"trustee-board": {"level": 3}},
        revisions={},
        by=world.admin,
    )

    result = dict(coproduction.spreads(assessment, [sections["trustee-board"], sections["marketing"]]))
    (board,) = result[sections["trustee-board"]]
    assert [(r.user, a.level) for r, a in board.rows] == [(world.member, 1), (world.worker, 4)]
    assert board.agreed.level == 3
    assert board.flag == "Development worker and trustee see this differently (3 levels apart)"
    (marketing,) = result[sections["marketing"]]
    assert [a for _r, a in marketing.rows] == [None, None]
    assert marketing.flag is None and marketing.agreed is None


@pytest.mark.django_db
def test_the_compare_page_shows_everyone_and_the_agreed_answer(world, assessment):
    milo = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    section = assessment.version.sections.get(key="marketing")
    services.save_section(
        assessment=assessment,
        section=section,
        values={"marketing": {"level": 2}},
        revisions={},
        by=world.member,
        respondent=milo,
    )
    services.save_section(
        assessment=assessment, section=section, values={"marketing": {"level": 4}}, revisions={}, by=world.admin
    )
    address = reverse("readiness:compare", args=[world.org.slug, assessment.pk])

    admin = Client()
    admin.force_login(world.admin)
    html = admin.get(address).content.decode()
    assert "Milo Member (staff)" in html
    assert "Level 2 of 4" in html and "Level 4 of 4" in html
    assert "No question has answers two or more levels apart." in html
    assert "Record the agreed answer" in html

    member = Client()
    member.force_login(world.member)
    page = member.get(address)
    assert page.status_code == 200
    assert "Record the agreed answer" not in page.content.decode()


@pytest.mark.django_db
def test_removing_a_respondent_removes_their_answers(world, assessment):
    milo = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    section = assessment.version.sections.get(key="marketing")
    services.save_section(
        assessment=assessment,
        section=section,
        values={"marketing": {"level": 2}},
        revisions={},
        by=world.member,
        respondent=milo,
    )
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post(reverse("readiness:remove-respondent", args=[world.org.slug, assessment.pk, milo.pk]))
    assert response.status_code == 302
    assert not Respondent.objects.exists()
    assert not Answer.objects.exists()
