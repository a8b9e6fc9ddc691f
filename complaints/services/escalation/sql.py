"""The sweep's statements: reading a batch of overdue rows, moving them, writing their events.

Set-based, one statement per step and batch. PostgreSQL gets hand-written statements over
`unnest(arrays)` (no SQL text of thousands of parameters to build and parse per batch); SQLite
(`make run`) the same guarded changes through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from complaints.choices import EventKind, Visibility
from complaints.models import Complaint, ComplaintEvent
from complaints.selectors import complaint_escalation_due_q
from complaints.services.events import (
    ESCALATION_INSTANT_SQL_FORMAT,
    EscalationEventRow,
    complaint_escalation_events,
)
from complaints.services.sla import (
    STANDARD_ROW_FIELDS,
    STANDARD_STAGES,
    probes_found,
    standard_breach_probes,
)
from complaints.services.status import ESCALATION_STATUSES


@dataclass(slots=True)
class OverdueRow:
    """One overdue complaint as the sweep reads it (the fields of `ROW_FIELDS`, in order), and
    what the sweep decides for it: the next office, its deadline and the targets it missed."""

    id: int
    reference: str
    office_id: int
    escalation_level: int
    category_id: int
    priority: str
    due_at: datetime
    sla_stage: str
    language: str
    status: str
    paused_at: datetime | None
    standard_verify_due_at: datetime | None
    standard_first_response_due_at: datetime | None
    standard_resolve_due_at: datetime | None
    verify_breached_at: datetime | None
    first_response_breached_at: datetime | None
    resolve_breached_at: datetime | None
    verified_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    to_office: int = 0
    next_due: datetime | None = None
    breaches: dict[str, datetime] = field(default_factory=dict)

    def get(self, name: str) -> object:
        """Read a field by name (the service standard's rule reads rows and models alike)."""
        return getattr(self, name)


ROW_FIELDS = (
    "id",
    "reference",
    "office_id",
    "escalation_level",
    "category_id",
    "priority",
    "due_at",
    "sla_stage",
    "language",
    *STANDARD_ROW_FIELDS,
)


def overdue_queryset(*, now: datetime, today: date, include_top: bool) -> QuerySet[Complaint]:
    """Open complaints whose office deadline lapsed and whose office was not told today."""
    queryset = Complaint.objects.filter(complaint_escalation_due_q(now=now)).filter(
        Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today)
    )
    if not include_top:
        queryset = queryset.filter(office__parent__isnull=False)
    return queryset


def batch_lock(
    *,
    now: datetime,
    today: date,
    include_top: bool,
    batch_size: int,
    after: tuple[datetime, int] | None,
) -> list[OverdueRow]:
    """Claim the next batch by deadline: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent
    sweeps split the work instead of waiting or doubling it."""
    queryset = overdue_queryset(now=now, today=today, include_top=include_top)
    if after is not None:
        # Keyset: each batch starts where the last ended, so it does not walk again over the
        # index entries the earlier batches left behind (dead until vacuum).
        last_due, last_id = after
        queryset = queryset.filter(due_at__gte=last_due).exclude(due_at=last_due, id__lte=last_id)
    queryset = queryset.order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return [OverdueRow(*values) for values in queryset.values_list(*ROW_FIELDS)[:batch_size]]


# The idle probe runs every minute and finds nothing most of the time: its SQL (four index probes
# in one UNION ALL) is compiled once per process and database, then run with the new instants.
# Compiling it took longer than running it (about 20 ms against 1 on a busy machine).
_PROBE_NOW = datetime(2000, 1, 1, tzinfo=UTC)
_PROBE_TODAY = date(2000, 1, 1)
_probe_sql: dict[str, tuple[str, list[Any]]] = {}


def _probe_queries(*, now: datetime, today: date) -> list[QuerySet[Complaint]]:
    first_overdue = (
        overdue_queryset(now=now, today=today, include_top=True)
        .order_by("due_at")
        .annotate(probe=Value("overdue", output_field=CharField()))
        .values_list("id", "probe")[:1]
    )
    return [first_overdue, *standard_breach_probes(now=now)]


