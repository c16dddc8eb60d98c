"""The directory at scale: 100,000 services at 150,000 places, on SQLite or
PostgreSQL (issue 13).

The dataset is built once and kept in --dataset-dir (reused when it
matches): migrate, ``load_postcodes`` (the whole ONS postcode directory,
timed), then a generated Open Referral UK feed of --services services over
20,000 real English postcodes, loaded with ``import_oruk`` (timed: the
import figure, with its progress bar on the terminal).

Then, in this process, for --repeat random searches each:

- **floor**: the plainest SQL that answers "these words, this theme,
  within 10 km of here" (the full-text match, the theme bit, a bounding box
  and the distance, 20 rows), on a bare cursor;
- **engine**: ``search.engine.run`` for the same search: the ranked,
  counted page of 20 with what the page shows about each service;
- **page**: the whole search page through Django's test client (postcode
  look-up, form, engine, template);
- **ORUK /services**: a random page of ``/oruk/services`` (50 services).

It prints p50 and p95 of each, and exits 0 only if the engine's and
/oruk/services' p95 are under 50 ms and the engine's p95 is within 3 times
the floor's.

    .venv/bin/python bench/directory_search.py --database sqlite
    .venv/bin/python bench/directory_search.py --database postgres

Not a test: nothing here is collected by pytest (see bench/README.md).
"""

# ruff: noqa: S603, S607, S608, S311
from __future__ import annotations

import argparse
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

TARGET_MS = 50.0
TARGET_RATIO = 3.0
WORDS = ["day centre", "lunch", "carer", "home help", "walking", "money advice", "befriending", "transport", "memory"]
THEMES = ["things-to-do", "living-at-home", "health-matters", "getting-around", "money-matters"]


def sample_places(count: int, seed: int) -> list[tuple[str, int, int, str]]:
    """``count`` real English postcodes with grid references, drawn evenly from the package."""
    from personfirst.market.directory import postcodes

    english = [
        row
        for letter in postcodes.letters()
        for row in postcodes.read_letter(letter)
        if row[1] is not None and row[3].startswith("E")
    ]
    rng = random.Random(seed)
    return [(postcodes.formatted(code), e, n, la) for code, e, n, la in rng.sample(english, count)]


