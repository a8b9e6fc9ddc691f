"""The grain of the dashboard summary tables: one row per month (and per week for the volume)
and value, whatever the number of complaints; and the date arithmetic that reads a range not
aligned on months exactly (whole periods from their rows, edge days from the ledger)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.choices import Status
from complaints.models import Complaint
from oversight.dashboards import selectors
from oversight.dashboards.breakdown import dashboard_summary_breakdown, period_cover
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import (
    ComplaintFilterMarginal,
    ComplaintMarginal,
    ComplaintSummaryFact,
)
from oversight.dashboards.services import dashboard_summary_refresh
from tests.complaints.factories import CategoryFactory
from tests.oversight.dashboard_support import Spec, complaints_create, local_date

# Also on SQLite (`make test`'s second leg): its rebuild writes the months and weeks in its own SQL.
pytestmark = pytest.mark.sqlite

# Written here from the design, not imported: the breakdowns a page shows, the filters with
# their own national marginals (in the order that decides which of a pair keeps it), and the
# pseudo-dimension counting every complaint.
DIMENSIONS = ("category", "kind", "status", "province", "country", "office", "agency", "channel")
FILTERS = ("province", "country", "category", "channel")
TOTAL = "total"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 23])
def test_complaints_of_one_month_office_and_category_make_one_month_row_per_value(offices, count):
    # given: complaints on several days of the current month, alike in every dimension
    category = CategoryFactory(slug="grain-wages")
    now = timezone.now()
    today = timezone.localdate()
    month_began = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    hours = max(int((now - month_began).total_seconds() // 3600), 0)
    specs = [
        Spec(
            office_code="bp3mi-jatim",
            category_slug="grain-wages",
            country="MY",
            region="35.04",
            status=Status.RECEIVED,
            urgent=False,
            created_hours_ago=(n * 37) % (hours + 1),
        )
        for n in range(count)
    ]
    complaints = complaints_create(
        specs, offices=offices, categories={"grain-wages": category}, now=now
    )
    weeks = {_week_start(local_date(c.created_at)) for c in complaints}
    assert {_month_start(local_date(c.created_at)) for c in complaints} == {today.replace(day=1)}
    # when
    dashboard_summary_refresh(now=now)
    # then: the ledger holds one row per complaint
    assert ComplaintSummaryFact.objects.count() == count
    # then: all offices together and the office: one month row per dimension (none for the
    # agency: no complaint names one), the total also one row per week
    office = offices["bp3mi-jatim"].pk
    marginal = Counter(
        ComplaintMarginal.objects.values_list("office_id", "period", "dimension", "complaints")
    )
    expected = Counter()
    for office_id in (None, office):
        for name in (*DIMENSIONS, TOTAL):
            if name != "agency":
                expected[(office_id, "month", name, count)] += 1
        for week in weeks:
            in_week = sum(_week_start(local_date(c.created_at)) == week for c in complaints)
            expected[(office_id, "week", TOTAL, in_week)] += 1
    assert marginal == expected
    # then: per filter value (one each here), one month row per other dimension and the total;
    # not the office (the per-office marginals hold it), and each pair of filters once
    filtered = Counter(
        ComplaintFilterMarginal.objects.filter(period="month").values_list(
            "filter_dimension", "dimension", "complaints"
        )
    )
    assert filtered == Counter(
        {
            (filter_name, name, count): 1
            for index, filter_name in enumerate(FILTERS)
            for name in (*DIMENSIONS, TOTAL)
            if name not in (*FILTERS[: index + 1], "office", "agency")
        }
    )
    assert ComplaintFilterMarginal.objects.filter(period="week").count() == len(FILTERS) * len(
        weeks
    )


@settings(deadline=None)  # pure arithmetic; a loaded machine must not fail it
@given(
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    span=st.integers(min_value=0, max_value=200),
    period=st.sampled_from(["month", "week"]),
)
def test_a_period_cover_counts_every_day_of_the_range_once_and_no_other(first, span, period):
    # given
    last = first + timedelta(days=span)
    start_of = _month_start if period == "month" else _week_start
    # when
    cover = period_cover(first=first, last=last, period=period)
    # then: each day counts once inside the range and not at all outside, as the whole periods
    # read from their rows plus the ledger's added days less its subtracted days
    day = start_of(first) - timedelta(days=40)
    while day <= last + timedelta(days=40):
        counted = (start_of(day) in cover.starts) + cover.sign(day)
        assert counted == (1 if first <= day <= last else 0), day
        day += timedelta(days=1)
    # then: the ledger reads at most half of any period (the smaller side of its edge)
    longest = 31 if period == "month" else 7
    per_period = Counter()
    for pieces in (cover.plus, cover.minus):
        for begin, end in pieces:
            assert start_of(begin) == start_of(end)
            per_period[start_of(begin)] += (end - begin).days + 1
    assert all(days <= longest // 2 for days in per_period.values())


@pytest.mark.django_db
def test_a_range_of_whole_months_reads_the_month_rows_per_figure_exactly(offices):
    # given: complaints over the last 80 days in two offices, three categories and countries
    categories = {slug: CategoryFactory(slug=slug) for slug in ("grain-a", "grain-b", "grain-c")}
    now = timezone.now()
    specs = [
        Spec(
            office_code=("bp3mi-jatim", "bp3mi-jabar")[n % 2],
            category_slug=("grain-a", "grain-b", "grain-c")[n % 3],
            country=("MY", "SA", "TW")[n % 3],
            region=("35.04", "32.01")[n % 2],
            status=(Status.RECEIVED, Status.VERIFIED)[n % 2],
            urgent=n % 4 == 0,
            created_hours_ago=n * 31,
            verify_after=None if n % 2 == 0 else 20,
        )
        for n in range(62)
    ]
    complaints = complaints_create(specs, offices=offices, categories=categories, now=now)
    dashboard_summary_refresh(now=now)
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    first = (last_month_end.replace(day=1) - timedelta(days=1)).replace(day=1)
    scope = selectors.DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    office_scope = selectors.DashboardScope(
        office_ids=[offices["bp3mi-jatim"].pk], complaints=Complaint.objects.all()
    )
    for view_scope in (scope, office_scope):
        filters = DashboardFilters(date_from=first, date_to=last_month_end)
        inside = [
            c
            for c in complaints
            if first <= local_date(c.created_at) <= last_month_end
            and (view_scope.office_ids is None or c.office_id in view_scope.office_ids)
        ]
        # when / then: each figure on its own (month rows: whole months, no filter)
        assert selectors._summary(scope=view_scope, filters=filters).model is ComplaintMarginal
        assert selectors.dashboard_totals(scope=view_scope, filters=filters) == {
            "complaints": len(inside),
            "urgent": sum(c.is_urgent for c in inside),
        }
        assert dict(
            selectors.dashboard_count_by(scope=view_scope, filters=filters, dimension="category")
        ) == dict(Counter(c.category_id for c in inside))
        assert dict(
            selectors.dashboard_volume_by_period(scope=view_scope, filters=filters)
        ) == dict(Counter(_month_start(local_date(c.created_at)) for c in inside))
        assert dict(
            selectors.dashboard_volume_by_period(scope=view_scope, filters=filters, period="week")
        ) == dict(Counter(_week_start(local_date(c.created_at)) for c in inside))
        assert {
            row["office_id"]: row["complaints"]
            for row in selectors.dashboard_sla_summary_rows(scope=view_scope, filters=filters)
        } == dict(Counter(c.office_id for c in inside))
        # and: the page's breakdown of the same range agrees
        breakdown = dashboard_summary_breakdown(scope=view_scope, filters=filters)
        assert breakdown.totals["complaints"] == len(inside)
        assert breakdown.periods["month"] == sorted(
            Counter(_month_start(local_date(c.created_at)) for c in inside).items()
        )
        # (the first and last weeks lie partly outside: their days come from the ledger)
        assert breakdown.periods["week"] == sorted(
            Counter(_week_start(local_date(c.created_at)) for c in inside).items()
        )
