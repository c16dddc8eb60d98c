"""Calibration pages, for the council administrators of the area: import
costed packages (upload, the report, import the good rows), the fit and the
equity report. Thin: the rules are rules.py's, the work services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from personfirst.core.access.disclosure import MINIMUM
from personfirst.core.access.shortcuts import require
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import CouncilArea
from personfirst.core.ui.charts import content_security_policy

from . import charts, fitting, groups, services
from .forms import BandsForm, UploadForm
from .models import CalibrationImport, CalibrationUpload

PROBLEMS_SHOWN = 1_000


def _area(request: HttpRequest, code: str) -> CouncilArea:
    area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "calibration.manage", area)
    return area


@login_required
def imports(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(request, code)
    context = {
        "area": area,
        "imports": area.calibration_imports.select_related("imported_by"),
        "waiting": CalibrationUpload.objects.filter(council_area=area, uploaded_by=request.user).defer("content"),
    }
    return render(request, "calibration/imports.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(request, code)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        checked, _result = services.check_upload(request.user, area, file.name, file.read())
        return redirect("calibration:report", code=area.code, upload_id=checked.pk)
    context = {"area": area, "form": form, "age_bands": groups.AGE_BANDS, "client_groups": groups.CLIENT_GROUPS}
    return render(request, "calibration/upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str, upload_id: int) -> HttpResponse:
    area = _area(request, code)
    checked = get_object_or_404(CalibrationUpload, pk=upload_id, council_area=area, uploaded_by=request.user)
    refused_because = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "give-up":
                services.give_up(checked)
                messages.success(request, f"{checked.file_name} was not imported.")
                return redirect("calibration:imports", code=area.code)
            try:
                good_rows = int(request.POST.get("good_rows", ""))
            except ValueError:
                good_rows = -1
            made = services.confirm(request.user, checked, good_rows)
        except ConflictError as conflict:
            messages.error(request, conflict.message)
            return redirect("calibration:imports", code=area.code)
        except services.ImportRefused as refused:
            refused_because = str(refused)
        else:
            messages.success(request, f"{made.row_count:,} packages from {made.file_name} were imported.")
            return redirect("calibration:fit", code=area.code, import_id=made.pk)
    result = services.report(checked)
    context = {
        "area": area,
        "upload": checked,
        "result": result,
        "problems": result.problems[:PROBLEMS_SHOWN],
        "more_problems": max(0, len(result.problems) - PROBLEMS_SHOWN),
        "good_rows": len(result.rows),
        "refused_because": refused_because,
    }
    return render(request, "calibration/report.html", context, status=422 if refused_because else 200)


def _import(request: HttpRequest, code: str, import_id: int) -> tuple[CouncilArea, CalibrationImport]:
    area = _area(request, code)
    return area, get_object_or_404(
        CalibrationImport.objects.select_related("imported_by"), pk=import_id, council_area=area
    )


@login_required
def fit(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    area, made = _import(request, code, import_id)
    form = BandsForm(request.GET or None)
    starts = form.cleaned_data["bands"] if form.is_bound and form.is_valid() else None
    result, problem = None, ""
    try:
        result = services.fit(made, starts)
    except fitting.FitError as error:
        problem = str(error)
    context = {
        "area": area,
        "made": made,
        "form": form,
        "fit": result,
        "problem": problem,
        "lines": [("Price per point", result.through_zero), ("With a fixed amount", result.with_intercept)]
        if result
        else [],
        "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    }
    return render(request, "calibration/fit.html", context)


@login_required
def fit_chart(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    """The fit as an image, with its own strict policy in place of the pages' one."""
    _area_, made = _import(request, code, import_id)
    form = BandsForm(request.GET or None)
    starts = form.cleaned_data["bands"] if form.is_bound and form.is_valid() else None
    points, cost, _labels = services.arrays(made)
    try:
        result = fitting.fit(points, cost, starts)
    except fitting.FitError:
        return HttpResponse(status=404)
    svg = charts.fit_chart(points, cost, result)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = content_security_policy(svg)
    return response


@login_required
def equity(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    area, made = _import(request, code, import_id)
    result, problem = None, ""
    try:
        result = services.equity_report(made)
    except fitting.FitError as error:
        problem = str(error)
    return render(
        request,
        "calibration/equity.html",
        {"area": area, "made": made, "report": result, "problem": problem, "minimum": MINIMUM},
    )
