import time
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.middleware import SESSION_STARTED_KEY
from tests.complaints.triage_support import OFFICE_A, staff_client
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True


def _current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def _reset_throttle(device) -> None:
    """A failed code locks the device for a second (django-otp throttling): skip the wait."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def _every_admin_page(complaint) -> list[str]:
    """Index, every app index, and every registered model's changelist and add page, plus the
    case page, history and custom views of a complaint."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"admin:{info}_changelist"))
        urls.append(reverse(f"admin:{info}_add"))
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
    urls += [
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        reverse("admin:complaints_complaint_history", args=[complaint.pk]),
        reverse("admin:complaints_complaint_triage", args=[complaint.pk, "note"]),
        reverse("admin:autocomplete") + "?app_label=complaints&model_name=complaint"
        "&field_name=duplicate_of",
    ]
    return sorted(set(urls))


def test_no_admin_page_opens_without_the_second_factor(officer_a, complaint_in):
    # given: password accepted, no second factor yet (even with a confirmed device)
    complaint = complaint_in(OFFICE_A)
    TOTPDevice.objects.create(user=officer_a, name="app", confirmed=True)
    client = staff_client(officer_a, verified=False)
    # when: every admin page is asked for
    answers = {url: client.get(url) for url in _every_admin_page(complaint)}
    # then: each one sends the officer to the code page, and back to the same page afterwards
    not_sent_to_code_page = {
        url: (response.status_code, response.get("Location"))
        for url, response in answers.items()
        if response.status_code != 302
        or response["Location"] != f"{reverse('admin:otp_verify')}?next={quote(url, safe='')}"
    }
    assert not_sent_to_code_page == {}
    assert staff_client(officer_a).get(reverse("admin:index")).status_code == 200


def test_superuser_also_needs_the_second_factor(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.invalid", "x" * 20)
    response = staff_client(boss, verified=False).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:otp_verify')}?next=%2Fadmin%2F"


def test_first_sign_in_enrols_a_totp_app_with_a_qr_code_and_backup_codes(officer_a):
    # given
    client = Client()
    # when: the password
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": officer_a.username, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    # then: no device yet → enrolment with a server-drawn QR code
    response = client.get(reverse("admin:login"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("admin:otp_enrol"))
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=officer_a, confirmed=False)
    # when: a wrong code, then the right one
    bad = client.post(reverse("admin:otp_enrol"), {"token": "000000"})
    assert "errorlist" in bad.content.decode()
    _reset_throttle(device)
    done = client.post(reverse("admin:otp_enrol"), {"token": _current_code(device)})
    # then: backup codes shown once, admin open
    assert done.status_code == 200
    codes = StaticDevice.objects.get(user=officer_a).token_set.values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get(reverse("admin:index")).status_code == 200


def test_sign_in_with_a_code_from_the_app(officer_a):
    device = TOTPDevice.objects.create(user=officer_a, name="app", confirmed=True)
    client = Client()
    client.post(reverse("admin:login"), {"username": officer_a.username, "password": TEST_PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 302
    wrong = client.post(reverse("admin:otp_verify"), {"token": "123456"})
    assert "errorlist" in wrong.content.decode()
    _reset_throttle(device)
    response = client.post(
        reverse("admin:otp_verify") + "?next=/admin/complaints/complaint/",
        {"token": _current_code(device)},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/complaints/complaint/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_backup_code_works_once(officer_a):
    from portal.otp import backup_codes_issue

    TOTPDevice.objects.create(user=officer_a, name="app", confirmed=True)
    code = backup_codes_issue(user=officer_a)[0]
    first = Client()
    first.force_login(officer_a)
    assert first.post(reverse("admin:otp_verify"), {"token": code}).status_code == 302
    second = Client()
    second.force_login(officer_a)
    assert second.post(reverse("admin:otp_verify"), {"token": code}).status_code == 200


def test_password_guessing_locks_the_account(officer_a, settings):
    settings.AXES_ENABLED = True
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": officer_a.username, "password": "x"})
    response = client.post(
        reverse("admin:login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    # then: the right password is refused too, with a reason in Indonesian, and no session
    assert response.status_code == 429
    assert "terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_idle_session_ends_after_thirty_minutes_and_activity_keeps_it(officer_a):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = staff_client(officer_a)
        assert client.get(reverse("admin:index")).status_code == 200
        # active every 29 minutes for two hours: still signed in
        for _step in range(4):
            clock.shift(timedelta(minutes=29))
            assert client.get(reverse("admin:index")).status_code == 200
        # then 31 minutes idle: signed out, sent to the sign-in page
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_session_ends_after_the_absolute_limit_even_when_active(officer_a, settings):
    client = staff_client(officer_a)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get(reverse("admin:index")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_device_admin_speaks_indonesian_and_never_shows_the_secret(django_user_model):
    boss = django_user_model.objects.create_superuser("boss2", "b2@example.invalid", "x" * 20)
    device = TOTPDevice.objects.create(user=boss, name="ponsel", confirmed=True)
    client = staff_client(boss)
    listing = client.get("/admin/otp_totp/totpdevice/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "aplikasi autentikator" in listing.lower()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
