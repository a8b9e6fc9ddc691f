"""The load mix of `make load` (run by bench/load.py; not a benchmark script of its own).

Who uses the portal, by weight: workers reading guides (most), workers submitting through the
API and tracking, officers reading their queue, the ministry reading its dashboard. Every
reference answered with 201 is appended to LOAD_REFERENCES_FILE for the reconciliation.

Settings come from the environment bench/load.py sets: LOAD_REFERENCES_FILE, LOAD_STAFF_TOKEN,
LOAD_MINISTRY_USERNAME, LOAD_MINISTRY_PASSWORD, LOAD_ARTICLE_SLUG.
"""

from __future__ import annotations

import os
import random
import re
import secrets

from locust import HttpUser, between, task

REFERENCES_FILE = os.environ.get("LOAD_REFERENCES_FILE", "")
STAFF_TOKEN = os.environ.get("LOAD_STAFF_TOKEN", "")
MINISTRY_USERNAME = os.environ.get("LOAD_MINISTRY_USERNAME", "")
MINISTRY_PASSWORD = os.environ.get("LOAD_MINISTRY_PASSWORD", "")
ARTICLE_SLUG = os.environ.get("LOAD_ARTICLE_SLUG", "")
LANGUAGE = {"Accept-Language": "id"}

# Regencies of the demo offices' provinces (each has a BP3MI) and the common destinations.
REGIONS = ["35.04", "35.15", "35.07", "32.01", "32.04", "33.01", "52.01"]
COUNTRIES = ["MY", "SA", "TW", "HK", "SG", "KR"]
CATEGORIES = ["gaji-tidak-dibayar", "dokumen-ditahan", "kekerasan-majikan", "ingin-pulang"]


def _record(reference: str) -> None:
    # One short append per line: atomic under O_APPEND, so concurrent users never interleave.
    with open(REFERENCES_FILE, "a", encoding="ascii") as handle:
        handle.write(reference + "\n")


def trust_the_stack(client) -> None:
    """LOAD_NODES=2 runs over TLS with make prod's self-signed certificate: trust exactly it."""
    if os.environ.get("LOAD_CA_BUNDLE"):
        client.verify = os.environ["LOAD_CA_BUNDLE"]


class Worker(HttpUser):
    """A migrant worker (or family member) on a phone: reads guides, files, tracks."""

    weight = 8
    wait_time = between(1, 4)

    def on_start(self) -> None:
        trust_the_stack(self.client)
        self.credentials: list[dict] = []

    @task(6)
    def read_guides(self) -> None:
        self.client.get("/panduan/", headers=LANGUAGE, name="/panduan/")
        if ARTICLE_SLUG:
            self.client.get(
                f"/panduan/{ARTICLE_SLUG}/", headers=LANGUAGE, name="/panduan/<article>/"
            )

    @task(2)
    def submit(self) -> None:
        body = {
            "category": random.choice(CATEGORIES),
            "description": "Gaji saya tidak dibayar selama tiga bulan dan paspor saya ditahan.",
            "origin_region": random.choice(REGIONS),
            "destination_country": random.choice(COUNTRIES),
            "consent": True,
            "in_danger": random.random() < 0.1,
            "reporter_name": "Pekerja Uji Beban",
            "phone": f"0812{random.randint(10_000_000, 99_999_999)}",
            "submission_token": secrets.token_urlsafe(32),
        }
        with self.client.post(
            "/api/v1/complaints/",
            json=body,
            headers=LANGUAGE,
            name="/api/v1/complaints/",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                receipt = response.json()
                _record(receipt["reference"])
                self.credentials.append(
                    {"reference": receipt["reference"], "access_key": receipt["access_key"]}
                )
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def track(self) -> None:
        if not self.credentials:
            return
        self.client.post(
            "/api/v1/complaints/track/",
            json=random.choice(self.credentials),
            headers=LANGUAGE,
            name="/api/v1/complaints/track/",
        )


class Officer(HttpUser):
    """A BP3MI officer's client polling the queue through the staff API."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self) -> None:
        trust_the_stack(self.client)

    @task
    def queue(self) -> None:
        self.client.get(
            "/api/v1/staff/complaints/",
            headers={"Authorization": f"Token {STAFF_TOKEN}", **LANGUAGE},
            name="/api/v1/staff/complaints/",
        )


class Ministry(HttpUser):
    """An analyst at the ministry reading the dashboard (session sign-in, second factor off)."""

    fixed_count = 1  # one analyst whatever the user count
    wait_time = between(5, 15)

    def on_start(self) -> None:
        trust_the_stack(self.client)
        page = self.client.get("/admin/login/", name="/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/admin/login/?next=/admin/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": MINISTRY_USERNAME,
                "password": MINISTRY_PASSWORD,
            },
            headers={"Referer": f"{self.host}/admin/login/"},
            name="/admin/login/",
        )

    @task
    def dashboard(self) -> None:
        with self.client.get(
            "/dashboard/", headers=LANGUAGE, name="/dashboard/", catch_response=True
        ) as response:
            # Signed out, the dashboard redirects to the sign-in page: not a dashboard read.
            if response.status_code == 200 and "/admin/login/" not in response.url:
                response.success()
            else:
                response.failure(f"{response.status_code} at {response.url}")
