"""Staff triage in the admin: the queue (changelist), the case page and the reference tables.

Scope: every queryset of an office-bound model comes from complaints.selectors; an object outside
the user's scope answers 404 on every URL (change, history, delete, custom views), never a redirect
or a 403 that would confirm it exists. State changes go through complaints.services.triage.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from complaints import admin_views
from complaints.admin_filters import (
    AssigneeFilter,
    CappedCountPaginator,
    DestinationCountryFilter,
    QueueStatusFilter,
    ScopedOfficeFilter,
    SlaFilter,
)
from complaints.admin_forms import TRIAGE_FORMS
from complaints.choices import (
    OPEN_STATUSES,
    AccessAction,
    EventKind,
    InboundStatus,
    SlaStage,
    Status,
)
from complaints.exports import export_complaints, export_filename
from complaints.models import (
    AccessRecord,
    Agency,
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    Holiday,
    InboundAttachment,
    InboundMessage,
    Notification,
    ReplyTemplate,
    SlaPolicy,
)
from complaints.selectors import (
    REPORTER_PERSONAL_FIELDS,
    access_record_list_for_staff,
    attachment_list_for_staff,
    complaint_case_for_staff,
    complaint_event_list_for_staff,
    complaint_list_for_staff,
    complaint_personal_data_visible,
    complaint_standard_state,
    notification_list_for_staff,
)
from complaints.services.audit import access_record_write
from complaints.services.triage import complaint_assign, complaint_change_status
from complaints.timeline import event_summary, staff_datetime, timeline_office_names
from portal.countries import country_name
from portal.exceptions import ApplicationError

# A bulk action touches at most this many complaints; each is one service call and transaction.
BULK_MAX = 500
# A refusal names this many references per reason, then "and N more": a message stays readable.
BULK_REFERENCES_SHOWN = 20


class ScopedAdminMixin:
    """Object URLs of office-bound models answer 404 for anything outside the user's scope."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "perhaps it was deleted?": that confirms nothing,
        # but a plain 404 is the same answer for "elsewhere" and "never existed".
        raise Http404

    def _object_in_scope(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._object_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._object_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._object_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)


class ReadOnlyAdminMixin:
    """Records written by the system: staff read them, nobody edits or deletes them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- the case page's inlines --------------------------------------------------------------------


class TimelineInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The timeline in words: "Status: diterima → terverifikasi", times with their zone."""

    model = ComplaintEvent
    verbose_name = _("timeline event")
    verbose_name_plural = _("timeline")
    template = "admin/complaints/complaint/timeline_inline.html"
    fields = ("when", "summary", "visibility", "actor", "body", "public_body")
    readonly_fields = fields
    extra = 0
    ordering = ("created_at", "id")

    def get_queryset(self, request):
        return complaint_event_list_for_staff(user=request.user).select_related("actor")

    @admin.display(description=_("time"))
    def when(self, obj: ComplaintEvent) -> str:
        return staff_datetime(obj.created_at)

    @admin.display(description=_("what happened"))
    def summary(self, obj: ComplaintEvent) -> str:
        names = getattr(self, "_office_names", None)
        if names is None or names[0] != obj.complaint_id:
            mentioned = ComplaintEvent.objects.filter(
                complaint_id=obj.complaint_id, kind__in=(EventKind.ESCALATION, EventKind.FORWARD)
            ).only("kind", "data")
            names = self._office_names = (obj.complaint_id, timeline_office_names(mentioned))
        return event_summary(obj, names[1])


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    fields = ("download", "content_type", "size", "by_reporter", "uploaded")
    readonly_fields = fields
    extra = 0
    ordering = ("created_at", "id")

    def get_queryset(self, request):
        return attachment_list_for_staff(user=request.user)

    @admin.display(description=_("uploaded"))
    def uploaded(self, obj: Attachment) -> str:
        return staff_datetime(obj.created_at)

    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        url = reverse("admin:complaints_complaint_attachment_download", args=[obj.pk])
        return format_html('<a href="{}" download>{}</a>', url, obj.original_name)


# --- the triage queue and the case page ---------------------------------------------------------


