"""In-process figures for issue 11's "speed a person feels": server CPU
(time.process_time) and queries for submitting a health check, a section
page GET and a section save, through Django's test client with the test
settings. Not a throughput benchmark (that is section_throughput.py): it
shows where the time goes, and what a change saves, on a busy machine too.

    .venv/bin/python -m pytest -n 0 bench/submit_profile.py -q -s -p no:warnings

Add --profile-submit (environment PERSONFIRST_PROFILE=1) to print the
cProfile of the submissions, by cumulative time.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import re
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

SUBMISSIONS = 8
REQUESTS = 40


def median_ms(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] * 1000


def test_submit_and_section_figures(world):
    from personfirst.demo.assessments import _answers, _save_all
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Instrument
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    load_shipped()
    instrument = Instrument.objects.get(key="health-check")
    client = Client()
    client.force_login(world.admin)
    profile = cProfile.Profile() if os.environ.get("PERSONFIRST_PROFILE") else None

    submit_cpu, submit_queries, kinds = [], [], Counter()
    for n in range(SUBMISSIONS):
        assessment = services.start(organisation=world.org, instrument=instrument, by=world.admin)
        _save_all(assessment, _answers(assessment, random.Random(n), 0.5), world.admin)
        url = reverse("readiness:submit", args=[world.org.slug, assessment.pk])
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            if profile:
                profile.enable()
            response = client.post(url)
            if profile:
                profile.disable()
        submit_cpu.append(time.process_time() - started)
        assert response.status_code == 302
        submit_queries.append(len(queries))
        kinds.update(q["sql"][:60] for q in queries.captured_queries)

    assessment = services.start(organisation=world.org, instrument=instrument, by=world.admin)
    section = assessment.version.sections.first()
    item = section.items.first()
    url = reverse("readiness:section", args=[world.org.slug, assessment.pk, section.key])
    client.get(url)
    gets, saves = [], []
    for _ in range(REQUESTS):
        started = time.process_time()
        client.get(url)
        gets.append(time.process_time() - started)
    for n in range(REQUESTS):
        html = client.get(url).content.decode()
        data = {m[1]: m[2] for m in re.finditer(r'name="(rev-[^"]+)" value="([^"]*)"', html)}
        data[item.key] = str(1 + n % 3)
        started = time.process_time()
        response = client.post(url, data)
        saves.append(time.process_time() - started)
        assert response.status_code == 302
    print(
        f"\nsubmit: median {median_ms(submit_cpu):.1f} ms CPU, queries {sorted(submit_queries)}"
        f"\nsection GET: median {median_ms(gets):.1f} ms CPU; section save: median {median_ms(saves):.1f} ms CPU"
        f"\nthe submissions' most frequent queries: {kinds.most_common(8)}"
    )
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(os.environ.get("PERSONFIRST_PROFILE_FILTER", ""), 60)
        if os.environ.get("PERSONFIRST_PROFILE_CALLEES"):
            stats.print_callees(os.environ["PERSONFIRST_PROFILE_CALLEES"])
        print(out.getvalue())


def _profiled(profile, call):
    if profile is None:
        return call()
    profile.enable()
    try:
        return call()
    finally:
        profile.disable()


def test_section_against_bare_figures(world, settings):
    """A respondent's section page (as section_throughput.py serves it), GET
    and save, against the bare view (bench/urls.py) with the same session and
    form: server CPU per request and the ratio, queries per request.
    PERSONFIRST_PROFILE=section prints the cProfile of the section requests."""
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Instrument, Perspective
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    settings.ROOT_URLCONF = "bench.urls"
    load_shipped()
    instrument = Instrument.objects.get(key="health-check")
    assessment = services.start(organisation=world.org, instrument=instrument, by=world.admin)
    services.add_respondent(assessment=assessment, user=world.member, perspective=Perspective.STAFF, by=world.admin)
    section = assessment.version.sections.first()
    item = section.items.first()
    url = reverse("readiness:my-section", args=[world.org.slug, assessment.pk, section.key])
    client = Client()
    client.force_login(world.member)
    profile = cProfile.Profile() if os.environ.get("PERSONFIRST_PROFILE") == "section" else None

    def form(n: int) -> dict:
        html = client.get(url).content.decode()
        data = {m[1]: m[2] for m in re.finditer(r'name="(rev-[^"]+)" value="([^"]*)"', html)}
        return data | {f"item-{item.key}": str(1 + n % 3), f"notes-{item.key}": f"save {n}", "continue": "1"}

    client.get(url)
    client.get("/bench/bare/")
    figures: dict[str, list[float]] = {}
    queries: dict[str, int] = {}

    def measure(name: str, call, profiled: bool = False):
        started = time.process_time()
        with CaptureQueriesContext(connection) as captured:
            response = _profiled(profile if profiled else None, call)
        figures.setdefault(name, []).append(time.process_time() - started)
        queries[name] = len(captured)
        return response

    for n in range(REQUESTS):
        measure("bare GET", lambda: client.get("/bench/bare/"))
        assert measure("section GET", lambda: client.get(url), True).status_code == 200
        data = form(n)
        measure("bare POST", lambda data=data: client.post("/bench/bare/", data))
        assert (
            measure(
                "section POST", lambda data=data: client.post(url, data), not os.environ.get("PERSONFIRST_PROFILE_GET")
            ).status_code
            == 302
        )
    print()
    for name, values in figures.items():
        print(f"{name:<13} median {median_ms(values):5.2f} ms CPU, {queries[name]} queries")
    for page, bare in (("section GET", "bare GET"), ("section POST", "bare POST")):
        print(f"{page} / {bare}: throughput ratio {median_ms(figures[bare]) / median_ms(figures[page]):.2f}")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
            os.environ.get("PERSONFIRST_PROFILE_FILTER", ""), 80
        )
        print(out.getvalue())
