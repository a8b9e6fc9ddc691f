"""The agency and employer watchlist: who is named in complaints, how often, and for what.

For the ministry's enforcement work (not public). Complaints linked to an Agency record are counted
together under it (the intake normalises names when it links); names that were only written down
are grouped by their upper-cased, trimmed text. Always within the caller's scope and filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Trim, Upper

from complaints.choices import OPEN_STATUSES, AgencyKind
from oversight.dashboards.filters import DashboardFilters
from oversight.dashboards.selectors import DashboardScope, dashboard_complaint_list

# (linked foreign key, written-name field) per kind of party.
PARTY_FIELDS = {
    AgencyKind.P3MI: ("placement_agency", "placement_agency_name"),
    AgencyKind.FOREIGN_AGENCY: ("foreign_agency", "foreign_agency_name"),
    AgencyKind.EMPLOYER: ("employer", "employer_name"),
}
# Named in at least this many complaints within the period: a repeat offender worth a look.
REPEAT_THRESHOLD = 3
WATCHLIST_LIMIT = 50


@dataclass(frozen=True)
class PartyRow:
    kind: str
    agency_id: int | None  # None: a written name not linked to an Agency record
    name: str
    complaints: int
    open: int
    categories: int
    first: datetime
    last: datetime

    @property
    def is_linked(self) -> bool:
        return self.agency_id is not None


def watchlist_parties(
    *, scope: DashboardScope, filters: DashboardFilters, kind: str, limit: int = WATCHLIST_LIMIT
) -> list[PartyRow]:
    """Parties of one kind, most complaints first: linked records, then written names."""
    fk, name_field = PARTY_FIELDS[AgencyKind(kind)]
    complaints = dashboard_complaint_list(scope=scope, filters=filters).order_by()
    measures = {
        "complaints": Count("id"),
        "open": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "categories": Count("category_id", distinct=True),
        "first": Min("created_at"),
        "last": Max("created_at"),
    }
    linked = (
        complaints.filter(**{f"{fk}__isnull": False})
        .values(f"{fk}_id", f"{fk}__name")
        .annotate(**measures)
        .order_by("-complaints", f"{fk}__name")[:limit]
    )
    written = (
        complaints.filter(**{f"{fk}__isnull": True})
        .exclude(**{name_field: ""})
        .annotate(written=Upper(Trim(name_field)))
        .values("written")
        .annotate(**measures)
        .order_by("-complaints", "written")[:limit]
    )
    rows = [
        PartyRow(
            kind,
            r[f"{fk}_id"],
            r[f"{fk}__name"],
            r["complaints"],
            r["open"],
            r["categories"],
            r["first"],
            r["last"],
        )
        for r in linked
    ] + [
        PartyRow(
            kind,
            None,
            r["written"],
            r["complaints"],
            r["open"],
            r["categories"],
            r["first"],
            r["last"],
        )
        for r in written
    ]
    rows.sort(key=lambda row: (-row.complaints, row.name))
    return rows[:limit]


def watchlist_repeat_offenders(rows: list[PartyRow], *, threshold: int = REPEAT_THRESHOLD):
    return [row for row in rows if row.complaints >= threshold]


def watchlist_categories_per_agency(
    *, scope: DashboardScope, filters: DashboardFilters, agency_ids: list[int]
) -> dict[int, list[tuple[int, int]]]:
    """For the given linked placement agencies: (category id, complaints) pairs, largest first."""
    if not agency_ids:
        return {}
    rows = (
        dashboard_complaint_list(scope=scope, filters=filters)
        .order_by()
        .filter(placement_agency_id__in=agency_ids)
        .values("placement_agency_id", "category_id")
        .annotate(count=Count("id"))
        .order_by("placement_agency_id", "-count", "category_id")
    )
    result: dict[int, list[tuple[int, int]]] = {pk: [] for pk in agency_ids}
    for row in rows:
        result[row["placement_agency_id"]].append((row["category_id"], row["count"]))
    return result


def party_filter(*, agency_id: int | None = None, written_name: str = "") -> Q:
    """The drill-down condition: complaints naming this party in any role."""
    if agency_id is not None:
        return (
            Q(placement_agency_id=agency_id)
            | Q(foreign_agency_id=agency_id)
            | Q(employer_id=agency_id)
        )
    name = written_name.strip()
    return (
        Q(placement_agency_name__iexact=name)
        | Q(foreign_agency_name__iexact=name)
        | Q(employer_name__iexact=name)
    )
