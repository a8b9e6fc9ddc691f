"""The read replica (DATABASE_REPLICA_URL) against a real streaming standby.

The test builds its own primary and a hot standby cloned from it with `pg_basebackup -R`
(tests/prod/postgres_cluster.py), prepares the portal's schema and data on the primary, and runs
the portal under gunicorn with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the
standby. Pausing the standby's replay makes the two copies differ in a way a user can see (the
"data as of" time of the dashboards), so every answer tells which copy it was read from.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import UTC, datetime

import pytest
import requests

from tests.faults.processes import PYTHON, ROOT, RedisServer, WebServer
from tests.prod.postgres_cluster import ReplicatedPostgres

pytestmark = [pytest.mark.slow, pytest.mark.real_clock]

DATABASE = "portal"
ANALYST = "analis-replika"
ANALYST_PASSWORD = "sandi-replika-uji-1"
# The dashboards' "data as of" time as the standby has it, and the newer one that reaches only the
# primary while the standby's replay is paused (WIB: UTC+7).
AS_OF_ON_STANDBY = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
AS_OF_ON_PRIMARY_ONLY = datetime(2021, 5, 6, 7, 8, tzinfo=UTC)

# Run on the primary with the portal's settings: schema, regions and offices, a ministry analyst,
# and one summary rebuild (which writes the dashboards' "data as of" row).
PREPARE = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oversight.dashboards.services import dashboard_summary_refresh
from portal.choices import Role
from portal.models import Office
from portal.services import membership_grant

call_command("migrate", interactive=False, verbosity=0)
call_command("load_regions", verbosity=0)
analyst = get_user_model().objects.create_user(
    username="{ANALYST}", password="{ANALYST_PASSWORD}", is_staff=True
)
membership_grant(
    user=analyst, office=Office.objects.get(code="kemenp2mi"), role=Role.MINISTRY_ANALYST
)
dashboard_summary_refresh()
"""

SUBMISSION = {
    "category": "gaji-tidak-dibayar",
    "description": "Gaji saya tiga bulan belum dibayar oleh majikan di Kuala Lumpur.",
    "origin_region": "35.04",
    "destination_country": "MY",
    "consent": True,
    "is_anonymous": False,
    "reporter_name": "Siti Replika",
    "phone": "081234567890",
}


def set_as_of(clusters: ReplicatedPostgres, when: datetime) -> None:
    """The summary's "data as of" time, written on the primary (it replicates from there)."""
    clusters.primary.query(
        "UPDATE portal_dashboardrefresh SET refreshed_at = %s", (when,), database=DATABASE
    )


@pytest.fixture(scope="module")
def clusters():
    clusters = ReplicatedPostgres()
    try:
        clusters.start()
        clusters.primary.query(f"CREATE DATABASE {DATABASE}")
        yield clusters
    finally:
        clusters.stop()


