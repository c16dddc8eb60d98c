"""Load script for readiness assessments (issue #3). Not a test.

N concurrent respondents (default 20) of one health-check assessment save
their own answers through the real web form for S seconds (default 60)
against gunicorn on a fresh SQLite database. Each respondent signs in, then
goes round the sections like a browser would: GET the section page, POST the
form ("Save and continue") with the CSRF token and revisions the page gave,
follow the redirect. A save counts as acknowledged only on a 302 to the next
section (or, after the last section, to the respondent's task list).

Every save changes the answer (a different level, and a note naming the
client and the save), so afterwards, with the server stopped, the SQLite file
must hold, for every respondent and item, exactly the last acknowledged
answer with a revision equal to the number of acknowledged saves of it.
Any error (exception, unexpected status, page showing something other than
the last acknowledged answer, problem in the server log) fails the run.

    .venv/bin/python bench/readiness_load.py --clients 20 --seconds 60

Exit status: 0 when there were no errors and every acknowledged save is stored.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    BenchEnvironment,
    Client,
    CpuWatch,
    Expected,
    RequestFailed,
    add_server_arguments,
    audit_entries_for_answers,
    integrity_check,
    latency_line,
    log,
    machine,
    parse_form,
    percentile,
    raise_keyboard_interrupt_on_sigterm,
    section_links,
    sign_in,
    verify,
    wait_for_quiet,
)

NOT_RELEVANT = "not-relevant"


@dataclass
class Respondent:
    number: int
    email: str
    expected: dict[str, Expected] = field(default_factory=dict)  # item key -> expected
    uncertain: set[str] = field(default_factory=set)  # items whose last save has no known outcome
    saves: int = 0
    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {"GET section": [], "POST save": [], "GET task list": []}
    )
    errors: list[str] = field(default_factory=list)
    finished_at: float = 0.0


def run_respondent(
    person: Respondent, port: int, fixture: dict, ready: threading.Barrier, clock: dict, stop: threading.Event
):
    client = Client(port)
    base = f"/organisations/{fixture['organisation']}/assessments/{fixture['assessment']}/"
    list_path = base + "my-answers/"
    try:
        sign_in(client, person.email, fixture["password"])
        page = client.get(list_path)
        if page.status != 200:
            raise RequestFailed(f"GET task list: {page.status}")
        sections = section_links(page.body, list_path)
        if not sections:
            raise RequestFailed("the task list links to no sections")
    except Exception as error:  # noqa: BLE001
        person.errors.append(f"client {person.number:02d} setting up: {type(error).__name__}: {error}")
        ready.abort()
        return
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        return
    position = person.number % len(sections)  # respondents start on different sections
    while time.monotonic() < clock["deadline"] and not stop.is_set():
        path = sections[position]
        phase = f"GET {path}"
        try:
            page = client.get(path)
            person.latencies["GET section"].append(page.seconds)
            if page.status != 200:
                raise RequestFailed(f"status {page.status}")
            form = parse_form(page.body)
            items = [name.removeprefix("item-") for name in form.radios if name.startswith("item-")]
            if not items:
                raise RequestFailed("no items on the section page")
            post = [("csrfmiddlewaretoken", form.value("csrfmiddlewaretoken"))]
            new: dict[str, Expected] = {}
            for key in items:
                revision = int(form.value(f"rev-{key}") or 0)
                shown = form.checked.get(f"item-{key}")
                want = person.expected.get(key)
                if key not in person.uncertain:
                    # Read-your-writes: the page must show the last acknowledged save.
                    if (want.saves if want else 0) != revision:
                        raise RequestFailed(
                            f"{key}: page has revision {revision}, {want.saves if want else 0} saves were acknowledged"
                        )
                    if (str(want.level) if want else None) != shown:
                        raise RequestFailed(
                            f"{key}: page shows {shown!r}, last acknowledged level {want.level if want else None}"
                        )
                levels = [value for value in form.radios[f"item-{key}"] if value != NOT_RELEVANT]
                current = int(shown) if shown and shown != NOT_RELEVANT else 0
                level = current % len(levels) + 1  # always a different level from the stored one
                notes = f"client {person.number:02d} save {person.saves + 1}"
                post += [(f"rev-{key}", str(revision)), (f"item-{key}", str(level)), (f"notes-{key}", notes)]
                post += [(name, value) for name, value in form.values.items() if name.startswith(f"target-{key}-")]
                new[key] = Expected(level=level, notes=notes, saves=revision + 1)
            post.append(("continue", "1"))
            phase = f"POST {path}"
            try:
                response = client.post(path, post)
            except Exception:
                person.uncertain.update(new)  # it may or may not have been saved
                raise
            person.latencies["POST save"].append(response.seconds)
            next_path = sections[position + 1] if position + 1 < len(sections) else base + "my-answers/"
            if response.status != 302 or response.location != next_path:
                raise RequestFailed(f"status {response.status} to {response.location!r}, expected 302 to {next_path}")
            # Acknowledged.
            person.saves += 1
            person.expected.update(new)
            person.uncertain.difference_update(new)
            if next_path == list_path:
                phase = f"GET {list_path}"
                page = client.get(list_path)  # follow the redirect back to the task list
                person.latencies["GET task list"].append(page.seconds)
                if page.status != 200:
                    raise RequestFailed(f"status {page.status}")
                position = 0
            else:
                position += 1
        except Exception as error:  # noqa: BLE001
            person.errors.append(f"client {person.number:02d} {phase}: {type(error).__name__}: {error}")
            if len(person.errors) >= 5:
                break
    person.finished_at = time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent respondents (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they save answers (default 60)")
    add_server_arguments(parser)
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 3600:
        parser.error("--clients must be 1-200 and --seconds 1-3600")
    raise_keyboard_interrupt_on_sigterm()

    with BenchEnvironment(
        respondents=args.clients,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        keep=args.keep,
        sqlite_conn_max_age=args.sqlite_conn_max_age,
    ) as env:
        fixture = env.fixture
        people = [Respondent(number=n, email=email) for n, email in enumerate(fixture["emails"], start=1)]
        clock: dict[str, float] = {}
        cpu = CpuWatch(env)

        def go() -> None:
            clock["start"] = time.monotonic()
            clock["deadline"] = clock["start"] + args.seconds
            cpu.start()

        ready = threading.Barrier(len(people), action=go)
        stop = threading.Event()
        threads = [
            threading.Thread(target=run_respondent, args=(p, env.port, fixture, ready, clock, stop), daemon=True)
            for p in people
        ]
        wait_for_quiet(args.quiet_wait)
        log(f"{len(people)} respondents sign in, then save answers for {args.seconds:g} s")
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.5)
        except KeyboardInterrupt:
            stop.set()
            log("Interrupted: stopping the clients and the server")
            for thread in threads:
                thread.join(timeout=35)
            return 130
        if "start" not in clock:
            for person in people:
                for error in person.errors:
                    print(error)
            print("The respondents could not all sign in; nothing was measured.")
            return 1
        cpu.stop()
        elapsed = max(p.finished_at for p in people) - clock["start"]
        server_cpu = cpu.server
        env.stop_server()

        expected = {(p.email, key): want for p in people for key, want in p.expected.items() if key not in p.uncertain}
        failures = verify(env.db_path, fixture["assessment"], expected, [p.email for p in people])
        integrity = integrity_check(env.db_path)
        if integrity != "ok":
            failures.append(f"PRAGMA integrity_check: {integrity}")
        audit_entries = audit_entries_for_answers(env.db_path, fixture["assessment"])
        server_problems = env.server_problems()
        errors = [e for p in people for e in p.errors]

    saves = sum(p.saves for p in people)
    revisions = sum(e.saves for e in expected.values())
    latencies = {kind: [s for p in people for s in p.latencies[kind]] for kind in people[0].latencies}
    requests = sum(len(v) for v in latencies.values())
    uncertain = sum(len(p.uncertain) for p in people)
    info = machine()
    print()
    print("Readiness load: respondents saving their own answers through the web form")
    print(
        f"  machine        {info['cpus']} CPUs ({info['cpu']}), {info['memory']}; Python {info['python']}, "
        f"Django {info['django']}, SQLite {info['sqlite']}"
    )
    print(f"  server         {env.server_config()}, bench.settings (production + plain HTTP)")
    print("  database       SQLite, WAL, IMMEDIATE transactions, busy timeout 20 s, fresh file")
    print(f"  clients        {len(people)} concurrent, {args.seconds:g} s (all finished after {elapsed:.1f} s)")
    print(
        f"  saves          {saves} acknowledged, {saves / elapsed:.1f} saves/s; "
        f"{requests} requests, {requests / elapsed:.1f} req/s"
    )
    print(f"  per respondent {min(p.saves for p in people)}-{max(p.saves for p in people)} saves")
    print(
        f"  server CPU     {server_cpu:.1f} s ({server_cpu / elapsed * 100:.0f}% of one core), "
        f"{server_cpu / max(requests, 1) * 1000:.1f} ms per request"
    )
    print(f"  CPU in use     {cpu.line()}")
    if cpu.shares()["other"] > 0.15:
        print("                 (other processes were busy: the figures are lower than on a quiet machine)")
    for kind, values in latencies.items():
        print("  " + latency_line(kind, values))
    print(f"  errors         {len(errors)}")
    for error in errors[:50]:
        print(f"    {error}")
    if server_problems:
        print(f"  server log     {len(server_problems)} line(s) reporting problems:")
        for line in server_problems[:30]:
            print(f"    {line}")
    print(
        f"  stored         {len(expected)} answers, revisions summing to {revisions} "
        f"(= acknowledged saves: {'yes' if revisions == saves else 'NO'}); "
        f"audit-log entries: {audit_entries}; integrity_check: {integrity}"
    )
    if uncertain:
        print(f"  not verified   {uncertain} answer(s) whose last save had no response")
    if audit_entries != saves:
        failures.append(f"{audit_entries} audit-log entries for {saves} acknowledged saves")
    verified = not failures and revisions == saves and not uncertain
    print(f"  verification   {'every acknowledged save is stored' if verified else 'FAILED'}")
    for failure in failures[:50]:
        print(f"    {failure}")
    if args.json:
        figures = {
            "clients": len(people), "seconds": args.seconds, "elapsed": round(elapsed, 2),
            "server": env.server_config(), "saves": saves, "saves_per_second": round(saves / elapsed, 2),
            "requests": requests, "server_cpu_seconds": round(server_cpu, 2),
            "cpu_cores_in_use": {k: round(v, 2) for k, v in cpu.shares().items()},
            "latency_ms": {
                k: {p: round(percentile(v, p) * 1000, 1) for p in (50, 95, 99)} for k, v in latencies.items()
            },
            "errors": errors, "server_problems": server_problems, "verification_failures": failures,
            "verified": verified, "machine": info,
        }  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if verified and not errors and not server_problems else 1


if __name__ == "__main__":
    sys.exit(main())
