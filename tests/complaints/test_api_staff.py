import datetime as dt
import itertools

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.api_urls import staff_router
from complaints.choices import AccessAction, EventKind, Status
from complaints.models import AccessRecord
from complaints.services.triage import ALLOWED_TRANSITIONS
from portal.choices import Role
from tests.complaints.triage_support import (
    MINISTRY,
    OFFICE_A,
    OFFICE_A_POST,
    OFFICE_B,
    staff_client,
)
from tests.support import staff_api_token

pytestmark = pytest.mark.django_db

USERS = {
    "officer of A": (OFFICE_A, Role.OFFICER),
    "head of A": (OFFICE_A, Role.HEAD),
    "ministry analyst": (MINISTRY, Role.MINISTRY_ANALYST),
}
VISIBLE = {
    "officer of A": {OFFICE_A, OFFICE_A_POST},
    "head of A": {OFFICE_A, OFFICE_A_POST},
    "ministry analyst": {OFFICE_A, OFFICE_A_POST, OFFICE_B},
}
# How each route of the staff router is exercised; a new route without an entry fails the matrix.
ROUTE_CASES = {
    "staff-complaint-list": ("get", None),
    "staff-complaint-detail": ("get", None),
    "staff-complaint-assign": ("post", {"assignee": None}),
    "staff-complaint-change-status": ("post", {"status": "verified"}),
    "staff-complaint-reply": ("post", {"body": "Balasan"}),
    "staff-complaint-note": ("post", {"body": "Catatan"}),
    "staff-complaint-safe-contact": (
        "post",
        {"safe_contact_from": "21:00", "safe_contact_until": "23:00"},
    ),
}


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_api_token(user)}")
    return client


def _url(name: str, complaint) -> str:
    if name == "staff-complaint-list":
        return reverse(name)
    return reverse(name, args=[complaint.reference])


@pytest.mark.parametrize("who", list(USERS))
def test_staff_api_scope_matrix(make_staff, complaint_in, who):
    # given: one complaint in A, A's post and B; a user of A or of the ministry
    office_code, role = USERS[who]
    client = _token_client(make_staff(office_code, role, username=f"api-{role}"))
    complaints = {code: complaint_in(code) for code in (OFFICE_A, OFFICE_A_POST, OFFICE_B)}
    names = {url.name for url in staff_router.urls}
    assert names == set(ROUTE_CASES), "every staff API route needs a scope case"
    leaks, misses = [], []
    # when
    for name, (code, complaint) in itertools.product(sorted(names), complaints.items()):
        method, body = ROUTE_CASES[name]
        events_before = complaint.events.count()
        response = getattr(client, method)(_url(name, complaint), body, format="json")
        in_scope = code in VISIBLE[who]
        if name == "staff-complaint-list":
            listed = {row["reference"] for row in response.json()["results"]}
            leaked = complaint.reference in listed and not in_scope
            missed = in_scope and complaint.reference not in listed
        else:
            changed = complaint.events.count() != events_before
            leaked = not in_scope and (response.status_code != 404 or changed)
            missed = in_scope and response.status_code not in (200, 409)
        if leaked:
            leaks.append((name, code))
        if missed:
            misses.append((name, code, response.status_code))
    # then
    assert leaks == [], f"{len(leaks)} leaks"
    assert misses == []


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status.values, repeat=2)))
def test_status_transition_table_through_the_api(officer_a, complaint_in, current, target):
    complaint = complaint_in(OFFICE_A, status=current)
    original = complaint_in(OFFICE_A)
    response = _token_client(officer_a).post(
        reverse("staff-complaint-change-status", args=[complaint.reference]),
        {"status": target, "duplicate_of": original.reference},
        format="json",
    )
    complaint.refresh_from_db()
    if target in ALLOWED_TRANSITIONS[current]:
        assert response.status_code == 200
        assert complaint.status == target
    else:
        assert response.status_code == 409
        assert complaint.status == current


def test_list_filters_by_status_overdue_and_assignee(officer_a, complaint_in):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    # overdue: past the service standard (its verification target), not the office deadline
    overdue = complaint_in(
        OFFICE_A,
        due_at=now + timedelta(days=2),
        standard_verify_due_at=now - timedelta(hours=2),
    )
    complaint_in(OFFICE_A, due_at=now - timedelta(hours=2))
    mine = complaint_in(OFFICE_A, assignee=officer_a, status=Status.VERIFIED)
    client = _token_client(officer_a)
    url = reverse("staff-complaint-list")

    def refs(params):
        return [row["reference"] for row in client.get(url, params).json()["results"]]

    assert refs({"overdue": "true"}) == [overdue.reference]
    body = client.get(url, {"overdue": "true"}).json()["results"][0]
    assert (body["past_standard"], body["sla"], body["standard_stage"]) == (
        True,
        "overdue",
        "verification",
    )
    assert body["verify_breached_at"] is None  # the sweep has not run: past, not yet recorded
    assert refs({"assignee": "me"}) == [mine.reference]
    assert refs({"status": "verified"}) == [mine.reference]


