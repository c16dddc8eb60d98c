"""API: an organisation's action plan. The same services and permissions
as the plan pages (``plans.view_plan`` to read, ``plans.change_plan`` to
change)."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, field_validator

from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.models import Organisation
from personfirst.readiness.plans import services
from personfirst.readiness.plans.models import Action, ActionStatus

from .schemas import BODY_ERRORS, ERRORS, Error

router = Router(tags=["Action plans"])

StatusCode = Enum("StatusCode", {code: code for code in ActionStatus.values}, type=str)
ChoosableStatus = Enum("ChoosableStatus", {str(code): str(code) for code in services.CHOOSABLE_STATUSES}, type=str)


class NoteOut(Schema):
    text: str
    written_by: str | None
    written_at: datetime.datetime


class ActionOut(Schema):
    id: int
    organisation: str
    title: str = Field(description="What will be done")
    why: str
    detail: str
    owner: str = Field(description="Who will make sure it happens (free text)")
    due_date: datetime.date | None
    status: str = Field(description="suggested, not_started, in_progress, done or dropped (not for us)")
    overdue: bool
    source: str = Field(description="library (suggested), target_date (a milestone's target date) or own")
    instrument: str | None
    item: str | None
    assessment: int | None
    position: int
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    notes: list[NoteOut]


def _storable(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


class ActionIn(Schema):
    # A misspelt field, or a body that is not an object, is an error, not a silent no-op.
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=200, description="What will be done")
    why: str = Field("", max_length=2000)
    owner: str = Field("", max_length=120)
    due_date: datetime.date | None = None

    @field_validator("title", "why", "owner")
    @classmethod
    def storable_text(cls, value: str) -> str:
        return _storable(value)

    @field_validator("title")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Say what will be done.")
        return value


class ActionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    why: str | None = Field(None, max_length=2000)
    owner: str | None = Field(None, max_length=120)
    due_date: datetime.date | None = Field(None, description="null removes the due date")
    status: ChoosableStatus | None = Field(
        None, description="not_started, in_progress, done or dropped; accept a suggestion with its own operation"
    )

    @field_validator("title", "why", "owner")
    @classmethod
    def storable_text(cls, value: str | None) -> str | None:
        return _storable(value)

    @field_validator("title")
    @classmethod
    def not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("Say what will be done.")
        return value


def _invalid(field: str, message: str) -> ValidationError:
    """A 422 in the documented shape: {"detail", "errors": [{"field", "message"}]}."""
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


def _out(action: Action, today: datetime.date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "organisation": action.organisation.slug,
        "title": action.title,
        "why": action.why,
        "detail": action.detail,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue(today),
        "source": action.source,
        "instrument": action.instrument_key or None,
        "item": action.item_key or None,
        "assessment": action.assessment_id,
        "position": action.position,
        "created_at": action.created_at,
        "completed_at": action.completed_at,
        "notes": [
            {
                "text": note.text,
                "written_by": note.written_by.display_name if note.written_by else None,
                "written_at": note.written_at,
            }
            for note in action.notes.all()
        ],
    }


def _organisation(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, permission, organisation)
    return organisation


def _action(request: HttpRequest, pk: int, permission: str) -> Action:
    action = get_object_or_404(Action.objects.select_related("organisation"), pk=pk)
    require(request.user, permission, action.organisation)
    return action


def _suggestion(request: HttpRequest, pk: int) -> Action:
    action = _action(request, pk, "plans.change_plan")
    if action.status != ActionStatus.SUGGESTED:
        raise HttpError(409, "This action is not a suggestion waiting for a decision: it has been decided already.")
    return action


@router.get(
    "organisations/{slug}/plan/actions",
    response={200: list[ActionOut], **ERRORS},
    operation_id="list_plan_actions",
    summary="An organisation's plan: its actions in order, suggestions included",
    description="Without `status`, every action except those set aside as not for us (`dropped`).",
)
def list_plan_actions(request: HttpRequest, slug: str, status: Query[StatusCode | None] = None):
    organisation = _organisation(request, slug, "plans.view_plan")
    actions = Action.objects.filter(organisation=organisation).select_related("organisation")
    actions = actions.filter(status=status.value) if status else actions.exclude(status=ActionStatus.DROPPED)
    today = timezone.localdate()
    return [_out(a, today) for a in actions.prefetch_related("notes__written_by").order_by("position", "pk")]


@router.post(
    "organisations/{slug}/plan/actions",
    response={201: ActionOut, **BODY_ERRORS, **ERRORS},
    operation_id="create_plan_action",
    summary="Add your own action to the end of the plan",
)
def create_plan_action(request: HttpRequest, slug: str, payload: ActionIn):
    organisation = _organisation(request, slug, "plans.change_plan")
    action = services.add_own(
        organisation,
        title=payload.title.strip(),
        why=payload.why.strip(),
        owner=payload.owner.strip(),
        due_date=payload.due_date,
        by=request.user,
    )
    return Status(201, _out(action, timezone.localdate()))


@router.get(
    "plan/actions/{pk}",
    response={200: ActionOut, **ERRORS},
    operation_id="get_plan_action",
    summary="One action, with its progress notes",
)
def get_plan_action(request: HttpRequest, pk: int):
    return _out(_action(request, pk, "plans.view_plan"), timezone.localdate())


@router.patch(
    "plan/actions/{pk}",
    response={200: ActionOut, 409: Error, **BODY_ERRORS, **ERRORS},
    operation_id="update_plan_action",
    summary="Change an action: what, why, owner, due date or status",
    description="Send only what changes. 409 for a suggestion: accept it first.",
)
def update_plan_action(request: HttpRequest, pk: int, payload: ActionPatch):
    action = _action(request, pk, "plans.change_plan")
    if action.status == ActionStatus.SUGGESTED:
        raise HttpError(409, "This is a suggestion waiting for a decision. Accept it before you change it.")
    changes = payload.dict(exclude_unset=True)
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise _invalid(name, f"{name} cannot be null; leave it out to keep it as it is.")
    for name in ("title", "why", "owner"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "status" in changes:
        changes["status"] = payload.status.value
    services.update(action, by=request.user, **changes)
    return _out(action, timezone.localdate())


@router.post(
    "plan/actions/{pk}/accept",
    response={200: ActionOut, 409: Error, **ERRORS},
    operation_id="accept_suggestion",
    summary="Accept a suggestion into the plan (at the end, not started)",
)
def accept_suggestion(request: HttpRequest, pk: int):
    action = services.accept(_suggestion(request, pk), by=request.user)
    return _out(action, timezone.localdate())


@router.post(
    "plan/actions/{pk}/drop",
    response={200: ActionOut, 409: Error, **ERRORS},
    operation_id="drop_suggestion",
    summary="Set a suggestion aside as not for us (it is not suggested again)",
)
def drop_suggestion(request: HttpRequest, pk: int):
    action = services.drop(_suggestion(request, pk), by=request.user)
    return _out(action, timezone.localdate())
