"""Readiness assessment pages. Thin: the work is in services, results,
coproduction and the rules module."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName
from personfirst.core.access.shortcuts import require
from personfirst.core.accounts.models import User
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import AccessGrant, Organisation
from personfirst.core.validation import Invalid

from . import charts, coproduction, results, services
from .forms import RespondentForm, SectionForm, StartForm
from .models import Assessment, Instrument, Respondent
from .rules import respondent_for

STATUS_LABELS = {
    "not_started": ("Not started", "govuk-tag--grey"),
    "in_progress": ("In progress", "govuk-tag--light-blue"),
    "completed": ("Completed", ""),
    "not_relevant": ("Not relevant", "govuk-tag--grey"),
    # Short, so that the tag fits the task list's status column on one line; the
    # section's hint and the box above the list say what it means (answer once).
    "to_confirm": ("To check", "govuk-tag--yellow"),
}


def _posted(request: HttpRequest):
    """The form data for a POST, None for a GET. (Not ``request.POST or None``:
    a POST with nothing chosen is still a submission, and must show errors.)"""
    return request.POST if request.method == "POST" else None


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("council_area"), slug=slug)


def _assessment(request: HttpRequest, slug: str, pk: int, permission: str) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("organisation", "version__instrument"), pk=pk, organisation__slug=slug
    )
    require(request.user, permission, assessment)
    return assessment


@login_required
def assessment_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    require(request.user, "readiness.view_assessments", organisation)
    can_start = request.user.has_perm("readiness.start_assessment", organisation)
    instruments = [i for i in Instrument.objects.all() if i.latest_version()]
    form = StartForm(_posted(request), instruments=instruments)
    if request.method == "POST":
        require(request.user, "readiness.start_assessment", organisation)
        if form.is_valid():
            instrument = Instrument.objects.get(key=form.cleaned_data["instrument"])
            language = form.cleaned_data.get("language") or "en"
            try:
                assessment = services.start(
                    organisation=organisation, instrument=instrument, by=request.user, language=language
                )
            except Invalid as invalid:
                for error in invalid.errors:
                    form.add_error("language" if "language" in form.fields else None, error.message)
                form.mark_errors()
            else:
                messages.success(request, f"You have started the {instrument.title}. Your answers are saved as you go.")
                return redirect(assessment)
    assessments = organisation.assessments.select_related("version", "started_by").order_by("-started_at")
    context = {"organisation": organisation, "assessments": assessments, "form": form, "can_start": can_start}
    return render(request, "readiness/assessment_list.html", context)


def _task_rows(assessment: Assessment, respondent: Respondent | None, section_url: str):
    applies, left_out = services.split_sections(assessment)
    answers = services.answers_for(assessment, respondent, include_suggested=True)
    rows = []
    for section in applies:
        status = services.section_status(section, answers)
        label, colour = STATUS_LABELS[status]
        rows.append(
            {
                "section": section,
                "status": status,
                "label": label,
                "colour": colour,
                "url": reverse(section_url, args=[assessment.organisation.slug, assessment.pk, section.key]),
            }
        )
    return rows, left_out


@login_required
def assessment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    user = request.user
    respondent = assessment.respondents.filter(user=user).first()
    if not user.has_perm("readiness.view_results", assessment) and respondent:
        return redirect("readiness:my-answers", slug=slug, pk=pk)
    rows, left_out = _task_rows(assessment, None, "readiness:section")
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "rows": rows,
        "left_out": left_out,
        "dont_know": services.dont_know_count([r["section"] for r in rows], services.answers_for(assessment)),
        "done": sum(1 for r in rows if r["status"] in ("completed", "not_relevant")),
        "has_suggestions": any(r["status"] == "to_confirm" for r in rows),
        "can_edit": user.has_perm("readiness.edit_answers", assessment),
        "respondent": respondent,
        "respondent_count": assessment.respondents.count(),
    }
    return render(request, "readiness/assessment_detail.html", context)


def _section_page(request: HttpRequest, assessment: Assessment, section_key: str, respondent: Respondent | None):
    applies, _left_out = services.split_sections(assessment)
    sections = {s.key: s for s in applies}
    section = sections.get(section_key)
    if section is None:
        raise Http404
    answers = services.answers_for(assessment, respondent, include_suggested=True)
    form = SectionForm(_posted(request), section=section, answers=answers)
    conflicts = []
    invalid = False
    if request.method == "POST" and form.is_valid():
        try:
            conflicts = services.save_section(
                assessment=assessment,
                section=section,
                values=form.values(),
                revisions=form.revisions(),
                by=request.user,
                respondent=respondent,
            )
        except Invalid as problems:  # the service's check of the answers: shown on their fields
            form.show(problems)
            invalid = True
        except services.NotEditable:
            return _already_submitted(request, assessment)
        except ConflictError as conflict:  # the respondent has been removed meanwhile
            messages.error(request, conflict.message)
            return redirect("pages:dashboard")
        if not conflicts and not invalid:
            messages.success(request, f"Your answers to ‘{section.title}’ have been saved.")
            keys = list(sections)
            position = keys.index(section.key)
            list_url = "readiness:my-answers" if respondent else "readiness:assessment"
            if "continue" in request.POST and position + 1 < len(keys):
                name = "readiness:my-section" if respondent else "readiness:section"
                return redirect(
                    name, slug=assessment.organisation.slug, pk=assessment.pk, section_key=keys[position + 1]
                )
            return redirect(list_url, slug=assessment.organisation.slug, pk=assessment.pk)
        if conflicts:
            # Show the other person's version; the revisions now match theirs, so
            # saving again keeps this person's version if they choose it.
            data = request.POST.copy()
            for conflict in conflicts:
                data[f"rev-{conflict.item_key}"] = str(conflict.theirs.revision if conflict.theirs else 0)
            form = SectionForm(data, section=section, answers=answers)
            form.is_valid()
    back_name = "readiness:my-answers" if respondent else "readiness:assessment"
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "section": section,
        "form": form,
        "conflicts": {c.item_key: c for c in conflicts},
        # item key -> where its suggested answer came from (answer once), for answers not yet confirmed
        "suggestions": {key: services.suggestion_source(answer) for key, answer in answers.items() if answer.suggested},
        "respondent": respondent,
        "back_url": reverse(back_name, args=[assessment.organisation.slug, assessment.pk]),
        "position": list(sections).index(section.key) + 1,
        "count": len(sections),
    }
    return render(request, "readiness/section.html", context, status=409 if conflicts else 200)


def _already_submitted(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Someone submitted the assessment while this person had a page open:
    say so and show the results, rather than a bare 'forbidden'."""
    if request.method == "POST":
        messages.info(
            request, "This assessment has been submitted, so its answers can no longer be changed. Nothing was saved."
        )
    if request.user.has_perm("readiness.view_results", assessment):
        return redirect("readiness:results", slug=assessment.organisation.slug, pk=assessment.pk)
    raise PermissionDenied


