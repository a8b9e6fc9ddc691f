"""POST /api/v1/staff/complaints/{reference}/assign/: an officer or head of the
BP3MI above the post holding the case may assign it; bad input is a translated 400 that never
tells whether a username exists."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.choices import EventKind, Status
from portal.choices import Role
from tests.complaints.triage_support import OFFICE_A, OFFICE_A_POST, OFFICE_B
from tests.support import staff_api_token

pytestmark = pytest.mark.django_db


def _client(user, language: str = "id") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_api_token(user)}")
    return client


def _assign(client, complaint, body):
    url = reverse("staff-complaint-assign", args=[complaint.reference])
    return client.post(url, body, format="json")


def test_bp3mi_officer_assigns_a_post_case_to_himself(officer_a, complaint_in):
    # given
    complaint = complaint_in(OFFICE_A_POST)
    # when
    response = _assign(_client(officer_a), complaint, {"assignee": officer_a.username})
    # then
    assert response.status_code == 200
    assert response.json()["assignee"] == "petugas-a"
    assert response.json()["office"] == OFFICE_A_POST
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a


def test_bp3mi_head_assigns_a_post_case_to_the_post_officer(head_a, make_staff, complaint_in):
    post_officer = make_staff(OFFICE_A_POST, Role.OFFICER, username="petugas-pos")
    complaint = complaint_in(OFFICE_A_POST)
    response = _assign(_client(head_a), complaint, {"assignee": "petugas-pos"})
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.assignee == post_officer


def test_null_unassigns(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A_POST, assignee=officer_a)
    response = _assign(_client(officer_a), complaint, {"assignee": None})
    assert response.status_code == 200
    assert response.json()["assignee"] is None
    assert complaint.events.get(kind=EventKind.ASSIGNMENT).data == {
        "from": "petugas-a",
        "to": None,
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_unknown_username_answers_like_a_username_outside_the_scope(
    officer_a, officer_b, complaint_in, language
):
    # given: one username nobody has, one of an officer of another BP3MI
    complaint = complaint_in(OFFICE_A_POST)
    client = _client(officer_a, language)
    # when
    unknown = _assign(client, complaint, {"assignee": "tidak-ada-orang-ini"})
    elsewhere = _assign(client, complaint, {"assignee": officer_b.username})
    # then: the same 400, word for word, in the caller's language
    assert unknown.status_code == elsewhere.status_code == 400
    assert unknown.json() == elsewhere.json()
    message = unknown.json()["assignee"][0]
    if language == "en":
        assert message.startswith("Choose an officer or head of the office holding the complaint")
    else:
        assert message.startswith("Pilih petugas atau kepala kantor")
    complaint.refresh_from_db()
    assert complaint.assignee is None
    assert not complaint.events.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "assignee"),
        ({"assignee": ""}, "assignee"),
        ({"assignee": ["petugas-a"]}, "assignee"),
        ({"assignee": {"username": "petugas-a"}}, "assignee"),
        ({"assignee": "x" * 5000}, "assignee"),
        ({"assignee": "petugas-a\x00"}, "assignee"),
    ],
)
def test_bad_input_is_a_400_on_the_field_and_changes_nothing(officer_a, complaint_in, body, field):
    complaint = complaint_in(OFFICE_A_POST)
    response = _assign(_client(officer_a), complaint, body)
    assert response.status_code == 400
    assert field in response.json()
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_a_case_outside_the_scope_is_404_whatever_the_username(officer_b, complaint_in):
    complaint = complaint_in(OFFICE_A_POST)
    client = _client(officer_b)
    for username in ("petugas-b", "tidak-ada-orang-ini"):
        assert _assign(client, complaint, {"assignee": username}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_a_finished_case_is_a_409_that_names_its_status(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A_POST, status=Status.REJECTED)
    response = _assign(_client(officer_a, "en"), complaint, {"assignee": officer_a.username})
    assert response.status_code == 409
    assert "Rejected" in response.json()["detail"]


def test_an_analyst_cannot_take_a_case_himself(analyst, complaint_in):
    complaint = complaint_in(OFFICE_B)
    response = _assign(_client(analyst), complaint, {"assignee": analyst.username})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_officer_assigns_a_case_of_his_own_office_as_before(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    response = _assign(_client(officer_a), complaint, {"assignee": "petugas-a"})
    assert response.status_code == 200
