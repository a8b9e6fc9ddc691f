"""Every figure of the first screen, the offices API, the office report and the public statistics
against an oracle written from the rule (tests/oversight/standard_oracle.py), on generated data:
random categories and policies, priorities, holidays, pauses, escalations and closures, under a
frozen clock at a generated date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.models import Complaint, Holiday, SlaPolicy
from oversight.dashboards.stats import stats_public
from oversight.reports.selectors import office_report_figures
from oversight.standard.selectors import Window, standard_figures
from oversight.standard.snapshot import first_screen_snapshots_refresh
from tests.complaints.factories import CategoryFactory, ComplaintFactory
from tests.oversight import standard_oracle as oracle

pytestmark = pytest.mark.django_db

# Offices a generated complaint may sit at: a post, its BP3MI, another BP3MI, or the ministry
# after escalation (targets never move with it).
PLACES = [
    ("p4mi-tulungagung", 0),
    ("bp3mi-jatim", 0),
    ("bp3mi-jatim", 1),
    ("bp3mi-jabar", 0),
    ("kemenp2mi", 2),
]
UNIT = {"p4mi-tulungagung": "bp3mi-jatim"}
HOUR = timedelta(hours=1)


@st.composite
def worlds(draw):
    now = datetime(2026, 10, 5, 9, tzinfo=oracle.JAKARTA) + timedelta(
        days=draw(st.integers(0, 80)), hours=draw(st.integers(0, 23))
    )
    holiday_pool = [now.date() - timedelta(days=d) for d in range(0, 120)]
    holidays = set(draw(st.lists(st.sampled_from(holiday_pool), max_size=8)))
    policies = [
        {
            "verify": draw(st.integers(1, 5)),
            "first_response": draw(st.integers(2, 8)),
            "resolve": draw(st.integers(5, 40)),
            "urgent_hours": draw(st.integers(2, 24)),
        }
        for _ in range(2)
    ]
    cases = []
    for _ in range(draw(st.integers(0, 22))):
        received = now - timedelta(hours=draw(st.integers(1, 24 * 100)))
        age_hours = int((now - received) / HOUR)

        def moment(after=received, limit=age_hours):
            return after + timedelta(hours=draw(st.integers(0, max(0, limit))))

        urgent = draw(st.booleans())
        priority = draw(st.sampled_from(["normal", "high", "urgent"]))
        fate = draw(
            st.sampled_from(
                ["received", "verified", "in_progress", "waiting", "resolved", "closed", "rejected"]
            )
        )
        office, level = draw(st.sampled_from(PLACES))
        case = oracle.Case(
            office=office,
            received_at=received,
            status={"waiting": "waiting_reporter"}.get(fate, fate),
            urgent=urgent or priority == "urgent",
            escalation_level=level,
        )
        if fate in {"verified", "in_progress", "resolved", "closed"}:
            case.verified_at = moment()
        if fate in {"in_progress", "resolved", "closed"} or (
            fate == "waiting" and draw(st.booleans())
        ):
            base = case.verified_at or received
            case.first_response_at = moment(base, int((now - base) / HOUR))
        if fate in {"resolved", "closed"}:
            base = case.first_response_at or received
            case.resolved_at = moment(base, int((now - base) / HOUR))
        if fate in {"closed", "rejected"}:
            base = case.resolved_at or received
            case.closed_at = moment(base, int((now - base) / HOUR))
        if fate == "waiting":
            base = case.first_response_at or received
            case.paused_at = moment(base, int((now - base) / HOUR))
        paused_before = None
        if not case.urgent and draw(st.booleans()):
            start = received + timedelta(hours=draw(st.integers(0, 48)))
            paused_before = (start, start + timedelta(hours=draw(st.integers(1, 200))))
        cases.append((case, draw(st.integers(0, 1)), priority, paused_before))
    period_days = draw(st.integers(7, 90))
    return {
        "now": now,
        "holidays": holidays,
        "policies": policies,
        "cases": cases,
        "date_from": now.date() - timedelta(days=period_days),
        "date_to": now.date() + timedelta(days=draw(st.integers(0, 10))),
    }


def _store(world, offices) -> list[oracle.Case]:
    """Holidays, categories with their policy rows, and the complaints with the fields the rule
    gives them (targets, breaches, milestones, pauses)."""
    Holiday.objects.all().delete()
    Holiday.objects.bulk_create(
        [Holiday(date=day, name="Libur uji", kind="national") for day in world["holidays"]]
    )
    categories = []
    for index, policy in enumerate(world["policies"]):
        category = CategoryFactory(slug=f"standar-uji-{index}")
        SlaPolicy.objects.create(
            category=category,
            verify_working_days=policy["verify"],
            first_response_working_days=policy["first_response"],
            resolve_working_days=policy["resolve"],
            urgent_first_response_hours=policy["urgent_hours"],
        )
        categories.append(category)
    cases, built = [], []
    for case, category_index, priority, paused_before in world["cases"]:
        oracle.decide(
            case,
            policy=world["policies"][category_index],
            holidays=world["holidays"],
            paused_before=paused_before,
            now=world["now"],
        )
        cases.append(case)
        built.append(
            ComplaintFactory.build(
                access_key_hash="!unusable-standard-test",
                category=categories[category_index],
                kind=categories[category_index].kind,
                office=offices[case.office],
                origin_region_id="35.04",
                status=case.status,
                priority=priority,
                is_urgent=case.urgent,
                escalation_level=case.escalation_level,
                due_at=None,
            )
        )
    created = Complaint.objects.bulk_create(built)
    for complaint, case in zip(created, cases, strict=True):
        complaint.created_at = case.received_at
        for name in ("verified_at", "first_response_at", "resolved_at", "closed_at", "paused_at"):
            setattr(complaint, name, getattr(case, name))
        complaint.standard_verify_due_at = case.targets["verify"]
        complaint.standard_first_response_due_at = case.targets["first_response"]
        complaint.standard_resolve_due_at = case.targets["resolve"]
        complaint.verify_breached_at = case.breaches["verify"]
        complaint.first_response_breached_at = case.breaches["first_response"]
        complaint.resolve_breached_at = case.breaches["resolve"]
    Complaint.objects.bulk_update(
        created,
        [
            "created_at",
            "verified_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "paused_at",
            "standard_verify_due_at",
            "standard_first_response_due_at",
            "standard_resolve_due_at",
            "verify_breached_at",
            "first_response_breached_at",
            "resolve_breached_at",
        ],
    )
    for case, complaint in zip(cases, created, strict=True):
        case.reference = complaint.reference
    return cases


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, datetime.min.time(), oracle.JAKARTA),
        datetime.combine(last + timedelta(days=1), datetime.min.time(), oracle.JAKARTA),
    )


def _expected_row(fig: oracle.Figures) -> list:
    return [
        fig.open,
        fig.past_standard,
        fig.breached,
        oracle.percentile(fig.responses, 0.5),
        oracle.percentile(fig.responses, 0.9),
        oracle.percentile(fig.resolutions, 0.5),
        oracle.percentile(fig.resolutions, 0.9),
        fig.compliance,
        fig.met + fig.missed,
    ]


def _same(actual, expected) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return actual == pytest.approx(expected, abs=1e-6)


def _assert_row(actual: list, expected: list, label: str) -> None:
    for position, (a, e) in enumerate(zip(actual, expected, strict=True)):
        assert _same(a, e), f"{label}: column {position}: {a!r} != {e!r}"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_first_screen_api_report_and_statistics_match_the_rule(world, client, offices, make_staff):
    with transaction.atomic(), time_machine.travel(world["now"], tick=False):
        # given
        cache.clear()
        cases = _store(world, offices)
        analyst = make_staff("kemenp2mi", "ministry_analyst")
        client.force_login(analyst)
        now, holidays = world["now"], world["holidays"]
        start, end = _bounds(world["date_from"], world["date_to"])
        print(f"frozen at {now.isoformat()}, {len(cases)} complaints")  # noqa: T201

        def unit_of(case):
            return UNIT.get(case.office, case.office)

        def expect(select, first=start, last=end):
            return oracle.figures(
                [c for c in cases if select(c)], start=first, end=last, now=now, holidays=holidays
            )

        # when
        query = {"date_from": world["date_from"], "date_to": world["date_to"]}
        response = client.get(reverse("oversight:dashboard"), query)
        api = client.get(
            "/api/v1/oversight/offices/",
            {"from": world["date_from"].isoformat(), "to": world["date_to"].isoformat()},
        ).json()

        # then: the offices table, every BP3MI listed (zeros too), worst first
        tables = response.context["tables"]
        rows = {row[0]: row for row in tables["offices"].rows}
        names = {office.code: office.name for office in offices.values()}
        bp3mi = [code for code, office in offices.items() if office.kind == "bp3mi"]
        assert len(rows) == len(bp3mi) == 23
        for code in bp3mi:
            _assert_row(
                rows[names[code]][2:],
                _expected_row(expect(lambda c, code=code: unit_of(c) == code)),
                code,
            )
        order = [row[3] for row in tables["offices"].rows]
        assert order == sorted(order, reverse=True)
        # the ministry's own queue apart, and the total
        queue = {row[0]: row for row in tables["ministry_queue"].rows}
        _assert_row(
            queue[names["kemenp2mi"]][1:],
            _expected_row(expect(lambda c: c.office == "kemenp2mi")),
            "ministry",
        )
        total = expect(lambda c: True)
        _assert_row(tables["ministry_queue"].rows[-1][1:], _expected_row(total), "total")

        # the API: the same figures
        by_code = {entry["office"]: entry for entry in api["offices"]}
        assert {code for code in by_code if by_code[code]["kind"] == "bp3mi"} == set(bp3mi)
        for code, select in (
            ("bp3mi-jatim", lambda c: unit_of(c) == "bp3mi-jatim"),
            ("p4mi-tulungagung", lambda c: c.office == "p4mi-tulungagung"),
            ("kemenp2mi", lambda c: c.office == "kemenp2mi"),
            ("bp3mi-aceh", lambda c: False),
        ):
            fig = expect(select)
            entry = by_code[code]
            assert entry["open"] == fig.open
            assert entry["past_standard"] == fig.past_standard
            assert entry["breached"] == fig.breached
            assert _same(entry["compliance"], fig.compliance)
            assert _same(entry["median_first_response_days"], oracle.percentile(fig.responses, 0.5))
            assert _same(entry["median_resolution_days"], oracle.percentile(fig.resolutions, 0.5))
        assert by_code["p4mi-tulungagung"]["parent"] == "bp3mi-jatim"
        assert api["total"]["open"] == total.open
        assert _same(api["total"]["compliance"], total.compliance)

        # backlog by age, open work by level
        unfinished = [c for c in cases if c.status in oracle.UNFINISHED]
        buckets = {label: [0, 0] for label in ("0-5", "6-10", "11-30", "31-60", "> 60")}
        for case in unfinished:
            bucket = buckets[
                oracle.age_bucket(oracle.working_days(case.received_at, now, holidays))
            ]
            bucket[0] += 1
            bucket[1] += oracle.figures(
                [case], start=start, end=end, now=now, holidays=holidays
            ).past_standard
        assert {row[0]: row[1:] for row in tables["backlog_age"].rows} == buckets
        levels: dict[int, list[int]] = {}
        for case in unfinished:
            level = levels.setdefault(case.escalation_level, [0, 0])
            level[0] += 1
            level[1] += oracle.figures(
                [case], start=start, end=end, now=now, holidays=holidays
            ).past_standard
        assert {row[0]: row[1:] for row in tables["open_by_level"].rows} == levels

        # missed targets per week
        stop = max(start, min(end, now))
        weeks: dict[date, list[int]] = {}
        for case in cases:
            for index, stage in enumerate(oracle.STAGES):
                breach = case.breaches[stage]
                if breach is not None and start <= breach < stop:
                    week = weeks.setdefault(oracle.week_monday(breach), [0, 0, 0])
                    week[index] += 1
        assert {row[0]: row[1:4] for row in tables["breaches_week"].rows} == weeks

        # the oldest open complaints, oldest first, with their age
        oldest = sorted(unfinished, key=lambda c: c.received_at)[:20]
        shown = tables["oldest_open"].rows
        assert [row[0] for row in shown] == [c.reference for c in oldest]
        for row, case in zip(shown, oldest, strict=True):
            assert row[5] == pytest.approx(
                oracle.working_days(case.received_at, now, holidays), abs=1e-5
            )

        # the report of the previous month equals the dashboard filtered on the office and month
        month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
        month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        report = office_report_figures(office=offices["bp3mi-jatim"], month=month, now=now)
        filtered = (
            client.get(
                reverse("oversight:dashboard"),
                {"date_from": month, "date_to": month_end, "office": offices["bp3mi-jatim"].pk},
            )
            .context["tables"]["offices"]
            .rows[0]
        )
        fig = expect(lambda c: unit_of(c) == "bp3mi-jatim", *_bounds(month, month_end))
        expected_percent = (
            None
            if fig.compliance is None
            else (Decimal(100) * fig.met / (fig.met + fig.missed)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        )
        assert report.sla_compliance_percent == expected_percent
        assert _same(filtered[9], fig.compliance)
        if filtered[9] is not None:
            assert (
                Decimal(str(round(filtered[9] * 100, 10))).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
                == report.sla_compliance_percent
            )
        assert report.complaints_overdue == fig.past_standard

        # public statistics of the year: suppressed below 5, the same figures otherwise
        payload = stats_public(year=now.year)
        table = next(t for t in payload["tables"] if t["slug"] == "standard")
        year_start, year_end = _bounds(date(now.year, 1, 1), date(now.year, 12, 31))
        for row in table["rows"]:
            code = next(c for c in bp3mi if names[c] == row["office"])
            fig = expect(lambda c, code=code: unit_of(c) == code, year_start, year_end)
            due = fig.met + fig.missed
            assert row["targets_due"] == (due if due >= 5 else "<5")
            assert row["breached"] == (fig.breached if fig.breached >= 5 else "<5")
            assert row["compliance"] == (round(fig.compliance, 4) if due >= 5 else None)
            median = oracle.percentile(fig.responses, 0.5)
            assert row["median_working_days_to_first_response"] == (
                round(median, 1) if len(fig.responses) >= 5 else None
            )
        # the portable path (SQLite, `make run`) gives the same figures as PostgreSQL's SQL
        window = Window(start=start, end=end, now=now)
        in_sql = standard_figures(complaints=Complaint.objects.all(), window=window)
        in_python = standard_figures(complaints=Complaint.objects.all(), window=window, python=True)
        assert set(in_sql.by_unit) == set(in_python.by_unit)
        for key in ("open", "past_standard", "breached", "targets_met", "targets_missed"):
            assert getattr(in_sql.total, key) == getattr(in_python.total, key)
        for key in ("first_response_median_days", "resolution_p90_days"):
            assert _same(getattr(in_sql.total, key), getattr(in_python.total, key))

        # the snapshot of the default view (oversight.standard.snapshot) shows the live figures
        def default_view():
            page = client.get(reverse("oversight:dashboard")).context["tables"]
            first = ("offices", "ministry_queue", "backlog_age", "breaches_week", "oldest_open")
            return {slug: page[slug].rows for slug in (*first, "open_by_level")}, client.get(
                "/api/v1/oversight/offices/"
            ).json()

        cache.clear()
        live_view = default_view()
        assert first_screen_snapshots_refresh() >= 1
        assert default_view() == live_view
        cache.clear()
        transaction.set_rollback(True)
