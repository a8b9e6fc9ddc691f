import datetime as dt
import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from complaints.choices import EventKind, Priority, Status, Visibility
from complaints.hashers import LEGACY_ACCESS_KEY_HASHER
from complaints.models import Complaint, ComplaintEvent, Notification
from complaints.references import reference_normalise
from complaints.selectors import complaint_event_list_for_reporter, complaint_get_for_reporter
from complaints.services.intake import (
    complaint_reporter_message,
    complaint_submit,
    phone_normalise,
)
from portal.models import Region
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    REGENCY_WITHOUT_POST,
    clear_cache,
    complaint_input,
)

pytestmark = [pytest.mark.django_db]


def test_submit_routes_to_the_post_covering_the_regency_and_writes_event_and_acknowledgement(
    offices,
):
    # given
    data = complaint_input(origin_region=REGENCY_WITH_POST)
    # when
    receipt = complaint_submit(data=data, submission_token="tok-" + "a" * 40)
    # then
    complaint = receipt.complaint
    assert receipt.created
    assert reference_normalise(complaint.reference) == complaint.reference
    assert complaint.office.code == "p4mi-tulungagung"
    assert complaint.status == Status.RECEIVED
    assert complaint.reporter_phone == "+6281234567890"
    created = complaint.events.get()
    assert (created.kind, created.visibility) == (EventKind.CREATED, Visibility.PUBLIC)
    ack = Notification.objects.get(complaint=complaint)
    assert ack.template == "complaint_acknowledgement"
    assert ack.recipient == "siti@example.com"
    assert receipt.access_key not in str(ack.context)


def test_submit_without_post_goes_to_the_bp3mi_of_the_province(offices):
    receipt = complaint_submit(data=complaint_input(origin_region=REGENCY_WITHOUT_POST))
    assert receipt.complaint.office.code == "bp3mi-jatim"


def test_a_village_code_is_stored_as_the_origin_region(offices):
    # given
    village = Region.objects.filter(level=4, code__startswith=REGENCY_WITH_POST + ".").first()
    # when
    receipt = complaint_submit(data=complaint_input(origin_village=village.code))
    # then
    assert receipt.complaint.origin_region_id == village.code
    assert receipt.complaint.office.code == "p4mi-tulungagung"


def test_first_deadline_is_three_working_days_or_four_hours_when_in_danger(offices):
    from complaints.services.sla import calendar_load

    # given
    before = timezone.now()
    # when
    normal = complaint_submit(data=complaint_input()).complaint
    danger = complaint_submit(data=complaint_input(in_danger=True)).complaint
    # then (working days skip weekends and holidays: see tests/complaints/test_sla.py)
    calendar = calendar_load()
    earliest = calendar.add_working_days(start=before, days=3)
    assert earliest <= normal.due_at <= calendar.add_working_days(start=timezone.now(), days=3)
    assert normal.sla_stage == "verification"
    assert danger.sla_stage == "first_response"
    assert dt.timedelta(hours=4) <= danger.due_at - before < dt.timedelta(hours=4, minutes=1)
    assert (danger.is_urgent, danger.priority) == (True, Priority.URGENT)
    assert (normal.is_urgent, normal.priority) == (False, Priority.NORMAL)


def test_an_urgent_category_makes_the_complaint_urgent(offices):
    complaint = complaint_submit(data=complaint_input(category="hilang-kontak")).complaint
    assert complaint.is_urgent
    assert complaint.due_at - timezone.now() < dt.timedelta(hours=5)


def test_anonymous_complaint_stores_no_name_or_contact_and_queues_no_message(offices):
    # given
    data = complaint_input(
        is_anonymous=True, whatsapp="081298765432", safe_contact_time="malam", is_confidential=True
    )
    # when
    complaint = complaint_submit(data=data).complaint
    # then
    complaint.refresh_from_db()
    assert complaint.is_anonymous
    assert complaint.is_confidential
    assert (
        complaint.reporter_name,
        complaint.reporter_phone,
        complaint.reporter_email,
        complaint.reporter_whatsapp,
        complaint.safe_contact_time,
    ) == ("", "", "", "", "")
    assert not Notification.objects.filter(complaint=complaint).exists()
    history = complaint.history.get()
    assert (history.reporter_name, history.reporter_phone) == ("", "")


