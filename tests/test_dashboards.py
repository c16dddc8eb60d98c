"""The signed-in home page (/dashboard/) for each role: it leads to the
person's next step, with the panels the pillars add (core/ui/extensions.py).

Crosses pillars (readiness, insight, market), so it lives here rather than in
one app's tests."""

from __future__ import annotations

import datetime
import re

import pytest
from auditlog.context import set_actor
from django.test import Client
from django.urls import reverse

from personfirst.core.organisations.models import AccessGrant, Organisation
from personfirst.readiness.assessments import services as readiness_services
from personfirst.readiness.assessments.models import Instrument
from personfirst.readiness.plans.models import Action, ActionStatus
from personfirst.testing import PERSONAS

pytestmark = pytest.mark.django_db


def page_for(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("pages:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def section(html: str, element_id: str) -> str:
    """The <section id=...> of the page, or '' when it is not there."""
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def instruments(db):
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    return load_shipped()


def test_every_persona_gets_a_dashboard_with_a_heading_and_somewhere_to_go(world):
    for name in PERSONAS:
        if name == "anonymous":
            continue
        html = page_for(getattr(world, name))
        assert "<h1" in html, name
        # Beyond "Your account": at least one other link, or the "How to start" text.
        links = re.findall(r'href="([^"]+)"', html)
        assert [link for link in links if not link.startswith("/account")] or "How to start" in html, name


def test_an_administrator_with_no_check_is_asked_to_start_the_first(world):
    html = page_for(world.admin)
    steps = section(html, "next-steps")
    assert "Start your first check" in steps
    assert f'href="{reverse("readiness:list", args=[world.org.slug])}"' in steps


def test_a_member_is_told_who_starts_the_check(world):
    steps = text_of(section(page_for(world.member), "next-steps"))
    assert "Start your first check" not in steps
    assert "An administrator of Eastmere Carers' Centre can start its first check" in steps


def test_an_assessment_in_progress_is_continued_from_the_dashboard(world, instruments):
    assessment = readiness_services.start(
        organisation=world.org, instrument=Instrument.objects.get(key="health-check"), by=world.admin
    )
    steps = section(page_for(world.admin), "next-steps")
    assert "Continue the " in steps
    assert f'href="{assessment.get_absolute_url()}"' in steps
    assert "Start your first check" not in steps
    # A member may read it, not answer it.
    assert "in progress" in section(page_for(world.member), "next-steps")


def test_suggestions_and_overdue_actions_lead_to_the_plan(world):
    for n in range(31):
        Action.objects.create(organisation=world.org, title=f"Suggested {n}", status=ActionStatus.SUGGESTED)
    Action.objects.create(
        organisation=world.org,
        title="Late",
        status=ActionStatus.NOT_STARTED,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
    )
    text = text_of(section(page_for(world.admin), "next-steps"))
    assert "Look at 1 overdue action" in text
    assert "Decide on 31 suggested actions" in text
    assert text.index("overdue action") < text.index("Decide on")


def test_recent_changes_by_others_are_shown_to_administrators_not_members(world):
    world.org.description = "Changed by someone else"
    with set_actor(world.member):
        world.org.save()
    recent = text_of(section(page_for(world.admin), "recent-changes"))
    assert "Milo Member changed organisation" in recent
    assert section(page_for(world.member), "recent-changes") == ""  # members do not read the record of changes
    # Not the admin's own changes, and nothing of another organisation.
    assert "Milo Member" not in section(page_for(world.outsider), "recent-changes")


def test_the_worker_sees_the_whole_caseload_in_counts_and_how_many(world):
    support = world.support_org
    for n in range(60):
        organisation = Organisation.objects.create(
            name=f"Group {n:02}", slug=f"group-{n:02}", org_type="voluntary", council_area=world.area
        )
        AccessGrant.objects.create(organisation=organisation, support_organisation=support)
    total = Organisation.objects.filter(grants_given__support_organisation=support).distinct().count()
    assert total > 50  # more than the old dashboard showed
    html = section(page_for(world.worker), "caseload-summary")
    text = text_of(html)
    assert f"{total} organisations share their records with" in text
    assert f"See all {total} organisations in your caseload" in text
    assert f'href="{reverse("caseload:caseload")}?only=not-assessed&amp;sort=assessed"' in html
    assert "Not assessed in the last 12 months" in text
    # The worker's own organisation, with nothing to do, does not push the caseload down.
    assert section(page_for(world.worker), "next-steps") == ""


def test_the_commissioner_sees_the_area_at_a_glance_and_one_way_into_insight(world):
    html = page_for(world.commissioner)
    area = section(html, "area-at-a-glance")
    assert "Your area at a glance" in area
    assert f'href="{reverse("insight:area", args=[world.area.code])}"' in area
    assert "No figures have been published for Eastmere yet" in text_of(area)
    # The council's own (empty) assessments do not come before the area.
    assert section(html, "next-steps") == ""


def test_others_see_no_area_and_no_caseload(world):
    for name in ("admin", "member", "person", "carer", "outsider"):
        html = page_for(getattr(world, name))
        assert section(html, "area-at-a-glance") == "", name
        assert section(html, "caseload-summary") == "", name
        assert section(html, "moderation-summary") == "", name


def test_the_moderator_is_led_to_the_queue(world):
    html = section(page_for(world.moderator), "moderation-summary")
    assert f'href="{reverse("directory:queue")}"' in html


def test_the_practitioner_is_led_to_peoples_records(world):
    html = section(page_for(world.practitioner), "people-panel")
    assert f'href="{reverse("people:list")}"' in html


def test_someone_with_no_role_is_told_how_to_start(world):
    text = text_of(section(page_for(world.superuser), "getting-started"))
    assert "ask its administrator to invite you" in text


def test_a_commissioner_without_a_membership_sees_no_council_assessment_tabs(world):
    """Roles are stored grants: the commissioning role alone gives the area's
    figures, not the council's own assessments or plan (world.commissioner
    also holds a membership of the council, so does see them)."""
    import datetime as dt

    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.accounts.models import User

    only = User.objects.create_user("only-commissioner@eastmere.example", world.password, full_name="Oona Only")
    since = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    RoleGrant.objects.create(user=only, council_area=world.area, role=RoleName.COMMISSIONER, valid_from=since)
    client = Client()
    client.force_login(only)
    page = client.get(reverse("organisations:detail", args=[world.council.slug]))
    html = page.content.decode()
    assert f'href="{reverse("readiness:list", args=[world.council.slug])}"' not in html
    assert f'href="{reverse("plans:plan", args=[world.council.slug])}"' not in html
    dashboard = page_for(only)
    assert section(dashboard, "area-at-a-glance")
    assert section(dashboard, "next-steps") == ""
    # With the membership, the council's assessments are theirs to see.
    member_page = Client()
    member_page.force_login(world.commissioner)
    html = member_page.get(reverse("organisations:detail", args=[world.council.slug])).content.decode()
    assert f'href="{reverse("readiness:list", args=[world.council.slug])}"' in html
