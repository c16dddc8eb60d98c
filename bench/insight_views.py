"""Area insight at national scale: the area view over 5,000 organisations and
the national view over 160,000, against the plain SQL underneath them.

For each view it times three things, on SQLite or on PostgreSQL:

- **floor**: the two reads the view makes of the published snapshot
  (insight.sources: every piece's counts for the scope; and, for the
  filters, the organisations by section score and answer in the pieces
  chosen), executed on a bare database cursor and fetched. Nothing else.
- **figures**: insight.report.build, the domain function that produces the
  page's figures (the same two reads, plus adding up the pieces and the
  statistics in Python).
- **page**: the whole page over HTTP through Django's test client, signed
  in as the demo platform administrator: middleware, session, both queries,
  and the body kept for the same rows (personfirst/insight/area/pages.py) with the header.
- **page made anew**: the same with nothing kept, as for the first request
  after a snapshot is published: what the snapshot shows of the scope
  worked out again from its plan, the figures, the filter form and the
  template.

and prints each with its ratio to the floor. The target: under 1 s, and
within 3 times the floor.

The dataset is built once and kept in --dataset-dir (reused when it
matches): migrate, load_instruments, load_demo (for the signed-in user),
then ``generate_demo_area`` twice, timed: 155,000 organisations over 150
council areas, and 5,000 in one more area. That is 160,000 synthetic
organisations with 4 submitted assessments each, plus the demo area. Then
``publish_insight --again``, timed: the figures as at the last quarter that
has ended.

    .venv/bin/python bench/insight_views.py --database sqlite
    .venv/bin/python bench/insight_views.py --database postgres

Not a test: nothing here is collected by pytest (see bench/README.md).
"""

# ruff: noqa: S603, S607, S608
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import REPO, free_port, log, machine, machine_cpu_seconds, wait_for_quiet  # noqa: E402

PYTHON = sys.executable
AREA_CODE = "E98100001"  # the area of 5,000
NATIONAL_FIRST_CODE = "E98000001"  # the 150 areas of the rest
TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0


# --- The dataset ------------------------------------------------------------


