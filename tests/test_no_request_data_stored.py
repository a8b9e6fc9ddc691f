"""Issue 9: the portal keeps no request metadata. A marker IP (REMOTE_ADDR and X-Forwarded-For)
and a marker user agent sent through every public form and public API endpoint appear nowhere in
the database afterwards (every text, character, JSON and inet column of every table, one query
per column) nor in any log record (all loggers at DEBUG)."""

from __future__ import annotations

import logging
import re
import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.complaints.triage_support import category_ensure

pytestmark = [pytest.mark.django_db(transaction=True)]

MARKER_IP = "203.0.113.77"  # TEST-NET-3, never a real client
MARKER_FORWARDED = "198.51.100.177"  # TEST-NET-2
MARKER_AGENT = "MarkerAgent/9.9 (zq7xv-no-store)"
MARKERS = (MARKER_IP, MARKER_FORWARDED, MARKER_AGENT, "zq7xv")
SCANNED_TYPES = ("text", "character varying", "character", "json", "jsonb", "inet", "cidr")


@pytest.fixture
def client_with_markers(reference_data, settings) -> Client:
    category_ensure()
    cache.clear()
    return Client(
        REMOTE_ADDR=MARKER_IP,
        HTTP_X_FORWARDED_FOR=f"{MARKER_FORWARDED}, {MARKER_IP}",
        HTTP_X_REAL_IP=MARKER_FORWARDED,
        HTTP_USER_AGENT=MARKER_AGENT,
        HTTP_ACCEPT_LANGUAGE="id",
    )


def _submission_token(html: str) -> str:
    match = re.search(r'name="submission_token" value="([^"]+)"', html)
    assert match, "the complaint form has no submission token"
    return match.group(1)


def exercise_every_public_endpoint(client: Client) -> None:
    """Each public form (complaint, tracking, reporter message, language switch, searches) and
    public API endpoint once, successfully."""
    # web form: submit, track, reporter message
    form = client.get("/pengaduan/lapor/")
    assert form.status_code == 200
    response = client.post(
        "/pengaduan/lapor/",
        {
            "submission_token": _submission_token(form.content.decode()),
            "filer_relation": "self",
            "category": "gaji-tidak-dibayar",
            "in_danger": "no",
            "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan saya.",
            "destination_country": "MY",
            "origin_province": "35",
            "origin_region": "35.04",
            "is_procedural": "",
            "reporter_name": "Siti Aminah",
            "phone": "081234567890",
            "consent": "on",
        },
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    receipt = response.context["receipt"]
    credentials = {"reference": receipt.reference, "access_key": receipt.access_key}
    assert client.post("/pengaduan/lacak/", credentials).status_code == 200
    message = client.post("/pengaduan/lacak/", {**credentials, "body": "Saya sudah aman."})
    assert message.status_code == 200
    # public API: submit, track, messages
    response = client.post(
        "/api/v1/complaints/",
        {
            "category": "gaji-tidak-dibayar",
            "description": "Paspor saya ditahan oleh agen penempatan di Kuala Lumpur.",
            "origin_region": "35.04",
            "destination_country": "MY",
            "consent": True,
            "phone": "081234567891",
            "submission_token": secrets.token_urlsafe(32),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    credentials = {
        "reference": response.json()["reference"],
        "access_key": response.json()["access_key"],
    }
    track = client.post("/api/v1/complaints/track/", credentials, content_type="application/json")
    assert track.status_code == 200, track.content
    message = client.post(
        "/api/v1/complaints/messages/",
        {**credentials, "body": "Mohon dibantu."},
        content_type="application/json",
    )
    assert message.status_code in {200, 201}, message.content
    # the language switch in the header
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/panduan/"})
    assert switched.status_code == 302
    client.cookies.pop("django_language", None)
    # reading: education search, village directory search, outreach, statistics
    for url in (
        "/panduan/cari/?q=gaji",
        "/api/v1/education/articles/?search=gaji",
        "/desa-migran/?q=sumber",
        "/api/v1/villages/?q=sumber",
        "/api/v1/outreach/",
        "/api/v1/stats/",
        "/statistik/",
        "/api/v1/complaint-categories/",
    ):
        assert client.get(url).status_code == 200, url


def columns_to_scan() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type = ANY(%s)
            ORDER BY c.table_name, c.column_name
            """,
            [list(SCANNED_TYPES)],
        )
        return cursor.fetchall()


def marker_hits() -> list[tuple[str, str, str]]:
    quote = connection.ops.quote_name
    hits = []
    with connection.cursor() as cursor:
        for table, column in columns_to_scan():
            for marker in MARKERS:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the catalogue
                    f"WHERE {quote(column)}::text ILIKE %s",
                    [f"%{marker}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append((table, column, marker))
    return hits


def test_marker_ip_and_user_agent_are_stored_nowhere(postgres, client_with_markers, caplog):
    # given: every logger at DEBUG, captured
    caplog.set_level(logging.DEBUG)
    tables_before = len(columns_to_scan())
    # when: the marker client uses every public form and API endpoint
    exercise_every_public_endpoint(client_with_markers)
    # then: the scan covers the complaint tables, and finds the markers in no column
    scanned = columns_to_scan()
    assert len(scanned) == tables_before
    assert {"complaints_complaint", "complaints_complaintevent"} <= {t for t, _ in scanned}
    assert marker_hits() == []
    # and in no log record (message, arguments or extra attributes)
    leaks = [
        record.name
        for record in caplog.records
        if any(marker in repr(vars(record)) + record.getMessage() for marker in MARKERS)
    ]
    assert leaks == []


def test_the_scan_finds_a_marker_where_one_is_stored(postgres, client_with_markers):
    """The scan itself can fail: a marker written to a text column is found."""
    # given
    from complaints.models import Complaint

    exercise_every_public_endpoint(client_with_markers)
    complaint = Complaint.objects.order_by("id").first()
    Complaint.objects.filter(pk=complaint.pk).update(destination_city=MARKER_AGENT)
    # when / then
    assert ("complaints_complaint", "destination_city", MARKER_AGENT) in marker_hits()
