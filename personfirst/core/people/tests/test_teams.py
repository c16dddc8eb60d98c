"""Teams: a practitioner reads as routine the records allocated to their
team (and records not yet allocated to any); another team's record in the
same area asks for a reason, and the read is logged as not routine."""

from __future__ import annotations

import pytest
from django.test import Client

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.accounts.models import User
from personfirst.core.people import records, services
from personfirst.core.people.models import RecordRead, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(world):
    north = Team.objects.create(council_area=world.area, name="North adults' team")
    south = Team.objects.create(council_area=world.area, name="South adults' team")
    north.members.add(world.practitioner)
    colleague = User.objects.create_user("south@eastmere.example", "x-pass-1234567", full_name="Sol South")
    RoleGrant.objects.create(user=colleague, council_area=world.area, role=RoleName.PRACTITIONER)
    south.members.add(colleague)
    return north, south, colleague


def test_a_practitioner_reads_their_teams_records_as_routine(world, teams):
    north, _, colleague = teams
    world.own_record.team = north
    world.own_record.save()
    assert world.practitioner.has_perm("people.view_person", world.own_record)
    records.open_record(world.practitioner, world.own_record.pk, "the record")
    read = RecordRead.objects.get(person=world.own_record, user=world.practitioner)
    assert (read.as_role, read.routine) == ("practitioner", True)
    # The other team's practitioner must give a reason first.
    assert not colleague.has_perm("people.view_person", world.own_record)
    assert colleague.has_perm("people.give_reason", world.own_record)
    with pytest.raises(records.ReasonNeeded):
        records.open_record(colleague, world.own_record.pk, "the record")


def test_another_teams_record_is_read_with_a_reason_and_logged_as_such(world, teams):
    _, south, colleague = teams
    world.cared_for.team = south
    world.cared_for.save()
    assert colleague.has_perm("people.view_person", world.cared_for)
    client = Client()
    client.force_login(world.practitioner)
    response = client.get(f"/people/{world.cared_for.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/reason/")
    services.give_reason(world.cared_for, user=world.practitioner, reason="Covering the south team's duty desk.")
    assert client.get(f"/people/{world.cared_for.pk}/").status_code == 200
    read = RecordRead.objects.filter(person=world.cared_for, user=world.practitioner).get()
    assert (read.as_role, read.routine, read.reason) == ("with a reason", False, "Covering the south team's duty desk.")


def test_records_not_yet_allocated_are_seen_by_every_practitioner_of_the_area(world, teams):
    _, _, colleague = teams
    world.own_record.team = None
    world.own_record.save()
    assert colleague.has_perm("people.view_person", world.own_record)
    assert world.practitioner.has_perm("people.view_person", world.own_record)


def test_the_people_page_lists_a_practitioners_team_and_unallocated_records(world, teams):
    north, south, colleague = teams
    world.own_record.team = north
    world.own_record.save()
    world.cared_for.team = south
    world.cared_for.save()
    mine = set(services.visible_people(world.practitioner))
    assert world.own_record in mine and world.cared_for not in mine
    theirs = set(services.visible_people(colleague))
    assert world.cared_for in theirs and world.own_record not in theirs


def test_a_team_member_without_a_practitioner_role_reads_nothing(world, teams):
    north, _, _ = teams
    north.members.add(world.member)
    world.own_record.team = north
    world.own_record.save()
    assert not world.member.has_perm("people.view_person", world.own_record)
    assert not world.member.has_perm("people.give_reason", world.own_record)