@pytest.fixture(scope="module")
def portal(clusters, tmp_path_factory):
    """gunicorn on the primary with the standby as its read replica; a redis-server of its own."""
    directory = tmp_path_factory.mktemp("replica-portal")
    redis = RedisServer(directory)
    redis.start()
    env = {
        **os.environ,
        "DATABASE_URL": clusters.primary.url(DATABASE),
        "DATABASE_REPLICA_URL": clusters.standby.url(DATABASE),
        "REDIS_URL": redis.url,
        "DEBUG": "0",
        "PORTAL_TESTING": "1",
        "PORTAL_DATA_DIR": str(directory / "var"),
        # Plain HTTP on loopback: cookies must come back without TLS; password sign-in only.
        "SECURE_COOKIES": "0",
        "OTP_REQUIRED": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    prepared = subprocess.run(
        [PYTHON, "-c", PREPARE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr[-4000:]
    set_as_of(clusters, AS_OF_ON_STANDBY)
    clusters.wait_replayed()
    server = WebServer(env=env, log=directory / "gunicorn.log")
    try:
        yield server
    finally:
        server.stop()
        redis.stop()


def stats_as_of(base_url: str) -> datetime:
    response = requests.get(f"{base_url}/statistik/data.json", timeout=60)
    assert response.status_code == 200, response.text[:2000]
    return datetime.fromisoformat(response.json()["data_as_of"])


def api_stats_as_of(base_url: str) -> datetime:
    response = requests.get(f"{base_url}/api/v1/stats/", timeout=60)
    assert response.status_code == 200, response.text[:2000]
    return datetime.fromisoformat(response.json()["data_as_of"])


def signed_in_analyst(base_url: str) -> requests.Session:
    session = requests.Session()
    login = f"{base_url}/admin/login/"
    session.get(login, timeout=30)
    response = session.post(
        login,
        data={
            "username": ANALYST,
            "password": ANALYST_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/dashboard/",
        },
        headers={"Referer": login},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.url.endswith("/dashboard/"), response.url
    return session


def dashboard_freshness_line(session: requests.Session, base_url: str) -> str:
    response = session.get(f"{base_url}/dashboard/", timeout=120)
    assert response.status_code == 200, response.text[:2000]
    found = re.search(r'<p class="dash-freshness[^"]*">(.*?)</p>', response.text, re.DOTALL)
    assert found, "the dashboard shows no freshness line"
    return found.group(1)


def healthz(base_url: str) -> tuple[int, dict]:
    answer = requests.get(f"{base_url}/healthz", timeout=30)
    return answer.status_code, answer.json()


def metric(base_url: str, name: str) -> float:
    text = requests.get(f"{base_url}/metrics", timeout=30).text
    return float(re.search(rf"^{name} (\S+)$", text, re.MULTILINE).group(1))


def replica_lag_once_received(base_url: str) -> float:
    """The replica's lag as /healthz reports it, once the standby has received the primary's
    last write (streaming takes a moment) without applying it."""
    deadline = time.monotonic() + 30
    while True:
        lag = healthz(base_url)[1]["detail"]["replica"]["lag_seconds"]
        if lag or time.monotonic() > deadline:
            return lag
        time.sleep(0.2)


def stored_references(cluster, reference: str) -> int:
    return cluster.query(
        "SELECT count(*) FROM complaints_complaint WHERE reference = %s",
        (reference,),
        database=DATABASE,
    )[0][0]


def test_dashboards_read_the_standby_while_writes_and_the_reporters_own_reads_use_the_primary(
    clusters, portal
):
    base = portal.base_url
    analyst = signed_in_analyst(base)
    # given a standby that has stopped applying what the primary writes (a lagging replica),
    # and a newer summary time that only the primary has
    clusters.pause_replay()
    set_as_of(clusters, AS_OF_ON_PRIMARY_ONLY)

    # when the public statistics (page data and API) and the ministry dashboard are read
    # then they show the standby's copy, not the primary's
    assert stats_as_of(base) == AS_OF_ON_STANDBY
    assert api_stats_as_of(base) == AS_OF_ON_STANDBY
    freshness = dashboard_freshness_line(analyst, base)
    assert "2020" in freshness
    assert "2021" not in freshness
    # and operations see it: the replica answers, behind the primary
    status, health = healthz(base)
    assert (status, health["database"], health["replica"]) == (200, "ok", "ok")
    assert health["detail"]["replica"]["standby"] is True
    assert replica_lag_once_received(base) > 0
    assert metric(base, "portal_replica_up") == 1
    assert metric(base, "portal_replica_lag_seconds") > 0

    # when a worker files a complaint while the standby lags
    submitted = requests.post(f"{base}/api/v1/complaints/", json=SUBMISSION, timeout=120)
    # then it is written to the primary (the standby is read-only and has not got it)
    assert submitted.status_code == 201, submitted.text
    reference = submitted.json()["reference"]
    assert stored_references(clusters.primary, reference) == 1
    assert stored_references(clusters.standby, reference) == 0
    # and the reporter sees their own complaint at once: tracking reads the primary
    tracked = requests.post(
        f"{base}/api/v1/complaints/track/",
        json={"reference": reference, "access_key": submitted.json()["access_key"]},
        timeout=60,
    )
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["reference"] == reference
    # and a message the reporter adds is stored too (a write while the replica lags)
    message = requests.post(
        f"{base}/api/v1/complaints/messages/",
        json={
            "reference": reference,
            "access_key": submitted.json()["access_key"],
            "body": "Saya sudah pulang ke Tulungagung.",
        },
        timeout=60,
    )
    assert message.status_code == 201, message.text
    assert clusters.primary.query(
        "SELECT count(*) FROM complaints_complaintevent e JOIN complaints_complaint c"
        " ON c.id = e.complaint_id WHERE c.reference = %s AND e.kind = %s",
        (reference, "reporter_message"),
        database=DATABASE,
    ) == [(1,)]

    # when the standby applies what it received
    clusters.standby.query("SELECT pg_wal_replay_resume()")
    clusters.wait_replayed()
    # then the dashboards show the newer time, and the complaint is on both copies
    assert stats_as_of(base) == AS_OF_ON_PRIMARY_ONLY
    assert stored_references(clusters.standby, reference) == 1
    assert healthz(base)[1]["detail"]["replica"]["lag_seconds"] == 0
    assert metric(base, "portal_replica_lag_seconds") == 0
    # and the portal never tried to write on the standby (it would have logged the refusal)
    assert "read-only transaction" not in clusters.standby.log.read_text()


def test_the_portal_keeps_working_on_the_primary_when_the_standby_stops(clusters, portal):
    base = portal.base_url
    analyst = signed_in_analyst(base)
    clusters.wait_replayed()
    # given a time that the standby would show just as well, then the standby stopped
    set_as_of(clusters, AS_OF_ON_STANDBY)
    clusters.wait_replayed()
    assert stats_as_of(base) == AS_OF_ON_STANDBY
    clusters.standby.stop()
    # and a newer time written on the primary alone
    set_as_of(clusters, AS_OF_ON_PRIMARY_ONLY)

    # when the statistics and the dashboard are read
    # then they answer from the primary, without an error page
    assert stats_as_of(base) == AS_OF_ON_PRIMARY_ONLY
    assert api_stats_as_of(base) == AS_OF_ON_PRIMARY_ONLY
    freshness = dashboard_freshness_line(analyst, base)
    assert "2021" in freshness
    # and filing and tracking work as before
    submitted = requests.post(f"{base}/api/v1/complaints/", json=SUBMISSION, timeout=120)
    assert submitted.status_code == 201, submitted.text
    tracked = requests.post(
        f"{base}/api/v1/complaints/track/",
        json={
            "reference": submitted.json()["reference"],
            "access_key": submitted.json()["access_key"],
        },
        timeout=60,
    )
    assert tracked.status_code == 200, tracked.text
    # and /healthz stays 200 (the primary serves everything) while it and /metrics say the
    # replica is down
    status, health = healthz(base)
    assert (status, health["status"], health["database"]) == (200, "ok", "ok")
    assert health["replica"] == "error"
    assert health["detail"]["replica"]["error"] == "OperationalError"
    assert metric(base, "portal_replica_up") == 0