def sla_state(complaint: Complaint, now=None, state: dict | None = None) -> tuple[str, str]:
    """(css modifier, label) of the complaint against the service standard (targets from
    receipt, complaints.services.sla): "overdue" means past the standard, whatever office holds
    it now. The office's own action deadline (`due_at`) is shown apart."""
    now = now or timezone.now()
    state = state or complaint_standard_state(complaint=complaint, now=now, working_days=False)
    if state["past_standard"]:
        return "overdue", str(_("Overdue"))
    if state["paused"] or complaint.status == Status.WAITING_REPORTER:
        return "paused", str(_("Paused"))
    if state["target"] is None:
        return "none", "—"
    if timezone.localdate(state["target"]) == timezone.localdate(now):
        return "today", str(_("Due today"))
    return "on-time", str(_("On time"))


_FACTS = (
    "reference",
    "status",
    "sla_badge",
    "office_deadline",
    "kind",
    "category",
    "priority",
    "is_urgent",
    "office",
    "assignee",
    "escalation_level",
    "sla_stage",
    "received_at_zoned",
    "duplicate_link",
)
_CASE = (
    "description",
    "started_on",
    "filer_relation",
    "origin_region",
    "destination_country",
    "destination_city",
    "employer_name",
    "employer",
    "placement_agency_name",
    "placement_agency",
    "foreign_agency_name",
    "foreign_agency",
    "departure_date",
    "is_procedural",
)
_REPORTER_FLAGS = ("is_anonymous", "is_confidential", "language", "message_detail")
# How it came in: channel, referring body and its reference, who took it where.
_INTAKE = ("channel", "referrer", "referrer_reference", "taken_by", "intake_office")
_DATES = (
    "verified_at_zoned",
    "first_response_at_zoned",
    "resolved_at_zoned",
    "closed_at_zoned",
    "consent_at_zoned",
    # The service standard: targets from receipt, and the ones missed.
    "standard_verify_due_at_zoned",
    "standard_first_response_due_at_zoned",
    "standard_resolve_due_at_zoned",
    "verify_breached_at_zoned",
    "first_response_breached_at_zoned",
    "resolve_breached_at_zoned",
)


def _zoned(field_name: str):
    """A read-only admin column of a datetime field, shown with its zone (WIB)."""

    def display(modeladmin, obj: Complaint) -> str | None:
        value = getattr(obj, field_name)
        return staff_datetime(value) if value else None  # None: the admin's "-"

    display.__name__ = f"{field_name}_zoned"
    label = Complaint._meta.get_field(field_name).verbose_name
    return admin.display(description=label, ordering=field_name)(display)


