"""What the allocation tests start from: Eastmere's shipped RAS published
(conftest.py's world), and people of Eastmere with agreed self-assessments
made in bulk (``agreed_person``), each with a budget from the RAS in force."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from personfirst.core.people.models import Person
from personfirst.sds.allocation import ras_file, services
from personfirst.sds.selfassessment import questionnaire
from personfirst.sds.selfassessment.models import AnswerChange, SelfAssessment, Status
from personfirst.sds.selfassessment.services import load_shipped_ras

SHIPPED = ras_file.SHIPPED / "eastmere-ras-1.yaml"


def answers_at(level: int, carer: bool = False) -> dict[str, str]:
    """Every question answered with its option number ``level`` (0: least need), capped at the last."""
    return {q.key: q.options[min(level, len(q.options) - 1)].key for q in questionnaire.current().questions(carer)}


def agreed_person(area, answers: dict[str, str], *, by=None, team=None, born=None, carer=False, budget=True):
    """A person of ``area`` whose self-assessment is agreed with ``answers``,
    with an indicative budget from the RAS in force (when ``budget``)."""
    current = questionnaire.current()
    with transaction.atomic():
        person = Person.objects.create(
            given_name="Test", family_name="Person", council_area=area, team=team, date_of_birth=born
        )
        sa = SelfAssessment.objects.create(
            person=person,
            questionnaire_key=current.key,
            questionnaire_version=current.version,
            carer_present=carer,
            status=Status.AGREED,
            agreed_at=timezone.now(),
        )
        AnswerChange.objects.bulk_create(
            AnswerChange(self_assessment=sa, question=q, answer=a, by=by, as_role="the person")
            for q, a in answers.items()
        )
        if budget:
            labels = {q.key: (q.prompt, q.label_of(answers.get(q.key))) for q in sa.questions()}
            services.make_budget(sa, answers, labels, by=by)
    return person


def draft_text(price: str = "9.50", version: int = 2) -> str:
    return (
        SHIPPED.read_text()
        .replace('price_per_point: "9.50"', f'price_per_point: "{price}"')
        .replace("version: 1", f"version: {version}")
    )


@pytest.fixture
def eastmere(world):
    """The world with Eastmere's RAS version 1 published (in force since 1 April 2026)."""
    load_shipped_ras(world.area)
    world.v1 = services.current_ras(world.area)
    return world


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def adult_born():
    return datetime.date(1970, 5, 1)
