"""deploy/alerts.yml parses with Prometheus' own checker, its unit tests pass, and every portal
gauge it watches is one /metrics exports (a renamed gauge would silently never alert)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import require

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture
def promtool() -> str:
    path = shutil.which("promtool")
    require(path is not None, "promtool is not installed (apt-get install prometheus)")
    return path


def test_alert_rules_parse(promtool):
    # when
    result = subprocess.run(
        [promtool, "check", "rules", str(DEPLOY / "alerts.yml")], capture_output=True, text=True
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_alerts_fire_when_the_sweep_or_the_outbox_stops(promtool):
    # when
    result = subprocess.run(
        [promtool, "test", "rules", str(DEPLOY / "alerts.test.yml")],
        capture_output=True,
        text=True,
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_portal_metric_in_the_rules_is_exported(client, reference_data):
    # given
    rules = (DEPLOY / "alerts.yml").read_text()
    watched = set(re.findall(r"\b(portal_[a-z_]+)", rules))
    # when
    exported = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    # then
    names = set(re.findall(r"^# TYPE (\S+)", exported, re.MULTILINE))
    names |= {f"{name}_total" for name in names}
    assert watched
    assert watched <= names, watched - names