def _status_action(status: str, label):
    def action(modeladmin, request, queryset):
        modeladmin.bulk_apply(
            request,
            queryset,
            lambda complaint: complaint_change_status(
                complaint=complaint, actor=request.user, status=status
            ),
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=label, permissions=["change"])(action)


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "reference",
        "sla_badge",
        "office_deadline",
        "category",
        "urgent",
        "country",
        "agency",
        "status",
        "assignee",
        "office",
        "age",
    )
    list_filter = (
        QueueStatusFilter,
        SlaFilter,
        AssigneeFilter,
        "is_urgent",
        "category",
        "channel",
        "referrer",
        ScopedOfficeFilter,
        DestinationCountryFilter,
        "placement_agency",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = (
        "=reference",
        "placement_agency_name",
        "foreign_agency_name",
        "employer_name",
        "placement_agency__name",
    )
    search_help_text = _(
        "Reference, placement agency, agency abroad or employer; a passport number or a "
        "referrer's reference (exact)."
    )
    # Urgent first, then the nearest deadline (index complaint_triage_order).
    ordering = ("-is_urgent", "due_at")
    list_select_related = ("category", "office", "assignee", "placement_agency")
    list_per_page = 50
    show_full_result_count = False
    paginator = CappedCountPaginator
    inlines = (TimelineInline, AttachmentInline)
    change_form_template = "admin/complaints/complaint/change_form.html"
    actions = (
        "assign_to_me",
        _status_action(Status.VERIFIED, _("Mark verified")),
        _status_action(Status.IN_PROGRESS, _("Mark in progress")),
        _status_action(Status.RESOLVED, _("Mark resolved")),
        _status_action(Status.CLOSED, _("Close")),
        _status_action(Status.REJECTED, _("Reject")),
        "export_csv",
        "export_xlsx",
    )

    class Media:
        css = {"all": ("complaints/admin/triage.css",)}

    # --- scope -------------------------------------------------------------------------------

    def get_queryset(self, request):
        return complaint_list_for_staff(user=request.user)

    def get_object(self, request, object_id, from_field=None):
        cache = getattr(request, "_complaint_case", None)
        if cache is not None and str(cache.pk) == str(object_id):
            return cache
        try:
            obj = complaint_case_for_staff(user=request.user).get(pk=object_id)
        except (Complaint.DoesNotExist, ValidationError, ValueError):
            return None
        request._complaint_case = obj
        return obj

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.upper().startswith("PMI-"):
            # A reference: one unique-index lookup, not a scan of the text columns.
            return queryset.filter(reference=term.upper()), False
        results, may_have_duplicates = super().get_search_results(request, queryset, term)
        if term and len(term) <= 20 and " " not in term:
            results |= queryset.filter(passport_number=term.upper())
        if term and len(term) <= 80:
            # SP4N-LAPOR!/KBRI reconciliation: the referrer's own number (partial index).
            results |= queryset.filter(referrer_reference=term)
        return results, may_have_duplicates

    def has_add_permission(self, request) -> bool:
        return False  # complaints arrive through intake only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removed only by the retention purge

    def revert_disabled(self, request, obj=None) -> bool:
        return True  # a revert would bypass the triage services

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._object_in_scope(request, object_id)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    received_at_zoned = _zoned("created_at")
    verified_at_zoned = _zoned("verified_at")
    first_response_at_zoned = _zoned("first_response_at")
    resolved_at_zoned = _zoned("resolved_at")
    closed_at_zoned = _zoned("closed_at")
    consent_at_zoned = _zoned("consent_at")
    standard_verify_due_at_zoned = _zoned("standard_verify_due_at")
    standard_first_response_due_at_zoned = _zoned("standard_first_response_due_at")
    standard_resolve_due_at_zoned = _zoned("standard_resolve_due_at")
    verify_breached_at_zoned = _zoned("verify_breached_at")
    first_response_breached_at_zoned = _zoned("first_response_breached_at")
    resolve_breached_at_zoned = _zoned("resolve_breached_at")

    # --- queue columns -----------------------------------------------------------------------

    @admin.display(description=_("service standard"))
    def sla_badge(self, obj: Complaint) -> str:
        now = timezone.now()
        target = complaint_standard_state(complaint=obj, now=now, working_days=False)
        state, label = sla_state(obj, now=now, state=target)
        when = staff_datetime(target["target"]) if target["target"] else ""
        stage = SlaStage(target["stage"]).label if target["stage"] else ""
        return format_html(
            '<span class="sla sla-{}">{}</span> {} <small>{}</small>', state, label, when, stage
        )

    @admin.display(description=_("office deadline"), ordering="due_at")
    def office_deadline(self, obj: Complaint) -> str:
        """The holding office's action deadline (escalation ladder), not the standard."""
        if obj.due_at is None or obj.status not in OPEN_STATUSES:
            return "—"
        return staff_datetime(obj.due_at)

    @admin.display(description=_("urgent"), boolean=True, ordering="-is_urgent")
    def urgent(self, obj: Complaint) -> bool:
        return obj.is_urgent

    @admin.display(description=_("destination country"), ordering="destination_country")
    def country(self, obj: Complaint) -> str:
        return country_name(obj.destination_country.code)

    @admin.display(description=_("placement agency (P3MI)"))
    def agency(self, obj: Complaint) -> str:
        return obj.placement_agency.name if obj.placement_agency else obj.placement_agency_name

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, obj: Complaint) -> str:
        days = (timezone.now() - obj.created_at).days
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    @admin.display(description=_("duplicate of"))
    def duplicate_link(self, obj: Complaint) -> str:
        if obj.duplicate_of is None:
            return "—"
        url = reverse("admin:complaints_complaint_change", args=[obj.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, obj.duplicate_of.reference)

    # --- the case page -----------------------------------------------------------------------

    def _personal_visible(self, request, obj: Complaint | None) -> bool:
        if obj is None:
            return False
        cached = getattr(request, "_complaint_personal", None)
        if cached is None:
            cached = complaint_personal_data_visible(user=request.user, complaint=obj)
            request._complaint_personal = cached
        return cached

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": _FACTS}),
            (_("What happened"), {"fields": _CASE}),
            (_("How it came in"), {"fields": _INTAKE}),
        ]
        reporter = _REPORTER_FLAGS + (
            REPORTER_PERSONAL_FIELDS if self._personal_visible(request, obj) else ()
        )
        fieldsets.append((_("Reporter"), {"fields": reporter}))
        fieldsets.append((_("Dates"), {"fields": _DATES}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return _FACTS + _CASE + _INTAKE + _REPORTER_FLAGS + REPORTER_PERSONAL_FIELDS + _DATES

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The case page changes nothing itself: every change is a triage action (services).
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        complaint = self._object_in_scope(request, object_id)
        personal = self._personal_visible(request, complaint)
        if personal:
            access_record_write(user=request.user, complaint=complaint, action=AccessAction.VIEW)
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "personal_visible": personal,
            "triage_forms": admin_views.triage_forms_for(request, complaint)
            if self.has_change_permission(request, complaint)
            else [],
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/triage/<str:action>/",
                self.admin_site.admin_view(self.triage_view),
                name="complaints_complaint_triage",
            ),
            path(
                "attachment/<int:attachment_id>/download/",
                self.admin_site.admin_view(admin_views.attachment_download),
                name="complaints_complaint_attachment_download",
            ),
            *super().get_urls(),
        ]

    def triage_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        complaint = self._object_in_scope(request, object_id)
        if action not in TRIAGE_FORMS or not self.has_change_permission(request, complaint):
            raise Http404
        return admin_views.triage_apply(request, complaint=complaint, action=action)

    # --- bulk actions: the same services, one complaint at a time ------------------------------

    def bulk_apply(self, request, queryset, apply) -> None:
        """Call `apply` for each chosen complaint; a refusal is reported with its real reason,
        per complaint (grouped by reason), never as one generic line."""
        missing = 0
        if request.POST.get("select_across") != "1":
            # What the user ticked, read through their scope alone (not the page's filters), so
            # a complaint that changed status since the page loaded gets its real reason below.
            ticked = {
                int(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if pk.isdigit()
            }
            queryset = complaint_list_for_staff(user=request.user).filter(pk__in=ticked)
            missing = len(ticked) - queryset.count()
        done = 0
        refused: dict[str, list[str]] = {}
        if queryset.order_by()[: BULK_MAX + 1].count() > BULK_MAX:
            messages.warning(
                request,
                _("Only the first %(limit)d complaints were changed; run the action again.")
                % {"limit": BULK_MAX},
            )
        chosen = list(queryset.order_by("pk")[:BULK_MAX])
        for complaint in chosen:
            try:
                apply(complaint)
                done += 1
            except ValidationError as error:
                refused.setdefault(" ".join(error.messages), []).append(complaint.reference)
            except ApplicationError as error:
                refused.setdefault(str(error.message), []).append(complaint.reference)
        if done:
            messages.success(
                request,
                ngettext("%(count)d complaint changed.", "%(count)d complaints changed.", done)
                % {"count": done},
            )
        for reason, references in refused.items():
            shown = ", ".join(references[:BULK_REFERENCES_SHOWN])
            if len(references) > BULK_REFERENCES_SHOWN:
                shown += " " + str(
                    _("and %(count)d more") % {"count": len(references) - BULK_REFERENCES_SHOWN}
                )
            messages.warning(
                request,
                _("Not changed (%(reason)s): %(references)s")
                % {"reason": reason.rstrip("."), "references": shown},
            )
        if missing > 0:
            messages.warning(
                request,
                ngettext(
                    "%(count)d selected complaint was not changed: it is not in your offices "
                    "(any more), or no longer exists.",
                    "%(count)d selected complaints were not changed: they are not in your "
                    "offices (any more), or no longer exist.",
                    missing,
                )
                % {"count": missing},
            )

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self.bulk_apply(
            request,
            queryset,
            lambda complaint: complaint_assign(
                complaint=complaint, actor=request.user, assignee=request.user
            ),
        )

    def _export(self, request, queryset, file_format: str) -> HttpResponse:
        content = export_complaints(user=request.user, queryset=queryset, file_format=file_format)
        content_type = (
            "text/csv; charset=utf-8"
            if file_format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{export_filename(file_format)}"'
        return response

    @admin.action(description=_("Export the selection as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Export the selection as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")


# --- outbox and audit (read-only, scoped) -------------------------------------------------------


def _mask(recipient: str) -> str:
    """Enough to recognise a recipient, not enough to contact them."""
    if len(recipient) <= 4:
        return "•••"
    return recipient[:2] + "•••" + recipient[-2:]


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "template", "channel", "masked_recipient", "status", "attempts")
    list_filter = ("status", "channel", "template")
    search_fields = ("=complaint__reference",)
    list_select_related = ("complaint", "office")
    fields = (
        "created_at",
        "template",
        "channel",
        "masked_recipient",
        "language",
        "complaint",
        "office",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return notification_list_for_staff(user=request.user).select_related("complaint", "office")

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Notification) -> str:
        return _mask(obj.recipient)


@admin.register(AccessRecord)
class AccessRecordAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "action", "complaint", "detail")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=complaint__reference", "user__username")
    fields = ("created_at", "user", "action", "complaint", "detail")
    readonly_fields = fields
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return access_record_list_for_staff(user=request.user)


# --- reference tables ---------------------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_id", "name_en", "slug", "kind", "default_priority", "is_urgent")
    list_filter = ("kind", "is_urgent", "is_active")
    search_fields = ("slug", "name_id", "name_en")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "licence_number", "country", "is_verified")
    list_filter = ("kind", "is_verified")
    search_fields = ("name", "normalized_name", "licence_number")
    show_full_result_count = False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "verify_working_days",
        "first_response_working_days",
        "resolve_working_days",
        "urgent_first_response_hours",
        "escalation_grace_working_days",
        "is_active",
    )
    list_select_related = ("category",)

    def changelist_view(self, request, extra_context=None):
        _warn_missing_holiday_years(request)
        return super().changelist_view(request, extra_context)


