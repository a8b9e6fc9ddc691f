"""Filters of the triage queue. Each maps to an indexed condition (see Complaint.Meta.indexes)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from complaints.choices import OPEN_STATUSES, QUEUE_STATUSES, Status
from complaints.selectors import complaint_past_standard_q, complaint_standard_due_q
from portal.selectors import office_list_visible_to

# Above this many rows the queue says "more than N" instead of counting the table: a full
# COUNT(*) over a million complaints costs more than the page itself.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMIT inside the COUNT), so no page scans the table."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("none", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


class SlaFilter(admin.SimpleListFilter):
    """The service standard (targets from receipt; complaints.selectors): "overdue" is past the
    standard whatever office holds the complaint; "due today" has an unmet target later today."""

    title = _("service standard")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("today", _("Due today")),
            ("on_time", _("On time")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        end_of_today = timezone.make_aware(
            datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min)
        )
        past = complaint_past_standard_q(now=now)
        if self.value() == "overdue":
            return queryset.filter(past)
        due_today = complaint_standard_due_q(start=now, end=end_of_today)
        if self.value() == "today":
            return queryset.filter(due_today).exclude(past)
        if self.value() == "on_time":
            return queryset.filter(status__in=OPEN_STATUSES).exclude(past).exclude(due_today)
        return queryset


class ScopedOfficeFilter(admin.SimpleListFilter):
    """Offices the user may see (never a list of every office for an office user)."""

    title = _("office")
    parameter_name = "office"

    def lookups(self, request, model_admin):
        return [
            (str(pk), name)
            for pk, name in office_list_visible_to(user=request.user)
            .order_by("kind", "name")
            .values_list("pk", "name")
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(office_id=int(self.value()))
        return queryset


class DestinationCountryFilter(admin.SimpleListFilter):
    """The main destinations as links (settings.COUNTRIES_FIRST); any other ISO code by URL.

    Listing all 250 countries would render 250 links on every page of the queue.
    """

    title = _("destination country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        from django.conf import settings

        from portal.countries import country_sorted

        return country_sorted(settings.COUNTRIES_FIRST)

    def queryset(self, request, queryset):
        value = (self.value() or "").upper()
        if len(value) == 2 and value.isalpha():
            return queryset.filter(destination_country=value)
        return queryset


class QueueStatusFilter(admin.SimpleListFilter):
    """Status, opening on the open complaints (QUEUE_STATUSES, index complaint_queue_open);
    "All" shows every status."""

    title = _("status")
    parameter_name = "status"
    OPEN = "open"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.OPEN, _("Open (not finished)")), (self.ALL, _("All")), *Status.choices]

    def _selected(self) -> str:
        value = self.value()
        known = {self.OPEN, self.ALL, *Status.values}
        return value if value in known else self.OPEN

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        selected = self._selected()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": selected == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        selected = self._selected()
        if selected == self.ALL:
            return queryset
        if selected == self.OPEN:
            return queryset.filter(status__in=QUEUE_STATUSES)
        return queryset.filter(status=selected)
