"""The readiness report page and its downloads. Thin: the report is built
by content.build and drawn by one module per format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from personfirst.core.access.shortcuts import require
from personfirst.readiness.assessments.models import Assessment

from . import charts, content, csv_files, pdf, word, workbook


@dataclass(frozen=True)
class Format:
    render: Callable[[content.Report], bytes]
    content_type: str
    ending: str  # added to the report's file name


FORMATS = {
    "pdf": Format(pdf.render, "application/pdf", ".pdf"),
    "docx": Format(word.render, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": Format(workbook.render, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "answers-csv": Format(csv_files.answers, "text/csv; charset=utf-8", "-answers.csv"),
    "plan-csv": Format(csv_files.plan, "text/csv; charset=utf-8", "-plan.csv"),
}


def _assessment(request: HttpRequest, slug: str, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("organisation", "version__instrument", "submitted_by", "started_by"),
        pk=pk,
        organisation__slug=slug,
    )
    require(request.user, "readiness.view_results", assessment)
    return assessment


def _not_submitted(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """A draft has no report yet: 409 Conflict, because the address is right
    and the person may see the assessment, but its state does not allow it."""
    context = {"organisation": assessment.organisation, "assessment": assessment}
    return render(request, "reports/not_submitted.html", context, status=409)


@login_required
def report_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk)
    if assessment.is_draft:
        return _not_submitted(request, assessment)
    report = content.build(assessment)
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "report": report,
        "chart": charts.svg(report) if report.has_scores else "",
        "address": request.build_absolute_uri(),
    }
    return render(request, "reports/report.html", context)


@login_required
def download(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    assessment = _assessment(request, slug, pk)
    if assessment.is_draft:
        return _not_submitted(request, assessment)
    report = content.build(assessment)
    chosen = FORMATS[kind]
    response = HttpResponse(chosen.render(report), content_type=chosen.content_type)
    response["Content-Disposition"] = content_disposition_header(True, report.filename + chosen.ending)
    # The files hold an organisation's records: browsers and proxies should not keep copies.
    patch_cache_control(response, private=True, no_store=True)
    return response
