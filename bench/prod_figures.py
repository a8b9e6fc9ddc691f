"""Figures of `make prod`'s stack, through nginx over HTTPS (run against a running `make prod`).

1. First-visit bytes in Chromium (no cache), JavaScript on and off, for home, the complaint form,
   tracking and a guide: the sum of `encodedDataLength` of every response (headers + compressed
   bodies, as on the wire after TLS), from the DevTools protocol.
2. Throughput and p95 of the complaint form: GET /pengaduan/lapor/ and POST /api/v1/complaints/,
   with N concurrent clients for S seconds each (threads with keep-alive sessions).

    make prod   # in another terminal, with THROTTLE_SUBMIT=1000000/1m for the submit load
    .venv/bin/python bench/prod_figures.py --url https://127.0.0.1:8443 --seconds 20 --clients 8
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

PAGES = {
    "home": "/",
    "form": "/pengaduan/lapor/",
    "track": "/pengaduan/lacak/",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def guide_path(base: str) -> str:
    url = base + "/api/v1/education/articles/"
    answer = requests.get(url, verify=False, timeout=30)  # noqa: S501 - our self-signed cert
    article = answer.json()["results"][0]
    return article.get("url") or f"/panduan/{article['slug']}/"


def first_visit_bytes(base: str, path: str, *, javascript: bool) -> tuple[int, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(ignore_https_errors=True, java_script_enabled=javascript)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        session.on(
            "Network.loadingFinished",
            lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(500)
        browser.close()
    return sum(sizes.values()), len(sizes)


def load(base: str, *, seconds: float, clients: int, submit: bool) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    body = {
        "category": "gaji-tidak-dibayar",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan di Johor Bahru.",
        "origin_region": "35.15",
        "destination_country": "MY",
        "is_anonymous": True,
        "consent": True,
    }

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            if submit:
                response = session.post(
                    base + "/api/v1/complaints/",
                    json=body,
                    timeout=60,
                    verify=False,
                )
                ok = response.status_code == 201
            else:
                response = session.get(
                    base + "/pengaduan/lapor/",
                    headers={"Accept-Encoding": "gzip"},
                    timeout=60,
                    verify=False,
                )
                ok = response.status_code == 200
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="https://127.0.0.1:8443")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    pages = {**PAGES, "guide": guide_path(args.url)}
    print("| page | path | JS on: bytes (responses) | JS off: bytes (responses) |")
    print("| --- | --- | --- | --- |")
    for name, path in pages.items():
        on = first_visit_bytes(args.url, path, javascript=True)
        off = first_visit_bytes(args.url, path, javascript=False)
        print(f"| {name} | `{path}` | {on[0]:,} ({on[1]}) | {off[0]:,} ({off[1]}) |")
    if args.skip_load:
        return
    print(f"\n{args.clients} clients, {args.seconds:.0f} s each:\n")
    print("| request | requests | per second | p50 ms | p95 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, submit in (("GET /pengaduan/lapor/", False), ("POST /api/v1/complaints/", True)):
        figures = load(args.url, seconds=args.seconds, clients=args.clients, submit=submit)
        print(
            f"| {name} | {figures['requests']} | {figures['per_second']:.1f} | "
            f"{figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} | {figures['errors']} |"
        )


if __name__ == "__main__":
    main()
