"""Running an assessment on the web, with the Django test client: start,
task list, one section per page, check your answers, submit, results;
conflicts between two people; co-production; who may do what; the radar
chart's own content security policy.

world.org is Eastmere Carers' Centre (carers_support, information_advice,
short_breaks): in the health check, outcome 14 (information, advice,
advocacy and brokerage) applies and outcome 15 (direct payment support) is
left out by its condition.
"""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve, assert_no_error_summary
from personfirst.readiness.assessments import charts, results, services
from personfirst.readiness.assessments.models import Answer, Assessment, AssessmentStatus

from .conftest import CONDITIONAL_SECTION, LEFT_OUT_SECTION
from .pages import form_fields, radio_choices, results_page, shown_overall, shown_sections
from .reference import level_score, reference_mean, reference_round

pytestmark = pytest.mark.django_db


def url(assessment, name="assessment", *extra) -> str:
    return reverse(f"readiness:{name}", args=[assessment.organisation.slug, assessment.pk, *extra])


def section_url(assessment, key) -> str:
    return url(assessment, "section", key)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(world):
    return client_for(world.admin)


def agreed(assessment, item_key):
    return Answer.objects.filter(assessment=assessment, item__key=item_key, respondent=None).first()


def applying_keys(assessment) -> list[str]:
    return [s.key for s in services.split_sections(assessment)[0]]


def post_section(client, assessment, key, choices: dict[str, str], *, button="continue", page=None, **extra):
    """Load the section page, fill it in as a person would and press a button."""
    page = page if page is not None else client.get(section_url(assessment, key))
    fields = form_fields(page)
    fields.update({f"item-{k}": v for k, v in choices.items()})
    fields.update(extra)
    fields[button] = "1"
    return client.post(section_url(assessment, key), fields)


# --- starting ---------------------------------------------------------------------------


def test_the_admin_starts_an_assessment(world, admin, instruments):
    list_url = reverse("readiness:list", args=[world.org.slug])
    page = admin.get(list_url)
    assert page.status_code == 200
    assert set(radio_choices(page)["instrument"]) == {"health-check", "flexible-services", "workforce-ladder"}

    response = admin.post(list_url, {"instrument": "health-check"})
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(assessment)
    assert assessment.version.instrument.key == "health-check"
    assert assessment.organisation == world.org
    assert assessment.started_by == world.admin
    assert assessment.status == AssessmentStatus.DRAFT


def test_starting_without_choosing_shows_an_error_summary(world, admin, instruments):
    response = admin.post(reverse("readiness:list", args=[world.org.slug]), {})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_instrument_0": "Select the assessment"})
    assert not Assessment.objects.exists()


def test_the_task_list_shows_every_section_that_applies_and_what_was_left_out(admin, assessment):
    page = admin.get(url(assessment))
    html = page.content.decode()
    assert page.status_code == 200
    for section in services.split_sections(assessment)[0]:
        assert f'href="{section_url(assessment, section.key)}"' in html
    assert section_url(assessment, LEFT_OUT_SECTION) not in html
    assert html.count("Not started") == 14
    assert "Sections and questions that do not apply to you" in html
    assert "Only for organisations that provide direct payment support" in html
    assert "You have completed 0 of 14 sections" in html


# --- one section per page -----------------------------------------------------------------


def test_a_section_page_has_radios_not_relevant_notes_and_the_revision(admin, assessment):
    page = admin.get(section_url(assessment, "trustee-board"))
    assert page.status_code == 200
    choices = radio_choices(page)
    assert choices["item-trustee-board"] == ["1", "2", "3", "4", "not-relevant"]
    html = page.content.decode()
    assert "Not relevant to us" in html
    assert 'name="notes-trustee-board"' in html
    fields = form_fields(page)
    assert fields["rev-trustee-board"] == "0"
    assert "item-trustee-board" not in fields  # nothing chosen yet
    assert "section 2 of 14" in html


