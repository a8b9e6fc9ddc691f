"""Safe contact: messages to a reporter wait for their safe hours, in their time
zone, and discreet ones say nothing but the update and the code."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from complaints.choices import NotificationStatus
from complaints.models import Notification
from complaints.services.delivery import notification_deliver
from complaints.services.notifications import notification_queue
from complaints.services.safe_contact import safe_contact_next
from tests.complaints.triage_support import OFFICE_A
from tests.support import staff_api_token

pytestmark = pytest.mark.django_db

KUALA_LUMPUR = ZoneInfo("Asia/Kuala_Lumpur")
# 14:00 in Kuala Lumpur (UTC+8, no daylight saving) on a Wednesday.
AFTERNOON_MY = dt.datetime(2026, 7, 1, 14, 0, tzinfo=KUALA_LUMPUR)
NINE_PM_MY = dt.datetime(2026, 7, 1, 21, 0, tzinfo=KUALA_LUMPUR)


def _queue(complaint, *, channel="whatsapp", n=1):
    rows = []
    for index in range(n):
        rows.append(
            notification_queue(
                channel=channel,
                recipient=complaint.reporter_phone if channel != "email" else "w@example.com",
                template="complaint_status_changed",
                context={"reference": complaint.reference, "status": "in_progress"},
                dedupe_key=f"test:{complaint.pk}:{channel}:{index}",
                complaint=complaint,
            )
        )
    return rows


@pytest.fixture
def worker_safe_after_nine(complaint_in):
    """A worker in Malaysia who may be contacted only from 21:00 to 23:00 local time."""
    return complaint_in(
        OFFICE_A,
        destination_country="MY",
        reporter_phone="+6281234567890",
        safe_contact_from=dt.time(21, 0),
        safe_contact_until=dt.time(23, 0),
    )


def test_whatsapp_due_at_14_malaysia_time_is_sent_after_21(worker_safe_after_nine, capsys):
    # given: three updates queued at 14:00 Malaysia time (the reported incident)
    with time_machine.travel(AFTERNOON_MY, tick=False):
        rows = _queue(worker_safe_after_nine, n=3)
        # when the delivery runs at once
        results = [notification_deliver(notification_id=row.pk) for row in rows]
    # then nothing went out: each row was queued for 21:00 there, so it is not due yet
    assert results == ["skipped"] * 3
    assert "whatsapp to" not in capsys.readouterr().out
    for row in rows:
        row.refresh_from_db()
        assert row.next_attempt_at == NINE_PM_MY
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
    # when the delivery runs at 20:59 and then at 21:00
    with time_machine.travel(NINE_PM_MY - dt.timedelta(minutes=1), tick=False):
        early = notification_deliver(notification_id=rows[0].pk)
    with time_machine.travel(NINE_PM_MY, tick=False):
        sent = [notification_deliver(notification_id=row.pk) for row in rows]
        again = [notification_deliver(notification_id=row.pk) for row in rows]
    # then sent once each, after 21:00, never twice
    assert early == "skipped"
    assert sent == ["sent"] * 3
    assert again == ["skipped"] * 3
    assert Notification.objects.filter(status="sent", sent_at__gte=NINE_PM_MY).count() == 3


def test_email_follows_the_same_window(worker_safe_after_nine):
    with time_machine.travel(AFTERNOON_MY, tick=False):
        (row,) = _queue(worker_safe_after_nine, channel="email")
        assert notification_deliver(notification_id=row.pk) == "skipped"
    assert mail.outbox == []
    with time_machine.travel(NINE_PM_MY + dt.timedelta(minutes=5), tick=False):
        assert notification_deliver(notification_id=row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_staff_edit_of_the_window_while_a_row_waits_is_respected(worker_safe_after_nine):
    # given: a row queued at 14:00 with no window yet
    complaint = worker_safe_after_nine
    complaint.safe_contact_from = complaint.safe_contact_until = None
    complaint.save()
    with time_machine.travel(AFTERNOON_MY - dt.timedelta(minutes=1), tick=False):
        (row,) = _queue(complaint)
    # when staff add the window before the worker picks it up
    complaint.safe_contact_from, complaint.safe_contact_until = dt.time(21), dt.time(23)
    complaint.save()
    with time_machine.travel(AFTERNOON_MY, tick=False):
        result = notification_deliver(notification_id=row.pk)
    # then it waits
    row.refresh_from_db()
    assert (result, row.next_attempt_at) == ("deferred", NINE_PM_MY)


def test_discreet_message_says_only_the_update_and_the_code(complaint_in, capsys):
    complaint = complaint_in(OFFICE_A, reporter_phone="+6281234567890", message_detail="discreet")
    with time_machine.travel(AFTERNOON_MY, tick=False):
        (row,) = _queue(complaint, channel="sms")
        assert notification_deliver(notification_id=row.pk) == "sent"
    header, text = capsys.readouterr().out.strip().splitlines()
    # then the whole message is the update and the code: nothing about the case
    assert text == f"Portal PMI: ada pembaruan, kode {complaint.reference}"
    assert header.endswith(": Portal PMI")


def test_messages_to_offices_ignore_the_reporters_window(worker_safe_after_nine, offices):
    with time_machine.travel(AFTERNOON_MY, tick=False):
        row = notification_queue(
            channel="email",
            recipient="kantor@example.invalid",
            template="complaint_reporter_message",
            context={"reference": worker_safe_after_nine.reference},
            dedupe_key="office-row",
            complaint=worker_safe_after_nine,
            office=offices[OFFICE_A],
        )
        assert notification_deliver(notification_id=row.pk) == "sent"


@pytest.mark.parametrize(
    ("start", "end", "local", "expected_local"),
    [
        # inside a plain window: now
        ((21, 0), (23, 0), (21, 30), (21, 30)),
        # before it: today at the start; after it: tomorrow at the start
        ((21, 0), (23, 0), (14, 0), (21, 0)),
        ((21, 0), (23, 0), (23, 0), (21, 0, 1)),
        # a window past midnight (21:00-06:00): 02:00 is inside, 07:00 waits for 21:00
        ((21, 0), (6, 0), (2, 0), (2, 0)),
        ((21, 0), (6, 0), (7, 0), (21, 0)),
    ],
)
def test_next_safe_moment(start, end, local, expected_local):
    # given an oracle built from the rule "[start, end) local time, wrapping past midnight"
    moment = dt.datetime(2026, 7, 1, local[0], local[1], tzinfo=KUALA_LUMPUR)
    day = 1 + (expected_local[2] if len(expected_local) == 3 else 0)
    expected = dt.datetime(2026, 7, day, expected_local[0], expected_local[1], tzinfo=KUALA_LUMPUR)
    # when
    result = safe_contact_next(
        start=dt.time(*start), end=dt.time(*end), zone=KUALA_LUMPUR, at=moment
    )
    # then
    assert result == expected


def test_staff_set_the_window_by_api_and_waiting_messages_follow_it(
    worker_safe_after_nine, make_staff
):
    from rest_framework.test import APIClient

    from portal.choices import Role

    # given: a message waiting for 21:00 Malaysia time
    with time_machine.travel(AFTERNOON_MY, tick=False):
        (row,) = _queue(worker_safe_after_nine)
        officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-aman")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {staff_api_token(officer)}")
        url = f"/api/v1/staff/complaints/{worker_safe_after_nine.reference}/safe-contact/"
        # when the worker says on the phone that 13:00-15:00 is safe too, and asks for discretion
        response = client.post(
            url,
            {"safe_contact_from": "13:00", "safe_contact_until": "15:00", "discreet": True},
            format="json",
        )
        bad = client.post(
            url, {"safe_contact_from": "13:00", "safe_contact_until": None}, format="json"
        )
        zone = client.post(
            url,
            {
                "safe_contact_from": "13:00",
                "safe_contact_until": "15:00",
                "contact_time_zone": "X/Y",
            },
            format="json",
        )
    # then
    assert response.status_code == 200
    assert (bad.status_code, zone.status_code) == (400, 400)
    row.refresh_from_db()
    assert row.next_attempt_at == AFTERNOON_MY
    worker_safe_after_nine.refresh_from_db()
    assert worker_safe_after_nine.message_detail == "discreet"
    assert worker_safe_after_nine.events.filter(kind="internal_note").exists()
