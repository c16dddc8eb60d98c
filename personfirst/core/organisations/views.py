"""Organisation profiles, people, invitations, sharing, audit trail, areas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from personfirst.core.access import roles as access
from personfirst.core.access.shortcuts import require
from personfirst.core.accounts.forms import SignUpForm
from personfirst.core.accounts.models import User
from personfirst.core.audit import trail
from personfirst.core.concurrency import ConflictError

from . import services
from .choices import OrganisationType
from .forms import InvitationForm, OrganisationForm, ShareForm
from .models import AccessGrant, Invitation, Membership, Organisation


def _organisation(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("council_area"), slug=slug)
    require(request.user, permission, organisation)
    return organisation


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = access.visible_organisations(request.user).select_related("council_area")
    own_ids = set(Membership.objects.filter(user=request.user).values_list("organisation_id", flat=True))
    return render(request, "organisations/list.html", {"organisations": organisations, "own_ids": own_ids})


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.view_organisation")
    context = {
        "organisation": organisation,
        "can_change": request.user.has_perm("organisations.change_organisation", organisation),
        "membership": Membership.objects.filter(user=request.user, organisation=organisation).first(),
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
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(request, f"An invitation has been sent to {invitation.email}. It lasts 14 days.")
        return redirect("organisations:people", slug=slug)
    context = {
        "organisation": organisation,
        "form": form,
        "memberships": organisation.memberships.select_related("user"),
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
def remove_member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation = _organisation(request, slug, "organisations.manage_people")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation=organisation
    )
    try:
        services.remove_member(membership)
    except ConflictError as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"{membership.user.display_name} has been removed from {organisation.name}.")
    return redirect("organisations:people", slug=slug)


def _invitation_problem(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "organisations/invitation_problem.html", {"message": str(error)}, status=410)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.check_usable(Invitation.find(token))
    except services.InvitationError as error:
        return _invitation_problem(request, error)

    user = request.user
    if user.is_authenticated:
        if user.email != invitation.email:
            return render(
                request,
                "organisations/invitation_problem.html",
                {
                    "message": f"This invitation was sent to {invitation.email}, but you are signed in as "
                    f"{user.email}. Sign out and open the link again, or ask for an invitation to your own address."
                },
                status=403,
            )
        if request.method == "POST":
            try:
                services.accept(invitation, user)
            except services.InvitationError as error:  # used or cancelled since the page was loaded
                return _invitation_problem(request, error)
            messages.success(request, f"You have joined {invitation.organisation.name}.")
            return redirect(invitation.organisation)
        return render(request, "organisations/accept_invitation.html", {"invitation": invitation})

    if User.objects.filter(email=invitation.email).exists():
        messages.info(request, "You already have an account. Sign in to accept the invitation.")
        return redirect(f"/account/sign-in/?next={request.path}")

    form = SignUpForm(request.POST if request.method == "POST" else None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_as_new_person(
                invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password"]
            )
        except services.InvitationError as error:  # the form sent twice, or the invitation cancelled meanwhile
            return _invitation_problem(request, error)
        login(request, new_user, backend="personfirst.core.accounts.backends.PasswordBackend")
        messages.success(request, f"Your account has been created and you have joined {invitation.organisation.name}.")
        return redirect(invitation.organisation)
    return render(request, "organisations/sign_up.html", {"invitation": invitation, "form": form})


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
        grant = services.share(
            organisation=organisation, support_organisation=form.cleaned_data["support_organisation"], by=request.user
        )
        messages.success(request, f"{grant.support_organisation.name} can now see your organisation's records.")
        return redirect("organisations:sharing", slug=slug)
    return render(
        request,
        "organisations/sharing.html",
        {"organisation": organisation, "grants": grants, "form": form, "has_candidates": candidates.exists()},
    )


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
