import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert "ok" in body["broker"]
    assert "no-cache" in response["Cache-Control"]


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
    assert answer["body"]["database"]["ok"] is False


@pytest.mark.django_db
def test_healthz_reports_a_dead_redis_broker_without_failing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is False