@login_required
def section(request: HttpRequest, slug: str, pk: int, section_key: str) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    if not assessment.is_draft:
        return _already_submitted(request, assessment)
    require(request.user, "readiness.edit_answers", assessment)
    return _section_page(request, assessment, section_key, None)


def _respondent_assessment(request: HttpRequest, slug: str, pk: int) -> Assessment | HttpResponse:
    """The assessment a respondent answers, or (once submitted) a redirect to its results."""
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    if not assessment.is_draft and respondent_for(request.user, assessment) is not None:
        return _already_submitted(request, assessment)
    require(request.user, "readiness.respond", assessment)
    return assessment


@login_required
def my_answers(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _respondent_assessment(request, slug, pk)
    if not isinstance(assessment, Assessment):
        return assessment
    respondent = respondent_for(request.user, assessment)  # asked already, by the rules
    if respondent is None:
        raise Http404
    rows, left_out = _task_rows(assessment, respondent, "readiness:my-section")
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "rows": rows,
        "left_out": left_out,
        "respondent": respondent,
    }
    return render(request, "readiness/my_answers.html", context)


@login_required
def my_section(request: HttpRequest, slug: str, pk: int, section_key: str) -> HttpResponse:
    assessment = _respondent_assessment(request, slug, pk)
    if not isinstance(assessment, Assessment):
        return assessment
    respondent = respondent_for(request.user, assessment)  # asked already, by the rules
    if respondent is None:
        raise Http404
    return _section_page(request, assessment, section_key, respondent)


