"""Shared parts of the benchmarks: a throwaway PersonFirst served by gunicorn
on 127.0.0.1, a small cookie-keeping HTTP client (standard library only),
a parser for the section form, percentiles, and the check of what is stored.

Nothing here talks to anything but 127.0.0.1, and the server is always
stopped by the script that started it (also on Ctrl-C, SIGTERM or an error).
"""

# ruff: noqa: S603, S608
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import django

    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot, all CPUs together."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    ticks = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq + steal) / ticks, (idle + iowait) / ticks


class CpuWatch:
    """CPU used between start() and stop(): by the server, by this process
    (the clients) and by everything else on the machine (other people's work,
    which slows the benchmark down: the figures are only comparable when it
    is near zero)."""

    def __init__(self, env: BenchEnvironment):
        self.env = env

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.server0, self.client0, self.machine0 = (
            self.env.server_cpu_seconds(),
            time.process_time(),
            machine_cpu_seconds()[0],
        )

    def stop(self) -> None:
        self.seconds = time.monotonic() - self.t0
        self.server = self.env.server_cpu_seconds() - self.server0
        self.client = time.process_time() - self.client0
        self.machine = machine_cpu_seconds()[0] - self.machine0
        self.other = max(0.0, self.machine - self.server - self.client)

    def shares(self) -> dict[str, float]:
        """CPU used, in cores (1.0 = one CPU busy all the time)."""
        return {name: getattr(self, name) / self.seconds for name in ("server", "client", "other", "machine")}

    def line(self) -> str:
        share = self.shares()
        return (
            f"server {share['server']:.2f}, clients {share['client']:.2f}, other processes {share['other']:.2f} "
            f"of {os.cpu_count()} CPUs"
        )


