"""Staff intake page and printable receipt."""

import datetime as dt
import re
import zlib

import pytest
import time_machine

from complaints.models import Complaint
from portal.choices import Role
from tests.complaints.factories import REGENCY_WITH_POST
from tests.complaints.triage_support import OFFICE_A, category_ensure, staff_client

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
PAGE = "/staf/pengaduan/baru/"
PDF = "/staf/pengaduan/tanda-terima.pdf"


def _pdf_text(document: bytes) -> str:
    """The text drawn on the pages: inflate every content stream of the PDF."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            texts.append(stream.decode("latin-1"))
    return "\n".join(texts)


def _form(**overrides) -> dict:
    data = {
        "channel": "walk_in",
        "filer_relation": "self",
        "category": "gaji-tidak-dibayar",
        "in_danger": "no",
        "description": "Datang ke kantor: gaji tidak dibayar tiga bulan.",
        "destination_country": "MY",
        "origin_province": "35",
        "origin_region": REGENCY_WITH_POST,
        "reporter_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "safe_contact_from": "21:00",
        "safe_contact_until": "23:00",
        "discreet": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer(make_staff):
    category_ensure()
    return make_staff(OFFICE_A, Role.OFFICER, username="petugas-halaman")


@time_machine.travel(NOW, tick=False)
def test_officer_records_a_walk_in_on_the_page_and_prints_the_receipt(officer):
    # given
    client = staff_client(officer)
    assert client.get(PAGE).status_code == 200
    # when
    response = client.post(PAGE, _form())
    # then
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.reference in page
    assert (complaint.channel, complaint.message_detail) == ("walk_in", "discreet")
    assert (complaint.safe_contact_from, complaint.safe_contact_until) == (
        dt.time(21),
        dt.time(23),
    )
    key = re.search(r'id="receipt-key">([^<]+)<', page).group(1)
    # when: the printable receipt
    pdf = client.post(PDF, {"reference": complaint.reference, "access_key": key})
    # then
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert complaint.reference in text
    assert key in text
    assert "0800-1000" in text
    assert "/pengaduan/lacak/" in text


@time_machine.travel(NOW, tick=False)
def test_receipt_with_a_wrong_key_is_a_404(officer):
    client = staff_client(officer)
    client.post(PAGE, _form())
    complaint = Complaint.objects.get()
    response = client.post(PDF, {"reference": complaint.reference, "access_key": "WRONG-KEY"})
    assert response.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_future_receipt_time_is_a_form_error_and_stores_nothing(officer):
    response = staff_client(officer).post(PAGE, _form(received_at="2026-07-01T20:00"))
    assert response.status_code == 400
    assert "masa depan" in response.content.decode() or "future" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_page_needs_the_second_factor(officer, settings):
    settings.OTP_REQUIRED = True
    response = staff_client(officer, verified=False).get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/otp/")


def test_an_analyst_cannot_record_complaints(make_staff):
    analyst = make_staff("kemenp2mi", Role.MINISTRY_ANALYST, username="analis-halaman")
    assert staff_client(analyst).get(PAGE).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_public_form_offers_safe_hours_and_discreet_messages_instead_of_free_text(client):
    # given
    category_ensure()
    page = client.get("/pengaduan/lapor/").content.decode()
    assert 'name="safe_contact_from"' in page
    assert 'name="discreet"' in page
    assert 'name="safe_contact_time"' not in page
    # when
    data = _form(submission_token="", channel="")
    data.pop("channel")
    response = client.post("/pengaduan/lapor/", data)
    # then
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert (complaint.safe_contact_from, complaint.message_detail) == (dt.time(21), "discreet")
    assert complaint.channel == "web"
