"""Demo assessments, so that a newcomer sees results, change over time and
co-production on first run. Made only when an organisation has none, so
loading twice changes nothing and nobody's own work is touched."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from personfirst.core.accounts.models import User
from personfirst.core.organisations.models import Organisation
from personfirst.insight.area import facts as insight_facts
from personfirst.readiness.assessments import loading, services
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus, Instrument, Perspective

from . import area

# organisation slug -> how far along it is (0 = just starting, 1 = very ready)
READINESS = {
    "eastmere-carers-centre": 0.55,
    "riverside-home-care": 0.45,
    "open-doors-housing": 0.6,
    "speak-up-eastmere": 0.7,
    "little-acorns": 0.3,
    "eastmere-advice-network": 0.65,
    "direct-choice": 0.5,
    "beech-house": 0.35,
    "good-neighbours": 0.25,
    "common-table": 0.4,
}


def _answers(assessment: Assessment, rng: random.Random, readiness: float) -> dict:
    values = {}
    applies, _left_out = services.split_sections(assessment)
    for section in applies:
        for item in section.items.all():
            if rng.random() < 0.05:
                values[item.key] = {"not_relevant": True}
                continue
            kind, definition = item.kind, item.definition
            n = len(kind.scale(definition))
            if kind.numbered:  # statements: a little less spread than named answers
                position = round(1 + (n - 1) * min(1.0, max(0.0, rng.gauss(readiness, 0.25))))
            else:
                position = n - min(n - 1, max(0, round((1 - rng.gauss(readiness, 0.3)) * (n - 1))))
            response = kind.response_at(definition, position)
            values[item.key] = {"level": response.level} if response.level is not None else {"option": response.option}
    return values


def _save_all(assessment: Assessment, values: dict, by, respondent=None) -> None:
    applies, _left_out = services.split_sections(assessment)
    for section in applies:
        section_values = {item.key: values[item.key] for item in section.items.all() if item.key in values}
        services.save_section(
            assessment=assessment, section=section, values=section_values, revisions={}, by=by, respondent=respondent
        )


def _submitted(organisation, instrument, by, rng, readiness, days_ago) -> Assessment:
    assessment = services.start(organisation=organisation, instrument=instrument, by=by)
    _save_all(assessment, _answers(assessment, rng, readiness), by)
    services.submit(assessment=assessment, by=by)
    when = timezone.now() - timedelta(days=days_ago)
    Assessment.objects.filter(pk=assessment.pk).update(started_at=when - timedelta(days=3), submitted_at=when)
    insight_facts.record(assessment)  # area insight counts it by its new date
    return assessment


@transaction.atomic
def load() -> None:
    loading.load_paths(loading.shipped_instrument_paths())
    health_check = Instrument.objects.get(key="health-check")
    flexible = Instrument.objects.get(key="flexible-services")
    admin = User.objects.get(email=area.USERS[0].email)
    worker = User.objects.get(email="worker@eva.example")
    member = User.objects.get(email="member@carers.example")
    for slug, readiness in READINESS.items():
        organisation = Organisation.objects.get(slug=slug)
        if organisation.assessments.exists():
            continue
        rng = random.Random(slug)
        by = admin if slug == "eastmere-carers-centre" else worker
        _submitted(organisation, health_check, by, rng, readiness - 0.2, days_ago=380)
        _submitted(organisation, health_check, by, rng, readiness, days_ago=20)
        if slug != "eastmere-carers-centre":
            continue
        # A self-assessment in progress, answered together: two people
        # who see some things differently.
        draft = services.start(organisation=organisation, instrument=flexible, by=admin)
        for user, perspective, view in (
            (member, Perspective.TRUSTEE, 0.95),
            (worker, Perspective.DEVELOPMENT_WORKER, 0.05),
        ):
            respondent = services.add_respondent(assessment=draft, user=user, perspective=perspective, by=admin)
            _save_all(draft, _answers(draft, random.Random(perspective), view), user, respondent)
        first_section = services.split_sections(draft)[0][0]
        # Confirms any answers suggested from the health check (the crosswalk).
        current = services.answers_for(draft, include_suggested=True)
        conflicts = services.save_section(
            assessment=draft,
            section=first_section,
            values={item.key: {"option": "partly-met"} for item in first_section.items.all()},
            revisions={key: answer.revision for key, answer in current.items()},
            by=admin,
        )
        assert not conflicts, conflicts
    assert Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).exists()
