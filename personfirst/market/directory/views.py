"""Directory pages for providers (their entries) and moderators (the queue).

Thin: the work is in moderation.py and publishing.py; who may do what is
decided in rules.py.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.models import Organisation

from . import entries, moderation, publishing, staleness, working_days
from .forms import DecisionForm, EntryForm
from .models import Provider, Service, Submission, SubmissionStatus

STATUS_TAGS = {
    SubmissionStatus.PENDING: "govuk-tag--blue",
    SubmissionStatus.NEEDS_INFORMATION: "govuk-tag--orange",
    SubmissionStatus.PUBLISHED: "govuk-tag--green",
    SubmissionStatus.REJECTED: "govuk-tag--red",
}


def _organisation(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, permission, organisation)
    return organisation


def _provider_for(organisation: Organisation) -> Provider:
    provider, _ = Provider.objects.get_or_create(
        organisation=organisation, defaults={"name": organisation.name, "description": organisation.description}
    )
    return provider


@login_required
def provider(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "directory.view_entries")
    listed = Provider.objects.filter(organisation=organisation).first()
    services = list(listed.services.order_by("name")) if listed else []
    submissions = list(listed.submissions.order_by("-submitted_at")[:50]) if listed else []
    waiting = {
        s.service_id for s in submissions if s.status in (SubmissionStatus.PENDING, SubmissionStatus.NEEDS_INFORMATION)
    }
    today = timezone.localdate()
    return render(
        request,
        "directory/provider.html",
        {
            "organisation": organisation,
            "services": services,
            "waiting": waiting,
            "submissions": submissions,
            "tags": STATUS_TAGS,
            "stale_before": staleness.stale_before(today),
            "can_edit": request.user.has_perm("directory.edit_entries", organisation),
            "today": today,
        },
    )


def _entry_page(
    request: HttpRequest, organisation: Organisation, before: dict, *, title: str, service=None
) -> HttpResponse:
    form = EntryForm(request.POST or None, initial=EntryForm.initial_from(before))
    if request.method == "POST" and form.is_valid():
        entry = form.to_entry(before)
        try:
            submission = moderation.submit(_provider_for(organisation), entry, by=request.user)
        except moderation.NotAllowed:
            raise Http404 from None
        except moderation.Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("directory:provider", organisation.slug)
        messages.success(
            request,
            f"“{submission.name}” has been sent to the directory's moderators. "
            f"They will decide by {submission.due_on:%-d %B %Y}.",
        )
        return redirect("directory:submission", organisation.slug, submission.pk)
    return render(
        request,
        "directory/entry_form.html",
        {"organisation": organisation, "form": form, "title": title, "service": service},
    )


@login_required
def add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "directory.edit_entries")
    return _entry_page(request, organisation, entries.empty(), title="Add a service to the directory")


@login_required
def edit(request: HttpRequest, slug: str, service_id: uuid.UUID) -> HttpResponse:
    organisation = _organisation(request, slug, "directory.edit_entries")
    service = get_object_or_404(Service, pk=service_id, provider__organisation=organisation)
    waiting = moderation.open_submission(service.pk)
    before = waiting.entry if waiting else moderation.published_entry(service.pk)
    return _entry_page(request, organisation, before, title=f"Change {service.name}", service=service)


@login_required
def submission(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug, "directory.view_entries")
    found = get_object_or_404(Submission.objects.select_related("provider"), pk=pk, provider__organisation=organisation)
    require(request.user, "directory.view_submission", found)
    return render(
        request,
        "directory/submission.html",
        {
            "organisation": organisation,
            "submission": found,
            "tags": STATUS_TAGS,
            "changes": moderation.changes(found),
            "decisions": found.decisions.select_related("decided_by"),
            "can_edit": request.user.has_perm("directory.change_submission", found),
            "today": timezone.localdate(),
        },
    )


@login_required
def confirm(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """The provider says the entry is still right (the link in the staleness e-mail)."""
    service = get_object_or_404(Service.objects.select_related("provider__organisation"), pk=service_id)
    organisation = service.provider.organisation
    if organisation is None:
        raise Http404
    require(request.user, "directory.edit_entries", organisation)
    if request.method == "POST":
        publishing.confirm(service, by=request.user)
        messages.success(request, f"Thank you. “{service.name}” is marked as checked today.")
        return redirect("directory:provider", organisation.slug)
    return render(request, "directory/confirm.html", {"service": service, "organisation": organisation})


# --- Moderation -----------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("directory.view_queue"):
        raise Http404
    today = timezone.localdate()
    waiting = list(Submission.objects.queue().select_related("provider", "submitted_by"))
    return render(
        request,
        "directory/queue.html",
        {
            "waiting": waiting,
            "overdue": sum(1 for s in waiting if s.is_overdue(today)),
            "asked": Submission.objects.filter(status=SubmissionStatus.NEEDS_INFORMATION).select_related("provider"),
            "stale": staleness.escalated()[:100],
            "today": today,
            "can_decide": request.user.has_perm("directory.moderate"),
        },
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Submission.objects.select_related("provider", "submitted_by"), pk=pk)
    if request.method == "POST":
        require(request.user, "directory.decide", found)
    elif not request.user.has_perm("directory.view_queue"):
        raise Http404
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        decision, reasons = form.cleaned_data["decision"], form.cleaned_data.get("reasons", "")
        try:
            if decision == DecisionForm.PUBLISH:
                moderation.publish(found, by=request.user)
                messages.success(request, f"“{found.name}” is published.")
            elif decision == DecisionForm.ASK:
                moderation.ask_for_information(found, by=request.user, question=reasons)
                messages.success(request, f"The provider of “{found.name}” has been asked for more information.")
            else:
                moderation.reject(found, by=request.user, reasons=reasons)
                messages.success(request, f"“{found.name}” is not published. The provider can see why.")
            return redirect("directory:queue")
        except moderation.Conflict as conflict:
            found.refresh_from_db()
            messages.error(request, str(conflict))
            status = 409
    today = timezone.localdate()
    return render(
        request,
        "directory/review.html",
        {
            "submission": found,
            "changes": moderation.changes(found),
            "form": form,
            "tags": STATUS_TAGS,
            "overdue": found.is_overdue(today),
            "working_days_left": working_days.working_days_between(today, found.due_on),
            "can_decide": request.user.has_perm("directory.decide", found) and found.status == SubmissionStatus.PENDING,
            "queue_url": reverse("directory:queue"),
        },
        status=status,
    )
