"""How staff pages word a complaint's timeline and its times.

A timeline row reads as words ("Status: diterima → terverifikasi", "Balasan publik"), never as the
stored values (`status`, `{"to": "verified"}`); every time carries its zone (WIB), since offices sit
in three zones and a bare "14:05" is ambiguous on the phone between them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from complaints.choices import EventKind, SlaStage, Status
from complaints.models import ComplaintEvent

# Day, month, year, hours, minutes and the zone's abbreviation (WIB for Asia/Jakarta).
STAFF_DATETIME_FORMAT = "d-m-Y H:i T"


def staff_datetime(value) -> str:
    """A time for staff, in the portal's zone and naming it: "03-12-2026 14:05 WIB"."""
    if value is None:
        return "—"
    return dateformat.format(timezone.localtime(value), STAFF_DATETIME_FORMAT)


def _status(value) -> str:
    if value in Status.values:
        return str(Status(value).label).lower()
    return _("unknown")


def _person(username) -> str:
    return username or _("nobody")


def timeline_office_names(events: Iterable[ComplaintEvent]) -> dict:
    """Names of the offices that escalation and forwarding rows mention, in one query.

    Escalations store office ids, forwards store office codes: both are keys here.
    """
    from portal.models import Office

    ids, codes = set(), set()
    for event in events:
        if event.kind not in (EventKind.ESCALATION, EventKind.FORWARD):
            continue
        for key in ("from_office", "to_office"):
            value = (event.data or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
            elif isinstance(value, str) and value:
                codes.add(value)
    if not ids and not codes:
        return {}
    from django.db.models import Q

    names = {}
    for pk, code, name in Office.objects.filter(Q(pk__in=ids) | Q(code__in=codes)).values_list(
        "pk", "code", "name"
    ):
        names[pk] = names[code] = name
    return names


def event_summary(event: ComplaintEvent, office_names: dict | None = None) -> str:
    """One timeline row in words, in the active language."""
    data = event.data or {}
    office_names = office_names or {}

    def office(key: str) -> str:
        value = data.get(key)
        return office_names.get(value) or (str(value) if value else "—")

    if event.kind == EventKind.STATUS:
        return _("Status: %(from)s → %(to)s") % {
            "from": _status(data.get("from")),
            "to": _status(data.get("to")),
        }
    if event.kind == EventKind.ASSIGNMENT:
        if not data.get("from"):
            return _("Assignment: %(to)s") % {"to": _person(data.get("to"))}
        return _("Assignment: %(from)s → %(to)s") % {
            "from": _person(data.get("from")),
            "to": _person(data.get("to")),
        }
    if event.kind == EventKind.ESCALATION:
        stage = data.get("stage")
        stage_label = str(SlaStage(stage).label).lower() if stage in SlaStage.values else "—"
        return _("Escalation: level %(level)s, %(from)s → %(to)s (%(stage)s deadline lapsed)") % {
            "level": event.level if event.level is not None else "—",
            "from": office("from_office"),
            "to": office("to_office"),
            "stage": stage_label,
        }
    if event.kind == EventKind.FORWARD:
        return _("Forwarded: %(from)s → %(to)s") % {
            "from": office("from_office"),
            "to": office("to_office"),
        }
    if event.kind in EventKind.values:
        return str(EventKind(event.kind).label)
    return _("Other event")
