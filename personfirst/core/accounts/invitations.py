"""Invitations by e-mail: what every kind has in common.

An invitation is a single-use link, valid for INVITATION_DAYS, stored only
as a hash and tied to the address it was sent to. Organisations invite
members (organisations.Invitation); a practitioner invites a person to see
their own record, and a person invites the people who support them
(people.PersonInvitation). Each kind says what accepting it gives; the
way it is answered (sign in, or create an account, then accept) is here,
once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class InvitationBase(models.Model):
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @classmethod
    def issue(cls, *, email: str, invited_by, **fields):
        """A new invitation and its raw token (shown once, in the e-mail's link)."""
        raw = secrets.token_urlsafe(24)
        invitation = cls.objects.create(
            email=email.strip().lower(),
            invited_by=invited_by,
            token_hash=token_hash(raw),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
            **fields,
        )
        return invitation, raw

    @classmethod
    def find(cls, raw: str):
        return cls.objects.filter(token_hash=token_hash(raw)).first()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


@dataclass(frozen=True)
class Answer:
    """How one kind of invitation is answered: its pages and words, and what accepting does."""

    accept: Callable  # accept(invitation, user): gives what the invitation offers
    done: str  # the message after accepting, signed in already
    created: str  # the message after creating an account and accepting
    next_url: str  # where to go after
    confirm_template: str  # "accept this invitation?" (context: invitation)
    sign_up_template: str  # create your account (context: invitation, form)


def problem(request: HttpRequest, message: str, *, status: int = 410) -> HttpResponse:
    """The page for an invitation that cannot be used (expired, used, cancelled, for someone else)."""
    return render(request, "accounts/invitation_problem.html", {"message": message}, status=status)


@transaction.atomic
def create_account_and_accept(invitation, *, full_name: str, password: str, accept: Callable):
    """Create the invited person's account and accept the invitation, in one
    transaction with the invitation's row locked: ConflictError if it has been
    used meanwhile (the form sent twice) or an account with its address
    exists. ``accept`` checks the invitation is still usable. Returns the user."""
    from personfirst.core.audit.actor import attribute_changes_to
    from personfirst.core.concurrency import ConflictError

    from .models import User

    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == "accepted" or User.objects.filter(email=invitation.email).exists():
        raise ConflictError("You already have an account. Sign in to accept the invitation.", invitation)
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    attribute_changes_to(user)
    accept(invitation, user)
    return user


def respond(request: HttpRequest, invitation, answer: Answer) -> HttpResponse:
    """Answer a usable invitation's link: someone signed in with its address
    accepts it; someone else signed in is told it is not theirs; someone
    signed out with an account signs in first; anyone else creates an
    account with the invited address and accepts in one step."""
    from personfirst.core.concurrency import ConflictError

    from .forms import SignUpForm
    from .models import User

    def gone(error: ConflictError) -> HttpResponse:  # used or cancelled since the page was loaded
        return problem(request, error.message)

    user = request.user
    if user.is_authenticated:
        if user.email != invitation.email:
            message = (
                f"This invitation was sent to {invitation.email}, but you are signed in as {user.email}. "
                "Sign out and open the link again, or ask for an invitation to your own address."
            )
            return problem(request, message, status=403)
        if request.method == "POST":
            try:
                answer.accept(invitation, user)
            except ConflictError as error:
                return gone(error)
            messages.success(request, answer.done)
            return redirect(answer.next_url)
        return render(request, answer.confirm_template, {"invitation": invitation})

    if User.objects.filter(email=invitation.email).exists():
        messages.info(request, "You already have an account. Sign in to accept the invitation.")
        return redirect(f"/account/sign-in/?next={request.path}")

    form = SignUpForm(request.POST if request.method == "POST" else None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = create_account_and_accept(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                accept=answer.accept,
            )
        except ConflictError as error:
            return gone(error)
        login(request, new_user, backend="personfirst.core.accounts.backends.PasswordBackend")
        messages.success(request, answer.created)
        return redirect(answer.next_url)
    return render(request, answer.sign_up_template, {"invitation": invitation, "form": form})
