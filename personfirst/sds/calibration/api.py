"""API: calibration files (check, then import the good rows), imports, and
their fit and equity report. The same rules (calibration.manage, on the
council area) and services as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from personfirst.core.access.shortcuts import require
from personfirst.core.api.schemas import BODY_ERRORS, ERRORS, PARAMETER_ERRORS, Error, text
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import CouncilArea

from . import csvfile, fitting, presenting, services
from .models import CalibrationImport, CalibrationUpload

router = Router(tags=["RAS calibration"])


class CalibrationFileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    file_name: str = text(..., max_length=200, description="The file's name, to know it by")
    content: str = text(..., description="The CSV file's text (docs/sds.md: the columns)")


class CalibrationProblemOut(Schema):
    line: int
    column: str | None
    problem: str
    message: str = Field(description="line N: column X: problem")


class CalibrationReportOut(Schema):
    id: int = Field(description="The checked file: import its good rows with .../calibration-uploads/{id}/import")
    file_name: str
    good_rows: int
    bad_rows: int
    refused: bool = Field(description="A problem with the whole file (its header): nothing can be imported")
    problems: list[CalibrationProblemOut]


class CalibrationImportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    good_rows: int = Field(..., ge=1, description="The number of good rows the report gave, which you agree to import")


class CalibrationImportOut(Schema):
    id: int
    council_area: str
    file_name: str
    row_count: int
    bad_rows_left_out: int
    imported_by: str | None
    imported_at: datetime.datetime


class ResidualsOut(Schema):
    lowest: Decimal
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    highest: Decimal
    root_mean_square: Decimal


class QualityOut(Schema):
    r_squared: Decimal
    within_10_percent: Decimal = Field(description="Share of packages funded within ±10 % of their cost, 0 to 1")
    within_10_percent_count: int
    residuals: ResidualsOut = Field(description="Cost less the fitted amount, £ a week")


class LineFitOut(Schema):
    intercept: Decimal = Field(description="£ a week added to every package (0 for the fit through zero)")
    price_per_point: Decimal
    quality: QualityOut


class BandOut(Schema):
    from_points: int
    to_points: int | None
    packages: int
    weekly: Decimal


class BandFitOut(Schema):
    given: bool
    bands: list[BandOut]
    quality: QualityOut


class FitOut(Schema):
    packages: int
    lowest_points: int
    highest_points: int
    average_cost: Decimal
    through_zero: LineFitOut
    with_intercept: LineFitOut
    bands: BandFitOut


class GroupOut(Schema):
    code: str
    title: str
    count: int | None = Field(
        description="null: hidden (fewer than 5, or hidden so that one that is cannot be worked out)"
    )
    difference: Decimal | None = Field(description="£ a week against the rest with the same points")
    low: Decimal | None = Field(description="95 % interval, lower end")
    high: Decimal | None
    below_the_rest: bool
    above_the_rest: bool
    note: str


class CategoryOut(Schema):
    key: str
    title: str
    groups: list[GroupOut]


class EquityOut(Schema):
    packages: int
    categories: list[CategoryOut]


class FitQuery(Schema):
    bands: str | None = Field(
        None, max_length=200, description="Band starts in points, like 0,10,20,40 (default: fifths)"
    )


def _area(request: HttpRequest, code: str) -> CouncilArea:
    area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "calibration.manage", area)
    return area


def _import_out(made: CalibrationImport) -> dict:
    return {
        "id": made.pk,
        "council_area": made.council_area.code,
        "file_name": made.file_name,
        "row_count": made.row_count,
        "bad_rows_left_out": made.bad_rows_left_out,
        "imported_by": made.imported_by.display_name if made.imported_by else None,
        "imported_at": made.imported_at,
    }


def _report_out(upload: CalibrationUpload, result: csvfile.Result) -> dict:
    return {
        "id": upload.pk,
        "file_name": upload.file_name,
        "good_rows": len(result.rows),
        "bad_rows": result.bad_lines,
        "refused": result.refused,
        "problems": [
            {"line": p.line, "column": p.column, "problem": p.text, "message": str(p)} for p in result.problems
        ],
    }


@router.get(
    "councils/{code}/calibration-imports",
    response={200: list[CalibrationImportOut], **PARAMETER_ERRORS, **ERRORS},
    summary="The council's calibration imports, newest first (its council administrators)",
    operation_id="list_calibration_imports",
)
def list_calibration_imports(request: HttpRequest, code: str):
    area = _area(request, code)
    return [_import_out(m) for m in area.calibration_imports.select_related("council_area", "imported_by")]


@router.post(
    "councils/{code}/calibration-uploads",
    response={201: CalibrationReportOut, **BODY_ERRORS, **ERRORS},
    summary="Check a calibration file: every bad row by line, and how many are good (nothing is imported yet)",
    operation_id="check_calibration_file",
)
def check_calibration_file(request: HttpRequest, code: str, payload: CalibrationFileIn):
    area = _area(request, code)
    upload, result = services.check_upload(request.user, area, payload.file_name, payload.content)
    return Status(201, _report_out(upload, result))


def _upload(request, code: str, upload_id: int) -> CalibrationUpload:
    area = _area(request, code)
    return get_object_or_404(CalibrationUpload, pk=upload_id, council_area=area, uploaded_by=request.user)


@router.post(
    "councils/{code}/calibration-uploads/{upload_id}/import",
    response={201: CalibrationImportOut, 409: Error, **BODY_ERRORS, **ERRORS},
    summary="Import the good rows of a checked file: all of them, in one go, or none",
    operation_id="import_calibration_file",
)
def import_calibration_file(request: HttpRequest, code: str, upload_id: int, payload: CalibrationImportIn):
    upload = _upload(request, code, upload_id)
    try:
        made = services.confirm(request.user, upload, payload.good_rows)
    except services.ImportRefused as refused:
        raise ValidationError([{"loc": ("body", "payload", "good_rows"), "msg": str(refused)}]) from None
    except ConflictError as conflict:
        return Status(409, {"detail": conflict.message})
    return Status(201, _import_out(made))


@router.delete(
    "councils/{code}/calibration-uploads/{upload_id}",
    response={204: None, 409: Error, **PARAMETER_ERRORS, **ERRORS},
    summary="Give up a checked file without importing it",
    operation_id="give_up_calibration_file",
)
def give_up_calibration_file(request: HttpRequest, code: str, upload_id: int):
    upload = _upload(request, code, upload_id)
    try:
        services.give_up(upload)
    except ConflictError as conflict:
        return Status(409, {"detail": conflict.message})
    return Status(204, None)


def _import(request, code: str, import_id: int) -> CalibrationImport:
    area = _area(request, code)
    return get_object_or_404(CalibrationImport, pk=import_id, council_area=area)


@router.get(
    "councils/{code}/calibration-imports/{import_id}/fit",
    response={200: FitOut, **PARAMETER_ERRORS, **ERRORS},
    summary="Fit a price per point (with and without a fixed amount) and a band table to an import",
    operation_id="get_calibration_fit",
)
def get_calibration_fit(request: HttpRequest, code: str, import_id: int, query: Query[FitQuery]):
    made = _import(request, code, import_id)
    try:
        starts = presenting.band_starts(query.bands)
    except presenting.BandsError as problem:
        raise ValidationError([{"loc": ("query", "bands"), "msg": str(problem)}]) from None
    try:
        fit = services.fit(made, starts)
    except fitting.FitError as problem:
        raise ValidationError([{"loc": ("path", "import_id"), "msg": str(problem)}]) from None
    return presenting.fit_out(fit)


@router.get(
    "councils/{code}/calibration-imports/{import_id}/equity",
    response={200: EquityOut, **PARAMETER_ERRORS, **ERRORS},
    summary="The equity report: for the same points, do costs differ by age band, client group, carer present?",
    operation_id="get_calibration_equity",
)
def get_calibration_equity(request: HttpRequest, code: str, import_id: int):
    made = _import(request, code, import_id)
    try:
        report = services.equity_report(made)
    except fitting.FitError as problem:
        raise ValidationError([{"loc": ("path", "import_id"), "msg": str(problem)}]) from None
    return presenting.equity_out(report)
