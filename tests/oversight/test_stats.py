"""Public statistics: small cells suppressed, none derivable from totals; page, CSV, JSON, API."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.choices import Status
from oversight.dashboards.services import dashboard_summary_refresh
from oversight.dashboards.stats import MINIMUM_CELL, SUPPRESSED, suppress
from tests.complaints.factories import CategoryFactory
from tests.oversight.dashboard_support import Spec, complaints_create

matrices = st.integers(min_value=1, max_value=6).flatmap(
    lambda columns: st.lists(
        st.lists(
            st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=columns, max_size=columns
        ),
        min_size=1,
        max_size=6,
    )
)


def _lines(rows: int, columns: int):
    """Every row and column of the extended grid (cells plus their total)."""
    return [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)] + [
        [(i, j) for i in range(rows + 1)] for j in range(columns + 1)
    ]


@settings(max_examples=300, deadline=None)
@given(counts=matrices)
def test_no_published_cell_is_small_and_none_follows_from_a_total(counts):
    # when
    table = suppress(counts)
    rows, columns = len(counts), len(counts[0])
    # then: every value shown is at least 5 and true
    for i in range(rows + 1):
        for j in range(columns + 1):
            shown = table.published(i, j)
            if shown != SUPPRESSED:
                assert shown >= MINIMUM_CELL
                assert shown == table.values[i][j]
    # then: no row or column hides exactly one value (it would be total minus the others)
    for line in _lines(rows, columns):
        hidden = sum(table.published(i, j) == SUPPRESSED for i, j in line)
        assert hidden != 1, line
    # then: the extended grid really adds up (totals are the true sums)
    for i in range(rows):
        assert table.values[i][columns] == sum(counts[i])


def test_a_single_small_cell_takes_its_smallest_neighbours_with_it():
    # given
    counts = [[3, 50, 60], [40, 7, 80]]
    # when
    table = suppress(counts)
    # then: 3 is hidden; in its row the next smallest (50), in its column the 40 go too,
    # and then the 7 closes the rectangle so no column or row hides exactly one value
    assert (0, 0) in table.hidden
    assert (0, 1) in table.hidden
    assert (1, 0) in table.hidden
    assert (1, 1) in table.hidden


@pytest.fixture
def public_data(offices):
    category = CategoryFactory(slug="dash-public")
    specs = [Spec("bp3mi-jatim", category.slug, "MY", "35.04", Status.RECEIVED, False, 1)] * 7 + [
        Spec("bp3mi-jabar", category.slug, "SA", "32.01", Status.RECEIVED, False, 1)
    ] * 2
    complaints_create(
        specs, offices=offices, categories={category.slug: category}, now=timezone.now()
    )
    dashboard_summary_refresh()


def _published_numbers(payload):
    for table in payload["tables"]:
        if "columns" in table:
            for row in table["rows"]:
                yield from [*row["values"], row["total"]]
            yield from [*table["column_totals"], table["grand_total"]]
        elif table["slug"] == "offices":
            yield from [row["complaints"] for row in table["rows"]]


@pytest.mark.django_db
def test_api_publishes_no_small_cell(client, public_data):
    # when
    response = client.get("/api/v1/stats/")
    # then
    assert response.status_code == 200
    payload = response.json()
    assert payload["licence"].startswith("CC BY 4.0")
    numbers = list(_published_numbers(payload))
    assert numbers
    assert all(value == SUPPRESSED or value >= MINIMUM_CELL for value in numbers)
    provinces = next(t for t in payload["tables"] if t["slug"] == "provinces")
    jabar = next(row for row in provinces["rows"] if row["key"] == "32")
    assert jabar["total"] == SUPPRESSED
    # the grand total would give Jawa Barat away if Jawa Timur's 7 stayed visible
    jatim = next(row for row in provinces["rows"] if row["key"] == "35")
    assert jatim["total"] == SUPPRESSED or provinces["grand_total"] == SUPPRESSED


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1999", "3000", "abc", "-1"])
def test_api_rejects_a_bad_year(client, public_data, year):
    response = client.get("/api/v1/stats/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.django_db
def test_public_page_states_the_rule_and_offers_open_data(client, public_data):
    # when
    response = client.get(reverse("oversight:stats"), HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "CC BY 4.0" in html
    assert "&lt;5" in html
    assert reverse("oversight:stats_json") in html
    bad = client.get(reverse("oversight:stats"), {"year": "3000"})
    assert bad.status_code == 200
    assert list(bad.context["messages"])


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["categories", "countries", "provinces", "offices", "villages"])
def test_every_public_table_downloads_as_csv(client, public_data, table):
    # when
    response = client.get(reverse("oversight:stats_csv", args=[table]))
    # then
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[-1][0].startswith("# CC BY 4.0")
    for row in rows[1:-2]:
        for cell in row[2:]:
            if cell.isdigit() and table != "villages":
                assert int(cell) >= MINIMUM_CELL


@pytest.mark.django_db
def test_json_download_matches_the_api(client, public_data):
    api = client.get("/api/v1/stats/").json()
    download = client.get(reverse("oversight:stats_json")).json()
    assert api["tables"] == download["tables"]


@pytest.mark.django_db
def test_stats_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/stats/" in response.json()["paths"]


@pytest.mark.django_db
def test_data_time_is_written_for_people_not_as_an_iso_timestamp(client, offices):
    # given: figures compiled at a known moment
    import re

    import time_machine

    with time_machine.travel("2026-11-20 03:32:27+00:00", tick=False):
        dashboard_summary_refresh()
        # when
        html = client.get(reverse("oversight:stats"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    # then: Jakarta time, month in words
    assert "Data per 20 November 2026, 10:32 WIB" in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", html)
