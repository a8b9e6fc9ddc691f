"""Every dashboard figure against a direct count over generated complaints (property test)."""

from __future__ import annotations

import contextlib
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.choices import Status
from complaints.models import Complaint, Holiday, SlaPolicy
from oversight.dashboards import selectors
from oversight.dashboards.breakdown import dashboard_summary_breakdown
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.services import dashboard_summary_refresh
from oversight.standard.selectors import standard_open_by_level
from portal.models import Office
from tests.complaints.factories import CategoryFactory
from tests.complaints.standard_oracle import DAY, add_working_seconds
from tests.oversight.dashboard_support import (
    Spec,
    complaints_create,
    local_date,
)

OFFICE_CODES = ["bp3mi-jatim", "bp3mi-jabar", "kemenp2mi"]
REGIONS = {"35.04": "35", "32.01": "32", "33.02": "33"}
COUNTRIES = ["MY", "SA", "TW"]
CHANNELS = ["web", "walk_in", "whatsapp", "referral"]
CATEGORY_SLUGS = ["dash-wages", "dash-violence", "dash-info"]
RESOLVE_TARGET = {"dash-wages": 10, "dash-violence": 3}  # dash-info: the default 14
# The service standard's defaults (design.md §3, as SP4N-LAPOR!), written here, not imported:
# verify within 3 working days, first response within 5, resolve within 14; urgent complaints
# skip verification and get a first response within 4 plain hours.
VERIFY_DAYS, RESPONSE_DAYS, RESOLVE_DAYS, URGENT_HOURS = 3, 5, 14, 4
FINISHED = {"resolved", "closed", "rejected", "duplicate"}
UNFINISHED = {"received", "verified", "in_progress", "waiting_reporter"}

delays = st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 20))
specs = st.builds(
    Spec,
    office_code=st.sampled_from(OFFICE_CODES),
    category_slug=st.sampled_from(CATEGORY_SLUGS),
    country=st.sampled_from(COUNTRIES),
    region=st.sampled_from(list(REGIONS)),
    status=st.sampled_from(list(Status.values)),
    urgent=st.booleans(),
    created_hours_ago=st.integers(min_value=0, max_value=24 * 60),
    verify_after=delays,
    respond_after=delays,
    resolve_after=delays,
    escalation_level=st.integers(min_value=0, max_value=2),
    due_in_hours=st.integers(min_value=-200, max_value=200),
    channel=st.sampled_from(CHANNELS),
)


@pytest.fixture
def world(offices):
    categories = {slug: CategoryFactory(slug=slug) for slug in CATEGORY_SLUGS}
    categories["dash-info"].kind = "information_request"
    categories["dash-info"].save(update_fields=["kind"])
    for slug, days in RESOLVE_TARGET.items():
        SlaPolicy.objects.update_or_create(
            category=categories[slug], defaults={"resolve_working_days": days}
        )
    today = timezone.localdate()
    # A holiday inside the window makes the working-day arithmetic matter.
    Holiday.objects.get_or_create(
        date=today - timedelta(days=10), defaults={"name": "Test holiday", "kind": "national"}
    )
    return {"offices": offices, "categories": categories}


def _targets(c, categories, holidays) -> dict:
    """The standard's targets from receipt: working days on the holiday table, hours if urgent."""
    resolve = {cat.pk: RESOLVE_TARGET.get(slug, RESOLVE_DAYS) for slug, cat in categories.items()}

    def days(n):
        return add_working_seconds(c.created_at, n * DAY, holidays)

    return {
        "verify": None if c.is_urgent else days(VERIFY_DAYS),
        "response": (
            c.created_at + timedelta(hours=URGENT_HOURS) if c.is_urgent else days(RESPONSE_DAYS)
        ),
        "resolve": days(resolve[c.category_id]),
    }


def _reached(c) -> dict:
    stamps = {
        "verify": [c.verified_at, c.first_response_at, c.resolved_at],
        "response": [c.first_response_at, c.resolved_at],
        "resolve": [c.resolved_at],
    }
    return {name: min((s for s in found if s), default=None) for name, found in stamps.items()}


def _stage(target, reached, c, now):
    """'on_time', 'late' (the target passed before the milestone) or None (not measured)."""
    if target is None:
        return None
    if reached is not None:
        return "late" if target <= reached else "on_time"
    stopped = (c.closed_at or c.updated_at) if c.status in FINISHED else now
    return "late" if target <= stopped else None