def test_save_and_continue_goes_to_the_next_section(world, admin, assessment):
    keys = applying_keys(assessment)
    response = post_section(admin, assessment, keys[0], {keys[0]: "2"}, **{f"notes-{keys[0]}": "Talk to the team"})
    assert response.status_code == 302
    assert response["Location"] == section_url(assessment, keys[1])
    stored = agreed(assessment, keys[0])
    assert (stored.level, stored.notes, stored.revision, stored.updated_by) == (2, "Talk to the team", 1, world.admin)


def test_save_and_come_back_later_goes_to_the_task_list(admin, assessment):
    response = post_section(admin, assessment, "trustee-board", {"trustee-board": "3"}, button="later")
    assert response.status_code == 302
    assert response["Location"] == url(assessment)
    assert agreed(assessment, "trustee-board").level == 3
    html = admin.get(url(assessment)).content.decode()
    assert "You have completed 1 of 14 sections" in html


def test_continue_from_the_last_section_goes_to_the_task_list(admin, assessment):
    last = applying_keys(assessment)[-1]
    assert last == CONDITIONAL_SECTION
    response = post_section(admin, assessment, last, {last: "1"})
    assert response["Location"] == url(assessment)


def test_coming_back_shows_the_saved_answer(admin, assessment):
    post_section(admin, assessment, "trustee-board", {"trustee-board": "3"}, **{"notes-trustee-board": "Board in May"})
    fields = form_fields(admin.get(section_url(assessment, "trustee-board")))
    assert fields["item-trustee-board"] == "3"
    assert fields["notes-trustee-board"] == "Board in May"
    assert fields["rev-trustee-board"] == "1"


def test_not_relevant_to_us(admin, assessment):
    post_section(admin, assessment, "marketing", {"marketing": "not-relevant"})
    stored = agreed(assessment, "marketing")
    assert stored.not_relevant and stored.level is None
    rows = admin.get(url(assessment)).content.decode()
    assert re.search(r"Not relevant</strong>", rows)
    assert form_fields(admin.get(section_url(assessment, "marketing")))["item-marketing"] == "not-relevant"


def test_a_section_that_is_left_out_or_unknown_is_not_found(admin, assessment):
    assert admin.get(section_url(assessment, LEFT_OUT_SECTION)).status_code == 404
    assert admin.get(section_url(assessment, "no-such-section")).status_code == 404
    assert admin.post(section_url(assessment, LEFT_OUT_SECTION), {f"item-{LEFT_OUT_SECTION}": "2"}).status_code == 404
    assert not Answer.objects.exists()


def test_a_level_that_does_not_exist_is_refused_with_an_error_summary(admin, assessment):
    response = post_section(admin, assessment, "values-and-culture", {"values-and-culture": "4"})  # 3 levels only
    assert response.status_code == 200
    assert_error_summary_links_resolve(
        response, expected={"#id_item-values-and-culture_0": "Select one of the statements"}
    )
    assert not Answer.objects.exists()


