"""Workflows that cross models: the people of an organisation (role grants
over it), inviting them, and sharing records.

Changes to who belongs to an organisation, and to whom it shares with, first
lock the organisation's row (``_lock_people``), then read what they decide on,
so that two of them happen one after the other; an invitation is locked on its
own row first. A change that finds things no longer as the person saw them
raises ``ConflictError`` (``personfirst.core.concurrency``), and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from personfirst.core.access import services as role_services
from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName
from personfirst.core.accounts import invitations
from personfirst.core.concurrency import ConflictError, lock, refresh_locked

from .models import AccessGrant, Invitation, Organisation

# Roles over an organisation that end when someone leaves it.
ORGANISATION_ROLES = (*MEMBERSHIP_ROLES, RoleName.DEVELOPMENT_WORKER, RoleName.PROVIDER_EDITOR)


class PeopleError(ConflictError):
    """A change to an organisation's people that cannot be made, with a message for the person."""


class LastAdministrator(PeopleError):
    """Removing this person would leave the organisation with no administrator."""


def _lock_people(organisation_id: int) -> None:
    """Hold the organisation's role grants and sharing until the end of the
    transaction (the organisation's row, FOR NO KEY UPDATE)."""
    lock(Organisation.objects.filter(pk=organisation_id), no_key=True)


@dataclass(frozen=True)
class Member:
    """Someone in an organisation: their current roles over it."""

    user: object
    grants: list[RoleGrant]

    @property
    def membership(self) -> RoleGrant:
        """Their member or administrator grant (what the people page removes)."""
        return next(g for g in self.grants if g.role in MEMBERSHIP_ROLES)

    @property
    def is_admin(self) -> bool:
        return any(g.role == RoleName.ORGANISATION_ADMIN for g in self.grants)

    @property
    def since(self):
        return min(g.valid_from for g in self.grants)

    def role_labels(self) -> list[str]:
        return [g.get_role_display() for g in self.grants]


def people_of(organisation: Organisation) -> list[Member]:
    """The organisation's members and administrators, with their roles over it."""
    members = RoleGrant.objects.current().filter(organisation=organisation, role__in=MEMBERSHIP_ROLES).values("user")
    grants = (
        RoleGrant.objects.current()
        .filter(organisation=organisation, role__in=ORGANISATION_ROLES, user__in=members)
        .select_related("user")
        .order_by("user__email", "user_id", "role")
    )
    return [Member(user, list(rows)) for user, rows in groupby(grants, key=lambda g: g.user)]


class InvitationError(ConflictError):
    """An invitation that cannot be used, with a message for the person."""


class AlreadyHeld(ValueError):
    """Inviting someone to a role they already hold over the organisation."""


def already_holds(organisation: Organisation, email: str, role: str) -> str:
    """Why inviting ``email`` to ``role`` would change nothing, or "" if it
    would: they already hold that role (an administrator is a member too).
    Inviting a member to be an administrator is a change, so it is allowed."""
    from personfirst.core.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return ""
    held = set(RoleGrant.objects.current().filter(user=user, organisation=organisation).values_list("role", flat=True))
    covers = {
        RoleName.ORGANISATION_MEMBER: {RoleName.ORGANISATION_MEMBER, RoleName.ORGANISATION_ADMIN},
        RoleName.ORGANISATION_ADMIN: {RoleName.ORGANISATION_ADMIN},
        RoleName.DEVELOPMENT_WORKER: {RoleName.DEVELOPMENT_WORKER},
    }
    if held & covers.get(role, {role}):
        if role == RoleName.DEVELOPMENT_WORKER:
            what = "a development worker"
        elif RoleName.ORGANISATION_ADMIN in held:
            what = "an administrator"
        else:
            what = "a member"
        return f"{email} is already {what} of {organisation.name}, so there is nothing to invite them to"
    return ""


