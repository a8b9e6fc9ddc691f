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
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from oversight.dashboards.filters import DashboardFilters
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
# Bump when the snapshot's shape changes, so an old process's pickles are not read.
SNAPSHOT_VERSION = 1


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


def _key(*, office_ids: list[int] | None, filters: DashboardFilters) -> str:
    scope = "all" if office_ids is None else ",".join(str(pk) for pk in sorted(set(office_ids)))
    view = "&".join(f"{name}={value}" for name, value in sorted(filters.as_query().items()))
    digest = hashlib.sha256(f"{scope}|{view}".encode()).hexdigest()[:32]
    return f"oversight:first-screen:v{SNAPSHOT_VERSION}:{digest}"


def _is_default(filters: DashboardFilters) -> bool:
    return filters == DashboardFilters.default(timezone.localdate())


def first_screen_snapshot_get(
    *, scope: DashboardScope, filters: DashboardFilters
) -> FirstScreenSnapshot | None:
    """The scope's snapshot when `filters` are today's default view, else None (compute live).
    No database query."""
    if not _is_default(filters):
        return None
    try:
        snapshot = cache.get(_key(office_ids=scope.office_ids, filters=filters))
    except Exception:  # the cache down, or an unreadable pickle: compute live
        logger.warning("first-screen snapshot unreadable; computing live", exc_info=True)
        return None
    return snapshot if isinstance(snapshot, FirstScreenSnapshot) else None


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
