"""The first screen and GET /api/v1/oversight/offices/: access, scope, bad input, query counts,
and the two defects of the old page (the level chart, the workload names)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint, Holiday
from tests.complaints.factories import ComplaintFactory
from tests.factories import UserFactory
from tests.oversight import standard_oracle as oracle

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-11-18T10:00:00+07:00")
API = "/api/v1/oversight/offices/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _complaints(offices, *, count: int, office: str = "p4mi-tulungagung", past: bool = True):
    """`count` open complaints received 30 days ago whose verification target passed unmet."""
    built = [
        ComplaintFactory.build(
            access_key_hash="!unusable-standard-view-test",
            office=offices[office],
            status="received",
            due_at=None,
        )
        for _ in range(count)
    ]
    created = Complaint.objects.bulk_create(built)
    for complaint in created:
        complaint.created_at = NOW - timedelta(days=30)
        complaint.standard_verify_due_at = NOW - timedelta(days=25)
        complaint.standard_first_response_due_at = NOW - timedelta(days=23)
        complaint.standard_resolve_due_at = NOW + timedelta(days=10)
        if past:
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


def test_analyst_gets_every_bp3mi_with_zeros_and_the_posts_under_their_office(
    client, offices, make_staff
):
    # given
    _complaints(offices, count=3)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    # when
    body = client.get(API).json()
    # then
    bp3mi = [entry for entry in body["offices"] if entry["kind"] == "bp3mi"]
    assert len(bp3mi) == 23
    assert bp3mi[0]["office"] == "bp3mi-jatim"
    assert bp3mi[0]["open"] == 3
    assert bp3mi[0]["past_standard"] == 3
    assert sum(entry["open"] for entry in bp3mi) == 3
    post = next(entry for entry in body["offices"] if entry["office"] == "p4mi-tulungagung")
    assert post["parent"] == "bp3mi-jatim"
    assert post["kind"] == "post"
    assert any(entry["kind"] == "ministry" for entry in body["offices"])
    assert body["total"]["past_standard"] == 3
    assert body["as_of"].startswith("2026-11-18T")


def test_head_sees_only_their_bp3mi_and_its_posts(client, offices, make_staff):
    # given
    _complaints(offices, count=2)
    _complaints(offices, count=4, office="bp3mi-jabar")
    client.force_login(make_staff("bp3mi-jatim", "head"))
    # when
    body = client.get(API).json()
    # then
    codes = {entry["office"] for entry in body["offices"]}
    assert "bp3mi-jabar" not in codes
    assert "kemenp2mi" not in codes
    assert {"bp3mi-jatim", "p4mi-tulungagung"} <= codes
    assert body["total"]["open"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "kemarin"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "from"),
        ({"from": "1999-01-01"}, "from"),
        ({"province": "99"}, "province"),
        ({"province": "35.04"}, "province"),
    ],
)
def test_bad_filters_answer_400_with_the_field(client, offices, make_staff, params, field):
    # given
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    # when
    response = client.get(API, params)
    # then
    assert response.status_code == 400
    assert field in response.json()


def test_province_and_period_filters_narrow_the_figures(client, offices, make_staff):
    # given: complaints from Tulungagung (province 35)
    _complaints(offices, count=2)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    # when
    in_35 = client.get(API, {"province": "35", "from": "2026-10-01", "to": "2026-11-30"}).json()
    in_32 = client.get(API, {"province": "32"}).json()
    # then: the breaches of 24 October fall in the period
    assert in_35["total"]["open"] == 2
    assert in_35["total"]["breached"] == 2
    assert in_32["total"]["open"] == 0
    assert len([e for e in in_32["offices"] if e["kind"] == "bp3mi"]) == 23


def test_non_staff_officers_and_anonymous_get_403(client, offices, make_staff):
    # given
    officer = make_staff("bp3mi-jatim", "officer")
    citizen = UserFactory(is_staff=False)
    # when / then
    assert client.get(API).status_code == 403
    client.force_login(citizen)
    assert client.get(API).status_code == 403
    client.force_login(officer)
    assert client.get(API).status_code == 403


def test_staff_without_the_second_factor_get_403(client, offices, make_staff, settings):
    # given: the second factor is required and the session has not passed it
    settings.OTP_REQUIRED = True
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    # when
    response = client.get(API)
    # then
    assert response.status_code == 403


def test_schema_documents_the_offices_endpoint_with_nullable_figures(client):
    # when
    schema = client.get("/api/schema/", {"format": "json"}).json()
    # then
    operation = schema["paths"]["/api/v1/oversight/offices/"]["get"]
    assert {"200", "400", "403"} <= set(operation["responses"])
    figures = schema["components"]["schemas"]["OversightOfficeFigures"]["properties"]
    assert figures["compliance"].get("nullable") is True
    assert figures["median_resolution_days"].get("nullable") is True
    assert figures["parent"].get("nullable") is True


@pytest.mark.parametrize(
    ("who", "office"), [("ministry_analyst", "kemenp2mi"), ("head", "bp3mi-jatim")]
)
def test_first_screen_query_count_does_not_grow_with_the_data(
    client, offices, make_staff, django_assert_num_queries, who, office
):
    # given: the page at one size, to count its queries
    client.force_login(make_staff(office, who))
    _complaints(offices, count=3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("oversight:dashboard")).status_code == 200
    # when: ten times the complaints, in more offices
    _complaints(offices, count=20)
    _complaints(offices, count=10, office="bp3mi-jatim", past=False)
    _complaints(offices, count=5, office="kemenp2mi")
    # then: the same number of queries
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("oversight:dashboard"))
    assert (
        response.context["tables"]["backlog_age"].rows[2][1] == 38
        if who == "ministry_analyst"
        else True
    )


def test_level_chart_draws_the_figures_of_its_table(client, offices, make_staff):
    # given: open complaints at level 0 (post) and 2 (ministry), all past the standard
    _complaints(offices, count=5)
    _complaints(offices, count=7, office="kemenp2mi")
    Complaint.objects.filter(office=offices["kemenp2mi"]).update(escalation_level=2)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    # when
    table = client.get(reverse("oversight:dashboard")).context["tables"]["open_by_level"]
    # then: the table says 5 and 7, and so does the chart
    assert table.rows == [[0, 5, 5], [2, 7, 7]]
    chart = str(table.chart)
    assert ">5<" in chart
    assert ">7<" in chart


def test_workload_names_an_officer_without_full_name_by_username(client, offices, make_staff):
    # given: one complaint assigned to an officer with no name, one unassigned
    officer = make_staff(
        "bp3mi-jatim", "officer", username="petugas-tanpa-nama", first_name="", last_name=""
    )
    assigned, _unassigned = _complaints(offices, count=2, office="bp3mi-jatim")
    Complaint.objects.filter(pk=assigned.pk).update(assignee=officer)
    client.force_login(make_staff("bp3mi-jatim", "head"))
    # when
    rows = client.get(reverse("oversight:dashboard")).context["tables"]["workload"].rows
    # then
    names = {row[0] for row in rows}
    assert "petugas-tanpa-nama" in names
    assert not any("None" in str(name) for name in names)


def _received_aged(days: int, holidays: set) -> datetime:
    """The latest receipt with exactly `days` working days of age at NOW, found by bisection
    over the oracle's own working-time count (to the microsecond)."""
    low, high = NOW - timedelta(days=3 * days + 30), NOW
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if oracle.working_seconds(middle, NOW, holidays) >= days * oracle.DAY:
            low = middle
        else:
            high = middle
    return low


