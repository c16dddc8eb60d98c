"""The RAS admin pages and API of a council's administrators: list,
upload (FILE:LINE problems in a GOV.UK error summary, nothing stored),
a version in plain words, the impact preview, publishing."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from personfirst.sds.allocation import services
from personfirst.sds.allocation.models import IndicativeBudget, RasVersion
from personfirst.testing import verify_session

from .conftest import SHIPPED, agreed_person, answers_at, draft_text

pytestmark = pytest.mark.django_db

BASE = "/resource-allocation/E99000001/versions/"
API = "/api/v1/councils/E99000001/ras-versions"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client


def date_fields(day: datetime.date) -> dict:
    return {"effective_from_day": day.day, "effective_from_month": day.month, "effective_from_year": day.year}


def upload(client, text: str, name: str = "eastmere-ras-2.yaml"):
    return client.post(f"{BASE}upload/", {"file": SimpleUploadedFile(name, text.encode(), "application/x-yaml")})


def test_the_council_admin_uploads_previews_and_publishes(eastmere):
    world = eastmere
    for level in range(6):
        agreed_person(world.area, answers_at(level % 3))
    admin = client_for(world.council_admin)
    listing = admin.get(BASE).text
    assert "Eastmere RAS, version 1" in listing and "In force" in listing and "pf-table-region" in listing

    response = upload(admin, draft_text("11.00"))
    draft = RasVersion.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == f"{BASE}{draft.pk}/"
    page = admin.get(response["Location"]).text
    assert "Draft: not used for any budget" in page and "£11.00 a point" in page and "limit 30 points" in page

    preview = admin.get(f"{BASE}{draft.pk}/impact/").text
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-0" id="people">6</span>' in preview
    assert "Up by more than 10%" in preview and "By team" in preview and "By age band" in preview

    form = admin.get(f"{BASE}{draft.pk}/publish/").text
    assert "can never change" in form
    today = timezone.localdate()
    done = admin.post(
        f"{BASE}{draft.pk}/publish/",
        date_fields(today),
    )
    assert done.status_code == 302 and done["Location"] == BASE
    assert "6 new indicative budgets made with it" in admin.get(BASE).text
    assert IndicativeBudget.objects.filter(ras_version=draft).count() == 6
    # Publishing again (say, from a second tab): a banner, nothing made twice.
    again = admin.post(
        f"{BASE}{draft.pk}/publish/",
        date_fields(today),
        follow=True,
    )
    assert "was already published on" in again.text
    assert IndicativeBudget.objects.filter(ras_version=draft).count() == 6


def test_a_bad_file_is_listed_by_line_and_nothing_is_stored(eastmere):
    admin = client_for(eastmere.council_admin)
    bad = draft_text().replace('contingency_percent: "5"', 'contingency_percent: "five"')
    bad = bad.replace("cap: 10", "cap: -1", 1)
    page = upload(admin, bad, "mine.yaml").text
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "mine.yaml:8: contingency_percent should be an amount" in page
    assert "mine.yaml:" in page.split("contingency_percent")[1]  # the cap's line is listed too
    assert not RasVersion.objects.filter(version=2).exists()
    assert "Select a RAS file" in admin.post(f"{BASE}upload/", {}).text
    binary = admin.post(f"{BASE}upload/", {"file": SimpleUploadedFile("x.yaml", b"\xff\xfe\x00", "text/plain")})
    assert "must be a text file" in binary.text


def test_a_published_version_cannot_be_replaced_by_upload(eastmere):
    admin = client_for(eastmere.council_admin)
    page = upload(admin, SHIPPED.read_text().replace('"9.50"', '"9.99"')).text
    assert "already published with other content; give the change a new version number" in page
    assert RasVersion.objects.get().ras().price_per_point == services.current_ras(eastmere.area).ras().price_per_point


def test_publishing_on_a_past_date_is_refused_with_the_services_words(eastmere):
    draft, _ = services.load_ras(draft_text(), "v2.yaml", council_area=eastmere.area)
    admin = client_for(eastmere.council_admin)
    page = admin.post(f"{BASE}{draft.pk}/publish/", date_fields(datetime.date(2020, 1, 1))).text
    assert "The date it takes effect must be today or later" in page and "govuk-error-summary" in page
    draft.refresh_from_db()
    assert draft.is_draft


def test_who_may_see_and_publish_a_draft(eastmere):
    world = eastmere
    draft, _ = services.load_ras(draft_text(), "v2.yaml", council_area=world.area)
    for user in (world.practitioner, world.team_manager, world.commissioner, world.platform, world.outsider):
        client = client_for(user)
        assert client.get(BASE).status_code == 404, user
        assert client.get(f"{BASE}{draft.pk}/").status_code == 404, user
        assert client.post(f"{BASE}{draft.pk}/publish/").status_code == 404, user
    # A published version is open to everyone; its impact and publishing are not.
    anyone = Client()
    assert anyone.get(f"{BASE}{world.v1.pk}/").status_code == 200
    assert anyone.get(f"{BASE}{draft.pk}/").status_code == 302  # to sign in
    assert client_for(world.practitioner).get(f"{BASE}{world.v1.pk}/impact/").status_code == 403
    # Another council's address does not reach this council's versions.
    assert (
        client_for(world.council_admin).get(f"/resource-allocation/E99000002/versions/{draft.pk}/").status_code == 404
    )


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_uploads_previews_and_publishes(eastmere, api_client_for):
    world = eastmere
    for level in range(5):
        agreed_person(world.area, answers_at(1 + level % 2))
    admin = api_client_for(world.council_admin)

    bad = post(admin, API, {"filename": "v2.yaml", "source": draft_text().replace('"9.50"', '"lots"')})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["message"].startswith("v2.yaml:7: price_per_point should be an amount")
    assert not RasVersion.objects.filter(version=2).exists()

    made = post(admin, API, {"filename": "v2.yaml", "source": draft_text("8.00")})
    assert made.status_code == 201 and made.json()["status"] == "draft" and made.json()["council"] == "E99000001"
    draft_id = made.json()["id"]
    assert made.json()["price_per_point"] == "8.00"
    assert post(admin, API, {"filename": "v2.yaml", "source": draft_text("8.00")}).status_code == 200

    listed = admin.get(API).json()
    assert [(v["version"], v["status"]) for v in listed] == [(2, "draft"), (1, "in-force")]
    assert [v["version"] for v in api_client_for(world.practitioner).get(API).json()] == [1]

    preview = admin.get(f"{API}/{draft_id}/impact").json()
    assert preview["people"] == 5 and preview["down_more_than_10_percent"] == 5
    assert preview["bands"]["down-more"] == 5 and preview["band_labels"]["down-more"] == "Down by more than 10%"

    past = post(admin, f"{API}/{draft_id}/publish", {"effective_from": "2020-01-01"})
    assert past.status_code == 422 and "today or later" in past.json()["errors"][0]["message"]
    today = timezone.localdate().isoformat()
    done = post(admin, f"{API}/{draft_id}/publish", {"effective_from": today})
    assert done.status_code == 200 and done.json()["budgets_made"] == 5
    assert done.json()["version"]["status"] == "in-force"
    again = post(admin, f"{API}/{draft_id}/publish", {"effective_from": today})
    assert again.status_code == 409 and again.json()["current"]["status"] == "in-force"


def test_the_api_refuses_others(eastmere, api_client_for):
    world = eastmere
    draft, _ = services.load_ras(draft_text(), "v2.yaml", council_area=world.area)
    practitioner = api_client_for(world.practitioner)
    assert practitioner.get(f"{API}/{draft.pk}").status_code == 404
    assert practitioner.get(f"{API}/{world.v1.pk}").status_code == 200
    assert practitioner.get(f"{API}/{world.v1.pk}/impact").status_code == 403
    assert post(practitioner, API, {"source": draft_text()}).status_code == 404
    later = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert post(practitioner, f"{API}/{draft.pk}/publish", {"effective_from": later}).status_code == 404
    assert Client().get(API).status_code == 401
