"""Self-assessment pages: one question per page, check answers, send; the
practitioner's review. Thin: services.py makes every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from personfirst.core.access.shortcuts import require
from personfirst.core.concurrency import ConflictError
from personfirst.sds.pages import open_person, record_context

from . import services
from .forms import AnswerForm, ReviewForm
from .models import SelfAssessment, Status


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _sa(person, sa_id: int) -> SelfAssessment:
    return get_object_or_404(SelfAssessment, pk=sa_id, person=person)


def _question(sa: SelfAssessment, key: str):
    question = next((q for q in sa.questions() if q.key == key), None)
    if question is None:
        raise Http404
    return question


def _check(person, sa) -> str:
    return redirect("selfassessment:check", pk=person.pk, sa_id=sa.pk)


@login_required
def self_assessments(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "self-assessments")
    if elsewhere:
        return elsewhere
    if request.method == "POST":
        require(request.user, "selfassessment.start", person)
        sa = services.start(person, by=request.user)
        left = services.missing(sa)
        if sa.status == Status.DRAFT and left:
            return redirect("selfassessment:question", pk=person.pk, sa_id=sa.pk, question=left[0].key)
        return _check(person, sa)
    listed = person.self_assessments.all()
    context = record_context(
        request,
        person,
        "self-assessment",
        listed=listed,
        can_start=request.user.has_perm("selfassessment.start", person),
        open_one=next((sa for sa in listed if sa.status != Status.AGREED), None),
    )
    return render(request, "selfassessment/list.html", context)


@login_required
def question(request: HttpRequest, pk, sa_id: int, question: str) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "a self-assessment question")
    if elsewhere:
        return elsewhere
    sa = _sa(person, sa_id)
    definition = _question(sa, question)
    if sa.status != Status.DRAFT or not request.user.has_perm("selfassessment.answer", person):
        if request.method == "POST":
            require(request.user, "selfassessment.answer", person)
        return _check(person, sa)
    current = sa.current_answers()
    given = current.get(definition.key)
    form = AnswerForm(_posted(request), question=definition, initial={"answer": given.answer if given else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(sa, question=definition.key, answer=form.cleaned_data["answer"], by=request.user)
        except ConflictError as conflict:
            messages.error(request, conflict.message)
            return _check(person, sa)
        if "later" in request.POST:
            messages.success(request, "Your answers are saved. You can come back to them at any time.")
            return redirect("selfassessment:list", pk=person.pk)
        questions = sa.questions()
        after = questions[questions.index(definition) + 1 :]
        if after and not request.GET.get("check"):
            return redirect("selfassessment:question", pk=person.pk, sa_id=sa.pk, question=after[0].key)
        return _check(person, sa)
    questions = sa.questions()
    position = questions.index(definition)
    history = [
        (change, definition.label_of(change.answer))
        for change in sa.changes.filter(question=definition.key).select_related("by").order_by("-at", "-pk")
    ]
    context = record_context(
        request,
        person,
        "self-assessment",
        sa=sa,
        question=definition,
        form=form,
        number=position + 1,
        total=len(questions),
        previous=questions[position - 1] if position else None,
        history=history,
    )
    return render(request, "selfassessment/question.html", context)


def _rows(sa: SelfAssessment) -> list[dict]:
    current = sa.current_answers()
    rows = []
    for q in sa.questions():
        given = current.get(q.key)
        rows.append({"question": q, "change": given, "label": q.label_of(given.answer) if given else ""})
    return rows


@login_required
def check(request: HttpRequest, pk, sa_id: int) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "a self-assessment")
    if elsewhere:
        return elsewhere
    sa = _sa(person, sa_id)
    user = request.user
    if request.method == "POST":  # send it to the council
        require(user, "selfassessment.answer", person)
        try:
            services.submit(sa, by=user)
        except services.AnswerError as error:
            messages.error(request, str(error))
        except ConflictError as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(
                request,
                "Your self-assessment has been sent to the council. Your practitioner will look at it with you.",
            )
        return _check(person, sa)
    labels = {q.key: q for q in sa.questionnaire.questions()}
    changes = [
        (change, labels.get(change.question), labels[change.question].label_of(change.answer))
        if change.question in labels
        else (change, None, change.answer)
        for change in sa.changes.select_related("by").order_by("-at", "-pk")
    ]
    context = record_context(
        request,
        person,
        "self-assessment",
        sa=sa,
        rows=_rows(sa),
        changes=changes,
        missing=services.missing(sa),
        can_answer=sa.status == Status.DRAFT and user.has_perm("selfassessment.answer", person),
        can_review=sa.status == Status.SUBMITTED and user.has_perm("selfassessment.review", person),
        budget=sa.budgets.first(),
    )
    return render(request, "selfassessment/check.html", context)


@login_required
def review(request: HttpRequest, pk, sa_id: int, question: str) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "a self-assessment, to review it", "selfassessment.review")
    if elsewhere:
        return elsewhere
    sa = _sa(person, sa_id)
    definition = _question(sa, question)
    if sa.status != Status.SUBMITTED:
        return _check(person, sa)
    given = sa.current_answers().get(definition.key)
    form = ReviewForm(_posted(request), question=definition, initial={"answer": given.answer if given else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_at_review(
                sa, question=definition.key, answer=data["answer"], reason=data["reason"], by=request.user
            )
        except ConflictError as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, "The answer has been changed. The person can see it and your reason.")
        return _check(person, sa)
    context = record_context(
        request,
        person,
        "self-assessment",
        sa=sa,
        question=definition,
        form=form,
        given=given,
        given_label=definition.label_of(given.answer) if given else "",
    )
    return render(request, "selfassessment/review.html", context)


@login_required
@require_POST
def agree(request: HttpRequest, pk, sa_id: int) -> HttpResponse:
    person, elsewhere = open_person(request, pk, "a self-assessment, to agree it", "selfassessment.review")
    if elsewhere:
        return elsewhere
    sa = _sa(person, sa_id)
    try:
        seen = int(request.POST.get("revision", ""))
    except ValueError:
        seen = -1
    try:
        budget = services.agree(sa, seen_revision=seen, by=request.user)
    except ConflictError as conflict:
        messages.error(request, conflict.message)
        return _check(person, sa)
    except services.allocation.RasLoadError as error:
        messages.error(request, str(error))
        return _check(person, sa)
    messages.success(request, "The self-assessment is agreed, and the indicative budget has been worked out.")
    return redirect("allocation:budget", pk=person.pk, budget_id=budget.pk)
