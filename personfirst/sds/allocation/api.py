"""API: a council's RAS versions. The same rules (allocation/rules.py),
services and checks as the admin pages: uploading stores a draft (every
problem of the file as FILE:LINE, nothing stored), the impact preview is
impact.preview, publishing is services.publish (409 when someone published
it first)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from personfirst.core.access.shortcuts import require
from personfirst.core.api.schemas import BODY_ERRORS, ERRORS, NO_NULL, PARAMETER_ERRORS, Date
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import CouncilArea

from . import impact, services
from .models import RasVersion

router = Router(tags=["Resource allocation"])


class RasQuestionOut(Schema):
    question: str
    points: dict[str, int] = Field(description="Points for each answer (option key)")


class RasDomainOut(Schema):
    key: str
    title: str
    cap: int = Field(description="The most points the domain counts")
    carer_only: bool = Field(description="Counted only when a carer is present")
    questions: list[RasQuestionOut]


class RasBandOut(Schema):
    from_points: int
    weekly: Decimal


class RasVersionOut(Schema):
    id: int
    council: str = Field(description="The council area's ONS code")
    key: str
    version: int
    title: str
    status: str = Field(description="draft, published, or in-force (the council's version in force today)")
    effective_from: datetime.date
    published_at: datetime.datetime | None


class RasVersionDetailOut(RasVersionOut):
    price_per_point: Decimal | None = Field(description="Pounds a point; null when bands convert points")
    bands: list[RasBandOut]
    contingency_percent: Decimal
    round_to: Decimal
    rounding: str = Field(description="up, or nearest")
    ceiling_weekly: Decimal | None = Field(description="Above this weekly amount the case goes to a panel")
    domains: list[RasDomainOut]
    source: str = Field(description="The RAS file as stored")


class RasUploadIn(Schema):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field("ras.yaml", max_length=200, pattern=NO_NULL, description="Named in the problems")
    source: str = Field(..., max_length=200_000, pattern=NO_NULL, description="The RAS file's text (YAML)")


class RasPublishIn(Schema):
    model_config = ConfigDict(extra="forbid")
    effective_from: Date = Field(..., description="Today or later (YYYY-MM-DD)")


class RasPublishedOut(Schema):
    version: RasVersionOut
    budgets_made: int = Field(description="New indicative budgets made at once (0 when it takes effect later)")


class RasConflict(Schema):
    detail: str
    current: RasVersionOut | None


class ImpactGroupOut(Schema):
    label: str
    people: int | None = Field(description="null: not shown (fewer than 5 people, or would reveal a group that is)")
    bands: dict[str, int | None]


class ImpactOut(Schema):
    version: RasVersionOut
    people: int | None = Field(description="People with an agreed self-assessment; null when fewer than 5")
    bands: dict[str, int | None] = Field(
        description="People in each band of change; null where fewer than 5, or where that would reveal one that is"
    )
    band_labels: dict[str, str]
    up_more_than_10_percent: int | None
    down_more_than_10_percent: int | None
    weekly_before: Decimal | None = Field(description="The current budgets' weekly total (figures only)")
    weekly_after: Decimal | None = Field(description="This version's weekly total for the same people")
    groups: dict[str, list[ImpactGroupOut]] = Field(description="The same bands by age band and by team")


def _area(code: str) -> CouncilArea:
    return get_object_or_404(CouncilArea, code=code)


def _in_force_pk(area) -> int | None:
    current = services.current_ras(area)
    return current.pk if current else None


def _out(version: RasVersion, in_force: int | None) -> dict:
    return {
        "id": version.pk,
        "council": version.council_area.code,
        "key": version.key,
        "version": version.version,
        "title": version.title,
        "status": version.status(in_force),
        "effective_from": version.effective_from,
        "published_at": version.published_at,
    }


def _detail(version: RasVersion) -> dict:
    ras = version.ras()
    return {
        **_out(version, _in_force_pk(version.council_area)),
        "price_per_point": ras.price_per_point,
        "bands": [{"from_points": b.from_points, "weekly": b.weekly} for b in ras.bands],
        "contingency_percent": ras.contingency_percent,
        "round_to": ras.round_to,
        "rounding": "up" if ras.round_up else "nearest",
        "ceiling_weekly": ras.ceiling_weekly,
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "cap": d.cap,
                "carer_only": d.carer_only,
                "questions": [{"question": q.key, "points": dict(q.points)} for q in d.questions],
            }
            for d in ras.domains
        ],
        "source": version.source,
    }


def _version(request: HttpRequest, code: str, version_id: int, permission: str) -> RasVersion:
    version = get_object_or_404(
        RasVersion.objects.select_related("council_area"), pk=version_id, council_area__code=code
    )
    require(request.user, permission, version)
    return version


@router.get(
    "councils/{code}/ras-versions",
    response={200: list[RasVersionOut], **PARAMETER_ERRORS, **ERRORS},
    summary="A council's RAS versions, newest first: the published ones, and drafts for its administrators",
    operation_id="list_ras_versions",
)
def list_ras_versions(request: HttpRequest, code: str):
    area = _area(code)
    versions = area.ras_versions.select_related("council_area").order_by("-effective_from", "-version", "-pk")
    if not request.user.has_perm("allocation.manage_ras", area):
        versions = versions.filter(published_at__isnull=False)
    in_force = _in_force_pk(area)
    return [_out(v, in_force) for v in versions]


@router.get(
    "councils/{code}/ras-versions/{version_id}",
    response={200: RasVersionDetailOut, **PARAMETER_ERRORS, **ERRORS},
    summary="One RAS version in full: every answer's points, caps, conversion, contingency, rounding, ceiling",
    operation_id="get_ras_version",
)
def get_ras_version(request: HttpRequest, code: str, version_id: int):
    return _detail(_version(request, code, version_id, "allocation.view_ras_version"))


@router.post(
    "councils/{code}/ras-versions",
    response={201: RasVersionDetailOut, 200: RasVersionDetailOut, **BODY_ERRORS, **ERRORS},
    summary="Upload a RAS file as a draft (the council's administrators); 422 lists every problem as FILE:LINE",
    operation_id="upload_ras_version",
)
def upload_ras_version(request: HttpRequest, code: str, payload: RasUploadIn):
    from personfirst.sds.selfassessment.services import ras_fits_questionnaire

    area = _area(code)
    require(request.user, "allocation.manage_ras", area)
    try:
        version, stored = services.load_ras(
            payload.source, payload.filename, council_area=area, by=request.user, check=ras_fits_questionnaire
        )
    except services.RasLoadError as error:
        raise ValidationError([{"loc": ("body", "payload", "source"), "msg": p} for p in error.problems]) from None
    return Status(201 if stored else 200, _detail(version))


@router.get(
    "councils/{code}/ras-versions/{version_id}/impact",
    response={200: ImpactOut, **PARAMETER_ERRORS, **ERRORS},
    summary="What publishing this version would do to every current person's indicative budget (counts only)",
    operation_id="preview_ras_impact",
)
def preview_ras_impact(request: HttpRequest, code: str, version_id: int):
    version = _version(request, code, version_id, "allocation.preview_ras_version")
    result = impact.preview(version)
    return {
        "version": _out(version, _in_force_pk(version.council_area)),
        "people": result.people,
        "bands": result.bands,
        "band_labels": impact.BANDS,
        "up_more_than_10_percent": result.up_more,
        "down_more_than_10_percent": result.down_more,
        "weekly_before": result.weekly_before,
        "weekly_after": result.weekly_after,
        "groups": {
            name: [{"label": r.label, "people": r.people, "bands": r.bands} for r in rows]
            for name, rows in result.groups.items()
        },
    }


@router.post(
    "councils/{code}/ras-versions/{version_id}/publish",
    response={200: RasPublishedOut, 409: RasConflict, **BODY_ERRORS, **ERRORS},
    summary="Publish a draft from a date (the council's administrators); 409 if it is already published",
    operation_id="publish_ras_version",
)
def publish_ras_version(request: HttpRequest, code: str, version_id: int, payload: RasPublishIn):
    version = _version(request, code, version_id, "allocation.publish_ras_version")
    try:
        done = services.publish(version, by=request.user, effective_from=payload.effective_from)
    except services.PublishError as error:
        raise ValidationError([{"loc": ("body", "payload", "effective_from"), "msg": str(error)}]) from None
    except ConflictError as conflict:
        current = conflict.current
        out = _out(current, _in_force_pk(current.council_area)) if current else None
        return Status(409, {"detail": conflict.message, "current": out})
    return {"version": _out(version, _in_force_pk(version.council_area)), "budgets_made": done.budgets_made}
