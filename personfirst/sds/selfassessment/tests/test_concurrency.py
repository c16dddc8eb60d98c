"""Self-assessments under concurrent requests, with real transactions (the
``race`` fixture): a supporter answering while the person sends it, and the
practitioner agreeing while another change is made at review. Every call
either left its change or was refused with ConflictError; an agreed
self-assessment's budget was made from exactly the answers it agreed."""

from __future__ import annotations

import pytest

from personfirst.core.concurrency import ConflictError
from personfirst.sds.selfassessment import services
from personfirst.sds.selfassessment.models import SelfAssessment, Status

pytestmark = pytest.mark.django_db(transaction=True)


def refused_or_done(outcomes) -> None:
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked


@pytest.fixture
def rose_sa(sds):
    world = sds
    sa = world.rose_sa
    for question in services.missing(sa):
        services.answer(sa, question=question.key, answer=question.options[0].key, by=world.carer)
    return sa


def test_an_answer_while_the_self_assessment_is_sent_is_kept_or_refused(world, rose_sa, race):
    outcomes = race(
        lambda: services.answer(
            SelfAssessment.objects.get(pk=rose_sa.pk), question="washing", answer="all", by=world.carer
        ),
        lambda: services.submit(SelfAssessment.objects.get(pk=rose_sa.pk), by=world.carer),
    )
    refused_or_done(outcomes)
    assert outcomes[1].ok  # sending never fails: every question had an answer
    sa = SelfAssessment.objects.get(pk=rose_sa.pk)
    assert sa.status == Status.SUBMITTED
    answered = sa.current_answers()["washing"].answer
    assert answered == ("all" if outcomes[0].ok else "most")


def test_agreeing_while_an_answer_is_changed_at_review_agrees_only_what_was_seen(world, rose_sa, race):
    services.submit(rose_sa, by=world.carer)
    rose_sa.refresh_from_db()
    seen = rose_sa.revision
    outcomes = race(
        lambda: services.agree(SelfAssessment.objects.get(pk=rose_sa.pk), seen_revision=seen, by=world.practitioner),
        lambda: services.change_at_review(
            SelfAssessment.objects.get(pk=rose_sa.pk),
            question="washing",
            answer="all",
            reason="Seen at the visit: she needs help every time.",
            by=world.practitioner,
        ),
    )
    refused_or_done(outcomes)
    assert [o.ok for o in outcomes].count(True) == 1  # one wins; the other is told why
    sa = SelfAssessment.objects.get(pk=rose_sa.pk)
    if outcomes[0].ok:
        assert sa.status == Status.AGREED and sa.current_answers()["washing"].answer == "most"
        budget = sa.budgets.get()
        washing = next(a for d in budget.breakdown["domains"] for a in d["answers"] if a["question"] == "washing")
        assert washing["points"] == 7  # "most", as agreed
    else:
        assert sa.status == Status.SUBMITTED and sa.current_answers()["washing"].answer == "all"
        assert not sa.budgets.exists()


def test_two_agreements_at_once_make_one_budget(world, rose_sa, race):
    services.submit(rose_sa, by=world.carer)
    rose_sa.refresh_from_db()

    def agree():
        return services.agree(
            SelfAssessment.objects.get(pk=rose_sa.pk), seen_revision=rose_sa.revision, by=world.practitioner
        )

    outcomes = race(agree, agree)
    refused_or_done(outcomes)
    assert [o.ok for o in outcomes].count(True) == 1
    assert SelfAssessment.objects.get(pk=rose_sa.pk).budgets.count() == 1
