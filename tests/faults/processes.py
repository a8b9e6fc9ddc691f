"""Real processes for fault tests: a private redis-server, Celery workers and a web server,
all pointed at the test database. Each is stopped by its own pid, never by name."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.support import require

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
CELERY = str(Path(PYTHON).with_name("celery"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], *, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


class RedisServer:
    """Our own redis-server on a free port, so stopping it disturbs nobody else."""

    def __init__(self, directory: Path) -> None:
        require(shutil.which("redis-server") is not None, "redis-server is not installed")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: port_answers(self.port), timeout=10), "redis did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert wait_for(lambda: not port_answers(self.port), timeout=10), "redis did not stop"


def portal_env(*, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process using the test database and the given broker."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "PORTAL_TESTING": "1",
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


# A worker whose unacknowledged tasks come back after 3 s instead of an hour (the production
# visibility_timeout): what this tests is that they come back, not the production delay.
WORKER_BOOT = """
import sys
import django
django.setup()
from portal.celery import app
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": 3,
    "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


class Worker:
    def __init__(self, *, env: dict[str, str], log: Path, beat_schedule: Path | None = None):
        arguments = ["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip"]
        arguments += ["--without-mingle", "--without-heartbeat"]
        if beat_schedule is not None:
            arguments += ["-B", "--schedule", str(beat_schedule)]
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [PYTHON, "-c", WORKER_BOOT, *arguments],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        ready = wait_for(lambda: "ready." in self.log.read_text(), timeout=timeout)
        assert ready, f"worker not ready:\n{self.log.read_text()[-3000:]}"

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()


class WebServer:
    def __init__(self, *, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.handle = log.open("w")
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        up = wait_for(lambda: port_answers(self.port), timeout=60)
        assert up, f"web server did not start:\n{log.read_text()[-3000:]}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.handle.close()
