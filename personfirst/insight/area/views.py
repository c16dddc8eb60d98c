"""Area insight pages. Thin: who may see what is in access/rules.py, the
figures in insight/report.py and insight/standing.py."""

from __future__ import annotations

from dataclasses import dataclass

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from personfirst.core.access import roles as access
from personfirst.core.access.disclosure import EXTREMES_MINIMUM, MINIMUM
from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import CouncilArea, Organisation
from personfirst.readiness.assessments.charts import content_security_policy
from personfirst.readiness.assessments.models import Instrument, InstrumentVersion

from . import charts, downloads, gaps, pages, publish, report, sources, standing
from .forms import FilterForm
from .models import Snapshot


def _scope(request: HttpRequest, kind: str, code: str | None = None, slug: str | None = None) -> sources.Scope:
    if kind == sources.AREA:
        area = get_object_or_404(CouncilArea, code=code)
        require(request.user, "insight.view_area", area)
        return sources.for_area(area)
    if kind == sources.SHARED:
        support = get_object_or_404(Organisation, slug=slug, org_type=OrganisationType.SUPPORT_DEVELOPMENT)
        require(request.user, "insight.view_shared", support)
        return sources.for_support_organisation(support)
    require(request.user, "insight.view_national", None)
    return sources.england()


@dataclass
class _Address:
    """What the address asks for: the instrument (None: there are none), its newest snapshot
    and its latest version."""

    instruments: list[Instrument]
    instrument: Instrument | None
    snapshot: Snapshot | None
    version: InstrumentVersion | None
    query: str

    def key(self, what: str, scope: sources.Scope) -> str | None:
        """Where ``what`` made for this address is kept (insight/pages.py); None: nothing is
        kept without a snapshot. Only ever looked up after _scope has checked access."""
        if self.instrument is None or self.snapshot is None:
            return None
        instruments = tuple((i.pk, i.key, i.title) for i in self.instruments)
        return pages.key(
            what, self.snapshot, scope, instruments, self.instrument.pk, self.version and self.version.pk, self.query
        )


def _address(request: HttpRequest) -> _Address:
    instruments = list(Instrument.objects.all())
    instrument = report.choose_instrument(request.GET.get("instrument"), instruments)
    snapshot = version = None
    if instrument is not None:
        snapshot = publish.current(instrument.pk)
        version = instrument.latest_version()
    return _Address(instruments, instrument, snapshot, version, request.GET.urlencode())


@dataclass
class _Chosen:
    """The address, and what the newest snapshot shows of the scope."""

    address: _Address
    layout: report.Layout
    view: sources.View
    form: FilterForm
    filters: report.Filters

    def build(self, scope: sources.Scope) -> report.Report:
        values = report.value_rows(self.view, scope, self.filters)
        return report.build_from(
            scope,
            self.address.instrument,
            self.filters,
            self.view,
            values,
            counts=report.counted(self.address.snapshot, scope),
            version=self.address.version,
            layout=self.layout,
        )


def _choose(request: HttpRequest, scope: sources.Scope, address: _Address) -> _Chosen | None:
    """The filters in the address (no filters if they are not valid); None with no instruments."""
    if address.instrument is None:
        return None
    view = sources.view_for(address.snapshot, scope)
    layout = report.layout_for(address.version)
    form = FilterForm(
        request.GET or None,
        instruments=address.instruments,
        instrument=address.instrument,
        periods=view.periods,
        steps=layout.steps,
    )
    return _Chosen(address, layout, view, form, form.filters())


def _report(request: HttpRequest, scope: sources.Scope, address: _Address) -> report.Report | None:
    chosen = _choose(request, scope, address)
    return None if chosen is None else chosen.build(scope)


def _kept(key: str | None, make):
    return make() if key is None else pages.get_or_make(key, make)


