"""Who may see and change a person's record (autodiscovered by django-rules).

- The person themselves (the account linked to the record).
- Their supporters, while the relationship is current and consented: every
  supporter sees the record; some may change it with the person; some may
  act on the person's behalf (and so see who has looked at it).
- Practitioners of the person's council area (a practitioner role over it):
  routine.
- Anyone else with a council role in that area that may need a record (team
  manager, council administrator, approver, finance officer) gives a reason
  first (people.ExceptionalAccess); every read is then logged with it, as
  not routine. Commissioners never see one person's record: they see
  figures only. Platform administrators do not see people's records either:
  running the service is not a reason to read someone's care record.

A practitioner reads as routine the records allocated to a team they are a
member of (people.Team), and records not yet allocated to any team; any
other record in their area they read only after giving a reason.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from personfirst.core.access.models import RoleName
from personfirst.core.access.roles import _signed_in, current_grants, holds
from personfirst.core.access.shortcuts import add_perm

VIEW = "people.view_person"

# Council roles that may read a record after giving a reason (not commissioners).
REASON_ROLES = (
    RoleName.PRACTITIONER,
    RoleName.TEAM_MANAGER,
    RoleName.COUNCIL_ADMIN,
    RoleName.APPROVER,
    RoleName.FINANCE_OFFICER,
)


@rules.predicate
def is_the_person(user, person) -> bool:
    return person is not None and _signed_in(user) and person.user_id == user.pk


def _supporting(user, person):
    return person.supporters.current().filter(user=user)


@rules.predicate
def supports(user, person) -> bool:
    """A current, consented supporter of the person."""
    return person is not None and _signed_in(user) and _supporting(user, person).exists()


@rules.predicate
def supports_with_edit(user, person) -> bool:
    return person is not None and _signed_in(user) and _supporting(user, person).filter(may_edit=True).exists()


@rules.predicate
def acts_for(user, person) -> bool:
    """A supporter who may act on the person's behalf."""
    return person is not None and _signed_in(user) and _supporting(user, person).filter(may_act=True).exists()


@rules.predicate
def is_practitioner_for(user, person) -> bool:
    """A practitioner of the person's area, in the team the record is
    allocated to (or any practitioner there while it is allocated to none)."""
    if person is None or not holds(user, RoleName.PRACTITIONER, council_area=person.council_area_id):
        return False
    return person.team_id is None or person.team.members.filter(pk=user.pk).exists()


@rules.predicate
def may_give_reason(user, person) -> bool:
    """Holds a council role in the person's area that may read a record with a reason."""
    return (
        person is not None
        and current_grants(user).filter(role__in=REASON_ROLES, council_area=person.council_area_id).exists()
    )


@rules.predicate
def has_given_reason(user, person) -> bool:
    """Gave a reason to read this record within the last hour (and still holds the role)."""
    return (
        may_give_reason(user, person)
        and person.exceptional_access.filter(user=user, ends_at__gt=timezone.now()).exists()
    )


@rules.predicate
def is_practitioner_anywhere(user) -> bool:
    return holds(user, RoleName.PRACTITIONER)


@rules.predicate
def has_people(user) -> bool:
    """Has a record of their own, or supports someone: what the People page lists for them."""
    if not _signed_in(user):
        return False
    from .models import Person

    today = timezone.localdate()
    return Person.objects.filter(
        Q(user=user)
        | Q(
            supporters__user=user,
            supporters__ended_at__isnull=True,
            supporters__consent_given_at__isnull=False,
        )
        & (Q(supporters__valid_until__isnull=True) | Q(supporters__valid_until__gte=today))
    ).exists()


@rules.predicate
def is_practitioner_in(user, area) -> bool:
    return area is not None and holds(user, RoleName.PRACTITIONER, council_area=area)


# Reads that are routine: no reason needed.
reads_routinely = is_the_person | supports | is_practitioner_for

add_perm(VIEW, reads_routinely | has_given_reason)
add_perm("people.change_person", is_the_person | supports_with_edit | is_practitioner_for, seen_with=VIEW)
add_perm("people.manage_supporters", is_the_person | is_practitioner_for, seen_with=VIEW)
add_perm("people.view_reads", is_the_person | acts_for, seen_with=VIEW)
add_perm("people.invite_person", is_practitioner_for, seen_with=VIEW)
add_perm("people.give_reason", may_give_reason & ~reads_routinely)
# The People page, and creating a record in an area.
add_perm("people.view_people", is_practitioner_anywhere | has_people)
add_perm("people.add_person", is_practitioner_in)
add_perm("people.add_person_anywhere", is_practitioner_anywhere)


@rules.predicate
def allocates_teams_in(user, area) -> bool:
    """A team manager or council administrator of the area: allocates its records to its teams (decision 0012)."""
    return area is not None and (
        holds(user, RoleName.TEAM_MANAGER, council_area=area) or holds(user, RoleName.COUNCIL_ADMIN, council_area=area)
    )


# On a CouncilArea: the team allocation page.
add_perm("people.allocate_teams", allocates_teams_in)
