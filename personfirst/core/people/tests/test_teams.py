"""Allocating a council's records to its teams (decision 0012): team
managers and council administrators of that council; all or nothing, with
a move made meanwhile caught; every move in the change log."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from personfirst.core.concurrency import ConflictError
from personfirst.core.people import services
from personfirst.core.people.models import Person, Team
from personfirst.testing import verify_session

pytestmark = pytest.mark.django_db

URL = "/councils/E99000001/teams/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client


@pytest.fixture
def north(world):
    return Team.objects.create(council_area=world.area, name="North adults' team")


def test_the_team_manager_moves_records_to_a_team(world, north):
    rose = world.cared_for
    rose.team = None
    rose.save()
    manager = client_for(world.team_manager)
    page = manager.get(URL).text
    assert rose.full_name in page and "North adults&#x27; team" in page
    response = manager.post(
        URL + "?showing=none", {"people": [str(rose.pk)], f"seen-{rose.pk}": "none", "team": str(north.pk)}
    )
    assert response.status_code == 302
    rose.refresh_from_db()
    assert rose.team == north
    assert "1 record moved to North" in manager.get(response["Location"]).text
    latest = LogEntry.objects.get_for_object(rose).order_by("-pk").first()
    assert "team" in latest.changes_dict


def test_nothing_chosen_is_explained(world, north):
    page = client_for(world.council_admin).post(URL, {}).text
    assert "Select at least one record to move" in page and "Choose a team to move them to" in page
    assert 'href="#id_people_0"' in page


def test_a_record_moved_meanwhile_moves_nothing(world, north):
    rose, sam = world.cared_for, world.own_record
    seen = {rose.pk: rose.team_id, sam.pk: sam.team_id}
    Person.objects.filter(pk=sam.pk).update(team=north)  # someone else moved Sam
    with pytest.raises(ConflictError, match="moved team while you were choosing"):
        services.allocate_to_team(world.area, seen, north, by=world.team_manager)
    rose.refresh_from_db()
    assert rose.team_id == seen[rose.pk]


def test_another_councils_team_or_record_is_refused(world, north):
    west = Team.objects.create(council_area=world.other_area, name="West")
    with pytest.raises(ConflictError, match="not one of this council's"):
        services.allocate_to_team(world.area, {world.cared_for.pk: world.cared_for.team_id}, west, by=None)
    other = Person.objects.create(given_name="A", family_name="B", council_area=world.other_area)
    with pytest.raises(ConflictError, match="not this council's"):
        services.allocate_to_team(world.area, {other.pk: None}, north, by=None)


def test_who_may_allocate(world, north):
    for user in (world.practitioner, world.commissioner, world.platform, world.person, world.outsider):
        assert client_for(user).get(URL).status_code in (403, 404), user
    assert client_for(world.council_admin).get(URL).status_code == 200
    assert client_for(world.team_manager).get("/councils/E99000002/teams/").status_code == 404