@dataclass(frozen=True)
class _Errors:
    """Stands for the filter form in base.html, whose title starts with "Error:" when it has errors."""

    errors: bool


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, "insight.view_national", None)
    context = {
        "areas": access.commissioned_areas(request.user).order_by("name"),
        "support_organisations": access.insight_support_organisations(request.user).order_by("name"),
    }
    return render(request, "insight/index.html", context)


def _urls(scope: sources.Scope, query: str) -> dict[str, str]:
    """The page, its charts and its downloads, with the filters chosen."""
    suffix = f"?{query}" if query else ""
    name = f"insight:{scope.kind}"
    urls = {"page": reverse(name, kwargs=scope.url_kwargs)}
    for chart_name in charts.CHARTS:
        urls[chart_name] = reverse(f"{name}-chart", kwargs={**scope.url_kwargs, "name": chart_name}) + suffix
    for fmt in downloads.FORMATS:
        urls[fmt] = reverse(f"{name}-report", kwargs={**scope.url_kwargs, "fmt": fmt}) + suffix
    return urls


@login_required
def page(request: HttpRequest, kind: str, **kwargs) -> HttpResponse:
    scope = _scope(request, kind, **kwargs)
    address = _address(request)
    context = {"scope": scope, "query": address.query}

    def make_body() -> tuple[str, bool]:
        chosen = _choose(request, scope, address)
        built = None if chosen is None else chosen.build(scope)
        body_context = {
            **context,
            "form": chosen and chosen.form,
            "report": built,
            "urls": _urls(scope, address.query),
            "minimum": MINIMUM,
            "extremes_minimum": EXTREMES_MINIMUM,
        }
        if built is not None:
            body_context["split_groups"] = [report.describe_group(g.cells) for g in built.split_groups]
            body_context["step_columns"] = range(1, built.max_positions + 1)
        return render_to_string("insight/report_body.html", body_context), bool(chosen and chosen.form.errors)

    # The same snapshot, version and address make the same body (insight/pages.py).
    body, errors = _kept(address.key("page", scope), make_body)
    context["form"] = _Errors(errors)
    return render(request, "insight/report.html", {**context, "body": mark_safe(body)})  # noqa: S308


@csp_exempt()
@login_required
def chart(request: HttpRequest, kind: str, name: str, **kwargs) -> HttpResponse:
    """A chart of the page as an image, with its own strict policy
    (readiness.charts.content_security_policy) in place of the pages' one."""
    scope = _scope(request, kind, **kwargs)
    draw = charts.CHARTS.get(name)
    address = _address(request)
    if draw is None or address.instrument is None:
        raise Http404
    svg = _kept(address.key(f"chart-{name}", scope), lambda: draw(_report(request, scope, address)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = content_security_policy(svg)
    return response


@login_required
def download(request: HttpRequest, kind: str, fmt: str, **kwargs) -> HttpResponse:
    scope = _scope(request, kind, **kwargs)
    if fmt not in downloads.FORMATS:
        raise Http404
    built = _report(request, scope, _address(request))
    if built is None:
        raise Http404
    content_type, make = downloads.FORMATS[fmt]
    response = HttpResponse(make(built), content_type=content_type)
    name = slugify(f"{scope.title} {built.instrument.title}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def standing_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("council_area"), slug=slug)
    require(request.user, "readiness.view_assessments", organisation)
    result = standing.standing_for(organisation, viewer=request.user, instrument_key=request.GET.get("instrument"))
    return render(
        request,
        "insight/standing.html",
        {"organisation": organisation, "standing": result, "section": "standing"},
    )


@login_required
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """A council area's organisations in its published area insight figures,
    by group: the same counts as its area insight page (report.group_counts)."""
    council_area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "organisations.view_area", council_area)
    context = {
        "area": council_area,
        "counts": report.group_counts(council_area),
        "minimum": MINIMUM,
        "gaps": gaps.area_gaps(council_area),
    }
    return render(request, "insight/area_page.html", context)
