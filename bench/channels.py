"""Channels benchmark: staff intake end to end, inbound webhook throughput under a
replay of every message, and one IMAP poll of many messages.

Usage (PostgreSQL, a benchmark database; never part of `make test`):
    DATABASE_URL=postgres://.../portal_bench .venv/bin/python bench/channels.py \
        --complaints 100000 --messages 2000 --mails 1000
1. Staff intake: the staff page's form POST (test client, officer of BP3MI Jawa Timur) to the stored
   case, median ms and queries, with the complaints table topped up to --complaints (seed_demo's
   bulk data).
2. Webhooks: gunicorn with 2 workers on a free loopback port; 4 client threads send --messages
   signed generic-gateway messages, each twice (a full replay); then counts stored rows:
   0 lost and 0 duplicated is the requirement, messages per second the figure.
   `--only latency`: the same webhook in-process (test client), medians of a new sender's
   message, of its replay and of the publish after commit (steadier on a loaded machine).
3. IMAP: --mails messages appended to a fresh dovecot on loopback, one `mailbox_poll`: its time
   (without tracemalloc; `--trace-memory` adds the Python allocation peak), statements per mail
   and the process's peak RSS growth.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import io
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.request
import uuid
from email.message import EmailMessage

from common import ROOT, report, setup_django

SECRET = "bench-webhook-secret"  # noqa: S105 (a loopback benchmark's own key)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_staff_intake(size: int, repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints import demo
    from complaints.forms import submission_token_issue
    from complaints.models import Complaint
    from portal import demo as portal_demo
    from portal.choices import Role
    from portal.models import Office
    from portal.services import membership_grant

    settings.OTP_REQUIRED = False
    portal_demo.seed(
        portal_demo.DemoContext(
            password=uuid.uuid4().hex, password_generated=True, complaints=0, stdout=io.StringIO()
        )
    )
    existing = Complaint.objects.count()
    if existing < size:
        started = time.perf_counter()
        demo.seed(
            portal_demo.DemoContext(
                password="", password_generated=False, complaints=size, stdout=io.StringIO()
            )
        )
        print(f"seeded to {size:,} in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    from django.contrib.auth import get_user_model

    officer, _created = get_user_model().objects.get_or_create(
        username="bench-intake", defaults={"is_staff": True}
    )
    membership_grant(user=officer, office=Office.objects.get(code="bp3mi-jatim"), role=Role.OFFICER)
    client = Client()
    client.force_login(officer)

    def post():
        response = client.post(
            "/staf/pengaduan/baru/",
            {
                "submission_token": submission_token_issue(),
                "channel": "walk_in",
                "filer_relation": "self",
                "category": "gaji-tidak-dibayar",
                "in_danger": "no",
                "description": "Datang ke kantor: gaji tidak dibayar tiga bulan (benchmark).",
                "destination_country": "MY",
                "origin_province": "35",
                "origin_region": "35.04",
                "reporter_name": "Bench Mark",
                "phone": "081234567890",
                "consent": "on",
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"staff intake answered {response.status_code}")

    post()
    with CaptureQueriesContext(connection) as captured:
        post()
    # Read now: the next request clears the connection's log that `captured` slices.
    queries = len(captured.captured_queries)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        post()
        samples.append((time.perf_counter() - start) * 1000)
    count = Complaint.objects.count()
    median = statistics.median(samples)
    print(f"staff intake at {count:,}: {queries} queries, {median:.1f} ms")
    report(
        f"staff intake form POST at {count:,} complaints",
        f"{queries} queries, {median:.1f} ms median",
        "",
    )


def bench_webhooks(messages: int, clients: int = 4) -> None:
    from complaints.models import InboundMessage

    InboundMessage.objects.filter(gateway="generic", message_id__startswith="bench-").delete()
    port = _free_port()
    env = {**os.environ, "INBOUND_WEBHOOK_SECRET": SECRET, "DEBUG": "1"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), 0.5):
                    break
            except OSError:
                time.sleep(0.2)
        run = uuid.uuid4().hex[:8]
        run_digits = f"{int(run, 16) % 10000:04d}"
        bodies = []
        for index in range(messages):
            body = json.dumps(
                {
                    "message_id": f"bench-{run}-{index}",
                    "channel": "whatsapp",
                    # A number of this run only: each message is a draft with its one reply
                    # (the costliest path), never answered already by an earlier run's day.
                    "from": f"+6281{run_digits}{index:05d}",
                    "text": f"Pesan uji beban {index}",
                    "received_at": "2026-07-01T13:00:00+07:00",
                }
            ).encode()
            bodies.append(body)
        work = bodies + bodies  # every message twice: a full replay
        failures: list[int] = []
        lock = threading.Lock()
        position = [0]

        def client_loop():
            while True:
                with lock:
                    if position[0] >= len(work):
                        return
                    body = work[position[0]]
                    position[0] += 1
                signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/inbound/generic/",
                    data=body,
                    method="POST",
                    headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        response.read()
                except Exception:
                    with lock:
                        failures.append(1)

        started = time.perf_counter()
        threads = [threading.Thread(target=client_loop) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stored = InboundMessage.objects.filter(message_id__startswith=f"bench-{run}-")
        unique = stored.values("message_id").distinct().count()
        total = stored.count()
        lost = messages - unique
        duplicated = total - unique
        rate = len(work) / elapsed
        print(
            f"webhooks: {len(work)} requests in {elapsed:.1f} s = {rate:.0f}/s; "
            f"lost {lost}, duplicated {duplicated}, failed requests {len(failures)}"
        )
        report(
            f"webhook throughput ({messages} messages x2, {clients} clients, gunicorn 2 workers)",
            f"{rate:.0f} requests/s; lost {lost}, duplicated {duplicated}",
            "0 lost, 0 duplicated",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_webhook_latency(messages: int) -> None:
    """In-process (test client, no HTTP server, no other request at the same time): the median
    time of a signed generic webhook from a new sender (draft, reply in the outbox, publish
    after commit) and of its replay, and the median time spent in `notification_publish`. Less
    sensitive to a loaded machine than throughput over HTTP."""
    from django.test import Client
    from django.test.utils import override_settings

    from complaints.services import notifications

    spent: list[float] = []
    publish = notifications.notification_publish

    def timed_publish(**kwargs):
        started = time.perf_counter()
        publish(**kwargs)
        spent.append(time.perf_counter() - started)

    notifications.notification_publish = timed_publish
    client = Client()
    run = uuid.uuid4().hex[:8]
    run_digits = f"{int(run, 16) % 10000:04d}"

    def post(index: int) -> float:
        body = json.dumps(
            {
                "message_id": f"latency-{run}-{index}",
                "channel": "whatsapp",
                "from": f"+6281{run_digits}{index:05d}",
                "text": f"Pesan uji {index}",
                "received_at": "2026-07-01T13:00:00+07:00",
            }
        ).encode()
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        started = time.perf_counter()
        response = client.post(
            "/api/v1/inbound/generic/",
            body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=signature,
        )
        if response.status_code != 200:
            raise RuntimeError(f"webhook answered {response.status_code}")
        return (time.perf_counter() - started) * 1000

    try:
        with override_settings(INBOUND_WEBHOOK_SECRET=SECRET):
            post(0)
            spent.clear()
            new = [post(index) for index in range(1, messages + 1)]
            replay = [post(index) for index in range(1, messages + 1)]
    finally:
        notifications.notification_publish = publish
    publish_ms = statistics.median(spent) * 1000 if spent else 0.0
    print(
        f"webhook latency: new {statistics.median(new):.1f} ms, replay "
        f"{statistics.median(replay):.1f} ms, publish {publish_ms:.1f} ms (medians of {messages})"
    )
    report(
        f"webhook in-process latency ({messages} new senders, then their replays)",
        f"new {statistics.median(new):.1f} ms, replay {statistics.median(replay):.1f} ms, "
        f"of which publish {publish_ms:.1f} ms (medians)",
        "",
    )


def bench_imap(mails: int, *, trace_memory: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    from imap_tools import MailBoxUnencrypted

    from complaints.services.mail_intake import mailbox_poll
    from tests.complaints.imap_support import PASSWORD, USER, dovecot_running

    with dovecot_running() as url:
        port = int(url.rsplit(":", 1)[1])
        run = uuid.uuid4().hex[:8]
        with MailBoxUnencrypted("127.0.0.1", port=port).login(USER, PASSWORD) as box:
            for index in range(mails):
                message = EmailMessage()
                message["From"] = f"pekerja{index}-{run}@example.com"  # one reply each
                message["To"] = "pengaduan@example.go.id"
                message["Subject"] = f"Pengaduan {index}"
                message["Message-ID"] = f"<bench-{run}-{index}@example.com>"
                message["Date"] = "Wed, 01 Jul 2026 12:30:00 +0700"
                message.set_content(f"Gaji saya tidak dibayar (uji {index}).")
                box.append(message.as_bytes(), "INBOX")
        from django.db import connection

        statements = [0]

        def count(execute, sql, params, many, context):
            # Counted, not logged: Django's query log keeps only the last 9,000.
            statements[0] += 1
            return execute(sql, params, many, context)

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            counts = mailbox_poll(url=url, limit=mails)
        elapsed = time.perf_counter() - started
        queries = statements[0]
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        if trace_memory:
            tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Timed without tracemalloc (it slows allocation-heavy code several times); memory is the
    # growth of the process's peak RSS during the poll, and the Python peak with --trace-memory.
    python_peak = f", Python allocations peak {peak / 2**20:.1f} MB" if trace_memory else ""
    print(
        f"imap: {counts} in {elapsed:.1f} s ({elapsed / mails * 1000:.0f} ms/mail), "
        f"{queries / mails:.1f} queries/mail, max RSS {rss:.0f} MB "
        f"(+{rss - rss_before:.0f} MB during the poll){python_peak}"
    )
    report(
        f"IMAP poll of {mails} messages",
        f"{elapsed:.1f} s, {queries / mails:.1f} queries/mail; process max RSS {rss:.0f} MB "
        f"(+{rss - rss_before:.0f} MB during the poll){python_peak} ({counts})",
        "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--only", choices=["intake", "webhooks", "latency", "imap"], default=None)
    parser.add_argument(
        "--trace-memory", action="store_true", help="also trace Python allocations in the poll"
    )
    args = parser.parse_args()
    # bench/ holds scripts named like the apps (oversight.py): the project's packages must win,
    # also where an import puts the working directory first on the path (Celery's loader does).
    here = str(ROOT / "bench")
    sys.path[:] = [str(ROOT), *(path for path in sys.path if path not in (str(ROOT), here))]
    os.chdir(ROOT)
    setup_django()
    if args.only in (None, "intake"):
        bench_staff_intake(args.complaints, args.repeat)
    if args.only in (None, "webhooks"):
        bench_webhooks(args.messages)
    if args.only in (None, "latency"):
        bench_webhook_latency(min(args.messages, 100))
    if args.only in (None, "imap"):
        bench_imap(args.mails, trace_memory=args.trace_memory)


if __name__ == "__main__":
    main()
