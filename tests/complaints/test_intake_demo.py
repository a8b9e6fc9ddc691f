import io

import pytest

from complaints import demo
from complaints.models import Complaint, ComplaintEvent
from complaints.selectors import complaint_get_for_reporter
from portal.demo import DemoContext

pytestmark = [pytest.mark.django_db]


def context(count: int) -> DemoContext:
    return DemoContext(
        password="x", password_generated=False, complaints=count, stdout=io.StringIO()
    )


def test_seed_tops_up_to_the_wanted_number_and_is_idempotent(offices):
    # when
    demo.seed(context(120))
    demo.seed(context(120))
    # then
    assert Complaint.objects.count() == 120
    # when
    demo.seed(context(130))
    # then
    assert Complaint.objects.count() == 130


def test_demo_complaints_are_spread_and_have_timelines(offices):
    # when
    demo.seed(context(300))
    # then
    complaints = Complaint.objects.all()
    assert complaints.values("office").distinct().count() >= 5
    assert complaints.values("category").distinct().count() >= 10
    assert complaints.values("destination_country").distinct().count() >= 5
    assert complaints.values("status").distinct().count() >= 5
    assert complaints.filter(is_anonymous=True, reporter_name="").exists()
    assert not complaints.filter(is_anonymous=True).exclude(reporter_phone="").exists()
    assert ComplaintEvent.objects.filter(kind="created").count() == 300
    assert complaints.dates("created_at", "month").count() >= 6


def test_demo_complaints_open_with_the_demo_key(offices):
    demo.seed(context(5))
    complaint = Complaint.objects.first()
    found = complaint_get_for_reporter(
        reference=complaint.reference, access_key=demo.DEMO_ACCESS_KEY
    )
    assert found == complaint


def test_the_sqlite_path_of_make_run_creates_the_same_rows(offices, monkeypatch):
    # given: the bulk_create path used when the database is not PostgreSQL
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    # when
    demo.seed(context(40))
    # then
    assert Complaint.objects.count() == 40
    assert ComplaintEvent.objects.filter(kind="created").count() == 40
    # past creation times survive: auto_now_add was set aside for the load
    assert Complaint.objects.dates("created_at", "month").count() >= 2


def test_old_open_demo_complaints_show_as_past_the_service_standard(offices):
    # given the demo data of `make run`
    from datetime import timedelta

    from django.utils import timezone

    from complaints.selectors import complaint_past_standard_q

    demo.seed(context(300))
    now = timezone.now()
    # when
    past = set(
        Complaint.objects.filter(complaint_past_standard_q(now=now)).values_list("pk", flat=True)
    )
    # then every open complaint received more than a month ago (no target is longer than 60
    # working days, under 120 calendar days) is past the standard, with its misses recorded
    old_open = set(
        Complaint.objects.filter(
            status__in=["received", "verified", "in_progress"],
            resolved_at__isnull=True,
            created_at__lt=now - timedelta(days=120),
        ).values_list("pk", flat=True)
    )
    assert old_open
    assert old_open <= past
    assert not Complaint.objects.filter(pk__in=old_open, resolve_breached_at__isnull=True).exists()
