"""Staff-assisted intake: POST /api/v1/staff/complaints/ and the service behind it."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints.choices import EventKind
from complaints.models import Complaint
from complaints.selectors import complaint_list_for_staff
from portal.choices import Role
from tests.complaints.factories import REGENCY_WITH_POST
from tests.complaints.triage_support import OFFICE_A, OFFICE_B, category_ensure
from tests.support import staff_api_token

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)  # a Wednesday, 13:00 in Jakarta
URL = "/api/v1/staff/complaints/"
JABAR_REGENCY = "32.01"


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_api_token(user)}")
    return client


def _body(**overrides) -> dict:
    body = {
        "category": "gaji-tidak-dibayar",
        "description": "Datang ke kantor: gaji tidak dibayar tiga bulan oleh majikan.",
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "consent": True,
        "reporter_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "channel": "walk_in",
    }
    body.update(overrides)
    return body


@pytest.fixture
def officer(make_staff):
    category_ensure()
    return make_staff(OFFICE_A, Role.OFFICER, username="petugas-intake")


@time_machine.travel(NOW, tick=False)
def test_officer_records_a_walk_in_and_gets_reference_key_status_and_office(officer):
    # when
    response = _client(officer).post(URL, _body(), format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"reference", "access_key", "status", "office"}
    complaint = Complaint.objects.get(reference=body["reference"])
    assert (complaint.channel, complaint.taken_by, complaint.status) == (
        "walk_in",
        officer,
        "received",
    )
    assert body["office"] == complaint.office.code == "p4mi-tulungagung"
    assert complaint.created_at == NOW
    # the worker's phone gets the reference (never the key)
    ack = complaint.notifications.get()
    assert (ack.channel, ack.recipient) == ("whatsapp", "+6281234567890")
    assert ack.context["reference"] == body["reference"]
    assert body["access_key"] not in str(ack.context)


@time_machine.travel(NOW, tick=False)
def test_clock_runs_from_receipt_time_not_from_entry(officer):
    # given: a phone call received yesterday morning, entered now
    received = NOW - dt.timedelta(days=1, hours=2)
    # when
    response = _client(officer).post(
        URL, _body(channel="phone", received_at=received.isoformat()), format="json"
    )
    # then: same deadline as a web complaint submitted at the receipt time
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(reference=response.json()["reference"])
    assert complaint.created_at == received
    with time_machine.travel(received, tick=False):
        web = _client(officer).post(URL, _body(channel="web"), format="json").json()
    assert complaint.due_at == Complaint.objects.get(reference=web["reference"]).due_at


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": (NOW + dt.timedelta(hours=1)).isoformat()}, "received_at"),
        ({"received_at": "kemarin sore"}, "received_at"),
        ({"received_at": (NOW - dt.timedelta(days=400)).isoformat()}, "received_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": ""}, "channel"),
        ({"channel": "referral"}, "referrer"),
        ({"channel": "referral", "referrer": "embassy-ish"}, "referrer"),
        ({"referrer_reference": "x" * 81}, "referrer_reference"),
        ({"consent": False}, "consent"),
        ({"origin_region": "99.99"}, "origin_region"),
        ({"destination_country": "ID"}, "destination_country"),
        ({"safe_contact_from": "21:00"}, "safe_contact_until"),
        ({"contact_time_zone": "Mars/Olympus"}, "contact_time_zone"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_stores_nothing(officer, overrides, field):
    # when
    response = _client(officer).post(URL, _body(**overrides), format="json")
    # then
    assert response.status_code == 400
    assert field in response.json()
    assert not Complaint.objects.exists()


def test_malformed_json_is_a_400(officer):
    response = _client(officer).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Complaint.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_analyst_without_an_intake_role_gets_403(make_staff, officer):
    analyst = make_staff("kemenp2mi", Role.MINISTRY_ANALYST, username="analis-intake")
    response = _client(analyst).post(URL, _body(), format="json")
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_anonymous_caller_gets_401_or_403(officer):
    response = APIClient().post(URL, _body(), format="json")
    assert response.status_code in (401, 403)


@time_machine.travel(NOW, tick=False)
def test_taking_office_keeps_a_complaint_routed_elsewhere_with_a_forward_event(officer):
    # given: a worker from Jawa Barat walks into the Jawa Timur office
    # when
    response = _client(officer).post(
        URL,
        _body(
            origin_region=JABAR_REGENCY,
            channel="referral",
            referrer="kbri_kjri",
            referrer_reference="KBRI-KL/2026/0441",
        ),
        format="json",
    )
    # then
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(reference=response.json()["reference"])
    assert complaint.office.code == OFFICE_B
    assert complaint_list_for_staff(user=officer).filter(pk=complaint.pk).exists()
    forward = complaint.events.get(kind=EventKind.FORWARD)
    assert forward.data == {"from_office": OFFICE_A, "to_office": OFFICE_B}
    # the staff API shows channel and referrer and finds it by the referrer's reference
    client = _client(officer)
    listed = client.get(URL, {"referrer_reference": "kbri-kl/2026/0441"}).json()["results"]
    assert [(row["reference"], row["channel"], row["referrer"]) for row in listed] == [
        (complaint.reference, "referral", "kbri_kjri")
    ]
    assert client.get(URL, {"channel": "web"}).json()["results"] == []


@time_machine.travel(NOW, tick=False)
def test_same_submission_token_twice_stores_one_complaint(officer):
    body = _body(submission_token="s" * 40)
    first = _client(officer).post(URL, body, format="json")
    second = _client(officer).post(URL, body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Complaint.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_retry_of_a_call_received_days_ago_returns_the_first_receipt(officer):
    # given: a call received three days ago, entered now (its clock runs from three days ago)
    received = NOW - dt.timedelta(days=3)
    body = _body(channel="phone", received_at=received.isoformat(), submission_token="r" * 40)
    first = _client(officer).post(URL, body, format="json")
    # when: the client retries a minute later (the token's age counts from the entry, not receipt)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        second = _client(officer).post(URL, body, format="json")
    # then
    assert (first.status_code, second.status_code) == (201, 200), second.json()
    assert first.json()["reference"] == second.json()["reference"]
    assert Complaint.objects.count() == 1