def wait_for_quiet(max_seconds: float, other_cores: float = 0.15) -> float:
    """Wait (up to max_seconds) until the rest of the machine uses less than
    other_cores of CPU, measured over 5 s. Returns the last measurement."""
    deadline = time.monotonic() + max_seconds
    while True:
        busy0, _ = machine_cpu_seconds()
        time.sleep(5)
        busy = (machine_cpu_seconds()[0] - busy0) / 5
        if busy < other_cores or time.monotonic() >= deadline:
            if busy >= other_cores and max_seconds > 0:
                log(f"The machine is still busy ({busy:.2f} CPUs in use by other processes); measuring anyway")
            return busy
        log(f"Waiting for a quiet machine: other processes use {busy:.2f} CPUs")


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every server benchmark takes: how gunicorn runs, waiting
    for a quiet machine, the SQLite connection age, and where figures go."""
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as in docs/operations.md)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway directory (database, server log)")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for other processes to leave the CPUs idle (default 0)",
    )
    parser.add_argument(
        "--sqlite-conn-max-age",
        type=int,
        metavar="SECONDS",
        help="keep SQLite connections open this long (production: 60 s; 0 closes them after every request)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")


def raise_keyboard_interrupt_on_sigterm() -> None:
    def handler(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


# --- The throwaway environment and its server --------------------------------


class BenchEnvironment:
    """A fresh PERSONFIRST_VAR_DIR (new SQLite file), migrated and loaded, with
    gunicorn serving bench.settings on a free port of 127.0.0.1.

    Use as a context manager; leaving it stops the server and deletes the
    directory (unless keep=True).
    """

    def __init__(
        self,
        *,
        respondents: int,
        workers: int,
        worker_class: str = "sync",
        threads: int = 1,
        keep: bool = False,
        sqlite_conn_max_age: int | None = None,
    ):
        self.respondents = respondents
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.keep = keep
        self.sqlite_conn_max_age = sqlite_conn_max_age
        self.var_dir: Path | None = None
        self.server: subprocess.Popen | None = None
        self.server_log_file = None
        self.port = 0
        self.fixture: dict = {}

    # Paths and environment

    @property
    def db_path(self) -> Path:
        assert self.var_dir is not None
        return self.var_dir / "personfirst.sqlite3"

    @property
    def server_log(self) -> Path:
        assert self.var_dir is not None
        return self.var_dir / "gunicorn.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)  # SQLite in the throwaway directory, whatever the shell says
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "PYTHONPATH": str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
                "PERSONFIRST_VAR_DIR": str(self.var_dir),
                "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
                "ALLOWED_HOSTS": HOST,
                "SECURE_SSL_REDIRECT": "false",
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.sqlite_conn_max_age is not None:
            env["BENCH_SQLITE_CONN_MAX_AGE"] = str(self.sqlite_conn_max_age)
        return env

    def server_config(self) -> str:
        text = f"gunicorn {self.workers} x {self.worker_class} worker(s)"
        if self.worker_class == "gthread":
            text += f" x {self.threads} thread(s)"
        text += f", bound to {HOST}:{self.port}"
        if self.sqlite_conn_max_age is not None:
            text += f"; WHAT-IF: SQLite CONN_MAX_AGE={self.sqlite_conn_max_age} (production: DATABASE_CONN_MAX_AGE, 60)"
        return text

    # Steps

    def _run(self, *args: str) -> str:
        started = time.monotonic()
        result = subprocess.run(
            [PYTHON, *args], cwd=REPO, env=self._env, capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        log(f"  {' '.join(args[:2])}: {time.monotonic() - started:.1f} s")
        return result.stdout

    def __enter__(self) -> BenchEnvironment:
        self.var_dir = Path(tempfile.mkdtemp(prefix="personfirst-bench-"))
        self._env = self.env()
        try:
            log(f"Setting up a throwaway PersonFirst in {self.var_dir}")
            self._run("manage.py", "migrate", "--noinput", "-v0")
            self._run("manage.py", "collectstatic", "--noinput", "-v0")
            self._run("manage.py", "load_instruments", "-v0")
            self._run("manage.py", "load_demo", "-v0")
            output = self._run("bench/fixture.py", "--respondents", str(self.respondents))
            self.fixture = json.loads(output.strip().splitlines()[-1])
            self.start_server()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_server(self) -> None:
        self.port = free_port()
        command = [
            GUNICORN,
            "personfirst.wsgi:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--timeout", "60",
            "--graceful-timeout", "10",
            "--no-control-socket",
        ]  # fmt: skip
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        self.server_log_file = open(self.server_log, "w")  # noqa: SIM115
        self.server = subprocess.Popen(
            command,
            cwd=REPO,
            env=self._env,
            stdout=self.server_log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log(f"Starting {self.server_config()} (pid {self.server.pid})")
        deadline = time.monotonic() + 30
        while True:
            if self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.server.returncode}):\n{self.server_log.read_text()}")
            try:
                if Client(self.port).get("/bench/bare/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        # Every worker imports Django at boot; give them all a moment to be ready.
        time.sleep(1.0)

    def server_pids(self) -> list[int]:
        if self.server is None:
            return []
        pids = [self.server.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.server.pid:  # parent pid
                pids.append(int(stat.parent.name))
        return pids

    def server_cpu_seconds(self) -> float:
        """User + system CPU time of the gunicorn master and its live workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.server_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop_server(self) -> None:
        if self.server is None:
            return
        server, self.server = self.server, None
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of master and workers
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)  # its own session: only gunicorn's processes
                server.wait(timeout=10)
        if self.server_log_file is not None:
            self.server_log_file.close()
            self.server_log_file = None
        log(f"Stopped gunicorn (exit {server.returncode})")

    def server_problems(self) -> list[str]:
        """Lines of the server's log that mean something went wrong."""
        if self.var_dir is None or not self.server_log.exists():
            return []
        pattern = re.compile(r"Traceback|Error|locked|CRITICAL|WORKER TIMEOUT|exception", re.IGNORECASE)
        return [line for line in self.server_log.read_text(errors="replace").splitlines() if pattern.search(line)]

    def __exit__(self, *exc) -> None:
        self.stop_server()
        if self.var_dir is not None:
            if self.keep:
                log(f"Kept {self.var_dir}")
            else:
                shutil.rmtree(self.var_dir, ignore_errors=True)


# --- HTTP client -----------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path


