"""The personal data of people's records (see personfirst/core/privacy.py).

A person's record is about someone who may never sign in. Here it is exported
to, and erased for, the account linked to it (``Person.user``): the person
themselves. Records a practitioner keeps about other people are those
people's data, not the practitioner's; the practitioner's export lists only
which records they made and read.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import ExceptionalAccess, Person, PersonInvitation, RecordRead, Supporter

ERASED_PERSON = "Erased"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _record(person: Person) -> dict:
    return {
        "reference": person.reference,
        "first_name": person.given_name,
        "last_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": _iso(person.date_of_birth),
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "what_matters": person.what_matters,
        "council_area": person.council_area.name,
        "supporters": [
            {
                "name": s.name,
                "email": s.email,
                "kind": s.get_kind_display(),
                "status": s.status,
                "consent_note": s.consent_note,
            }
            for s in person.supporters.all()
        ],
    }


def _export_records(user) -> dict:
    own = Person.objects.filter(user=user).select_related("council_area").first()
    return {
        "your_record": _record(own) if own else None,
        "records_you_created": [p.reference for p in Person.objects.filter(created_by=user)],
    }


def _person_identities(user) -> list[str]:
    found = []
    for person in Person.objects.filter(user=user):
        found += [person.full_name, person.email, person.phone]
        if person.preferred_name:
            found.append(f"{person.preferred_name} {person.family_name}")
    return found


def _erase_record(user, identities: list[str]) -> None:
    Person.objects.filter(user=user).update(
        given_name=ERASED_PERSON,
        family_name="",
        preferred_name="",
        date_of_birth=None,
        email="",
        phone="",
        address="",
        what_matters="",
        user=None,
    )


privacy.holds(
    "people.Person",
    what="Your record: your name, date of birth, contact details and what matters to you.",
    fields=[
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "what_matters",
        "user",
        "created_by",
    ],
    keep=Retention(
        "While the council supports the person; the council decides when to close a record "
        "(nothing deletes one by itself). Erasure anonymises it."
    ),
    export=_export_records,
    erase=_erase_record,
    identities=_person_identities,
    mentions=["what_matters", "address"],
)


def _export_supporting(user) -> dict:
    return {
        "people_you_support": [
            {
                "person": s.person.reference,
                "kind": s.get_kind_display(),
                "name": s.name,
                "email": s.email,
                "status": s.status,
                "since": s.created_at.isoformat(),
                "ended": _iso(s.ended_at),
            }
            for s in Supporter.objects.filter(user=user).select_related("person")
        ]
    }


def _erase_supporting(user, identities: list[str]) -> None:
    from personfirst.core.accounts.personal_data import ERASED_NAME, erased_address

    addresses = Q(pk__in=[])
    for address in (value for value in identities if "@" in value):
        addresses |= Q(email__iexact=address)
    rows = Supporter.objects.filter(Q(user=user) | addresses)
    rows.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    rows.update(name=ERASED_NAME, email=erased_address(user))


privacy.holds(
    "people.Supporter",
    what="Supporters of a person: their name, address, and the consent recorded.",
    fields=["user", "name", "email", "consent_note", "consent_recorded_by", "ended_by"],
    keep=Retention("As long as the person's record."),
    export=_export_supporting,
    erase=_erase_supporting,
    mentions=["name", "consent_note"],
)


def _erase_person_invitations(user, identities: list[str]) -> None:
    from personfirst.core.accounts.personal_data import erased_address

    addresses = Q(pk__in=[])
    for address in (value for value in identities if "@" in value):
        addresses |= Q(email__iexact=address)
    PersonInvitation.objects.filter(addresses).update(email=erased_address(user))


privacy.holds(
    "people.PersonInvitation",
    what="Invitations to sign in to a record: the address they were sent to.",
    fields=["email", "invited_by"],
    keep=Retention(
        "Deleted a year after it was sent, once accepted, cancelled or expired.",
        period=timedelta(days=365),
        expired=lambda cutoff: PersonInvitation.objects.filter(created_at__lt=cutoff).filter(
            Q(accepted_at__isnull=False) | Q(revoked_at__isnull=False) | Q(expires_at__lt=cutoff)
        ),
    ),
    export=lambda user: {
        "record_invitations_received": [
            {"record": i.person.reference, "sent": i.created_at.isoformat(), "status": i.status}
            for i in PersonInvitation.objects.filter(email__iexact=user.email).select_related("person")
        ]
    },
    erase=_erase_person_invitations,
)

privacy.holds(
    "people.ExceptionalAccess",
    what="Reasons you gave to open a record that is not routinely yours to read.",
    fields=["user", "reason"],
    keep=Retention(
        "Deleted 30 days after the hour it gave ends (the read log keeps the reason).",
        period=timedelta(days=30),
        expired=lambda cutoff: ExceptionalAccess.objects.filter(ends_at__lt=cutoff),
    ),
    export=lambda user: {
        "reasons_given": [
            {
                "record": a.person.reference,
                "reason": a.reason,
                "from": a.started_at.isoformat(),
                "until": a.ends_at.isoformat(),
            }
            for a in ExceptionalAccess.objects.filter(user=user).select_related("person")
        ]
    },
    mentions=["reason"],
)

privacy.holds(
    "people.RecordRead",
    what="Every read of a person's record: who, when, what, as whom and why.",
    fields=["user", "person", "reason"],
    keep=Retention(
        "Eight years from the read, as long as social care records are usually kept.",
        period=timedelta(days=8 * 365 + 2),
        expired=lambda cutoff: RecordRead.objects.filter(at__lt=cutoff),
    ),
    export=lambda user: {
        "records_you_read": [
            {"record": r.person.reference, "at": r.at.isoformat(), "what": r.what, "as": r.as_role, "reason": r.reason}
            for r in RecordRead.objects.filter(user=user).select_related("person").order_by("at")
        ],
        "reads_of_your_record": [
            {
                "at": r.at.isoformat(),
                "by": r.user.display_name if r.user else None,
                "what": r.what,
                "as": r.as_role,
                "reason": r.reason,
            }
            for r in RecordRead.objects.filter(person__user=user).select_related("user").order_by("at")
        ],
    },
    mentions=["reason"],
)

privacy.holds_none(
    "people.Team",
    "A council team's name (\"Eastmere adults' team\"), not a person's; its members are links to accounts, "
    "exported with the account's roles.",
)
