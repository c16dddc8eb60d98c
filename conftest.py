"""Shared test fixtures: the personas every test speaks of.

``world`` is the demo area (demo/area.py) plus a second, unrelated area,
so that every role has something it must NOT see:

- world.admin       organisation admin of Eastmere Carers' Centre
- world.member      organisation member of the same
- world.worker      development worker (Eastmere Voluntary Action), which
                    the carers' centre shares with
- world.commissioner member of Eastmere Council, commissioner for Eastmere
- world.platform    platform administrator
- world.outsider    admin of an organisation in another area, sharing with no one
- world.council_admin, world.practitioner, world.team_manager,
  world.approver (limit £25,000), world.finance_officer
                    members of Eastmere Council, each holding that council
                    role over Eastmere (the first two are demo users)
- world.moderator, world.scheme_admin
                    a directory moderator (a demo user) and a scheme
                    administrator (roles over the whole service)
- world.person      Sam, who signs in to see his own record (world.own_record)
- world.carer       Carl, the carer of Rose (world.cared_for, who does not sign
                    in): he sees her record and changes it with her
- world.personal_assistant  a personal assistant Sam employs (a role over his record)
- world.superuser   is_superuser, and no role at all: gets nothing
- world.org         Eastmere Carers' Centre
- world.unshared    an Eastmere organisation that does not share with the worker
- world.other_org   the outsider's organisation
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "eastmere-demo-2026"

# -- Hypothesis profiles (docs/testing.md) ------------------------------------------------
# "ci", for `make test` and CI: the same examples on every run (derandomised:
# the seed comes from each test's own code), nothing remembered between runs,
# and a reproduction blob printed with any failure. too_slow is a timing check
# that a shared, busy machine trips without any fault in the code; a test's
# time is bounded by pytest-timeout instead (pyproject.toml).
# "explore", for `make test-explore` before each release: fresh random seeds,
# ten times the examples (see personfirst.testing.examples), failures kept in
# .hypothesis/ and tried first next time.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=5000,  # milliseconds for one example; generous, as the machine is shared
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=1000, deadline=None, print_blob=True)
# `pytest --hypothesis-profile=explore` (the hypothesis plugin) loads another after this.
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# -- A time limit for every test (pytest-timeout; the limit is in pyproject.toml) -----------


class RanTooLong(BaseException):
    """Raised in a test that runs past its time limit.

    Not an Exception, nor pytest's Failed (which pytest-timeout raises): hypothesis
    takes those for a failing example and goes on to shrink it, running the test
    again and again with no time limit left. pytest reports this one as the
    test's failure, with the line the test had reached, and runs its teardown."""


# If a test has not stopped this long after its limit (stuck in C code, where
# the signal cannot reach it), its process prints every thread's stack and
# exits: pytest-xdist then reports "worker ... crashed while running <test>".
GRACE_SECONDS = 60


REAL_STDERR = pytest.StashKey[int]()


def pytest_configure(config):
    # The terminal's stderr, kept before pytest captures file descriptor 2 around each test.
    config.stash[REAL_STDERR] = os.dup(2)


def pytest_unconfigure(config):
    if REAL_STDERR in config.stash:
        os.close(config.stash[REAL_STDERR])


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item, settings):
    """pytest-timeout's signal method, raising RanTooLong, with a backstop."""
    if settings.method != "signal" or threading.current_thread() is not threading.main_thread():
        return None  # pytest-timeout's own ways

    def handler(signum, frame):
        __tracebackhide__ = True
        raise RanTooLong(f"{item.nodeid} ran past its time limit of {settings.timeout:g}s (pytest-timeout)")

    def stop_the_process():
        # From a Python thread that holds the GIL, so dumping the stacks is safe
        # (unlike faulthandler's own watchdog, which reads them without it).
        stderr = item.config.stash[REAL_STDERR]
        os.write(
            stderr,
            f"\n{item.nodeid} is still running {GRACE_SECONDS}s after its time limit of {settings.timeout:g}s:"
            " stopping its test process. Where every thread was:\n".encode(),
        )
        faulthandler.dump_traceback(file=stderr, all_threads=True)
        os._exit(1)

    backstop = threading.Timer(settings.timeout + GRACE_SECONDS, stop_the_process)
    backstop.name = f"backstop for {item.nodeid}"
    backstop.daemon = True

    def cancel():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        backstop.cancel()

    item.cancel_timeout = cancel
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    backstop.start()
    return True


# -- The world -------------------------------------------------------------------------------
# Building it (demo/area.py, with its audit entries) takes a tenth of a second, and
# over 600 tests ask for it. So consecutive tests of one module that ask for it and
# use a database that rolls back (``db``, not ``transactional_db``) share one: built
# as the first of them starts, in a transaction that is rolled back as soon as the
# next test is not one of them. Each test still runs in its own savepoint within
# it (pytest-django's ``db``), so no test sees what another changed, and each gets
# new Python objects for the same rows. No other test runs while the rows are there.


