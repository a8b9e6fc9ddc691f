"""Tracking never locks a reporter out (issue 15, item 3).

A reference travels in SMS; anyone who reads it may send wrong keys. Those wrong keys slow the
clients that send them (with a growing wait) and alert the office; the right key always works
from a client that has not itself been guessing.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import ComplaintEvent
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    clear_cache,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture(autouse=True)
def _category(request):
    """The category these tests submit under: a transactional test elsewhere may have flushed the
    taxonomy that a data migration loads."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from tests.complaints.triage_support import category_ensure

        category_ensure()


SUBMIT = "/api/v1/complaints/"
TRACK_API = "/api/v1/complaints/track/"
MESSAGES_API = "/api/v1/complaints/messages/"
TRACK_PAGE = reverse("complaints:track")
NOW = dt.datetime(2026, 7, 7, 9, 0, tzinfo=dt.UTC)
WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"


def _submit(api: APIClient) -> dict:
    body = {
        "category": "gaji-tidak-dibayar",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "consent": True,
        "reporter_name": "Siti Aminah",
        "phone": "081234567890",
    }
    response = api.post(SUBMIT, body, format="json", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 201
    return response.json()


def _rates(settings, *, client: str, reference: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "complaint_submit": "100/10m",
            "complaint_track": client,
            "complaint_track_reference": reference,
        },
    }


def _wrong_keys_from_many_addresses(api, reference: str, count: int) -> list[int]:
    return [
        api.post(
            TRACK_API,
            {"reference": reference, "access_key": WRONG},
            format="json",
            REMOTE_ADDR=f"203.0.113.{index + 1}",
        ).status_code
        for index in range(count)
    ]


@pytest.mark.parametrize(
    ("path", "extra", "ok_status"),
    [
        (TRACK_API, {}, 200),
        (MESSAGES_API, {"body": "Saya masih di penampungan."}, 201),
    ],
)
def test_right_key_works_from_a_fresh_address_after_many_wrong_keys_for_the_reference(
    offices, settings, path, extra, ok_status
):
    # given: the reference is known to an attacker who sends 25 wrong keys from 25 addresses
    _rates(settings, client="30/10m", reference="10/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        statuses = _wrong_keys_from_many_addresses(api, receipt["reference"], 25)
        # when: the reporter, from their own phone
        response = api.post(
            path,
            {"reference": receipt["reference"], "access_key": receipt["access_key"], **extra},
            format="json",
            REMOTE_ADDR="192.0.2.77",
        )
    # then
    assert statuses == [404] * 25
    assert response.status_code == ok_status


def test_right_key_works_on_the_tracking_page_after_many_wrong_keys_for_the_reference(
    client, offices, settings
):
    # given
    _rates(settings, client="30/10m", reference="10/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        for index in range(15):
            client.post(
                TRACK_PAGE,
                {"reference": receipt["reference"], "access_key": WRONG},
                REMOTE_ADDR=f"203.0.113.{index + 1}",
            )
        # when
        response = client.post(
            TRACK_PAGE,
            {"reference": receipt["reference"], "access_key": receipt["access_key"]},
            REMOTE_ADDR="192.0.2.77",
        )
    # then
    assert response.status_code == 200
    assert 'id="complaint-status"' in response.content.decode()


def test_staff_are_alerted_once_when_a_reference_passes_the_wrong_key_threshold(offices, settings):
    # given
    _rates(settings, client="30/10m", reference="10/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        # when: 9 wrong keys, then 6 more
        _wrong_keys_from_many_addresses(api, receipt["reference"], 9)
        before = ComplaintEvent.objects.filter(data__alert="wrong_access_keys").count()
        _wrong_keys_from_many_addresses(api, receipt["reference"], 6)
    # then
    alerts = ComplaintEvent.objects.filter(
        complaint__reference=receipt["reference"], data__alert="wrong_access_keys"
    )
    assert before == 0
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.visibility == "internal"
    assert alert.data["wrong_keys"] == 10


def test_the_alert_is_never_shown_to_the_reporter(offices, settings):
    # given
    _rates(settings, client="30/10m", reference="3/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        _wrong_keys_from_many_addresses(api, receipt["reference"], 3)
        # when
        response = api.post(
            TRACK_API,
            {"reference": receipt["reference"], "access_key": receipt["access_key"]},
            format="json",
            REMOTE_ADDR="192.0.2.77",
        )
    # then
    assert ComplaintEvent.objects.filter(data__alert="wrong_access_keys").count() == 1
    assert "wrong access keys" not in response.content.decode().lower()
    assert [event["kind"] for event in response.json()["events"]] == ["created"]


def _guess_until_refused(api, address: str, start: int) -> tuple[int, int]:
    """Wrong keys for ever new references from one address until 429: (tries, Retry-After)."""
    for tries in range(1, 100):
        response = api.post(
            TRACK_API,
            {"reference": f"PMI-{start + tries:04d}-2222", "access_key": WRONG},
            format="json",
            REMOTE_ADDR=address,
        )
        if response.status_code == 429:
            return tries, int(response["Retry-After"])
        assert response.status_code == 404
    raise AssertionError("never throttled")


def test_a_client_guessing_many_references_waits_longer_each_time(offices, settings):
    # given: 5 wrong keys per 10 minutes allowed to one client
    _rates(settings, client="5/10m", reference="100/15m")
    api = APIClient()
    address = "203.0.113.50"
    waits = []
    moment = NOW
    for round_number in range(3):
        with time_machine.travel(moment, tick=False):
            # when
            tries, wait = _guess_until_refused(api, address, start=round_number * 100)
        waits.append(wait)
        assert tries == 6  # five wrong keys answered 404, the sixth attempt waits
        moment = moment + dt.timedelta(seconds=wait + 1)
    # then: each wait is at least twice the one before
    assert waits[0] >= 60
    assert waits[1] >= 2 * waits[0]
    assert waits[2] >= 2 * waits[1]


def test_a_waiting_client_is_refused_even_with_a_right_key_but_others_are_not(offices, settings):
    # given
    _rates(settings, client="3/10m", reference="100/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        right = {"reference": receipt["reference"], "access_key": receipt["access_key"]}
        for index in range(3):
            api.post(
                TRACK_API,
                {"reference": f"PMI-2222-333{index + 2}", "access_key": WRONG},
                format="json",
                REMOTE_ADDR="203.0.113.9",
            )
        # when
        guesser = api.post(TRACK_API, right, format="json", REMOTE_ADDR="203.0.113.9")
        neighbour = api.post(TRACK_API, right, format="json", REMOTE_ADDR="203.0.113.10")
    # then
    assert guesser.status_code == 429
    assert neighbour.status_code == 200


def test_wrong_keys_for_a_reference_under_attack_count_more_against_the_client(offices, settings):
    # given: the reference already had its 3 wrong keys from other addresses
    _rates(settings, client="9/10m", reference="3/15m")
    api = APIClient()
    with time_machine.travel(NOW, tick=False):
        receipt = _submit(api)
        _wrong_keys_from_many_addresses(api, receipt["reference"], 3)
        # when: one more client tries wrong keys for it
        statuses = [
            api.post(
                TRACK_API,
                {"reference": receipt["reference"], "access_key": WRONG},
                format="json",
                REMOTE_ADDR="203.0.113.200",
            ).status_code
            for _ in range(5)
        ]
    # then: 9 allowed at the normal rate, each of these counts three times
    assert statuses == [404, 404, 404, 429, 429]
