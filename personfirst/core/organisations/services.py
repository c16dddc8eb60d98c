"""Workflows that cross models: inviting people and sharing records."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import AccessGrant, Invitation, Membership, Organisation


class InvitationError(Exception):
    """An invitation that cannot be used, with a message for the person."""


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
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == "admin" and membership.role != "admin":
        membership.role = "admin"
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def share(*, organisation: Organisation, support_organisation: Organisation, by) -> AccessGrant:
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
