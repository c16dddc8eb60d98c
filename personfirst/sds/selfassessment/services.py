"""Every change to a self-assessment: starting, answering, submitting, and
the practitioner's review (changing an answer with a reason, agreeing).

Each read-decide-write step is one transaction that locks the
self-assessment's row first (personfirst/core/concurrency.py) and reads its
state again: an answer saved after the self-assessment was sent, or a
practitioner agreeing to answers that changed since they looked, is refused
with a ConflictError that says what happened.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from personfirst.core.concurrency import ConflictError, refresh_locked
from personfirst.core.people import records
from personfirst.core.validation import Invalid
from personfirst.sds.allocation import ras_file
from personfirst.sds.allocation import services as allocation

from . import questionnaire as questionnaires
from .models import AnswerChange, SelfAssessment, Status

GONE = "This self-assessment has been removed."


class AnswerError(ValueError):
    """An answer that cannot be given: names what and where."""


def _role(user, person) -> str:
    access = records.access_for(user, person)
    return access.as_role if access else "someone else"


def start(person, *, by) -> SelfAssessment:
    """The person's self-assessment that is still being filled in, or a new one."""
    with transaction.atomic():
        open_one = person.self_assessments.filter(status__in=[Status.DRAFT, Status.SUBMITTED]).first()
        if open_one is not None:
            return open_one
        current = questionnaires.current()
        return SelfAssessment.objects.create(
            person=person,
            questionnaire_key=current.key,
            questionnaire_version=current.version,
            carer_present=person.supporters.current().filter(kind="carer").exists(),
            created_by=by,
        )


def _check_answer(sa: SelfAssessment, question: str, answer: str) -> questionnaires.QuestionDef:
    definition = next((q for q in sa.questions() if q.key == question), None)
    if definition is None:
        raise AnswerError(f"There is no question '{question}' in this self-assessment.")
    try:  # the one check of an answer, for the pages and the API alike (the need item type)
        definition.item.kind.clean(definition.item, {"option": answer})
    except Invalid as invalid:
        raise AnswerError(" ".join(error.message for error in invalid.errors)) from None
    return definition


def answer(sa: SelfAssessment, *, question: str, answer: str, by) -> AnswerChange:
    """The person or a supporter who may change the record gives an answer."""
    _check_answer(sa, question, answer)
    with transaction.atomic():
        refresh_locked(sa, GONE)
        if sa.status != Status.DRAFT:
            raise ConflictError("This self-assessment has been sent to the council, so its answers cannot change.", sa)
        change = AnswerChange.objects.create(
            self_assessment=sa, question=question, answer=answer, by=by, as_role=_role(by, sa.person)
        )
        sa.revision += 1
        sa.save(update_fields=["revision"])
    return change


def missing(sa: SelfAssessment) -> list[questionnaires.QuestionDef]:
    answered = sa.current_answers()
    return [q for q in sa.questions() if q.key not in answered]


def submit(sa: SelfAssessment, *, by) -> SelfAssessment:
    with transaction.atomic():
        refresh_locked(sa, GONE)
        if sa.status != Status.DRAFT:
            raise ConflictError("This self-assessment has already been sent to the council.", sa)
        left = missing(sa)
        if left:
            raise AnswerError(f"Answer every question first: {len(left)} still to answer.")
        sa.status, sa.submitted_at, sa.submitted_by = Status.SUBMITTED, timezone.now(), by
        sa.save(update_fields=["status", "submitted_at", "submitted_by"])
    return sa


def change_at_review(sa: SelfAssessment, *, question: str, answer: str, reason: str, by) -> AnswerChange:
    """The practitioner changes an answer, with a reason the person sees."""
    _check_answer(sa, question, answer)
    reason = reason.replace("\x00", "").strip()
    if not reason:
        raise AnswerError("Say why you are changing this answer.")
    with transaction.atomic():
        refresh_locked(sa, GONE)
        if sa.status != Status.SUBMITTED:
            raise ConflictError("Only a self-assessment sent to the council can be reviewed.", sa)
        change = AnswerChange.objects.create(
            self_assessment=sa,
            question=question,
            answer=answer,
            by=by,
            as_role=_role(by, sa.person),
            reason=reason,
            at_review=True,
        )
        sa.revision += 1
        sa.save(update_fields=["revision"])
    return change


def agree(sa: SelfAssessment, *, seen_revision: int, by):
    """The practitioner agrees the answers they saw (``seen_revision``); the
    indicative budget is made from them with the RAS in force."""
    with transaction.atomic():
        refresh_locked(sa, GONE)
        if sa.status != Status.SUBMITTED:
            raise ConflictError("This self-assessment is not waiting to be agreed.", sa)
        if sa.revision != seen_revision:
            raise ConflictError("The answers changed while you were looking. Check them again, then agree.", sa)
        current = sa.current_answers()
        answers = {key: change.answer for key, change in current.items()}
        labels = {q.key: (q.prompt, q.label_of(answers.get(q.key))) for q in sa.questions()}
        sa.status, sa.agreed_at, sa.agreed_by = Status.AGREED, timezone.now(), by
        sa.save(update_fields=["status", "agreed_at", "agreed_by"])
        budget = allocation.make_budget(sa, answers, labels, by=by)
    return budget


def ras_fits_questionnaire(ras) -> list[str]:
    """What is wrong with a RAS against the current questionnaire (nothing: [])."""
    return questionnaires.check_against(questionnaires.current(), ras)


def load_shipped_ras(council_area, *, publish: bool = True) -> None:
    """Load every shipped RAS file for a council (the demo's), each checked
    against the current questionnaire, and publish it from the date in its
    file (already loaded versions are left as they are)."""
    for path in sorted(ras_file.SHIPPED.glob("*.yaml")):
        version, _stored = allocation.load_ras_file(path, council_area=council_area, check=ras_fits_questionnaire)
        if publish and version.is_draft:
            allocation.publish(version, by=None, backdate=True)
