"""An organisation's profile: who can see it, who can change it."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from personfirst.core.organisations.models import Organisation

EDIT_DATA = {
    "name": "Eastmere Carers' Centre",
    "org_type": "voluntary",
    "paid_staff": "11",
    "volunteers": "30",
    "services": ["carers_support", "befriending"],
    "description": "We support unpaid carers.",
}


def profile_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/"


def edit_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/edit/"


def test_profile_needs_signing_in(world, client):
    response = client.get(profile_url(world.org))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_member_sees_the_profile_but_no_change_button(world, client):
    client.force_login(world.member)
    response = client.get(profile_url(world.org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Eastmere Carers&#x27; Centre" in page
    assert "Support for carers" in page
    assert edit_url(world.org) not in page
    assert "Change the profile" not in page


def test_member_cannot_edit(world, client):
    client.force_login(world.member)
    assert client.get(edit_url(world.org)).status_code == 403
    response = client.post(edit_url(world.org), {**EDIT_DATA, "name": "Taken over"})
    assert response.status_code == 403
    world.org.refresh_from_db()
    assert world.org.name == "Eastmere Carers' Centre"
    assert world.org.paid_staff == 6


def test_development_worker_sees_a_sharing_organisation_but_cannot_edit(world, client):
    client.force_login(world.worker)
    assert client.get(profile_url(world.org)).status_code == 200
    assert client.post(edit_url(world.org), EDIT_DATA).status_code == 403
    world.org.refresh_from_db()
    assert world.org.paid_staff == 6


@pytest.mark.parametrize("persona", ["outsider", "commissioner", "worker"])
def test_organisations_that_do_not_share_are_not_found(world, client, persona):
    client.force_login(getattr(world, persona))
    organisation = world.unshared if persona != "outsider" else world.org
    assert client.get(profile_url(organisation)).status_code == 404
    assert client.post(edit_url(organisation), EDIT_DATA).status_code == 404


def test_unknown_organisation_is_not_found(world, client):
    client.force_login(world.platform)
    assert client.get("/organisations/no-such-place/").status_code == 404


def test_admin_edits_the_profile(world, client):
    client.force_login(world.admin)
    page = client.get(profile_url(world.org)).content.decode()
    assert edit_url(world.org) in page

    response = client.post(edit_url(world.org), EDIT_DATA)
    assert response.status_code == 302
    assert response["Location"] == profile_url(world.org)
    world.org.refresh_from_db()
    assert world.org.paid_staff == 11
    assert world.org.volunteers == 30
    assert sorted(world.org.services) == ["befriending", "carers_support"]
    assert world.org.description == "We support unpaid carers."
    assert b"The organisation&#x27;s profile has been saved." in client.get(profile_url(world.org)).content

    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Organisation), object_pk=str(world.org.pk)
        )
        .order_by("-pk")
        .first()
    )
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == world.admin
    assert entry.additional_data == {"organisation_id": world.org.pk}
    assert entry.changes_dict["paid_staff"] == ["6", "11"]


def test_the_edit_form_shows_the_current_values(world, client):
    client.force_login(world.admin)
    page = client.get(edit_url(world.org)).content.decode()
    assert 'value="Eastmere Carers&#x27; Centre"' in page
    assert 'value="voluntary" id="id_org_type_2" checked' in page
    assert 'value="carers_support" id="id_services_7" checked' in page


def test_admin_cannot_edit_another_organisation(world, client):
    client.force_login(world.admin)
    assert client.post(edit_url(world.unshared), EDIT_DATA).status_code == 404
    world.unshared.refresh_from_db()
    assert world.unshared.name == "Beech House Care Home"


def test_the_edit_form_cannot_move_the_organisation_or_change_its_address(world, client):
    client.force_login(world.admin)
    client.post(edit_url(world.org), {**EDIT_DATA, "slug": "hijacked", "council_area": world.other_area.pk})
    world.org.refresh_from_db()
    assert world.org.slug == "eastmere-carers-centre"
    assert world.org.council_area == world.area


def test_platform_administrator_can_edit_any_organisation(world, client):
    client.force_login(world.platform)
    response = client.post(edit_url(world.other_org), {**EDIT_DATA, "name": "Westholm Day Centre"})
    assert response.status_code == 302
    world.other_org.refresh_from_db()
    assert world.other_org.paid_staff == 11


def test_organisation_list_shows_what_you_can_see(world, client):
    client.force_login(world.worker)
    page = client.get("/organisations/").content.decode()
    assert "Eastmere Carers&#x27; Centre" in page
    assert "Beech House Care Home" not in page
    assert "Westholm Day Centre" not in page

    client.force_login(world.outsider)
    page = client.get("/organisations/").content.decode()
    assert "Westholm Day Centre" in page
    assert "Eastmere" not in page.split("<main", 1)[1]


@pytest.mark.parametrize("org_type", ["council", "support_development"])
def test_an_organisation_cannot_make_itself_a_council_or_support_organisation(world, client, org_type):
    """Members of a council are commissioners for its area, and members of a
    support organisation are development workers: an organisation admin must
    not be able to give themselves either role."""
    client.force_login(world.admin)
    page = client.get(edit_url(world.org)).content.decode()
    assert f'value="{org_type}"' not in page

    response = client.post(edit_url(world.org), {**EDIT_DATA, "org_type": org_type})
    assert response.status_code == 200
    assert "Select one of the options" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.org_type == "voluntary"
    assert client.get(f"/areas/{world.area.code}/").status_code == 404


def test_a_council_keeps_its_type(world, client):
    from personfirst.core.access.tests.helpers import ADMIN, join

    join(world.commissioner, world.council, ADMIN)
    client.force_login(world.commissioner)
    page = client.get(edit_url(world.council)).content.decode()
    assert 'value="council"' in page
    assert 'value="voluntary"' not in page
    response = client.post(
        edit_url(world.council),
        {"name": "Eastmere Council", "org_type": "voluntary", "paid_staff": "1", "volunteers": "0"},
    )
    assert response.status_code == 200
    response = client.post(
        edit_url(world.council),
        {"name": "Eastmere Council", "org_type": "council", "paid_staff": "2401", "volunteers": "0"},
    )
    assert response.status_code == 302
    world.council.refresh_from_db()
    assert (world.council.org_type, world.council.paid_staff) == ("council", 2401)
