"""Three user journeys through the whole portal, with a screenshot of every step under
test-results/journeys/<journey>/ (a CI artefact):

(a) a worker files a complaint in Indonesian on a 360 px phone with JavaScript off, notes the
    reference and key from the receipt, and later tracks it;
(b) a BP3MI officer signs in with the second factor, takes the complaint and replies publicly;
    the worker reads the reply on the tracking page;
(c) the deadline lapses, a real Celery beat + worker escalate the complaint to the ministry, and
    the ministry's dashboard shows it escalated and, once the ministry's own grace period lapses
    too, overdue.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from complaints.models import Complaint
from portal.choices import Role
from tests.complaints.sla_support import holidays_ensure
from tests.complaints.triage_support import category_ensure
from tests.e2e import test_staff_triage as triage
from tests.e2e.region_steps import choose_region_step_by_step
from tests.factories import TEST_PASSWORD
from tests.faults.processes import CELERY, ROOT, Worker, portal_env, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-results" / "journeys"
PHONE = {"width": 360, "height": 740}
DESCRIPTION = "Gaji saya tidak dibayar selama tiga bulan dan paspor saya ditahan majikan."
REPLY = "Kami sudah menghubungi P3MI Anda. Mohon tunggu kabar berikutnya."
# Journey (c) runs its worker and beat on a Redis database of its own.
JOURNEY_REDIS_DB = 9


class Steps:
    """Numbered full-page screenshots of one journey."""

    def __init__(self, journey: str) -> None:
        self.directory = SCREENSHOTS / journey
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.glob("*.png"):
            old.unlink()
        self.count = 0

    def shot(self, page, name: str) -> None:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0


@pytest.fixture
def journey_data(reference_data, settings):
    category_ensure()  # the taxonomy's data migration does not survive a transactional flush
    holidays_ensure()
    from django.core.cache import cache

    cache.clear()  # throttle counters of earlier tests


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def fill_the_form(page) -> None:
    page.select_option("#id_category", "gaji-tidak-dibayar")
    page.check("#id_in_danger_1")  # "yes": in danger now, so the complaint is urgent
    page.fill("#id_description", DESCRIPTION)
    page.select_option("#id_destination_country", "MY")
    page.fill("#id_destination_city", "Johor Bahru")
    # Regency 35.15 has no post of its own: the complaint goes to BP3MI Jawa Timur.
    choose_region_step_by_step(page, province="35", regency="35.15")
    page.fill("#id_reporter_name", "Siti Aminah")
    page.fill("#id_phone", "0812 3456 7890")
    page.check("#id_consent")


def file_complaint_on_a_phone(page_in, live_server, steps: Steps) -> tuple[str, str]:
    """The worker's part: JavaScript off, 360 px, Indonesian. Returns (reference, key)."""
    page = page_in("id", java_script_enabled=False, viewport=PHONE)
    page.goto(live_server.url + "/")
    fits_the_phone(page)
    steps.shot(page, "home")
    page.goto(live_server.url + "/pengaduan/lapor/")
    assert "Laporkan masalah" in page.locator("h1").inner_text()
    fits_the_phone(page)
    steps.shot(page, "form-empty")
    fill_the_form(page)
    steps.shot(page, "form-filled")
    page.click("#submit-id-submit")
    reference = page.locator("#receipt-reference").inner_text()
    key = page.locator("#receipt-key").inner_text()
    assert re.fullmatch(r"PMI-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert len(key.replace("-", "")) == 20
    fits_the_phone(page)
    steps.shot(page, "receipt")
    page.context.close()  # the worker leaves; only the noted reference and key remain
    return reference, key


def track(page_in, live_server, steps: Steps, *, reference: str, key: str, name: str):
    """The worker comes back later, on a new phone session, and types both in by hand."""
    page = page_in("id", java_script_enabled=False, viewport=PHONE)
    page.goto(live_server.url + "/pengaduan/lacak/")
    steps.shot(page, f"{name}-form")
    page.fill("#id_reference", reference.lower())
    page.fill("#id_access_key", key)
    page.click("#submit-id-track")
    expect(page.locator("#complaint-status")).to_be_visible()
    assert reference in page.content()
    fits_the_phone(page)
    steps.shot(page, name)
    return page


def test_journey_a_worker_files_on_a_phone_without_javascript_and_tracks(
    page_in, live_server, journey_data
):
    steps = Steps("a-worker-files-and-tracks")
    # given / when: the worker files the complaint and notes the receipt
    reference, key = file_complaint_on_a_phone(page_in, live_server, steps)
    # then: it is stored once, urgent, at BP3MI Jawa Timur
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.office.code == "bp3mi-jatim"
    assert complaint.is_urgent
    # when: later, the worker tracks it
    page = track(page_in, live_server, steps, reference=reference, key=key, name="tracked")
    # then: the status is shown in Indonesian
    assert page.locator("#complaint-status").inner_text() == "Diterima"


@pytest.fixture
def officer(make_staff):
    user = make_staff("bp3mi-jatim", Role.OFFICER, username="petugas-journey")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_journey_b_officer_with_second_factor_replies_and_the_worker_reads_it(
    page_in, live_server, settings, journey_data, officer
):
    steps = Steps("b-officer-triages-and-replies")
    settings.OTP_REQUIRED = True
    reference, key = file_complaint_on_a_phone(page_in, live_server, steps)
    # given: the officer signs in with password, then the code from the authenticator app
    page = page_in("id")
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    steps.shot(page, "officer-password")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/otp/"))
    steps.shot(page, "officer-second-factor")
    page.fill("#id_token", triage._code(TOTPDevice.objects.get(user=officer)))
    page.click("#otp-form input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/$"))
    # when: the queue, the case, assign to myself, a public reply
    page.goto(live_server.url + "/admin/complaints/complaint/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    steps.shot(page, "officer-queue")
    page.get_by_role("link", name=reference).click()
    steps.shot(page, "officer-complaint")
    page.select_option("#triage-assign select[name=assignee]", str(officer.pk))
    page.click("#triage-assign input[type=submit]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    steps.shot(page, "officer-assigned")
    page.fill("#triage-reply textarea[name=body]", REPLY)
    page.click("#triage-reply input[type=submit]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    steps.shot(page, "officer-replied")
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.assignee == officer
    # then: the worker reads the reply on the tracking page
    worker = track(page_in, live_server, steps, reference=reference, key=key, name="worker-reads")
    expect(worker.get_by_text(REPLY)).to_be_visible()


class Beat:
    """A real `celery beat` process; stopped by its own pid."""

    def __init__(self, *, env: dict[str, str], directory: Path) -> None:
        self.log = directory / "beat.log"
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "portal",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(directory / "celerybeat-schedule"),
                "--pidfile=",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.handle.close()


def _journey_redis_url() -> str:
    from tests.support import port_open, require

    base = django_settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    require(port_open(base, 6379), "Redis (REDIS_URL) is not available")
    return re.sub(r"/\d*$", "", base.rstrip("/")) + f"/{JOURNEY_REDIS_DB}"


def _signed_in(page_in, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_in("id")
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def _sweeps(log: Path) -> int:
    return len(re.findall(r"complaints\.escalate_overdue\[[^]]+\] succeeded", log.read_text()))


def _level_row(page, level: int) -> list[str]:
    row = page.locator("#open_by_level tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^\s*{level}\s*$"))
    )
    expect(row).to_have_count(1)
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def test_journey_c_deadline_lapses_beat_and_worker_escalate_to_the_ministry(
    postgres, page_in, live_server, journey_data, make_staff, offices, tmp_path
):
    steps = Steps("c-escalation-to-the-ministry")
    minister = make_staff("kemenp2mi", Role.MINISTRY_ANALYST, username="menteri-journey")
    reference, key = file_complaint_on_a_phone(page_in, live_server, steps)
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.office.parent_id == offices["kemenp2mi"].pk
    # given: BP3MI Jawa Timur let the deadline lapse (the clock moved past it)
    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(hours=1))
    env = portal_env(
        redis_url=_journey_redis_url(),
        ESCALATION_INTERVAL_SECONDS="2",
        PORTAL_DATA_DIR=str(tmp_path),
    )
    worker = Worker(env=env, log=tmp_path / "worker.log")
    beat = Beat(env=env, directory=tmp_path)
    try:
        worker.wait_ready()
        # when: beat sends the sweep every 2 s and the worker runs it
        escalated = wait_for(
            lambda: Complaint.objects.filter(pk=complaint.pk, office=offices["kemenp2mi"]).exists(),
            timeout=90,
            every=0.5,
        )
        assert escalated, (
            f"not escalated:\nworker:\n{worker.log.read_text()[-3000:]}\n"
            f"beat:\n{beat.log.read_text()[-3000:]}"
        )
        complaint.refresh_from_db()
        assert complaint.escalation_level == 1
        assert complaint.due_at > timezone.now()  # the ministry got its own grace period
        # and: the ministry's grace lapses too; the ministry is the top of the ladder, so the
        # next sweeps leave the complaint there (they re-notify it on working days only)
        Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(hours=1))
        sweeps_before = _sweeps(worker.log)
        assert wait_for(lambda: _sweeps(worker.log) >= sweeps_before + 2, timeout=60, every=0.5)
    finally:
        beat.stop()
        worker.stop()
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert complaint.office == offices["kemenp2mi"]
    # when: the summary is refreshed (beat does it every 5 minutes) and the minister looks
    call_command("refresh_dashboard_summary")
    page = _signed_in(page_in, live_server, minister)
    page.goto(live_server.url + "/dashboard/")
    steps.shot(page, "ministry-dashboard")
    # then: one open complaint at escalation level 1; the office's lapsed action deadline is
    # not the service standard, counted from receipt (urgent: hours), which it has not passed
    assert _level_row(page, 1) == ["1", "1", "0"]
    urgent = page.locator("#urgent_open tbody tr").filter(has_text=reference)
    expect(urgent).to_have_count(1)
    assert "KemenP2MI" in urgent.inner_text()
    # and the worker still tracks it
    track(page_in, live_server, steps, reference=reference, key=key, name="worker-tracks")
