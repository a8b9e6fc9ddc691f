"""Fixtures shared by the whole suite.

With DATABASE_URL / REDIS_URL set the suite runs on PostgreSQL and Redis; with REQUIRE_SERVICES=1
(CI) a missing service or browser is an error, never a skip.
"""

import os

# Playwright's sync API runs an event loop in the test thread (stack-notes.md trap 2).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PORTAL_TESTING", "1")

import random
import zlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.support import REQUIRE_SERVICES, chromium_path, port_open, require

# --- the test clock -----------------------------------------------------------------------------
# Every test runs under a clock moved to a random date (time ticks), so a test that depends on
# today fails on the day it is written, not months later. The seed is printed in the header;
# TEST_CLOCK_SEED=<seed> replays the same dates (each test's date comes from the seed and its id);
# TEST_CLOCK_SEED=0 keeps the real clock (to tell a date problem from another one).
# Tests whose clock lives in another process (browser + live server, Celery workers, killed
# workers, the production stack) carry the `real_clock` marker: tests/e2e, tests/faults and
# tests/prod get it below.
_seed = os.environ.get("TEST_CLOCK_SEED", "")
CLOCK_SEED = int(_seed) if _seed else random.SystemRandom().randrange(1, 10**6)
# pytest-xdist workers inherit the environment: one seed for the whole run.
os.environ["TEST_CLOCK_SEED"] = str(CLOCK_SEED)
# From 2025 to the end of 2029: years with and without a holiday calendar (lokal-id has 2026-27).
CLOCK_START = datetime(2025, 1, 1, tzinfo=UTC)
CLOCK_SPAN_SECONDS = int((datetime(2030, 1, 1, tzinfo=UTC) - CLOCK_START).total_seconds())
REAL_CLOCK_DIRECTORIES = ("tests/e2e/", "tests/faults/", "tests/prod/")


def clock_moment_for(nodeid: str, seed: int = CLOCK_SEED) -> datetime:
    """The instant a test starts at: the same for the same seed and test, whatever ran before."""
    rng = random.Random(zlib.crc32(f"{seed}:{nodeid}".encode()))
    return CLOCK_START + timedelta(seconds=rng.randrange(CLOCK_SPAN_SECONDS))


def pytest_report_header(config) -> str:
    return (
        f"test clock: random dates, TEST_CLOCK_SEED={CLOCK_SEED} "
        f"(set it to replay; tests marked real_clock keep the real one)"
    )


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.nodeid.startswith(REAL_CLOCK_DIRECTORIES):
            item.add_marker(pytest.mark.real_clock)


@pytest.fixture(autouse=True)
def _test_clock(request):
    if CLOCK_SEED == 0 or request.node.get_closest_marker("real_clock"):
        yield None
        return
    moment = clock_moment_for(request.node.nodeid)
    with time_machine.travel(moment, tick=True):
        yield moment


def sqlite_leg(config) -> bool:
    """The second leg of `make test`: the tests marked `sqlite`, on the portal's default SQLite
    set-up (`make run`), which needs no service, so REQUIRE_SERVICES asks for none there."""
    return config.getoption("markexpr", "") == "sqlite" and not os.environ.get("DATABASE_URL")


def pytest_configure(config) -> None:
    if not REQUIRE_SERVICES or sqlite_leg(config):
        return
    missing = []
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        missing.append("DATABASE_URL (PostgreSQL)")
    if not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL (Redis)")
    elif not port_open(os.environ["REDIS_URL"], 6379):
        missing.append("Redis at REDIS_URL does not answer")
    if not chromium_path():
        missing.append("Chromium (/usr/bin/chromium)")
    if missing:
        raise pytest.UsageError("REQUIRE_SERVICES=1 but missing: " + "; ".join(missing))


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    require(bool(url) and port_open(url, 6379), "Redis (REDIS_URL) is not available")
    return url


