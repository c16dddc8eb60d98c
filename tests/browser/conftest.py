"""Browser tests: Playwright's sync API driving Debian's Chromium, with
axe-core run on every page the browser loads.

The ``page`` fixture is a ``CheckedPage``. Navigate with its helpers, which
check the new page for you:

    page.visit("/dashboard/")                       # goto + status + axe
    page.follow(page.get_by_role("link", name="…"))  # click, wait, axe
    page.submit(page.get_by_role("button", name="Save"))

If you navigate any other way (``page.click(...)``, ``locator.click()``),
call ``page.check_a11y()`` afterwards. Every page load is recorded, and the
test fails at teardown if any loaded page was never checked, so a forgotten
check cannot pass silently.

Never run ``playwright install``: the tests use /usr/bin/chromium
(scripts/ensure-system-packages installs it).
"""

from __future__ import annotations

import os
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "build" / "axe.min.js"
CHROMIUM = os.environ.get("PERSONFIRST_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no wcag22a tag).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TIMEOUT_MS = 15_000

# With JavaScript off, Chromium runs no timers, and axe.run waits on
# setTimeout: it would never finish. No script of the page's has run, so
# letting these callbacks run as microtasks disturbs nothing.
_TIMERS_AS_MICROTASKS = """() => {
  const soon = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  window.setTimeout = (fn, ms, ...args) => soon(fn, ...args);
  window.clearTimeout = () => {};
  window.requestAnimationFrame = (fn) => soon(fn, performance.now());
  window.cancelAnimationFrame = () => {};
  window.requestIdleCallback = (fn) => soon(fn, {didTimeout: false, timeRemaining: () => 50});
}"""

_AXE_RUN = """async ([tags, timeoutMs, javascript]) => {
  const run = axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  let timer;
  const timeout = () => new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("axe.run timed out")), timeoutMs);
  });
  const results = await (javascript ? Promise.race([run, timeout()]) : run);
  clearTimeout(timer);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


# A browser test's time limit (pytest-timeout; other tests have 300 s, pyproject.toml).
# The longest crawl took 116 s with the machine's two cores shared by a load of 11.
BROWSER_TIMEOUT = 600


def pytest_collection_modifyitems(items):
    """Every test in tests/browser is a browser test (marker ``browser``),
    even one whose module forgets ``pytestmark``; each has BROWSER_TIMEOUT
    unless it sets its own."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT))


# --------------------------------------------------------------------------
# The browser: one per session


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm run build` (make setup does).", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: run scripts/ensure-system-packages (make test does). "
            "Never `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


# --------------------------------------------------------------------------
# The server: pytest-django's live_server, one request at a time


class _OneAtATime:
    """Wraps the live server's WSGI application so that it answers one
    request at a time, and lets the test thread wait for it to be idle.

    This began when the SQLite test database was in memory and the live
    server's request threads shared the test's connection, where two requests
    at once (a page and its stylesheet, say) would interleave their
    transactions. The SQLite test database is a file now
    (personfirst/settings/test.py), but one request at a time keeps the
    order of a browser test's steps plain."""

    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.RLock()

    def __call__(self, environ, start_response):
        with self.lock:
            # Read the response in full while the lock is held, and close it
            # (which sends request_finished) as a WSGI server would.
            result = self.app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()

    def idle(self) -> None:
        with self.lock:
            pass


@pytest.fixture(scope="session")
def serialised_server(live_server):
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _OneAtATime):
        app = _OneAtATime(app)
        httpd.set_app(app)
    return app


# --------------------------------------------------------------------------
# A page that checks itself


class A11yViolations(AssertionError):
    pass


def _strip(url: str) -> str:
    return urldefrag(url)[0]


