"""The indicative budget and why (for the person, their supporters and the
practitioner alike); every council's RAS in force, open to all; and the RAS
admin pages of a council's administrators: its versions, uploading a draft,
a version in plain words, the impact preview, publishing."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from personfirst.core.access.models import RoleName
from personfirst.core.access.roles import areas_with_role
from personfirst.core.access.shortcuts import require
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import CouncilArea
from personfirst.sds.pages import open_person, record_context

from . import impact, services
from .forms import PublishForm, UploadForm
from .models import IndicativeBudget, RasVersion


@login_required
def budgets(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "indicative budgets")
    if elsewhere:
        return elsewhere
    listed = list(person.indicative_budgets.select_related("ras_version__council_area"))
    context = record_context(request, person, "budget", budget=listed[0] if listed else None, earlier=listed[1:])
    return render(request, "allocation/budget.html", context)


@login_required
def budget(request: HttpRequest, pk, budget_id: int) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "an indicative budget")
    if elsewhere:
        return elsewhere
    chosen = get_object_or_404(
        IndicativeBudget.objects.select_related("ras_version__council_area"), pk=budget_id, person=person
    )
    context = record_context(request, person, "budget", budget=chosen, earlier=[])
    return render(request, "allocation/budget.html", context)


def _rows(version: RasVersion) -> list:
    """Each domain of the version with each question's prompt and its answers' points, in the questionnaire's words."""
    from personfirst.sds.selfassessment import questionnaire

    current = questionnaire.current()
    rows = []
    for domain in version.ras().domains:
        questions = []
        for question in domain.questions:
            asked = current.question(question.key)
            answers = [(asked.label_of(key) if asked else key, points) for key, points in question.points.items()]
            questions.append((asked.prompt if asked else question.key, answers))
        rows.append((domain, questions))
    return rows


def _version_context(version: RasVersion | None) -> dict:
    if version is None:
        return {"version": None, "rows": [], "ras": None}
    return {"version": version, "rows": _rows(version), "ras": version.ras()}


def ras(request: HttpRequest) -> HttpResponse:
    """Every council's RAS in force, open to everyone."""
    today = timezone.localdate()
    councils = []
    for area in CouncilArea.objects.filter(ras_versions__published_at__isnull=False).distinct():
        version = services.current_ras(area, today)
        if version is not None:
            councils.append((area, version))
    managed = list(areas_with_role(request.user, RoleName.COUNCIL_ADMIN))
    return render(request, "allocation/councils.html", {"councils": councils, "managed": managed})


def council_ras(request: HttpRequest, code: str) -> HttpResponse:
    """A council's RAS in force, open to everyone: every answer's points,
    each domain's limit, and how points become money."""
    area = get_object_or_404(CouncilArea, code=code)
    context = _version_context(services.current_ras(area))
    context.update(area=area, manages=request.user.has_perm("allocation.manage_ras", area))
    return render(request, "allocation/ras.html", context)


# --- For the council's administrators ---------------------------------------------------


def _area(request: HttpRequest, code: str) -> CouncilArea:
    area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "allocation.manage_ras", area)
    return area


def _version(request: HttpRequest, code: str, version_id: int, permission: str) -> RasVersion:
    version = get_object_or_404(
        RasVersion.objects.select_related("council_area", "loaded_by", "published_by"),
        pk=version_id,
        council_area__code=code,
    )
    require(request.user, permission, version)
    return version


@login_required
def versions(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(request, code)
    in_force = services.current_ras(area)
    listed = [
        (version, version.status(in_force.pk if in_force else None))
        for version in area.ras_versions.select_related("loaded_by", "published_by").order_by(
            "-effective_from", "-version", "-pk"
        )
    ]
    return render(request, "allocation/versions.html", {"area": area, "listed": listed, "in_force": in_force})


@login_required
def upload(request: HttpRequest, code: str) -> HttpResponse:
    from personfirst.sds.selfassessment.services import ras_fits_questionnaire

    area = _area(request, code)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        name = Path(form.cleaned_data["file"].name or "ras.yaml").name
        try:
            version, stored = services.load_ras(
                form.text, name, council_area=area, by=request.user, check=ras_fits_questionnaire
            )
        except services.RasLoadError as error:
            for problem in error.problems:
                form.add_error("file", problem)
        else:
            if not version.is_draft:
                messages.info(request, f"{version} is already published with exactly this file: nothing changed.")
            elif stored:
                messages.success(request, f"{version} is stored as a draft. Look at its impact before publishing it.")
            else:
                messages.info(request, f"{version} is already stored as a draft with exactly this file.")
            return redirect("allocation:version", code=area.code, version_id=version.pk)
    return render(request, "allocation/upload.html", {"area": area, "form": form})


def version(request: HttpRequest, code: str, version_id: int) -> HttpResponse:
    """One version in plain words: published ones are open to everyone, drafts to the council's administrators."""
    if (
        not request.user.is_authenticated
        and not RasVersion.objects.filter(pk=version_id, council_area__code=code, published_at__isnull=False).exists()
    ):
        return redirect_to_login(request.get_full_path())
    chosen = _version(request, code, version_id, "allocation.view_ras_version")
    in_force = services.current_ras(chosen.council_area)
    context = _version_context(chosen)
    context.update(
        area=chosen.council_area,
        status=chosen.status(in_force.pk if in_force else None),
        manages=request.user.has_perm("allocation.publish_ras_version", chosen),
    )
    return render(request, "allocation/version.html", context)


@login_required
def impact_preview(request: HttpRequest, code: str, version_id: int) -> HttpResponse:
    chosen = _version(request, code, version_id, "allocation.preview_ras_version")
    result = impact.preview(chosen)
    in_force = services.current_ras(chosen.council_area)
    return render(
        request,
        "allocation/impact.html",
        {
            "area": chosen.council_area,
            "version": chosen,
            "in_force": in_force,
            "impact": result,
            "bands": [(key, label, result.bands.get(key)) for key, label in impact.BANDS.items()],
            "band_labels": list(impact.BANDS.items()),
        },
    )


@login_required
def publish(request: HttpRequest, code: str, version_id: int) -> HttpResponse:
    chosen = _version(request, code, version_id, "allocation.publish_ras_version")
    if not chosen.is_draft and request.method != "POST":
        messages.info(request, f"{chosen} is already published.")
        return redirect("allocation:version", code=code, version_id=chosen.pk)
    initial = {"effective_from": max(chosen.effective_from, timezone.localdate())}
    form = PublishForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.publish(chosen, by=request.user, effective_from=form.cleaned_data["effective_from"])
        except services.PublishError as error:
            form.add_error("effective_from", str(error))
        except ConflictError as conflict:
            messages.error(request, conflict.message)
            return redirect("allocation:version", code=code, version_id=chosen.pk)
        else:
            made = done.budgets_made
            messages.success(
                request,
                f"{chosen} is published from {chosen.effective_from:%-d %B %Y}. "
                + (
                    f"{made} new indicative budget{'' if made == 1 else 's'} made with it; earlier ones are kept."
                    if chosen.effective_from <= timezone.localdate()
                    else "Budgets worked out from that date will use it."
                ),
            )
            return redirect("allocation:versions", code=code)
    return render(request, "allocation/publish.html", {"area": chosen.council_area, "version": chosen, "form": form})
