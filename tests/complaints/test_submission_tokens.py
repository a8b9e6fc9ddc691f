"""Submission tokens are not bearers of receipts (issue 15, item 7): the form's and the API's
tokens live in separate spaces, each honoured for a limited time, and bound to the content."""

import base64
import datetime as dt
import json
import re
import secrets

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Complaint
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    clear_cache,
    public_api_body,
    public_form_fields,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture(autouse=True)
def _category(request):
    """The category these tests submit under: a transactional test elsewhere may have flushed the
    taxonomy that a data migration loads."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from tests.complaints.triage_support import category_ensure

        category_ensure()


FORM = reverse("complaints:submit")
API = "/api/v1/complaints/"
NOW = dt.datetime(2026, 7, 7, 9, 0, tzinfo=dt.UTC)


def _page_token(client) -> str:
    page = client.get(FORM).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def _raw_inside(signed: str) -> str:
    """What anyone can read from a signed (not encrypted) value: its base64 payload."""
    payload = signed.split(":")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _form(token: str, **overrides) -> dict:
    return {"submission_token": token, **public_form_fields(**overrides)}


def _api_body(**overrides) -> dict:
    return public_api_body(**overrides)


def _receipt(html: str) -> tuple[str, str]:
    """The reference and key as the reader sees them (the page sets each group in a span)."""

    def shown(element_id: str) -> str:
        inner = re.search(rf'id="{element_id}">(.*?)</p>', html, re.S).group(1)
        return re.sub(r"<[^>]+>", "", inner).strip()

    return shown("receipt-reference"), shown("receipt-key")


def test_the_form_token_from_the_page_is_refused_by_the_api(client, offices):
    # given: a reporter submitted the form; someone kept the page's token
    with time_machine.travel(NOW, tick=False):
        token = _page_token(client)
        assert client.post(FORM, _form(token)).status_code == 201
        # when
        response = APIClient().post(API, _api_body(submission_token=token), format="json")
    # then
    assert response.status_code == 400
    assert "submission_token" in response.json()
    assert Complaint.objects.count() == 1


def test_the_raw_value_inside_a_form_token_never_gets_the_receipt_from_the_api(client, offices):
    # given
    with time_machine.travel(NOW, tick=False):
        token = _page_token(client)
        reference, key = _receipt(client.post(FORM, _form(token)).content.decode())
        raw = _raw_inside(token)
        # when: the same fields, with the token's readable value
        response = APIClient().post(API, _api_body(submission_token=raw), format="json")
    # then: at most a new report of the replayer's own, never the reporter's receipt
    body = response.json()
    assert body.get("reference") != reference
    assert body.get("access_key") != key


def test_a_form_retry_with_the_same_fields_shows_the_same_receipt(client, offices):
    # given
    with time_machine.travel(NOW, tick=False):
        token = _page_token(client)
        first = client.post(FORM, _form(token))
        # when
        retry = client.post(FORM, _form(token))
    # then
    assert first.status_code == 201
    assert retry.status_code == 200
    assert _receipt(retry.content.decode()) == _receipt(first.content.decode())
    assert Complaint.objects.count() == 1


def test_a_form_token_replayed_with_other_fields_never_shows_the_first_receipt(client, offices):
    # given
    with time_machine.travel(NOW, tick=False):
        token = _page_token(client)
        first = _receipt(client.post(FORM, _form(token)).content.decode())
        # when
        replay = client.post(FORM, _form(token, reporter_name="Orang Lain", phone="0813 1111 2222"))
    # then
    assert replay.status_code == 201
    second = _receipt(replay.content.decode())
    assert second[0] != first[0]
    assert second[1] != first[1]


def test_a_form_token_older_than_a_day_gives_no_receipt(client, offices):
    # given
    with time_machine.travel(NOW, tick=False):
        token = _page_token(client)
        first = _receipt(client.post(FORM, _form(token)).content.decode())
    # when: 25 hours later, the same token and fields
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        replay = client.post(FORM, _form(token))
    # then
    assert replay.status_code == 201
    assert _receipt(replay.content.decode())[0] != first[0]


def test_an_api_retry_within_the_hour_gets_the_same_receipt(offices):
    # given
    api = APIClient()
    token = secrets.token_urlsafe(32)
    with time_machine.travel(NOW, tick=False):
        first = api.post(API, _api_body(submission_token=token), format="json")
    # when
    with time_machine.travel(NOW + dt.timedelta(minutes=50), tick=False):
        retry = api.post(API, _api_body(submission_token=token), format="json")
    # then
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()


def test_an_api_token_replayed_with_other_fields_is_another_submission(offices):
    # given
    api = APIClient()
    token = secrets.token_urlsafe(32)
    with time_machine.travel(NOW, tick=False):
        first = api.post(API, _api_body(submission_token=token), format="json").json()
        # when
        replay = api.post(
            API,
            _api_body(submission_token=token, reporter_name="Orang Lain", phone="081311112222"),
            format="json",
        )
    # then
    assert replay.status_code == 201
    assert replay.json()["reference"] != first["reference"]
    assert replay.json()["access_key"] != first["access_key"]


def test_an_api_token_is_refused_after_an_hour(offices):
    # given
    api = APIClient()
    token = secrets.token_urlsafe(32)
    with time_machine.travel(NOW, tick=False):
        first = api.post(API, _api_body(submission_token=token), format="json").json()
    # when
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        late = api.post(API, _api_body(submission_token=token), format="json")
    # then
    assert late.status_code == 400
    assert "submission_token" in late.json()
    assert first["access_key"] not in late.content.decode()
    assert Complaint.objects.count() == 1
