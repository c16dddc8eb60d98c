"""The self-assessment and the indicative budget, page by page and role by
role: the person and their carer co-edit, the practitioner reviews and
agrees, everyone else is refused; every page is a logged read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from personfirst.core.people.models import RecordRead
from personfirst.sds.allocation.models import IndicativeBudget
from personfirst.sds.selfassessment import services
from personfirst.sds.selfassessment.models import AnswerChange, SelfAssessment, Status

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def base(person) -> str:
    return f"/people/{person.pk}/self-assessment/"


def test_the_carer_co_edits_and_each_change_shows_who_made_it(sds):
    carer = client_for(sds.carer)
    response = carer.post(base(sds.cared_for))  # carry on
    first_missing = services.missing(sds.rose_sa)[0]
    assert response["Location"].endswith(f"/questions/{first_missing.key}/")
    page = carer.get(response["Location"])
    assert page.status_code == 200 and first_missing.prompt in page.content.decode()
    carer.post(response["Location"], {"answer": "some"})
    assert sds.rose_sa.current_answers()[first_missing.key].as_role == "carer"
    check = carer.get(f"{base(sds.cared_for)}{sds.rose_sa.pk}/").content.decode()
    assert "Carl Ellis (carer)" in check
    assert RecordRead.objects.filter(person=sds.cared_for, user=sds.carer, what="a self-assessment").exists()


def test_save_and_come_back_later(sds):
    carer = client_for(sds.carer)
    question = services.missing(sds.rose_sa)[0]
    response = carer.post(
        f"{base(sds.cared_for)}{sds.rose_sa.pk}/questions/{question.key}/", {"answer": "all", "later": "1"}
    )
    assert response["Location"] == base(sds.cared_for)
    assert sds.rose_sa.current_answers()[question.key].answer == "all"


def test_no_answer_gives_an_error_summary_in_our_words(sds):
    carer = client_for(sds.carer)
    question = services.missing(sds.rose_sa)[0]
    page = carer.post(f"{base(sds.cared_for)}{sds.rose_sa.pk}/questions/{question.key}/", {})
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html and "Select the answer that fits best" in html
    page = carer.post(f"{base(sds.cared_for)}{sds.rose_sa.pk}/questions/{question.key}/", {"answer": "plenty"})
    assert f"‘plenty’ is not one of the answers to ‘{question.key}’" in page.content.decode()


def test_a_question_that_does_not_exist_is_not_found_and_the_service_names_it(sds):
    carer = client_for(sds.carer)
    assert carer.get(f"{base(sds.cared_for)}{sds.rose_sa.pk}/questions/no-such-question/").status_code == 404
    with pytest.raises(services.AnswerError, match="There is no question 'no-such-question'"):
        services.answer(sds.rose_sa, question="no-such-question", answer="some", by=sds.carer)
    with pytest.raises(services.AnswerError, match="‘plenty’ is not one of the answers to ‘washing’"):
        services.answer(sds.rose_sa, question="washing", answer="plenty", by=sds.carer)
    assert not AnswerChange.objects.filter(question="no-such-question").exists()


def test_sending_needs_every_answer_then_the_practitioner_changes_one_and_agrees(sds):
    carer = client_for(sds.carer)
    sa = sds.rose_sa
    response = carer.post(f"{base(sds.cared_for)}{sa.pk}/")
    sa.refresh_from_db()
    assert sa.status == Status.DRAFT  # questions left
    for question in services.missing(sa):
        carer.post(f"{base(sds.cared_for)}{sa.pk}/questions/{question.key}/", {"answer": question.options[1].key})
    response = carer.post(f"{base(sds.cared_for)}{sa.pk}/")
    sa.refresh_from_db()
    assert sa.status == Status.SUBMITTED
    # The carer can no longer change answers, nor review.
    assert carer.post(f"{base(sds.cared_for)}{sa.pk}/questions/washing/", {"answer": "all"}).status_code == 302
    assert sa.current_answers()["washing"].answer == "most"
    assert carer.get(f"{base(sds.cared_for)}{sa.pk}/review/washing/").status_code == 403
    practitioner = client_for(sds.practitioner)
    seen = sa.revision
    page = practitioner.post(f"{base(sds.cared_for)}{sa.pk}/review/washing/", {"answer": "all"})
    assert "Enter why you are changing this answer" in page.content.decode()
    practitioner.post(
        f"{base(sds.cared_for)}{sa.pk}/review/washing/",
        {"answer": "all", "reason": "Rose showed me she cannot lift her arms to wash her hair."},
    )
    # Agreeing what was seen before the change is refused, with the reason.
    stale = practitioner.post(f"{base(sds.cared_for)}{sa.pk}/agree/", {"revision": seen}, follow=True)
    assert "The answers changed while you were looking" in stale.content.decode()
    sa.refresh_from_db()
    response = practitioner.post(f"{base(sds.cared_for)}{sa.pk}/agree/", {"revision": sa.revision})
    budget = IndicativeBudget.objects.get(self_assessment=sa)
    assert response["Location"] == f"/people/{sds.cared_for.pk}/budget/{budget.pk}/"
    assert isinstance(budget.weekly, Decimal) and budget.yearly == budget.weekly * 52
    # The carer sees the budget, why, and the practitioner's reason.
    html = carer.get(f"/people/{sds.cared_for.pk}/budget/").content.decode()
    assert f"£{budget.weekly} a week" in html and "Why this amount" in html
    assert "Support for your carer" in html
    assert "Rose showed me she cannot lift her arms" in carer.get(f"{base(sds.cared_for)}{sa.pk}/").content.decode()


def test_the_person_sees_their_explained_budget(sds):
    sam = client_for(sds.person)
    budget = IndicativeBudget.objects.get(person=sds.own_record)
    html = sam.get(f"/people/{sds.own_record.pk}/budget/").content.decode()
    assert "Your indicative budget" in html
    assert f"£{budget.weekly} a week" in html and f"£{budget.yearly} a year" in html
    assert "Which answers made the most difference" in html
    assert "a point" in html  # the conversion, stated
    # The practitioner's change at review, and its reason, are on his self-assessment.
    check = sam.get(f"{base(sds.own_record)}{sds.sam_sa.pk}/").content.decode()
    assert "you feel safe at home and out" in check and "Priya Practitioner (practitioner)" in check


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("person", 200),
        ("practitioner", 200),
        ("carer", 404),  # Sam's record is not Carl's to see
        ("commissioner", 404),
        ("platform", 404),
        ("outsider", 404),
        ("team_manager", 302),  # a reason first
        ("superuser", 404),
    ],
)
def test_who_sees_sams_self_assessment_and_budget(sds, persona, status):
    client = client_for(getattr(sds, persona))
    for url in (
        base(sds.own_record),
        f"{base(sds.own_record)}{sds.sam_sa.pk}/",
        f"/people/{sds.own_record.pk}/budget/",
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].endswith("/reason/")


def test_the_practitioner_cannot_answer_for_the_person_and_the_person_cannot_review(sds):
    practitioner = client_for(sds.practitioner)
    url = f"{base(sds.cared_for)}{sds.rose_sa.pk}/questions/washing/"
    assert practitioner.post(url, {"answer": "none"}).status_code == 403
    assert (
        client_for(sds.carer).post(f"{base(sds.cared_for)}{sds.rose_sa.pk}/agree/", {"revision": 0}).status_code == 403
    )


def test_agreeing_keeps_the_budget_with_the_ras_version_that_made_it(sds):
    budget = IndicativeBudget.objects.get(person=sds.own_record)
    assert budget.ras_version.version == 1
    assert budget.breakdown["weekly"] == str(budget.weekly)
    assert sum(d["counted"] for d in budget.breakdown["domains"]) == budget.points


def test_a_self_assessment_of_another_record_is_not_found_through_this_one(sds):
    sam = client_for(sds.person)
    assert sam.get(f"{base(sds.own_record)}{sds.rose_sa.pk}/").status_code == 404
    assert SelfAssessment.objects.count() == 2


def test_the_record_shows_the_sds_tabs_to_those_who_may_open_them(sds):
    html = client_for(sds.person).get(f"/people/{sds.own_record.pk}/").content.decode()
    for label, url in (
        ("Eligibility", f"/people/{sds.own_record.pk}/eligibility/"),
        ("Self-assessment", f"/people/{sds.own_record.pk}/self-assessment/"),
        ("Your budget", f"/people/{sds.own_record.pk}/budget/"),
    ):
        assert f'href="{url}"' in html and label in html
    practitioner = client_for(sds.practitioner).get(f"/people/{sds.own_record.pk}/").content.decode()
    assert "Indicative budget" in practitioner
