"""API: instruments, assessments, answers, submission and scores.

Scores are exactly those on the results page (readiness.results)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, field_validator

from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.models import Organisation
from personfirst.readiness.assessments import results, services
from personfirst.readiness.assessments.models import Assessment, Instrument, InstrumentVersion

from .schemas import ERRORS, Error, ValidationErrorOut

router = Router(tags=["Readiness"])


class OptionOut(Schema):
    key: str
    label: str
    score: float


class ItemOut(Schema):
    key: str
    type: str
    prompt: str
    guidance: str
    levels: list[str]
    options: list[OptionOut]
    comments: bool


class SectionOut(Schema):
    key: str
    title: str
    guidance: str
    condition: dict[str, list[str]] | None
    items: list[ItemOut]


class InstrumentOut(Schema):
    key: str
    title: str
    version: str
    revision: int
    publisher: str
    licence: str
    description: str
    sections: list[SectionOut]


class AnswerOut(Schema):
    item: str
    level: int | None
    option: str | None
    not_relevant: bool
    notes: str
    target_dates: dict[str, str]
    revision: int
    suggested: bool = Field(
        description="True for an answer suggested from another assessment (answer once) that nobody has "
        "confirmed yet. It does not count in scores until confirmed: record it (changed or not) to confirm it."
    )


class AssessmentOut(Schema):
    id: int
    organisation: str
    instrument: str
    version: str
    revision: int
    status: str
    started_at: datetime.datetime
    submitted_at: datetime.datetime | None
    answers: list[AnswerOut]


class AssessmentSummary(Schema):
    id: int
    instrument: str
    version: str
    status: str
    started_at: datetime.datetime
    submitted_at: datetime.datetime | None


class StartIn(Schema):
    # A misspelt field, or a body that is not an object, is an error, not a silent no-op.
    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(..., min_length=1, max_length=60, description="An instrument key, e.g. health-check")


class AnswerIn(Schema):
    # A misspelt field ("levle") must not quietly save an empty answer over the stored one.
    model_config = ConfigDict(extra="forbid")

    level: int | None = Field(None, ge=1, le=50, description="ladder/milestones: the level reached, 1-based")
    option: str | None = Field(None, max_length=40, description="rating: the option's key")
    not_relevant: bool = False
    notes: str = Field("", max_length=5000)
    target_dates: dict[str, datetime.date] = Field(default_factory=dict, description="milestones: level -> date")
    revision: int | None = Field(
        None,
        ge=0,
        description="The answer's revision you last read (0 if none). If someone has saved since, you get 409.",
    )

    @field_validator("notes", "option")
    @classmethod
    def storable_text(cls, value: str | None) -> str | None:
        # As the web forms do: a database cannot store these, so refuse them here.
        if value is not None and "\x00" in value:
            raise ValueError("Null characters are not allowed.")
        return value


def _invalid(field: str, message: str) -> ValidationError:
    """A 422 in the documented shape: {"detail", "errors": [{"field", "message"}]}."""
    return ValidationError([{"loc": ("body", "payload", *field.split(".")), "msg": message}])


NOT_EDITABLE = "This assessment has been submitted, so its answers can no longer be changed."


class SectionScore(Schema):
    key: str
    title: str
    score: float | None
    change: float | None


class LeftOut(Schema):
    key: str
    title: str
    reason: str


class ScoresOut(Schema):
    assessment: int
    status: str
    overall: float | None
    sections: list[SectionScore]
    strengths: list[str]
    development_needs: list[str]
    left_out: list[LeftOut]
    previous_assessment: int | None
    overall_change: float | None


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _instrument_out(version: InstrumentVersion) -> dict[str, Any]:
    return {
        "key": version.instrument.key,
        "title": version.title,
        "version": version.label,
        "revision": version.revision,
        "publisher": version.publisher,
        "licence": version.licence,
        "description": version.description,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "guidance": s.guidance,
                "condition": s.condition,
                "items": [
                    {
                        "key": i.key,
                        "type": i.type,
                        "prompt": i.prompt,
                        "guidance": i.guidance,
                        "levels": i.levels,
                        "options": i.options,
                        "comments": i.comments,
                    }
                    for i in s.items.all()
                ],
            }
            for s in version.sections.prefetch_related("items")
        ],
    }


def _answer_out(answer) -> dict[str, Any]:
    return {
        "item": answer.item.key,
        "level": answer.level,
        "option": answer.option or None,
        "not_relevant": answer.not_relevant,
        "notes": answer.notes,
        "target_dates": answer.target_dates,
        "revision": answer.revision,
        "suggested": answer.suggested,
    }


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "organisation": assessment.organisation.slug,
        "instrument": assessment.version.instrument.key,
        "version": assessment.version.label,
        "revision": assessment.version.revision,
        "status": assessment.status,
        "started_at": assessment.started_at,
        "submitted_at": assessment.submitted_at,
        "answers": [_answer_out(a) for a in services.answers_for(assessment, include_suggested=True).values()],
    }


def _assessment(request: HttpRequest, pk: int, permission: str) -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("organisation", "version__instrument"), pk=pk)
    require(request.user, permission, assessment)
    return assessment


def _draft(request: HttpRequest, pk: int, permission: str) -> Assessment:
    """An assessment to change: 409 (not 403) once it has been submitted,
    for anyone who may see it."""
    assessment = _assessment(request, pk, "readiness.view_assessment")
    if not assessment.is_draft:
        raise HttpError(409, NOT_EDITABLE)
    require(request.user, permission, assessment)
    return assessment


@router.get(
    "instruments",
    response={200: list[InstrumentOut], **ERRORS},
    operation_id="list_instruments",
    summary="Instruments, with their sections and items in order (latest version of each)",
)
def list_instruments(request: HttpRequest):
    versions = [i.latest_version() for i in Instrument.objects.order_by("key")]
    return [_instrument_out(v) for v in versions if v is not None]


@router.get(
    "organisations/{slug}/assessments",
    response={200: list[AssessmentSummary], **ERRORS},
    operation_id="list_assessments",
    summary="An organisation's assessments, newest first",
)
def list_assessments(request: HttpRequest, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "organisations.view_organisation", organisation)
    return [
        {
            "id": a.pk,
            "instrument": a.version.instrument.key,
            "version": a.version.label,
            "status": a.status,
            "started_at": a.started_at,
            "submitted_at": a.submitted_at,
        }
        for a in organisation.assessments.select_related("version__instrument").order_by("-started_at")
    ]


@router.post(
    "organisations/{slug}/assessments",
    response={201: AssessmentOut, 400: Error, 422: ValidationErrorOut, **ERRORS},
    operation_id="start_assessment",
    summary="Start an assessment with an instrument",
)
def start_assessment(request: HttpRequest, slug: str, payload: StartIn):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "readiness.start_assessment", organisation)
    instrument = Instrument.objects.filter(key=payload.instrument).first()
    if instrument is None or instrument.latest_version() is None:
        raise _invalid("instrument", f"There is no instrument with the key {payload.instrument!r}.")
    assessment = services.start(organisation=organisation, instrument=instrument, by=request.user)
    return Status(201, _assessment_out(assessment))


@router.get(
    "assessments/{pk}",
    response={200: AssessmentOut, **ERRORS},
    operation_id="get_assessment",
    summary="An assessment with its agreed answers",
)
def get_assessment(request: HttpRequest, pk: int):
    return _assessment_out(_assessment(request, pk, "readiness.view_assessment"))


@router.put(
    "assessments/{pk}/answers/{item_key}",
    response={200: AnswerOut, 400: Error, 409: Error, 422: ValidationErrorOut, **ERRORS},
    operation_id="record_answer",
    summary="Record the agreed answer for one item",
    description="409 if someone has saved a different answer since the revision you send, "
    "or if the assessment has been submitted. Leave out `revision` to overwrite whatever is stored.",
)
def record_answer(request: HttpRequest, pk: int, item_key: str, payload: AnswerIn):
    assessment = _draft(request, pk, "readiness.edit_answers")
    applies, left_out = services.split_sections(assessment)
    section = next((s for s in applies for i in s.items.all() if i.key == item_key), None)
    if section is None:
        if any(i.key == item_key for i in assessment.version.items.all()):
            raise ValidationError(
                [
                    {
                        "loc": ("path", "item_key"),
                        "msg": f"The item {item_key!r} is in a section that does not apply to this organisation.",
                    }
                ]
            )
        raise HttpError(404, f"This assessment's instrument has no item {item_key!r}.")
    item = next(i for i in section.items.all() if i.key == item_key)
    value = _validated_answer(item, payload)
    current = services.answers_for(assessment, include_suggested=True).get(item_key)
    seen = payload.revision if payload.revision is not None else (current.revision if current else 0)
    try:
        conflicts = services.save_section(
            assessment=assessment,
            section=section,
            values={item_key: value},
            revisions={item_key: seen},
            by=request.user,
        )
    except services.NotEditable:
        raise HttpError(409, NOT_EDITABLE) from None
    if conflicts:
        theirs = conflicts[0].theirs
        raise HttpError(409, f"Someone else saved this answer (now revision {theirs.revision}). Read it and try again.")
    saved = services.answers_for(assessment).get(item_key)
    if saved is None:
        return {
            "item": item_key,
            "level": None,
            "option": None,
            "not_relevant": False,
            "notes": "",
            "target_dates": {},
            "revision": 0,
            "suggested": False,
        }
    return _answer_out(saved)


def _validated_answer(item, payload: AnswerIn) -> dict[str, Any]:
    if payload.not_relevant and (payload.level is not None or payload.option):
        raise _invalid("not_relevant", "Give a level or an option, or mark the item not relevant, not both.")
    if item.uses_levels:
        if payload.option:
            raise _invalid("option", f"The item {item.key!r} takes a level (1 to {len(item.levels)}), not an option.")
        if payload.level is not None and payload.level > len(item.levels):
            raise _invalid(
                "level", f"The item {item.key!r} has {len(item.levels)} levels; {payload.level} is too high."
            )
    else:
        if payload.level is not None:
            raise _invalid("level", f"The item {item.key!r} takes an option, not a level.")
        keys = [o["key"] for o in item.options]
        if payload.option and payload.option not in keys:
            raise _invalid(
                "option", f"{payload.option!r} is not an option of {item.key!r}; choose one of {', '.join(keys)}."
            )
    target_dates = {}
    if payload.target_dates:
        if item.type != "milestones":
            raise _invalid("target_dates", f"The item {item.key!r} does not take target dates.")
        for level, date in payload.target_dates.items():
            if not level.isdigit() or not 2 <= int(level) <= len(item.levels):
                raise _invalid(
                    "target_dates", f"Target dates are for levels 2 to {len(item.levels)}; {level!r} is not one."
                )
            target_dates[str(int(level))] = date.isoformat()
    return {
        "level": payload.level,
        "option": payload.option or "",
        "not_relevant": payload.not_relevant,
        "notes": payload.notes.strip(),
        "target_dates": target_dates,
    }


@router.post(
    "assessments/{pk}/submit",
    response={200: AssessmentOut, 409: Error, **ERRORS},
    operation_id="submit_assessment",
    summary="Submit an assessment, freezing its answers",
)
def submit_assessment(request: HttpRequest, pk: int):
    assessment = _draft(request, pk, "readiness.submit_assessment")
    try:
        return _assessment_out(services.submit(assessment=assessment, by=request.user))
    except services.NotEditable:
        raise HttpError(409, NOT_EDITABLE) from None


@router.get(
    "assessments/{pk}/scores",
    response={200: ScoresOut, **ERRORS},
    operation_id="get_scores",
    summary="Scores exactly as the results page shows them (one decimal place)",
)
def get_scores(request: HttpRequest, pk: int):
    assessment = _assessment(request, pk, "readiness.view_results")
    r = results.results_for(assessment)
    return {
        "assessment": assessment.pk,
        "status": assessment.status,
        "overall": _number(r.overall),
        "sections": [
            {"key": s.key, "title": s.title, "score": _number(s.score), "change": _number(s.change)} for s in r.sections
        ],
        "strengths": [s.key for s in r.strengths],
        "development_needs": [s.key for s in r.needs],
        "left_out": r.left_out,
        "previous_assessment": r.previous.pk if r.previous else None,
        "overall_change": _number(r.overall_change),
    }
