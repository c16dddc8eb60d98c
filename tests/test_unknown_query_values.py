"""Unknown sort or filter values in an address give the page's default view
(issue 11), never a 404 or an error: an old bookmark or a mistyped link still works."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("admin", "/organisations/{org}/plan/?show=bogus"),
        ("worker", "/caseload/?sort=bogus&order=sideways&type=zzz&only=bad"),
        ("admin", "/organisations/{org}/history/?instrument=bogus"),
        ("admin", "/organisations/{org}/standing/?instrument=bogus"),
        ("commissioner", "/insight/areas/{area}/?instrument=bogus&period=zz&type=q"),
        ("admin", "/directory/?sort=bogus&theme=zz"),
        ("admin", "/organisations/?sort=bogus&page=zz"),
        ("practitioner", "/people/?sort=bogus&status=bogus"),
        ("admin", "/organisations/{org}/audit/?page=zz"),
    ],
)
def test_unknown_values_give_the_default_view(world, persona, url):
    response = get(getattr(world, persona), url.format(org=world.org.slug, area=world.area.code))
    assert response.status_code == 200, url
    page = response.content.decode()
    assert "There is a problem" not in page, url
    assert "Select a valid choice" not in page, url
