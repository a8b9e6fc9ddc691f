"""An officer signs in with the second factor, takes a complaint from the queue, replies
publicly; the reporter then reads the reply on the tracking page."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from complaints.services.intake import ComplaintInput, complaint_submit
from portal.choices import Role
from tests.complaints.triage_support import category_ensure
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A regency without its own post: the complaint goes to BP3MI Jawa Timur itself.
REGENCY_WITHOUT_POST = "35.15"
REPLY = "Kami sudah menghubungi P3MI Anda. Mohon tunggu kabar berikutnya."


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def officer(reference_data, make_staff):
    user = make_staff("bp3mi-jatim", Role.OFFICER, username="petugas-e2e")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


@pytest.fixture
def receipt(reference_data, settings):
    category_ensure()  # the taxonomy's data migration does not survive a transactional flush
    return complaint_submit(
        data=ComplaintInput(
            category="gaji-tidak-dibayar",
            description="Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
            origin_region=REGENCY_WITHOUT_POST,
            destination_country="MY",
            consent=True,
            reporter_name="Siti Aminah",
            phone="081234567890",
            email="siti@example.invalid",
        )
    )


def test_officer_takes_a_complaint_and_the_reporter_reads_the_reply(
    page_in, live_server, settings, officer, receipt, assert_accessible
):
    settings.OTP_REQUIRED = True
    page = page_in("id")
    # given: password, then the code from the authenticator app
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/otp/"))
    assert_accessible(page)
    page.fill("#id_token", _code(TOTPDevice.objects.get(user=officer)))
    page.click("#otp-form input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/$"))
    # when: the queue, the case, assign to myself, a public reply
    page.goto(live_server.url + "/admin/complaints/complaint/")
    page.get_by_role("link", name=receipt.reference).click()
    page.select_option("#triage-assign select[name=assignee]", str(officer.pk))
    page.click("#triage-assign input[type=submit]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    page.fill("#triage-reply textarea[name=body]", REPLY)
    page.click("#triage-reply input[type=submit]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert REPLY in page.content()
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.assignee == officer
    # then: the reporter sees the reply on the tracking page
    reporter = page_in("id")
    reporter.goto(live_server.url + "/pengaduan/lacak/")
    reporter.fill("input[name=reference]", receipt.reference)
    reporter.fill("input[name=access_key]", receipt.access_key)
    reporter.locator("form.track-form [type=submit]").click()
    expect(reporter.get_by_text(REPLY)).to_be_visible()


@pytest.mark.parametrize("language", ["id", "en"])
def test_second_factor_page_is_accessible_in_both_languages(
    page_in, live_server, settings, officer, assert_accessible, language
):
    settings.OTP_REQUIRED = True
    page = page_in(language)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/otp/")
    assert page.locator("#id_token").is_visible()
    assert_accessible(page)
