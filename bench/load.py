"""`make load`: the portal under a realistic mix, then a reconciliation of what it accepted.

LOAD_NODES=2 runs it against make prod's stack instead (scripts/run_prod.py): nginx over TLS
balancing two gunicorn instances, two Celery workers (own node names), one beat.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL. Prepares that database (migrate, regions, a few
demo guides, one officer with an API token and one ministry analyst), starts on 127.0.0.1 only:
gunicorn (2 workers), a Celery worker and Celery beat, with the per-client rate limits raised
(all load comes from one address); runs locust headless for LOAD_SECONDS (default 600) with
LOAD_USERS users (default 20; bench/locustfile.py has the mix); prints requests per second,
p50/p95/p99 and errors per endpoint from locust's CSV; then reconciles: every reference locust
got a 201 for is stored exactly once, and its acknowledgement (if the reporter left a contact)
is delivered once, after waiting for the worker. No complaint past its deadline stays at an
office that has one above it (beat + worker escalated it). Every process started here is
stopped by its own pid in a finally block.

The escalation sweep is tried concurrently on purpose: besides beat's tick, every
SWEEP_TRIGGER_SECONDS the load's own complaints still at their first office get a deadline in
the past (standing in for time passing) and one sweep task is published to each Celery node's
own queue at the same instant (two to the one node with LOAD_NODES=1). Every start is a
`SweepRun` row (portal.sweep_runs); the reconciliation counts the starts, runs and skips per
node, and fails if two runs overlapped by the database clock.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal REDIS_URL=redis://127.0.0.1:6379/8 \
        LOAD_SECONDS=30 LOAD_USERS=5 make load
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, report, setup_django, worker_memory_mib

BIN = Path(sys.executable).parent
# LOAD_GUNICORN: serve from another environment's gunicorn, e.g. one with the runtime dependencies
# only (bench/peer/compare.py --portal-venv makes one), as production installs the portal.
GUNICORN = os.environ.get("LOAD_GUNICORN") or str(BIN / "gunicorn")
OUT = ROOT / "bench" / "out"
# Every worker drains the outbox within this long after the load stops, or the rows count as lost.
DRAIN_SECONDS = 180
# The escalation sweep every 30 s during the load (production: 60 s), so a run of a few minutes
# sees several sweeps under load.
ESCALATION_INTERVAL = "30"
HIGH_LIMIT = "1000000/1m"
# Extra sweeps, one per node at the same instant, this often (beat alone runs one at a time, and
# an idle sweep takes milliseconds: two would rarely meet). A third of beat's interval.
SWEEP_TRIGGER_SECONDS = 10
# A triggered sweep not started within this long (every worker busy) is dropped, not run late.
SWEEP_TASK_EXPIRES = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, *, timeout: float, cafile: Path | None = None) -> bool:
    import ssl

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cafile and not cafile.exists():  # the stack makes its certificate at start
            time.sleep(0.5)
            continue
        context = ssl.create_default_context(cafile=str(cafile)) if cafile else None
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


class Process:
    """A child process logging to a file; stopped by its own pid, never by name."""

    def __init__(self, name: str, command: list[str], *, env: dict, log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.handle = self.log.open("w")
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self.handle.close()


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        # The development fallbacks for SECRET_KEY/ALLOWED_HOSTS and no HTTPS redirect: the load
        # runs over plain HTTP on 127.0.0.1, with production code paths otherwise.
        "PORTAL_TESTING": "1",
        "OTP_REQUIRED": "0",
        # Plain HTTP: secure-only session and CSRF cookies would never come back from locust.
        "SECURE_COOKIES": "0",
        "THROTTLE_SUBMIT": HIGH_LIMIT,
        "THROTTLE_TRACK": HIGH_LIMIT,
        "THROTTLE_TRACK_REFERENCE": HIGH_LIMIT,
        "ESCALATION_INTERVAL_SECONDS": ESCALATION_INTERVAL,
        "PORTAL_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def prepare(env: dict[str, str], log_dir: Path) -> dict[str, str]:
    """Schema, regions, guides and the two staff accounts; returns the locust settings."""
    manage = [sys.executable, "manage.py"]
    with (log_dir / "prepare.log").open("w") as log:
        for command in (["migrate", "--noinput"], ["load_regions"]):
            subprocess.run(manage + command, cwd=ROOT, env=env, stdout=log, stderr=log, check=True)
    os.environ.update({k: env[k] for k in ("DEBUG", "PORTAL_TESTING", "PORTAL_DATA_DIR")})
    setup_django()
    from django.contrib.auth import get_user_model

    from education.choices import ContentLanguage, ContentStatus
    from education.models import Article
    from portal.choices import Role
    from portal.models import Office
    from portal.services import membership_grant

    if not Article.objects.filter(
        status=ContentStatus.PUBLISHED, language=ContentLanguage.INDONESIAN
    ).exists():
        with (log_dir / "prepare.log").open("a") as log:
            subprocess.run(
                [*manage, "seed_demo", "--complaints", "0"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
                check=False,
            )
    article = (
        Article.objects.filter(status=ContentStatus.PUBLISHED, language=ContentLanguage.INDONESIAN)
        .order_by("pk")
        .first()
    )
    offices = {office.code: office for office in Office.objects.all()}
    password = secrets.token_urlsafe(16)
    accounts = {}
    for username, office, role in (
        ("beban-petugas", "bp3mi-jatim", Role.OFFICER),
        ("beban-menteri", "kemenp2mi", Role.MINISTRY_ANALYST),
    ):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        membership_grant(user=user, office=offices[office], role=role)
        accounts[username] = user
    from portal.api_tokens import staff_token_issue

    officer = accounts["beban-petugas"]
    officer.is_verified = lambda: True  # the bench stands in for a session past the second factor
    _token, token_key = staff_token_issue(user=officer, name="load test", scope="write")
    return {
        "LOAD_STAFF_TOKEN": token_key,
        "LOAD_MINISTRY_USERNAME": "beban-menteri",
        "LOAD_MINISTRY_PASSWORD": password,
        "LOAD_ARTICLE_SLUG": article.slug if article else "",
    }


def percentiles(stats_csv: Path) -> None:
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    print("\nendpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms")
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        print(
            f"{row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']}"
        )
        label = "all requests" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        report(f"load {label}: requests/s", f"{float(row['Requests/s']):.1f}")
        report(
            f"load {label}: p50/p95/p99 ms",
            f"{row['50%']}/{row['95%']}/{row['99%']}",
        )
        report(f"load {label}: errors", f"{row['Failure Count']} of {row['Request Count']}", "0")


def reconcile(references_file: Path, started: dt.datetime) -> bool:
    from django.db.models import Count, Q
    from django.utils import timezone

    from complaints.choices import OPEN_STATUSES, NotificationStatus
    from complaints.models import Complaint, Notification
    from complaints.services.intake import ACKNOWLEDGEMENT_TEMPLATE

    references = references_file.read_text().split() if references_file.exists() else []
    accepted = set(references)
    stored = dict(
        Complaint.objects.filter(reference__in=accepted)
        .values_list("reference")
        .annotate(n=Count("id"))
    )
    missing = sorted(accepted - set(stored))
    doubled = sorted(reference for reference, n in stored.items() if n > 1)
    # Complaints the load created without locust hearing 201 (a timeout after the commit).
    created = Complaint.objects.filter(
        created_at__gte=started, reporter_name="Pekerja Uji Beban"
    ).count()
    acknowledgements = Notification.objects.filter(
        complaint__reference__in=accepted, template=ACKNOWLEDGEMENT_TEMPLATE
    )
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        if not acknowledgements.filter(status=NotificationStatus.PENDING).exists():
            break
        time.sleep(2)
    by_status = dict(acknowledgements.values_list("status").annotate(n=Count("id")))
    acknowledged_twice = (
        acknowledgements.values("complaint_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    now = timezone.now()
    interval = dt.timedelta(seconds=2 * int(ESCALATION_INTERVAL))
    left_behind = Complaint.objects.filter(
        status__in=OPEN_STATUSES,
        due_at__lt=now - interval,
        paused_at__isnull=True,
        office__parent__isnull=False,
    ).filter(Q(reference__in=accepted) | Q(created_at__gte=started))
    left_behind = left_behind.count()

    print("\nreconciliation")
    report("load: complaints accepted (201)", str(len(references)))
    report("load: references answered twice", str(len(references) - len(accepted)), "0")
    report("load: accepted but not stored", str(len(missing)), "0")
    report("load: stored more than once", str(len(doubled)), "0")
    report("load: stored without a 201 seen by the client", str(created - len(stored)))
    report(
        "load: acknowledgements sent / pending / failed",
        f"{by_status.get('sent', 0)} / {by_status.get('pending', 0)} / "
        f"{by_status.get('failed', 0)}",
        f"all sent within {DRAIN_SECONDS} s",
    )
    report("load: complaints acknowledged twice", str(acknowledged_twice), "0")
    report("load: overdue complaints not escalated", str(left_behind), "0")
    if missing:
        print("missing:", ", ".join(missing[:20]))
    return not (
        missing
        or doubled
        or acknowledged_twice
        or by_status.get("pending", 0)
        or by_status.get("failed", 0)
        or left_behind
        or len(references) != len(accepted)
    )


class SweepTrigger(threading.Thread):
    """Every SWEEP_TRIGGER_SECONDS: put the load's fresh complaints past their deadline, then
    publish one escalation sweep to each Celery node's own queue at once (two when one node)."""

    def __init__(self, *, started: dt.datetime) -> None:
        super().__init__(name="sweep-trigger", daemon=True)
        self.started = started
        self.stopped = threading.Event()
        self.published: dict[str, int] = {}
        self.backdated = 0
        self.errors: list[str] = []

    def node_queues(self) -> dict[str, str]:
        """Each worker node (found by ping) consumes a queue of its own for the extra sweeps."""
        from portal.celery import app

        deadline = time.monotonic() + 60
        nodes: list[str] = []
        while time.monotonic() < deadline and not nodes:
            nodes = sorted(name for reply in app.control.ping(timeout=3) for name in reply)
        queues = {node: f"load-sweep.{node}" for node in nodes}
        for node, queue in queues.items():
            app.control.add_consumer(queue, destination=[node], reply=True, timeout=5)
        return queues

    def backdate(self) -> int:
        """The load's open complaints still at their first office, deadline moved into the past."""
        from django.db.models.functions import Now

        from complaints.choices import OPEN_STATUSES
        from complaints.models import Complaint

        return Complaint.objects.filter(
            created_at__gte=self.started,
            status__in=OPEN_STATUSES,
            escalation_level=0,
            paused_at__isnull=True,
            office__parent__isnull=False,
            due_at__gt=Now(),
        ).update(due_at=Now() - dt.timedelta(minutes=1))

    def run(self) -> None:
        from django.db import connection

        from portal.celery import app

        try:
            queues = self.node_queues()
            targets = list(queues.values())
            if len(targets) == 1:  # one node: two of its worker processes meet instead
                targets *= 2
            while not self.stopped.wait(SWEEP_TRIGGER_SECONDS):
                self.backdated += self.backdate()
                for queue in targets:
                    app.send_task(
                        "complaints.escalate_overdue", queue=queue, expires=SWEEP_TASK_EXPIRES
                    )
                    self.published[queue] = self.published.get(queue, 0) + 1
        except Exception as error:  # reported with the figures; the load goes on
            self.errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()


