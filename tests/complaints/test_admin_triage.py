import itertools

import pytest
from django.urls import reverse

from complaints.choices import AccessAction, EventKind, Status
from complaints.models import AccessRecord, ComplaintEvent
from complaints.services.triage import ALLOWED_TRANSITIONS
from tests.complaints.triage_support import OFFICE_A, OFFICE_B, staff_client

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:complaints_complaint_changelist"


def _change_url(complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def _triage_url(complaint, action: str) -> str:
    return reverse("admin:complaints_complaint_triage", args=[complaint.pk, action])


def test_queue_lists_urgent_first_then_by_deadline(officer_a, complaint_in):
    # given
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    later = complaint_in(OFFICE_A, due_at=now + timedelta(days=5))
    sooner = complaint_in(OFFICE_A, due_at=now + timedelta(days=1))
    urgent = complaint_in(OFFICE_A, is_urgent=True, due_at=now + timedelta(days=9))
    # when
    response = staff_client(officer_a).get(reverse(CHANGELIST))
    # then
    assert response.status_code == 200
    references = [c.reference for c in response.context["cl"].result_list]
    assert references == [urgent.reference, sooner.reference, later.reference]


def test_queue_filters_overdue_by_the_service_standard_and_assigned_to_me(officer_a, complaint_in):
    from datetime import timedelta

    from django.utils import timezone

    # given one complaint past its verification target (its office deadline still ahead) and
    # one whose office deadline lapsed while its standard target is still ahead
    now = timezone.now()
    overdue = complaint_in(
        OFFICE_A,
        due_at=now + timedelta(days=2),
        standard_verify_due_at=now - timedelta(hours=1),
    )
    complaint_in(
        OFFICE_A, due_at=now - timedelta(hours=1), standard_verify_due_at=now + timedelta(days=1)
    )
    mine = complaint_in(OFFICE_A, assignee=officer_a)
    client = staff_client(officer_a)
    # when / then "overdue" means past the standard, not the office's deadline
    listed = client.get(reverse(CHANGELIST), {"sla": "overdue"}).context["cl"].result_list
    assert [c.pk for c in listed] == [overdue.pk]
    listed = client.get(reverse(CHANGELIST), {"assigned": "me"}).context["cl"].result_list
    assert [c.pk for c in listed] == [mine.pk]


def test_search_by_passport_number_is_exact(officer_a, complaint_in):
    wanted = complaint_in(OFFICE_A, passport_number="X9876543")
    complaint_in(OFFICE_A, passport_number="X98765430")
    listed = (
        staff_client(officer_a)
        .get(reverse(CHANGELIST), {"q": "x9876543"})
        .context["cl"]
        .result_list
    )
    assert [c.pk for c in listed] == [wanted.pk]


def test_case_page_shows_personal_data_to_the_officer_and_records_the_access(
    officer_a, complaint_in
):
    complaint = complaint_in(OFFICE_A, passport_number="C7654321")
    response = staff_client(officer_a).get(_change_url(complaint))
    assert response.status_code == 200
    assert "C7654321" in response.content.decode()
    record = AccessRecord.objects.get()
    assert (record.user, record.complaint, record.action) == (
        officer_a,
        complaint,
        AccessAction.VIEW,
    )


def test_case_page_hides_personal_data_from_the_ministry_analyst(analyst, complaint_in):
    complaint = complaint_in(OFFICE_A, passport_number="C7654321")
    response = staff_client(analyst).get(_change_url(complaint))
    assert response.status_code == 200
    assert "C7654321" not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_confidential_contact_is_hidden_from_the_office_above(head_a, complaint_in):
    complaint = complaint_in("p4mi-tulungagung", is_confidential=True, passport_number="C1111111")
    response = staff_client(head_a).get(_change_url(complaint))
    assert response.status_code == 200
    assert "C1111111" not in response.content.decode()


def test_case_page_cannot_be_saved_directly(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    response = staff_client(officer_a).post(_change_url(complaint), {"status": "closed"})
    assert response.status_code == 405
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status.values, repeat=2)))
def test_status_transition_table_through_the_admin(officer_a, complaint_in, current, target):
    # given
    complaint = complaint_in(OFFICE_A, status=current)
    original = complaint_in(OFFICE_A)
    client = staff_client(officer_a)
    if target == Status.DUPLICATE:
        url, data = _triage_url(complaint, "duplicate"), {"original": original.reference}
    elif target == Status.WAITING_REPORTER:
        url, data = _triage_url(complaint, "request_information"), {"question": "Paspor?"}
    else:
        url, data = _triage_url(complaint, "status"), {"status": target}
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    complaint.refresh_from_db()
    expected = target if target in ALLOWED_TRANSITIONS[current] else current
    assert complaint.status == expected