def _past_standard(c, categories, holidays, now) -> bool:
    targets, reached = _targets(c, categories, holidays), _reached(c)
    if c.status in FINISHED:
        return False
    return any(
        targets[name] is not None and reached[name] is None and targets[name] <= now
        for name in targets
    )


def _expected_sla(complaints, categories, now, holidays):
    result = defaultdict(Counter)
    durations = defaultdict(lambda: {"response": [], "resolution": []})
    for c in complaints:
        responded = c.first_response_at or c.resolved_at
        counts = result[c.office_id]
        counts["complaints"] += 1
        targets, reached = _targets(c, categories, holidays), _reached(c)
        for name in ("verify", "response", "resolve"):
            outcome = _stage(targets[name], reached[name], c, now)
            if outcome:
                counts[f"{name}_{outcome}"] += 1
        if responded:
            durations[c.office_id]["response"].append(
                (responded - c.created_at).total_seconds() / 3600
            )
        if c.resolved_at:
            durations[c.office_id]["resolution"].append(
                (c.resolved_at - c.created_at).total_seconds() / 3600
            )
    return result, durations


def _reference_percentile(values, fraction):
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if fraction == 0.5:
        return statistics.median(values)
    return statistics.quantiles(values, n=10, method="inclusive")[8]


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.lists(specs, min_size=0, max_size=25))
def test_every_figure_matches_a_direct_count(world, data):
    # given
    Complaint.objects.all().delete()
    now = timezone.now()
    today = timezone.localdate()
    complaints = complaints_create(
        data, offices=world["offices"], categories=world["categories"], now=now
    )
    holidays = set(Holiday.objects.values_list("date", flat=True))
    # when
    dashboard_summary_refresh(today=today, now=now)
    every_office = list(Office.objects.values_list("pk", flat=True))
    views = [
        # the national default view: all-office marginals and the duration snapshot
        (None, DashboardFilters.default(today), False),
        # another window: marginals and live percentiles
        (None, DashboardFilters(date_from=today - timedelta(days=90), date_to=today), False),
        # an office-scoped reader (here: every office listed): per-office marginals
        (every_office, DashboardFilters.default(today), False),
        # the ledger (what province, category and country filters read)
        (None, DashboardFilters.default(today), True),
        (every_office, DashboardFilters(date_from=today - timedelta(days=70), date_to=today), True),
    ]
    for office_ids, filters, full_summary in views:
        scope = selectors.DashboardScope(office_ids=office_ids, complaints=Complaint.objects.all())
        patcher = (
            mock.patch.object(selectors, "_marginal_applies", return_value=False)
            if full_summary
            else contextlib.nullcontext()
        )
        with patcher:
            # then: volumes
            assert selectors.dashboard_totals(scope=scope, filters=filters) == {
                "complaints": len(complaints),
                "urgent": sum(c.is_urgent for c in complaints),
            }
            expected = {
                "category": Counter(c.category_id for c in complaints),
                "kind": Counter(c.kind for c in complaints),
                "status": Counter(c.status for c in complaints),
                "province": Counter(REGIONS[c.origin_region_id] for c in complaints),
                "country": Counter(str(c.destination_country) for c in complaints),
                "office": Counter(c.office_id for c in complaints),
                "channel": Counter(c.channel for c in complaints),
            }
            for dimension, counter in expected.items():
                got = dict(
                    selectors.dashboard_count_by(scope=scope, filters=filters, dimension=dimension)
                )
                assert got == dict(counter), dimension
            months = Counter(local_date(c.created_at).replace(day=1) for c in complaints)
            assert dict(selectors.dashboard_volume_by_period(scope=scope, filters=filters)) == dict(
                months
            )
            weeks = Counter(
                local_date(c.created_at) - timedelta(days=local_date(c.created_at).weekday())
                for c in complaints
            )
            got_weeks = selectors.dashboard_volume_by_period(
                scope=scope, filters=filters, period="week"
            )
            assert dict(got_weeks) == dict(weeks)
            # then: SLA shares and durations per office
            expected_sla, durations = _expected_sla(complaints, world["categories"], now, holidays)
            sla = {
                row.office_id: row
                for row in selectors.dashboard_sla_by_office(scope=scope, filters=filters)
            }
            assert set(sla) == set(expected_sla)
            for office_id, counts in expected_sla.items():
                row = sla[office_id]
                for column in selectors.SLA_COLUMNS:
                    assert getattr(row, column) == counts[column], column
                measured = counts["verify_on_time"] + counts["verify_late"]
                expected_share = counts["verify_on_time"] / measured if measured else None
                assert row.verify_share == expected_share
                for name in ("response", "resolution"):
                    values = durations[office_id][name]
                    for attr, fraction in (("median", 0.5), ("p90", 0.9)):
                        got = getattr(row, f"{name}_{attr}_hours")
                        want = _reference_percentile(values, fraction)
                        assert (
                            got == pytest.approx(want, abs=1e-6)
                            if want is not None
                            else got is None
                        )
            # then: the one-pass breakdown the pages read gives the same figures
            breakdown = dashboard_summary_breakdown(scope=scope, filters=filters)
            _assert_breakdown_matches(breakdown, complaints)
            # then: open work by escalation level, as the page's table reads it (whatever the
            # date received; waiting for the reporter is still the office's work)
            open_rows = standard_open_by_level(
                selectors.dashboard_complaint_base(scope=scope, filters=filters), now=now
            )
            expected_open = Counter()
            for c in complaints:
                if c.status in UNFINISHED:
                    expected_open[(c.escalation_level, "open")] += 1
                    expected_open[(c.escalation_level, "past")] += _past_standard(
                        c, world["categories"], holidays, now
                    )
            assert {(row.level, "open"): row.open for row in open_rows} == {
                key: count for key, count in expected_open.items() if key[1] == "open"
            }
            assert {(row.level, "past"): row.past_standard for row in open_rows} == {
                (level, "past"): expected_open[(level, "past")]
                for level, kind in expected_open
                if kind == "open"
            }


