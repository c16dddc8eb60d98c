"""Eligibility pages. Thin: the rule is criteria.py, saving is services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from personfirst.sds.pages import open_person, record_context

from . import criteria, services
from .forms import ScreenForm
from .models import EligibilityDecision


@login_required
def decisions(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "eligibility decisions")
    if elsewhere:
        return elsewhere
    context = record_context(
        request,
        person,
        "eligibility",
        decisions=person.eligibility_decisions.select_related("decided_by", "carer"),
        can_screen=request.user.has_perm("eligibility.screen", person),
    )
    return render(request, "eligibility/decisions.html", context)


@login_required
def screen(request: HttpRequest, pk, kind: str) -> HttpResponse:
    if kind not in criteria.OUTCOMES:
        raise Http404
    person, elsewhere = open_person(request, pk, "eligibility, to record a screen", "eligibility.screen")
    if elsewhere:
        return elsewhere
    carers = person.supporters.current()
    form = ScreenForm(request.POST if request.method == "POST" else None, kind=kind, carers=carers)
    if request.method == "POST" and form.is_valid():
        decision = services.record(
            person,
            screen=form.screen(),
            notes=form.cleaned_data["notes"],
            by=request.user,
            carer=form.cleaned_data.get("carer"),
        )
        messages.success(request, f"The decision has been recorded: {decision.decision().summary.lower()}.")
        return redirect("eligibility:decision", pk=person.pk, decision_id=decision.pk)
    context = record_context(request, person, "eligibility", form=form, kind=kind, no_carer=not carers.exists())
    return render(request, "eligibility/screen.html", context)


@login_required
def decision(request: HttpRequest, pk, decision_id: int) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "an eligibility decision")
    if elsewhere:
        return elsewhere
    decision = get_object_or_404(
        EligibilityDecision.objects.select_related("decided_by", "carer"), pk=decision_id, person=person
    )
    context = record_context(request, person, "eligibility", decision=decision, result=decision.decision())
    return render(request, "eligibility/decision.html", context)
