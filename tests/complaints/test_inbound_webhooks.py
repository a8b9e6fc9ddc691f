"""Signed gateway webhooks: /api/v1/inbound/generic/ and /whatsapp-cloud/."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints.choices import EventKind
from complaints.models import ComplaintEvent, InboundMessage, Notification
from tests.complaints.triage_support import OFFICE_A

pytestmark = pytest.mark.django_db

SECRET = "uji-rahasia-webhook"
NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
GENERIC = "/api/v1/inbound/generic/"
CLOUD = "/api/v1/inbound/whatsapp-cloud/"
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.INBOUND_WEBHOOK_SECRET = SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verifikasi"


def _sign(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def _post(url: str, payload, *, signature: str | None = "auto", raw: bytes | None = None):
    raw = raw if raw is not None else json.dumps(payload).encode()
    headers = {}
    if signature == "auto":
        headers["HTTP_X_HUB_SIGNATURE_256"] = _sign(raw)
    elif signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return APIClient().post(url, raw, content_type="application/json", **headers)


def _generic(**overrides) -> dict:
    body = {
        "message_id": "gw-0001",
        "channel": "whatsapp",
        "from": PHONE,
        "text": "Halo, saya mau tanya soal laporan saya",
        "received_at": "2026-07-01T13:00:00+07:00",
    }
    body.update(overrides)
    return body


def _stored() -> tuple[int, int, int]:
    return (
        InboundMessage.objects.count(),
        ComplaintEvent.objects.count(),
        Notification.objects.count(),
    )


@time_machine.travel(NOW, tick=False)
def test_message_naming_a_reference_from_the_phone_on_file_is_appended(complaint_in):
    # given
    complaint = complaint_in(OFFICE_A, reporter_phone=PHONE)
    text = f"Update untuk {complaint.reference.lower().replace('-', ' ')}: majikan sudah bayar."
    # when
    response = _post(GENERIC, _generic(text=text))
    # then
    assert response.status_code == 200
    assert response.json() == {"results": ["appended"]}
    event = complaint.events.get(kind=EventKind.REPORTER_MESSAGE)
    assert event.body == text
    assert InboundMessage.objects.get().complaint == complaint


@time_machine.travel(NOW, tick=False)
def test_a_reference_from_another_phone_opens_a_draft_not_the_case(complaint_in):
    complaint = complaint_in(OFFICE_A, reporter_phone=PHONE)
    response = _post(
        GENERIC, _generic(**{"from": "+6289999999999", "text": f"Saya {complaint.reference}"})
    )
    assert response.json() == {"results": ["draft"]}
    assert not complaint.events.filter(kind=EventKind.REPORTER_MESSAGE).exists()
    assert InboundMessage.objects.get().status == "draft"


@time_machine.travel(NOW, tick=False)
def test_unknown_sender_opens_a_draft_and_gets_one_reply(complaint_in):
    # when: two messages from the same unknown number
    first = _post(GENERIC, _generic())
    second = _post(GENERIC, _generic(message_id="gw-0002", text="Tolong bantu saya"))
    # then
    assert first.json() == second.json() == {"results": ["draft"]}
    assert InboundMessage.objects.filter(status="draft").count() == 2
    reply = Notification.objects.get()
    assert (reply.channel, reply.recipient, reply.template) == (
        "whatsapp",
        PHONE,
        "inbound_received",
    )


@time_machine.travel(NOW, tick=False)
def test_replay_of_the_same_message_id_is_200_duplicate_and_stores_nothing(complaint_in):
    _post(GENERIC, _generic())
    before = _stored()
    response = _post(GENERIC, _generic())
    assert response.status_code == 200
    assert response.json() == {"results": ["duplicate"]}
    assert _stored() == before


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha1=abc",
        "sha256=" + "0" * 64,
        _sign(b"another body"),
        _sign(json.dumps(_generic()).encode(), secret="wrong-secret"),
    ],
)
def test_bad_or_missing_signature_is_403_and_stores_nothing(signature):
    response = _post(GENERIC, _generic(), signature=signature)
    assert response.status_code == 403
    assert _stored() == (0, 0, 0)


@time_machine.travel(NOW, tick=False)
def test_no_secret_configured_refuses_everything(settings):
    settings.INBOUND_WEBHOOK_SECRET = ""
    raw = json.dumps(_generic()).encode()
    response = _post(
        GENERIC, None, raw=raw, signature="sha256=" + hmac.new(b"", raw, hashlib.sha256).hexdigest()
    )
    assert response.status_code == 403
    assert _stored() == (0, 0, 0)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "detail"),
        (b"\xff\xfe", "detail"),
        (b"[]", "detail"),
        (json.dumps(_generic(channel="email")).encode(), "channel"),
        (json.dumps(_generic(message_id="")).encode(), "message_id"),
        (json.dumps(_generic(text=None)).encode(), "text"),
        (json.dumps(_generic(text="x" * 5000)).encode(), "text"),
        (json.dumps(_generic(received_at="2026-07-02T13:00:00+07:00")).encode(), "received_at"),
        (json.dumps(_generic(received_at="2026-07-01T13:00:00")).encode(), "received_at"),
        (json.dumps(_generic(received_at="kemarin")).encode(), "received_at"),
    ],
)
def test_malformed_signed_body_is_400_and_stores_nothing(raw, field):
    response = _post(GENERIC, None, raw=raw)
    assert response.status_code == 400
    assert field in response.json()
    assert _stored() == (0, 0, 0)


def _cloud_payload(complaint_reference: str = "", message_id: str = "wamid.HBgN1") -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1029384756",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "628001000",
                                "phone_number_id": "1",
                            },
                            "contacts": [{"profile": {"name": "Siti"}, "wa_id": PHONE[1:]}],
                            "messages": [
                                {
                                    "from": PHONE[1:],
                                    "id": message_id,
                                    "timestamp": str(int(NOW.timestamp()) - 60),
                                    "type": "text",
                                    "text": {"body": f"Kode saya {complaint_reference}"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


@time_machine.travel(NOW, tick=False)
def test_whatsapp_cloud_message_for_a_known_reference_is_appended_once(complaint_in):
    complaint = complaint_in(OFFICE_A, reporter_whatsapp=PHONE)
    payload = _cloud_payload(complaint.reference)
    first = _post(CLOUD, payload)
    again = _post(CLOUD, payload)
    assert (first.json(), again.json()) == ({"results": ["appended"]}, {"results": ["duplicate"]})
    assert complaint.events.filter(kind=EventKind.REPORTER_MESSAGE).count() == 1


@time_machine.travel(NOW, tick=False)
def test_whatsapp_cloud_status_updates_are_accepted_and_ignored():
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"statuses": [{"id": "x"}]}}]}],
    }
    response = _post(CLOUD, payload)
    assert (response.status_code, response.json()) == (200, {"results": []})
    assert _stored() == (0, 0, 0)


@time_machine.travel(NOW, tick=False)
def test_whatsapp_cloud_bad_signature_and_malformed_payload():
    assert _post(CLOUD, _cloud_payload(), signature=_sign(b"x")).status_code == 403
    broken = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"messages": [{"id": "1"}]}}]}],
    }
    assert _post(CLOUD, broken).status_code == 400
    assert _stored() == (0, 0, 0)


def test_whatsapp_cloud_handshake_answers_the_challenge_only_with_the_token():
    ok = APIClient().get(
        CLOUD, {"hub.mode": "subscribe", "hub.verify_token": "verifikasi", "hub.challenge": "12345"}
    )
    bad = APIClient().get(
        CLOUD, {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "12345"}
    )
    assert (ok.status_code, ok.content) == (200, b"12345")
    assert bad.status_code == 403
