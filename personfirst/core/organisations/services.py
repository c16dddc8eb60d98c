"""Workflows that cross models: inviting people, membership and sharing records.

Changes to who belongs to an organisation, and to whom it shares with, first
lock the organisation's row (``_lock_people``), then read what they decide on,
so that two of them happen one after the other; an invitation is locked on its
own row first. A change that finds things no longer as the person saw them
raises ``ConflictError`` (``personfirst.core.concurrency``), and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from personfirst.core.accounts.models import User
from personfirst.core.audit.actor import attribute_changes_to
from personfirst.core.concurrency import ConflictError, lock, refresh_locked

from .models import AccessGrant, Invitation, Membership, Organisation, Role


class InvitationError(ConflictError):
    """An invitation that cannot be used, with a message for the person."""


class LastAdministrator(ConflictError):
    """Removing this membership would leave the organisation with no administrator."""


def _lock_people(organisation_id: int) -> None:
    """Hold the organisation's memberships and grants until the end of the
    transaction (the organisation's row, FOR NO KEY UPDATE)."""
    lock(Organisation.objects.filter(pk=organisation_id), no_key=True)


def invite(*, organisation: Organisation, email: str, role: str, invited_by) -> Invitation:
    invitation, raw = Invitation.create(organisation=organisation, email=email, role=role, invited_by=invited_by)
    link = settings.SITE_ROOT + reverse("organisations:accept-invitation", args=[raw])
    body = render_to_string(
        "organisations/email/invitation.txt",
        {"invitation": invitation, "link": link, "inviter": invited_by, "days": settings.INVITATION_DAYS},
    )
    send_mail(f"You are invited to join {organisation.name} on PersonFirst", body, None, [invitation.email])
    return invitation


def check_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationError("This invitation link is not right. Check you copied the whole link from the e-mail.")
    messages = {
        "accepted": "This invitation has already been used. Sign in to continue.",
        "revoked": "This invitation was cancelled by the organisation. Ask them to send a new one.",
        "expired": "This invitation has expired. Ask the organisation to send a new one.",
    }
    if invitation.status in messages:
        raise InvitationError(messages[invitation.status])
    return invitation


@transaction.atomic
def accept(invitation: Invitation, user) -> Membership:
    """Make ``user`` a member (or an administrator, as the invitation says).
    InvitationError if it has been used, cancelled or has expired meanwhile."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    _lock_people(invitation.organisation_id)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == "admin" and membership.role != "admin":
        membership.role = "admin"
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def accept_as_new_person(invitation: Invitation, *, full_name: str, password: str):
    """Create the invited person's account and accept the invitation, at once:
    InvitationError if it has been used meanwhile (say, the form sent twice)
    or if an account with its address exists. Returns the new user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    if User.objects.filter(email=invitation.email).exists():
        raise InvitationError("You already have an account. Sign in to accept the invitation.")
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    attribute_changes_to(user)
    accept(invitation, user)
    return user


@transaction.atomic
def revoke(invitation: Invitation) -> Invitation:
    """Cancel an invitation still waiting. ConflictError (with the invitation
    as it is now) if it has been accepted, cancelled or has expired meanwhile."""
    email = invitation.email
    refresh_locked(invitation, f"The invitation to {email} no longer exists. Nothing was changed.")
    problems = {
        "accepted": f"{email} had already accepted the invitation, so it could not be cancelled. "
        "Remove them from the list of people if they should not belong.",
        "revoked": f"The invitation to {email} had already been cancelled.",
        "expired": f"The invitation to {email} had already expired.",
    }
    if invitation.status in problems:
        raise ConflictError(problems[invitation.status], invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove someone from an organisation. LastAdministrator if they are its
    only administrator (counted under the lock, so two administrators
    removing each other at once cannot leave none); ConflictError if they
    have been removed already."""
    _lock_people(membership.organisation_id)
    name = membership.user.display_name
    refresh_locked(membership, f"{name} had already been removed. Nothing was changed.")
    admins = Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
    if membership.is_admin and admins.count() == 1:
        raise LastAdministrator(
            "You cannot remove the only administrator. Make someone else an administrator first.", membership
        )
    membership.delete()


@transaction.atomic
def share(*, organisation: Organisation, support_organisation: Organisation, by) -> AccessGrant:
    """Let the support organisation's workers see the organisation's records.
    Sharing again (even at the same moment) keeps the grant already there."""
    _lock_people(organisation.pk)
    grant = (
        AccessGrant.objects.active()
        .filter(organisation=organisation, support_organisation=support_organisation)
        .first()
    )
    if grant:
        return grant
    return AccessGrant.objects.create(
        organisation=organisation, support_organisation=support_organisation, granted_by=by
    )


@transaction.atomic
def stop_sharing(grant: AccessGrant, by) -> AccessGrant:
    """Take back a grant. ConflictError (with the grant as it is now) if it has
    been taken back already."""
    name = grant.support_organisation.name
    _lock_people(grant.organisation_id)
    refresh_locked(grant, f"{name} can no longer see your organisation's records.")
    if grant.revoked_at is not None:
        raise ConflictError(f"Sharing with {name} had already been stopped. Nothing was changed.", grant)
    grant.revoke(by)
    return grant
