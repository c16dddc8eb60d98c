"""API: self-assessments and indicative budgets. The same rules, services
and checks as the pages; every operation opens the record through
people.records.open_record, which logs the read."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict

from personfirst.core.access.shortcuts import require
from personfirst.core.api.schemas import BODY_ERRORS, ERRORS, PARAMETER_ERRORS
from personfirst.core.concurrency import ConflictError
from personfirst.core.people import records
from personfirst.sds.allocation.models import IndicativeBudget

from . import services
from .models import SelfAssessment

router = Router(tags=["Self-directed support"])


class SelfAssessmentAnswerOut(Schema):
    question: str
    domain: str
    prompt: str
    options: list[str] = Field(description="The answers' keys, from the least need to the most")
    answer: str | None
    answer_label: str
    by: str | None = Field(description="Who gave the current answer")
    as_role: str = Field(description="Who they are to the person: the person, carer, practitioner...")
    reason: str = Field(description="The practitioner's reason, for an answer changed at review")


class SelfAssessmentOut(Schema):
    id: int
    status: str = Field(description="draft, submitted or agreed")
    revision: int = Field(description="Goes up with every answer; agreeing needs the revision you saw")
    carer_present: bool
    questionnaire: str
    questionnaire_version: int
    created_at: datetime.datetime
    answers: list[SelfAssessmentAnswerOut]


class SelfAssessmentAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(
        ..., max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="One of the question's option keys"
    )


class SelfAssessmentAgreeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    revision: int = Field(..., ge=0, description="The self-assessment's revision you reviewed")


class SelfAssessmentConflict(Schema):
    detail: str
    current: SelfAssessmentOut | None


class IndicativeBudgetOut(Schema):
    id: int
    self_assessment: int
    ras: str
    ras_version: int
    points: int
    weekly: Decimal | None = Field(description="Pounds a week; null when the case goes to a panel")
    yearly: Decimal | None
    to_panel: bool
    made_at: datetime.datetime
    breakdown: dict = Field(description="Why this amount: points by domain, each step, what each answer added")


def _open(request: HttpRequest, person_id: uuid.UUID, what: str, permission: str = "people.view_person"):
    try:
        return records.open_record(request.user, person_id, what, permission)
    except records.ReasonNeeded:
        raise HttpError(403, "Give a reason to read this record, on its page in the service, first.") from None


def _out(sa: SelfAssessment) -> dict:
    current = sa.current_answers()
    rows = []
    for q in sa.questions():
        given = current.get(q.key)
        rows.append(
            {
                "question": q.key,
                "domain": q.domain_key,
                "prompt": q.prompt,
                "options": [o.key for o in q.options],
                "answer": given.answer if given else None,
                "answer_label": q.label_of(given.answer) if given else "",
                "by": given.by.display_name if given and given.by else None,
                "as_role": given.as_role if given else "",
                "reason": given.reason if given else "",
            }
        )
    return {
        "id": sa.pk,
        "status": sa.status,
        "revision": sa.revision,
        "carer_present": sa.carer_present,
        "questionnaire": sa.questionnaire_key,
        "questionnaire_version": sa.questionnaire_version,
        "created_at": sa.created_at,
        "answers": rows,
    }


def _budget_out(budget: IndicativeBudget) -> dict:
    return {
        "id": budget.pk,
        "self_assessment": budget.self_assessment_id,
        "ras": budget.ras_version.key,
        "ras_version": budget.ras_version.version,
        "points": budget.points,
        "weekly": budget.weekly,
        "yearly": budget.yearly,
        "to_panel": budget.to_panel,
        "made_at": budget.made_at,
        "breakdown": budget.breakdown,
    }


def _conflict(conflict: ConflictError):
    current = conflict.current
    return Status(409, {"detail": conflict.message, "current": _out(current) if current else None})


@router.get(
    "people/{person_id}/self-assessments",
    response={200: list[SelfAssessmentOut], **PARAMETER_ERRORS, **ERRORS},
    summary="A person's self-assessments, with every answer (the read is logged)",
    operation_id="list_self_assessments",
)
def list_self_assessments(request: HttpRequest, person_id: uuid.UUID):
    person = _open(request, person_id, "self-assessments, through the API")
    return [_out(sa) for sa in person.self_assessments.all()]


@router.post(
    "people/{person_id}/self-assessments",
    response={201: SelfAssessmentOut, **PARAMETER_ERRORS, **ERRORS},
    summary="Start a self-assessment, or get the one being filled in",
    operation_id="start_self_assessment",
)
def start_self_assessment(request: HttpRequest, person_id: uuid.UUID):
    person = _open(request, person_id, "a self-assessment, to start it, through the API", "selfassessment.start")
    return Status(201, _out(services.start(person, by=request.user)))


def _sa(request, person_id, sa_id, what, permission="people.view_person") -> SelfAssessment:
    person = _open(request, person_id, what, permission)
    return get_object_or_404(SelfAssessment, pk=sa_id, person=person)


@router.put(
    "people/{person_id}/self-assessments/{sa_id}/answers/{question}",
    response={200: SelfAssessmentOut, 409: SelfAssessmentConflict, **BODY_ERRORS, **ERRORS},
    summary="Answer a question by its key (the person, or a supporter who may change the record)",
    operation_id="answer_self_assessment",
)
def answer_self_assessment(
    request: HttpRequest, person_id: uuid.UUID, sa_id: int, question: str, payload: SelfAssessmentAnswerIn
):
    sa = _sa(request, person_id, sa_id, "a self-assessment, to answer it, through the API", "selfassessment.answer")
    try:
        services.answer(sa, question=question, answer=payload.answer, by=request.user)
    except services.AnswerError as error:
        raise ValidationError([{"loc": ("body", "payload", "answer"), "msg": str(error)}]) from None
    except ConflictError as conflict:
        return _conflict(conflict)
    return _out(sa)


@router.post(
    "people/{person_id}/self-assessments/{sa_id}/submit",
    response={200: SelfAssessmentOut, 409: SelfAssessmentConflict, **BODY_ERRORS, **ERRORS},
    summary="Send the self-assessment to the council (every question answered)",
    operation_id="submit_self_assessment",
)
def submit_self_assessment(request: HttpRequest, person_id: uuid.UUID, sa_id: int):
    sa = _sa(request, person_id, sa_id, "a self-assessment, to send it, through the API", "selfassessment.answer")
    try:
        services.submit(sa, by=request.user)
    except services.AnswerError as error:
        raise ValidationError([{"loc": ("path", "sa_id"), "msg": str(error)}]) from None
    except ConflictError as conflict:
        return _conflict(conflict)
    return _out(sa)


@router.post(
    "people/{person_id}/self-assessments/{sa_id}/agree",
    response={201: IndicativeBudgetOut, 409: SelfAssessmentConflict, **BODY_ERRORS, **ERRORS},
    summary="Agree the answers you reviewed (the practitioner): makes the indicative budget",
    operation_id="agree_self_assessment",
)
def agree_self_assessment(request: HttpRequest, person_id: uuid.UUID, sa_id: int, payload: SelfAssessmentAgreeIn):
    sa = _sa(request, person_id, sa_id, "a self-assessment, to agree it, through the API", "selfassessment.review")
    try:
        budget = services.agree(sa, seen_revision=payload.revision, by=request.user)
    except ConflictError as conflict:
        return _conflict(conflict)
    except services.allocation.RasLoadError as error:
        return _conflict(ConflictError(str(error), sa))
    return Status(201, _budget_out(budget))


@router.get(
    "people/{person_id}/budgets",
    response={200: list[IndicativeBudgetOut], **PARAMETER_ERRORS, **ERRORS},
    summary="Indicative budgets, newest first, each with why this amount (the read is logged)",
    operation_id="list_budgets",
)
def list_budgets(request: HttpRequest, person_id: uuid.UUID):
    person = _open(request, person_id, "indicative budgets, through the API")
    require(request.user, "people.view_person", person)
    return [_budget_out(b) for b in person.indicative_budgets.select_related("ras_version")]