def test_assign_to_myself_and_reply_from_the_case_page(officer_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    client = staff_client(officer_a)
    client.post(_triage_url(complaint, "assign"), {"assignee": officer_a.pk})
    client.post(_triage_url(complaint, "reply"), {"body": "Kami akan menghubungi P3MI."})
    complaint.refresh_from_db()
    assert complaint.assignee == officer_a
    assert complaint.events.filter(kind=EventKind.PUBLIC_REPLY).get().body == (
        "Kami akan menghubungi P3MI."
    )


def test_reply_with_a_saved_template(officer_a, complaint_in):
    from complaints.models import ReplyTemplate

    complaint = complaint_in(OFFICE_A)
    template = ReplyTemplate.objects.create(
        category=complaint.category, title="Terima", body="Laporan Anda kami terima."
    )
    staff_client(officer_a).post(
        _triage_url(complaint, "reply"), {"template": template.pk, "body": ""}
    )
    assert complaint.events.get(kind=EventKind.PUBLIC_REPLY).body == "Laporan Anda kami terima."


def test_bulk_assign_to_me_calls_the_service_for_each(officer_a, complaint_in):
    complaints = [complaint_in(OFFICE_A) for _ in range(3)]
    staff_client(officer_a).post(
        reverse(CHANGELIST),
        {"action": "assign_to_me", "_selected_action": [c.pk for c in complaints]},
    )
    assert ComplaintEvent.objects.filter(kind=EventKind.ASSIGNMENT).count() == 3


def test_bulk_status_change_skips_forbidden_transitions(officer_a, complaint_in):
    ok = complaint_in(OFFICE_A, status=Status.IN_PROGRESS)
    not_allowed = complaint_in(OFFICE_A, status=Status.RECEIVED)
    staff_client(officer_a).post(
        reverse(CHANGELIST),
        {"action": "mark_resolved", "_selected_action": [ok.pk, not_allowed.pk]},
    )
    ok.refresh_from_db()
    not_allowed.refresh_from_db()
    assert (ok.status, not_allowed.status) == (Status.RESOLVED, Status.RECEIVED)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_control_characters(officer_a, complaint_in, file_format):
    # given
    complaint = complaint_in(OFFICE_A, employer_name='=HYPERLINK("http://evil")\x07')
    # when
    response = staff_client(officer_a).post(
        reverse(CHANGELIST),
        {"action": f"export_{file_format}", "_selected_action": [complaint.pk]},
    )
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if file_format == "csv":
        text = response.content.decode("utf-8-sig")
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert "'=HYPERLINK" in text
    assert "\x07" not in text
    assert complaint.passport_number in text
    assert AccessRecord.objects.filter(action=AccessAction.EXPORT, complaint=complaint).exists()


def test_export_leaves_out_personal_columns_for_the_analyst(analyst, complaint_in):
    complaint = complaint_in(OFFICE_A, passport_number="C5550000")
    response = staff_client(analyst).post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [complaint.pk]}
    )
    text = response.content.decode("utf-8-sig")
    assert complaint.reference in text
    assert "C5550000" not in text
    assert complaint.reporter_email not in text
    assert not AccessRecord.objects.exists()


def test_attachment_downloads_as_attachment_and_is_recorded(officer_a, complaint_in, attachment_of):
    attachment = attachment_of(complaint_in(OFFICE_A))
    url = reverse("admin:complaints_complaint_attachment_download", args=[attachment.pk])
    response = staff_client(officer_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert AccessRecord.objects.filter(action=AccessAction.DOWNLOAD).count() == 1


def test_access_records_cannot_be_edited_or_deleted(head_a, complaint_in):
    complaint = complaint_in(OFFICE_A)
    record = AccessRecord.objects.create(user=head_a, complaint=complaint, action="view")
    client = staff_client(head_a)
    change = reverse("admin:complaints_accessrecord_change", args=[record.pk])
    delete = reverse("admin:complaints_accessrecord_delete", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"detail": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.detail == ""


def test_office_filter_lists_only_offices_in_scope(officer_a, complaint_in):
    complaint_in(OFFICE_A)
    response = staff_client(officer_a).get(reverse(CHANGELIST))
    content = response.content.decode()
    assert "P4MI Tulungagung" in content
    assert "BP3MI Jawa Barat" not in content
    assert OFFICE_B


def test_admin_and_api_changes_are_in_the_history_with_who(officer_a, complaint_in):
    from rest_framework.test import APIClient

    from tests.support import staff_api_token

    # given
    complaint = complaint_in(OFFICE_A)
    # when: a change through the admin, then one through the API
    staff_client(officer_a).post(_triage_url(complaint, "status"), {"status": "verified"})
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {staff_api_token(officer_a)}")
    api.post(
        reverse("staff-complaint-change-status", args=[complaint.reference]),
        {"status": "in_progress"},
        format="json",
    )
    # then
    rows = list(complaint.history.order_by("history_date").values_list("status", "history_user"))
    assert rows[-2:] == [("verified", officer_a.pk), ("in_progress", officer_a.pk)]
    page = staff_client(officer_a).get(
        reverse("admin:complaints_complaint_history", args=[complaint.pk])
    )
    assert page.status_code == 200
