"""Issue 15 item 2: every oversight URL for every role, generated from the URLconf.

Oversight URLs are those under /dashboard/, /staf/laporan/ and /api/v1/oversight/ (whatever the
URLconf holds today). Who may see what is computed here from the rule's definition:
- national roles (ministry analyst, superuser) see every office; a member of the ministry office
  in another role is not national;
- officers and heads see their office and the offices below it; a content editor sees no office;
- dashboards and the watchlist are for heads and national roles;
- office reports are read within the scope, drafts only by their own office.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal.choices import Role
from tests.complaints.triage_support import category_ensure, staff_client
from tests.oversight.reports_factories import report_make
from tests.portal.url_support import url_entries

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
OVERSIGHT_PREFIXES = ("/dashboard/", "/staf/laporan/", "/api/v1/oversight/")
# Office ladder of the offices observed (post → BP3MI → ministry).
BELOW = {
    "kemenp2mi": {"bp3mi-jatim", "bp3mi-jabar", "p4mi-tulungagung", "p4mi-indramayu"},
    "bp3mi-jatim": {"p4mi-tulungagung"},
    "bp3mi-jabar": {"p4mi-indramayu"},
    "p4mi-tulungagung": set(),
    "p4mi-indramayu": set(),
}
OBSERVED = set(BELOW)
# name → (office, role); None: a superuser without membership.
ROLES = {
    "officer-jatim": ("bp3mi-jatim", Role.OFFICER),
    "kepala-jatim": ("bp3mi-jatim", Role.HEAD),
    "kepala-jabar": ("bp3mi-jabar", Role.HEAD),
    "petugas-tulungagung": ("p4mi-tulungagung", Role.OFFICER),
    "menteri": ("kemenp2mi", Role.MINISTRY_ANALYST),
    "petugas-kementerian": ("kemenp2mi", Role.OFFICER),
    "editor": ("kemenp2mi", Role.CONTENT_EDITOR),
    "superuser": None,
}


def scope_of(name: str) -> set[str]:
    spec = ROLES[name]
    if spec is None or spec[1] == Role.MINISTRY_ANALYST:
        return set(OBSERVED)
    office, role = spec
    if role == Role.CONTENT_EDITOR:
        return set()
    return {office} | BELOW[office] | {low for mid in BELOW[office] for low in BELOW[mid]}


def is_national(name: str) -> bool:
    return ROLES[name] is None or ROLES[name][1] == Role.MINISTRY_ANALYST


def may_open_dashboards(name: str) -> bool:
    return is_national(name) or ROLES[name][1] == Role.HEAD


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def world(make_staff, offices, django_user_model):
    """One open complaint per observed office, a submitted October report of BP3MI Jawa Timur,
    and a verified session for every role."""
    from tests.complaints.factories import ComplaintFactory
    from tests.complaints.triage_support import TRIAGE_DEFAULTS

    category = category_ensure()
    with time_machine.travel(NOW, tick=False):
        complaints = {
            code: ComplaintFactory(
                office=offices[code], category=category, is_urgent=True, **TRIAGE_DEFAULTS
            )
            for code in sorted(OBSERVED)
        }
        report = report_make(office_code="bp3mi-jatim", month=date(2026, 10, 1), status="submitted")
        # Signed in at the instant the requests are made: a session opened at another date
        # (the suite's moved clock) would have expired by then.
        clients = {}
        for name, spec in ROLES.items():
            if spec is None:
                user = django_user_model.objects.create_superuser(
                    name, f"{name}@example.invalid", "x" * 20
                )
            else:
                user = make_staff(spec[0], spec[1], username=name)
            clients[name] = staff_client(user)
    return {"complaints": complaints, "report": report, "clients": clients, "offices": offices}


def _oversight_entries(report_id: int):
    samples = {"report_id": str(report_id), "month": "2026-10", "table": "urgent_open"}
    entries = [e for e in url_entries(samples=samples) if e.path.startswith(OVERSIGHT_PREFIXES)]
    assert all(entry.path for entry in entries)
    fixed = []
    for entry in entries:
        if entry.name.endswith("watchlist_csv"):
            # The watchlist has its own tables; one that exists for every role allowed.
            path = reverse(entry.name, kwargs={"table": "p3mi"})
            entry = type(entry)(path=path, route=entry.route, name=entry.name)
        fixed.append(entry)
    return fixed


def test_the_oversight_urls_come_from_the_urlconf(world):
    entries = _oversight_entries(world["report"].pk)
    paths = {entry.path for entry in entries}
    assert "/dashboard/" in paths
    assert "/dashboard/complaints/" in paths
    assert "/dashboard/watchlist/" in paths
    assert f"/staf/laporan/{world['report'].pk}/" in paths


@pytest.mark.parametrize("name", list(ROLES))
def test_every_oversight_url_for_every_role(world, name):
    # given a verified session of this role and the oversight URLs of the URLconf
    client = world["clients"][name]
    report = world["report"]
    scope = scope_of(name)
    report_visible = "bp3mi-jatim" in scope
    jatim_name = world["offices"]["bp3mi-jatim"].name
    wrong = []
    with time_machine.travel(NOW, tick=False):
        for entry in _oversight_entries(report.pk):
            response = client.get(entry.path)
            if response.status_code == 405:  # a POST-only action: exercised with a POST
                response = client.post(entry.path, {})
            status = response.status_code
            # then: the answer the rule gives this role
            if entry.path.startswith(("/dashboard/", "/api/v1/oversight/")):
                expected_ok = may_open_dashboards(name)
                ok = status == 200 if expected_ok else status in (403, 404)
            elif entry.name in ("reports:create",):
                ok = status < 500
            elif str(report.pk) in entry.path.split("/"):
                ok = (status != 404 and status < 500) if report_visible else status == 404
            else:  # report list and month overview: open to staff, content scoped
                shown = jatim_name in response.content.decode()
                ok = status == 200 and shown == report_visible
            if not ok:
                wrong.append(f"{entry.path} → {status}")
    assert wrong == []


@pytest.mark.parametrize("name", list(ROLES))
def test_the_drilldown_lists_only_complaints_of_the_scope(world, name):
    # given one urgent complaint in each observed office
    client = world["clients"][name]
    complaints = world["complaints"]
    jabar = world["offices"]["bp3mi-jabar"]
    with time_machine.travel(NOW, tick=False):
        # when the complaints behind the figures are listed, also asking for another office
        pages = [
            client.get("/dashboard/complaints/"),
            client.get(f"/dashboard/complaints/?office={jabar.pk}"),
            client.get("/dashboard/csv/urgent_open/"),
        ]
    if not may_open_dashboards(name):
        # then nobody without a dashboard role reads a figure or a reference
        assert [page.status_code for page in pages] == [403, 403, 403]
        return
    listed = pages[0].content.decode()
    shown = {code for code, complaint in complaints.items() if complaint.reference in listed}
    # then exactly the complaints of the offices in scope (a head: their office and its posts)
    assert shown == scope_of(name)
    other_office = pages[1].content.decode()
    shown_for_jabar = {
        c for c, complaint in complaints.items() if complaint.reference in other_office
    }
    # (an office outside the scope is not a valid filter: the page falls back to the scope)
    assert shown_for_jabar <= scope_of(name)
    assert ("bp3mi-jabar" in shown_for_jabar) == ("bp3mi-jabar" in scope_of(name))


def test_the_content_editor_of_the_review_reads_no_complaint_figure(world):
    # given the editor of the ministry, second factor done (the review's reproduction)
    client = world["clients"]["editor"]
    jatim = world["offices"]["bp3mi-jatim"]
    with time_machine.travel(NOW, tick=False):
        answers = [
            client.get(f"/dashboard/complaints/?office={jatim.pk}").status_code,
            client.get("/dashboard/csv/urgent_open/").status_code,
            client.get("/dashboard/watchlist/").status_code,
            client.get("/dashboard/").status_code,
        ]
    # then every one is refused
    assert answers == [403, 403, 403, 403]
