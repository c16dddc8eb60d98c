"""The RAS impact preview at scale (issue 12): --people current people of one
council (100,000 by default), each with an agreed self-assessment (every
question answered) and an indicative budget from the RAS in force, on
SQLite or PostgreSQL, in a throwaway database kept in --dataset-dir
(reused when it matches).

Then, in this process, --repeat times each:

- **floor**: the plainest SQL that reads what the preview must read: every
  agreed answer of the council's people, in order (self-assessment, then
  when given), on a bare cursor, every row fetched;
- **preview**: ``allocation.impact.preview`` of a draft version (a new
  price per point): read the answers, the budgets and the groups, work out
  every person's figure, band and group, and the counts the disclosure
  engine lets through.

It prints the best and the median of each, and exits 0 only if the
preview's median is under 5 s.

    .venv/bin/python bench/ras_impact.py --database sqlite
    .venv/bin/python bench/ras_impact.py --database postgres

Not a test: nothing here is collected by pytest (see bench/README.md).
"""

# ruff: noqa: S311, S608
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import log, machine, machine_cpu_seconds, wait_for_quiet  # noqa: E402
from bench.insight_views import Database, manage  # noqa: E402

TARGET_SECONDS = 5.0
AREA_CODE = "E99000001"
BATCH = 5_000


def build(database: Database, args) -> dict:
    wanted = {"people": args.people, "seed": args.seed, "teams": args.teams}
    marker = database.directory / "dataset.json"
    if marker.exists() and json.loads(marker.read_text()).get("wanted") == wanted:
        log(f"Reusing the dataset in {database.directory}")
        manage(database, "migrate", "--noinput", "-v0")
        _setup(database)
        return json.loads(marker.read_text())
    log(f"Building the dataset in {database.directory}")
    manage(database, "migrate", "--noinput", "-v0")
    _setup(database)
    from django.db import transaction
    from django.utils import timezone

    from personfirst.core.organisations.models import CouncilArea
    from personfirst.core.people.models import Person, Team
    from personfirst.sds.allocation.impact import Scorer
    from personfirst.sds.allocation.models import IndicativeBudget
    from personfirst.sds.selfassessment import questionnaire
    from personfirst.sds.selfassessment.models import AnswerChange, SelfAssessment, Status
    from personfirst.sds.selfassessment.services import load_shipped_ras

    started = time.monotonic()
    rng = random.Random(args.seed)
    area, _ = CouncilArea.objects.get_or_create(code=AREA_CODE, defaults={"name": "Eastmere"})
    load_shipped_ras(area)
    from personfirst.sds.allocation.services import current_ras

    v1 = current_ras(area)
    scorer = Scorer(v1.ras())
    teams = [Team.objects.create(council_area=area, name=f"Team {n}") for n in range(args.teams)]
    current = questionnaire.current()
    now = timezone.now()
    made = 0
    while made < args.people:
        size = min(BATCH, args.people - made)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    given_name="Bench",
                    family_name=f"Person {made + n}",
                    council_area=area,
                    team=rng.choice(teams + [None]),
                    date_of_birth=datetime.date(rng.randint(1930, 2006), rng.randint(1, 12), rng.randint(1, 28))
                    if rng.random() < 0.9
                    else None,
                )
                for n in range(size)
            )
            carers = [rng.random() < 0.3 for _ in people]
            sas = SelfAssessment.objects.bulk_create(
                SelfAssessment(
                    person=person,
                    questionnaire_key=current.key,
                    questionnaire_version=current.version,
                    carer_present=carer,
                    status=Status.AGREED,
                    agreed_at=now,
                )
                for person, carer in zip(people, carers, strict=True)
            )
            answers = []
            budgets = []
            for sa in sas:
                given = {q.key: rng.choice(q.options).key for q in current.questions(sa.carer_present)}
                answers.extend(
                    AnswerChange(self_assessment=sa, question=q, answer=a, as_role="the person", at=now)
                    for q, a in given.items()
                )
                weekly = scorer.weekly(given, sa.carer_present)
                budgets.append(
                    IndicativeBudget(
                        self_assessment=sa,
                        person_id=sa.person_id,
                        ras_version=v1,
                        points=scorer.points(given, sa.carer_present),
                        weekly=weekly,
                        yearly=None if weekly is None else weekly * 52,
                        to_panel=weekly is None,
                    )
                )
            AnswerChange.objects.bulk_create(answers, batch_size=BATCH)
            IndicativeBudget.objects.bulk_create(budgets, batch_size=BATCH)
        made += size
        if made % 20_000 == 0 or made == args.people:
            log(f"  {made:,} people ({time.monotonic() - started:.0f} s)")
    result = {
        "wanted": wanted,
        "answers": AnswerChange.objects.count(),
        "build_seconds": round(time.monotonic() - started, 1),
        "built_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    marker.write_text(json.dumps(result, indent=2))
    return result


def _setup(database: Database) -> None:
    os.environ.update(database.env())
    import django

    django.setup()


FLOOR = """
SELECT a.self_assessment_id, a.question, a.answer
FROM selfassessment_answerchange a
JOIN selfassessment_selfassessment s ON s.id = a.self_assessment_id
JOIN people_person p ON p.id = s.person_id
WHERE p.council_area_id = %s AND s.status = 'agreed'
ORDER BY a.self_assessment_id, a.at, a.id
"""


def measure(args) -> dict:
    from django.db import connection

    from personfirst.core.organisations.models import CouncilArea
    from personfirst.sds.allocation import impact, ras_file, services

    area = CouncilArea.objects.get(code=AREA_CODE)
    text = (ras_file.SHIPPED / "eastmere-ras-1.yaml").read_text()
    text = text.replace('"9.50"', '"10.25"').replace("version: 1", "version: 99")
    draft, _ = services.load_ras(text, "bench-draft.yaml", council_area=area)
    floor, preview, rows = [], [], 0
    result = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, [area.pk])
            rows = 0
            while True:
                chunk = cursor.fetchmany(20_000)
                if not chunk:
                    break
                rows += len(chunk)
        floor.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = impact.preview(draft)
        preview.append(time.perf_counter() - started)
    return {
        "vendor": connection.vendor,
        "answers_read": rows,
        "people": result.people,
        "bands": result.bands,
        "floor_s": {"best": round(min(floor), 2), "median": round(statistics.median(floor), 2)},
        "preview_s": {"best": round(min(preview), 2), "median": round(statistics.median(preview), 2)},
        "ratio_median": round(statistics.median(preview) / statistics.median(floor), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--dataset-dir", type=Path)
    parser.add_argument("--quiet-wait", type=float, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    directory = args.dataset_dir or Path(tempfile.gettempdir()) / f"personfirst-ras-impact-{args.database}"
    database = Database(args.database, directory)
    database.start()
    try:
        made = build(database, args)
        if args.quiet_wait:
            wait_for_quiet(args.quiet_wait)
        busy_before = machine_cpu_seconds()
        figures = measure(args)
        busy_after = machine_cpu_seconds()
    finally:
        database.stop()
    busy = busy_after[0] - busy_before[0]
    idle = busy_after[1] - busy_before[1]
    figures["machine_busy_share"] = round(busy / (busy + idle), 2) if busy + idle else None
    figures["dataset"] = made
    figures["machine"] = machine()
    print(json.dumps(figures, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    ok = figures["preview_s"]["median"] < TARGET_SECONDS
    log(
        f"impact preview of {figures['people']:,} people: median {figures['preview_s']['median']} s, "
        f"floor {figures['floor_s']['median']} s ({figures['ratio_median']}x): "
        + ("within the target" if ok else "NOT within the target")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
