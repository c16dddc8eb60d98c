"""Kept pages and charts (insight/pages.py, in Django's cache): a newly
published snapshot is shown at once, a kept page is never sent for another
scope, and who may see a scope is decided on every request, before anything
kept is looked up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from personfirst.insight.area import pages, sources

from .conftest import make, publish
from .test_views import client_for

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def counted(response) -> str:
    return re.search(r"(\d+) organisations counted", text(response)).group(1)


def test_a_newly_published_snapshot_is_shown_at_once(eastmere):
    world = eastmere.world
    client = client_for(world.platform)
    path = reverse("insight:england")
    chart = reverse("insight:england-chart", args=["sections"])
    assert counted(client.get(path)) == "80"
    first_chart = client.get(chart).content
    assert counted(client.get(path)) == "80"  # kept
    make(world, organisations=30, assessments=2, seed=5, area_code="E98000003")  # another area...
    assert counted(client.get(path)) == "80"  # ...shown only once published
    publish(eastmere.instrument, eastmere.snapshot.quarter + 1)
    assert counted(client.get(path)) == "110"  # at once: nothing kept for the snapshot before is sent
    assert client.get(chart).content != first_chart


def test_a_kept_page_is_never_sent_for_another_scope(eastmere):
    """The same address of another scope (an area, England, a support organisation's) is its own page."""
    world = eastmere.world
    platform = client_for(world.platform)
    query = "?step=2"
    area = text(platform.get(reverse("insight:area", args=[world.area.code]) + query))
    england = text(platform.get(reverse("insight:england") + query))
    shared = text(platform.get(reverse("insight:shared", args=[world.support_org.slug]) + query))
    assert "organisations in Eastmere" in area
    assert "organisations in England" in england and "organisations in Eastmere" not in england
    assert f"shared their records with {world.support_org.name}" in shared
    assert "organisations in Eastmere" not in shared
    assert counted(platform.get(reverse("insight:shared", args=[world.support_org.slug]))) != "80"


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("worker", "area"),  # a development worker may not see the council area's page...
        ("commissioner", "shared"),  # ...nor a commissioner a support organisation's
        ("member", "england"),
    ],
)
def test_a_kept_page_is_sent_only_to_those_allowed_to_see_its_scope(eastmere, role, page):
    world = eastmere.world
    paths = {
        "area": reverse("insight:area", args=[world.area.code]),
        "shared": reverse("insight:shared", args=[world.support_org.slug]),
        "england": reverse("insight:england"),
    }
    chart = paths[page].rstrip("/") + "/charts/sections.svg"
    assert client_for(world.platform).get(paths[page]).status_code == 200  # now kept
    assert client_for(world.platform).get(chart).status_code == 200
    refused = client_for(getattr(world, role))
    assert refused.get(paths[page]).status_code in (403, 404)
    assert refused.get(chart).status_code in (403, 404)


def test_the_key_holds_the_snapshot_the_scope_and_the_address(eastmere):
    world, snapshot = eastmere.world, eastmere.snapshot
    area, england = sources.for_area(world.area), sources.england()
    shared = sources.for_support_organisation(world.support_org)
    key = pages.key("page", snapshot, area, "step=2")
    assert len(key) < 250 and " " not in key  # memcached's limits
    assert pages.key("page", snapshot, area, "step=2") == key
    others = {
        pages.key("page", snapshot, england, "step=2"),
        pages.key("page", snapshot, shared, "step=2"),
        pages.key("page", snapshot, sources.for_area(world.other_area), "step=2"),
        pages.key("page", snapshot, area, "step=3"),
        pages.key("chart-sections", snapshot, area, "step=2"),
    }
    later = type(snapshot)(pk=snapshot.pk + 1, made_at=snapshot.made_at, quarter=snapshot.quarter + 1)
    others.add(pages.key("page", later, area, "step=2"))
    # The same id again with another time made (a database restored, a rolled-back test).
    again = type(snapshot)(pk=snapshot.pk, made_at=snapshot.made_at + timedelta(seconds=1), quarter=snapshot.quarter)
    others.add(pages.key("page", again, area, "step=2"))
    assert key not in others
    assert len(others) == 7