def build_world() -> SimpleNamespace:
    """Create the world's rows (see the top of this file) and return its namespace."""
    from decimal import Decimal

    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import CouncilArea, Organisation
    from personfirst.core.people.models import Person
    from personfirst.demo import area

    area.load()
    users = {u.email: User.objects.get(email=u.email) for u in area.USERS}
    other_area = CouncilArea.objects.create(code="E99000002", name="Westholm")
    other_org = Organisation.objects.create(
        name="Westholm Day Centre", slug="westholm-day-centre", org_type="voluntary", council_area=other_area
    )
    outsider = User.objects.create_user("outsider@westholm.example", PASSWORD, full_name="Olive Outsider")
    since = {"valid_from": area.ROLES_SINCE}  # in force whenever a test travels to
    RoleGrant.objects.create(user=outsider, organisation=other_org, role=RoleName.ORGANISATION_ADMIN, **since)
    eastmere = CouncilArea.objects.get(code=area.AREA_CODE)
    council = Organisation.objects.get(slug="eastmere-council")

    def council_staff(email: str, name: str, role: str, **extra) -> User:
        user = User.objects.create_user(email, PASSWORD, full_name=name)
        RoleGrant.objects.create(user=user, organisation=council, role=RoleName.ORGANISATION_MEMBER, **since)
        RoleGrant.objects.create(user=user, council_area=eastmere, role=role, **since, **extra)
        return user

    def service_role(email: str, name: str, role: str) -> User:
        user = User.objects.create_user(email, PASSWORD, full_name=name)
        RoleGrant.objects.create(user=user, role=role, **since)
        return user

    sam = Person.objects.get(user=users["sam@people.example"])
    personal_assistant = User.objects.create_user("pa@people.example", PASSWORD, full_name="Pip Assistant")
    RoleGrant.objects.create(user=personal_assistant, person=sam, role=RoleName.PERSONAL_ASSISTANT, **since)

    world = SimpleNamespace(
        area=eastmere,
        other_area=other_area,
        admin=users["admin@carers.example"],
        member=users["member@carers.example"],
        worker=users["worker@eva.example"],
        commissioner=users["commissioner@eastmere.example"],
        platform=users["platform@personfirst.example"],
        moderator=users["moderator@eastmere.example"],
        outsider=outsider,
        council_admin=users["council-admin@eastmere.example"],
        practitioner=users["practitioner@eastmere.example"],
        team_manager=council_staff("manager@eastmere.example", "Tomas Team-Manager", RoleName.TEAM_MANAGER),
        approver=council_staff(
            "approver@eastmere.example", "Abi Approver", RoleName.APPROVER, limit=Decimal("25000.00")
        ),
        finance_officer=council_staff("finance@eastmere.example", "Femi Finance", RoleName.FINANCE_OFFICER),
        scheme_admin=service_role("scheme@personfirst.example", "Sol Scheme", RoleName.SCHEME_ADMINISTRATOR),
        person=users["sam@people.example"],
        carer=users["carer@people.example"],
        personal_assistant=personal_assistant,
        own_record=sam,
        cared_for=Person.objects.get(given_name="Rose", council_area=eastmere),
        superuser=User.objects.create_superuser("superuser@personfirst.example", PASSWORD, full_name="Sam Superuser"),
        org=Organisation.objects.get(slug="eastmere-carers-centre"),
        unshared=Organisation.objects.get(slug="beech-house"),
        support_org=Organisation.objects.get(slug=area.SUPPORT_ORG),
        council=council,
        other_org=other_org,
        password=PASSWORD,
    )
    # Every persona whose roles need two-factor sign-in has the demo's authenticator
    # (demo users have it already): see _two_factor_on_force_login below.
    for value in vars(world).values():
        if isinstance(value, User):
            area.give_demo_authenticator(value)
    return world


def _keys(world: SimpleNamespace) -> dict[str, tuple[type, int] | str]:
    return {name: (type(value), value.pk) if hasattr(value, "pk") else value for name, value in vars(world).items()}


def _fetch(keys: dict) -> SimpleNamespace:
    """The world with the given rows, as new Python objects (one query per model)."""
    wanted: dict[type, set[int]] = {}
    for value in keys.values():
        if isinstance(value, tuple):
            wanted.setdefault(value[0], set()).add(value[1])
    rows = {model: model.objects.in_bulk(pks) for model, pks in wanted.items()}
    return SimpleNamespace(
        **{name: rows[value[0]][value[1]] if isinstance(value, tuple) else value for name, value in keys.items()}
    )


def _transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    flags = [*marker.args[:2], marker.kwargs.get("transaction"), marker.kwargs.get("reset_sequences")] if marker else []
    return "transactional_db" in names or "live_server" in names or any(flags)


def _shares_world(item) -> bool:
    return "world" in getattr(item, "fixturenames", ()) and not _transactional(item)


