"""The triage queue and case page for a BP3MI (issue 14, item 6): refusals with their real reason,
a queue that opens on open complaints, a timeline in words, times with their zone."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.choices import EventKind, Status
from complaints.models import ComplaintEvent
from complaints.services.triage import (
    complaint_add_note,
    complaint_assign,
    complaint_change_status,
    complaint_reply,
)
from portal.choices import Role
from tests.complaints.triage_support import OFFICE_A, OFFICE_A_POST, OFFICE_B, staff_client

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:complaints_complaint_changelist"
# A Monday morning in Jakarta: 03:00 UTC is 10:00 WIB (UTC+7).
FROZEN = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)


def _change_url(complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def _bulk(client, action: str, complaints, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in complaints], **extra},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _messages(response) -> list[str]:
    """What the user reads on the page the action redirected to."""
    return [str(message) for message in response.context["messages"]]


# --- bulk actions: the real reason, per complaint ---------------------------------------------


def test_bulk_assign_to_me_works_for_a_bp3mi_officer_on_post_cases(officer_a, complaint_in):
    # given: two cases held by the post below BP3MI Jawa Timur
    cases = [complaint_in(OFFICE_A_POST) for _ in range(2)]
    # when
    response = _bulk(staff_client(officer_a), "assign_to_me", cases)
    # then
    for case in cases:
        case.refresh_from_db()
        assert case.assignee == officer_a
    assert _messages(response) == ["2 complaints changed."]


def test_bulk_assign_refuses_a_finished_case_naming_its_status(officer_a, complaint_in):
    # given
    open_case = complaint_in(OFFICE_A_POST)
    closed = complaint_in(OFFICE_A_POST, status=Status.CLOSED)
    # when
    response = _bulk(staff_client(officer_a), "assign_to_me", [open_case, closed])
    # then
    shown = _messages(response)
    assert "1 complaint changed." in shown
    refusal = next(m for m in shown if closed.reference in m)
    assert "finished" in refusal
    assert "Closed" in refusal
    assert open_case.reference not in refusal
    assert not any("not allowed from its status" in m for m in shown)


def test_bulk_assign_tells_an_analyst_he_is_not_a_handling_role(analyst, complaint_in):
    case = complaint_in(OFFICE_B)
    response = _bulk(staff_client(analyst), "assign_to_me", [case])
    (refusal,) = _messages(response)
    assert case.reference in refusal
    assert "not an officer or head" in refusal
    case.refresh_from_db()
    assert case.assignee is None


def test_bulk_action_on_a_case_outside_the_scope_says_so(officer_a, complaint_in):
    # given: a ticked id of another BP3MI's case (a stale page, or a crafted form)
    mine = complaint_in(OFFICE_A)
    elsewhere = complaint_in(OFFICE_B)
    # when
    response = _bulk(staff_client(officer_a), "assign_to_me", [mine, elsewhere])
    # then
    shown = _messages(response)
    assert "1 complaint changed." in shown
    expected = "1 selected complaint was not changed: it is not in your offices"
    assert any(expected in m for m in shown)
    assert not any(elsewhere.reference in m for m in shown)
    elsewhere.refresh_from_db()
    assert elsewhere.assignee is None


def test_bulk_status_change_names_the_refused_transition_per_complaint(officer_a, complaint_in):
    # given
    ok = complaint_in(OFFICE_A, status=Status.IN_PROGRESS)
    received = [complaint_in(OFFICE_A, status=Status.RECEIVED) for _ in range(2)]
    # when
    response = _bulk(staff_client(officer_a), "mark_resolved", [ok, *received])
    # then
    shown = _messages(response)
    refusal = next(m for m in shown if m.startswith("Not changed"))
    assert "“Received” cannot become “Resolved”" in refusal
    assert all(case.reference in refusal for case in received)
    assert ok.reference not in refusal


def test_bulk_action_gives_the_real_reason_when_the_case_closed_after_the_page_loaded(
    officer_a, complaint_in
):
    # given: the queue (open only) showed it; it was closed before the action ran
    case = complaint_in(OFFICE_A, status=Status.RESOLVED)
    case.status = Status.CLOSED
    case.save(update_fields=["status"])
    # when
    response = _bulk(staff_client(officer_a), "assign_to_me", [case])
    # then
    (refusal,) = _messages(response)
    assert case.reference in refusal
    assert "Closed" in refusal


# --- the queue opens on open complaints -------------------------------------------------------


@pytest.fixture
def queue(complaint_in):
    return {status: complaint_in(OFFICE_A, status=status) for status in Status.values}


def _listed(response) -> set[str]:
    return {c.status for c in response.context["cl"].result_list}


def test_queue_opens_on_open_complaints(officer_a, queue):
    # when
    response = staff_client(officer_a).get(reverse(CHANGELIST))
    # then: work not finished, a case waiting for its reporter included
    assert _listed(response) == {"received", "verified", "in_progress", "waiting_reporter"}
    assert "?status=all" in response.content.decode()


def test_queue_all_choice_shows_every_status(officer_a, queue):
    response = staff_client(officer_a).get(reverse(CHANGELIST), {"status": "all"})
    assert _listed(response) == set(Status.values)


@pytest.mark.parametrize("status", Status.values)
def test_queue_one_status_choice(officer_a, queue, status):
    response = staff_client(officer_a).get(reverse(CHANGELIST), {"status": status})
    assert _listed(response) == {status}


@pytest.mark.parametrize("value", ["bogus", "", "RECEIVED", "'; drop table x"])
def test_queue_unknown_status_choice_falls_back_to_open(officer_a, queue, value):
    response = staff_client(officer_a).get(reverse(CHANGELIST), {"status": value})
    assert response.status_code == 200
    assert _listed(response) == {"received", "verified", "in_progress", "waiting_reporter"}


def test_queue_deadline_carries_its_zone(officer_a, complaint_in):
    with time_machine.travel(FROZEN, tick=False):
        complaint_in(OFFICE_A, due_at=FROZEN + timedelta(days=2))
        html = staff_client(officer_a).get(reverse(CHANGELIST)).content.decode()
    # 2026-07-08 03:00 UTC is 10:00 in Jakarta
    assert "08-07-2026 10:00 WIB" in html


# --- the case page: assign form, timeline in words, zoned times -------------------------------


def test_case_page_offers_the_bp3mi_staff_for_a_post_case(
    officer_a, head_a, officer_b, make_staff, complaint_in
):
    # given
    make_staff(OFFICE_A_POST, Role.OFFICER, username="petugas-pos")
    case = complaint_in(OFFICE_A_POST)
    client = staff_client(officer_a)
    # when
    response = client.get(_change_url(case))
    # then
    form = next(f["form"] for f in response.context["triage_forms"] if f["action"] == "assign")
    offered = {user.username for user in form.fields["assignee"].queryset}
    assert offered == {"petugas-a", "kepala-a", "petugas-pos"}
    # when: he takes it from the case page
    client.post(
        reverse("admin:complaints_complaint_triage", args=[case.pk, "assign"]),
        {"assignee": officer_a.pk},
    )
    # then
    case.refresh_from_db()
    assert case.assignee == officer_a


@pytest.fixture
def case_with_history(officer_a, offices, complaint_in):
    """A post case with one event of each kind staff write, plus an escalation row shaped like
    the sweep's (office ids in its data)."""
    with time_machine.travel(FROZEN, tick=False):
        case = complaint_in(OFFICE_A_POST)
        complaint_change_status(complaint=case, actor=officer_a, status=Status.VERIFIED)
        complaint_reply(complaint=case, actor=officer_a, body="Kami sedang menghubungi P3MI.")
        complaint_add_note(complaint=case, actor=officer_a, body="Telepon P3MI besok.")
        complaint_assign(complaint=case, actor=officer_a, assignee=officer_a)
        ComplaintEvent.objects.create(
            complaint=case,
            kind=EventKind.ESCALATION,
            level=1,
            body="",
            data={
                "from_office": offices[OFFICE_A_POST].pk,
                "to_office": offices[OFFICE_A].pk,
                "stage": "verification",
            },
        )
    return case


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            [
                "Status: diterima → terverifikasi",
                "Balasan publik",
                "Catatan internal",
                "Penugasan: petugas-a",
                "Eskalasi: level 1, P4MI Tulungagung → BP3MI Jawa Timur",
            ],
        ),
        (
            "en",
            [
                "Status: received → verified",
                "Public reply",
                "Internal note",
                "Assignment: petugas-a",
                "Escalation: level 1, P4MI Tulungagung → BP3MI Jawa Timur",
            ],
        ),
    ],
)
def test_timeline_reads_as_words(officer_a, case_with_history, language, expected):
    # when
    with time_machine.travel(FROZEN, tick=False):
        html = (
            staff_client(officer_a)
            .get(_change_url(case_with_history), HTTP_ACCEPT_LANGUAGE=language)
            .content.decode()
        )
    # then
    for words in expected:
        assert words in html
    raw = [f"{case_with_history.pk} {kind}" for kind in EventKind.values]
    assert not [value for value in raw if value in html]
    assert "<p>status</p>" not in html


