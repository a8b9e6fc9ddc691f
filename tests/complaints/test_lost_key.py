"""Lost key: a new key goes only to the contact on file; the answer never tells."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints.models import Notification
from complaints.selectors import complaint_get_for_reporter
from complaints.services.delivery import notification_deliver
from tests.complaints.factories import FACTORY_ACCESS_KEY, clear_cache  # noqa: F401
from tests.complaints.triage_support import OFFICE_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

URL = "/api/v1/complaints/lost-key/"
PAGE = "/pengaduan/lupa-kunci/"
NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def complaint(complaint_in):
    from complaints.references import access_key_hash

    return complaint_in(
        OFFICE_A,
        reporter_phone="+6281234567890",
        reporter_email="siti@example.com",
        preferred_channel="sms",
        access_key_hash=access_key_hash(FACTORY_ACCESS_KEY),
    )


@time_machine.travel(NOW, tick=False)
def test_last_four_digits_send_a_new_key_to_the_phone_on_file_and_the_old_one_stops(
    complaint, capsys
):
    # when
    response = APIClient().post(URL, {"reference": complaint.reference, "contact": "7890"})
    # then
    assert response.status_code == 202
    row = Notification.objects.get(template="access_key_reissued")
    assert (row.channel, row.recipient) == ("sms", "+6281234567890")
    new_key = row.context["access_key"]
    assert (
        complaint_get_for_reporter(reference=complaint.reference, access_key=FACTORY_ACCESS_KEY)
        is None
    )
    assert (
        complaint_get_for_reporter(reference=complaint.reference, access_key=new_key) == complaint
    )
    # and once sent, the key is no longer kept in the outbox
    assert notification_deliver(notification_id=row.pk) == "sent"
    assert new_key in capsys.readouterr().out
    row.refresh_from_db()
    assert row.context == {}


@time_machine.travel(NOW, tick=False)
def test_the_email_on_file_gets_it_by_email(complaint):
    APIClient().post(URL, {"reference": complaint.reference, "contact": "SITI@example.com"})
    assert Notification.objects.get(template="access_key_reissued").recipient == "siti@example.com"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("reference", "contact"),
    [
        ("{ref}", "1111"),  # wrong digits
        ("{ref}", "majikan@example.com"),  # wrong e-mail
        ("{ref}", "78"),  # too few digits
        ("PMI-AAAA-BBBB", "7890"),  # unknown reference
        ("bukan referensi", "7890"),  # malformed
    ],
)
def test_a_mismatch_answers_exactly_like_a_match_and_changes_nothing(complaint, reference, contact):
    # given: the answer to a matching request
    matching = APIClient().post(URL, {"reference": complaint.reference, "contact": "7890"})
    Notification.objects.all().delete()
    complaint.refresh_from_db()
    key_hash = complaint.access_key_hash
    # when
    response = APIClient().post(
        URL, {"reference": reference.format(ref=complaint.reference), "contact": contact}
    )
    # then
    assert (response.status_code, response.json()) == (matching.status_code, matching.json())
    complaint.refresh_from_db()
    assert complaint.access_key_hash == key_hash
    assert not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_requests_per_reference_are_limited_but_the_rightful_key_still_tracks(complaint):
    client = APIClient()
    answers = [
        client.post(URL, {"reference": complaint.reference, "contact": "0000"}).status_code
        for _ in range(4)
    ]
    assert answers == [202, 202, 202, 429]
    tracked = client.post(
        "/api/v1/complaints/track/",
        {"reference": complaint.reference, "access_key": FACTORY_ACCESS_KEY},
    )
    assert tracked.status_code == 200


def test_bad_input_is_400(complaint):
    assert APIClient().post(URL, {"reference": complaint.reference}).status_code == 400
    assert APIClient().post(URL, "{x", content_type="application/json").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_the_page_answers_the_same_and_links_from_tracking(client, complaint):
    assert 'href="/pengaduan/lupa-kunci/"' in client.get("/pengaduan/lacak/").content.decode()
    response = client.post(PAGE, {"reference": complaint.reference, "contact": "7890"})
    other = client.post(PAGE, {"reference": "PMI-AAAA-BBBB", "contact": "7890"})
    assert response.status_code == other.status_code == 200
    assert 'id="lost-key-answer"' in response.content.decode()
    assert 'id="lost-key-answer"' in other.content.decode()