def probe(*, now: datetime, today: date) -> set[str]:
    """Is anything overdue ("overdue"), which service-standard stages have a target passed?

    Ordered by deadline so PostgreSQL walks the partial index: with `exists()` (no order)
    statistics taken before a big sweep still promise many overdue rows, and it chose a
    sequential scan of the whole table (0.5 s at a million complaints) until the next ANALYZE.
    """
    if not connection.features.supports_slicing_ordering_in_compound:
        return probes_found(_probe_queries(now=now, today=today))
    key = connection.alias
    if key not in _probe_sql:
        first, *others = _probe_queries(now=_PROBE_NOW, today=_PROBE_TODAY)
        compiled_sql, compiled_params = first.union(*others, all=True).query.sql_with_params()
        _probe_sql[key] = (compiled_sql, list(compiled_params))
    sql, params = _probe_sql[key]
    values: dict[object, Any] = {_PROBE_NOW: now, _PROBE_TODAY: today}
    bound = [values.get(param, param) if isinstance(param, date) else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        return {found for _id, found in cursor.fetchall()}


def pg_array(values: list[object]) -> str:
    """A PostgreSQL array literal ('{1,2,3}'), cast in SQL (%s::bigint[]). psycopg2 would send a
    list as ARRAY[...] with one expression per element, which PostgreSQL parses and plans
    element by element: for a batch's 8,000 values that parse cost more than the insert."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    # Deadlines and stages repeat across a batch: each distinct value is formatted once.
    formatted: dict[object, str] = {}
    parts = []
    for value in values:
        part = formatted.get(value)
        if part is None:
            if value is None:
                part = "NULL"
            elif isinstance(value, datetime):
                part = value.isoformat()
            else:
                part = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            formatted[value] = part
        parts.append(part)
    return "{" + ",".join(parts) + "}"


# The guard repeats the overdue condition and the office read, so a row an officer changed
# between the batch's read and this update is left alone. The service standard's missed targets
# are recorded by the same UPDATE (one write per row, not two).
_MOVE_SQL = (
    "UPDATE {table} AS c SET office_id = v.to_office, "
    "escalation_level = c.escalation_level + 1, due_at = v.next_due, last_escalated_at = %s, "
    "overdue_notified_on = NULL, updated_at = %s, "
    "verify_breached_at = COALESCE(c.verify_breached_at, v.verify_missed), "
    "first_response_breached_at = COALESCE(c.first_response_breached_at, v.response_missed), "
    "resolve_breached_at = COALESCE(c.resolve_breached_at, v.resolve_missed) "
    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::timestamptz[], "
    "%s::timestamptz[], %s::timestamptz[], %s::timestamptz[]) "
    "AS v(id, from_office, to_office, next_due, verify_missed, response_missed, resolve_missed) "
    "WHERE c.id = v.id AND c.office_id = v.from_office AND c.status = ANY(%s) "
    "AND c.due_at <= %s AND c.paused_at IS NULL "
    "RETURNING c.id"
)


def move(*, rows: list[OverdueRow], now: datetime) -> set[int]:
    """Move `rows` to their `to_office` with their `next_due`; returns the ids really moved."""
    if connection.vendor == "postgresql":
        return _move_postgresql(rows=rows, now=now)
    return _move_portable(rows=rows, now=now)


def _move_postgresql(*, rows: list[OverdueRow], now: datetime) -> set[int]:
    """One guarded UPDATE ... FROM unnest(arrays) RETURNING id: the moved rows come back without
    a second query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MOVE_SQL.format(table=Complaint._meta.db_table),
            [
                now,
                now,
                pg_array([row.id for row in rows]),
                pg_array([row.office_id for row in rows]),
                pg_array([row.to_office for row in rows]),
                pg_array([row.next_due for row in rows]),
                *[
                    pg_array([row.breaches.get(stage.breach) for row in rows])
                    for stage in STANDARD_STAGES
                ],
                list(ESCALATION_STATUSES),
                now,
            ],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _move_portable(*, rows: list[OverdueRow], now: datetime) -> set[int]:
    """The same guarded update through the ORM (SQLite for `make run`); breaches are left to the
    sweep's breach pass."""
    moves = {row.office_id: row.to_office for row in rows}
    by_deadline: dict[datetime | None, list[int]] = {}
    for row in rows:
        by_deadline.setdefault(row.next_due, []).append(row.id)
    ids = [row.id for row in rows]
    Complaint.objects.filter(
        id__in=ids,
        status__in=ESCALATION_STATUSES,
        due_at__lte=now,
        paused_at__isnull=True,
        office_id__in=list(moves),
    ).update(
        office_id=Case(*[When(office_id=old, then=Value(new)) for old, new in moves.items()]),
        escalation_level=F("escalation_level") + 1,
        due_at=Case(
            *[When(id__in=pks, then=Value(deadline)) for deadline, pks in by_deadline.items()]
        ),
        last_escalated_at=now,
        overdue_notified_on=None,
        updated_at=now,
    )
    return set(
        Complaint.objects.filter(id__in=ids, last_escalated_at=now).values_list("id", flat=True)
    )


def events_insert(
    *, events: list[EscalationEventRow], texts: list[tuple[str, str]], now: datetime
) -> None:
    """Insert escalation events; ON CONFLICT DO NOTHING on (complaint, level), so a replayed
    batch adds no second event. On PostgreSQL one INSERT ... SELECT FROM unnest(arrays): the few
    distinct texts travel once and `data` is built by the database, with the keys and the
    instant format of `complaints.services.events.escalation_event_data` (a test compares them).
    Elsewhere the events module writes them.
    """
    if not events:
        return
    if connection.vendor != "postgresql":
        complaint_escalation_events(rows=events, texts=texts)
        return
    bodies, public_lines = zip(*texts, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ComplaintEvent._meta.db_table} "  # noqa: S608 (our table name)
            "(complaint_id, kind, visibility, by_reporter, level, body, public_body, data, "
            "created_at) "
            "SELECT e.complaint_id, %s, %s, false, e.level, "
            "(%s::text[])[e.text + 1], (%s::text[])[e.text + 1], "
            "jsonb_build_object('from_office', e.from_office, 'to_office', e.to_office, "
            "'lapsed_at', to_char(e.lapsed_at AT TIME ZONE 'UTC', %s), 'stage', e.stage, "
            "'next_due_at', to_char(e.next_due AT TIME ZONE 'UTC', %s)), %s "
            "FROM unnest(%s::bigint[], %s::smallint[], %s::int[], %s::bigint[], "
            "%s::bigint[], %s::timestamptz[], %s::text[], %s::timestamptz[]) "
            "AS e(complaint_id, level, text, from_office, to_office, lapsed_at, stage, "
            "next_due) "
            "ON CONFLICT DO NOTHING",
            [
                EventKind.ESCALATION.value,
                Visibility.INTERNAL.value,
                list(bodies),
                list(public_lines),
                ESCALATION_INSTANT_SQL_FORMAT,
                ESCALATION_INSTANT_SQL_FORMAT,
                now,
                pg_array([event.complaint_id for event in events]),
                pg_array([event.level for event in events]),
                pg_array([event.text for event in events]),
                pg_array([event.from_office for event in events]),
                pg_array([event.to_office for event in events]),
                pg_array([event.lapsed_at for event in events]),
                pg_array([event.stage for event in events]),
                pg_array([event.next_due for event in events]),
            ],
        )


def top_renotify_mark(*, rows: list[OverdueRow], now: datetime, today: date) -> list[OverdueRow]:
    """Mark the complaints at the top of the ladder as notified today; returns those marked by
    this sweep (a concurrent sweep may have marked some first)."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    updated = (
        Complaint.objects.filter(id__in=ids, status__in=ESCALATION_STATUSES, due_at__lte=now)
        .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
        .update(overdue_notified_on=today)
    )
    if updated == len(rows):
        return rows
    marked = set(
        Complaint.objects.filter(id__in=ids, overdue_notified_on=today).values_list("id", flat=True)
    )
    return [row for row in rows if row.id in marked]


if tuple(item.name for item in fields(OverdueRow))[: len(ROW_FIELDS)] != ROW_FIELDS:
    # The row is built positionally from the query: a field added to one must go to the other.
    raise ImproperlyConfigured("OverdueRow's fields must start with ROW_FIELDS, in order.")
