"""RAS calibration at scale (issue 12): 50,000 costed packages imported and
fitted, on SQLite or PostgreSQL, in a throwaway database.

In this process, --repeat times each (the best and the median are printed):

- **import** (the engine): ``services.check_upload`` and ``services.confirm``
  on a generated CSV file: read and check every row, keep the checked file,
  read it again, write the import and its packages in one transaction;
- **fit**: ``services.fit`` (read the packages, fit a price per point with
  and without a fixed amount, and the bands), the chart of the fit, and
  ``services.equity_report`` (13 fits of its own);
- **floor**: the plainest way to the same figures: ``csv.reader`` with no
  checks, the same rows in plain multi-row INSERTs of 500 (as the engine) on a
  bare cursor in a transaction, one SELECT of points and costs, and ``numpy.linalg.lstsq``
  with and without an intercept on the same arrays.

It exits 0 only if import + fit takes under 10 s (the median).

    .venv/bin/python bench/calibration.py --database sqlite
    .venv/bin/python bench/calibration.py --database postgres

Not a test: nothing here is collected by pytest (see bench/README.md).
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import log, machine, machine_cpu_seconds, wait_for_quiet  # noqa: E402
from bench.insight_views import Database, manage  # noqa: E402

TARGET_SECONDS = 10.0


def generate(count: int, seed: int) -> str:
    import numpy as np

    from personfirst.sds.calibration.groups import AGE_BANDS, CARER, CLIENT_GROUPS

    rng = np.random.default_rng(seed)
    points = rng.integers(0, 90, count)
    ages = rng.choice(list(AGE_BANDS), count)
    groups = rng.choice(list(CLIENT_GROUPS), count)
    carers = rng.choice(list(CARER), count)
    cost = np.maximum(40 + 9.5 * points + rng.normal(0, 30, count) - 25 * (groups == "mental-health"), 0)
    lines = ["points,weekly_cost,age_band,client_group,carer_present"]
    lines += [f"{p},{c:.2f},{a},{g},{k}" for p, c, a, g, k in zip(points, cost, ages, groups, carers, strict=True)]
    return "\n".join(lines) + "\n"


CPU: dict[str, list[float]] = {}


def timed(function, name: str = ""):
    """(result, wall-clock seconds); this process's CPU seconds are kept in CPU[name]."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    if name:
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return result, time.perf_counter() - started


def floor(text: str, import_id: int) -> tuple[float, float]:
    """(seconds to insert, seconds to fit) the plainest way."""
    import numpy as np
    from django.db import connection, transaction

    def insert():
        reader = csv.reader(io.StringIO(text))
        next(reader)
        rows = [(import_id, n, int(p), "{}", c, a, g, k == "yes") for n, (p, c, a, g, k) in enumerate(reader, start=2)]
        sql = (
            "INSERT INTO calibration_calibrationpackage (calibration_import_id, line, points, domain_points, "
            "weekly_cost, age_band, client_group, carer_present) VALUES "
        )
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), 500):
                batch = rows[start : start + 500]
                cursor.execute(
                    sql + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch)),
                    [value for row in batch for value in row],
                )

    def fit():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT points, weekly_cost FROM calibration_calibrationpackage WHERE calibration_import_id = %s",
                [import_id],
            )
            rows = cursor.fetchall()
        points = np.fromiter((r[0] for r in rows), dtype=float, count=len(rows))
        cost = np.fromiter((float(r[1]) for r in rows), dtype=float, count=len(rows))
        np.linalg.lstsq(points[:, None], cost, rcond=None)
        np.linalg.lstsq(np.column_stack([np.ones_like(points), points]), cost, rcond=None)

    _none, insert_seconds = timed(insert, "floor_insert")
    _none, fit_seconds = timed(fit, "floor_fit")
    return insert_seconds, fit_seconds


def measure(args) -> dict:
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import CouncilArea
    from personfirst.sds.calibration import charts, services
    from personfirst.sds.calibration.models import CalibrationImport

    area = CouncilArea.objects.create(code="E99000777", name="Benchmark")
    user = User.objects.create_user("bench-admin@example.org", "bench-password-long-1", full_name="Bench Admin")
    text = generate(args.packages, args.seed)
    log(f"A file of {args.packages:,} packages ({len(text) / 1e6:.1f} MB)")
    runs: dict[str, list[float]] = {
        "import": [],
        "fit": [],
        "chart": [],
        "equity": [],
        "engine_total": [],
        "floor_insert": [],
        "floor_fit": [],
        "floor_total": [],
    }
    for run in range(args.repeat):

        def do_import():
            checked, result = services.check_upload(user, area, "bench.csv", text.encode())
            return services.confirm(user, checked, len(result.rows))

        made, import_seconds = timed(do_import, "import")
        fit, fit_seconds = timed(lambda made=made: services.fit(made), "fit")
        points, cost, _labels = services.arrays(made)
        _svg, chart_seconds = timed(lambda p=points, c=cost, f=fit: charts.fit_chart(p, c, f))
        _report, equity_seconds = timed(lambda made=made: services.equity_report(made))
        plain = CalibrationImport.objects.create(council_area=area, imported_by=user, file_name="floor", row_count=0)
        floor_insert, floor_fit = floor(text, plain.pk)
        for key, value in (
            ("import", import_seconds),
            ("fit", fit_seconds),
            ("chart", chart_seconds),
            ("equity", equity_seconds),
            ("engine_total", import_seconds + fit_seconds),
            ("floor_insert", floor_insert),
            ("floor_fit", floor_fit),
            ("floor_total", floor_insert + floor_fit),
        ):
            runs[key].append(value)
        log(
            f"run {run + 1}: import {import_seconds:.2f} s, fit {fit_seconds:.2f} s, chart {chart_seconds:.2f} s, "
            f"equity {equity_seconds:.2f} s; floor insert {floor_insert:.2f} s, fit {floor_fit:.2f} s "
            f"(price per point {fit.through_zero.price_per_point})"
        )
    figures = {
        key: {"best_s": round(min(values), 3), "median_s": round(statistics.median(values), 3)}
        for key, values in runs.items()
    }
    for key, values in CPU.items():
        figures[key]["process_cpu_median_s"] = round(statistics.median(values), 3)
    figures["packages"] = args.packages
    figures["ratio_engine_to_floor"] = round(
        figures["engine_total"]["median_s"] / max(figures["floor_total"]["median_s"], 0.001), 1
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--packages", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--quiet-wait", type=float, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix=f"personfirst-calibration-{args.database}-"))
    directory.chmod(0o755)  # PostgreSQL runs as its own user, which must reach its cluster in here
    database = Database(args.database, directory)
    try:
        database.start()
        manage(database, "migrate", "--noinput", "-v0")
        os.environ.update(database.env())
        import django

        django.setup()
        if args.quiet_wait:
            wait_for_quiet(args.quiet_wait)
        busy_before = machine_cpu_seconds()
        figures = measure(args)
        busy_after = machine_cpu_seconds()
    finally:
        database.stop()
        shutil.rmtree(directory, ignore_errors=True)
    busy = busy_after[0] - busy_before[0]
    idle = busy_after[1] - busy_before[1]
    figures["database"] = args.database
    figures["machine_busy_share"] = round(busy / (busy + idle), 2) if busy + idle else None
    figures["machine"] = machine()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    total = figures["engine_total"]["median_s"]
    ok = total < TARGET_SECONDS
    log(
        f"{args.packages:,} packages: import + fit {total} s (median), floor {figures['floor_total']['median_s']} s "
        f"({figures['ratio_engine_to_floor']}x): " + ("within the target" if ok else "NOT within the target")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