def _assert_breakdown_matches(breakdown, complaints):
    """Every figure of a SummaryBreakdown against a direct count over `complaints`."""
    assert breakdown.totals == {
        "complaints": len(complaints),
        "urgent": sum(c.is_urgent for c in complaints),
    }
    expected = {
        "category": Counter(c.category_id for c in complaints),
        "kind": Counter(c.kind for c in complaints),
        "status": Counter(c.status for c in complaints),
        "province": Counter(REGIONS[c.origin_region_id] for c in complaints),
        "country": Counter(str(c.destination_country) for c in complaints),
        "office": Counter(c.office_id for c in complaints),
        "agency": Counter(c.placement_agency_id for c in complaints),
        "channel": Counter(c.channel for c in complaints),
    }
    # Complaints without a linked agency: the agency table leaves them out, and the
    # one-dimension marginals do not keep them.
    del expected["agency"][None]
    for dimension, counter in expected.items():
        got = [(key, count) for key, count in breakdown.counts[dimension] if key is not None]
        assert dict(got) == dict(counter), dimension
        # largest first, ties by value
        assert [count for _key, count in got] == sorted(counter.values(), reverse=True)
    months = Counter(local_date(c.created_at).replace(day=1) for c in complaints)
    assert breakdown.periods["month"] == sorted(months.items())
    weeks = Counter(
        local_date(c.created_at) - timedelta(days=local_date(c.created_at).weekday())
        for c in complaints
    )
    assert breakdown.periods["week"] == sorted(weeks.items())
    per_office = defaultdict(Counter)
    for row in breakdown.sla_rows:
        per_office[row["office_id"]].update({k: v for k, v in row.items() if k != "office_id"})
    assert set(per_office) == {c.office_id for c in complaints}
    for office_id, counts in per_office.items():
        assert counts["complaints"] == sum(c.office_id == office_id for c in complaints)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.lists(specs, min_size=1, max_size=20),
    category=st.sampled_from(CATEGORY_SLUGS),
    country=st.sampled_from(COUNTRIES),
    span=st.integers(min_value=0, max_value=60),
)
def test_filtered_figures_match_a_direct_count(world, data, category, country, span):
    # given
    Complaint.objects.all().delete()
    now = timezone.now()
    today = timezone.localdate()
    complaints = complaints_create(
        data, offices=world["offices"], categories=world["categories"], now=now
    )
    dashboard_summary_refresh(today=today, now=now)
    scope = selectors.DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    category_id = world["categories"][category].pk
    first: date = today - timedelta(days=span)
    filters = DashboardFilters(
        date_from=first, date_to=today, category_id=category_id, country=country, province="35"
    )
    # when
    by_office = dict(selectors.dashboard_count_by(scope=scope, filters=filters, dimension="office"))
    # then
    matching = [
        c
        for c in complaints
        if c.category_id == category_id
        and str(c.destination_country) == country
        and c.origin_region_id.startswith("35.")
        and first <= local_date(c.created_at) <= today
    ]
    assert by_office == dict(Counter(c.office_id for c in matching))
    medians = selectors.dashboard_durations_by_office(scope=scope, filters=filters)
    assert set(medians) <= {c.office_id for c in matching}


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.lists(specs, min_size=0, max_size=25),
    province=st.sampled_from(["", *sorted(set(REGIONS.values()))]),
    category=st.sampled_from(["", *CATEGORY_SLUGS]),
    country=st.sampled_from(["", *COUNTRIES]),
    office_filter=st.sampled_from(["", *OFFICE_CODES]),
    scope_offices=st.sampled_from([None, ("bp3mi-jatim",), ("bp3mi-jatim", "bp3mi-jabar")]),
    span=st.integers(min_value=0, max_value=60),
    channel=st.sampled_from(["", *CHANNELS]),
)
def test_combined_filters_match_a_direct_count_in_one_summary_query(
    world, data, province, category, country, office_filter, scope_offices, span, channel
):
    """Province, category, country, channel and office filters together, within a national or an
    office scope: every figure of the one-pass breakdown (GROUPING SETS on PostgreSQL, one query
    per figure on SQLite) and the live percentiles equal a direct count, and nothing outside the
    scope shows."""
    _assert_view_matches_a_direct_count(
        world, data, province, category, country, office_filter, scope_offices, span, channel
    )


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.lists(specs, min_size=0, max_size=25),
    pinned=st.sampled_from(["province", "category", "country", "channel"]),
    value_index=st.integers(min_value=0, max_value=2),
    span=st.integers(min_value=0, max_value=60),
)
def test_national_view_with_one_filter_reads_the_filter_marginals_exactly(
    world, data, pinned, value_index, span
):
    """One province, category, country or channel over the whole country: the filter
    marginals."""
    values = {
        "province": sorted(set(REGIONS.values())),
        "category": CATEGORY_SLUGS,
        "country": COUNTRIES,
        "channel": CHANNELS,
    }[pinned]
    chosen = dict.fromkeys(("province", "category", "country", "channel"), "")
    chosen[pinned] = values[value_index]
    _assert_view_matches_a_direct_count(
        world, data, **chosen, office_filter="", scope_offices=None, span=span
    )


