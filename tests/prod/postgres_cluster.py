"""PostgreSQL clusters of a test's own: a primary and a streaming standby made with pg_basebackup.

initdb and pg_ctl refuse to run as root, so when the tests run as root (CI) every server command
runs as the unprivileged `postgres` user through `runuser`, in a temporary folder that user owns.
Each cluster listens on a free loopback port with its sockets in that folder, and is stopped with
`pg_ctl stop` on its own data folder, never by name. The machine's own PostgreSQL (port 5432) is
not touched.

The server binaries are Debian's (/usr/lib/postgresql/<version>/bin, package postgresql), the
newest version found; POSTGRES_BIN_DIR names another folder.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2

from tests.faults.processes import free_port
from tests.support import require

SERVER_TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
SERVICE_USER = "postgres"
# Settings that make a throwaway cluster start fast and small; wal_level=replica and wal senders
# are what a streaming standby needs from its primary.
PRIMARY_SETTINGS = """
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 40
shared_buffers = 16MB
fsync = off
"""
HBA = """
local all all trust
host all all 127.0.0.1/32 trust
host replication {user} 127.0.0.1/32 trust
"""


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name)) or (0,)


def server_bin_dir() -> Path | None:
    configured = os.environ.get("POSTGRES_BIN_DIR")
    if configured:
        candidates = [Path(configured)]
    else:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in SERVER_TOOLS):
            return folder
    return None


def _as_service_user() -> list[str]:
    """The prefix that runs a server command as `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", SERVICE_USER, "--"]


class Cluster:
    def __init__(self, *, bin_dir: Path, root: Path, name: str) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.data = root / name
        self.log = root / f"{name}.log"
        self.port = free_port()
        self.running = False

    def command(self, tool: str, *arguments: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*_as_service_user(), str(self.bin_dir / tool), *arguments],
            cwd=self.root,  # the service user may not be allowed into the repository
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, f"{tool} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def configure(self, extra: str = "") -> None:
        # Appended last, so these win over what initdb or pg_basebackup wrote before them.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {self.port}\nunix_socket_directories = '{self.root}'\n{extra}")

    def start(self) -> None:
        self.command("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "90", "start")
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.command("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "90", "stop")
            self.running = False

    def url(self, database: str) -> str:
        return f"postgres://{SERVICE_USER}@127.0.0.1:{self.port}/{database}"

    def query(self, sql: str, params: tuple = (), *, database: str = "postgres") -> list[tuple]:
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=SERVICE_USER, dbname=database, connect_timeout=5
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()


class ReplicatedPostgres:
    """A primary (wal_level=replica, a replication entry in pg_hba.conf) and a hot standby
    cloned from it with `pg_basebackup -R`, streaming from it."""

    def __init__(self) -> None:
        bin_dir = server_bin_dir()
        require(
            bin_dir is not None,
            "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found under "
            "/usr/lib/postgresql/*/bin (apt-get install postgresql)",
        )
        if os.geteuid() == 0:
            require(shutil.which("runuser") is not None, "runuser (util-linux) is missing")
            try:
                account = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                account = None
            require(account is not None, f"no `{SERVICE_USER}` user to run PostgreSQL as")
        self.root = Path(tempfile.mkdtemp(prefix="portal-replica-"))
        if os.geteuid() == 0:
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.primary = Cluster(bin_dir=bin_dir, root=self.root, name="primary")
        self.standby = Cluster(bin_dir=bin_dir, root=self.root, name="standby")

    def start(self) -> None:
        primary = self.primary
        primary.command(
            "initdb", "-D", str(primary.data), "-U", SERVICE_USER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        (primary.data / "pg_hba.conf").write_text(HBA.format(user=SERVICE_USER))
        primary.configure(PRIMARY_SETTINGS)
        primary.start()
        # The standby is a byte copy of the running primary; -R writes primary_conninfo and
        # standby.signal, so it starts as a hot standby streaming from the primary.
        self.standby.command(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", SERVICE_USER,
            "-D", str(self.standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        self.standby.configure()
        self.standby.start()
        assert self.standby.query("SELECT pg_is_in_recovery()") == [(True,)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if primary.query("SELECT state FROM pg_stat_replication") == [("streaming",)]:
                return
            time.sleep(0.2)
        raise AssertionError(f"the standby does not stream:\n{self.standby.log.read_text()}")

    def wait_replayed(self, *, timeout: float = 60) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        (target,) = self.primary.query("SELECT pg_current_wal_insert_lsn()::text")[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = self.standby.query(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", (target,)
            )[0][0]
            if behind <= 0:
                return
            time.sleep(0.2)
        raise AssertionError("the standby did not catch up with the primary")

    def pause_replay(self) -> None:
        """The standby keeps receiving WAL but applies none of it: a replica lagging behind."""
        self.standby.query("SELECT pg_wal_replay_pause()")
        # Pausing is requested, then takes effect; wait until it has.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.standby.query("SELECT pg_get_wal_replay_pause_state()") == [("paused",)]:
                return
            time.sleep(0.1)
        raise AssertionError("the standby did not pause its replay")

    def stop(self) -> None:
        try:
            for cluster in (self.standby, self.primary):
                cluster.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
