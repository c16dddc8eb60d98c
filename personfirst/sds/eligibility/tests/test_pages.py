"""Eligibility pages: the practitioner records a screen; the person (and
the supporters they chose) see each outcome, the decision and the reasons."""

from __future__ import annotations

import pytest
from django.test import Client

from personfirst.sds.eligibility.models import EligibilityDecision

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


ADULT = {
    "condition": "yes",
    "unable": ["hygiene", "clothing", "nutrition"],
    "wellbeing": "yes",
    "notes": "You told me that washing and dressing take you most of the morning and leave you in pain.",
}


def test_the_practitioner_records_a_screen_and_the_person_sees_it(world):
    practitioner = client_for(world.practitioner)
    url = f"/people/{world.own_record.pk}/eligibility/new/adult/"
    assert practitioner.get(url).status_code == 200
    response = practitioner.post(url, ADULT)
    decision = EligibilityDecision.objects.get(person=world.own_record)
    assert response["Location"] == f"/people/{world.own_record.pk}/eligibility/{decision.pk}/"
    assert decision.eligible and decision.unable == ["clothing", "hygiene", "nutrition"]
    html = client_for(world.person).get(response["Location"]).content.decode()
    assert "Meets the national criteria" in html
    assert "You cannot manage 3 things on the list without help" in html
    assert "washing and dressing take you most of the morning" in html
    assert "Keeping yourself clean" in html  # each outcome, in a table


def test_a_screen_with_too_few_outcomes_is_recorded_as_not_eligible(world):
    practitioner = client_for(world.practitioner)
    practitioner.post(f"/people/{world.own_record.pk}/eligibility/new/adult/", {**ADULT, "unable": ["toilet"]})
    decision = EligibilityDecision.objects.get(person=world.own_record)
    assert not decision.eligible
    assert "The rules need two or more things" in " ".join(decision.decision().reasons)


def test_missing_answers_give_an_error_summary_in_our_words(world):
    page = client_for(world.practitioner).post(f"/people/{world.own_record.pk}/eligibility/new/adult/", {})
    html = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in html
    for message in (
        "Select yes if their needs come from a condition or illness",
        "Select yes if there is a big effect on their wellbeing",
        "Enter your reasons for the person to read",
    ):
        assert message in html
    assert not EligibilityDecision.objects.exists()


def test_a_carers_screen_is_about_one_of_the_persons_carers(world):
    practitioner = client_for(world.practitioner)
    carer = world.cared_for.supporters.get(user=world.carer)
    url = f"/people/{world.cared_for.pk}/eligibility/new/carer/"
    response = practitioner.post(
        url,
        {
            "carer": carer.pk,
            "condition": "yes",
            "health_at_risk": "yes",
            "wellbeing": "yes",
            "notes": "You have had no night off in months and your back is getting worse.",
        },
    )
    assert response.status_code == 302
    decision = EligibilityDecision.objects.get(person=world.cared_for)
    assert decision.kind == "carer" and decision.carer == carer and decision.eligible
    html = client_for(world.carer).get(response["Location"]).content.decode()
    assert "Caring puts your physical or mental health at risk" in html
    # Sam has no carer: the carer's screen says so, and offers no form.
    page = practitioner.get(f"/people/{world.own_record.pk}/eligibility/new/carer/").content.decode()
    assert "No carer supports" in page


@pytest.mark.parametrize(
    ("persona", "list_status", "screen_status"),
    [
        ("person", 200, 403),
        ("practitioner", 200, 200),
        ("carer", 404, 404),
        ("commissioner", 404, 404),
        ("team_manager", 302, 302),
        ("outsider", 404, 404),
        ("platform", 404, 404),
    ],
)
def test_who_may_see_and_record(world, persona, list_status, screen_status):
    client = client_for(getattr(world, persona))
    assert client.get(f"/people/{world.own_record.pk}/eligibility/").status_code == list_status
    assert client.get(f"/people/{world.own_record.pk}/eligibility/new/adult/").status_code == screen_status


def test_an_unknown_kind_of_screen_is_not_found(world):
    assert (
        client_for(world.practitioner).get(f"/people/{world.own_record.pk}/eligibility/new/child/").status_code == 404
    )