def test_an_invalid_target_date_is_refused_with_an_error_summary(world, admin, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    key = "workforce-development"
    response = post_section(
        admin,
        assessment,
        "person-centred-workforce",
        {key: "2"},
        **{f"target-{key}-3": "2027-02-31", f"target-{key}-4": "2028-03-31"},
    )
    assert response.status_code == 200
    links = assert_error_summary_links_resolve(response, expected={f"#id_target-{key}-3": "target date for step 3"})
    assert list(links) == [f"#id_target-{key}-3"]
    assert not Answer.objects.exists()
    # What the person typed is still there to correct.
    fields = form_fields(response)
    assert fields[f"target-{key}-3"] == "2027-02-31"
    assert fields[f"item-{key}"] == "2"


def test_target_dates_are_saved_and_shown_again(world, admin, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    key = "workforce-development"
    response = post_section(
        admin, assessment, "person-centred-workforce", {key: "2"}, **{f"target-{key}-3": "2027-03-31"}
    )
    assert response.status_code == 302
    assert agreed(assessment, key).target_dates == {"3": "2027-03-31"}
    page = admin.get(section_url(assessment, "person-centred-workforce"))
    assert_no_error_summary(page)
    assert form_fields(page)[f"target-{key}-3"] == "2027-03-31"


# --- the whole flow -----------------------------------------------------------------------------


def test_check_answers_submit_and_results(world, admin, assessment):
    chosen = {}
    keys = applying_keys(assessment)
    levels = {item.key: len(item.levels) for item in assessment.version.items.all()}
    for position, key in enumerate(keys):
        if key == "marketing":
            choice = "not-relevant"
        elif key == "flexibility":
            continue  # left unanswered
        else:
            choice = str(1 + position % levels[key])
            chosen[key] = int(choice)
        assert post_section(admin, assessment, key, {key: choice}).status_code == 302

    check = admin.get(url(assessment, "check"))
    assert check.status_code == 200
    html = check.content.decode()
    assert "1 question has no answer" in html
    assert "Direct payment support" in html and "Left out" in html
    assert "Not relevant" in html

    response = admin.post(url(assessment, "submit"))
    assert response.status_code == 302
    assert response["Location"] == url(assessment, "results")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    page = admin.get(url(assessment, "results"))
    assert page.status_code == 200
    expected_sections = {key: level_score(level, levels[key]) for key, level in chosen.items()}
    shown = shown_sections(page)
    assert set(shown) == set(keys)
    for key in keys:
        assert shown[key] == reference_round(expected_sections.get(key)), key
    assert shown["marketing"] is None and shown["flexibility"] is None
    assert shown_overall(page) == reference_round(reference_mean(expected_sections.values()))
    parsed = results_page(page)
    assert any("Direct payment support" in entry for entry in parsed.lists["left-out"])
    assert "provisional" not in page.content.decode().lower()


def test_after_submission_the_answers_cannot_be_changed_on_the_web(world, admin, assessment):
    post_section(admin, assessment, "trustee-board", {"trustee-board": "2"})
    admin.post(url(assessment, "submit"))
    assert admin.get(section_url(assessment, "trustee-board"))["Location"] == url(assessment, "results")
    response = admin.post(
        section_url(assessment, "trustee-board"), {"item-trustee-board": "4", "rev-trustee-board": "1", "continue": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(assessment, "results")
    assert agreed(assessment, "trustee-board").level == 2
    # Pressing submit again (a double click) shows the results, not an error.
    again = admin.post(url(assessment, "submit"))
    assert again.status_code == 302 and again["Location"] == url(assessment, "results")
    assert admin.get(url(assessment, "check"))["Location"] == url(assessment, "results")


# --- two people, one answer -------------------------------------------------------------------


def test_the_later_of_two_saves_gets_a_409_page_showing_both_versions(world, assessment):
    asha, wendy = client_for(world.admin), client_for(world.worker)
    asha_page = asha.get(section_url(assessment, "trustee-board"))
    wendy_page = wendy.get(section_url(assessment, "trustee-board"))

    assert (
        post_section(
            asha,
            assessment,
            "trustee-board",
            {"trustee-board": "2"},
            page=asha_page,
            **{"notes-trustee-board": "Asha's note"},
        ).status_code
        == 302
    )
    response = post_section(wendy, assessment, "trustee-board", {"trustee-board": "4"}, page=wendy_page)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved answers to this section" in html
    assert "Asha Admin saved this" in html
    assert "Level 2 of 4" in html
    assert "with the note “Asha&#x27;s note”" in html
    stored = agreed(assessment, "trustee-board")
    assert (stored.level, stored.notes, stored.revision, stored.updated_by) == (2, "Asha's note", 1, world.admin)
    # Wendy's own choice is still selected, ready to keep.
    fields = form_fields(response)
    assert fields["item-trustee-board"] == "4"
    assert fields["rev-trustee-board"] == "1"

    # She keeps her version: the page now carries the revision she has seen.
    again = wendy.post(section_url(assessment, "trustee-board"), {**fields, "later": "1"})
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.level, stored.revision, stored.updated_by) == (4, 2, world.worker)


def test_a_revision_for_a_question_with_no_answer_is_a_conflict_page_not_an_error(world, assessment):
    """A page that claims to have read an answer which is not there (cleared since, or a
    tampered form) shows the conflict with no "their" answer; it was a 500
    (found by tests/test_hostile_input.py)."""
    asha = client_for(world.admin)
    page = asha.get(section_url(assessment, "trustee-board"))
    fields = {**form_fields(page), "item-trustee-board": "3", "rev-trustee-board": "5"}
    response = asha.post(section_url(assessment, "trustee-board"), fields)

    assert response.status_code == 409
    html = response.content.decode()
    assert "This question has no saved answer now" in html
    assert form_fields(response)["rev-trustee-board"] == "0"
    assert agreed(assessment, "trustee-board") is None
    # Saving again from the page shown saves it.
    again = asha.post(section_url(assessment, "trustee-board"), {**form_fields(response), "later": "1"})
    assert again.status_code == 302
    assert agreed(assessment, "trustee-board").level == 3


def test_two_people_saving_the_same_answer_is_not_a_conflict(world, assessment):
    asha, wendy = client_for(world.admin), client_for(world.worker)
    asha_page = asha.get(section_url(assessment, "trustee-board"))
    wendy_page = wendy.get(section_url(assessment, "trustee-board"))
    assert post_section(asha, assessment, "trustee-board", {"trustee-board": "3"}, page=asha_page).status_code == 302
    assert post_section(wendy, assessment, "trustee-board", {"trustee-board": "3"}, page=wendy_page).status_code == 302
    assert agreed(assessment, "trustee-board").revision == 1


# --- who may do what --------------------------------------------------------------------------


def test_a_member_can_see_but_not_change(world, assessment):
    member = client_for(world.member)
    assert member.get(url(assessment)).status_code == 200
    assert member.get(url(assessment, "results")).status_code == 200
    assert member.get(url(assessment, "compare")).status_code == 200
    assert member.post(section_url(assessment, "trustee-board"), {"item-trustee-board": "2"}).status_code == 403
    assert member.post(url(assessment, "submit")).status_code == 403
    assert (
        member.post(reverse("readiness:list", args=[world.org.slug]), {"instrument": "health-check"}).status_code == 403
    )
    assert (
        member.post(url(assessment, "respondents"), {"person": world.member.pk, "perspective": "staff"}).status_code
        == 403
    )
    assert not Answer.objects.exists()
    assert Assessment.objects.count() == 1
    assessment.refresh_from_db()
    assert assessment.is_draft
    # The task list does not offer links the member cannot follow.
    html = member.get(url(assessment)).content.decode()
    assert section_url(assessment, "trustee-board") not in html
    assert url(assessment, "check") not in html


def test_a_development_worker_with_access_can_start_and_answer(world, instruments):
    worker = client_for(world.worker)
    response = worker.post(reverse("readiness:list", args=[world.org.slug]), {"instrument": "health-check"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.started_by == world.worker
    assert post_section(worker, assessment, "trustee-board", {"trustee-board": "2"}).status_code == 302
    assert agreed(assessment, "trustee-board").updated_by == world.worker
    assert worker.post(url(assessment, "submit")).status_code == 302


@pytest.mark.parametrize("who", ["outsider", "commissioner"])
def test_people_without_access_are_told_nothing_exists(world, assessment, who):
    client = client_for(getattr(world, who))
    for address in (
        reverse("readiness:list", args=[world.org.slug]),
        url(assessment),
        section_url(assessment, "trustee-board"),
        url(assessment, "check"),
        url(assessment, "results"),
        url(assessment, "radar"),
        url(assessment, "compare"),
        url(assessment, "respondents"),
        url(assessment, "my-answers"),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(section_url(assessment, "trustee-board"), {"item-trustee-board": "2"}).status_code == 404
    assert client.post(url(assessment, "submit")).status_code == 404
    assert (
        client.post(reverse("readiness:list", args=[world.org.slug]), {"instrument": "health-check"}).status_code == 404
    )
    assert not Answer.objects.exists()
    assert Assessment.objects.count() == 1


def test_signed_out_people_are_asked_to_sign_in(assessment):
    response = Client().get(url(assessment))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_an_assessment_is_only_found_under_its_own_organisation(world, admin, assessment):
    other = reverse("readiness:assessment", args=[world.unshared.slug, assessment.pk])
    assert admin.get(other).status_code == 404


# --- co-production -------------------------------------------------------------------------------


def test_respondents_answer_on_their_own_and_the_compare_page_flags_differences(world, admin, assessment):
    response = admin.post(url(assessment, "respondents"), {"person": str(world.member.pk), "perspective": "trustee"})
    assert response.status_code == 302
    response = admin.post(url(assessment, "respondents"), {"person": str(world.worker.pk), "perspective": "worker"})
    assert response.status_code == 302
    assert [(r.user, r.perspective) for r in assessment.respondents.all()] == [
        (world.member, "trustee"),
        (world.worker, "worker"),
    ]

    milo = client_for(world.member)
    my_answers = milo.get(url(assessment, "my-answers"))
    assert my_answers.status_code == 200
    assert "trustee" in my_answers.content.decode()
    page = milo.get(url(assessment, "my-section", "trustee-board"))
    assert page.status_code == 200
    fields = {**form_fields(page), "item-trustee-board": "1", "continue": "1"}
    response = milo.post(url(assessment, "my-section", "trustee-board"), fields)
    assert response.status_code == 302
    assert response["Location"] == url(assessment, "my-section", applying_keys(assessment)[2])

    wendy = client_for(world.worker)
    page = wendy.get(url(assessment, "my-section", "trustee-board"))
    response = wendy.post(
        url(assessment, "my-section", "trustee-board"), {**form_fields(page), "item-trustee-board": "4", "later": "1"}
    )
    assert response["Location"] == url(assessment, "my-answers")
    # Second item: one level apart, no flag.
    for client, level in ((milo, "2"), (wendy, "3")):
        page = client.get(url(assessment, "my-section", "values-and-culture"))
        client.post(
            url(assessment, "my-section", "values-and-culture"),
            {**form_fields(page), "item-values-and-culture": level, "later": "1"},
        )

    # Their own answers are not the agreed answers, and do not count in the scores.
    assert agreed(assessment, "trustee-board") is None
    assert shown_overall(admin.get(url(assessment, "results"))) is None

    compare = admin.get(url(assessment, "compare"))
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "Development worker and trustee see this differently (3 levels apart)" in html
    assert "<strong>1 question</strong> where people are two or more levels apart" in html
    assert html.count("pf-flag") == 1

    # The admin records the agreed answer, which is what the scores use.
    post_section(admin, assessment, "trustee-board", {"trustee-board": "3"})
    assert shown_sections(admin.get(url(assessment, "results")))["trustee-board"] == Decimal("66.7")


def test_a_respondent_who_does_not_lead_cannot_record_the_agreed_answer(world, admin, assessment):
    admin.post(url(assessment, "respondents"), {"person": str(world.member.pk), "perspective": "staff"})
    milo = client_for(world.member)
    assert milo.post(section_url(assessment, "trustee-board"), {"item-trustee-board": "4"}).status_code == 403
    assert agreed(assessment, "trustee-board") is None


def test_someone_not_asked_to_answer_has_no_own_answers_page(world, assessment):
    assert client_for(world.member).get(url(assessment, "my-answers")).status_code == 403


def test_adding_a_respondent_without_choosing_shows_an_error_summary(admin, assessment):
    response = admin.post(url(assessment, "respondents"), {})
    assert response.status_code == 200
    assert_error_summary_links_resolve(
        response, expected={"#id_person_0": "Select the person", "#id_perspective_0": "Select their point of view"}
    )


def answers_shown(html: str, section_key: str) -> list[list[str]]:
    """Each question of a section's answers list: [question, answer, any lines under it], as the page reads."""
    block = re.search(rf'<dl[^>]*id="answers-{section_key}">(.*?)</dl>', html, re.S)
    assert block, f"no answers for {section_key}"
    rows = []
    for row in re.findall(r"<div[^>]*>(.*?)</div>", block.group(1), re.S):
        cells = re.findall(r"<d[td][^>]*>(.*?)</d[td]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


def test_check_answers_and_results_show_each_question_and_the_chosen_statement_in_full_with_the_notes(
    world, admin, assessment
):
    board = assessment.version.items.get(key="trustee-board")
    marketing = assessment.version.items.get(key="marketing")
    note = "Two trustees came to the workshop in May.\nThe chair has not yet."
    post_section(admin, assessment, "trustee-board", {"trustee-board": "2"}, **{"notes-trustee-board": note})
    post_section(admin, assessment, "marketing", {"marketing": "not-relevant"})
    shown_note = "Notes: Two trustees came to the workshop in May. The chair has not yet."

    check = admin.get(url(assessment, "check")).content.decode()
    assert answers_shown(check, "trustee-board") == [
        [board.prompt, board.levels[1], "Statement 2 of 4.", shown_note]  # the whole question, never cut short
    ]
    assert answers_shown(check, "marketing") == [[marketing.prompt, "Not relevant to us"]]
    assert "Level 2 of 4 (score" not in check

    admin.post(url(assessment, "submit"))
    page = admin.get(url(assessment, "results")).content.decode()
    assert answers_shown(page, "trustee-board") == [
        [board.prompt, board.levels[1], "Statement 2 of 4, score 33.3 out of 100.", shown_note]
    ]
    assert answers_shown(page, "marketing") == [[marketing.prompt, "Not relevant to us"]]
    assert answers_shown(page, "values-and-culture")[0][1] == "Not answered"


def test_a_ratings_results_show_the_option_chosen_by_its_label(world, admin, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["flexible-services"], by=world.admin)
    item = assessment.version.items.get(key="focus-on-outcomes")
    post_section(admin, assessment, item.section.key, {item.key: "partly-met"})
    page = admin.get(url(assessment, "results")).content.decode()
    [question, answer, score, *_notes] = answers_shown(page, item.section.key)[
        [i.key for i in item.section.items.all()].index(item.key)
    ]
    assert (question, answer, score) == (item.prompt, "Partly met", "Score 50.0 out of 100.")


def test_a_milestones_answer_shows_its_target_dates_too(world, admin, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    item = assessment.version.items.get(key="workforce-development")
    post_section(
        admin,
        assessment,
        item.section.key,
        {item.key: "2"},
        **{f"target-{item.key}-4": "2028-03-31", f"target-{item.key}-3": "2027-01-15"},
    )
    for name in ("check", "results"):
        [question, answer, place, *details] = answers_shown(
            admin.get(url(assessment, name)).content.decode(), item.section.key
        )[[i.key for i in item.section.items.all()].index(item.key)]
        assert (question, answer) == (item.prompt, item.levels[1])
        assert place.startswith(f"Statement 2 of {len(item.levels)}")
        assert details == ["Target date for step 3: 15 January 2027", "Target date for step 4: 31 March 2028"]


# --- the radar chart ----------------------------------------------------------------------------------


def test_the_radar_chart_is_an_svg_with_its_own_strict_policy(world, admin, assessment):
    for key, level in (("values-and-culture", "2"), ("trustee-board", "3"), ("marketing", "4")):
        post_section(admin, assessment, key, {key: level})
    response = admin.get(url(assessment, "radar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    assert "<script" not in svg.lower()
    assert not re.search(r"\son[a-z]+\s*=", svg)  # no event handlers
    assert "javascript:" not in svg.lower()
    assert not re.search(r'\sstyle="', svg)  # inline styles would be blocked by the policy
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # so default-src 'none' forbids every script
    assert "Content-Security-Policy-Report-Only" not in response.headers
    # Every style block is allowed by its hash, and nothing else.
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", svg, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_the_results_page_shows_the_chart_beside_a_table_of_the_same_figures(world, admin, assessment):
    for key, level in (("values-and-culture", "2"), ("trustee-board", "3"), ("marketing", "4")):
        post_section(admin, assessment, key, {key: level})
    page = admin.get(url(assessment, "results"))
    html = page.content.decode()
    assert f'src="{url(assessment, "radar")}"' in html
    assert "Scores by section" in html
    assert shown_sections(page)["trustee-board"] == Decimal("66.7")


def test_the_radar_chart_of_a_one_section_instrument(world, admin, instruments):
    assessment = services.start(organisation=world.org, instrument=instruments["workforce-ladder"], by=world.admin)
    post_section(admin, assessment, "person-centred-workforce", {"workforce-development": "3"})
    response = admin.get(url(assessment, "radar"))
    assert response.status_code == 200
    assert shown_sections(admin.get(url(assessment, "results")))["person-centred-workforce"] == Decimal("50.0")


def test_the_radar_chart_with_nothing_answered(admin, assessment):
    response = admin.get(url(assessment, "radar"))
    assert response.status_code == 200
    assert "<script" not in response.content.decode().lower()


def test_after_submission_respondents_are_shown_the_results(world, admin, assessment):
    admin.post(url(assessment, "respondents"), {"person": str(world.member.pk), "perspective": "staff"})
    milo = client_for(world.member)
    page = milo.get(url(assessment, "my-section", "trustee-board"))
    admin.post(url(assessment, "submit"))
    response = milo.post(
        url(assessment, "my-section", "trustee-board"), {**form_fields(page), "item-trustee-board": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(assessment, "results")
    assert milo.get(url(assessment, "my-answers"))["Location"] == url(assessment, "results")
    assert not Answer.objects.exists()


def test_only_people_of_the_organisation_or_its_workers_can_be_asked(world, admin, assessment):
    page = admin.get(url(assessment, "respondents"))
    people = radio_choices(page)["person"]
    assert str(world.member.pk) in people and str(world.worker.pk) in people
    assert str(world.outsider.pk) not in people and str(world.commissioner.pk) not in people
    response = admin.post(url(assessment, "respondents"), {"person": str(world.outsider.pk), "perspective": "staff"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_person_0": "Select"})
    assert not assessment.respondents.exists()


def test_respondents_can_still_be_removed_when_everyone_has_been_asked(world, admin, assessment):
    page = admin.get(url(assessment, "respondents"))
    for person in radio_choices(page)["person"]:
        assert admin.post(url(assessment, "respondents"), {"person": person, "perspective": "staff"}).status_code == 302
    html = admin.get(url(assessment, "respondents")).content.decode()
    assert "Ask someone to answer" not in html  # nobody left to ask
    for respondent in assessment.respondents.all():
        assert url(assessment, "remove-respondent", respondent.pk) in html
    # A member sees who is answering, but no buttons.
    member_html = client_for(world.member).get(url(assessment, "respondents")).content.decode()
    assert "remove/" not in member_html and "Ask someone to answer" not in member_html


def test_a_respondent_removed_while_saving_is_told_and_nothing_is_saved(world, assessment, monkeypatch):
    milo = services.add_respondent(assessment=assessment, user=world.member, perspective="staff", by=world.admin)
    member = client_for(world.member)
    page_url = url(assessment, "my-section", "trustee-board")
    fields = form_fields(member.get(page_url))
    fields["item-trustee-board"] = "2"
    real = services._locked_draft

    def removed_first(a):  # the lead removes Milo just before his save takes its turn
        Answer.objects.filter(respondent=milo).delete()
        milo.delete()
        return real(a)

    monkeypatch.setattr(services, "_locked_draft", removed_first)
    response = member.post(page_url, fields, follow=True)

    assert response.status_code == 200
    assert "You are no longer asked for your own answers to this assessment" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_the_radar_chart_names_its_axes_by_number_and_section(world, admin, assessment):
    for key, level in (("values-and-culture", "2"), ("trustee-board", "3"), ("marketing", "4")):
        post_section(admin, assessment, key, {key: level})
    svg = admin.get(url(assessment, "radar")).content.decode()
    titles = [s.title for s in results.results_for(assessment).sections]  # the sections that apply
    assert len(titles) >= 10
    for label in charts.axis_labels(titles):
        assert f">{label}<" in svg.replace("&#8230;", "…")
    assert ">1. Values and culture<" in svg


def test_axis_labels_are_cut_at_a_word():
    assert charts.axis_labels(["Values and culture", "Knowing the demand for your services"]) == [
        "1. Values and culture",
        "2. Knowing the demand…",
    ]
    assert all(len(label) <= charts.AXIS_LABEL for label in charts.axis_labels(["A" * 60, "word " * 20]))


def test_with_fewer_than_three_scored_sections_the_page_says_why_there_is_no_chart(world, admin, assessment):
    post_section(admin, assessment, "trustee-board", {"trustee-board": "3"})
    html = admin.get(url(assessment, "results")).content.decode()
    assert f'src="{url(assessment, "radar")}"' not in html
    assert 'id="no-chart"' in html
