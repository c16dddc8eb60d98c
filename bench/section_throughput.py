"""Throughput of the section page, GET and POST, as a ratio to a bare Django
view served the same way (issue #3). Not a test.

One throwaway PersonFirst (fresh SQLite file) under gunicorn, as in
bench/readiness_load.py. C client threads (default 8) send requests as fast
as the server answers them, for a warm-up and then a measured window of S
seconds (default 15) per scenario:

  bare GET, signed out   GET /bench/bare/ (bench/urls.py: HttpResponse("ok")), no cookies
  bare GET, signed in    the same with a respondent's session
  section GET            a respondent's section page (.../my-answers/<section>/)
  bare POST, signed in   POST /bench/bare/ with a CSRF token and a form of the same size
  section POST           the section form, valid, changing the answer each time (302 = saved)

The bare view passes through the whole middleware stack (sessions saved on
every request, CSRF, auth, axes, CSP, audit log) but does no work of its
own, so the ratios say what the section page itself costs. Each client signs
in as its own respondent and answers its own section, so no save conflicts.
Afterwards the stored answers are checked against the acknowledged POSTs.

    .venv/bin/python bench/section_throughput.py --seconds 15 --concurrency 8
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
class Seat:
    """One client thread: a signed-in respondent and the section it works on."""

    email: str
    client: Client
    section: str
    next_path: str
    item: str = ""
    token: str = ""
    levels: int = 0
    level: int = 0  # stored level (0: none yet)
    revision: int = 0  # stored revision
    saves: int = 0
    notes: str = ""

    def refresh(self) -> None:
        page = self.client.get(self.section)
        if page.status != 200:
            raise RequestFailed(f"GET {self.section}: {page.status}")
        form = parse_form(page.body)
        items = [name.removeprefix("item-") for name in form.radios if name.startswith("item-")]
        if len(items) != 1:
            raise RequestFailed(f"{self.section}: expected one item, found {len(items)}")
        self.item = items[0]
        self.token = form.value("csrfmiddlewaretoken")
        self.levels = len([v for v in form.radios[f"item-{self.item}"] if v != NOT_RELEVANT])
        shown = form.checked.get(f"item-{self.item}")
        self.level = int(shown) if shown and shown != NOT_RELEVANT else 0
        self.revision = int(form.value(f"rev-{self.item}") or 0)

    def section_post(self) -> list[tuple[str, str]]:
        level = self.level % self.levels + 1
        notes = f"{self.email} save {self.saves + 1}"
        return [
            ("csrfmiddlewaretoken", self.token),
            (f"rev-{self.item}", str(self.revision)),
            (f"item-{self.item}", str(level)),
            (f"notes-{self.item}", notes),
            ("continue", "1"),
        ]


@dataclass
class Outcome:
    done: list[tuple[float, float]] = field(default_factory=list)  # (finished at, seconds) of good responses
    errors: list[str] = field(default_factory=list)


def scenario_requests(name: str, seat: Seat, port: int):
    """A function doing one request of the scenario: returns (response, good)."""
    if name == "bare GET, signed out":
        anonymous = Client(port)

        def one():
            response = anonymous.get("/bench/bare/")
            return response, response.status == 200 and response.body == "ok"

    elif name == "bare GET, signed in":

        def one():
            response = seat.client.get("/bench/bare/")
            return response, response.status == 200 and response.body == "ok"

    elif name == "section GET":

        def one():
            response = seat.client.get(seat.section)
            return response, response.status == 200 and f'name="rev-{seat.item}"' in response.body

    elif name == "bare POST, signed in":

        def one():
            response = seat.client.post("/bench/bare/", seat.section_post())
            return response, response.status == 200 and response.body == "ok"

    elif name == "section POST":

        def one():
            form = seat.section_post()
            response = seat.client.post(seat.section, form)
            good = response.status == 302 and response.location == seat.next_path
            if good:
                fields = dict(form)
                seat.level = int(fields[f"item-{seat.item}"])
                seat.notes = fields[f"notes-{seat.item}"]
                seat.revision += 1
                seat.saves += 1
            else:
                seat.refresh()  # find out what is stored before going on
            return response, good

    else:
        raise ValueError(name)
    return one


SCENARIOS = ["bare GET, signed out", "bare GET, signed in", "section GET", "bare POST, signed in", "section POST"]


def run_scenario(
    name: str, seats: list[Seat], port: int, env: BenchEnvironment, warmup: float, seconds: float, stop: threading.Event
):
    outcome = Outcome()
    lock = threading.Lock()
    start = time.monotonic()
    window = (start + warmup, start + warmup + seconds)

    def worker(seat: Seat) -> None:
        one = scenario_requests(name, seat, port)
        while time.monotonic() < window[1] and not stop.is_set():
            try:
                response, good = one()
            except Exception as error:  # noqa: BLE001
                with lock:
                    outcome.errors.append(f"{name}: {type(error).__name__}: {error}")
                continue
            finished = time.monotonic()
            with lock:
                if good:
                    outcome.done.append((finished, response.seconds))
                else:
                    outcome.errors.append(f"{name}: status {response.status} to {response.location!r}")

    threads = [threading.Thread(target=worker, args=(seat,), daemon=True) for seat in seats]
    for thread in threads:
        thread.start()
    cpu = CpuWatch(env)
    time.sleep(max(0.0, window[0] - time.monotonic()))
    cpu.start()
    time.sleep(max(0.0, window[1] - time.monotonic()))
    cpu.stop()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)
    latencies = [s for finished, s in outcome.done if window[0] <= finished <= window[1]]
    count = len(latencies)
    return {
        "scenario": name,
        "requests": count,
        "per_second": count / seconds,
        "latencies": latencies,
        "server_cpu_ms_per_request": cpu.server / max(count, 1) * 1000,
        "server_cpu_share": cpu.server / cpu.seconds,
        "client_cpu_share": cpu.client / cpu.seconds,
        "other_cpu_share": cpu.other / cpu.seconds,
        "errors": outcome.errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="measured seconds per scenario (default 15)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    add_server_arguments(parser)
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 100 or not 1 <= args.seconds <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--concurrency must be 1-100, --seconds 1-600 and --warmup 0-60")
    raise_keyboard_interrupt_on_sigterm()
    stop = threading.Event()

    with BenchEnvironment(
        respondents=args.concurrency,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        keep=args.keep,
        sqlite_conn_max_age=args.sqlite_conn_max_age,
    ) as env:
        fixture = env.fixture
        base = f"/organisations/{fixture['organisation']}/assessments/{fixture['assessment']}/"
        list_path = base + "my-answers/"
        seats: list[Seat] = []
        try:
            log(f"Signing in {args.concurrency} respondents")
            for n, email in enumerate(fixture["emails"]):
                client = Client(env.port)
                sign_in(client, email, fixture["password"])
                sections = section_links(client.get(list_path).body, list_path)
                position = n % len(sections)
                next_path = sections[position + 1] if position + 1 < len(sections) else list_path
                seat = Seat(email=email, client=client, section=sections[position], next_path=next_path)
                seat.refresh()
                seats.append(seat)
            wait_for_quiet(args.quiet_wait)
            results = []
            for name in SCENARIOS:
                log(f"{name}: {args.warmup:g} s warm-up, {args.seconds:g} s measured, {args.concurrency} clients")
                results.append(run_scenario(name, seats, env.port, env, args.warmup, args.seconds, stop))
        except KeyboardInterrupt:
            stop.set()
            log("Interrupted: stopping the server")
            return 130
        env.stop_server()
        expected = {
            (seat.email, seat.item): Expected(level=seat.level, notes=seat.notes, saves=seat.revision)
            for seat in seats
            if seat.revision
        }
        failures = verify(env.db_path, fixture["assessment"], expected, [seat.email for seat in seats])
        integrity = integrity_check(env.db_path)
        if integrity != "ok":
            failures.append(f"PRAGMA integrity_check: {integrity}")
        server_problems = env.server_problems()

    by_name = {r["scenario"]: r for r in results}
    rate = {name: r["per_second"] for name, r in by_name.items()}
    ratios = {
        "section GET / bare GET, signed in": rate["section GET"] / rate["bare GET, signed in"],
        "section GET / bare GET, signed out": rate["section GET"] / rate["bare GET, signed out"],
        "section POST / bare POST, signed in": rate["section POST"] / rate["bare POST, signed in"],
        "section POST / bare GET, signed out": rate["section POST"] / rate["bare GET, signed out"],
    }
    errors = [e for r in results for e in r["errors"]]
    info = machine()
    print()
    print("Section page throughput against a bare Django view, served the same way")
    print(
        f"  machine   {info['cpus']} CPUs ({info['cpu']}), {info['memory']}; Python {info['python']}, "
        f"Django {info['django']}, SQLite {info['sqlite']}"
    )
    print(f"  server    {env.server_config()}, bench.settings (production + plain HTTP), fresh SQLite file")
    print(
        f"  clients   {args.concurrency} threads in one process on the same machine; "
        f"{args.warmup:g} s warm-up + {args.seconds:g} s measured per scenario"
    )
    print()
    cpus = f"CPUs in use (of {info['cpus']})"
    print(f"  {'':<22} {'':>8} {'':>8} {'':>8} {'':>8} {'server CPU':>11}   {cpus:>23}")
    print(
        f"  {'scenario':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'ms/request':>11}   "
        f"{'server':>7} {'clients':>7} {'other':>7}"
    )
    for r in results:
        ms = [s * 1000 for s in r["latencies"]]
        print(
            f"  {r['scenario']:<22} {r['per_second']:8.1f} {percentile(ms, 50):8.1f} {percentile(ms, 95):8.1f} "
            f"{percentile(ms, 99):8.1f} {r['server_cpu_ms_per_request']:11.1f}   {r['server_cpu_share']:7.2f} "
            f"{r['client_cpu_share']:7.2f} {r['other_cpu_share']:7.2f}"
        )
    if max(r["other_cpu_share"] for r in results) > 0.15:
        print("  (other processes were busy during the run: the figures are lower than on a quiet machine)")
    print()
    for name, ratio in ratios.items():
        print(f"  {name:<38} {ratio:.3f}  (1 : {1 / ratio:.1f})")
    print()
    for r in results:
        print("  " + latency_line(r["scenario"], r["latencies"]))
    saves = sum(seat.saves for seat in seats)
    print(f"  section POSTs acknowledged (warm-up included): {saves}; errors: {len(errors)}")
    for error in errors[:30]:
        print(f"    {error}")
    if server_problems:
        print(f"  server log: {len(server_problems)} line(s) reporting problems:")
        for line in server_problems[:30]:
            print(f"    {line}")
    print(f"  verification: {'every acknowledged save is stored' if not failures else 'FAILED'}")
    for failure in failures[:30]:
        print(f"    {failure}")
    if args.json:
        figures = {
            "server": env.server_config(), "concurrency": args.concurrency, "seconds": args.seconds,
            "warmup": args.warmup, "machine": info, "ratios": ratios, "errors": errors,
            "server_problems": server_problems, "verification_failures": failures,
            "scenarios": [
                {k: (round(v, 3) if isinstance(v, float) else v)
                 for k, v in r.items() if k not in ("latencies", "errors")}
                | {f"p{p}_ms": round(percentile(r["latencies"], p) * 1000, 1) for p in (50, 95, 99)}
                for r in results
            ],
        }  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if not errors and not failures and not server_problems else 1


if __name__ == "__main__":
    sys.exit(main())
