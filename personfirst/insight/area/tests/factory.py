"""Submitted assessments for the area insight tests, made quickly.

Test-only: organisations called "Test organisation 0001" with submitted
assessments of an instrument, about a year apart, their answers drawn from
a seeded random number generator (each organisation at its own level,
further along each time), and insight's rows then recorded from those
answers by insight itself (facts.record_missing), as on submit. The demo's
generator of synthetic areas at national scale (personfirst/demo/synthetic.py,
``manage.py generate_demo_area``) is separate: pillars and their tests do
not import the demo (pyproject.toml, [tool.importlinter]).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from personfirst.core.organisations.choices import OrganisationType as T
from personfirst.core.organisations.choices import ServiceKind as S
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Organisation
from personfirst.insight.area import facts
from personfirst.readiness.assessments import conditions
from personfirst.readiness.assessments.models import Answer, Assessment, AssessmentStatus, Instrument

PREFIX = "test-organisation-"

# Type: (weight, typical level from 0 to 1, median number of people, services it may provide)
TYPES: dict[str, tuple[float, float, int, tuple[str, ...]]] = {
    T.VOLUNTARY: (0.34, 0.42, 30, (S.COMMUNITY_ACTIVITIES, S.BEFRIENDING, S.CARERS_SUPPORT)),
    T.HOME_CARE: (0.16, 0.45, 60, (S.PERSONAL_CARE,)),
    T.RESIDENTIAL: (0.10, 0.32, 70, (S.RESIDENTIAL_CARE, S.NURSING_CARE)),
    T.HOUSING: (0.07, 0.48, 45, (S.SUPPORTED_LIVING,)),
    T.USER_LED: (0.08, 0.58, 15, (S.ADVOCACY, S.EMPLOYMENT)),
    T.MICRO_ENTERPRISE: (0.10, 0.40, 5, (S.PERSONAL_CARE, S.DAY_OPPORTUNITIES)),
    T.INFORMATION_ADVICE: (0.10, 0.55, 25, (S.INFORMATION_ADVICE, S.BROKERAGE)),
    T.DIRECT_PAYMENT_SUPPORT: (0.05, 0.52, 12, (S.DIRECT_PAYMENT_SUPPORT, S.PERSONAL_ASSISTANTS)),
}


@dataclass
class Made:
    organisations: int
    assessments: int


def _area(code: str) -> CouncilArea:
    area, _made = CouncilArea.objects.get_or_create(code=code, defaults={"name": f"Test area {code}"})
    return area


def _times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """About a year apart, the latest within the last eleven months."""
    latest = now - timedelta(days=rng.uniform(1, 330))
    times = [latest]
    for _ in range(count - 1):
        times.append(times[-1] - timedelta(days=rng.gauss(365, 40)))
    return sorted(times)


@transaction.atomic
def submitted(
    *,
    organisations: int,
    assessments_per_organisation: int,
    area_code: str,
    seed: int = 1,
    instrument_key: str = "health-check",
    share_with: Organisation | None = None,
    share_fraction: float = 0.0,
    now: datetime | None = None,
    types: Sequence[str] | None = None,
) -> Made:
    """``organisations`` new organisations in the council area (made if
    missing), each with ``assessments_per_organisation`` submitted
    assessments; with ``types``, the organisations have those types in turn,
    else types drawn at random; ``share_fraction`` of them share their
    records with ``share_with``."""
    rng = random.Random(seed)  # noqa: S311 (made-up figures, not secrets)
    now = now or timezone.now()
    version = Instrument.objects.get(key=instrument_key).latest_version()
    sections = list(version.sections.prefetch_related("items"))
    area = _area(area_code)
    first = Organisation.objects.filter(slug__startswith=PREFIX).count() + 1
    kinds = list(TYPES)
    new = []
    for n in range(organisations):
        org_type = types[n % len(types)] if types else rng.choices(kinds, [TYPES[k][0] for k in kinds])[0]
        _weight, _level, median, services = TYPES[org_type]
        people = max(1, int(rng.lognormvariate(0, 0.9) * median))
        new.append(
            Organisation(
                name=f"Test organisation {first + n:04d}",
                slug=f"{PREFIX}{first + n:04d}",
                org_type=org_type,
                paid_staff=people // 2,
                volunteers=people - people // 2,
                council_area=area,
                services=sorted({str(services[0])} | {str(s) for s in services[1:] if rng.random() < 0.5}),
            )
        )
    Organisation.objects.bulk_create(new)
    if share_with is not None and share_fraction:
        AccessGrant.objects.bulk_create(
            AccessGrant(organisation=o, support_organisation=share_with) for o in new if rng.random() < share_fraction
        )
    answers = []
    count = 0
    for organisation in new:
        applies = [s for s in sections if conditions.applies(s.condition, organisation.org_type, organisation.services)]
        left_out = [
            {"key": s.key, "title": s.title, "reason": conditions.describe(s.condition)}
            for s in sections
            if s not in applies
        ]
        own = TYPES[organisation.org_type][1] + rng.gauss(0, 0.12)
        for k, when in enumerate(_times(rng, assessments_per_organisation, now)):
            assessment = Assessment.objects.create(
                organisation=organisation,
                version=version,
                status=AssessmentStatus.SUBMITTED,
                submitted_at=when,
                left_out=left_out,
            )
            count += 1
            for section in applies:
                for item in section.items.all():
                    if rng.random() < 0.04:
                        answers.append(Answer(assessment=assessment, item=item, not_relevant=True))
                        continue
                    positions = len(item.kind.scale(item.definition))
                    level = own + 0.07 * k + rng.gauss(0, 0.15)
                    place = 1 + round((positions - 1) * min(1.0, max(0.0, level)))
                    response = item.kind.response_at(item.definition, place)
                    answers.append(
                        Answer(assessment=assessment, item=item, level=response.level, option=response.option or "")
                    )
    Answer.objects.bulk_create(answers)
    facts.record_missing()  # insight's rows, as on submit
    return Made(organisations, count)
