import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintEvent
from portal.wsgi import application
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    clear_cache,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

SUBMIT = "/api/v1/complaints/"
TRACK = "/api/v1/complaints/track/"
MESSAGES = "/api/v1/complaints/messages/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def payload(**overrides) -> dict:
    body = {
        "category": "gaji-tidak-dibayar",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "is_anonymous": False,
        "consent": True,
        "reporter_name": "Siti Aminah",
        "phone": "081234567890",
        "email": "siti@example.com",
    }
    body.update(overrides)
    return body


def test_categories_are_listed_with_names_in_the_request_language(api, reference_data):
    # when
    indonesian = api.get("/api/v1/complaint-categories/", HTTP_ACCEPT_LANGUAGE="id").json()
    english = api.get("/api/v1/complaint-categories/", HTTP_ACCEPT_LANGUAGE="en").json()
    # then
    by_slug = {row["slug"]: row for row in indonesian}
    assert by_slug["tppo"]["is_urgent"] is True
    assert by_slug["gaji-tidak-dibayar"]["name"] == "Gaji tidak dibayar"
    assert {row["slug"]: row["name"] for row in english}["gaji-tidak-dibayar"] == "Unpaid wages"
    assert len(indonesian) >= 20


def test_submit_returns_201_with_reference_key_and_status(api, offices):
    # when
    response = api.post(SUBMIT, payload(), format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "access_key", "status"}
    assert body["status"] == "received"
    assert Complaint.objects.get().reference == body["reference"]


def test_submit_with_the_same_token_returns_the_same_receipt(api, offices):
    # given
    token = "k3J9" * 10
    first = api.post(SUBMIT, payload(submission_token=token), format="json")
    # when
    second = api.post(SUBMIT, payload(submission_token=token), format="json")
    # then
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Complaint.objects.count() == 1


def test_a_short_idempotency_token_is_refused(api, offices):
    response = api.post(SUBMIT, payload(submission_token="1"), format="json")
    assert response.status_code == 400
    assert "submission_token" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "tidak-ada"),
        ("category", None),
        ("description", ""),
        ("description", "x" * 5001),
        ("description", 12345),
        ("origin_region", "99.99"),
        ("origin_region", ["35.04"]),
        ("destination_country", "XX"),
        ("destination_country", "MYS"),
        ("consent", False),
        ("consent", "perhaps"),
        ("phone", "123"),
        ("email", "bukan-email"),
        ("is_anonymous", "kadang"),
        ("started_on", "kemarin"),
        ("reporter_name", "Siti\x00"),
        ("passport_number", "\u202eAB12345"),
        ("filer_relation", "boss"),
    ],
)
def test_bad_input_gives_400_with_the_field_error_and_writes_nothing(api, offices, field, value):
    # when
    response = api.post(SUBMIT, payload(**{field: value}), format="json")
    # then
    assert response.status_code == 400
    assert field in response.json()
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Pilih kategori dari daftar."), ("en", "Please choose a category from the list.")],
)
def test_field_errors_come_in_the_request_language(api, offices, language, expected):
    response = api.post(
        SUBMIT, payload(category="tidak-ada"), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.json()["category"] == [expected]


def test_track_returns_status_and_public_events(api, offices):
    # given
    receipt = api.post(SUBMIT, payload(), format="json").json()
    # when
    response = api.post(
        TRACK, {"reference": receipt["reference"], "access_key": receipt["access_key"]}
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "received"
    assert [event["kind"] for event in body["events"]] == ["created"]


def test_wrong_key_and_unknown_reference_get_the_identical_404(api, offices):
    # given
    receipt = api.post(SUBMIT, payload(), format="json").json()
    # when
    wrong_key = api.post(TRACK, {"reference": receipt["reference"], "access_key": "Z" * 20})
    unknown = api.post(TRACK, {"reference": "PMI-2222-3333", "access_key": "Z" * 20})
    # then
    assert wrong_key.status_code == unknown.status_code == 404
    assert wrong_key.content == unknown.content


def test_the_attempt_after_the_limit_is_throttled(api, offices, settings):
    # given
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "complaint_track": "4/10m",
            "complaint_track_reference": "4/15m",
        },
    }
    receipt = api.post(SUBMIT, payload(), format="json").json()
    wrong = {"reference": receipt["reference"], "access_key": "Z" * 20}
    statuses = [api.post(TRACK, wrong).status_code for _ in range(4)]
    # when
    response = api.post(TRACK, {**wrong, "access_key": receipt["access_key"]})
    # then
    assert statuses == [404] * 4
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_submit_is_throttled_per_client(api, offices, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"complaint_submit": "2/10m"},
    }
    statuses = [api.post(SUBMIT, payload(), format="json").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_reporter_message_through_the_api(api, offices):
    # given
    receipt = api.post(SUBMIT, payload(), format="json").json()
    # when
    response = api.post(MESSAGES, {**receipt, "body": "Saya sudah dipindahkan ke shelter."})
    # then
    assert response.status_code == 201
    assert ComplaintEvent.objects.filter(kind="reporter_message").count() == 1


def test_message_with_a_wrong_key_is_404_and_writes_nothing(api, offices):
    receipt = api.post(SUBMIT, payload(), format="json").json()
    response = api.post(
        MESSAGES, {**receipt, "access_key": "Z" * 20, "body": "Pesan dari orang lain"}
    )
    assert response.status_code == 404
    assert not ComplaintEvent.objects.filter(kind="reporter_message").exists()


def test_schema_documents_the_public_routes_with_their_errors(api):
    schema = api.get("/api/schema/?format=json").json()
    submit = schema["paths"][SUBMIT]["post"]["responses"]
    track = schema["paths"][TRACK]["post"]["responses"]
    assert {"201", "400", "429"} <= set(submit)
    assert {"200", "400", "404", "429"} <= set(track)
    assert "/api/v1/complaint-categories/" in schema["paths"]


# --- schemathesis: the public API never answers with a server error ---------------------------


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex=r"^/api/v1/complaint"
)


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_public_api_never_fails_with_a_server_error(case, offices, settings, keep_db_connection):
    cache.clear()  # throttling would hide the handlers behind 429s
    response = case.call()
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