def test_no_contact_means_no_acknowledgement(offices):
    complaint = complaint_submit(data=complaint_input(phone="", email="")).complaint
    assert not Notification.objects.filter(complaint=complaint).exists()


def test_preferred_whatsapp_channel_is_used_for_the_acknowledgement(offices):
    complaint = complaint_submit(
        data=complaint_input(preferred_channel="whatsapp", whatsapp="+60123456789")
    ).complaint
    ack = Notification.objects.get(complaint=complaint)
    assert (ack.channel, ack.recipient) == ("whatsapp", "+60123456789")


def test_same_submission_token_gives_the_same_receipt_and_no_second_complaint(offices):
    # given
    token = "form-token-" + "x" * 40
    first = complaint_submit(data=complaint_input(), submission_token=token)
    # when
    second = complaint_submit(data=complaint_input(), submission_token=token)
    # then
    assert not second.created
    assert (second.reference, second.access_key) == (first.reference, first.access_key)
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.count() == 1
    assert Notification.objects.count() == 1


def test_access_key_is_stored_only_as_a_keyed_hash_under_the_pepper(offices, settings):
    # given
    settings.ACCESS_KEY_PEPPER = "pepper-of-this-test"
    # when
    one = complaint_submit(data=complaint_input())
    two = complaint_submit(data=complaint_input())
    # then: HMAC-SHA256 of the key under the pepper, computed here from its definition
    stored = one.complaint.access_key_hash
    algorithm, pepper_id, digest = stored.split("$")
    assert algorithm == "hmac_sha256"
    assert pepper_id == hashlib.sha256(b"pepper-of-this-test").hexdigest()[:8]
    expected = hmac.new(
        b"pepper-of-this-test", f"access-key:{one.access_key}".encode(), hashlib.sha256
    ).hexdigest()
    assert digest == expected
    assert one.access_key not in stored
    assert stored != two.complaint.access_key_hash
    assert one.complaint.submission_token is None


def test_a_leaked_hash_is_useless_without_the_pepper(offices, settings):
    # given a complaint hashed under one pepper
    settings.ACCESS_KEY_PEPPER = "the-real-pepper"
    receipt = complaint_submit(data=complaint_input())
    # when the server runs with another pepper (an attacker with the table but not the pepper)
    settings.ACCESS_KEY_PEPPER = "a-guessed-pepper"
    # then the right key no longer matches
    assert (
        complaint_get_for_reporter(reference=receipt.reference, access_key=receipt.access_key)
        is None
    )


def test_rotated_pepper_keeps_old_keys_working_and_rehashes_them(offices, settings):
    # given a key hashed under the old pepper, then the pepper rotated
    settings.ACCESS_KEY_PEPPER = "old-pepper"
    receipt = complaint_submit(data=complaint_input())
    settings.ACCESS_KEY_PEPPER = "new-pepper"
    settings.ACCESS_KEY_PEPPERS_PREVIOUS = ["old-pepper"]
    # when the reporter looks the complaint up
    found = complaint_get_for_reporter(reference=receipt.reference, access_key=receipt.access_key)
    # then it is found and its hash now names the new pepper; the old pepper can then go
    assert found is not None
    stored = Complaint.objects.get(reference=receipt.reference).access_key_hash
    assert stored.split("$")[1] == hashlib.sha256(b"new-pepper").hexdigest()[:8]
    settings.ACCESS_KEY_PEPPERS_PREVIOUS = []
    again = complaint_get_for_reporter(reference=receipt.reference, access_key=receipt.access_key)
    assert again is not None


def test_pbkdf2_hash_of_an_older_row_verifies_and_is_replaced(offices):
    # given a complaint stored before the HMAC hasher (the former PBKDF2 access-key hasher)
    receipt = complaint_submit(data=complaint_input())
    legacy = LEGACY_ACCESS_KEY_HASHER.encode(receipt.access_key, "legacysalt123456789")
    Complaint.objects.filter(reference=receipt.reference).update(access_key_hash=legacy)
    # when: a wrong key, then the right one
    wrong = complaint_get_for_reporter(reference=receipt.reference, access_key="Z" * 20)
    right = complaint_get_for_reporter(reference=receipt.reference, access_key=receipt.access_key)
    # then the wrong key changes nothing; the right one matches and the row is rehashed
    assert wrong is None
    assert right is not None
    assert Complaint.objects.get(reference=receipt.reference).access_key_hash.startswith(
        "hmac_sha256$"
    )


