"""The ladder the sweep climbs: offices and their parents, heads to copy, grace per policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from complaints.models import SlaPolicy
from portal.choices import Role
from portal.models import Membership, Office

DEFAULT_GRACE_WORKING_DAYS: int = SlaPolicy._meta.get_field("escalation_grace_working_days").default


@dataclass(frozen=True, slots=True)
class LadderOffice:
    id: int
    parent_id: int | None
    name: str
    notification_email: str


@dataclass
class Ladder:
    """Offices, their heads and the grace per policy: loaded once per sweep, only when needed."""

    offices: dict[int, LadderOffice]
    heads: dict[int, list[str]]
    grace_by_category: dict[int, int]
    grace_by_priority: dict[str, int]
    default_grace: int
    # Next office deadline per grace, computed once per sweep (all rows share the sweep's now).
    deadlines: dict[int, datetime] = field(default_factory=dict)

    def grace_for(self, *, category_id: int, priority: str) -> int:
        if category_id in self.grace_by_category:
            return self.grace_by_category[category_id]
        return self.grace_by_priority.get(priority, self.default_grace)


def ladder_load() -> Ladder:
    offices = {
        office_id: LadderOffice(office_id, parent_id, name, email or "")
        for office_id, parent_id, name, email in Office.objects.values_list(
            "id", "parent_id", "name", "notification_email"
        )
    }
    heads: dict[int, list[str]] = {}
    for office_id, email in Membership.objects.filter(
        role=Role.HEAD, user__is_active=True
    ).values_list("office_id", "user__email"):
        if email:
            heads.setdefault(office_id, []).append(email)
    grace_by_category: dict[int, int] = {}
    grace_by_priority: dict[str, int] = {}
    for category_id, priority, grace in SlaPolicy.objects.filter(is_active=True).values_list(
        "category_id", "priority", "escalation_grace_working_days"
    ):
        if category_id is not None:
            grace_by_category[category_id] = grace
        else:
            grace_by_priority[priority or ""] = grace
    return Ladder(
        offices=offices,
        heads=heads,
        grace_by_category=grace_by_category,
        grace_by_priority=grace_by_priority,
        default_grace=grace_by_priority.get("", DEFAULT_GRACE_WORKING_DAYS),
    )