def sweep_runs_reconcile(started: dt.datetime, *, nodes: int, trigger: SweepTrigger) -> bool:
    """Every escalation sweep start since the load began, from the `SweepRun` rows; an overlap is a
    run that started (database clock) before an earlier run had finished."""
    from collections import Counter

    from portal.models import SweepRun

    runs = SweepRun.objects.filter(sweep="escalation", started_at__gte=started)
    # A run under way when the load stopped finishes within seconds: wait for it.
    deadline = time.monotonic() + 120
    while runs.filter(outcome="running").exists() and time.monotonic() < deadline:
        time.sleep(1)
    rows = list(runs.order_by("started_at").values())
    outcomes = Counter(row["outcome"] for row in rows)
    ran = [row for row in rows if row["outcome"] in ("finished", "failed", "lock_lost")]
    overlapping = []
    latest_end = None
    for row in ran:
        if latest_end is not None and row["started_at"] < latest_end:
            overlapping.append(row)
        if latest_end is None or row["finished_at"] > latest_end:
            latest_end = row["finished_at"]
    per_node: dict[str, Counter] = {}
    for row in rows:
        per_node.setdefault(row["node"], Counter())[row["outcome"]] += 1
    busiest = max((row["result"].get("escalated", 0) for row in ran), default=0)
    longest = max(
        ((row["finished_at"] - row["started_at"]).total_seconds() for row in ran), default=0
    )
    report(
        "load: sweep tasks published by the load tool (besides beat)",
        f"{sum(trigger.published.values())} to {len(trigger.published)} queue(s), "
        f"every {SWEEP_TRIGGER_SECONDS} s",
    )
    report("load: complaints given a past deadline by the load tool", str(trigger.backdated))
    report(
        "load: escalation sweeps started / ran / skipped (another was running)",
        f"{len(rows)} / {len(ran)} / {outcomes['skipped']}",
    )
    for node, counts in sorted(per_node.items()):
        report(
            f"load: sweeps on {node}: ran / skipped",
            f"{counts['finished'] + counts['failed'] + counts['lock_lost']} / {counts['skipped']}",
        )
    report(
        "load: sweeps escalated in all / most in one run / longest run s",
        f"{sum(row['result'].get('escalated', 0) for row in ran)} / {busiest} / {longest:.2f}",
    )
    report(
        "load: sweeps failed / lock lost / abandoned / still running",
        f"{outcomes['failed']} / {outcomes['lock_lost']} / {outcomes['abandoned']} / "
        f"{outcomes['running']}",
        "0 / 0 / 0 / 0",
    )
    report("load: overlapping sweep runs", str(len(overlapping)), "0")
    for row in overlapping[:10]:
        print("overlap:", row["node"], row["started_at"], row["finished_at"])
    if trigger.errors:
        print("sweep trigger:", "; ".join(trigger.errors[:5]))
    nodes_seen = {row["node"] for row in rows if row["node"].startswith("worker")}
    both_nodes = nodes < 2 or len(nodes_seen) >= nodes
    if not both_nodes:
        print(f"sweeps started on {len(nodes_seen)} node(s) only, expected {nodes}")
    return not (
        overlapping
        or not ran
        or not both_nodes
        or trigger.errors
        or outcomes["failed"]
        or outcomes["lock_lost"]
        or outcomes["abandoned"]
        or outcomes["running"]
    )


