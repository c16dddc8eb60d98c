"""Building caseloads for the caseload tests."""

from __future__ import annotations

import datetime
import random

from personfirst.core.organisations.models import Organisation
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.readiness.progress.tests.helpers import at, submitted_at_random

# The organisations that share with Eastmere Voluntary Action (world.worker's), by name.
SHARING = [
    "direct-choice",
    "eastmere-advice-network",
    "eastmere-carers-centre",
    "little-acorns",
    "open-doors-housing",
    "riverside-home-care",
    "speak-up-eastmere",
]


def act(organisation, status, due=None, title="An action"):
    return Action.objects.create(organisation=organisation, title=title, status=status, due_date=due)


def build_caseload(world, instruments, new_worker, count: int):
    """A worker whose caseload is ``count`` organisations, each with two
    submitted assessments and some actions."""
    organisations = [
        Organisation.objects.create(
            name=f"Organisation {count}-{n:02}",
            slug=f"organisation-{count}-{n}",
            org_type="voluntary",
            council_area=world.area,
        )
        for n in range(count)
    ]
    rng = random.Random(count)
    for n, organisation in enumerate(organisations):
        submitted_at_random(organisation, instruments["workforce-ladder"], world.platform, rng, at(2025, 1, 1 + n))
        submitted_at_random(organisation, instruments["flexible-services"], world.platform, rng, at(2025, 6, 1 + n))
        act(organisation, ActionStatus.NOT_STARTED, datetime.date(2020, 1, 1))
        act(organisation, ActionStatus.IN_PROGRESS, None)
    return new_worker(shared_by=organisations)