def test_reporter_finds_the_complaint_with_reference_and_key_in_any_spelling(offices):
    # given
    receipt = complaint_submit(data=complaint_input())
    sloppy_reference = receipt.reference.lower().replace("-", " ")
    sloppy_key = receipt.access_key.lower().replace("-", "")
    # when
    found = complaint_get_for_reporter(reference=sloppy_reference, access_key=sloppy_key)
    # then
    assert found == receipt.complaint


@pytest.mark.parametrize(
    ("reference", "key"),
    [
        ("right", "wrong"),
        ("unknown", "right"),
        ("malformed", "right"),
        ("right", ""),
        ("", ""),
    ],
)
def test_wrong_key_or_unknown_reference_finds_nothing(offices, reference, key):
    # given
    receipt = complaint_submit(data=complaint_input())
    references = {"right": receipt.reference, "unknown": "PMI-2222-3333", "malformed": "x"}
    keys = {"right": receipt.access_key, "wrong": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "": ""}
    # when
    found = complaint_get_for_reporter(
        reference=references.get(reference, ""), access_key=keys[key]
    )
    # then
    assert found is None


def test_public_timeline_hides_internal_notes(offices):
    # given
    complaint = complaint_submit(data=complaint_input()).complaint
    ComplaintEvent.objects.create(
        complaint=complaint, kind=EventKind.INTERNAL_NOTE, body="internal only"
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=EventKind.ESCALATION,
        level=1,
        body="overdue at post",
        public_body="Diteruskan ke BP3MI.",
        visibility=Visibility.INTERNAL,
    )
    # when
    events = complaint_event_list_for_reporter(complaint=complaint)
    # then
    assert [event.kind for event in events] == [EventKind.CREATED, EventKind.ESCALATION]


def test_reporter_message_is_a_public_event_and_tells_the_office(offices):
    # given
    complaint = complaint_submit(data=complaint_input()).complaint
    office = complaint.office
    office.notification_email = "p4mi@example.invalid"
    office.save(update_fields=["notification_email"])
    # when
    event = complaint_reporter_message(complaint=complaint, body="Majikan mengambil paspor saya.")
    # then
    assert (event.kind, event.visibility, event.by_reporter) == (
        EventKind.REPORTER_MESSAGE,
        Visibility.PUBLIC,
        True,
    )
    assert Notification.objects.filter(
        office=office, template="complaint_reporter_message"
    ).exists()


def test_empty_reporter_message_is_refused(offices):
    complaint = complaint_submit(data=complaint_input()).complaint
    with pytest.raises(ValidationError) as error:
        complaint_reporter_message(complaint=complaint, body="   ")
    assert "body" in error.value.message_dict


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+60 12 345 6789", "+60123456789"),
        ("+852 9123 4567", "+85291234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw, expected):
    assert phone_normalise(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "+0123456789",
        "+1234567890123456",
        "abc",
        "\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
        "+60 12 ٣٤٥",
    ],
)
def test_bad_phone_numbers_are_refused(raw):
    value, problem = phone_normalise(raw)
    assert value == ""
    assert problem


def test_submit_query_count_is_small_and_constant(offices, django_assert_max_num_queries):
    # given: a first submission warms caches (content types, the dummy hash)
    complaint_submit(data=complaint_input())
    # when / then
    for index in range(3):
        with django_assert_max_num_queries(15):
            complaint_submit(data=complaint_input(), submission_token=f"tok-{index}-" + "q" * 40)


def test_unknown_reference_runs_the_same_key_check_as_a_wrong_key(offices, monkeypatch):
    # given a spy on the one function that compares a key with a hash
    from complaints import references

    checks = []
    real = references.access_key_digest_verify
    monkeypatch.setattr(
        references,
        "access_key_digest_verify",
        lambda key, encoded: checks.append(encoded) or real(key, encoded),
    )
    receipt = complaint_submit(data=complaint_input())
    # when: a wrong key for a real reference, then any key for an unknown one
    complaint_get_for_reporter(reference=receipt.reference, access_key="Z" * 20)
    complaint_get_for_reporter(reference="PMI-2222-3333", access_key="Z" * 20)
    # then each ran exactly one HMAC comparison: no fast path tells them apart
    assert len(checks) == 2
    assert all(encoded.startswith("hmac_sha256$") for encoded in checks)