def test_detail_shows_reporter_to_the_officer_and_records_access(officer_a, complaint_in):
    complaint = complaint_in(
        OFFICE_A,
        passport_number="C2223334",
        safe_contact_from=dt.time(19, 0),
        safe_contact_until=dt.time(21, 30),
        contact_time_zone="Asia/Hong_Kong",
    )
    body = (
        _token_client(officer_a)
        .get(reverse("staff-complaint-detail", args=[complaint.reference]))
        .json()
    )
    assert body["reporter"]["passport_number"] == "C2223334"
    # The safe window the admin shows is in the API too: calling outside it can endanger her.
    assert (
        body["reporter"]["safe_contact_from"],
        body["reporter"]["safe_contact_until"],
        body["reporter"]["contact_time_zone"],
    ) == ("19:00:00", "21:30:00", "Asia/Hong_Kong")
    assert AccessRecord.objects.filter(action=AccessAction.VIEW, complaint=complaint).exists()


def test_detail_hides_reporter_from_the_analyst(analyst, complaint_in):
    complaint = complaint_in(OFFICE_A)
    response = _token_client(analyst).get(
        reverse("staff-complaint-detail", args=[complaint.reference])
    )
    assert response.json()["reporter"] is None
    assert complaint.reporter_email not in response.content.decode()


def test_reply_and_note_through_the_api(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    client = _token_client(officer_a)
    client.post(
        reverse("staff-complaint-reply", args=[complaint.reference]), {"body": "Halo"}, "json"
    )
    client.post(
        reverse("staff-complaint-note", args=[complaint.reference]), {"body": "Cek"}, "json"
    )
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == [EventKind.PUBLIC_REPLY, EventKind.INTERNAL_NOTE]


def test_empty_reply_is_a_400_with_field_errors(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    response = _token_client(officer_a).post(
        reverse("staff-complaint-reply", args=[complaint.reference]), {"body": " "}, "json"
    )
    assert response.status_code == 400
    assert "body" in response.json()


def test_assign_through_the_api(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    response = _token_client(officer_a).post(
        reverse("staff-complaint-assign", args=[complaint.reference]),
        {"assignee": officer_a.username},
        format="json",
    )
    assert response.json()["assignee"] == officer_a.username


def test_assign_does_not_tell_whether_a_username_exists(officer_a, officer_b, complaint_in):
    # given a complaint of office A; officer_b exists but belongs to office B
    complaint = complaint_in(OFFICE_A)
    client = _token_client(officer_a)
    url = reverse("staff-complaint-assign", args=[complaint.reference])
    # when assigning to an existing outsider and to a name nobody has
    outsider = client.post(url, {"assignee": officer_b.username}, format="json")
    unknown = client.post(url, {"assignee": "tidak-ada-orang-ini"}, format="json")
    # then both answers are the same refusal
    assert outsider.status_code == unknown.status_code == 400
    assert outsider.json() == unknown.json()
    assert list(unknown.json()) == ["assignee"]
    complaint.refresh_from_db()
    assert complaint.assignee_id is None


def test_anonymous_caller_is_refused(complaint_in):
    assert APIClient().get(reverse("staff-complaint-list")).status_code in (401, 403)


def test_session_without_second_factor_is_refused(settings, officer_a):
    settings.OTP_REQUIRED = True
    client = staff_client(officer_a, verified=False)
    assert client.get(reverse("staff-complaint-list")).status_code == 403
    assert staff_client(officer_a).get(reverse("staff-complaint-list")).status_code == 200


def test_staff_routes_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/staff/complaints/" in paths
    assert "/api/v1/staff/complaints/{reference}/status/" in paths
    assert "409" in paths["/api/v1/staff/complaints/{reference}/status/"]["post"]["responses"]


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        # an offset PostgreSQL refuses is read as an instant: the case is before it
        ("created_before=2469-03-21T00:44:19-20:29", 200, {"count": 1}),
        (
            "created_after=not-a-date",
            400,
            {"created_after": ["Masukkan tanggal/waktu yang valid."]},
        ),
        ("agency=-1420551493733893.0", 200, {"count": 0}),
        ("page=0", 404, {}),
    ],
)
def test_odd_filters_answer_without_a_server_error(officer_a, complaint_in, query, status, body):
    complaint_in(OFFICE_A)
    response = _token_client(officer_a).get(
        f"/api/v1/staff/complaints/?{query}", HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == status
    assert {key: response.json()[key] for key in body} == body
    assert response["Content-Type"] == "application/json"
