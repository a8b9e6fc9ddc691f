"""Issue 15 item 12: staff API tokens expire, carry a scope, are revocable by an administrator,
and only a session past the second factor can create one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from complaints.choices import Status
from portal.api_tokens import staff_token_issue
from portal.choices import Role
from portal.exceptions import ApplicationError
from portal.models import StaffApiToken
from tests.complaints.triage_support import OFFICE_A, complaint_in, staff_client  # noqa: F401
from tests.support import staff_api_token

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LIST = "/api/v1/staff/complaints/"


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def officer(make_staff):
    return make_staff(OFFICE_A, Role.OFFICER, username="petugas-jatim")


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_password_only_session_cannot_create_a_token(officer):
    # given a session past the password only
    client = staff_client(officer, verified=False)
    # when it asks for a token on the page
    response = client.post("/staf/token-api/", {"name": "skrip", "scope": "write"})
    # then it is sent to the second step and nothing is issued
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/otp/")
    assert not StaffApiToken.objects.exists()


def test_the_service_refuses_a_user_without_the_second_factor(officer):
    # given the user as django-otp decorates a password-only session
    officer.is_verified = lambda: False
    # when / then
    with pytest.raises(ApplicationError):
        staff_token_issue(user=officer, name="skrip", scope="write")
    assert not StaffApiToken.objects.exists()


def test_a_verified_session_creates_a_token_shown_once_that_opens_the_api(officer):
    # given a session past the second factor
    client = staff_client(officer)
    # when it creates a token
    page = client.post("/staf/token-api/", {"name": "skrip kantor", "scope": "read"})
    # then the key is on that page only, and works on the staff API
    assert page.status_code == 200
    token = StaffApiToken.objects.get(user=officer)
    key = page.context["new_key"]
    assert key
    assert key in page.content.decode()
    assert key not in client.get("/staf/token-api/").content.decode()
    assert token.key_hash != key
    assert key not in str(token.__dict__)
    assert _api(key).get(LIST).status_code == 200


def test_a_token_expires_after_the_configured_days(officer, settings):
    # given a token issued with STAFF_API_TOKEN_DAYS = 7
    settings.STAFF_API_TOKEN_DAYS = 7
    with time_machine.travel(ISSUED, tick=False):
        key = staff_api_token(officer)
    # then it works a minute before 7 days, not a minute after
    with time_machine.travel(ISSUED + timedelta(days=7) - timedelta(minutes=1), tick=False):
        assert _api(key).get(LIST).status_code == 200
    with time_machine.travel(ISSUED + timedelta(days=7, minutes=1), tick=False):
        response = _api(key).get(LIST)
        assert response.status_code == 403
        assert response.json()["detail"]


def test_the_default_lifetime_is_thirty_days(officer):
    with time_machine.travel(ISSUED, tick=False):
        key = staff_api_token(officer)
    with time_machine.travel(ISSUED + timedelta(days=30) - timedelta(minutes=1), tick=False):
        assert _api(key).get(LIST).status_code == 200
    with time_machine.travel(ISSUED + timedelta(days=30, minutes=1), tick=False):
        assert _api(key).get(LIST).status_code == 403


def test_a_read_only_token_cannot_write(officer, complaint_in):  # noqa: F811
    # given a complaint of the office and a read-only token
    complaint = complaint_in(OFFICE_A, status=Status.RECEIVED)
    key = staff_api_token(officer, scope="read")
    url = f"{LIST}{complaint.reference}/assign/"
    # when it tries to assign
    response = _api(key).post(url, {"assignee": officer.username}, format="json")
    # then 403 and nothing changed; a read-write token may
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.assignee_id is None
    assert _api(key).get(f"{LIST}{complaint.reference}/").status_code == 200
    writer = staff_api_token(officer, scope="write")
    assert _api(writer).post(url, {"assignee": officer.username}, format="json").status_code == 200
    complaint.refresh_from_db()
    assert complaint.assignee_id == officer.pk


def test_an_administrator_revokes_a_token_in_the_admin(officer, django_user_model):
    # given a working token and an administrator past the second factor
    key = staff_api_token(officer)
    token = StaffApiToken.objects.get(user=officer)
    admin = django_user_model.objects.create_superuser("admin", "a@example.invalid", "x" * 20)
    # when the administrator revokes it
    response = staff_client(admin).post(
        "/admin/portal/staffapitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    # then it no longer opens the API
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin
    assert _api(key).get(LIST).status_code == 403


def test_the_owner_revokes_their_token_and_nobody_else_can(officer, make_staff):
    key = staff_api_token(officer)
    token = StaffApiToken.objects.get(user=officer)
    other = make_staff(OFFICE_A, Role.OFFICER, username="petugas-lain")
    assert staff_client(other).post(f"/staf/token-api/{token.pk}/cabut/").status_code == 404
    assert _api(key).get(LIST).status_code == 200
    assert staff_client(officer).post(f"/staf/token-api/{token.pk}/cabut/").status_code == 302
    assert _api(key).get(LIST).status_code == 403


def test_the_admin_cannot_create_or_edit_a_token(django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.invalid", "x" * 20)
    assert staff_client(admin).get("/admin/portal/staffapitoken/add/").status_code == 403


@pytest.mark.parametrize("change", ["inactive", "not_staff"])
def test_a_token_dies_with_its_owner_s_staff_status(officer, change):
    key = staff_api_token(officer)
    if change == "inactive":
        officer.is_active = False
    else:
        officer.is_staff = False
    officer.save()
    assert _api(key).get(LIST).status_code == 403


@pytest.mark.parametrize("header", ["Token nope", "Token", "Token a b", "Bearer x"])
def test_an_unknown_or_malformed_token_is_refused(header):
    client = Client()
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert response.json()["detail"]
