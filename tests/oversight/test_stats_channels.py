"""Public statistics by channel: counted from the complaints' channel and month of receipt (in
Jakarta time), small cells suppressed like every other public table; page, API and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Complaint
from oversight.dashboards.services import dashboard_summary_refresh
from tests.complaints.factories import ComplaintFactory, categories_ensure

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 4, 15, 5, 0, tzinfo=dt.UTC)  # 12:00 in Jakarta, mid-April
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]
# Complaints received per channel and month (January to April); zero included.
RECEIVED = {
    "web": [23, 31, 12, 9],
    "walk_in": [6, 2, 8, 0],
    "whatsapp": [0, 7, 0, 11],
    "email": [1, 0, 0, 0],
    "phone": [14, 16, 18, 20],
}
HIDDEN = "<5"
SMALL = 5  # the published rule: a cell counting fewer than 5 complaints is never shown


def _local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def _create(channel: str, when: dt.datetime, count: int) -> None:
    built = [
        ComplaintFactory.build(access_key_hash="!unusable-stats-test", channel=channel)
        for _ in range(count)
    ]
    created = Complaint.objects.bulk_create(built)
    for complaint in created:
        complaint.created_at = when
    Complaint.objects.bulk_update(created, ["created_at"])


@pytest.fixture
def channel_data(offices):
    categories_ensure()
    with time_machine.travel(NOW, tick=False):
        for channel, per_month in RECEIVED.items():
            for month, count in enumerate(per_month, start=1):
                if count:
                    _create(channel, _local(2026, month, 10), count)
        # Outside the year (Jakarta time): 2025-12-31 23:30 WIB is 2025, never counted.
        _create("web", _local(2025, 12, 31, 23, 30), 3)
        dashboard_summary_refresh()
        # Received after the summary the other tables come from: not counted until the next one.
        _create("sms", timezone.now(), 6)
    return RECEIVED


def _expected_grid(received: dict[str, list[int]]) -> tuple[list[str], list[list[int]]]:
    """Rows = the channels with a complaint in the year; the extended grid with row totals, a
    totals row and the grand total, from the data the test created."""
    channels = [channel for channel, counts in received.items() if sum(counts)]
    grid = [[*received[channel], sum(received[channel])] for channel in channels]
    grid.append([sum(row[j] for row in grid) for j in range(len(MONTHS) + 1)])
    return channels, grid


def _published_grid(table: dict, channels: list[str]) -> list[list]:
    rows = {row["key"]: [*row["values"], row["total"]] for row in table["rows"]}
    return [rows[channel] for channel in channels] + [
        [*table["column_totals"], table["grand_total"]]
    ]


@time_machine.travel(NOW, tick=False)
def test_channel_table_counts_each_channel_per_month_and_suppresses_small_cells(
    client, channel_data
):
    # when
    payload = client.get("/api/v1/stats/", {"year": 2026}).json()
    table = next(t for t in payload["tables"] if t["slug"] == "channels")
    # then: the rows are the channels that brought complaints this year, nothing else
    channels, truth = _expected_grid(channel_data)
    assert table["columns"] == MONTHS
    assert sorted(row["key"] for row in table["rows"]) == sorted(channels)
    shown = _published_grid(table, channels)
    rows, columns = len(truth), len(truth[0])
    for i in range(rows):
        for j in range(columns):
            if truth[i][j] < SMALL:
                # primary suppression: every small cell, zero included, totals included
                assert shown[i][j] == HIDDEN, (channels[i] if i < len(channels) else "total", j)
            else:
                # anything shown is the true count
                assert shown[i][j] in (HIDDEN, truth[i][j])
    # secondary suppression: no row or column of the grid (cells and their total) hides
    # exactly one value, which would be the total minus the others
    lines = [[(i, j) for j in range(columns)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(columns)
    ]
    for line in lines:
        assert sum(shown[i][j] == HIDDEN for i, j in line) != 1, line
    # and nothing is hidden without need: the large rows that only meet large cells stay
    # visible (phone has no small cell, and its column partners are not forced by it)
    web = channels.index("web")
    assert shown[web][1] == 31


@time_machine.travel(NOW, tick=False)
def test_channel_grand_total_is_the_same_complaints_as_the_other_tables(client, channel_data):
    payload = client.get("/api/v1/stats/", {"year": 2026}).json()
    by_slug = {t["slug"]: t for t in payload["tables"]}
    expected_total = sum(sum(counts) for counts in channel_data.values())
    assert by_slug["channels"]["grand_total"] == expected_total
    # the category table is built from the summary; both count the same complaints
    assert by_slug["categories"]["grand_total"] == expected_total
    assert "sms" not in {row["key"] for row in by_slug["channels"]["rows"]}


@time_machine.travel(NOW, tick=False)
def test_channel_table_is_on_the_page_and_downloads_as_csv(client, channel_data):
    page = client.get("/statistik/", {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Complaints per month by channel" in html
    assert "Walk-in at the office" in html
    response = client.get("/statistik/data/channels.csv", {"year": 2026})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["key", "label", *MONTHS, "total"]
    email = next(line for line in lines if line and line[0] == "email")
    assert email[2:] == [HIDDEN] * 5


def test_no_summary_yet_publishes_an_empty_channel_table(client, offices):
    categories_ensure()
    _create("web", timezone.now(), 7)
    payload = client.get("/api/v1/stats/").json()
    table = next(t for t in payload["tables"] if t["slug"] == "channels")
    assert table["rows"] == []