def _warn_missing_holiday_years(request) -> None:
    """SLA deadlines in a year without holidays count weekdays only: say so where admins look."""
    from complaints.services.sla import holiday_calendar_missing_years

    for year in holiday_calendar_missing_years():
        messages.warning(
            request,
            _(
                "There is no holiday calendar for %(year)s: SLA deadlines in that year count "
                "weekdays only. Add the national holidays and collective leave days of %(year)s."
            )
            % {"year": year},
        )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def changelist_view(self, request, extra_context=None):
        _warn_missing_holiday_years(request)
        return super().changelist_view(request, extra_context)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "language")
    list_filter = ("category", "language")
    search_fields = ("title", "body")
    list_select_related = ("category",)


class InboundAttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The files of a new e-mail: kept (checked, metadata removed) or refused with the reason.
    Kept files join the complaint when the draft is recorded, and are read there."""

    model = InboundAttachment
    fields = ("original_name", "content_type", "size", "refused_reason")
    readonly_fields = fields
    extra = 0


@admin.register(InboundMessage)
class InboundMessageAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """WhatsApp/SMS/e-mail that came in: drafts link to staff intake, which completes them."""

    inlines = (InboundAttachmentInline,)

    list_display = ("received_at", "channel", "status", "complaint", "record_link")
    list_filter = ("status", "channel", "gateway")
    search_fields = ("=message_id", "=complaint__reference")
    fields = (
        "gateway",
        "message_id",
        "channel",
        "sender",
        "subject",
        "text",
        "received_at",
        "status",
        "complaint",
        "note",
        "anonymised_at",
    )
    readonly_fields = fields
    list_select_related = ("complaint",)

    def get_queryset(self, request):
        from complaints.selectors import inbound_message_list_for_staff

        return inbound_message_list_for_staff(user=request.user).select_related("complaint")

    @admin.display(description=_("record"))
    def record_link(self, obj) -> str:
        if obj.status != InboundStatus.DRAFT:
            return "—"
        url = reverse("complaints_staff:intake") + f"?message={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Record as a complaint"))
