import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "PORTAL_TESTING": "0",
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "portal.example.go.id",
    "ACCESS_KEY_PEPPER": "y" * 20 + "production-like-pepper-kept-out-of-the-database-1a2b3c",
    "OTP_REQUIRED": "1",
}


def _clean_environment() -> dict:
    # The test process itself sets variables a production process never has.
    dropped = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "ACCESS_KEY_PEPPER",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = _clean_environment()
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "ACCESS_KEY_PEPPER"])
def test_production_refuses_to_start_without_required_setting(missing):
    # given production settings without one required variable
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    # when the checks run and when the web server loads the application
    check = _manage("check", env=env)
    web = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=ROOT,
        env={**_clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then both stop with a message naming the variable
    assert check.returncode != 0
    assert f"{missing} is not set" in check.stderr
    assert web.returncode != 0
    assert f"{missing} is not set" in web.stderr


def test_tools_that_only_read_urls_still_load_without_production_settings():
    script = (
        "import django; django.setup(); from django.urls import reverse;"
        "print(reverse('complaints:submit'))"
    )
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/pengaduan/lapor/"


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers_on_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_default_language_is_indonesian_and_english_is_available(client):
    indonesian = client.get("/")
    assert indonesian["Content-Language"] == "id"
    assert 'lang="id"' in indonesian.content.decode()
    english = client.get("/", headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"
    assert "File a complaint" in english.content.decode()