def build(database: Database, args) -> dict:
    wanted = {"services": args.services, "places": args.places, "locations_per_service": 1.5, "seed": args.seed}
    manage(database, "collectstatic", "--noinput", "-v0")
    marker = database.directory / "dataset.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        if made.get("wanted") == wanted:
            log(f"Reusing the dataset in {database.directory}")
            output, _seconds = manage(database, "migrate", "--noinput")
            if "Applying" in output:  # a newer search index: build it again
                output, seconds = manage(database, "rebuild_search_index")
                log(f"  {output} in {seconds:.0f} s")
            return made
    log(f"Building the dataset in {database.directory}")
    manage(database, "migrate", "--noinput", "-v0")
    output, postcode_seconds = manage(database, "load_postcodes")
    log(f"  {output} in {postcode_seconds:.0f} s")
    places = sample_places(args.places, args.seed)
    (database.directory / "places.json").write_text(json.dumps(places))
    os.environ.update(database.env())
    import django

    django.setup()
    from personfirst.market.directory import generate

    feed = database.directory / "feed.json"
    started = time.monotonic()
    with feed.open("w") as out:
        out.write("[")
        for number, record in enumerate(generate.records(args.services, places, seed=args.seed)):
            out.write(("," if number else "") + json.dumps(record))
        out.write("]")
    log(
        f"  wrote a feed of {args.services:,} services ({feed.stat().st_size / 1e6:.0f} MB)"
        f" in {time.monotonic() - started:.0f} s"
    )
    output, import_seconds = manage(database, "import_oruk", str(feed))
    log(f"  {output} in {import_seconds:.0f} s")
    made = {
        "wanted": wanted,
        "load_postcodes_seconds": round(postcode_seconds, 1),
        "import_seconds": round(import_seconds, 1),
        "import_output": output,
        "built_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    marker.write_text(json.dumps(made, indent=2))
    return made


def floor_sql(vendor: str) -> str:
    """The plainest query for words + theme + radius, on the same search tables as the engine
    (placeholders: bbox x4, e, e, n, n, r2, theme bit, match), with no ranking, counting or grouping."""
    distance = (
        "(CAST(l.easting AS BIGINT) - %s) * (CAST(l.easting AS BIGINT) - %s)"
        " + (CAST(l.northing AS BIGINT) - %s) * (CAST(l.northing AS BIGINT) - %s)"
    )
    if vendor == "postgresql":
        match = "d.vector @@ ({tsquery})"
    else:
        match = "d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
    return (
        "SELECT DISTINCT d.service_id FROM search_point l JOIN search_document d ON d.id = l.document_id "
        "WHERE l.easting BETWEEN %s AND %s AND l.northing BETWEEN %s AND %s "
        f"AND {distance} <= %s AND (d.theme_bits & %s) != 0 AND {match} LIMIT 20"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
        "n": len(values),
    }


def measure(database: Database, args) -> dict:
    os.environ.update(database.env())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from personfirst.market.directory import postcodes
    from personfirst.market.directory.models import Service
    from personfirst.market.directory.vocabulary import THEME_BITS
    from personfirst.market.search import engine, words

    places = json.loads((database.directory / "places.json").read_text())
    rng = random.Random(args.seed + 1)
    searches = []
    for _ in range(args.repeat):
        code, _e, _n, _la = rng.choice(places)
        searches.append((rng.choice(WORDS), rng.choice(THEMES), postcodes.place(code)))
    vendor = connection.vendor
    template = floor_sql(vendor)
    client = Client()
    timings: dict[str, list[float]] = {"floor": [], "engine": [], "page": [], "oruk_services": []}
    found = []
    # One warm-up of each, then the timed runs.
    for label_index, (text, theme, place) in enumerate([searches[0], *searches]):
        warm = label_index == 0
        radius = 10_000
        groups = words.concepts(text)
        if vendor == "postgresql":
            tsquery, ts_params = words.tsquery_sql(groups, every=True)
            sql, match_params = template.replace("{tsquery}", tsquery), ts_params
        else:
            sql, match_params = template, [words.fts5_query(groups, every=True)]
        params = [
            place.easting - radius, place.easting + radius, place.northing - radius, place.northing + radius,
            place.easting, place.easting, place.northing, place.northing, radius * radius,
            THEME_BITS[theme],
            *match_params,
        ]  # fmt: skip
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        floor = time.perf_counter() - started
        query = engine.Query(words=text, theme=theme, place=place, within_metres=radius)
        started = time.perf_counter()
        results = engine.run(query)
        for hit in results.hits:  # what the page reads about each
            list(hit.service.cost_options.all())
        engine_seconds = time.perf_counter() - started
        started = time.perf_counter()
        response = client.get("/directory/", {"q": text, "theme": theme, "postcode": place.postcode, "distance": "10"})
        page_seconds = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        started = time.perf_counter()
        page = rng.randint(1, 2000)
        response = client.get("/oruk/services", {"page": page})
        oruk_seconds = time.perf_counter() - started
        assert response.status_code == 200 and response.json()["size"] == 50, response.content[:200]
        if not warm:
            timings["floor"].append(floor)
            timings["engine"].append(engine_seconds)
            timings["page"].append(page_seconds)
            timings["oruk_services"].append(oruk_seconds)
            found.append(results.total)
    return {
        "vendor": vendor,
        "services": Service.objects.count(),
        "locations": Service.objects.values("service_at_locations__location").count(),
        "results_per_search_median": statistics.median(found),
        **{label: summary(values) for label, values in timings.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=20_000, help="distinct postcodes the places are at")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dataset-dir", type=Path)
    parser.add_argument("--quiet-wait", type=float, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    directory = args.dataset_dir or Path(tempfile.gettempdir()) / f"personfirst-directory-{args.database}"
    database = Database(args.database, directory)
    database.start()
    try:
        made = build(database, args)
        if args.quiet_wait:
            wait_for_quiet(args.quiet_wait)
        busy_before = machine_cpu_seconds()
        figures = measure(database, args)
        busy_after = machine_cpu_seconds()
    finally:
        database.stop()
    busy = busy_after[0] - busy_before[0]
    idle = busy_after[1] - busy_before[1]
    figures["machine_busy_share"] = round(busy / (busy + idle), 2) if busy + idle else None
    figures["dataset"] = made
    figures["machine"] = machine()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    engine_p95, floor_p95 = figures["engine"]["p95_ms"], figures["floor"]["p95_ms"]
    ok = (
        engine_p95 < TARGET_MS
        and figures["oruk_services"]["p95_ms"] < TARGET_MS
        and engine_p95 <= TARGET_RATIO * floor_p95
    )
    log(
        f"words + theme + 10 km: engine p95 {engine_p95} ms, floor p95 {floor_p95} ms "
        f"({engine_p95 / max(floor_p95, 0.001):.1f}x); /oruk/services p95 {figures['oruk_services']['p95_ms']} ms: "
        + ("within the targets" if ok else "NOT within the targets")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