class Database:
    """SQLite in a directory, or a PostgreSQL cluster in one (kept between runs)."""

    def __init__(self, kind: str, directory: Path) -> None:
        self.kind = kind
        self.directory = directory
        self.port = 0
        self.started = False

    @property
    def url(self) -> str | None:
        return f"postgres://postgres@127.0.0.1:{self.port}/personfirst" if self.kind == "postgres" else None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "PYTHONPATH": str(REPO),
                "PERSONFIRST_VAR_DIR": str(self.directory / "var"),
                "SECRET_KEY": secrets.token_urlsafe(45),
                "ALLOWED_HOSTS": "127.0.0.1,testserver",
                "SECURE_SSL_REDIRECT": "false",
                "LOG_LEVEL": "WARNING",
            }
        )
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    def start(self) -> None:
        (self.directory / "var").mkdir(parents=True, exist_ok=True)
        if self.kind != "postgres":
            return
        self.port = free_port()
        if not (self.directory / "pg" / "data").exists():
            # The test suite's throwaway cluster (scripts/pg-test-server): 127.0.0.1 only, fsync off.
            subprocess.run(
                ["scripts/pg-test-server", "start", str(self.directory / "pg"), str(self.port)], cwd=REPO, check=True
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "personfirst"], check=True
            )
        else:
            self._pg_ctl("start", "-w", "-l", str(self.directory / "pg" / "server.log"), "-o", self._options())
        self.started = True
        log(f"PostgreSQL on 127.0.0.1:{self.port} ({self.directory / 'pg'})")

    def _options(self) -> str:
        pg = self.directory / "pg"
        return (
            f"-p {self.port} -k {pg} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )

    def _pg_ctl(self, *args: str) -> None:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        command = [str(bindir / "pg_ctl"), "-D", str(self.directory / "pg" / "data"), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.started:
            self._pg_ctl("stop", "-m", "fast", "-w")
            self.started = False
            log("Stopped PostgreSQL (its data is kept for the next run)")


def manage(database: Database, *args: str) -> tuple[str, float]:
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=database.env(), capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip(), seconds


def build(database: Database, args) -> dict:
    """Make the dataset, or reuse it if its description matches."""
    wanted = {
        "organisations": args.organisations,
        "area_organisations": args.area_organisations,
        "areas": args.areas,
        "assessments": args.assessments,
    }
    manage(database, "collectstatic", "--noinput", "-v0")  # production's manifest storage needs it
    marker = database.directory / "dataset.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        if made.get("wanted") == wanted:
            log(f"Reusing the dataset in {database.directory}")
            return made
    log(f"Building the dataset in {database.directory} (this takes several minutes)")
    for step in (["migrate", "--noinput", "-v0"], ["load_instruments", "-v0"], ["load_demo", "-v0"]):
        manage(database, *step)
    timings = {}
    for label, count, code, areas in (
        ("national", args.organisations - args.area_organisations, NATIONAL_FIRST_CODE, args.areas),
        ("area", args.area_organisations, AREA_CODE, 1),
    ):
        output, seconds = manage(
            database,
            "generate_demo_area",
            "--organisations", str(count),
            "--assessments-per-organisation", str(args.assessments),
            "--area-code", code,
            "--areas", str(areas),
            "--seed", "2026" if label == "national" else "7",
        )  # fmt: skip
        log(f"  {output} ({seconds:.0f} s with start-up)")
        timings[label] = {"organisations": count, "seconds": round(seconds, 1), "output": output}
    output, seconds = manage(database, "publish_insight", "--again")
    log(f"  {output} ({seconds:.0f} s with start-up)")
    made = {
        "wanted": wanted,
        "generate": timings,
        "publish": {"seconds": round(seconds, 1), "output": output},
        "built_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    marker.write_text(json.dumps(made, indent=2))
    return made


# --- Measuring ----------------------------------------------------------------


def measure(database: Database, repeat: int) -> list[dict]:
    os.environ.update(database.env())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import CouncilArea
    from personfirst.insight.area import pages, publish, report, sources
    from personfirst.readiness.assessments.models import Instrument
    from personfirst.testing import verify_session

    instrument = Instrument.objects.get(key="health-check")
    platform = User.objects.get(email="platform@personfirst.example")
    client = Client()
    client.force_login(platform)
    verify_session(client, platform)  # platform admins sign in with a code too: as if one was entered
    area = CouncilArea.objects.get(code=AREA_CODE)
    views = [
        ("area (5,000 organisations)", sources.for_area(area), f"/insight/areas/{AREA_CODE}/", report.Filters()),
        ("national (160,000 organisations)", sources.england(), "/insight/england/", report.Filters()),
    ]
    # And each with two types and a period.
    filtered = []
    for label, scope, path, _filters in views:
        built = report.build(scope, instrument)
        if len(built.view.periods) < 2:
            continue
        period = built.view.periods[-2][0]
        types = ("voluntary", "home_care")
        filters = report.Filters(types=types, period=period)
        if not report.build(scope, instrument, filters).shown:
            continue
        filtered.append(
            (label + ", two types, one period", scope, f"{path}?type=voluntary&type=home_care&period={period}", filters)
        )

    def timings(run) -> list[float]:
        """One warm-up run (the database's cache, Django's template cache), then ``repeat`` timed ones."""
        run()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return times

    def fetch(path):
        def run():
            assert client.get(path).status_code == 200, path

        return run

    results = [
        {"view": "bare signed-in request (/bench/bare/)", "bare": statistics.median(timings(fetch("/bench/bare/")))},
        {
            "view": "empty signed-in page (/bench/empty-page/)",
            "empty": statistics.median(timings(fetch("/bench/empty-page/"))),
        },
    ]

    snapshot = publish.current(instrument.pk)

    def plain_sql(scope, filters):
        """The view's two reads of the snapshot (insight.sources), compiled once, run on a bare cursor."""
        view = sources.view_for(snapshot, scope)
        pieces = report.figure_pieces(view, filters)
        chosen = [(m, tuple(p)) for m, p in pieces.items() if p and m not in ("organisations", "overall")]
        period = None if filters.period is None else report.period_starting(view, filters.period)
        queries = [
            sources.counts_query(snapshot.pk, scope.key),
            sources.values_query(snapshot.pk, scope.key, period, chosen),
        ]
        compiled = [q.query.sql_with_params() for q in queries]

        def run():
            with connection.cursor() as cursor:
                for sql, params in compiled:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return run

    for label, scope, path, filters in views + filtered:
        floor = plain_sql(scope, filters)

        def figures(scope=scope, filters=filters):
            report.build(scope, instrument, filters)

        def page(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert b"organisations counted" in response.content, path

        def page_anew(page=page):
            """As the first request after a snapshot is published: nothing kept (personfirst/insight/area/pages.py)."""
            pages.forget()
            page()

        row = {"view": label, "path": path}
        busy0, own0, wall0 = machine_cpu_seconds()[0], time.process_time(), time.monotonic()
        timed = [("floor", floor), ("figures", figures), ("page", page), ("page made anew", page_anew)]
        for name, run in timed:
            times = timings(run)
            row[name] = {"median": statistics.median(times), "min": min(times), "max": max(times)}
        wall = time.monotonic() - wall0
        # CPUs in use: by this process, and by everything else (PostgreSQL's server, and other people's work).
        row["cpus_this_process"] = round((time.process_time() - own0) / wall, 2)
        row["cpus_other"] = round(max(0.0, machine_cpu_seconds()[0] - busy0 - (time.process_time() - own0)) / wall, 2)
        results.append(row)
        floor_ms = row["floor"]["median"] * 1000
        log(
            f"{label}: floor {floor_ms:.0f} ms, figures {row['figures']['median'] * 1000:.0f} ms, "
            f"page {row['page']['median'] * 1000:.0f} ms"
        )
    return results


def verdict(row: dict) -> str:
    """ok: the page under 1 s, kept or made anew, and within 3 times the floor."""
    floor, page, anew = (row[name]["median"] for name in ("floor", "page", "page made anew"))
    return "ok" if max(page, anew) < TARGET_SECONDS and page <= TARGET_RATIO * floor else "MISSED"


def report_table(kind: str, results: list[dict], dataset: dict) -> str:
    lines = [
        f"Area insight on {kind}: median of the timed runs (min–max), ratio to the floor",
        "",
        f"{'view':<52} {'floor':>16} {'figures':>22} {'page':>22} {'page made anew':>22}  verdict",
    ]
    for row in results:
        if "bare" in row:
            bare = row["bare"]
            continue
        if "empty" in row:
            empty = row["empty"]
            continue
        floor = row["floor"]["median"]

        def cell(name, floor=floor, row=row):
            r = row[name]
            ratio = "" if name == "floor" else f" ×{r['median'] / floor:.2f}"
            return f"{r['median'] * 1000:.0f} ms ({r['min'] * 1000:.0f}–{r['max'] * 1000:.0f}){ratio}"

        lines.append(
            f"{row['view']:<52} {cell('floor'):>16} {cell('figures'):>22} {cell('page'):>22} "
            f"{cell('page made anew'):>22}  {verdict(row)}  "
            f"(CPUs: this process {row['cpus_this_process']}, other {row['cpus_other']})"
        )
    lines.append("")
    lines.append(
        f"A bare signed-in request (/bench/bare/: the middleware and the session, no work of its own) takes "
        f"{bare * 1000:.1f} ms the same way; an empty page (/bench/empty-page/: signed in, the header, navigation "
        f"and footer) {empty * 1000:.1f} ms."
    )
    for label, made in dataset["generate"].items():
        lines.append(f"generate_demo_area ({label}): {made['output']} Wall clock with start-up: {made['seconds']} s.")
    if "publish" in dataset:
        lines.append(f"publish_insight --again: wall clock with start-up {dataset['publish']['seconds']} s.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--dataset-dir", type=Path, help="Where the dataset is kept (default /tmp/personfirst-insight-<db>)"
    )
    parser.add_argument("--organisations", type=int, default=160_000)
    parser.add_argument("--area-organisations", type=int, default=5_000)
    parser.add_argument("--areas", type=int, default=150, help="Council areas for the rest")
    parser.add_argument("--assessments", type=int, default=4, help="Submitted assessments per organisation")
    parser.add_argument("--repeat", type=int, default=7, help="Timed runs of each thing (after one warm-up)")
    parser.add_argument("--quiet-wait", type=float, default=0, help="First wait up to this long for a quiet machine")
    parser.add_argument("--discard", action="store_true", help="Delete the dataset at the end")
    parser.add_argument("--json", type=Path, help="Also write the figures here")
    args = parser.parse_args()
    directory = args.dataset_dir or Path(tempfile.gettempdir()) / f"personfirst-insight-{args.database}"
    database = Database(args.database, directory)
    try:
        database.start()
        dataset = build(database, args)
        if args.quiet_wait:
            wait_for_quiet(args.quiet_wait)
        results = measure(database, args.repeat)
    finally:
        database.stop()
        if args.discard:
            shutil.rmtree(directory, ignore_errors=True)
    print(report_table(args.database, results, dataset))
    print(f"\nMachine: {json.dumps(machine())}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "dataset": dataset, "results": results}, indent=2))
    missed = [r["view"] for r in results if "floor" in r and verdict(r) != "ok"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
