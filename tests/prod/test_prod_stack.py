"""`make prod`'s stack, started on the test database: the journeys through nginx over HTTPS, the
headers, compression and caching nginx adds, /healthz for a load balancer, and the client address
that rate limits see.

One stack per module (starting it takes a while); each test prepares its own rows.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintEvent
from portal.choices import Role
from tests.e2e.test_journeys import REPLY, fill_the_form
from tests.e2e.test_staff_triage import _code
from tests.factories import TEST_PASSWORD
from tests.faults.processes import wait_for
from tests.prod.conftest import TRACK_LIMIT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),  # self-signed
]


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(**context_args):
        context = browser.new_context(
            ignore_https_errors=True,  # make prod's self-signed certificate
            locale="id-ID",
            extra_http_headers={"Accept-Language": "id"},
            **context_args,
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def officer(make_staff):
    user = make_staff("bp3mi-jatim", Role.OFFICER, username="petugas-prod")
    # The suite's fast test hasher is unknown to the stack's own settings: the production one.
    user.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_journeys_through_nginx_over_https(stack, prod_data, officer, open_page):
    # given: a worker on a phone, JavaScript off, files a complaint through nginx
    worker = open_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    worker.goto(stack.url + "/pengaduan/lapor/")
    fill_the_form(worker)
    worker.click("#submit-id-submit")
    reference = worker.locator("#receipt-reference").inner_text()
    key = worker.locator("#receipt-key").inner_text()
    assert re.fullmatch(r"PMI-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    # and tracks it
    worker.goto(stack.url + "/pengaduan/lacak/")
    worker.fill("#id_reference", reference)
    worker.fill("#id_access_key", key)
    worker.click("#submit-id-track")
    expect(worker.locator("#complaint-status")).to_have_text("Diterima")

    # when: the officer signs in with the password and the second factor, and replies publicly
    page = open_page()
    page.goto(stack.url + "/admin/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/otp/"))
    page.fill("#id_token", _code(TOTPDevice.objects.get(user=officer)))
    page.click("#otp-form input[type=submit]")
    expect(page).to_have_url(re.compile("/admin/$"))
    page.goto(stack.url + "/admin/complaints/complaint/")
    page.get_by_role("link", name=reference).click()
    page.fill("#triage-reply textarea[name=body]", REPLY)
    page.click("#triage-reply input[type=submit]")
    expect(page.locator(".messagelist .success")).to_have_count(1)

    # then: the worker reads the reply
    worker.goto(stack.url + "/pengaduan/lacak/")
    worker.fill("#id_reference", reference)
    worker.fill("#id_access_key", key)
    worker.click("#submit-id-track")
    expect(worker.get_by_text(REPLY)).to_be_visible()

    # when: its deadline lapses, the stack's own beat and worker run the sweep
    complaint = Complaint.objects.get(reference=reference)
    office_before = complaint.office.code
    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(hours=1))

    # then: it climbs one level, once
    assert wait_for(
        lambda: Complaint.objects.get(pk=complaint.pk).escalation_level >= 1, timeout=90
    ), stack.log.read_text()[-3000:]
    complaint.refresh_from_db()
    assert complaint.office.code != office_before
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="escalation").count() == 1


def test_security_headers_and_no_server_version(stack):
    # when
    response = stack.get("/")
    # then
    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"  # server_tokens off: no version, no gunicorn
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 180 * 24 * 3600
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_plain_http_is_not_served_on_the_tls_port(stack):
    # when: a client speaks plain HTTP to the TLS port
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    connection.request("GET", "/")
    answer = connection.getresponse()
    # then: nginx refuses it (400 "plain HTTP request was sent to HTTPS port"), no page
    assert answer.status == 400


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/pengaduan/lapor/", "text/html"),
        ("/static/portal/css/portal.css", "text/css"),
        ("/static/vendor/bootstrap/css/bootstrap.min.css", "text/css"),
        ("/static/portal/js/region_picker.js", "javascript"),
    ],
)
def test_html_css_and_js_are_compressed(stack, prod_data, path, content_type):
    # when
    response = stack.get(path, headers={"Accept-Encoding": "gzip"}, stream=True)
    # then
    assert response.status_code == 200
    assert content_type in response.headers["Content-Type"]
    assert response.headers.get("Content-Encoding") == "gzip"
    compressed = len(response.raw.read(decode_content=False))
    full = len(stack.get(path, headers={"Accept-Encoding": "identity"}).content)
    assert compressed < full / 2


def test_static_files_are_cached_for_a_year_and_pages_are_not(stack, prod_data):
    # when
    static = stack.get("/static/portal/css/portal.css")
    page = stack.get("/healthz")
    # then
    cache_control = static.headers["Cache-Control"]
    assert "max-age=31536000" in cache_control
    assert "public" in cache_control
    assert "max-age=31536000" not in page.headers.get("Cache-Control", "")


def test_healthz_answers_the_load_balancer(stack):
    # when
    response = stack.get("/healthz")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # and the internals go by the client address nginx forwarded (TRUSTED_PROXY_COUNT=1), not by
    # the absence of proxy headers: this caller is on the host itself, so it gets them (a public
    # caller through nginx does not: tests/portal/test_health.py)
    assert body["detail"]["database"]["vendor"] == "postgresql"


def _track_from(stack, source: str, *, forwarded_for: str | None = None) -> int:
    """A failed tracking attempt from a loopback address of our choice: nginx sees `source`."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", stack.port, timeout=30, context=context, source_address=(source, 0)
    )
    body = json.dumps({"reference": "PMI-2222-2222", "access_key": "wrong-key-wrong-key"})
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    connection.request("POST", "/api/v1/complaints/track/", body=body, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_rate_limits_see_the_client_address_nginx_passed(stack, prod_data):
    # given: one client used up its failed tracking attempts
    statuses = [_track_from(stack, "127.0.0.2") for _ in range(TRACK_LIMIT + 1)]
    assert statuses[-1] == 429
    # when: it claims another address in its own X-Forwarded-For
    spoofed = _track_from(stack, "127.0.0.2", forwarded_for="203.0.113.9")
    # and another client, at another address, tries once
    other = _track_from(stack, "127.0.0.3")
    # then: the spoofed header changed nothing, and the other client is not slowed
    assert spoofed == 429
    assert other == 404