@pytest.fixture
def postgres(settings) -> None:
    from django.db import connection

    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL) is not configured")


# --- reference data ---------------------------------------------------------------------------


# The regions are a small real slice of the Kemendagri list (tests/regions.py); the tests about
# loading the whole list load it themselves. PostgreSQL: the reference tables as COPY text, taken
# after the first load, so a transactional test (browser, worker and concurrency tests), which
# flushes every table, gets them back in one COPY.
_REFERENCE_SNAPSHOT: dict[str, str] = {}


def _reference_tables() -> list[str]:
    from portal.models import Office, Region

    through = Office._meta.get_field("regions").remote_field.through
    return [Region._meta.db_table, Office._meta.db_table, through._meta.db_table]


def _ensure_reference_data() -> None:
    import io

    from django.core.cache import cache
    from django.db import connection

    from portal.models import Office
    from portal.services import office_seed_defaults
    from tests.regions import region_load_small

    if Office.objects.exists():
        return
    # The village search keeps its answers in the shared cache for a day: answers computed on
    # other regions (an earlier run, a flushed test) must not be served from it.
    cache.clear()
    postgres = connection.vendor == "postgresql"
    if postgres and _REFERENCE_SNAPSHOT:
        with connection.cursor() as cursor:
            for table, rows in _REFERENCE_SNAPSHOT.items():
                cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(rows))
            # COPY sets ids explicitly: move the sequences past them, as a load would have.
            for table in _reference_tables()[1:]:  # regions are keyed by their code
                setval = "SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM "
                cursor.execute(setval + f'"{table}"', [table])
        return
    region_load_small()
    office_seed_defaults()
    if postgres:
        with connection.cursor() as cursor:
            for table in _reference_tables():
                buffer = io.StringIO()
                cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                _REFERENCE_SNAPSHOT[table] = buffer.getvalue()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the regions slice and the default offices once per test database; transactional
    tests then flush only what they changed (tests/flush.py)."""
    from django.db import connection

    from tests.flush import baseline_take, cheaper_flush

    with django_db_blocker.unblock():
        _ensure_reference_data()
        baseline_take(connection)
    with cheaper_flush():
        yield


@pytest.fixture
def reference_data(db) -> None:
    """Regions and offices; reloaded after a transactional test flushed them."""
    _ensure_reference_data()


@pytest.fixture
def offices(reference_data) -> dict:
    from portal.models import Office

    return {office.code: office for office in Office.objects.all()}


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test starts without cached reference data: a rolled-back test's rows (no signal
    tells the cache they are gone) must not show in the next one."""
    from portal.reference_cache import reference_cache_invalidate

    reference_cache_invalidate()


@pytest.fixture(autouse=True)
def _second_factor_off_by_default(settings):
    """Admin tests sign in with force_login, past the password only. The second factor
    (OTP_REQUIRED, on whenever DEBUG is off) has its own tests, which switch it back on:
    tests/complaints/test_admin_two_factor.py."""
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Staff passwords hashed with MD5 in tests: Django's PBKDF2 (1,000,000 rounds) costs about
    0.5 s per user made, and hundreds of tests make users. The production hashers stay listed
    after it, so a hash made by them still verifies. Access keys have their own hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *[name for name in settings.PASSWORD_HASHERS if not name.endswith("MD5PasswordHasher")],
    ]


@pytest.fixture
def make_staff(offices):
    """make_staff("bp3mi-jatim", "officer") → a staff user with that membership."""
    from portal.services import membership_grant
    from tests.factories import UserFactory

    def _make(office_code: str, role: str, **user_fields):
        user = UserFactory(**user_fields)
        membership_grant(user=user, office=offices[office_code], role=role)
        return user

    return _make


@pytest.fixture
def keep_db_connection():
    """schemathesis calls the WSGI app directly, past the test client that normally stops a
    request from closing the test transaction's connection: do the same here."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# --- browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if not path:
        if REQUIRE_SERVICES:
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID"}