def _assert_view_matches_a_direct_count(
    world, data, province, category, country, office_filter, scope_offices, span, channel=""
):
    # given
    Complaint.objects.all().delete()
    now = timezone.now()
    today = timezone.localdate()
    complaints = complaints_create(
        data, offices=world["offices"], categories=world["categories"], now=now
    )
    dashboard_summary_refresh(today=today, now=now)
    offices = world["offices"]
    office_ids = None if scope_offices is None else [offices[code].pk for code in scope_offices]
    scope = selectors.DashboardScope(
        office_ids=office_ids,
        complaints=Complaint.objects.all()
        if office_ids is None
        else Complaint.objects.filter(office_id__in=office_ids),
    )
    first = today - timedelta(days=span)
    category_id = world["categories"][category].pk if category else None
    filter_offices = (offices[office_filter].pk,) if office_filter else ()
    filters = DashboardFilters(
        date_from=first,
        date_to=today,
        province=province,
        category_id=category_id,
        country=country,
        channel=channel,
        office_ids=filter_offices,
        office_id=filter_offices[0] if filter_offices else None,
    )
    matching = [
        c
        for c in complaints
        if (office_ids is None or c.office_id in office_ids)
        and (not filter_offices or c.office_id in filter_offices)
        and (not province or REGIONS[c.origin_region_id] == province)
        and (not category_id or c.category_id == category_id)
        and (not country or str(c.destination_country) == country)
        and (not channel or c.channel == channel)
        and first <= local_date(c.created_at) <= today
    ]
    # when
    breakdown = dashboard_summary_breakdown(scope=scope, filters=filters)
    sla = {
        row.office_id: row
        for row in selectors.dashboard_sla_by_office(
            scope=scope, filters=filters, summary_rows=breakdown.sla_rows
        )
    }
    # then
    _assert_breakdown_matches(breakdown, matching)
    expected_sla, durations = _expected_sla(
        matching, world["categories"], now, set(Holiday.objects.values_list("date", flat=True))
    )
    assert set(sla) == set(expected_sla)
    for office_id, counts in expected_sla.items():
        for column in selectors.SLA_COLUMNS:
            assert getattr(sla[office_id], column) == counts[column], column
        for name in ("response", "resolution"):
            values = durations[office_id][name]
            for attr, fraction in (("median", 0.5), ("p90", 0.9)):
                got = getattr(sla[office_id], f"{name}_{attr}_hours")
                want = _reference_percentile(values, fraction)
                assert got == pytest.approx(want, abs=1e-6) if want is not None else got is None
    # then: hours to the first response (or to the resolution) per intake channel
    responses = defaultdict(list)
    for c in matching:
        responded = c.first_response_at or c.resolved_at
        if responded:
            responses[c.channel].append((responded - c.created_at).total_seconds() / 3600)
    by_channel = {
        row.channel: row
        for row in selectors.dashboard_response_by_channel(scope=scope, filters=filters)
    }
    assert set(by_channel) == set(responses)
    for name, values in responses.items():
        assert by_channel[name].responded == len(values)
        assert by_channel[name].median_hours == pytest.approx(
            _reference_percentile(values, 0.5), abs=1e-6
        )
        assert by_channel[name].p90_hours == pytest.approx(
            _reference_percentile(values, 0.9), abs=1e-6
        )