class _WorldKeeper:
    """A module's shared world: built inside a transaction that stays open across tests."""

    def __init__(self, module, blocker) -> None:
        self.module, self.blocker = module, blocker
        self.outer = self.keys = None

    @property
    def open(self) -> bool:
        return self.outer is not None

    def build(self) -> None:
        from django.db import transaction

        if self.open:
            return
        self.outer = transaction.atomic()
        with self.blocker.unblock():
            self.outer.__enter__()
            try:
                self.keys = _keys(build_world())
            except BaseException:
                self.outer.__exit__(*sys.exc_info())
                self.outer = None
                raise

    def roll_back(self) -> None:
        from django.db import connection, transaction

        if not self.open:
            return
        outer, self.outer, self.keys = self.outer, None, None
        with self.blocker.unblock():
            if connection.atomic_blocks[-1] is not outer:
                raise RuntimeError(f"A transaction opened inside the shared world of {self.module} is still open.")
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


ITEM_STARTING = pytest.StashKey[pytest.Item]()
WORLD_KEEPER = pytest.StashKey[_WorldKeeper | None]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of a test (so before its savepoint): keep the module's
    shared world for it if it shares it, or roll the world back if it does not."""
    keeper = item.config.stash.get(WORLD_KEEPER, None)
    if keeper is not None:
        if keeper.module is item.getparent(pytest.Module) and _shares_world(item):
            keeper.build()
        else:
            keeper.roll_back()
    item.config.stash[ITEM_STARTING] = item


@pytest.fixture(scope="module")
def _world_keeper(request):
    """Set up (like every module-scoped fixture) before the first test's own
    fixtures: for a test that shares the world, it builds it before its savepoint."""
    request.getfixturevalue("django_db_setup")
    keeper = _WorldKeeper(request.node, request.getfixturevalue("django_db_blocker"))
    if _shares_world(request.config.stash[ITEM_STARTING]):
        keeper.build()
    request.config.stash[WORLD_KEEPER] = keeper
    yield keeper
    request.config.stash[WORLD_KEEPER] = None
    keeper.roll_back()


@pytest.fixture
def world(request, _world_keeper, db):
    if _world_keeper.open and _shares_world(request.node):
        return _fetch(_world_keeper.keys)
    return build_world()


@pytest.fixture(autouse=True)
def _two_factor_on_force_login(monkeypatch):
    """Tests sign people in with ``Client.force_login``, which skips the sign-in
    pages; for someone whose roles need two-factor sign-in it now also records
    that a code was entered, as the code page does (personfirst.testing.verify_session),
    so personas of sensitive roles count as verified. The rule itself stays on:
    signing in with a password (``Client.login`` or the sign-in form) still asks
    for a code, which tests of two-factor sign-in use."""
    from django.test import Client

    from personfirst.testing import verify_session

    force_login = Client.force_login

    def force_login_with_a_code(self, user, backend=None):
        force_login(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_a_code)


@pytest.fixture
def api_client_for():
    """api_client_for(user) -> a Django test client that sends that user's API token."""
    from django.test import Client

    from personfirst.core.accounts.models import ApiToken

    def make(user):
        _token, raw = ApiToken.issue(user, "test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture(autouse=True)
def _no_kept_insight_pages():
    """Every test starts without area insight bodies kept by an earlier one
    (insight/pages.py keeps them per process for the same snapshot; rolled-back
    tests can give the same ids again)."""
    from personfirst.insight.area import pages

    pages.forget()


@pytest.fixture(autouse=True)
def _no_kept_instrument_structure():
    """Every test starts without instrument versions' sections and items kept
    by an earlier one (readiness/assessments/structure.py keeps them per
    process; a rolled-back test's changes to an item would otherwise stay)."""
    from personfirst.readiness.assessments import structure

    structure.forget()


class Outcome:
    """What one racing call did: returned ``value``, or raised ``error``."""

    def __init__(self, value=None, error: BaseException | None = None) -> None:
        self.value = value
        self.error = error

    @property
    def ok(self) -> bool:
        return self.error is None

    def __repr__(self) -> str:
        return f"Outcome(error={self.error!r})" if self.error else f"Outcome(value={self.value!r})"


@pytest.fixture
def race():
    """race(*calls) runs each call in a thread of its own, with its own
    database connection (closed when the thread ends), all released together
    by a barrier; returns an Outcome per call, in order. For concurrency tests
    marked ``django_db(transaction=True)``, so that each call commits for real."""
    import threading

    from django.db import connections

    def run_together(*calls, timeout: float = 30):
        barrier = threading.Barrier(len(calls))
        outcomes: list[Outcome | None] = [None] * len(calls)

        def run(index, call):
            try:
                barrier.wait(timeout)
                outcomes[index] = Outcome(value=call())
            except BaseException as error:  # noqa: BLE001 - handed back to the test
                outcomes[index] = Outcome(error=error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        stuck = [i for i, thread in enumerate(threads) if thread.is_alive()]
        assert not stuck, f"calls {stuck} did not finish within {timeout} seconds"
        return outcomes

    return run_together
