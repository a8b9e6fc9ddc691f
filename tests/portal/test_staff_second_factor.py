"""Issue 15 item 1: the verified second factor is a property of every staff URL.

The URLs come from the URLconf (tests/portal/url_support.py), not from a list kept here: a staff
page added tomorrow is requested by these tests tomorrow.
"""

import pytest
from django.test import Client

from portal.choices import Role
from portal.middleware import (
    PUBLIC_EXACT_PATHS,
    PUBLIC_PATH_PREFIXES,
    SIGN_IN_VIEW_NAMES,
    STAFF_API_PREFIXES,
    STAFF_PATH_PREFIXES,
)
from tests.complaints.triage_support import staff_client
from tests.portal.url_support import url_entries

pytestmark = pytest.mark.django_db

# The accounts of the review (design.md §5 demo users), each with a password-only session.
REVIEW_ACCOUNTS = [
    ("kepala-jatim", "bp3mi-jatim", Role.HEAD),
    ("menteri", "kemenp2mi", Role.MINISTRY_ANALYST),
    ("editor", "kemenp2mi", Role.CONTENT_EDITOR),
]


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


def _staff_entries(urlconf=None):
    return [
        entry
        for entry in url_entries(urlconf)
        if entry.path.startswith(STAFF_PATH_PREFIXES) and entry.name not in SIGN_IN_VIEW_NAMES
    ]


def _refusals(client: Client, entries) -> list[str]:
    """The staff URLs this client reaches without being sent to the second step (or, for the
    API, without a 403)."""
    reached = []
    for entry in entries:
        response = client.get(entry.path)
        if entry.path.startswith(STAFF_API_PREFIXES):
            refused = response.status_code == 403 and "detail" in response.json()
        else:
            refused = response.status_code == 302 and response["Location"].startswith(
                "/admin/otp/?next="
            )
        if not refused:
            reached.append(f"{entry.path} ({entry.name}) → {response.status_code}")
    return reached


def test_every_url_pattern_gets_a_concrete_path():
    # given / when
    entries = url_entries()
    # then: no pattern escapes the tests for want of a sample value
    assert [entry.route for entry in entries if not entry.path] == []


def test_every_url_is_declared_staff_or_public():
    # given every URL of the portal
    entries = url_entries()
    # when each is looked up in the declarations of portal.middleware
    undeclared = [
        entry.path
        for entry in entries
        if not entry.path.startswith(STAFF_PATH_PREFIXES)
        and not entry.path.startswith(PUBLIC_PATH_PREFIXES)
        and entry.path not in PUBLIC_EXACT_PATHS
    ]
    # then none is left undecided (a new top-level page must be classified first)
    assert undeclared == []


def test_the_staff_urls_include_the_pages_of_the_review():
    paths = {entry.path for entry in _staff_entries()}
    for reviewed in ("/dashboard/", "/dashboard/complaints/", "/dashboard/watchlist/"):
        assert reviewed in paths
    assert any(path.startswith("/dashboard/csv/") for path in paths)
    assert any(path.startswith("/api/v1/staff/complaints/") for path in paths)
    assert any(path.startswith("/sosialisasi/foto/") for path in paths)
    assert any(path.startswith("/admin/") for path in paths)


@pytest.mark.parametrize(("username", "office", "role"), REVIEW_ACCOUNTS)
def test_a_password_only_session_reaches_no_staff_url(make_staff, username, office, role):
    # given a password-only session (second step not done)
    user = make_staff(office, role, username=username)
    client = staff_client(user, verified=False)
    # when every staff URL of the URLconf is requested
    reached = _refusals(client, _staff_entries())
    # then each sends the page to the second step, each API answers 403
    assert reached == []


def test_the_review_reproductions_redirect_to_the_second_step(make_staff):
    # given kepala-jatim with a password only
    client = staff_client(
        make_staff("bp3mi-jatim", Role.HEAD, username="kepala-jatim"), verified=False
    )
    # when the URLs of the review are opened with their query strings
    for url in (
        "/dashboard/",
        "/dashboard/complaints/?party=PT%20Contoh",
        "/dashboard/watchlist/",
        "/dashboard/csv/urgent_open/",
    ):
        response = client.get(url)
        # then the answer is the second step, carrying the page to return to
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/otp/?next=%2Fdashboard%2F"), url


