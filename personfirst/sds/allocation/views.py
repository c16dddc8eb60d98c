"""The indicative budget and why: for the person, their supporters and the practitioner alike."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from personfirst.sds.pages import open_person, record_context

from . import services
from .models import IndicativeBudget


@login_required
def budgets(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "indicative budgets")
    if elsewhere:
        return elsewhere
    listed = list(person.indicative_budgets.select_related("ras_version"))
    context = record_context(request, person, "budget", budget=listed[0] if listed else None, earlier=listed[1:])
    return render(request, "allocation/budget.html", context)


@login_required
def budget(request: HttpRequest, pk, budget_id: int) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "an indicative budget")
    if elsewhere:
        return elsewhere
    chosen = get_object_or_404(IndicativeBudget.objects.select_related("ras_version"), pk=budget_id, person=person)
    context = record_context(request, person, "budget", budget=chosen, earlier=[])
    return render(request, "allocation/budget.html", context)


def ras(request: HttpRequest) -> HttpResponse:
    """The RAS in force, open to everyone: every answer's points, each
    domain's limit, and how points become money."""
    from personfirst.sds.selfassessment import questionnaire

    version = services.current_ras()
    rows = []
    if version is not None:
        definition = version.ras()
        current = questionnaire.current()
        for domain in definition.domains:
            questions = []
            for question in domain.questions:
                asked = current.question(question.key)
                answers = [(asked.label_of(key) if asked else key, points) for key, points in question.points.items()]
                questions.append((asked.prompt if asked else question.key, answers))
            rows.append((domain, questions))
    return render(request, "allocation/ras.html", {"version": version, "rows": rows, "ras": version and version.ras()})
