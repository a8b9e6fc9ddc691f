"""The first screen of the default views, taken every few minutes and kept in the cache.

At 1,000,000 complaints the first screen's figures cannot be computed live within 300 ms: every
figure of the default view (the last twelve months) reads most of the complaints table (open
work has no period at all). So, like the duration snapshot of the summary refresh, a beat task
(`oversight.refresh_first_screen`, portal/beat.py) takes the figures of the default view of each
scope that has a dashboard — the national one and each head of office's — with the very
selectors of the live path, and keeps them in the cache (Redis) for two refresh intervals.

A request with the default filters reads its scope's snapshot (no query on the complaints
table); any other view, or a scope without a snapshot (expired, or never taken), is computed
live exactly as before. A snapshot's figures are those of its own instant (`now`, shown as the
figures' time): up to one refresh interval old, as every summary-based figure of the dashboard.
The oldest open complaints are always read live (one indexed query of 20 rows), so the list to
act on is current.

Any other view (a filter, another period) is computed live on PostgreSQL at its first request
and kept as a snapshot of that view (`first_screen_view_take`), under a key that also holds the
complaints' change counter: the sequence of the change log the triggers on the complaints table
write for every inserted, updated or deleted complaint (oversight.dashboards.models
.ComplaintChange). So the page, its CSV downloads and the offices API of the same view, and
colleagues of the same scope, share one computation until any complaint changes, and at most
VIEW_SNAPSHOT_SECONDS (5 minutes) apart (a missed target is recorded by the sweep within a minute:
a change).
On a read replica the counter advances in steps of 32 changes (PostgreSQL logs sequences so),
so there the time bound is what holds. SQLite has no such counter, and a database role may be
denied it: those views stay live.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.models import ComplaintChange
from oversight.dashboards.selectors import (
    DashboardScope,
    OfficerWorkload,
    dashboard_complaint_base,
    dashboard_officer_workload,
    dashboard_scope,
)
from oversight.standard import selectors as standard
from portal.choices import Role

logger = logging.getLogger(__name__)

# Two refresh intervals (portal/beat.py: every 300 s): one missed tick still finds a snapshot;
# after that the view is computed live rather than shown older.
SNAPSHOT_SECONDS = 600
# A view's own snapshot lives one refresh interval at most (see the module's docstring).
VIEW_SNAPSHOT_SECONDS = SNAPSHOT_SECONDS // 2
# Bump when the snapshot's shape changes, so an old process's pickles are not read.
SNAPSHOT_VERSION = 2


@dataclass
class FirstScreenSnapshot:
    """The first screen's figures of one scope's default view at `now`."""

    now: datetime
    calendar: standard.Calendar
    board: standard.OfficeBoard
    backlog: list[standard.AgeBucket]
    breaches: list[standard.WeekBreaches]
    # Open work per escalation level (the page's level table and chart, not the first screen).
    levels: list[standard.LevelRow]
    # The officers' workload of a head's page (None for the national scope, which hides it).
    workload: list[OfficerWorkload] | None = None
    # True: the beat's snapshot of a default view; False: a view's own, taken at its request.
    scheduled: bool = True


def _key(*, office_ids: list[int] | None, filters: DashboardFilters, version: str = "") -> str:
    scope = "all" if office_ids is None else ",".join(str(pk) for pk in sorted(set(office_ids)))
    view = "&".join(f"{name}={value}" for name, value in sorted(filters.as_query().items()))
    digest = hashlib.sha256(f"{scope}|{view}|{version}".encode()).hexdigest()[:32]
    return f"oversight:first-screen:v{SNAPSHOT_VERSION}:{digest}"


def _complaints_version(using: str) -> str | None:
    """The complaints' change counter on `using` (with the database's name: test databases of
    parallel runs share one cache), or None where there is none (SQLite). One query."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    # A role that may not read the sequence gets no counter (the view is computed live, as before
    # views were kept) rather than an error; asked in the same query, so no savepoint is needed.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.allowed, "
            "CASE WHEN r.allowed THEN pg_sequence_last_value(r.seq::regclass) END "
            "FROM (SELECT s.seq, has_sequence_privilege(s.seq, 'SELECT') "
            "OR has_sequence_privilege(s.seq, 'USAGE') AS allowed "
            "FROM pg_get_serial_sequence(%s, 'id') AS s(seq)) AS r",
            [ComplaintChange._meta.db_table],
        )
        allowed, value = cursor.fetchone()
    if not allowed:
        logger.warning("complaints' change counter unreadable; computing the view live")
        return None
    return f"{connection.settings_dict['NAME']}:{value or 0}"


