"""Publishing (insight/publish.py, manage.py publish_insight): once per quarter
that has ended, never twice, clear messages for bad options."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from personfirst.insight.area import publish, quarters
from personfirst.insight.area.models import PieceCount, Snapshot

from .conftest import NOW, make

pytestmark = pytest.mark.django_db

LAST = quarters.quarter_of(NOW) - 1


def run(*args) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("publish_insight", *args, stdout=out)
    return out.getvalue()


def test_nothing_to_publish_without_assessments(health_check):
    assert run() == ""
    assert not Snapshot.objects.exists()


def test_publishes_the_last_quarter_that_has_ended_once(world, health_check):
    make(world, organisations=30)
    assert run() == "health-check: published as at the end of September 2026.\n"
    snapshot = Snapshot.objects.get()
    assert snapshot.quarter == LAST
    assert PieceCount.objects.filter(snapshot=snapshot, scope=f"A{world.area.pk}").exists()
    assert run() == "health-check: already published as at the end of September 2026 or later.\n"
    assert Snapshot.objects.count() == 1


def test_a_quarter_cannot_be_published_twice_or_before_the_last(world, health_check):
    make(world, organisations=10)
    publish.publish(health_check, LAST)
    for quarter in (LAST, LAST - 1):
        with pytest.raises(publish.AlreadyPublished, match="published as at July to September 2026 already"):
            publish.publish(health_check, quarter)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-at", "2026-Q5"], "--as-at: expected a quarter like 2026-Q3, not '2026-Q5'"),
        (["--as-at", "autumn"], "--as-at: expected a quarter like 2026-Q3, not 'autumn'"),
        (["--as-at", "2026-Q4"], "--as-at: 2026-Q4 has not ended yet"),
        (["--instrument", "no-such-thing"], "--instrument: no instrument has the key 'no-such-thing'"),
    ],
)
def test_bad_options_are_named(health_check, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_as_at_and_again(world, health_check):
    make(world, organisations=20)
    assert "published as at the end of June 2026" in run("--as-at", "2026-Q2", "--instrument", "health-check")
    assert "published as at the end of September 2026" in run()
    again = run("--again", "--as-at", "2026-Q3", "--instrument", "health-check")
    assert "Deleted the published figures" in again
    assert list(Snapshot.objects.values_list("quarter", flat=True)) == [LAST]


def test_an_area_with_assessments_added_to_a_published_quarter_is_named(world, health_check):
    make(world, organisations=20)
    publish.publish(health_check, LAST - 1)
    make(world, organisations=5, seed=3)  # dated within quarters already published
    out = run()
    assert "published as at the end of September 2026" in out
    assert f"Eastmere ({world.area.code}): assessments were added to or deleted from quarters already published" in out


def test_publishing_twice_at_once_publishes_once(world, health_check):
    """The instrument's row is locked while publishing; the second finds the quarter published."""
    make(world, organisations=10)
    publish.publish(health_check, LAST)
    with pytest.raises(publish.AlreadyPublished):
        publish.publish(health_check, LAST)


def test_parse_quarter():
    assert publish.parse_quarter("2026-Q3") == 2026 * 4 + 2
    assert publish.parse_quarter(" 2027-q1 ") == 2027 * 4
    assert publish.last_closed_quarter(datetime(2026, 1, 5, tzinfo=UTC)) == 2025 * 4 + 3