class CheckedPage:
    """A Playwright ``Page`` (every attribute it lacks is the page's) that
    records each page load and runs axe-core on it."""

    def __init__(self, page, base_url: str, axe_source: str, *, javascript: bool = True) -> None:
        self.page = page
        self.javascript = javascript
        self.server: _OneAtATime | None = None  # set by the fixture
        self.base_url = base_url.rstrip("/")
        self._axe_source = axe_source
        self.loads: list[dict] = []  # {"url", "checked"} for each document loaded
        self.checked_urls: list[str] = []
        self.console_errors: list[str] = []
        page.on("load", self._on_load)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: uncaught {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def __getattr__(self, name):
        return getattr(self.page, name)

    # -- recording
    def _on_load(self, page) -> None:
        self.loads.append({"url": _strip(page.url), "checked": False})

    def _on_console(self, message) -> None:
        # A failed subresource is reported (with its address) by _on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def _on_response(self, response) -> None:
        # Pages are checked where they are opened; this catches the
        # stylesheets, scripts and images they need.
        if response.status >= 400 and response.request.resource_type != "document":
            self.console_errors.append(f"{self.page.url}: {response.url} answered {response.status}")

    def _on_request_failed(self, request) -> None:
        if request.resource_type != "document":
            self.console_errors.append(f"{self.page.url}: {request.url} failed ({request.failure})")

    def url_for(self, path: str) -> str:
        return urljoin(self.base_url + "/", path)

    @property
    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # -- checking
    def check_a11y(self) -> None:
        """Run axe-core on the current document; fail on any violation."""
        page = self.page
        page.wait_for_load_state("load")
        # page.evaluate is not subject to the page's Content-Security-Policy
        # (script-src 'self') and works with JavaScript turned off, unlike a
        # <script> tag: so the CSP stays on and the no-JS pages get checked too.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            if not self.javascript:
                page.evaluate(_TIMERS_AS_MICROTASKS)
            page.evaluate(self._axe_source)
        violations = page.evaluate(_AXE_RUN, [AXE_TAGS, TIMEOUT_MS, self.javascript])
        url = _strip(page.url)
        for load in self.loads:
            if load["url"] == url:
                load["checked"] = True
        self.checked_urls.append(url)
        if violations:
            raise A11yViolations(format_violations(url, violations))

    def assert_ok(self, response, what: str = "") -> None:
        assert response is not None, f"No response for {what or self.page.url}"
        assert response.status < 400, f"{what or response.url} answered {response.status}"

    # -- navigating (each checks the page it arrives at)
    def visit(self, path: str, *, expect_status: int | None = None):
        response = self.page.goto(self.url_for(path))
        try:
            if expect_status is None:
                self.assert_ok(response, path)
            else:
                assert response.status == expect_status, f"{path} answered {response.status}, not {expect_status}"
        except AssertionError:
            self._forget_unchecked()  # the test fails anyway: report the status alone
            raise
        self.check_a11y()
        return response

    def _forget_unchecked(self) -> None:
        for load in self.loads:
            load["checked"] = True

    def follow(self, locator):
        """Click something that loads a new page (a link or a submit button)."""
        with self.page.expect_navigation() as navigation:
            locator.click()
        response = navigation.value
        if response is not None:  # None for a same-document navigation
            try:
                self.assert_ok(response)
            except AssertionError:
                self._forget_unchecked()
                raise
        self.check_a11y()
        return response

    submit = follow

    def unchecked(self) -> list[str]:
        return [load["url"] for load in self.loads if not load["checked"]]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"      at {node['target']}")
            for detail in node["summary"].splitlines():
                if detail.strip():
                    lines.append(f"         {detail.strip()}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def _assert_transactional() -> None:
    from django.db import connection

    if connection.in_atomic_block:
        pytest.fail(
            "A browser test's database must be transactional, or the live server cannot see the test's data: "
            "ask for `page` or `nojs_page` as an argument, "
            "not through request.getfixturevalue() after `db`.",
            pytrace=False,
        )


def _new_context(browser, live_server, **options):
    _assert_transactional()
    options.setdefault("viewport", {"width": 1200, "height": 900})
    options.setdefault("locale", "en-GB")
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def _checked_page(context, live_server, axe_source, server, *, javascript=True):
    checked = CheckedPage(context.new_page(), live_server.url, axe_source, javascript=javascript)
    checked.server = server
    yield checked
    missed = checked.unchecked()
    context.close()
    if missed:
        pytest.fail(
            "These pages were loaded but never checked with axe-core "
            "(navigate with page.visit/follow/submit, or call page.check_a11y()):\n  " + "\n  ".join(missed),
            pytrace=False,
        )
    if checked.console_errors:
        pytest.fail("The browser reported errors:\n  " + "\n  ".join(checked.console_errors), pytrace=False)


@pytest.fixture
def context(browser, live_server, transactional_db, serialised_server):
    """A fresh browser context (cookies, storage) for each test."""
    context = _new_context(browser, live_server)
    yield context
    context.close()
    serialised_server.idle()  # before the database is emptied


@pytest.fixture
def page(context, live_server, axe_source, serialised_server):
    yield from _checked_page(context, live_server, axe_source, serialised_server)


@pytest.fixture
def nojs_context(browser, live_server, transactional_db, serialised_server):
    context = _new_context(browser, live_server, java_script_enabled=False)
    yield context
    context.close()
    serialised_server.idle()


@pytest.fixture
def nojs_page(nojs_context, live_server, axe_source, serialised_server):
    """Like ``page``, with JavaScript turned off."""
    yield from _checked_page(nojs_context, live_server, axe_source, serialised_server, javascript=False)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def either_page(request, transactional_db):
    """``page``, then ``nojs_page``: the test runs once with each."""
    return request.getfixturevalue("page" if request.param else "nojs_page")


@pytest.fixture
def demo_world(world):
    """``world`` (conftest.py at the root) plus the demo assessments that
    `make run` shows, so that the readiness pages have something on them."""
    from personfirst.demo import assessments, directory

    assessments.load()
    directory.load()
    return world


# --------------------------------------------------------------------------
# Signing in


def sign_in(page: CheckedPage, email: str, password: str) -> None:
    """Sign in through the real sign-in form, and the code page for someone who
    uses two-factor sign-in (with the code their authenticator shows now); ends
    on the dashboard."""
    page.visit("/account/sign-in/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.submit(page.locator("main").get_by_role("button", name="Sign in"))
    if urlsplit(page.url).path == "/account/two-factor/code/":
        from personfirst.core.accounts.models import User
        from personfirst.testing import current_code

        page.locator("#id_code").fill(current_code(User.objects.get(email=email)))
        page.submit(page.locator("main").get_by_role("button", name="Continue"))
    assert urlsplit(page.url).path == "/dashboard/", f"{email} did not reach the dashboard: {page.url}"


# --------------------------------------------------------------------------
# Crawling

SKIP_SUFFIXES = (".json", ".csv", ".xlsx", ".docx", ".pdf", ".svg", ".png", ".zip", ".txt")


def skip_reason(path: str) -> str | None:
    """Why the crawler does not open a same-origin path, or None."""
    if path.startswith("/api/"):
        return "API"
    if path.startswith("/oruk/"):
        return "Open Referral UK API (JSON)"
    if path.startswith("/admin/") and path != "/admin/":
        return "admin beyond the index"
    if path.startswith("/account/sign-out"):
        return "signs out"
    if "/download" in path or path.endswith(SKIP_SUFFIXES):
        return "download"
    if path.startswith("/static/"):
        return "static file"
    return None


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.hrefs.append(attributes["href"])


def _same_origin_paths(base_url: str, hrefs: list[str]) -> list[str]:
    origin = urlsplit(base_url)
    paths = []
    for href in hrefs:
        parts = urlsplit(_strip(urljoin(base_url, href)))
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def links_on(page: CheckedPage) -> list[str]:
    """Same-origin links on the page in the browser, as paths without fragments."""
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    return _same_origin_paths(page.url, hrefs)


def links_in(url: str, html: str) -> list[str]:
    """The same for a page fetched without the browser."""
    parser = _LinkParser()
    parser.feed(html)
    return _same_origin_paths(url, parser.hrefs)


def navigation_paths(page: CheckedPage) -> list[str]:
    """The dashboard, then the other service navigation links of the page."""
    hrefs = page.eval_on_selector_all(".govuk-service-navigation__link", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs, f"{page.url} has no service navigation"
    return ["/dashboard/", *[href for href in hrefs if href != "/dashboard/"]]


def route_of(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


# Pages that are the same for everyone signed in (bar the navigation, which
# every other page shows too): opened in the browser once per test session,
# then only fetched.
SAME_FOR_EVERYONE = {
    "pages:accessibility",
    "pages:privacy",
    "accounts:profile",
    "accounts:password-change",
    "accounts:tokens",
    "accounts:my-data",
}


@pytest.fixture(scope="session")
def opened_once() -> set:
    """Routes in SAME_FOR_EVERYONE that some crawl has opened already."""
    return set()


def _client_like(page: CheckedPage):
    """A Django test client with the browser's cookies (so, its session):
    fetching in-process is several times quicker than over HTTP."""
    from django.test import Client

    client = Client()
    for cookie in page.context.cookies():
        client.cookies[cookie["name"]] = cookie["value"]
    return client


def crawl(
    page: CheckedPage,
    start: list[str],
    *,
    max_depth: int,
    open_per_route: int = 1,
    opened_once: set | None = None,
) -> dict:
    """Breadth-first from ``start`` (depth 0), following same-origin links to
    ``max_depth``. Every page reached must answer below 400.

    The first ``open_per_route`` pages of each URL pattern (one organisation's
    profile stands for the others) are opened in the browser and checked with
    axe-core; the rest are fetched in-process with the browser's cookies
    (Django's test client) and their links followed just the same. Returns what it did."""
    opened: list[str] = []
    fetched: list[str] = []
    skipped: dict[str, str] = {}
    timings: dict[str, float] = {}
    seen = set(start)
    opened_count: dict[str, int] = {}
    queue = [(path, 0, None) for path in start]
    fetcher = _client_like(page)
    while queue:
        path, depth, source = queue.pop(0)
        route = route_of(path)
        shared = opened_once is not None and route in SAME_FOR_EVERYONE
        if (shared and route in opened_once) or opened_count.get(route, 0) >= open_per_route:
            with page.server.lock:  # the live server and the test share the database connection
                response = fetcher.get(path, follow=True)
            assert response.status_code < 400, f"{path} (linked from {source}) answered {response.status_code}"
            fetched.append(path)
            html = "html" in response.get("Content-Type", "")
            here = page.url_for(response.request["PATH_INFO"])
            links = links_in(here, response.content.decode()) if html and depth < max_depth else []
        else:
            opened_count[route] = opened_count.get(route, 0) + 1
            if shared:
                opened_once.add(route)
            started = time.perf_counter()
            page.visit(path)
            opened.append(path)
            timings[path] = time.perf_counter() - started
            seen.add(page.path)  # where a redirect landed
            links = links_on(page) if depth < max_depth else []
        for link in links:
            if link in seen:
                continue
            seen.add(link)
            reason = skip_reason(link)
            if reason:
                skipped[link] = reason
                continue
            queue.append((link, depth + 1, path))
    return {"opened": opened, "fetched": fetched, "skipped": skipped, "timings": timings}


def report(label: str, result: dict) -> None:
    """Printed with -s, and written to var/browser-crawl/ for the record."""
    lines = [f"{label}: opened {len(result['opened'])} pages in the browser, fetched {len(result['fetched'])} more"]
    lines += [f"  opened  {p} ({result['timings'][p]:.2f}s)" for p in result["opened"]]
    lines += [f"  fetched {p}" for p in result["fetched"]]
    lines += [f"  skipped {p} ({why})" for p, why in sorted(result["skipped"].items())]
    out = ROOT / "var" / "browser-crawl"
    out.mkdir(parents=True, exist_ok=True)
    (out / (re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".txt")).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
