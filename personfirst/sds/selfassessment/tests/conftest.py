"""The self-assessments the tests start from (on conftest.py's world):
Sam's agreed, with one answer changed at review and a budget; Rose's half
filled in by her carer."""

from __future__ import annotations

import pytest

from personfirst.sds.selfassessment import services

SAM = {
    "washing": "some",
    "dressing": "none",
    "toilet": "none",
    "meals": "some",
    "home-tasks": "some",
    "relationships": "some",
    "getting-out": "most",
    "work-learning": "most",
    "decisions": "some",
    "safety": "some",
    "communication": "none",
    "health": "some",
    "informal-support": "some",
}
ROSE = {"washing": "most", "dressing": "most", "toilet": "some", "meals": "most", "home-tasks": "all"}


@pytest.fixture
def sds(world):
    services.load_shipped_ras(world.area)
    sam = services.start(world.own_record, by=world.person)
    for question, answer in SAM.items():
        services.answer(sam, question=question, answer=answer, by=world.person)
    services.submit(sam, by=world.person)
    services.change_at_review(
        sam,
        question="safety",
        answer="none",
        reason="When we met you said you feel safe at home and out.",
        by=world.practitioner,
    )
    services.agree(sam, seen_revision=sam.revision, by=world.practitioner)
    rose = services.start(world.cared_for, by=world.carer)
    for question, answer in ROSE.items():
        services.answer(rose, question=question, answer=answer, by=world.carer)
    world.sam_sa, world.rose_sa = sam, rose
    return world