def test_backlog_by_age_puts_each_complaint_in_its_bucket_at_the_edges(client, offices, make_staff):
    # given open complaints received exactly at each bucket edge (6, 11, 31 and 61 working days
    # old), a second later and a second earlier, and at every 7 hours over the last 100 days
    holidays = set(Holiday.objects.values_list("date", flat=True))
    received = [NOW - timedelta(hours=7 * step) for step in range(0, 343)]
    for days in (6, 11, 31, 61):
        edge = _received_aged(days, holidays)
        received += [edge, edge + timedelta(seconds=1), edge - timedelta(seconds=1)]
    complaints = _complaints(offices, count=len(received), past=False)
    for complaint, moment in zip(complaints, received, strict=True):
        complaint.created_at = moment
    Complaint.objects.bulk_update(complaints, ["created_at"])
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))

    # when
    tables = client.get(reverse("oversight:dashboard")).context["tables"]

    # then each count is the oracle's: whole working days since receipt, by bucket
    expected = dict.fromkeys(("0-5", "6-10", "11-30", "31-60", "> 60"), 0)
    for moment in received:
        expected[oracle.age_bucket(oracle.working_days(moment, NOW, holidays))] += 1
    assert {row[0]: row[1] for row in tables["backlog_age"].rows} == expected
    assert all(count > 3 for count in expected.values())