def invite(*, organisation: Organisation, email: str, role: str, invited_by) -> Invitation:
    """Send an invitation; AlreadyHeld if the person already holds the role."""
    reason = already_holds(organisation, email, role)
    if reason:
        raise AlreadyHeld(reason)
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
def accept(invitation: Invitation, user) -> RoleGrant:
    """Give the invited person the invitation's role over the organisation:
    a member, an administrator (someone already a member becomes one), or
    a development worker (who is a member too). Someone who already holds
    more keeps it."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    _lock_people(invitation.organisation_id)
    organisation = invitation.organisation
    by = invitation.invited_by
    current = RoleGrant.objects.current().filter(user=user, organisation=organisation)
    membership = current.filter(role__in=MEMBERSHIP_ROLES).first()
    if invitation.role == RoleName.ORGANISATION_ADMIN and membership and membership.role != RoleName.ORGANISATION_ADMIN:
        role_services.end(membership, by=by)
        membership = None
    if membership is None:
        level = RoleName.ORGANISATION_ADMIN if invitation.role == RoleName.ORGANISATION_ADMIN else None
        membership = role_services.grant(
            user=user, role=level or RoleName.ORGANISATION_MEMBER, organisation=organisation, by=by
        )
    given = membership
    if invitation.role == RoleName.DEVELOPMENT_WORKER:
        given = role_services.grant(user=user, role=RoleName.DEVELOPMENT_WORKER, organisation=organisation, by=by)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return given


def accept_as_new_person(invitation: Invitation, *, full_name: str, password: str):
    """Create the invited person's account and accept the invitation, at once:
    InvitationError if it has been used meanwhile (say, the form sent twice)
    or if an account with its address exists. Returns the new user."""
    try:
        return invitations.create_account_and_accept(invitation, full_name=full_name, password=password, accept=accept)
    except InvitationError:
        raise
    except ConflictError as error:
        raise InvitationError(error.message, error.current) from None


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
def remove(organisation: Organisation, membership: RoleGrant, *, by) -> None:
    """End every role the person holds over the organisation. The last
    administrator cannot be removed: the organisation would have no one to
    manage it. The organisation's row is locked first, so two administrators
    removing each other at once cannot both succeed."""
    _lock_people(organisation.pk)
    theirs = RoleGrant.objects.current().filter(
        user_id=membership.user_id, organisation=organisation, role__in=ORGANISATION_ROLES
    )
    if not theirs.filter(role__in=MEMBERSHIP_ROLES).exists():
        name = membership.user.display_name
        raise PeopleError(f"{name} had already been removed. Nothing was changed.", None)
    admins = RoleGrant.objects.current().filter(organisation=organisation, role=RoleName.ORGANISATION_ADMIN)
    if (
        theirs.filter(role=RoleName.ORGANISATION_ADMIN).exists()
        and not admins.exclude(user_id=membership.user_id).exists()
    ):
        raise LastAdministrator(
            "You cannot remove the only administrator. Make someone else an administrator first.", membership
        )
    for grant in theirs:
        role_services.end(grant, by=by)


@transaction.atomic
def share(
    *,
    organisation: Organisation,
    support_organisation: Organisation,
    by,
    assessments: bool = True,
    plan: bool = True,
) -> AccessGrant:
    """Share the organisation's profile, and the parts of its records chosen,
    with a support and development organisation. Sharing again with the same
    one changes what is shared (even at the same moment: one grant is kept)."""
    _lock_people(organisation.pk)
    grant = (
        AccessGrant.objects.active()
        .filter(organisation=organisation, support_organisation=support_organisation)
        .first()
    )
    if grant:
        if (grant.assessments, grant.plan) != (assessments, plan):
            grant.assessments, grant.plan = assessments, plan
            grant.save(update_fields=["assessments", "plan"])
        return grant
    return AccessGrant.objects.create(
        organisation=organisation,
        support_organisation=support_organisation,
        granted_by=by,
        assessments=assessments,
        plan=plan,
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