def start_single_node(processes: list, *, env: dict, port: int, run_dir: Path) -> None:
    processes.append(
        Process(
            "gunicorn",
            [
                *(GUNICORN, "portal.wsgi", "--bind", f"127.0.0.1:{port}"),
                *("--workers", "2", "--timeout", "30"),
                *("--config", str(ROOT / "portal" / "gunicorn_conf.py")),
            ],
            env=env,
            log_dir=run_dir,
        )
    )
    processes.append(
        Process(
            "worker",
            [
                *(str(BIN / "celery"), "-A", "portal", "worker", "--concurrency=2"),
                *("--loglevel=INFO", "--without-gossip", "--without-mingle"),
            ],
            env=env,
            log_dir=run_dir,
        )
    )
    processes.append(
        Process(
            "beat",
            [
                *(str(BIN / "celery"), "-A", "portal", "beat", "--loglevel=INFO"),
                *("--schedule", str(run_dir / "celerybeat-schedule"), "--pidfile="),
            ],
            env=env,
            log_dir=run_dir,
        )
    )


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make load needs DATABASE_URL=postgres://... (PostgreSQL)", file=sys.stderr)
        return 2
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        print("make load needs REDIS_URL=redis://127.0.0.1:6379/<db>", file=sys.stderr)
        return 2
    seconds = int(os.environ.get("LOAD_SECONDS", "600"))
    users = int(os.environ.get("LOAD_USERS", "20"))
    spawn_rate = os.environ.get("LOAD_SPAWN_RATE", str(max(1, users // 10)))
    run_dir = OUT / f"load-{dt.datetime.now(tz=dt.UTC):%Y%m%dT%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    env = environment(run_dir)
    locust_settings = prepare(env, run_dir)
    references_file = run_dir / "accepted-references.txt"
    port = free_port()
    # LOAD_NODES=2: make prod's stack with two gunicorn instances and two Celery workers (separate
    # ports and node names, as two machines would run them), one beat, nginx balancing over TLS.
    nodes = int(os.environ.get("LOAD_NODES", "1"))
    host = f"{'https' if nodes > 1 else 'http'}://127.0.0.1:{port}"
    processes: list[Process] = []
    started = dt.datetime.now(tz=dt.UTC)
    locust_env = {**env, **locust_settings}
    try:
        if nodes > 1:
            cert = run_dir / "prod" / "cert.pem"
            processes.append(
                Process(
                    "prod",
                    [
                        *(sys.executable, "scripts/run_prod.py", "--no-setup"),
                        *("--port", str(port), "--web", str(nodes), "--workers", str(nodes)),
                    ],
                    env={**env, "STATIC_ROOT": str(run_dir / "static"), "SECURE_COOKIES": "1"},
                    log_dir=run_dir,
                )
            )
            if not wait_http(f"{host}/healthz", timeout=180, cafile=cert):
                print(f"make prod's stack did not answer; see {run_dir}/prod.log", file=sys.stderr)
                return 1
            # locust (requests) verifies TLS against the stack's own self-signed certificate.
            locust_env.update({"LOAD_CA_BUNDLE": str(cert), "REQUESTS_CA_BUNDLE": str(cert)})
        else:
            start_single_node(processes, env=env, port=port, run_dir=run_dir)
            if not wait_http(f"{host}/healthz", timeout=60):
                print(f"gunicorn did not answer; see {run_dir}/gunicorn.log", file=sys.stderr)
                return 1
        trigger = SweepTrigger(started=started)
        trigger.start()
        print(f"load: {users} users for {seconds} s against {host}; logs in {run_dir}")
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                spawn_rate,
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                host,
                "--csv",
                str(run_dir / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**locust_env, "LOAD_REFERENCES_FILE": str(references_file)},
            timeout=seconds + 120,
            check=False,
        )
        trigger.stopped.set()
        trigger.join(timeout=30)
        # locust exits 1 when any request failed; the figures below say which.
        percentiles(run_dir / "locust_stats.csv")
        for process in processes:
            if not process.alive():
                print(f"{process.name} died during the load; see {process.log}", file=sys.stderr)
        if nodes == 1:  # processes[0] is the one gunicorn master
            workers = worker_memory_mib(processes[0].popen.pid)
            for label, key, budget in (
                ("RSS", "rss", "<= 100"),
                ("PSS", "pss", ""),
                ("USS", "uss", ""),
            ):
                report(
                    f"load: gunicorn worker {label} after the load, MiB",
                    " / ".join(f"{worker[key]:.0f}" for worker in workers),
                    budget,
                )
        # The web server is done; the worker and beat keep draining the outbox (in two-node
        # mode the stack is one process: it keeps running until the reconciliation is over).
        if nodes == 1:
            processes[0].stop()
        reconciled = reconcile(references_file, started)
        reconciled = sweep_runs_reconcile(started, nodes=nodes, trigger=trigger) and reconciled
    finally:
        for process in reversed(processes):
            process.stop()
    outcome = "ok" if reconciled else "FAILED"
    print(f"\nlocust exit status {locust.returncode}; reconciliation {outcome}")
    return 0 if reconciled else 1


if __name__ == "__main__":
    sys.exit(main())
