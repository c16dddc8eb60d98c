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
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
