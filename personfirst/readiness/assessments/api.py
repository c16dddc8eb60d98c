"""API: instruments, assessments, answers, submission and scores.

Scores are exactly those on the results page (readiness.results)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, StrictBool, field_validator

from personfirst.core.access.shortcuts import require
from personfirst.core.api.schemas import BODY_ERRORS, ERRORS, PARAMETER_ERRORS, DateText, Slug, storable, text, whole
from personfirst.core.concurrency import ConflictError
from personfirst.core.definitions.context import MAX_LENGTH as MAX_CONTEXT_TEXT
from personfirst.core.definitions.evidence import ACHIEVED_INVALID, MAX_EVIDENCE
from personfirst.core.definitions.items import MAX_NOTES
from personfirst.core.organisations.models import Organisation
from personfirst.core.validation import Invalid
from personfirst.readiness.assessments import results, services
from personfirst.readiness.assessments.instrument_file import (
    KEY_PATTERN,
    MAX_INSTRUMENT_KEY,
    MAX_LEVELS,
    MAX_OPTION_KEY,
)
from personfirst.readiness.assessments.milestones import LEVEL_KEY
from personfirst.readiness.assessments.models import Answer, Assessment, Instrument, InstrumentVersion

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
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="What else the item's type reads: paired items' i and we statements; evidence: true when the "
        "item asks for evidence and a date achieved",
    )


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
    dont_know: bool = Field(description="Answered ‘Don’t know’ (items that offer it): recorded, never scored")
    text: str = Field(description="context questions with a written answer: the answer ('' otherwise)")
    notes: str
    target_dates: dict[str, str]
    we_option: str | None = Field(None, description="paired: the organisation's own rating (option: what people say)")
    gap: float | None = Field(
        None, description="paired: the organisation's score minus the people's, to one decimal place"
    )
    evidence: str = ""
    achieved_on: datetime.date | None = None
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

    instrument: str = Field(
        ...,
        min_length=1,
        max_length=MAX_INSTRUMENT_KEY,
        pattern=KEY_PATTERN.pattern,
        description="An instrument key, e.g. health-check (see list_instruments)",
    )
    language: Literal["en", "cy"] = Field(
        "en",
        description="The language of the questions: en, or cy where the instrument has a Welsh version",
    )


class AnswerIn(Schema):
    # A misspelt field ("levle") must not quietly save an empty answer over the stored one.
    model_config = ConfigDict(extra="forbid")

    # Only the shape is checked here; what the answer means (a level the item
    # has, an option of it, target dates for its levels, the length of the
    # notes) is checked by the service, through the item's type, in the words
    # the web page uses too.
    level: whole(ge=1, le=MAX_LEVELS) | None = Field(None, description="ladder/milestones: the level reached, 1-based")
    option: str | None = text(
        None, max_length=MAX_OPTION_KEY, description="rating: the option's key; paired: what people tell you"
    )
    we_option: str | None = text(
        None, max_length=MAX_OPTION_KEY, description="paired: the organisation's own rating (an option's key)"
    )
    evidence: str = text("", service={"maxLength": MAX_EVIDENCE}, description="items that ask for evidence")
    achieved_on: DateText | None = Field(
        None, description="items that ask for evidence, with the highest answer: when it was reached (YYYY-MM-DD)"
    )
    not_relevant: StrictBool = False
    dont_know: StrictBool = Field(False, description="‘Don’t know’, for items that offer it")
    notes: str = text("", service={"maxLength": MAX_NOTES})
    # Last: in the class body this name hides the helper ``text`` from here on.
    text: str = text("", service={"maxLength": MAX_CONTEXT_TEXT}, description="context: a written answer")
    target_dates: dict[str, DateText] = Field(
        default_factory=dict,
        description="milestones: level (2 and up, in the digits 0-9) -> date (YYYY-MM-DD)",
        json_schema_extra={"propertyNames": {"pattern": f"^{LEVEL_KEY.pattern}$"}},
    )
    revision: whole(ge=0) | None = Field(
        None,
        description="The answer's revision you last read (0 if none). If someone has saved since, you get 409.",
    )

    @field_validator("notes", "option", "text", "we_option", "evidence")
    @classmethod
    def storable_text(cls, value: str | None) -> str | None:
        # As the web forms do: a database cannot store these, so refuse them here.
        return storable(value)


def _invalid(field: str, message: str) -> ValidationError:
    """A 422 in the documented shape: {"detail", "errors": [{"field", "message"}]}."""
    return ValidationError([{"loc": ("body", "payload", *field.split(".")), "msg": message}])


class AnswerConflict(Schema):
    detail: str = Field(description="What happened; nothing was saved")
    current: AnswerOut | None = Field(description="The answer as it is stored now (null: none yet)")


class AssessmentConflict(Schema):
    detail: str = Field(description="What happened; nothing was changed")
    current: AssessmentOut = Field(description="The assessment as it is now")


class SectionScore(Schema):
    key: str
    title: str
    score: float | None
    change: float | None
    gap: float | None = Field(
        None,
        description="Sections with paired items: the mean gap (the organisation's score minus the people's); "
        "above 0, it rates itself above what people say",
    )


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
                        "settings": i.settings or {},
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
        "dont_know": answer.dont_know,
        "text": answer.text,
        "notes": answer.notes,
        "target_dates": answer.target_dates,
        "we_option": answer.we_option or None,
        "gap": _number(results.scoring.one_decimal(answer.gap)),
        "evidence": answer.evidence,
        "achieved_on": answer.achieved_on,
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
    """An assessment to change: NotEditable (409, not 403) once it has been
    submitted, for anyone who may see it."""
    assessment = _assessment(request, pk, "readiness.view_assessment")
    if not assessment.is_draft:
        raise services.NotEditable(assessment)
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
    response={200: list[AssessmentSummary], **PARAMETER_ERRORS, **ERRORS},
    operation_id="list_assessments",
    summary="An organisation's assessments, newest first",
)
def list_assessments(request: HttpRequest, slug: Slug):
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
    response={201: AssessmentOut, **BODY_ERRORS, **ERRORS},
    operation_id="start_assessment",
    summary="Start an assessment with an instrument",
)
def start_assessment(request: HttpRequest, slug: Slug, payload: StartIn):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "readiness.start_assessment", organisation)
    instrument = Instrument.objects.filter(key=payload.instrument).first()
    if instrument is None or instrument.latest_version() is None:
        raise _invalid("instrument", f"There is no instrument with the key {payload.instrument!r}.")
    assessment = services.start(
        organisation=organisation, instrument=instrument, by=request.user, language=payload.language
    )
    return Status(201, _assessment_out(assessment))


@router.get(
    "assessments/{pk}",
    response={200: AssessmentOut, **PARAMETER_ERRORS, **ERRORS},
    operation_id="get_assessment",
    summary="An assessment with its agreed answers",
)
def get_assessment(request: HttpRequest, pk: int):
    return _assessment_out(_assessment(request, pk, "readiness.view_assessment"))


@router.put(
    "assessments/{pk}/answers/{item_key}",
    response={200: AnswerOut, 409: AnswerConflict, **BODY_ERRORS, **ERRORS},
    operation_id="record_answer",
    summary="Record the agreed answer for one item",
    description="409, with the answer as it is stored now, if someone has saved a different answer since the "
    "revision you send, or if the assessment has been submitted. Leave out `revision` to overwrite whatever is "
    "stored.",
)
def record_answer(request: HttpRequest, pk: int, item_key: str, payload: AnswerIn):
    try:
        return _record_answer(request, pk, item_key, payload)
    except ConflictError as conflict:
        stored = Answer.objects.filter(assessment_id=pk, item__key=item_key, respondent=None).select_related("item")
        current = stored.first()
        return Status(409, {"detail": conflict.message, "current": _answer_out(current) if current else None})


def _record_answer(request: HttpRequest, pk: int, item_key: str, payload: AnswerIn):
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
    value = {
        "level": payload.level,
        "option": payload.option or "",
        "not_relevant": payload.not_relevant,
        "dont_know": payload.dont_know,
        "text": payload.text,
        "notes": payload.notes,
        "target_dates": payload.target_dates,
    }
    if payload.achieved_on == "":
        raise _invalid("achieved_on", ACHIEVED_INVALID)  # a date or null, as the document says
    for name in ("we_option", "evidence", "achieved_on"):
        if getattr(payload, name) is not None:
            value[name] = getattr(payload, name)
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
    except Invalid as invalid:
        raise invalid.inside(item_key) from None  # fields as this operation names them: "level", "notes"
    if conflicts:
        theirs = conflicts[0].theirs
        if theirs is None:
            raise ConflictError(
                f"There is no answer yet for {item_key!r} (revision 0), so revision {seen} is not one you read. "
                "Send revision 0, or leave revision out.",
                None,
            )
        raise ConflictError(
            f"Someone else saved this answer (now revision {theirs.revision}). Read it and try again.", theirs
        )
    saved = services.answers_for(assessment).get(item_key)
    if saved is None:
        return {
            "item": item_key,
            "level": None,
            "option": None,
            "not_relevant": False,
            "dont_know": False,
            "text": "",
            "notes": "",
            "target_dates": {},
            "revision": 0,
            "suggested": False,
        }
    return _answer_out(saved)


@router.post(
    "assessments/{pk}/submit",
    response={200: AssessmentOut, 409: AssessmentConflict, **PARAMETER_ERRORS, **ERRORS},
    operation_id="submit_assessment",
    summary="Submit an assessment, freezing its answers",
    description="409, with the assessment as it is now, if it has been submitted already.",
)
def submit_assessment(request: HttpRequest, pk: int):
    try:
        assessment = _draft(request, pk, "readiness.submit_assessment")
        return _assessment_out(services.submit(assessment=assessment, by=request.user))
    except services.NotEditable as conflict:
        return Status(409, {"detail": conflict.message, "current": _assessment_out(conflict.current)})


@router.get(
    "assessments/{pk}/scores",
    response={200: ScoresOut, **PARAMETER_ERRORS, **ERRORS},
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
            {
                "key": s.key,
                "title": s.title,
                "score": _number(s.score),
                "change": _number(s.change),
                "gap": _number(s.gap),
            }
            for s in r.sections
        ],
        "strengths": [s.key for s in r.strengths],
        "development_needs": [s.key for s in r.needs],
        "left_out": r.left_out,
        "previous_assessment": r.previous.pk if r.previous else None,
        "overall_change": _number(r.overall_change),
    }
