"""SP4N-LAPOR! adapter: off by default; a recorded payload becomes one intake draft
that staff intake completes with the referrer's reference."""

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from complaints.inbound.lapor import lapor_adapter, lapor_import, lapor_report_parse
from complaints.models import Complaint, InboundMessage, Notification
from portal.choices import Role
from tests.complaints.factories import REGENCY_WITH_POST
from tests.complaints.triage_support import OFFICE_A, category_ensure, staff_client

pytestmark = [pytest.mark.django_db]

RECORDED = json.loads((Path(__file__).parent / "data" / "lapor_report.json").read_text())
NOW = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)


def test_no_live_connection_by_default(settings):
    settings.LAPOR_API_URL = ""
    assert lapor_adapter() is None


@pytest.mark.parametrize(
    "broken",
    [{}, {**RECORDED, "created_at": "kemarin"}, {**RECORDED, "tracking_id": ""}],
)
def test_malformed_payloads_are_refused(broken):
    with pytest.raises((KeyError, ValueError)):
        lapor_report_parse(broken)


@time_machine.travel(NOW, tick=False)
def test_recorded_report_becomes_one_draft_and_staff_intake_keeps_its_reference(make_staff):
    # given
    report = lapor_report_parse(RECORDED)
    # when imported twice
    assert lapor_import([report]) == {"draft": 1}
    assert lapor_import([report]) == {"duplicate": 1}
    # then one draft, no message sent by the portal
    draft = InboundMessage.objects.get()
    assert (draft.channel, draft.message_id) == ("referral", "LAPOR-2026-0712-4471")
    assert not Notification.objects.exists()
    # when an officer opens it from the drafts list and records it
    category_ensure()
    officer = make_staff(OFFICE_A, Role.OFFICER, username="petugas-lapor")
    client = staff_client(officer)
    form = client.get(f"/staf/pengaduan/baru/?message={draft.pk}").content.decode()
    assert 'value="LAPOR-2026-0712-4471"' in form
    response = client.post(
        "/staf/pengaduan/baru/",
        {
            "inbound_message": draft.pk,
            "channel": "referral",
            "referrer": "sp4n_lapor",
            "referrer_reference": "LAPOR-2026-0712-4471",
            "received_at": "2026-06-30T09:15",
            "filer_relation": "family",
            "category": "gaji-tidak-dibayar",
            "in_danger": "no",
            "description": draft.text,
            "destination_country": "MY",
            "origin_province": "35",
            "origin_region": REGENCY_WITH_POST,
            "phone": "081234567891",
            "consent": "on",
        },
    )
    # then the case carries the reference, and the draft is done
    assert response.status_code == 201
    complaint = Complaint.objects.get(referrer_reference="LAPOR-2026-0712-4471")
    assert (complaint.channel, complaint.referrer) == ("referral", "sp4n_lapor")
    draft.refresh_from_db()
    assert (draft.status, draft.complaint) == ("completed", complaint)
