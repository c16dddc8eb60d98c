"""Creating records, supporters and their consent, invitations to sign in,
and reasons to read. No HTTP in here."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from personfirst.core.concurrency import ConflictError

from .models import ConsentBy, ConsentHow, ExceptionalAccess, Person, PersonInvitation, Supporter, Team


class PeopleError(ConflictError):
    """Something that cannot be done to a record, with a message for the person."""


PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "what_matters",
)


def create_person(*, council_area, by, **details) -> Person:
    unknown = set(details) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a person's record: {sorted(unknown)}")
    return Person.objects.create(council_area=council_area, created_by=by, **details)


def update_person(person: Person, **details) -> Person:
    for field, value in details.items():
        if field not in PERSON_FIELDS:
            raise TypeError(f"not a field of a person's record: {field}")
        setattr(person, field, value)
    person.save()
    return person


def _send(invitation: PersonInvitation, raw: str, subject: str, template: str, inviter) -> None:
    link = settings.SITE_ROOT + reverse("people:accept-invitation", args=[raw])
    body = render_to_string(
        template, {"invitation": invitation, "link": link, "inviter": inviter, "days": settings.INVITATION_DAYS}
    )
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invite_person(person: Person, *, by) -> PersonInvitation:
    """Invite the person to sign in and see their own record, at the
    address on the record."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise PeopleError("This person already signs in to see their record.")
    if not person.email:
        raise PeopleError("Add the person's e-mail address to their record first.")
    person.invitations.filter(supporter=None).pending().update(revoked_at=timezone.now())
    invitation, raw = PersonInvitation.issue(email=person.email, invited_by=by, person=person)
    _send(invitation, raw, "You are invited to see your record on PersonFirst", "people/email/invite_person.txt", by)
    return invitation


@dataclass(frozen=True)
class Consent:
    by: str  # ConsentBy
    how: str  # ConsentHow
    note: str = ""


@transaction.atomic
def add_supporter(
    person: Person,
    *,
    name: str,
    email: str,
    kind: str,
    may_edit: bool,
    may_act: bool,
    valid_until,
    consent: Consent,
    by,
) -> Supporter:
    """Record a supporter the person chose, with their consent, and send
    them an invitation: they can see the record once they accept it."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    email = email.strip().lower()
    if person.supporters.open().filter(email=email).exists():
        raise PeopleError(f"{email} is already one of this person's supporters, or invited to be.")
    supporter = Supporter.objects.create(
        person=person,
        name=name,
        email=email,
        kind=kind,
        may_edit=may_edit,
        may_act=may_act,
        valid_until=valid_until,
        consent_given_at=timezone.now(),
        consent_by=consent.by,
        consent_how=consent.how,
        consent_note=consent.note,
        consent_recorded_by=by,
    )
    invitation, raw = PersonInvitation.issue(email=email, invited_by=by, person=person, supporter=supporter)
    _send(invitation, raw, "You are invited to support someone on PersonFirst", "people/email/invite_supporter.txt", by)
    return supporter


def consent_from_the_person() -> Consent:
    return Consent(by=ConsentBy.PERSON, how=ConsentHow.ONLINE)


@transaction.atomic
def end_supporter(supporter: Supporter, *, by) -> Supporter:
    locked = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if locked.ended_at is None:
        locked.ended_at = timezone.now()
        locked.ended_by = by
        locked.save(update_fields=["ended_at", "ended_by"])
        PersonInvitation.objects.filter(supporter=locked).pending().update(revoked_at=timezone.now())
    return locked


class InvitationError(Exception):
    pass


def check_usable(invitation: PersonInvitation | None) -> PersonInvitation:
    if invitation is None:
        raise InvitationError("This invitation link is not right. Check you copied the whole link from the e-mail.")
    messages = {
        "accepted": "This invitation has already been used. Sign in to continue.",
        "revoked": "This invitation was cancelled. Ask the person who sent it for a new one.",
        "expired": "This invitation has expired. Ask the person who sent it for a new one.",
    }
    if invitation.status in messages:
        raise InvitationError(messages[invitation.status])
    if invitation.supporter_id and invitation.supporter.ended_at is not None:
        raise InvitationError("This invitation was cancelled. Ask the person who sent it for a new one.")
    return invitation


@transaction.atomic
def accept(invitation: PersonInvitation, user) -> Person:
    """Link the account to the record (the person's own), or to the supporter."""
    invitation = PersonInvitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    if invitation.supporter_id is None:
        if person.user_id not in (None, user.pk):
            raise InvitationError("Someone else already signs in to see this record.")
        if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
            raise InvitationError("Your account already has a record of its own.")
        person.user = user
        person.save(update_fields=["user"])
    else:
        supporter = invitation.supporter
        supporter.user = user
        supporter.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return person


def give_reason(person: Person, *, user, reason: str) -> ExceptionalAccess:
    """Open the record for an hour to someone who gave a reason."""
    reason = reason.strip()
    if not reason:
        raise PeopleError("Enter why you need to read this record")
    now = timezone.now()
    return ExceptionalAccess.objects.create(
        person=person, user=user, reason=reason, started_at=now, ends_at=now + ExceptionalAccess.DURATION
    )


def visible_people(user):
    """The records the People page lists for ``user``: their own, those they
    support, and, for a practitioner, those allocated to their teams and
    those of their areas not yet allocated to a team. Names only: opening one
    is a read, and is logged; a list is not."""
    from django.db.models import Q

    from personfirst.core.access import roles
    from personfirst.core.access.models import RoleName

    if not (user.is_authenticated and user.is_active):
        return Person.objects.none()
    today = timezone.localdate()
    supported = Supporter.objects.current(today).filter(user=user).values("person")
    areas = roles.current_grants(user, RoleName.PRACTITIONER).values("council_area")
    teams = Team.objects.filter(members=user).values("pk")
    caseload = Q(council_area__in=areas) & (Q(team__isnull=True) | Q(team__in=teams))
    return Person.objects.filter(Q(user=user) | Q(pk__in=supported) | caseload).select_related("council_area")


def allocate_to_team(area, seen: dict, team, *, by) -> int:
    """Move the records in ``seen`` (person id -> the team id they were in
    when the page was shown, None for none) to ``team`` (None: to no team),
    all or none. The rows are locked first; if any record moved meanwhile,
    or is not in ``area``, nothing moves (ConflictError). Each change is in
    the change log (Person is audited). Returns how many moved."""
    from personfirst.core.concurrency import lock

    if team is not None and team.council_area_id != area.pk:
        raise ConflictError("That team is not one of this council's.")
    with transaction.atomic():
        lock(Person.objects.filter(council_area=area, pk__in=list(seen)), no_key=True)
        people = list(Person.objects.filter(council_area=area, pk__in=list(seen)))
        if len(people) != len(seen):
            raise ConflictError("Some of those records are not this council's, or have gone. Nothing was moved.")
        moved_meanwhile = [p for p in people if p.team_id != seen[p.pk]]
        if moved_meanwhile:
            raise ConflictError(
                f"{len(moved_meanwhile)} of those records moved team while you were choosing. "
                "Nothing was moved: look again."
            )
        moved = 0
        for person in people:
            if person.team_id != (team.pk if team else None):
                person.team = team
                person.save(update_fields=["team", "updated_at"])
                moved += 1
    return moved
