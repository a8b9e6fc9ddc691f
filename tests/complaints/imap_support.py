"""A real IMAP server for the mail-intake tests: Debian's dovecot-imapd on loopback, with its own
configuration, port, mail store and plain-text login in a temporary folder (nothing of the
machine's own dovecot is used). Missing dovecot: skipped locally, an error under
REQUIRE_SERVICES=1 (tests/support.require)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.support import require

DOVECOT = "/usr/sbin/dovecot"
USER = "pengaduan"
PASSWORD = "rahasia-uji"  # a test mailbox on loopback only


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(folder: Path, port: int, mail_user: str) -> str:
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{folder}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={folder}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@contextlib.contextmanager
def dovecot_running():
    """imap://user:password@127.0.0.1:port of a fresh dovecot, stopped and removed on exit
    (used by the fixture below and by bench/channels.py)."""
    require(
        os.path.exists(DOVECOT), "dovecot-imapd is not installed (apt-get install dovecot-imapd)"
    )
    # Not under pytest's tmp folder: dovecot's auth process (its own user) must reach the files.
    folder = Path(tempfile.mkdtemp(prefix="portal-dovecot-"))
    folder.chmod(0o755)
    for name in ("run", "state", "home"):
        (folder / name).mkdir()
    # Running as root, dovecot drops to an unprivileged user for mail; as anyone else, to oneself.
    mail_user = "dovecot" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        shutil.chown(folder / "home", mail_user, mail_user)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    (folder / "dovecot.conf").write_text(_config(folder, port, mail_user))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(folder / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), 0.5):
                    break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
        log = folder / "dovecot.log"
        require(
            process.poll() is None,
            "dovecot did not start: "
            + (log.read_text()[-500:] if log.exists() else process.stderr.read().decode()[-500:]),
        )
        yield f"imap://{USER}:{PASSWORD}@127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def imap_server():
    """A dovecot for the whole test session."""
    with dovecot_running() as url:
        yield url


@pytest.fixture
def mailbox(imap_server):
    """An empty INBOX on the test server; returns a function that appends raw messages."""
    from imap_tools import MailBoxUnencrypted

    port = int(imap_server.rsplit(":", 1)[1])

    def _open():
        return MailBoxUnencrypted("127.0.0.1", port=port).login(USER, PASSWORD)

    with _open() as box:
        uids = [message.uid for message in box.fetch(mark_seen=False, headers_only=True)]
        if uids:
            box.delete(uids)

    def append(raw: bytes) -> None:
        with _open() as box:
            box.append(raw, "INBOX")

    append.url = imap_server
    append.open = _open
    return append
