"""Dashboard pages: access, scope, filters (good and bad), CSV exports, query counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.choices import Status
from oversight.dashboards.services import dashboard_summary_refresh
from tests.complaints.factories import AgencyFactory, CategoryFactory
from tests.oversight.dashboard_support import Spec, complaints_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(offices):
    """Complaints in Jawa Timur (and its Tulungagung post) and in Jawa Barat, then a refresh."""
    category = CategoryFactory(slug="dash-view-wages")
    agency = AgencyFactory(name="PT Jatim Sejahtera")
    now = timezone.now()
    specs = (
        [
            Spec(
                "bp3mi-jatim",
                category.slug,
                "MY",
                "35.04",
                Status.RECEIVED,
                True,
                30,
                due_in_hours=-5,
                agency=agency,
                employer_name="Syarikat Contoh",
            )
        ]
        * 4
        + [
            Spec(
                "p4mi-tulungagung",
                category.slug,
                "HK",
                "35.04",
                Status.IN_PROGRESS,
                False,
                50,
                verify_after=2,
                respond_after=20,
                employer_name=" syarikat contoh",
            )
        ]
        * 2
        + [
            Spec(
                "bp3mi-jabar",
                category.slug,
                "SA",
                "32.01",
                Status.RESOLVED,
                False,
                200,
                verify_after=3,
                respond_after=30,
                resolve_after=100,
                employer_name="Syarikat Contoh",
            )
        ]
        * 7
    )
    complaints_create(specs, offices=offices, categories={category.slug: category}, now=now)
    dashboard_summary_refresh()
    return {"category": category, "agency": agency}


@pytest.fixture
def minister(make_staff):
    return make_staff("kemenp2mi", "ministry_analyst")


@pytest.fixture
def head_jatim(make_staff):
    return make_staff("bp3mi-jatim", "head")


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode())))


def test_ministry_dashboard_shows_every_office_with_charts_and_tables(client, minister, data):
    # given
    client.force_login(minister)
    # when
    response = client.get(reverse("oversight:dashboard"))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "BP3MI Jawa Barat" in html
    assert "BP3MI Jawa Timur" in html
    assert html.count("<svg") >= 8
    assert html.count("<title id=") == html.count("<svg")
    assert 'id="offices"' in html
    assert 'id="sla"' in html
    assert 'id="villages_status"' in html
    assert response.context["totals"] == {"complaints": 13, "urgent": 4}


def test_dashboard_query_count_does_not_grow_with_the_data(
    client, minister, data, offices, django_assert_max_num_queries
):
    # given
    client.force_login(minister)
    client.get(reverse("oversight:dashboard"))
    specs = [
        Spec("bp3mi-dki", data["category"].slug, "TW", "31.71", Status.RECEIVED, False, 5)
    ] * 30
    complaints_create(
        specs,
        offices=offices,
        categories={data["category"].slug: data["category"]},
        now=timezone.now(),
    )
    dashboard_summary_refresh()
    # when / then: a fixed budget, whatever the number of complaints, offices or categories
    with django_assert_max_num_queries(35):
        response = client.get(reverse("oversight:dashboard"))
    assert response.context["totals"]["complaints"] == 43


def test_filtered_dashboard_query_count_does_not_grow_with_the_data(
    client, minister, data, offices, django_assert_max_num_queries
):
    # given: a province + country view (the ledger, not the marginals)
    client.force_login(minister)
    params = {"province": "31", "country": "TW"}
    client.get(reverse("oversight:dashboard"), params)
    specs = [
        Spec("bp3mi-dki", data["category"].slug, "TW", "31.71", Status.RECEIVED, False, 5)
    ] * 30
    complaints_create(
        specs,
        offices=offices,
        categories={data["category"].slug: data["category"]},
        now=timezone.now(),
    )
    dashboard_summary_refresh()
    # when / then: the same budget as the default view, whatever the data
    with django_assert_max_num_queries(35):
        response = client.get(reverse("oversight:dashboard"), params)
    assert response.context["totals"]["complaints"] == 30
    assert response.context["tables"]["by_country"].rows == [["Taiwan", 30]]


def test_head_filtering_by_another_province_sees_none_of_its_offices(client, head_jatim, data):
    # given: Jawa Barat's complaints come from province 32, outside the head's offices
    client.force_login(head_jatim)
    # when
    response = client.get(reverse("oversight:dashboard"), {"province": "32", "country": "SA"})
    # then: a filtered view of their own offices only, which received nothing from there
    assert list(response.context["messages"]) == []
    assert response.context["totals"] == {"complaints": 0, "urgent": 0}
    html = response.content.decode()
    assert "BP3MI Jawa Barat" not in html.split('id="offices"')[1].split("</section>")[0]
    rows = _csv(client.get(reverse("oversight:dashboard_csv", args=["sla"]), {"province": "32"}))
    assert all("Jawa Barat" not in row[0] for row in rows[1:])


def test_head_sees_only_their_office_and_posts_below(client, head_jatim, data):
    # given
    client.force_login(head_jatim)
    # when
    response = client.get(reverse("oversight:dashboard"))
    # then
    assert response.status_code == 200
    assert response.context["totals"] == {"complaints": 6, "urgent": 4}
    html = response.content.decode()
    assert "BP3MI Jawa Barat" not in html.split('id="offices"')[1].split("</section>")[0]
    assert 'id="workload"' in html
    rows = _csv(client.get(reverse("oversight:dashboard_csv", args=["by_country"])))
    assert dict(rows[1:]) == {"Malaysia": "4", "Hong Kong": "2"} or dict(rows[1:]) == {
        "Malaysia": "4",
        "Hongkong": "2",
    }


def test_head_cannot_filter_on_another_office(client, head_jatim, data, offices):
    # given
    client.force_login(head_jatim)
    # when
    response = client.get(reverse("oversight:dashboard"), {"office": offices["bp3mi-jabar"].pk})
    # then: a message, the default view, and still only their own figures
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("outside your scope" in t or "di luar cakupan" in t for t in texts)
    assert response.context["totals"]["complaints"] == 6


def test_head_drilldown_lists_only_their_complaints(client, head_jatim, data, offices):
    # given
    client.force_login(head_jatim)
    # when
    response = client.get(reverse("oversight:dashboard_complaints"), {"status": "resolved"})
    everything = client.get(reverse("oversight:dashboard_complaints"))
    # then
    assert response.context["complaints"] == []
    offices_seen = {c.office_id for c in everything.context["complaints"]}
    assert offices_seen == {offices["bp3mi-jatim"].pk, offices["p4mi-tulungagung"].pk}


def test_officer_without_head_role_is_refused(client, make_staff, data):
    # given
    officer = make_staff("bp3mi-jatim", "officer")
    client.force_login(officer)
    # when / then
    assert client.get(reverse("oversight:dashboard")).status_code == 403
    assert client.get(reverse("oversight:dashboard_csv", args=["by_category"])).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login(client, data):
    url = reverse("oversight:dashboard")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={quote(url, safe='')}"
    assert b"<table" not in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-05-01", "date_to": "2026-01-01"},  # reversed
        {"date_from": "1900-01-01"},  # absurd
        {"date_to": "3000-12-31"},  # absurd
        {"date_from": "kemarin"},  # unparsable
        {"date_from": "2026-02-30"},  # no such day
        {"province": "99"},  # unknown province
        {"province": "35.04"},  # a regency, not a province
        {"office": "999999"},  # unknown office
        {"office": "bp3mi-jatim"},  # not an id
        {"category": "abc"},
        {"country": "XX"},
        {"country": "<script>"},
    ],
)
def test_bad_filters_give_a_message_and_the_default_view(client, minister, data, params):
    # given
    client.force_login(minister)
    # when
    response = client.get(reverse("oversight:dashboard"), params)
    # then
    assert response.status_code == 200
    assert len(list(response.context["messages"])) >= 2
    assert response.context["totals"]["complaints"] == 13
    today = timezone.localdate()
    assert response.context["filters"].date_to == today
    csv_response = client.get(reverse("oversight:dashboard_csv", args=["by_status"]), params)
    assert csv_response.status_code == 200


def test_filters_narrow_every_table(client, minister, data, offices):
    # given
    client.force_login(minister)
    today = timezone.localdate()
    # when
    response = client.get(
        reverse("oversight:dashboard"),
        {
            "date_from": (today - timedelta(days=3)).isoformat(),
            "date_to": today.isoformat(),
            "province": "35",
            "office": offices["bp3mi-jatim"].pk,
            "category": data["category"].pk,
            "country": "MY",
        },
    )
    # then
    assert list(response.context["messages"]) == []
    assert response.context["totals"]["complaints"] == 4
    agency_rows = response.context["tables"]["by_agency"].rows
    assert agency_rows == [["PT Jatim Sejahtera", 4]]


def test_every_dashboard_table_exports_csv(client, minister, data):
    # given
    client.force_login(minister)
    page = client.get(reverse("oversight:dashboard"))
    # when / then
    for slug, table in page.context["tables"].items():
        response = client.get(reverse("oversight:dashboard_csv", args=[slug]))
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("text/csv")
        rows = _csv(response)
        assert rows[0] == table.headers
        assert len(rows) - 1 == len(table.rows)
    assert client.get(reverse("oversight:dashboard_csv", args=["nope"])).status_code == 404


def test_watchlist_counts_agencies_and_exports(client, minister, data):
    # given
    client.force_login(minister)
    # when
    response = client.get(reverse("oversight:watchlist"))
    # then
    assert response.status_code == 200
    p3mi = next(t for t in response.context["tables"] if t.slug == "p3mi")
    linked = [row for row in p3mi.rows if row[0] == "PT Jatim Sejahtera"]
    assert linked
    assert linked[0][2] == 4
    repeat = next(t for t in response.context["tables"] if t.slug == "repeat")
    assert any("PT Jatim Sejahtera" in row[0] for row in repeat.rows)
    for slug in ("p3mi", "foreign_agency", "employer", "repeat", "categories"):
        assert client.get(reverse("oversight:watchlist_csv", args=[slug])).status_code == 200


def test_watchlist_of_a_head_excludes_other_offices(client, head_jatim, data):
    # given: the same written employer name appears in Jawa Barat complaints too
    client.force_login(head_jatim)
    # when
    response = client.get(reverse("oversight:watchlist"))
    # then
    employer = next(t for t in response.context["tables"] if t.slug == "employer")
    assert employer.rows[0][0] == "SYARIKAT CONTOH"
    assert sum(row[2] for row in employer.rows) == 6
