"""`make prod`'s stack (scripts/run_prod.py) started by a test on the test database.

Its own redis-server on a free port (broker, cache and rate-limit counters start empty), its own
data folder (certificate, nginx files, private media, collected static files) and a free TLS port.
The stack is stopped by its own pid (SIGINT, as Ctrl-C), never by name.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import requests
import urllib3

from portal.reference_cache import GENERATION_CHECK_SECONDS, GENERATION_KEY
from tests.faults.processes import PYTHON, ROOT, RedisServer, free_port, portal_env, wait_for
from tests.support import require

CACHE_KEY_PREFIX = "portal"  # settings' default for CACHE_KEY_PREFIX, which the stack keeps

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our self-signed cert


class ProdStack:
    def __init__(self, **extra_env: str) -> None:
        require(
            shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists(),
            "nginx is not installed (apt-get install nginx)",
        )
        # nginx's workers run as www-data: the folder must be readable by them, unlike the
        # 0700 folders of pytest's tmp_path.
        self.directory = Path(tempfile.mkdtemp(prefix="portal-prod-"))
        self.directory.chmod(0o755)
        self.redis = RedisServer(self.directory)
        self.port = free_port()
        self.extra_env = extra_env
        self.log = self.directory / "stack.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self, *, web: int = 1, timeout: float = 150) -> None:
        self.redis.start()
        env = portal_env(
            redis_url=self.redis.url,
            PORTAL_DATA_DIR=str(self.directory / "var"),
            # Plain (unhashed) static storage under PORTAL_TESTING: collectstatic copies instead
            # of hashing and compressing for minutes; nginx serves them the same way.
            STATIC_ROOT=str(self.directory / "static"),
            PROD_PORT=str(self.port),
            SECURE_SSL_REDIRECT="1",
            OTP_REQUIRED="1",
            WEB_CONCURRENCY="2",
            CELERY_CONCURRENCY="1",
            **self.extra_env,
        )
        env.pop("SECRET_KEY", None)  # generated into the data folder, as on a first run
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            [PYTHON, "scripts/run_prod.py", "--no-setup", "--web", str(web)],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        ready = wait_for(
            lambda: (
                "Portal (production shape)" in self.log.read_text()
                or self.process.poll() is not None
            ),
            timeout=timeout,
            every=0.5,
        )
        assert ready, self.log.read_text()[-4000:]
        assert self.process.poll() is None, self.log.read_text()[-4000:]

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, verify=False, timeout=30, **kwargs)  # noqa: S501

    def reference_data_changed(self) -> None:
        """What `portal.reference_cache.reference_cache_invalidate` does, from outside: a new
        generation in the stack's cache; every process of the stack drops its copies within
        GENERATION_CHECK_SECONDS."""
        key = f"{CACHE_KEY_PREFIX}:1:{GENERATION_KEY}"
        redis.Redis.from_url(self.redis.url).delete(key)
        time.sleep(GENERATION_CHECK_SECONDS + 0.2)

    def stop(self) -> None:
        try:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)  # Ctrl-C
                try:
                    self.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.kill(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
            if hasattr(self, "handle"):
                self.handle.close()
        finally:
            self.redis.stop()
            shutil.rmtree(self.directory, ignore_errors=True)
