"""gunicorn does not announce itself (issue 15, item 9): a real gunicorn started with the
portal's configuration answers without a `Server` header."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _headers_of(arguments: list[str]) -> dict:
    port = _free_port()
    env = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    env.pop("REQUIRE_SERVICES", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *arguments,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/static/does-not-exist.css")
                response = connection.getresponse()
                response.read()
                return {name.lower(): value for name, value in response.getheaders()}
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_gunicorn_with_the_portal_configuration_sends_no_server_header():
    # when
    plain = _headers_of([])
    configured = _headers_of(["-c", "python:portal.gunicorn_conf"])
    # then: without the configuration gunicorn announces itself; with it, nothing
    assert plain.get("server", "").startswith("gunicorn")
    assert "server" not in configured
    assert "date" in configured


def test_the_procfile_starts_gunicorn_with_the_portal_configuration():
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "-c python:portal.gunicorn_conf" in web
