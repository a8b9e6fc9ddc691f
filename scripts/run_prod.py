"""`make prod`: the production shape on loopback; Ctrl-C stops everything it started.

    nginx (TLS, self-signed certificate in var/prod/) -> gunicorn (deploy/gunicorn.conf.py)
    Celery worker(s) and exactly one Celery beat; PostgreSQL and Redis from DATABASE_URL/REDIS_URL.

The nginx server block is deploy/nginx/portal.conf, filled in here with the port and paths (the
same file is the production recipe); only the few lines of nginx's main configuration that
Debian's /etc/nginx/nginx.conf would hold are written here, so that nginx runs as a child of this
script (`daemon off`) with its files under var/prod/. DEBUG is off; the secret key is generated
into var/secret_key on the first run (SECRET_KEY overrides it), and so is
the access-key pepper (var/access_key_pepper, ACCESS_KEY_PEPPER).

Options: --port (PROD_PORT, default 8443), --web N (gunicorn instances behind nginx, as separate
nodes would run them), --workers N (Celery worker processes), --no-setup (skip
migrate/load_regions/collectstatic: the caller prepared the database), --render-nginx (print the
filled-in server block and exit).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def data_dir() -> Path:
    return Path(os.environ.get("PORTAL_DATA_DIR", ROOT / "var"))


def secret_key(var: Path, name: str = "SECRET_KEY") -> str:
    """The environment's value, else one generated into var/<name> on the first run and kept."""
    if os.environ.get(name):
        return os.environ[name]
    path = var / name.lower()
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def ensure_debian_package(command: str, package: str) -> str:
    found = shutil.which(command) or (
        f"/usr/sbin/{command}" if Path(f"/usr/sbin/{command}").exists() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit(f"{command} is missing: sudo apt-get install -y {package}")
    print(f"installing Debian package {package} ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which(command) or f"/usr/sbin/{command}"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not (cert.exists() and key.exists()):
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "365",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        key.chmod(0o600)
    return cert, key


PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def render_server_block(values: dict[str, str]) -> str:
    """deploy/nginx/portal.conf with its ${NAME} placeholders filled; nginx's own $variables
    are left alone."""
    template = (DEPLOY / "nginx" / "portal.conf").read_text()
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def nginx_main_config(*, run: Path, server_block: Path) -> str:
    temp = run / "tmp"
    for sub in ("body", "proxy"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        # As Debian's nginx.conf: workers drop to www-data; they write only request bodies.
        user = "user www-data;"
        for path in (temp, temp / "body", temp / "proxy"):
            shutil.chown(path, "www-data")
    return f"""{user}
worker_processes 1;
pid {run / "nginx.pid"};
error_log {run / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "proxy"};
    uwsgi_temp_path {temp / "proxy"};
    scgi_temp_path {temp / "proxy"};
    include {server_block};
}}
"""


def static_outdated(static_root: Path) -> bool:
    """collectstatic takes minutes (hashing and compressing 60 MB of vendored assets): run it
    only when an input is newer than its last manifest (--collectstatic forces it)."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    inputs = [ROOT / "pyproject.toml", *(p for p in (ROOT / "static").rglob("*") if p.is_file())]
    for app in ("portal", "complaints", "education", "desa_migran"):
        inputs += [p for p in (ROOT / app / "static").rglob("*") if p.is_file()]
    return any(path.stat().st_mtime > built for path in inputs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, processes: dict, timeout: float = 90) -> bool:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes.values()):
            return False
        try:
            with urllib.request.urlopen(url + "healthz", context=context, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PROD_PORT", "8443")))
    parser.add_argument("--web", type=int, default=1, help="gunicorn instances (nodes)")
    parser.add_argument("--workers", type=int, default=1, help="Celery worker processes")
    parser.add_argument("--no-setup", action="store_true")
    parser.add_argument("--collectstatic", action="store_true", help="run it even if up to date")
    parser.add_argument("--render-nginx", action="store_true")
    args = parser.parse_args()

    var = data_dir()
    run = var / "prod"
    run.mkdir(parents=True, exist_ok=True)
    web_ports = [free_port() for _ in range(args.web)]
    cert, key = (run / "cert.pem", run / "key.pem")
    static_root = Path(os.environ.get("STATIC_ROOT", ROOT / "staticfiles"))
    values = {
        "PORT": str(args.port),
        "SERVER_NAME": "127.0.0.1 localhost",
        "CERT": str(cert),
        "KEY": str(key),
        "STATIC_ROOT": str(static_root),
        "UPSTREAMS": "\n    ".join(f"server 127.0.0.1:{port};" for port in web_ports),
        "ACCESS_LOG": str(run / "nginx-access.log"),
    }
    if args.render_nginx:
        print(render_server_block(values))
        return 0

    nginx = ensure_debian_package("nginx", "nginx")
    cert, key = self_signed_certificate(run)
    origin = f"https://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret_key(var),
        "ACCESS_KEY_PEPPER": secret_key(var, "ACCESS_KEY_PEPPER"),
        "PORTAL_DATA_DIR": str(var),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "CSRF_TRUSTED_ORIGINS": os.environ.get(
            "CSRF_TRUSTED_ORIGINS", f"{origin},https://localhost:{args.port}"
        ),
        # Exactly one proxy (nginx) in front of gunicorn.
        "TRUSTED_PROXY_COUNT": os.environ.get("TRUSTED_PROXY_COUNT", "1"),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [PYTHON, "manage.py"]
    if not args.no_setup:
        for command in (["migrate", "--noinput"], ["load_regions"]):
            subprocess.run(manage + command, cwd=ROOT, env=env, check=True)
    if args.collectstatic or static_outdated(static_root):
        print("collectstatic (hashed names, gzip; a few minutes the first time) ...", flush=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
    server_block = run / "portal.conf"
    server_block.write_text(render_server_block(values))
    main_config = run / "nginx.conf"
    main_config.write_text(nginx_main_config(run=run, server_block=server_block))
    subprocess.run([nginx, "-t", "-q", "-c", str(main_config)], check=True)

    processes: dict[str, subprocess.Popen] = {}
    for index, port in enumerate(web_ports, start=1):
        processes[f"web{index}"] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")],
            cwd=ROOT,
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "PROMETHEUS_MULTIPROC_DIR": str(var / f"prometheus-web{index}"),
            },
        )
    for index in range(1, args.workers + 1):
        processes[f"worker{index}"] = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency",
                os.environ.get("CELERY_CONCURRENCY", "2"),
                "-n",
                f"worker{index}@%h",
            ],
            cwd=ROOT,
            env=env,
        )
    # Exactly one beat, whatever the number of workers.
    processes["beat"] = subprocess.Popen(
        [str(BIN / "celery"), "-A", "portal", "beat", "--loglevel=INFO"], cwd=ROOT, env=env
    )
    processes["nginx"] = subprocess.Popen(
        [nginx, "-c", str(main_config), "-g", "daemon off;"], cwd=run
    )

    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    url = f"{origin}/"
    if wait_healthy(url, processes):
        print(
            f"\n  Portal (production shape): {url}\n"
            f"  Staff admin: {url}admin/    Metrics: {url}metrics (loopback)\n"
            f"  Self-signed certificate: {cert}\n"
            f"  nginx logs: {run}/\n"
            "  Ctrl-C stops nginx, gunicorn, the Celery worker(s) and beat.\n",
            flush=True,
        )
    else:
        print("the stack did not become healthy; stopping", file=sys.stderr, flush=True)
        stopping = True
    while not stopping and all(p.poll() is None for p in processes.values()):
        time.sleep(0.5)
    failed = [name for name, p in processes.items() if p.poll() not in (None, 0)]
    # nginx first (no new requests), then the web servers, workers and beat.
    for name in reversed(list(processes)):
        if processes[name].poll() is None:
            processes[name].send_signal(signal.SIGTERM if name != "nginx" else signal.SIGQUIT)
    for process in processes.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if failed:
        print(f"stopped; these exited first: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