@login_required
def check_answers(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    if not assessment.is_draft:
        return redirect("readiness:results", slug=slug, pk=pk)
    require(request.user, "readiness.submit_assessment", assessment)
    applies, left_out = services.split_sections(assessment)
    answers = services.answers_for(assessment, include_suggested=True)
    sections = [{"section": s, "items": [(item, answers.get(item.key)) for item in s.items.all()]} for s in applies]
    for block in sections:
        for item, answer in block["items"]:
            if answer is not None:
                answer.item = item  # the item in the assessment's language (services.split_sections)
    given = [a for s in sections for _item, a in s["items"] if a is not None and a.is_answered]
    to_confirm = sum(1 for a in given if a.suggested)
    # Context questions (never scored) are not "unanswered" when left blank.
    unanswered = sum(
        1 for s in sections for item, a in s["items"] if item.kind.scored and not (a is not None and a.is_answered)
    )
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "sections": sections,
        "left_out": left_out,
        "unanswered": unanswered,
        "to_confirm": to_confirm,
    }
    return render(request, "readiness/check_answers.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    if not assessment.is_draft:  # e.g. the button pressed twice
        return redirect("readiness:results", slug=slug, pk=pk)
    require(request.user, "readiness.submit_assessment", assessment)
    try:
        services.submit(assessment=assessment, by=request.user)
    except services.NotEditable:
        return redirect("readiness:results", slug=slug, pk=pk)
    messages.success(request, "The assessment has been submitted. These are your results.")
    return redirect("readiness:results", slug=slug, pk=pk)


@login_required
def results_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_results")
    result = results.results_for(assessment)
    return render(
        request,
        "readiness/results.html",
        {"organisation": assessment.organisation, "assessment": assessment, "results": result},
    )


@csp_exempt()
@login_required
def radar_chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The results radar chart as an image, with its own strict policy
    (charts.content_security_policy) in place of the pages' one."""
    assessment = _assessment(request, slug, pk, "readiness.view_results")
    result = results.results_for(assessment)
    series = [("This assessment", [float(s.score) if s.score is not None else None for s in result.sections])]
    if result.previous is not None:
        before = {s.key: s.score for s in results.results_for(result.previous, compare=False).sections}
        series.append(
            (
                "Previous assessment",
                [float(before[s.key]) if before.get(s.key) is not None else None for s in result.sections],
            )
        )
    labels = charts.axis_labels([s.title for s in result.sections])
    svg = charts.radar(labels, series, title=assessment.version.title)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = charts.content_security_policy(svg)
    return response


def _possible_respondents(assessment: Assessment):
    organisation = assessment.organisation
    # The organisation's members, and the development workers of the support
    # organisations it shares its assessments with.
    workers_orgs = (
        AccessGrant.objects.active().filter(organisation=organisation, assessments=True).values("support_organisation")
    )
    grants = RoleGrant.objects.current()
    members = grants.filter(organisation=organisation, role__in=MEMBERSHIP_ROLES).values("user")
    workers = grants.filter(organisation__in=workers_orgs, role=RoleName.DEVELOPMENT_WORKER).values("user")
    return (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=workers), is_active=True)
        .exclude(pk__in=assessment.respondents.values("user"))
        .distinct()
        .order_by("full_name", "email")
    )


@login_required
def respondents(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_assessment")
    can_manage = request.user.has_perm("readiness.manage_respondents", assessment)
    people = list(_possible_respondents(assessment)) if can_manage else []
    form = RespondentForm(_posted(request), people=people)
    if request.method == "POST":
        require(request.user, "readiness.manage_respondents", assessment)
        if form.is_valid():
            person = form.people[form.cleaned_data["person"]]
            services.add_respondent(
                assessment=assessment, user=person, perspective=form.cleaned_data["perspective"], by=request.user
            )
            messages.success(request, f"{person.display_name} can now give their own answers.")
            return redirect("readiness:respondents", slug=slug, pk=pk)
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "respondents": assessment.respondents.select_related("user"),
        "form": form,
        "can_manage": can_manage,  # remove people
        "can_add": can_manage and bool(people),  # someone is left to ask
    }
    return render(request, "readiness/respondents.html", context)


@login_required
@require_POST
def remove_respondent(request: HttpRequest, slug: str, pk: int, respondent_id: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.manage_respondents")
    respondent = get_object_or_404(Respondent.objects.select_related("user"), pk=respondent_id, assessment=assessment)
    try:
        services.remove_respondent(respondent)
    except ConflictError as conflict:
        messages.info(request, conflict.message)
    else:
        messages.success(request, f"{respondent.user.display_name} has been removed, with their answers.")
    return redirect("readiness:respondents", slug=slug, pk=pk)


@login_required
def compare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _assessment(request, slug, pk, "readiness.view_results")
    applies, _left_out = services.split_sections(assessment)
    spreads = coproduction.spreads(assessment, applies)
    flagged = sum(1 for _s, items in spreads for spread in items if spread.flag)
    context = {
        "organisation": assessment.organisation,
        "assessment": assessment,
        "spreads": spreads,
        "flagged": flagged,
        "can_edit": request.user.has_perm("readiness.edit_answers", assessment),
    }
    return render(request, "readiness/compare.html", context)