def test_the_staff_api_refuses_a_password_only_session_also_for_writes(make_staff):
    client = staff_client(make_staff("bp3mi-jatim", Role.HEAD), verified=False)
    response = client.post(
        "/api/v1/staff/complaints/PMI-AAAA-BBBB/assign/",
        {"assignee": None},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"]


def test_anonymous_visitors_are_sent_to_the_password_step():
    client = Client()
    for entry in _staff_entries():
        response = client.get(entry.path)
        if entry.path.startswith(STAFF_API_PREFIXES):
            assert response.status_code == 403, entry.path
        else:
            assert response.status_code == 302, entry.path
            assert response["Location"].startswith("/admin/login/?next="), entry.path


def test_the_sign_in_steps_themselves_open_before_the_second_factor(make_staff):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # given a head without a device, then with one
    head = make_staff("bp3mi-jatim", Role.HEAD)
    client = staff_client(head, verified=False)
    # then enrolment opens, and once enrolled the code step
    assert client.get("/admin/otp/enrol/").status_code == 200
    TOTPDevice.objects.filter(user=head).update(confirmed=True)
    assert client.get("/admin/otp/").status_code == 200
    assert client.get("/admin/login/").status_code == 302  # on to the code step


@pytest.mark.parametrize(("username", "office", "role"), REVIEW_ACCOUNTS)
def test_a_verified_session_passes_the_gate(make_staff, username, office, role):
    # given the same accounts past the second factor
    client = staff_client(make_staff(office, role, username=username))
    # then the gate lets them on to the views, which apply role and scope
    assert client.get("/staf/panduan/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_staff_page_added_without_any_check_is_found_and_refused(make_staff, settings):
    # given a URLconf with a new staff page whose view checks nothing
    settings.ROOT_URLCONF = "tests.portal.urls_with_forgotten_staff_page"
    client = staff_client(make_staff("bp3mi-jatim", Role.HEAD), verified=False)
    # when the staff URLs are listed from that URLconf
    entries = _staff_entries(settings.ROOT_URLCONF)
    # then the new page is among them and the gate refuses it
    assert "/staf/halaman-baru/" in {entry.path for entry in entries}
    assert _refusals(client, [e for e in entries if e.path == "/staf/halaman-baru/"]) == []


def test_without_the_gate_the_generated_test_reports_the_forgotten_page(make_staff, settings):
    # given the same URLconf and the middleware removed (what the test is there to catch)
    settings.ROOT_URLCONF = "tests.portal.urls_with_forgotten_staff_page"
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "portal.middleware.StaffSecondFactorMiddleware"
    ]
    client = staff_client(make_staff("bp3mi-jatim", Role.HEAD), verified=False)
    # when / then: the check that the real test applies names the page
    entries = [e for e in _staff_entries(settings.ROOT_URLCONF) if e.path == "/staf/halaman-baru/"]
    assert _refusals(client, entries) == ["/staf/halaman-baru/ (forgotten-staff-page) → 200"]


def test_with_the_second_factor_switched_off_staff_pages_need_a_staff_sign_in_only(
    make_staff, settings
):
    # given development settings (OTP_REQUIRED off, as with DEBUG=1 by default)
    settings.OTP_REQUIRED = False
    head = make_staff("bp3mi-jatim", Role.HEAD)
    # then a password session opens staff pages and the API, an anonymous visitor does not
    password_only = staff_client(head, verified=False)
    assert password_only.get("/dashboard/").status_code == 200
    assert password_only.get("/api/v1/staff/complaints/").status_code == 200
    assert Client().get("/dashboard/")["Location"].startswith("/admin/login/")
    assert Client().get("/api/v1/staff/complaints/").status_code == 403


def test_the_second_factor_is_on_unless_debug_or_the_setting_says_otherwise():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.OTP_REQUIRED)"
    )
    cases = {
        "production": {"DEBUG": "0", "SECRET_KEY": "x" * 50},
        "debug": {"DEBUG": "1"},
        "debug, asked for": {"DEBUG": "1", "OTP_REQUIRED": "1"},
    }
    answers = {}
    for name, extra in cases.items():
        env = {k: v for k, v in os.environ.items() if k != "OTP_REQUIRED"}
        env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **extra})
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = result.stdout.strip().splitlines()
        answers[name] = lines[-1] if lines else result.stderr[-300:]
    assert answers == {"production": "True", "debug": "False", "debug, asked for": "True"}
