"""The history page and its two charts. Thin: the figures come from
progress.history, access from the rules module."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.dateformat import format as date_format

from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.models import Organisation

from . import charts, history


def _organisation(request: HttpRequest, slug: str, permission: str = "readiness.view_assessments") -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, permission, organisation)
    return organisation


def _number(value) -> float | None:
    return float(value) if value is not None else None


@login_required
def history_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    context = {
        "organisation": organisation,
        # Each history with its chart's height, for the image's size.
        "histories": [
            (h, charts.trend_height(len(h.sections) + 1)) for h in history.instrument_histories(organisation)
        ],
        "chart_width": charts.WIDTH,
        "bar_height": charts.BAR_HEIGHT,
        # Actions done, for whoever may see the plan (a support organisation may see the assessments only).
        "quarters": history.actions_done_by_quarter(organisation)
        if request.user.has_perm("plans.view_plan", organisation)
        else [],
    }
    return render(request, "progress/history.html", context)


@csp_exempt()
@login_required
def trend_chart(request: HttpRequest, slug: str, instrument_key: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    found = history.instrument_histories(organisation, instrument_key)
    if not found:
        raise Http404
    one = found[0]
    series = [("Overall", [_number(score) for score in one.overall])]
    series += [(f"{row.number}. {row.title}", [_number(score) for score in row.scores]) for row in one.sections]
    labels = [date_format(point.submitted_on, "j M Y") for point in one.points]
    return charts.svg_response(charts.trend(labels, series, title=one.instrument.title))


@csp_exempt()
@login_required
def actions_chart(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "plans.view_plan")
    quarters = history.actions_done_by_quarter(organisation)
    svg = charts.counts_by_period(
        [q.label for q in quarters], [q.count for q in quarters], title="Actions done", series_name="Actions done"
    )
    return charts.svg_response(svg)
