"""How many queries the pages people use most ask (issue 11's speed
targets: bench/README.md). Pinned, so that a change that adds queries to a
section page, a save or a submission is seen; lower them when a change
saves some. The counts include every middleware's (session, user, roles,
two-factor) and the navigation's."""

from __future__ import annotations

import random
import re

import pytest
from django.test import Client
from django.urls import reverse

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.models import Perspective

SECTION_GET = 8
SECTION_SAVE = 16
SUBMIT = 48


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_of(page) -> dict:
    html = page.content.decode()
    return {m[1]: m[2] for m in re.finditer(r'name="(rev-[^"]+)" value="([^"]*)"', html)}


def answer_every_section(assessment, rng: random.Random, by) -> None:
    """Every item answered, at a random point of its scale, one section at a time."""
    for section in services.split_sections(assessment)[0]:
        values = {}
        for item in section.items.all():
            size = len(item.kind.scale(item.definition))
            response = item.kind.response_at(item.definition, rng.randint(1, size))
            values[item.key] = {"level": response.level} if response.level is not None else {"option": response.option}
        services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=by)


@pytest.fixture
def respondent_page(world, assessment):
    services.add_respondent(assessment=assessment, user=world.member, perspective=Perspective.STAFF, by=world.admin)
    section = services.split_sections(assessment)[0][0]
    url = reverse("readiness:my-section", args=[world.org.slug, assessment.pk, section.key])
    client = signed_in(world.member)
    client.get(url)  # the first request of a process reads the instrument's structure
    return client, url, section.items.all()[0]


def test_a_respondents_section_page(respondent_page, django_assert_max_num_queries):
    client, url, _item = respondent_page
    with django_assert_max_num_queries(SECTION_GET):
        assert client.get(url).status_code == 200


def test_saving_a_respondents_section(respondent_page, django_assert_max_num_queries):
    client, url, item = respondent_page
    for level in (1, 2):  # a new answer, then a changed one
        data = form_of(client.get(url)) | {f"item-{item.key}": str(level), "continue": "1"}
        with django_assert_max_num_queries(SECTION_SAVE):
            assert client.post(url, data).status_code == 302


def test_the_agreed_section_page_and_save(world, assessment, django_assert_max_num_queries):
    section = services.split_sections(assessment)[0][0]
    item = section.items.all()[0]
    url = reverse("readiness:section", args=[world.org.slug, assessment.pk, section.key])
    client = signed_in(world.admin)
    client.get(url)
    with django_assert_max_num_queries(SECTION_GET):
        page = client.get(url)
    data = form_of(page) | {f"item-{item.key}": "2", "continue": "1"}
    with django_assert_max_num_queries(SECTION_SAVE):
        assert client.post(url, data).status_code == 302


def test_submitting_a_health_check(world, health_check, django_assert_max_num_queries):
    """Every section answered, with the shipped action library: the plan is
    drafted and the area figures recorded in the same request. Twice, so the
    second also moves and withdraws the first's suggestions."""
    client = signed_in(world.admin)
    for seed in (1, 2):
        assessment = services.start(organisation=world.org, instrument=health_check, by=world.admin)
        answer_every_section(assessment, random.Random(seed), world.admin)
        url = reverse("readiness:submit", args=[world.org.slug, assessment.pk])
        with django_assert_max_num_queries(SUBMIT):
            assert client.post(url).status_code == 302
        assessment.refresh_from_db()
        assert not assessment.is_draft


def test_who_is_a_respondent_is_asked_once_a_request_and_never_kept_past_a_change(world, assessment):
    """rules.respondent_for keeps its answer with the request's roles (on
    that request's user object: never another person's, never another
    request's), and asks again once a respondent is added or removed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from personfirst.core.access.roles import ROLE_CACHE
    from personfirst.readiness.assessments.rules import respondent_for

    setattr(world.member, ROLE_CACHE, {})  # as access.middleware does for each request
    assert respondent_for(world.member, assessment) is None
    with CaptureQueriesContext(connection) as queries:
        assert not world.member.has_perm("readiness.respond", assessment)
    assert len(queries) == 0
    asked = services.add_respondent(
        assessment=assessment, user=world.member, perspective=Perspective.STAFF, by=world.admin
    )
    assert respondent_for(world.member, assessment) == asked
    assert world.member.has_perm("readiness.respond", assessment)
    assert respondent_for(world.admin, assessment) is None  # another person: their own answer
    services.remove_respondent(asked)
    assert respondent_for(world.member, assessment) is None
    delattr(world.member, ROLE_CACHE)
