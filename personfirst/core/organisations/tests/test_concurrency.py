"""People, invitations and sharing under concurrent requests, with real
transactions: each call runs in a thread of its own with its own database
connection (the ``race`` fixture in conftest.py).

Every test checks that each call that succeeded left its change in the
database, and that each call that was refused was told so by the domain
(``ConflictError`` and its kinds), never by an IntegrityError. They run on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName
from personfirst.core.accounts.models import User
from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations import services
from personfirst.core.organisations.models import AccessGrant, Invitation

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "new.person@carers.example"


def refused_or_done(outcomes) -> None:
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked


def memberships(**where):
    """Current member or administrator grants."""
    return RoleGrant.objects.current().filter(role__in=MEMBERSHIP_ROLES, **where)


def successes(outcomes) -> int:
    return [o.ok for o in outcomes].count(True)


def test_administrators_removing_each_other_at_once_leave_one(world, race):
    for _round in range(3):
        for grant in memberships(organisation=world.org, role=RoleName.ORGANISATION_MEMBER):
            grant.role = RoleName.ORGANISATION_ADMIN
            grant.save(update_fields=["role"])
        admins = list(memberships(organisation=world.org, role=RoleName.ORGANISATION_ADMIN).select_related("user"))
        assert len(admins) >= 2

        outcomes = race(*[lambda g=g: services.remove(world.org, g, by=g.user) for g in admins])

        refused_or_done(outcomes)
        left = memberships(organisation=world.org, role=RoleName.ORGANISATION_ADMIN)
        assert left.count() == 1
        assert successes(outcomes) == len(admins) - 1
        assert all(isinstance(o.error, services.LastAdministrator) for o in outcomes if not o.ok)
        # Put everyone back for the next round.
        for grant in admins:
            if not memberships(user=grant.user, organisation=world.org).exists():
                RoleGrant.objects.create(user=grant.user, organisation=world.org, role=RoleName.ORGANISATION_ADMIN)


def test_accepting_one_invitation_twice_at_once_joins_once(world, race):
    person = User.objects.create_user(EMAIL, world.password, full_name="Nia New")
    invitation, _raw = Invitation.create(
        organisation=world.org, email=EMAIL, role=RoleName.ORGANISATION_ADMIN, invited_by=world.admin
    )
    pages = [Invitation.objects.get(pk=invitation.pk) for _n in range(3)]  # the form posted three times

    outcomes = race(*[lambda page=page: services.accept(page, person) for page in pages])

    refused_or_done(outcomes)
    assert successes(outcomes) == 1
    assert all(isinstance(o.error, services.InvitationError) for o in outcomes if not o.ok)
    assert memberships(user=person, organisation=world.org).get().role == RoleName.ORGANISATION_ADMIN
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_signing_up_through_one_invitation_twice_at_once_makes_one_account(world, race):
    invitation, _raw = Invitation.create(
        organisation=world.org, email=EMAIL, role=RoleName.ORGANISATION_MEMBER, invited_by=world.admin
    )
    pages = [Invitation.objects.get(pk=invitation.pk) for _n in range(3)]

    outcomes = race(
        *[
            lambda page=page: services.accept_as_new_person(page, full_name="Nia New", password=world.password)
            for page in pages
        ]
    )

    refused_or_done(outcomes)
    assert successes(outcomes) == 1
    assert User.objects.filter(email=EMAIL).count() == 1
    assert memberships(user__email=EMAIL, organisation=world.org).count() == 1


def test_cancelling_an_invitation_while_it_is_accepted_does_one_or_the_other(world, race):
    person = User.objects.create_user(EMAIL, world.password, full_name="Nia New")
    for _round in range(4):
        RoleGrant.objects.filter(user=person).delete()
        invitation, _raw = Invitation.create(
            organisation=world.org, email=EMAIL, role=RoleName.ORGANISATION_MEMBER, invited_by=world.admin
        )
        seen = [Invitation.objects.get(pk=invitation.pk), Invitation.objects.get(pk=invitation.pk)]

        outcomes = race(lambda seen=seen: services.accept(seen[0], person), lambda seen=seen: services.revoke(seen[1]))

        refused_or_done(outcomes)
        assert successes(outcomes) == 1, outcomes
        invitation.refresh_from_db()
        joined = memberships(user=person, organisation=world.org).exists()
        if outcomes[0].ok:  # accepted: the cancelling was refused, and said why
            assert joined and invitation.status == "accepted" and invitation.revoked_at is None
            assert "had already accepted" in outcomes[1].error.message
        else:  # cancelled: accepting was refused
            assert not joined and invitation.status == "revoked" and invitation.accepted_at is None
            assert "cancelled" in outcomes[0].error.message


def test_sharing_twice_at_once_gives_one_grant(world, race):
    AccessGrant.objects.filter(organisation=world.org).delete()

    outcomes = race(
        *[
            lambda by=by: services.share(organisation=world.org, support_organisation=world.support_org, by=by)
            for by in (world.admin, world.admin, world.platform)
        ]
    )

    refused_or_done(outcomes)
    assert successes(outcomes) == 3
    grant = AccessGrant.objects.active().get(organisation=world.org, support_organisation=world.support_org)
    assert {o.value.pk for o in outcomes} == {grant.pk}


def test_stopping_sharing_twice_at_once_stops_it_once(world, race):
    grant = AccessGrant.objects.active().get(organisation=world.org, support_organisation=world.support_org)
    pages = [AccessGrant.objects.select_related("support_organisation").get(pk=grant.pk) for _n in range(2)]

    outcomes = race(
        lambda: services.stop_sharing(pages[0], world.admin), lambda: services.stop_sharing(pages[1], world.platform)
    )

    refused_or_done(outcomes)
    assert successes(outcomes) == 1
    grant.refresh_from_db()
    winner = world.admin if outcomes[0].ok else world.platform
    assert grant.revoked_at is not None and grant.revoked_by == winner