def test_every_time_on_the_case_page_carries_its_zone(officer_a, case_with_history, attachment_of):
    with time_machine.travel(FROZEN, tick=False):
        attachment_of(case_with_history)
        html = staff_client(officer_a).get(_change_url(case_with_history)).content.decode()
    # received, verified, first response, consent, five timeline rows and the attachment, all
    # at 10:00 in Jakarta; and the deadline beside its badge
    assert html.count("06-07-2026 10:00 WIB") == 10
    badge = html.split('<span class="sla sla-')[1].split("</div>")[0]
    times = re.findall(r"\d{2}:\d{2}(?: [A-Z]{3,4})?", badge)
    assert all(time.endswith(" WIB") for time in times)
    assert "10:00<" not in html  # no bare time without its zone
    assert "10:00 " not in html.replace("10:00 WIB", "")


def test_case_page_with_actions_renders_them_beside_the_case(officer_a, complaint_in):
    html = staff_client(officer_a).get(_change_url(complaint_in(OFFICE_A))).content.decode()
    assert 'class="triage-layout with-actions"' in html
    assert html.index('class="triage-case"') < html.index('id="triage-actions"')


def test_a_timeline_event_names_itself_in_words(case_with_history):
    from django.utils import translation

    with translation.override("id"):
        names = [str(event) for event in case_with_history.events.order_by("created_at", "id")]
    assert names[:4] == [
        "Status: diterima → terverifikasi",
        "Balasan publik",
        "Catatan internal",
        "Penugasan: petugas-a",
    ]
    assert names[4].startswith("Eskalasi: level 1")


def test_a_forwarded_case_reads_from_which_office_to_which(head_a, offices, complaint_in):
    from complaints.services.triage import complaint_forward

    case = complaint_in(OFFICE_A_POST)
    complaint_forward(
        complaint=case, actor=head_a, office=offices[OFFICE_A], reason="Perlu kunjungan lapangan."
    )
    html = staff_client(head_a).get(_change_url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Forwarded: P4MI Tulungagung → BP3MI Jawa Timur" in html
