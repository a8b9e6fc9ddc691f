from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Holiday
from oversight.dashboards.models import (
    TOTAL_DIMENSION,
    ComplaintFilterMarginal,
    ComplaintMarginal,
    DashboardRefresh,
    Period,
    WorkingDay,
)
from oversight.dashboards.services import working_day_ordinals
from oversight.tasks import refresh_dashboard_summary
from tests.complaints.factories import CategoryFactory, ComplaintFactory


@pytest.mark.django_db
def test_working_day_ordinals_follow_the_holiday_table_of_the_sla_calendar():
    # given: Friday 2026-08-14; the holiday table says Monday 17 August is Independence Day
    Holiday.objects.filter(date__range=(date(2026, 8, 14), date(2026, 8, 19))).delete()
    Holiday.objects.create(date=date(2026, 8, 17), name="Hari Kemerdekaan", kind="national")
    # when
    rows = working_day_ordinals(start=date(2026, 8, 14), end=date(2026, 8, 19))
    # then
    ordinals = {row.date: row.ordinal for row in rows}
    assert ordinals[date(2026, 8, 19)] - ordinals[date(2026, 8, 14)] == 2  # Tue 18, Wed 19
    assert [row.is_working_day for row in rows] == [True, False, False, False, True, True]


@pytest.mark.django_db
def test_task_rebuilds_the_summary_and_records_its_freshness(offices):
    # given
    category = CategoryFactory(slug="dash-refresh")
    ComplaintFactory.create_batch(3, office=offices["bp3mi-jatim"], category=category)
    # when
    result = refresh_dashboard_summary.apply().get()
    # then: the summary tables' rows are counted, and the month's total holds the three
    assert result["summary_rows"] == (
        ComplaintMarginal.objects.count() + ComplaintFilterMarginal.objects.count()
    )
    assert _national_total() == 3
    refresh = DashboardRefresh.objects.get(pk=1)
    assert refresh.as_of_date == timezone.localdate()
    assert WorkingDay.objects.filter(date=timezone.localdate()).exists()


@pytest.mark.django_db
def test_refresh_twice_replaces_instead_of_adding(offices):
    # given
    category = CategoryFactory(slug="dash-refresh")
    ComplaintFactory(office=offices["bp3mi-jatim"], category=category)
    call_command("refresh_dashboard_summary", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ComplaintFactory(office=offices["bp3mi-jatim"], category=category)
    # when
    call_command("refresh_dashboard_summary", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    assert _national_total() == 2
    assert DashboardRefresh.objects.count() == 1
    assert WorkingDay.objects.filter(date=timezone.localdate() + timedelta(days=31)).exists()


def _national_total() -> int:
    """Complaints of the all-office monthly totals."""
    return sum(
        ComplaintMarginal.objects.filter(
            office_id__isnull=True, period=Period.MONTH, dimension=TOTAL_DIMENSION
        ).values_list("complaints", flat=True)
    )
