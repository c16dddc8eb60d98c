"""Building submitted assessments and actions for the progress and caseload
tests (plain functions; the fixtures are in each conftest)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from personfirst.readiness.assessments import services
from personfirst.readiness.assessments.loading import load_text
from personfirst.readiness.assessments.models import Assessment, Instrument, Item

# A small instrument whose version 2 renames a section, drops one and adds
# one, so that the history must match sections by key. "Direct payments" is
# only for organisations that provide direct payment support, which
# Eastmere Carers' Centre (world.org) does not.
TRACKER_V1 = """\
key: tracker
title: Progress tracker
version: "1"
sections:
  - key: values
    title: Values
    items:
      - key: values-ladder
        type: ladder
        prompt: Where are you now?
        levels:
          - Not started
          - Getting there
          - Done
  - key: flexibility
    title: Flexible support
    items:
      - key: flex-one
        type: rating
        prompt: People choose when they get support.
      - key: flex-two
        type: rating
        prompt: People choose who supports them.
  - key: planning
    title: Planning
    items:
      - key: planning-ladder
        type: ladder
        prompt: How far has planning got?
        levels:
          - One
          - Two
          - Three
          - Four
          - Five
  - key: direct-payments
    title: Direct payments
    condition:
      provides:
        - direct_payment_support
    items:
      - key: direct-payments-ladder
        type: ladder
        prompt: How do you support direct payments?
        levels:
          - Not at all
          - Fully
"""

TRACKER_V2 = (
    TRACKER_V1.replace('version: "1"', 'version: "2"')
    .replace("title: Flexible support\n", "title: Flexible support for each person\n")
    .replace(
        """  - key: planning
    title: Planning
    items:
      - key: planning-ladder
        type: ladder
        prompt: How far has planning got?
        levels:
          - One
          - Two
          - Three
          - Four
          - Five
""",
        """  - key: demand
    title: Knowing the demand
    items:
      - key: demand-ladder
        type: ladder
        prompt: How well do you know the demand?
        levels:
          - Guessing
          - Some figures
          - Good figures
          - Full picture
""",
    )
)


def load_tracker(version: int = 1) -> Instrument:
    load_text(TRACKER_V1 if version == 1 else TRACKER_V2, "tracker.yaml")
    return Instrument.objects.get(key="tracker")


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    """A moment in local (UK) time."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def submitted(organisation, instrument: Instrument, by, answers, when: datetime.datetime) -> Assessment:
    """Start an assessment with the instrument's latest version, save these
    agreed answers (item key -> values, or a function of the new assessment
    that gives them) through the service, submit it, and date its
    submission ``when``."""
    assessment = services.start(organisation=organisation, instrument=instrument, by=by)
    if callable(answers):
        answers = answers(assessment)
    items = {item.key: item for item in Item.objects.filter(version=assessment.version).select_related("section")}
    by_section = defaultdict(dict)
    for key, values in answers.items():
        by_section[items[key].section][key] = values
    for section, values in by_section.items():
        conflicts = services.save_section(assessment=assessment, section=section, values=values, revisions={}, by=by)
        assert not conflicts
    services.submit(assessment=assessment, by=by)
    Assessment.objects.filter(pk=assessment.pk).update(started_at=when - datetime.timedelta(days=2), submitted_at=when)
    assessment.refresh_from_db()
    return assessment


def random_answers(assessment: Assessment, rng: random.Random) -> dict[str, dict]:
    """Answers of every kind for the sections that apply: levels, options,
    not relevant, and some left unanswered."""
    values = {}
    applies, _left_out = services.split_sections(assessment)
    for section in applies:
        for item in section.items.all():
            roll = rng.random()
            if roll < 0.1:
                continue
            if roll < 0.2:
                values[item.key] = {"not_relevant": True}
            elif "level" in item.kind.answer_fields:
                values[item.key] = {"level": rng.randint(1, len(item.levels))}
            else:
                values[item.key] = {"option": rng.choice(item.options)["key"]}
    return values


def submitted_at_random(organisation, instrument: Instrument, by, rng: random.Random, when: datetime.datetime):
    return submitted(organisation, instrument, by, lambda assessment: random_answers(assessment, rng), when)