class Client:
    """One person's browser, minus the browser: keeps cookies, never follows
    redirects, one connection per request (gunicorn's sync workers close
    every connection anyway)."""

    def __init__(self, port: int, timeout: float = 30.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Response:
        headers = {"Host": HOST, "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] in ("0", 0) or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, data.decode("utf-8", "replace"), seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]) -> Response:
        return self.request("POST", path, form)


class RequestFailed(Exception):
    pass


def sign_in(client: Client, email: str, password: str) -> None:
    page = client.get("/account/sign-in/")
    if page.status != 200:
        raise RequestFailed(f"GET sign-in: {page.status}")
    token = parse_form(page.body).value("csrfmiddlewaretoken")
    response = client.post(
        "/account/sign-in/", [("csrfmiddlewaretoken", token), ("username", email), ("password", password)]
    )
    if response.status != 302 or "sessionid" not in client.cookies:
        raise RequestFailed(f"sign in as {email}: {response.status} to {response.location!r}")


# --- The section form ------------------------------------------------------


@dataclass
class Form:
    """The fields of the page's POST form, as a browser would see them."""

    values: dict[str, str] = field(default_factory=dict)  # hidden, text, date inputs and textareas
    radios: dict[str, list[str]] = field(default_factory=dict)  # name -> values, in page order
    checked: dict[str, str] = field(default_factory=dict)  # name -> checked value

    def value(self, name: str) -> str:
        if name not in self.values:
            raise RequestFailed(f"the form has no field {name!r}")
        return self.values[name]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = Form()
        self.in_form = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
        elif not self.in_form:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "radio":
                self.form.radios.setdefault(a["name"], []).append(a.get("value") or "")
                if "checked" in a:
                    self.form.checked[a["name"]] = a.get("value") or ""
            elif kind not in ("submit", "button", "checkbox"):
                self.form.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            # Browsers drop one newline straight after <textarea>.
            self.form.values[self.textarea] = "".join(self.text).removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    return parser.form


def section_links(html: str, list_path: str) -> list[str]:
    """Section pages linked from a task list, in page order."""
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        if href.startswith(list_path) and href != list_path and href not in found:
            found.append(href)
    return found


# --- Figures ---------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<22} n={len(ms):>6}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms"
        f"  p99={percentile(ms, 99):7.1f} ms  max={max(ms, default=0):7.1f} ms"
    )


# --- What the database holds -------------------------------------------------


@dataclass
class StoredAnswer:
    level: int | None
    option: str
    not_relevant: bool
    notes: str
    revision: int


def stored_answers(db_path: Path, assessment_id: int) -> tuple[dict[tuple[str, str], StoredAnswer], int]:
    """((respondent e-mail, item key) -> answer, number of agreed answers) for one assessment.

    Read straight from the SQLite file, with the server stopped.
    """
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            """
            SELECT u.email, i.key, a.level, a.option, a.not_relevant, a.notes, a.revision
            FROM readiness_answer a
            JOIN readiness_respondent r ON r.id = a.respondent_id
            JOIN accounts_user u ON u.id = r.user_id
            JOIN readiness_item i ON i.id = a.item_id
            WHERE a.assessment_id = ?
            """,
            (assessment_id,),
        ).fetchall()
        agreed = connection.execute(
            "SELECT COUNT(*) FROM readiness_answer WHERE assessment_id = ? AND respondent_id IS NULL", (assessment_id,)
        ).fetchone()[0]
    finally:
        connection.close()
    answers = {
        (email, key): StoredAnswer(level, option, bool(not_relevant), notes, revision)
        for email, key, level, option, not_relevant, notes, revision in rows
    }
    return answers, agreed


def audit_entries_for_answers(db_path: Path, assessment_id: int) -> int:
    """Audit-log entries (created or changed) for the respondents' answers of one assessment."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return connection.execute(
            """
            SELECT COUNT(*) FROM auditlog_logentry e
            JOIN django_content_type t ON t.id = e.content_type_id
            WHERE t.app_label = 'readiness' AND t.model = 'answer'
            AND e.object_pk IN (
                SELECT CAST(id AS TEXT) FROM readiness_answer
                WHERE assessment_id = ? AND respondent_id IS NOT NULL
            )
            """,
            (assessment_id,),
        ).fetchone()[0]
    finally:
        connection.close()


def integrity_check(db_path: Path) -> str:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


@dataclass
class Expected:
    """What one respondent's acknowledged saves say the database must hold for one item."""

    level: int
    notes: str
    saves: int  # acknowledged saves of this item; every one changed the value


def verify(
    db_path: Path, assessment_id: int, expected: dict[tuple[str, str], Expected], emails: list[str]
) -> list[str]:
    """Every acknowledged save is stored: per (respondent, item) the stored
    answer is the last acknowledged one, and its revision equals the number
    of acknowledged saves (each save changed the value, so each one must
    have added a revision). Returns the failures (empty: verified)."""
    failures = []
    stored, agreed = stored_answers(db_path, assessment_id)
    if agreed:
        failures.append(f"{agreed} agreed answers exist; the bench only saves respondents' own answers")
    for (email, key), want in sorted(expected.items()):
        got = stored.get((email, key))
        if got is None:
            failures.append(f"{email} {key}: {want.saves} acknowledged save(s) but no stored answer")
        elif (got.level, got.notes, got.revision, got.option, got.not_relevant) != (
            want.level, want.notes, want.saves, "", False
        ):  # fmt: skip
            failures.append(
                f"{email} {key}: expected level {want.level}, notes {want.notes!r}, revision {want.saves}; "
                f"stored level {got.level}, notes {got.notes!r}, revision {got.revision}"
            )
    ours = set(emails)
    for email, key in sorted(set(stored) - set(expected)):
        if email in ours:
            failures.append(f"{email} {key}: stored, but no save of it was acknowledged")
    return failures
