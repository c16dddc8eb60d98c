"""Every answer to a signed-in person says Cache-Control: no-store, private.

access/tests/test_url_matrix.py checks the same for every URL and every
signed-in persona; these are the pages the issue names, and what signed-out
visitors get."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from personfirst.core.accounts.caching import PrivateResponsesMiddleware


def assert_private(response) -> None:
    cache_control = response.get("Cache-Control", "")
    directives = {part.strip() for part in cache_control.split(",")}
    assert {"no-store", "private"} <= directives, f"Cache-Control is {cache_control!r}"


@pytest.fixture
def submitted(world):
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.loading import SHIPPED_DIR, load_path
    from personfirst.readiness.assessments.models import Instrument

    load_path(SHIPPED_DIR / "health-check.yaml")
    health_check = Instrument.objects.get(key="health-check")
    draft = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    return services.submit(assessment=draft, by=world.admin)


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/organisations/eastmere-carers-centre/people/",
        "/account/tokens/",
        "/account/data/download/",
        "/accessibility/",  # a public page, but it shows who is signed in
        "/dashboard",  # a redirect to add the slash, made before the person is looked up
    ],
)
def test_pages_for_a_signed_in_person_are_not_stored(world, path):
    client = Client()
    client.force_login(world.admin)
    response = client.get(path)
    assert response.status_code in (200, 301)
    assert_private(response)


@pytest.mark.parametrize("name", ["reports:report", "reports:answers-csv", "reports:pdf"])
def test_a_report_and_its_downloads_are_not_stored(world, submitted, name):
    client = Client()
    client.force_login(world.member)
    response = client.get(reverse(name, args=[world.org.slug, submitted.pk]))
    assert response.status_code == 200
    assert_private(response)


def test_api_answers_to_a_token_holder_are_not_stored(world, api_client_for):
    api = api_client_for(world.admin)
    assert_private(api.get("/api/v1/me"))
    assert_private(api.get(f"/api/v1/organisations/{world.org.slug}"))
    refused = api.get("/api/v1/organisations/westholm-day-centre")
    assert refused.status_code == 404
    assert_private(refused)


def test_public_pages_for_signed_out_visitors_keep_their_headers(db):
    client = Client()
    for path in ("/", "/accessibility/", "/privacy/", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.has_header("Cache-Control"), f"{path}: {response.get('Cache-Control')}"
        assert not response.has_header("Expires"), path


def test_the_answer_to_signing_in_is_not_stored(world):
    client = Client()
    response = client.post("/account/sign-in/", {"username": world.member.email, "password": world.password})
    assert response.status_code == 302
    assert_private(response)


def test_a_session_without_a_person_is_not_treated_as_signed_in():
    middleware = PrivateResponsesMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    request.session = {}
    assert not middleware(request).has_header("Cache-Control")
    request.session = {SESSION_KEY: "1"}
    assert_private(middleware(request))
