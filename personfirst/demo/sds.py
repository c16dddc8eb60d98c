"""Self-directed support in the demo: Eastmere's RAS, and the two demo
people at different stages.

- Sam signs in alone. His eligibility is decided, his self-assessment
  agreed (with one answer changed by the practitioner, with a reason), and
  his indicative budget worked out.
- Rose's carer, Carl, fills in her self-assessment with her: her
  eligibility and Carl's are decided, and the self-assessment is half done.

Safe to run again: a stage already reached is left as it is.
"""

from __future__ import annotations

from django.db import transaction

from personfirst.core.accounts.models import User
from personfirst.core.organisations.models import CouncilArea
from personfirst.core.people.models import Person
from personfirst.sds.eligibility import criteria
from personfirst.sds.eligibility import services as eligibility
from personfirst.sds.selfassessment import services as selfassessment

from .area import AREA_CODE

SAM_ANSWERS = {
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
ROSE_ANSWERS = {"washing": "most", "dressing": "most", "toilet": "some", "meals": "most", "home-tasks": "all"}


@transaction.atomic
def load() -> None:
    selfassessment.load_shipped_ras(CouncilArea.objects.get(code=AREA_CODE))
    practitioner = User.objects.get(email="practitioner@eastmere.example")
    carer = User.objects.get(email="carer@people.example")
    sam = Person.objects.get(user__email="sam@people.example")
    rose = Person.objects.get(given_name="Rose", family_name="Ellis", council_area__code=AREA_CODE)

    if not sam.eligibility_decisions.exists():
        eligibility.record(
            sam,
            screen=criteria.Screen(criteria.ADULT, True, frozenset({"local-services", "work-learning"}), True),
            notes="After your brain injury you told me that getting out and going to work are the hardest parts "
            "of the week, and that being stuck at home is getting you down.",
            by=practitioner,
        )
    if not sam.self_assessments.exists():
        sa = selfassessment.start(sam, by=sam.user)
        for question, answer in SAM_ANSWERS.items():
            selfassessment.answer(sa, question=question, answer=answer, by=sam.user)
        selfassessment.submit(sa, by=sam.user)
        selfassessment.change_at_review(
            sa,
            question="safety",
            answer="none",
            reason="When we met you said you feel safe at home and out, and only need help getting to new places.",
            by=practitioner,
        )
        selfassessment.agree(sa, seen_revision=sa.revision, by=practitioner)

    if not rose.eligibility_decisions.exists():
        eligibility.record(
            rose,
            screen=criteria.Screen(
                criteria.ADULT, True, frozenset({"hygiene", "clothing", "nutrition", "habitable-home"}), True
            ),
            notes="Rose's arthritis means she cannot wash, dress or cook without help, and she is worried about "
            "having to leave her home.",
            by=practitioner,
        )
        eligibility.record(
            rose,
            screen=criteria.Screen(criteria.CARER, True, frozenset({"leisure"}), True, health_at_risk=True),
            notes="Carl told me he has had no evening off in months and his back is getting worse.",
            by=practitioner,
            carer=rose.supporters.get(user=carer),
        )
    if not rose.self_assessments.exists():
        sa = selfassessment.start(rose, by=carer)
        for question, answer in ROSE_ANSWERS.items():
            selfassessment.answer(sa, question=question, answer=answer, by=carer)
