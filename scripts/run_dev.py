"""`make run`: demo data, then the web server, a Celery worker and beat; Ctrl-C stops all three.

With no DATABASE_URL / REDIS_URL this runs on SQLite and kombu's filesystem broker (no server);
with them it runs on PostgreSQL and Redis. The demo password is kept in var/demo_password so that
running it twice keeps the same logins (DEMO_PASSWORD overrides it).
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PORTAL_DATA_DIR", ROOT / "var"))
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def demo_password() -> str:
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = VAR / "demo_password"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "DEMO_PASSWORD": demo_password()}
    python = sys.executable
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
    if args.seed_only:
        return 0
    celery = str(Path(python).with_name("celery"))
    processes = {
        "web": subprocess.Popen(
            [python, "manage.py", "runserver", ADDRESS, "--noreload"], cwd=ROOT, env=env
        ),
        # Beat inside the worker (-B) is fine for one developer; production runs one `celery beat`.
        "worker+beat": subprocess.Popen(
            [
                celery,
                "-A",
                "portal",
                "worker",
                "-B",
                "--pool=solo",
                "--loglevel=INFO",
                "--schedule",
                str(VAR / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env=env,
        ),
    }
    print(
        f"\n  Portal:      http://{ADDRESS}/\n"
        f"  Staff admin: http://{ADDRESS}/admin/\n"
        f"  Dashboard:   http://{ADDRESS}/dashboard/\n"
        f"  API docs:    http://{ADDRESS}/api/docs/\n"
        f"  Logins:      admin (superuser), menteri, kepala-jatim, petugas-jatim,\n"
        "               petugas-jabar, editor\n"
        f"  Password:    {env['DEMO_PASSWORD']}\n"
        "  Second factor: not required with DEBUG=1 (make run); set OTP_REQUIRED=1 to try it,\n"
        "                 then enrol a device at /admin/ (see README, Two-factor sign-in).\n"
        "  Ctrl-C stops the web server, the worker and beat.\n",
        flush=True,
    )
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes.values()):
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
