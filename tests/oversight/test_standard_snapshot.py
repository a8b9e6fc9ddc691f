"""The first screen's snapshot of the default views (oversight.standard.snapshot): taken by the
beat task, read by the dashboard and the offices API without touching the complaints table,
equal to the live figures of its instant; other views are computed at their first request and
kept until a complaint changes; the default view of a scope without a snapshot stays live."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from oversight.dashboards.models import ComplaintChange
from oversight.tasks import refresh_first_screen
from portal.beat import beat_schedule
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-11-18T10:00:00+07:00")
API = "/api/v1/oversight/offices/"
FIRST_SCREEN = ("offices", "ministry_queue", "backlog_age", "breaches_week", "oldest_open")


@pytest.fixture(autouse=True)
def frozen_and_clean_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()  # no snapshot leaks into another test of the same day


def _complaints(offices, *, count: int, office: str = "p4mi-tulungagung"):
    """`count` open complaints received 30 days ago whose verification target was missed."""
    created = Complaint.objects.bulk_create(
        [
            ComplaintFactory.build(
                access_key_hash="!unusable-snapshot-test",
                office=offices[office],
                status="received",
                due_at=None,
            )
            for _ in range(count)
        ]
    )
    for complaint in created:
        complaint.created_at = NOW - timedelta(days=30)
        complaint.standard_verify_due_at = NOW - timedelta(days=25)
        complaint.standard_first_response_due_at = NOW - timedelta(days=23)
        complaint.standard_resolve_due_at = NOW + timedelta(days=10)
        complaint.verify_breached_at = complaint.standard_verify_due_at
    Complaint.objects.bulk_update(
        created,
        [
            "created_at",
            "standard_verify_due_at",
            "standard_first_response_due_at",
            "standard_resolve_due_at",
            "verify_breached_at",
        ],
    )
    return created


def _first_screen(client, **params):
    response = client.get(reverse("oversight:dashboard"), params)
    assert response.status_code == 200
    return {slug: response.context["tables"][slug].rows for slug in FIRST_SCREEN}


def _complaint_scans(queries) -> list[str]:
    """The first screen's aggregates over the complaints table (the board, backlog by age,
    missed targets per week, open work by level); the oldest-open list stays live."""
    markers = (
        "GROUPING SETS",
        "width_bucket",
        "CROSS JOIN LATERAL",
        '"escalation_level" AS "escalation_level", COUNT(',
    )
    return [
        q["sql"]
        for q in queries
        if "complaints_complaint" in q["sql"] and any(marker in q["sql"] for marker in markers)
    ]


def test_default_view_reads_the_snapshot_with_the_live_figures_and_no_complaint_scan(
    client, offices, make_staff
):
    # given: complaints in two BP3MIs, the page computed live, then the snapshot taken
    _complaints(offices, count=3)
    _complaints(offices, count=2, office="bp3mi-jabar")
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    live = _first_screen(client)
    live_api = client.get(API).json()
    # when
    taken = refresh_first_screen()
    with CaptureQueriesContext(connection) as queries:
        snapshot = _first_screen(client)
        snapshot_api = client.get(API).json()
    # then: the same figures, without aggregating the complaints table
    assert taken >= 1
    assert snapshot == live
    assert snapshot_api == live_api
    assert snapshot["ministry_queue"][-1][1:3] == [5, 5]
    assert _complaint_scans(queries.captured_queries) == []


def test_snapshot_keeps_its_instant_until_the_next_refresh_and_other_views_stay_live(
    client, offices, make_staff
):
    # given: a snapshot of 3 open complaints, then 4 more received
    _complaints(offices, count=3)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    refresh_first_screen()
    _complaints(offices, count=4)
    # when
    default = client.get(API).json()
    other_period = client.get(API, {"from": "2026-10-01"}).json()
    refresh_first_screen()
    refreshed = client.get(API).json()
    # then: the default view shows the snapshot's figures; another period and the next
    # snapshot count all 7
    assert default["total"]["open"] == 3
    assert other_period["total"]["open"] == 7
    assert refreshed["total"]["open"] == 7


def test_head_reads_the_snapshot_of_their_own_scope(client, offices, make_staff):
    # given: complaints in Jawa Timur (a post) and Jawa Barat; the head of Jawa Timur
    _complaints(offices, count=2)
    _complaints(offices, count=4, office="bp3mi-jabar")
    head = make_staff("bp3mi-jatim", "head")
    client.force_login(head)
    live_workload = client.get(reverse("oversight:dashboard")).context["tables"]["workload"].rows
    # when
    refresh_first_screen()
    with CaptureQueriesContext(connection) as queries:
        body = client.get(API).json()
        tables = _first_screen(client)
        workload = client.get(reverse("oversight:dashboard")).context["tables"]["workload"].rows
    # then: their scope's figures only, from the snapshot
    assert body["total"]["open"] == 2
    assert {entry["office"] for entry in body["offices"]} >= {"bp3mi-jatim", "p4mi-tulungagung"}
    assert "bp3mi-jabar" not in {entry["office"] for entry in body["offices"]}
    assert tables["ministry_queue"][-1][1] == 2
    assert _complaint_scans(queries.captured_queries) == []
    # the officers' workload too (a head's page), as it was live
    assert workload == live_workload
    assert workload[0][1] == 2
    assert not [q for q in queries.captured_queries if '"assignee_id" AS "assignee_id"' in q["sql"]]


def test_without_a_snapshot_the_default_view_is_live(client, offices, make_staff):
    # given: a snapshot taken, then dropped (expired)
    _complaints(offices, count=3)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    refresh_first_screen()
    cache.clear()
    _complaints(offices, count=1)
    # when
    body = client.get(API).json()
    # then
    assert body["total"]["open"] == 4


def test_beat_takes_the_snapshots_every_refresh_interval():
    schedule = beat_schedule(escalation_interval_seconds=60)
    entry = schedule["refresh-first-screen"]
    assert entry["task"] == "oversight.refresh_first_screen"
    assert entry["schedule"] == 300.0


def test_page_says_the_first_screen_is_as_of_the_snapshot_and_live_otherwise(
    client, offices, make_staff
):
    # given: a snapshot taken at NOW, read two minutes later
    _complaints(offices, count=1)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    refresh_first_screen()
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        # when
        default = client.get(reverse("oversight:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
        other = client.get(
            reverse("oversight:dashboard"), {"date_from": "2026-10-01"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    # then
    assert default.context["snapshot"].now == NOW
    assert "(taken every 5 minutes)" in default.content.decode()
    assert other.context["snapshot"].now == NOW + timedelta(minutes=2)
    assert "(taken every 5 minutes)" not in other.content.decode()
    assert "computed for this view at its first request" in other.content.decode()


def _filtered_view(client, params):
    response = client.get(reverse("oversight:dashboard"), params)
    assert response.status_code == 200
    rows = {slug: response.context["tables"][slug].rows for slug in FIRST_SCREEN}
    rows.pop("oldest_open")  # always live
    return rows


def test_a_filtered_view_is_computed_once_until_a_complaint_changes(client, offices, make_staff):
    # given: complaints of East Java's post and of West Java, and a view of one period
    _complaints(offices, count=3)
    _complaints(offices, count=2, office="bp3mi-jabar")
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    view = {"date_from": "2026-10-01"}
    # when: the page, then (no complaint changed) the page again, a CSV and the offices API
    first = _filtered_view(client, view)
    with CaptureQueriesContext(connection) as queries:
        again = _filtered_view(client, view)
        csv = client.get(reverse("oversight:dashboard_csv", args=["backlog_age"]), view)
        api = client.get(API, {"from": "2026-10-01"}).json()
    # then: the same figures, and the complaints table was not aggregated again
    assert again == first
    assert first["ministry_queue"][-1][1] == 5
    assert csv.status_code == 200
    assert api["total"]["open"] == 5
    assert _complaint_scans(queries.captured_queries) == []

    # when: a complaint arrives, and one is finished
    (arrived,) = _complaints(offices, count=1)
    Complaint.objects.filter(pk=arrived.pk).update(status="resolved")
    _complaints(offices, count=1, office="bp3mi-jabar")
    with CaptureQueriesContext(connection) as queries:
        after = _filtered_view(client, view)
    # then: the view is computed again, with them
    assert after["ministry_queue"][-1][1] == 6
    assert _complaint_scans(queries.captured_queries) != []


def test_a_view_kept_for_one_scope_is_never_served_to_another(client, offices, make_staff):
    # given: the analyst's view of a period taken first (every office's complaints)
    _complaints(offices, count=2)
    _complaints(offices, count=4, office="bp3mi-jabar")
    view = {"date_from": "2026-10-01"}
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    national = _filtered_view(client, view)
    # when: the head of East Java asks for the same view
    client.force_login(make_staff("bp3mi-jatim", "head"))
    head = _filtered_view(client, view)
    head_api = client.get(API, {"from": "2026-10-01"}).json()
    # then: their own office's figures only
    assert national["ministry_queue"][-1][1] == 6
    assert head["ministry_queue"][-1][1] == 2
    assert head_api["total"]["open"] == 2
    assert "bp3mi-jabar" not in {entry["office"] for entry in head_api["offices"]}


def test_a_role_that_cannot_read_the_change_counter_gets_the_view_live(
    client, offices, make_staff, caplog
):
    # given: the portal's database role may use every table and sequence but the change log's
    # sequence (as a replica reached with a reader role of its own may not)
    _complaints(offices, count=3)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    role = f"dash_reader_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(
            f"REVOKE ALL ON SEQUENCE {ComplaintChange._meta.db_table}_id_seq FROM {role}"
        )
        cursor.execute(f"SET ROLE {role}")
    try:
        # when: a filtered view, twice, with a complaint arriving in between
        first = _filtered_view(client, {"date_from": "2026-10-01"})
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        _complaints(offices, count=1)
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
        with CaptureQueriesContext(connection) as queries:
            second = _filtered_view(client, {"date_from": "2026-10-01"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    # then: both answered, computed live each time (nothing kept), with the figures of then
    assert first["ministry_queue"][-1][1] == 3
    assert second["ministry_queue"][-1][1] == 4
    assert _complaint_scans(queries.captured_queries) != []
    assert "change counter unreadable" in caplog.text
