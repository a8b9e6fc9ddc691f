"""Query counts of the triage queue and the case page do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent
from tests.complaints.factories import ComplaintFactory
from tests.complaints.triage_support import (
    OFFICE_A,
    OFFICE_A_POST,
    TRIAGE_DEFAULTS,
    category_ensure,
    staff_client,
)

pytestmark = pytest.mark.django_db


def _fill(offices, count: int, assignee) -> None:
    category = category_ensure()
    rows = []
    for index in range(count):
        complaint = ComplaintFactory.build(
            office=offices[OFFICE_A if index % 2 else OFFICE_A_POST],
            assignee=assignee if index % 3 == 0 else None,
            is_urgent=index % 7 == 0,
            category=category,
            **TRIAGE_DEFAULTS,
        )
        rows.append(complaint)
    Complaint.objects.bulk_create(rows, batch_size=500)


def _count(client, url) -> int:
    client.get(url)  # the first request of a session writes its start time: measure the next
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("who", ["officer_a", "analyst"])
def test_changelist_query_count_is_the_same_for_10_and_1000_complaints(
    request, offices, officer_a, who
):
    # given
    user = request.getfixturevalue(who)
    client = staff_client(user)
    url = reverse("admin:complaints_complaint_changelist")
    _fill(offices, 10, officer_a)
    small = _count(client, url)
    # when
    _fill(offices, 990, officer_a)
    large = _count(client, url)
    filtered = _count(client, url + "?sla=overdue&assigned=me&status=received")
    # then
    assert large == small
    assert filtered <= small + 1
    assert small <= 20


def test_case_page_query_count_does_not_grow_with_timeline_or_data(
    offices, officer_a, complaint_in, attachment_of
):
    # given
    _fill(offices, 10, officer_a)
    complaint = complaint_in(OFFICE_A, assignee=officer_a)
    ComplaintEvent.objects.create(complaint=complaint, kind="internal_note", actor=officer_a)
    attachment_of(complaint)
    client = staff_client(officer_a)
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    small = _count(client, url)
    # when: 990 more complaints, 30 more events, 4 more attachments
    _fill(offices, 990, officer_a)
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(complaint=complaint, kind="internal_note", actor=officer_a, body=str(i))
            for i in range(30)
        ]
    )
    for _ in range(4):
        attachment_of(complaint)
    large = _count(client, url)
    # then
    assert large == small
