"""Issue 15 items 6 and 12: the session key changes at each privilege change, and a sign-in with
a foreign `next` goes on to the second step, never off the site nor to a 404."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.choices import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def head(make_staff):
    return make_staff("bp3mi-jatim", Role.HEAD, username="kepala-jatim")


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def _sign_in_password(client: Client, user, next_url: str = "") -> object:
    query = f"?next={next_url}" if next_url else ""
    return client.post(
        f"/admin/login/{query}", {"username": user.username, "password": TEST_PASSWORD}
    )


def test_the_session_key_changes_after_the_second_factor(head):
    # given a session past the password
    device = TOTPDevice.objects.create(user=head, name="app", confirmed=True)
    client = Client()
    _sign_in_password(client, head)
    before = client.session.session_key
    # when the code is accepted
    response = client.post("/admin/otp/", {"token": _code(device)})
    assert response.status_code == 302
    after = client.session.session_key
    # then the verified session has a new key, and the old key opens nothing
    assert after != before
    stolen = Client()
    stolen.cookies["sessionid"] = before
    assert stolen.get("/dashboard/").status_code == 302
    assert stolen.get("/dashboard/")["Location"].startswith("/admin/login/")
    assert client.get("/dashboard/").status_code == 200


def test_the_session_key_changes_after_enrolment(head):
    # given a first sign-in: password, then the enrolment page
    client = Client()
    _sign_in_password(client, head)
    client.get("/admin/otp/enrol/")
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    before = client.session.session_key
    # when the first code confirms the app
    response = client.post("/admin/otp/enrol/", {"token": _code(device)})
    # then the backup codes are shown in a session with a new key
    assert response.status_code == 200
    assert client.session.session_key != before


def test_the_session_key_changes_after_the_password(head):
    # given an anonymous session that already has a key (a planted cookie, say)
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    client.cookies["sessionid"] = planted
    # when the password is accepted
    _sign_in_password(client, head)
    # then the signed-in session is another one
    assert client.session.session_key != planted
    stale = Client()
    stale.cookies["sessionid"] = planted
    assert stale.get("/admin/otp/").status_code == 302
    assert stale.get("/admin/otp/")["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "foreign",
    [
        "https://evil.example/",
        "//evil.example/path",
        "https:/evil.example",
        "http://testserver.evil.example/",
    ],
)
def test_a_foreign_next_after_the_password_lands_on_the_second_step(head, foreign):
    from urllib.parse import quote

    TOTPDevice.objects.create(user=head, name="app", confirmed=True)
    client = Client()
    # when the password is posted with a foreign next
    response = _sign_in_password(client, head, quote(foreign, safe=""))
    # then the next page is the second step of this site, without the foreign address
    assert response.status_code == 302
    assert response["Location"] == "/admin/otp/"
    assert client.get(response["Location"]).status_code == 200


def test_a_local_next_is_kept_through_the_second_step(head):
    TOTPDevice.objects.create(user=head, name="app", confirmed=True)
    client = Client()
    response = _sign_in_password(client, head, "%2Fdashboard%2F")
    assert response["Location"] == "/admin/otp/?next=%2Fdashboard%2F"


def test_without_the_second_factor_a_foreign_next_lands_on_the_admin(head, settings):
    # given development settings
    settings.OTP_REQUIRED = False
    client = Client()
    # when / then: never Django's /accounts/profile/ (a 404 here), never the foreign site
    response = _sign_in_password(client, head, "https%3A%2F%2Fevil.example%2F")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
