"""Recording an eligibility decision: the one path for pages and the API."""

from __future__ import annotations

from . import criteria
from .models import EligibilityDecision


def record(person, *, screen: criteria.Screen, notes: str, by, carer=None) -> EligibilityDecision:
    if screen.kind == criteria.CARER and (carer is None or carer.person_id != person.pk):
        raise criteria.ScreenError("Select the carer this screen is about.")
    decision = criteria.decide(screen)
    return EligibilityDecision.objects.create(
        person=person,
        kind=screen.kind,
        carer=carer if screen.kind == criteria.CARER else None,
        condition=screen.condition,
        unable=sorted(screen.unable),
        health_at_risk=screen.health_at_risk,
        wellbeing=screen.wellbeing,
        eligible=decision.eligible,
        notes=notes,
        decided_by=by,
    )