@pytest.mark.django_db
def test_breakdown_takes_a_fixed_number_of_queries_whatever_the_data(
    world, django_assert_num_queries, django_assert_max_num_queries
):
    # given: complaints in every office, category and country
    now = timezone.now()
    today = timezone.localdate()
    data = [
        Spec(office, slug, country, region, Status.RECEIVED, False, 24)
        for office in OFFICE_CODES
        for slug in CATEGORY_SLUGS
        for country in COUNTRIES
        for region in REGIONS
    ]
    complaints_create(data, offices=world["offices"], categories=world["categories"], now=now)
    dashboard_summary_refresh(today=today, now=now)
    scope = selectors.DashboardScope(office_ids=None, complaints=Complaint.objects.all())
    filters = DashboardFilters(
        date_from=today - timedelta(days=30), date_to=today, province="35", country="MY"
    )
    from django.db import connection

    # when / then: one scan for every chart, however many values each dimension has
    expected = 1 if connection.vendor == "postgresql" else 11
    # The marginals: sums and volume of the whole months, and the range's edges; the filter
    # marginals: sums of the filter value's own rows, of the pairs kept on the other side and
    # of its offices, volume, edges.
    marginal = 3 if connection.vendor == "postgresql" else 11
    filter_marginal = 5 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(expected):
        breakdown = dashboard_summary_breakdown(scope=scope, filters=filters)
    assert breakdown.totals["complaints"] == len(OFFICE_CODES) * len(CATEGORY_SLUGS)
    # when / then: one filter over the whole country: the filter marginals of the whole months
    # and the edges of the range from the ledger (none when it has none)
    one_filter = DashboardFilters(date_from=filters.date_from, date_to=today, country="MY")
    with django_assert_max_num_queries(filter_marginal):
        breakdown = dashboard_summary_breakdown(scope=scope, filters=one_filter)
    assert breakdown.totals["complaints"] == len(OFFICE_CODES) * len(CATEGORY_SLUGS) * len(REGIONS)
    # one channel over the whole country: the same
    one_channel = DashboardFilters(date_from=filters.date_from, date_to=today, channel="web")
    with django_assert_max_num_queries(filter_marginal):
        breakdown = dashboard_summary_breakdown(scope=scope, filters=one_channel)
    assert breakdown.totals["complaints"] == len(data)
    # when / then: the default view: the same over the one-dimension marginals
    with django_assert_max_num_queries(marginal):
        breakdown = dashboard_summary_breakdown(
            scope=scope, filters=DashboardFilters.default(today)
        )
    assert breakdown.totals["complaints"] == len(data)
