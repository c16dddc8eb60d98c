"""Loading instrument files into the database: versions, idempotence, and all-or-nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from personfirst.readiness.assessments import loading
from personfirst.readiness.assessments.instrument_file import InstrumentFileError
from personfirst.readiness.assessments.loading import (
    load_path,
    load_paths,
    load_text,
    read_path,
    shipped_instrument_paths,
)
from personfirst.readiness.assessments.management.commands.load_instrument import Command as LoadInstrument
from personfirst.readiness.assessments.models import Assessment, Instrument, InstrumentVersion, Item, Section

WORKFORCE = Path(loading.SHIPPED_DIR) / "workforce-ladder.yaml"
HEALTH_CHECK = Path(loading.SHIPPED_DIR) / "health-check.yaml"

BAD = """\
key: broken
title: Broken
version: "1"
sections:
  - key: only
    title: Only
    items:
      - key: one-level
        type: ladder
        prompt: Where?
        levels:
          - Nowhere
        colour: red
"""


def counts() -> dict[str, int]:
    return {
        "instruments": Instrument.objects.count(),
        "versions": InstrumentVersion.objects.count(),
        "sections": Section.objects.count(),
        "items": Item.objects.count(),
    }


def copy_to(tmp_path: Path, source: Path, text: str | None = None) -> Path:
    target = tmp_path / source.name
    if text is None:
        shutil.copy(source, target)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def test_shipped_instruments_are_the_four_instrument_files():
    # Companion files beside them (KEY.actions.yaml, crosswalk.yaml) are not instruments.
    assert [path.name for path in shipped_instrument_paths()] == [
        "flexible-services.yaml",
        "health-check.yaml",
        "side-by-side.yaml",
        "workforce-ladder.yaml",
    ]


def test_each_shipped_file_is_named_after_its_key():
    for path in shipped_instrument_paths():
        assert read_path(path).key == path.stem


def test_loading_the_shipped_files_creates_four_instruments(db):
    results = load_paths(shipped_instrument_paths())
    assert [result.created for _path, result in results] == [True, True, True, True]
    assert counts() == {"instruments": 4, "versions": 4, "sections": 15 + 4 + 4 + 1, "items": 15 + 13 + 12 + 1}
    side = Instrument.objects.get(key="side-by-side").latest_version()
    assert {item.type for item in side.items.all()} == {"paired"}

    health = Instrument.objects.get(key="health-check")
    version = health.latest_version()
    assert (version.revision, version.label, version.title) == (1, "1.0", "Personalisation health check")
    assert (version.publisher, version.licence, version.source_name) == (
        "PersonFirst contributors",
        "CC BY 4.0",
        "health-check.yaml",
    )
    assert len(version.content_hash) == 64
    sections = list(version.sections.all())
    assert [section.position for section in sections] == list(range(1, 16))
    assert sections[13].condition == {"provides": ["information_advice", "advocacy", "brokerage"]}
    assert sections[0].condition is None
    assert [len(item.levels) for item in version.items.all()] == [3, 4, 4, 4, 3, 4, 3, 3, 4, 3, 4, 4, 3, 4, 4]

    flexible = Instrument.objects.get(key="flexible-services").latest_version()
    item = flexible.items.get(key="regulation")
    assert (item.type, item.section.key, item.position, item.comments, item.levels) == (
        "rating",
        "systems-and-processes",
        3,
        True,
        [],
    )
    # Rating items store the options they use, defaults included.
    assert item.options == [
        {"key": "fully-met", "label": "Fully met", "score": 100},
        {"key": "partly-met", "label": "Partly met", "score": 50},
        {"key": "not-met", "label": "Not met", "score": 0},
    ]
    assert {o.key: o.score for o in item.definition.options} == {"fully-met": 100, "partly-met": 50, "not-met": 0}

    milestones = Instrument.objects.get(key="workforce-ladder").latest_version().items.get()
    assert (milestones.type, len(milestones.levels), milestones.options) == ("milestones", 5, [])


def test_loading_again_changes_nothing_and_writes_nothing(db):
    first = load_paths(shipped_instrument_paths())
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        again = load_paths(shipped_instrument_paths())
    assert counts() == before
    assert [result.created for _path, result in again] == [False, False, False, False]
    assert [result.version.pk for _path, result in again] == [result.version.pk for _path, result in first]
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_a_changed_level_becomes_revision_two_and_revision_one_is_untouched(db, tmp_path):
    original = load_path(WORKFORCE).version
    original_levels = list(original.items.get().levels)
    changed = WORKFORCE.read_text(encoding="utf-8").replace("Meeting the legal basics.", "Meeting the legal minimum.")
    result = load_path(copy_to(tmp_path, WORKFORCE, changed))

    assert result.created
    new = result.version
    assert (new.instrument_id, new.revision, new.label) == (original.instrument_id, 2, "1.0")
    assert new.content_hash != original.content_hash
    assert new.instrument.latest_version() == new
    # Revision 2 has its own rows...
    assert new.sections.count() == 1 and new.items.count() == 1
    assert new.items.get().levels[0].startswith("Meeting the legal minimum.")
    assert new.items.get().section.version == new
    # ...and revision 1 still has exactly what it had.
    original.refresh_from_db()
    assert original.revision == 1
    assert original.items.get().levels == original_levels
    assert original.items.get().levels[0].startswith("Meeting the legal basics.")
    assert counts() == {"instruments": 1, "versions": 2, "sections": 2, "items": 2}


def test_a_new_title_renames_the_instrument(db):
    load_path(WORKFORCE)
    text = WORKFORCE.read_text(encoding="utf-8").replace(
        "title: Person-centred workforce ladder", "title: Workforce ladder"
    )
    result = load_text(text, "workforce-ladder.yaml")
    assert result.created and result.version.revision == 2
    assert Instrument.objects.get(key="workforce-ladder").title == "Workforce ladder"


def test_comments_and_layout_changes_are_not_a_new_version(db, tmp_path):
    original = load_path(HEALTH_CHECK).version
    text = HEALTH_CHECK.read_text(encoding="utf-8")
    relaid = "# Reviewed in 2026: no changes to the wording.\n" + text.replace(
        "provides: [direct_payment_support]", "provides:\n        - direct_payment_support  # DPS only"
    ).replace("title: Values and culture", "title:   'Values and culture'").replace("\n\n", "\n\n\n")
    assert relaid != text
    result = load_path(copy_to(tmp_path, HEALTH_CHECK, relaid))
    assert not result.created
    assert result.version == original
    assert InstrumentVersion.objects.count() == 1


def test_an_assessment_keeps_the_version_it_started_with(world, tmp_path):
    first = load_path(WORKFORCE).version
    assessment = Assessment.objects.create(organisation=world.org, version=first, started_by=world.admin)

    changed = WORKFORCE.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"')
    second = load_path(copy_to(tmp_path, WORKFORCE, changed)).version

    assert second.revision == 2 and second.label == "1.1"
    assessment.refresh_from_db()
    assert assessment.version_id == first.pk
    assert assessment.version.revision == 1
    assert first.instrument.latest_version() == second


def test_loading_older_content_again_returns_that_revision(db, tmp_path):
    first = load_path(WORKFORCE).version
    changed = WORKFORCE.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"')
    load_path(copy_to(tmp_path, WORKFORCE, changed))

    result = load_path(WORKFORCE)
    assert not result.created
    assert result.version == first
    stdout = io.StringIO()
    call_command("load_instrument", str(WORKFORCE), stdout=stdout)
    assert stdout.getvalue() == (
        "Person-centred workforce ladder is unchanged (revision 1), but revision 2 is newer and is the one "
        "new assessments use. To make this content current again, change its version label and load it again\n"
        "Its action library (workforce-ladder.actions.yaml) is unchanged: 10 suggested actions\n"
    )


def test_a_bad_file_loads_nothing(db):
    with pytest.raises(InstrumentFileError) as caught:
        load_text(BAD, "broken.yaml")
    assert [str(problem) for problem in caught.value.problems] == [
        "broken.yaml:11: a ladder item needs at least 2 levels, but this one has 1",
        "broken.yaml:13: unknown key 'colour' in this item; allowed keys are: "
        "key, type, prompt, guidance, levels, options, max_length, i, we, comments, evidence, "
        "condition, not_relevant, dont_know",
    ]
    assert counts() == {"instruments": 0, "versions": 0, "sections": 0, "items": 0}


def test_a_file_that_cannot_be_read(db, tmp_path):
    missing = tmp_path / "missing.yaml"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("key: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InstrumentFileError) as caught:
        load_paths([missing, latin1])
    messages = [str(problem) for problem in caught.value.problems]
    assert messages[0] == f"{missing}: cannot read the file: No such file or directory"
    assert messages[1].startswith(f"{latin1}: cannot read the file: it is not UTF-8 text")


# -- The commands -----------------------------------------------------------------


def test_load_instrument_command_reports_what_it_loaded(db):
    stdout = io.StringIO()
    call_command("load_instrument", str(WORKFORCE), str(HEALTH_CHECK), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Loaded Person-centred workforce ladder version 1.0 as revision 1",
        "Loaded its action library (workforce-ladder.actions.yaml): 10 suggested actions",
        "Loaded Personalisation health check version 1.0 as revision 1",
        "Loaded its action library (health-check.actions.yaml): 65 suggested actions",
    ]
    stdout = io.StringIO()
    call_command("load_instrument", str(WORKFORCE), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Person-centred workforce ladder is unchanged (revision 1)",
        "Its action library (workforce-ladder.actions.yaml) is unchanged: 10 suggested actions",
    ]


def test_load_instrument_command_with_a_bad_file_after_a_good_one_loads_neither(db, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(BAD, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"^2 problems in 1 file; nothing was loaded$"):
        call_command("load_instrument", str(WORKFORCE), str(bad), stdout=stdout, stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        f"{bad}:11: a ladder item needs at least 2 levels, but this one has 1",
        f"{bad}:13: unknown key 'colour' in this item; allowed keys are: "
        "key, type, prompt, guidance, levels, options, max_length, i, we, comments, evidence, "
        "condition, not_relevant, dont_know",
    ]
    assert stdout.getvalue() == ""
    assert counts() == {"instruments": 0, "versions": 0, "sections": 0, "items": 0}


@pytest.mark.django_db(transaction=True)
def test_load_instrument_exits_with_status_1_and_prints_file_line_problems(tmp_path, capsys):
    # run_from_argv is what manage.py calls: it turns CommandError into exit status 1
    # (and closes the database connections, hence a transactional test).
    bad = tmp_path / "broken.yaml"
    bad.write_text(BAD, encoding="utf-8")
    other = tmp_path / "also-broken.yaml"
    other.write_text("key: also-broken\ntitle: Also broken\nversion: 2\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        LoadInstrument().run_from_argv(["manage.py", "load_instrument", str(WORKFORCE), str(bad), str(other)])
    assert exited.value.code == 1
    stderr = capsys.readouterr().err.splitlines()
    assert stderr == [
        f"{bad}:11: a ladder item needs at least 2 levels, but this one has 1",
        f"{bad}:13: unknown key 'colour' in this item; allowed keys are: "
        "key, type, prompt, guidance, levels, options, max_length, i, we, comments, evidence, "
        "condition, not_relevant, dont_know",
        f"{other}:1: the instrument is missing required key 'sections'",
        f'{other}:3: version must be text, but YAML reads 2 as a number; write the version in quotes, like "2"',
        "CommandError: 4 problems in 2 files; nothing was loaded",
    ]
    assert counts() == {"instruments": 0, "versions": 0, "sections": 0, "items": 0}


def test_nothing_is_half_loaded_when_the_database_refuses_a_later_file(db, monkeypatch):
    real = loading.load_definition
    calls = []

    def fail_on_the_second(definition, source_name=""):
        calls.append(definition.key)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(definition, source_name)

    monkeypatch.setattr(loading, "load_definition", fail_on_the_second)
    with pytest.raises(RuntimeError):
        load_paths(shipped_instrument_paths())
    assert calls == ["flexible-services", "health-check"]
    assert counts() == {"instruments": 0, "versions": 0, "sections": 0, "items": 0}


def test_load_instruments_is_idempotent_and_quiet(db):
    stdout = io.StringIO()
    call_command("load_instruments", stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Loaded Flexible services self-assessment version 1.0 as revision 1",
        "Loaded its action library (flexible-services.actions.yaml): 39 suggested actions",
        "Loaded Personalisation health check version 1.0 as revision 1",
        "Loaded its action library (health-check.actions.yaml): 65 suggested actions",
        "Loaded Side by side: what people say and what we say version 1.0 as revision 1",
        "Loaded its action library (side-by-side.actions.yaml): 12 suggested actions",
        "Loaded Person-centred workforce ladder version 1.0 as revision 1",
        "Loaded its action library (workforce-ladder.actions.yaml): 10 suggested actions",
        "Loaded the crosswalk (crosswalk.yaml): 8 links",
    ]
    before = counts()
    stdout = io.StringIO()
    call_command("load_instruments", stdout=stdout)
    assert stdout.getvalue() == "The 4 shipped instruments are up to date.\n"
    assert counts() == before
    stdout = io.StringIO()
    call_command("load_instruments", stdout=stdout, verbosity=0)
    assert stdout.getvalue() == ""
