import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PUBLIC_ADDRESS = "203.0.113.7"  # TEST-NET-3: a caller on the internet


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "error")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": PUBLIC_ADDRESS},
        {"REMOTE_ADDR": PUBLIC_ADDRESS, "HTTP_AUTHORIZATION": "Bearer wrong"},
    ],
)
def test_the_public_gets_states_only(client, settings, headers):
    # given a token configured and a caller from outside
    settings.HEALTHZ_TOKEN = "rahasia-kesehatan"
    # when
    response = client.get("/healthz", **headers)
    # then: ok/error per service, no vendor, transport or error class
    assert response.status_code == 200
    assert set(response.json()) == {"status", "database", "broker"}
    assert response.json()["status"] == "ok"
    text = response.content.decode()
    for detail in ("postgresql", "sqlite", "redis", "filesystem", "vendor", "transport", "Error"):
        assert detail not in text


@pytest.mark.django_db
def test_public_callers_see_a_dead_broker_as_error_without_its_class(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz", REMOTE_ADDR=PUBLIC_ADDRESS)
    assert response.json() == {"status": "ok", "database": "ok", "broker": "error"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "127.0.0.1"},
        {"REMOTE_ADDR": "::1"},
        {"REMOTE_ADDR": PUBLIC_ADDRESS, "HTTP_AUTHORIZATION": "Bearer rahasia-kesehatan"},
    ],
)
def test_loopback_and_token_holders_get_the_detail(client, settings, headers):
    from django.db import connection

    settings.HEALTHZ_TOKEN = "rahasia-kesehatan"
    body = client.get("/healthz", **headers).json()
    assert body["detail"]["database"] == {"ok": True, "vendor": connection.vendor}
    assert "transport" in body["detail"]["broker"]


NGINX = "127.0.0.1"  # the reverse proxy on the same host: every connection comes from loopback
INNER_PROXY = "10.0.0.2"  # a second proxy in front (a load balancer on another host)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted_proxies", "remote", "forwarded", "gets_detail"),
    [
        # direct, no proxy configured: the connection address decides
        (0, "127.0.0.1", None, True),
        (0, "::1", None, True),
        (0, PUBLIC_ADDRESS, None, False),
        # a public caller writing its own X-Forwarded-For: with no proxy configured it is not read
        (0, PUBLIC_ADDRESS, "127.0.0.1", False),
        # one proxy (nginx on this host): the address nginx forwarded decides, not the connection
        (1, NGINX, PUBLIC_ADDRESS, False),
        (1, NGINX, "127.0.0.1", True),  # curl on the host itself, through nginx
        (1, NGINX, None, True),  # a probe on the host straight to gunicorn, past nginx
        # spoofed: the caller sends "X-Forwarded-For: 127.0.0.1", nginx appends what it saw
        (1, NGINX, f"127.0.0.1, {PUBLIC_ADDRESS}", False),
        (1, NGINX, f"::1, 127.0.0.1, {PUBLIC_ADDRESS}", False),
        # two proxies: the outer one's entry decides; the spoofed entry to its left does not
        (2, INNER_PROXY, f"127.0.0.1, {PUBLIC_ADDRESS}, 10.0.0.1", False),
        (2, INNER_PROXY, "127.0.0.1, 10.0.0.1", True),
    ],
)
def test_the_detail_goes_to_loopback_clients_as_the_trusted_proxies_report_them(
    client, settings, trusted_proxies, remote, forwarded, gets_detail
):
    # given a portal behind this many proxies, and no token presented
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    settings.HEALTHZ_TOKEN = "rahasia-kesehatan"
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    # when /healthz is asked
    response = client.get("/healthz", **headers)
    # then the detail is there exactly for a loopback client, and the status for everyone
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert ("detail" in response.json()) is gets_detail


@pytest.mark.django_db
def test_an_empty_token_setting_opens_nothing(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get("/healthz", REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION="Bearer ")
    assert "detail" not in response.json()


@pytest.mark.parametrize(
    "database_url",
    ["postgres://postgres@127.0.0.1:1/portal", "sqlite:////nonexistent/dir/db.sqlite3"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(database_url):
    # given a portal process whose database is a closed port (or an unreachable file)
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "PORTAL_TESTING": "1"}
    # when /healthz is asked
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # then it answers 503 naming the database
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "error"
    assert answer["body"]["database"] == "error"


@pytest.mark.django_db
def test_healthz_reports_a_dead_redis_broker_without_failing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
    assert response.json()["detail"]["broker"]["ok"] is False
