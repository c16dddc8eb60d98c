"""Organisation profiles, people, invitations, sharing, audit trail, areas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from personfirst.core.access import roles as access
from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant
from personfirst.core.access.shortcuts import require
from personfirst.core.accounts import invitations
from personfirst.core.audit import trail
from personfirst.core.concurrency import ConflictError

from . import services
from .choices import OrganisationType
from .forms import InvitationForm, OrganisationForm, ShareForm
from .models import AccessGrant, Invitation, Organisation


def _organisation(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("council_area"), slug=slug)
    require(request.user, permission, organisation)
    return organisation


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = access.visible_organisations(request.user).select_related("council_area")
    own_ids = set(access.member_organisations(request.user).values_list("pk", flat=True))
    context = {
        "organisations": organisations,
        "own_ids": own_ids,
        "platform_admin": access.is_platform_admin(request.user),
    }
    return render(request, "organisations/list.html", context)


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.view_organisation")
    context = {
        "organisation": organisation,
        "can_change": request.user.has_perm("organisations.change_organisation", organisation),
        "roles": access.current_grants(request.user).filter(organisation=organisation),
    }
    return render(request, "organisations/detail.html", context)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.change_organisation")
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The organisation's profile has been saved.")
        return redirect(organisation)
    return render(request, "organisations/edit.html", {"organisation": organisation, "form": form})


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_people")
    form = InvitationForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.AlreadyHeld as refused:
            form.add_error("email", str(refused))
        else:
            messages.success(request, f"An invitation has been sent to {invitation.email}. It lasts 14 days.")
            return redirect("organisations:people", slug=slug)
    context = {
        "organisation": organisation,
        "form": form,
        "people": services.people_of(organisation),
        "invitations": organisation.invitations.pending(),
    }
    return render(request, "organisations/people.html", context)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_people")
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    try:
        services.revoke(invitation)
    except ConflictError as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} has been cancelled.")
    return redirect("organisations:people", slug=slug)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_people")
    membership = get_object_or_404(
        RoleGrant.objects.current().select_related("user"),
        pk=grant_id,
        organisation=organisation,
        role__in=MEMBERSHIP_ROLES,
    )
    try:
        services.remove(organisation, membership, by=request.user)
    except services.PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user.display_name} has been removed from {organisation.name}.")
    return redirect("organisations:people", slug=slug)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.check_usable(Invitation.find(token))
    except services.InvitationError as error:
        return invitations.problem(request, str(error))
    name = invitation.organisation.name
    answer = invitations.Answer(
        accept=services.accept,
        done=f"You have joined {name}.",
        created=f"Your account has been created and you have joined {name}.",
        next_url=invitation.organisation.get_absolute_url(),
        confirm_template="organisations/accept_invitation.html",
        sign_up_template="organisations/sign_up.html",
    )
    return invitations.respond(request, invitation, answer)


@login_required
def sharing(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_sharing")
    grants = organisation.grants_given.active().select_related("support_organisation")
    candidates = (
        Organisation.objects.filter(org_type=OrganisationType.SUPPORT_DEVELOPMENT)
        .exclude(pk__in=grants.values("support_organisation"))
        .exclude(pk=organisation.pk)
    )
    form = ShareForm(request.POST if request.method == "POST" else None, queryset=candidates)
    if request.method == "POST" and form.is_valid():
        parts = form.cleaned_data["parts"]
        grant = services.share(
            organisation=organisation,
            support_organisation=form.cleaned_data["support_organisation"],
            by=request.user,
            assessments="assessments" in parts,
            plan="plan" in parts,
        )
        messages.success(
            request, f"{grant.support_organisation.name} can now see your organisation's {_and(grant.parts())}."
        )
        return redirect("organisations:sharing", slug=slug)
    return render(
        request,
        "organisations/sharing.html",
        {"organisation": organisation, "grants": grants, "form": form, "has_candidates": candidates.exists()},
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@login_required
@require_POST
def revoke_grant(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_sharing")
    grant = get_object_or_404(
        AccessGrant.objects.select_related("support_organisation"), pk=grant_id, organisation=organisation
    )
    try:
        services.stop_sharing(grant, request.user)
    except ConflictError as conflict:
        messages.info(request, conflict.message)
    else:
        messages.success(request, f"{grant.support_organisation.name} can no longer see your organisation's records.")
    return redirect("organisations:sharing", slug=slug)


@login_required
def audit_trail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.view_audit")
    page = Paginator(trail.entries_for(organisation), 50).get_page(request.GET.get("page"))
    rows = [(entry, trail.describe_changes(entry)) for entry in page]
    return render(request, "organisations/audit.html", {"organisation": organisation, "page": page, "rows": rows})