def _is_default(filters: DashboardFilters) -> bool:
    return filters == DashboardFilters.default(timezone.localdate())


def _cache_read(key: str) -> FirstScreenSnapshot | None:
    try:
        snapshot = cache.get(key)
    except Exception:  # the cache down, or an unreadable pickle: compute live
        logger.warning("first-screen snapshot unreadable; computing live", exc_info=True)
        return None
    return snapshot if isinstance(snapshot, FirstScreenSnapshot) else None


def _view_key(*, scope: DashboardScope, filters: DashboardFilters) -> str | None:
    version = _complaints_version(dashboard_complaint_base(scope=scope, filters=filters).db)
    if version is None:
        return None
    return _key(office_ids=scope.office_ids, filters=filters, version=version)


def first_screen_snapshot_get(
    *, scope: DashboardScope, filters: DashboardFilters
) -> FirstScreenSnapshot | None:
    """The scope's snapshot when `filters` are today's default view (no database query), else
    the view's own snapshot if one was taken since the last complaint change (one query);
    None: compute live."""
    if _is_default(filters):
        return _cache_read(_key(office_ids=scope.office_ids, filters=filters))
    key = _view_key(scope=scope, filters=filters)
    return _cache_read(key) if key is not None else None


def first_screen_view_take(
    *, scope: DashboardScope, filters: DashboardFilters
) -> FirstScreenSnapshot | None:
    """Compute a view other than the default one live, keep it as that view's snapshot, and
    return it; None where views are not kept (SQLite, or the default view, whose snapshots
    the beat takes)."""
    if _is_default(filters):
        return None
    key = _view_key(scope=scope, filters=filters)
    if key is None:
        return None
    snapshot = first_screen_snapshot_take(scope=scope, filters=filters, now=timezone.now())
    snapshot.scheduled = False
    try:
        cache.set(key, snapshot, VIEW_SNAPSHOT_SECONDS)
    except Exception:  # the cache down: the figures are still good for this request
        logger.warning("first-screen view snapshot not kept", exc_info=True)
    return snapshot


def first_screen_snapshot_take(
    *, scope: DashboardScope, filters: DashboardFilters, now: datetime
) -> FirstScreenSnapshot:
    """The figures of one view, computed live by the first screen's selectors."""
    complaints = dashboard_complaint_base(scope=scope, filters=filters)
    calendar = standard.calendar_preloaded(using=complaints.db)
    window = standard.window_for_days(date_from=filters.date_from, date_to=filters.date_to, now=now)
    board = standard.standard_office_board(
        complaints=complaints,
        office_ids=scope.office_ids,
        filter_office_ids=filters.office_ids,
        window=window,
        calendar=calendar,
    )
    return FirstScreenSnapshot(
        now=now,
        calendar=calendar,
        board=board,
        backlog=standard.standard_backlog_by_age(complaints, now=now, calendar=calendar),
        breaches=standard.standard_breaches_by_week(complaints, window=window),
        levels=standard.standard_open_by_level(complaints, now=now),
        workload=None
        if scope.is_national
        else dashboard_officer_workload(scope=scope, filters=filters, now=now),
    )


def _head_scopes() -> list[DashboardScope]:
    """Each distinct scope of a head of office (the other users who see a dashboard)."""
    scopes: dict[tuple, DashboardScope] = {}
    heads = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, memberships__role=Role.HEAD)
        .distinct()
        .order_by("pk")
    )
    for user in heads:
        scope = dashboard_scope(user=user)
        if scope.office_ids is not None:  # a national head reads the national snapshot
            scopes.setdefault(tuple(sorted(set(scope.office_ids))), scope)
    return list(scopes.values())


def first_screen_snapshots_refresh(*, now: datetime | None = None) -> int:
    """Take the default view's snapshot of every dashboard scope and keep it in the cache.
    Returns the number of snapshots taken."""
    from complaints.models import Complaint

    now = now or timezone.now()
    filters = DashboardFilters.default(timezone.localtime(now).date())
    scopes = [DashboardScope(office_ids=None, complaints=Complaint.objects.all()), *_head_scopes()]
    for scope in scopes:
        snapshot = first_screen_snapshot_take(scope=scope, filters=filters, now=now)
        cache.set(_key(office_ids=scope.office_ids, filters=filters), snapshot, SNAPSHOT_SECONDS)
    return len(scopes)
