"""Tracking tells the way ahead: stage, next step, by when in the worker's time zone
and in WIB, what the worker can do now; a visible key field; one error; one word."""

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    categories,
    clear_cache,
)
from tests.complaints.test_intake_views import form_data, receipt_code

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("clear_cache", "categories"),
]

SUBMIT = reverse("complaints:submit")
TRACK = reverse("complaints:track")
API_TRACK = "/api/v1/complaints/track/"
# A Tuesday morning in Jakarta: the deadline the office set is read back, not recomputed.
NOW = datetime(2026, 11, 17, 2, 0, tzinfo=UTC)


def _submitted(client, **overrides) -> tuple[str, str]:
    html = client.post(SUBMIT, form_data(client, **overrides)).content.decode()
    return receipt_code(html, "receipt-reference"), receipt_code(html, "receipt-key")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@time_machine.travel(NOW, tick=False)
def test_tracking_page_shows_next_step_and_the_date_in_riyadh_and_in_wib(client):
    # given: a worker in Saudi Arabia
    reference, key = _submitted(client, destination_country="SA")
    complaint = Complaint.objects.get(reference=reference)
    riyadh = complaint.due_at.astimezone(ZoneInfo("Asia/Riyadh"))
    jakarta = complaint.due_at.astimezone(ZoneInfo("Asia/Jakarta"))
    # when
    html = client.post(TRACK, {"reference": reference, "access_key": key}).content.decode()
    # then
    due = _text(re.search(r'id="way-ahead-due">(.*?)</dd>', html, re.S).group(1))
    assert f"{riyadh.day} " in due
    assert riyadh.strftime("%H:%M") in due
    assert "Riyadh, UTC+03:00" in due
    assert f"{jakarta.strftime('%H:%M')} WIB" in due
    assert riyadh.strftime("%H:%M") != jakarta.strftime("%H:%M")
    assert 'id="way-ahead-next"' in html
    assert "pesan atau dokumen" in _text(html)


@time_machine.travel(NOW, tick=False)
def test_api_track_gives_the_way_ahead_with_both_times(client):
    # given
    reference, key = _submitted(client, destination_country="MY")
    complaint = Complaint.objects.get(reference=reference)
    # when
    body = client.post(
        API_TRACK, {"reference": reference, "access_key": key}, content_type="application/json"
    ).json()
    # then
    way = body["way_ahead"]
    assert way["time_zone"] == "Asia/Kuala_Lumpur"
    assert datetime.fromisoformat(way["due_local"]) == complaint.due_at
    assert way["due_local"].endswith("+08:00")
    assert way["due_wib"].endswith("+07:00")
    assert way["next_step"]
    assert way["can_do"]
    assert way["stage"] == "Diterima"


def test_key_field_is_visible_text_that_the_browser_does_not_remember(client):
    html = client.get(TRACK).content.decode()
    field = re.search(r"<input[^>]*name=\"access_key\"[^>]*>", html).group(0)
    assert 'type="text"' in field
    assert 'autocomplete="off"' in field
    assert "XXXXX-XXXXX-XXXXX-XXXXX" in field


def test_a_wrong_key_is_said_once(client):
    # when
    html = client.post(
        TRACK, {"reference": "PMI-2222-3333", "access_key": "Z" * 20}
    ).content.decode()
    # then
    assert html.count("Periksa keduanya") == 1


def test_receipt_never_breaks_the_key_inside_a_group(client):
    # when
    html = client.post(SUBMIT, form_data(client)).content.decode()
    # then: each group of the key is one unbreakable span
    markup = re.search(r'id="receipt-key">(.*?)</p>', html, re.S).group(1)
    groups = re.findall(r'<span class="code-group">([^<]+)</span>', markup)
    assert [group.rstrip("-") for group in groups] == receipt_code(html, "receipt-key").split("-")
    css = (Path(__file__).resolve().parents[2] / "static/complaints/complaints.css").read_text()
    assert ".code-group { white-space: nowrap; }" in css


@pytest.mark.parametrize("url", [SUBMIT, TRACK])
def test_the_reference_is_called_nomor_referensi_everywhere(client, url):
    html = client.get(url).content.decode().lower()
    assert "rujukan" not in html


def test_track_detail_and_receipt_say_nomor_referensi(client):
    # given
    page = client.post(SUBMIT, form_data(client)).content.decode()
    reference, key = receipt_code(page, "receipt-reference"), receipt_code(page, "receipt-key")
    # when
    detail = client.post(TRACK, {"reference": reference, "access_key": key}).content.decode()
    # then
    assert "Nomor referensi" in page
    assert "rujukan" not in page.lower()
    assert "rujukan" not in detail.lower()
