from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from complaints.choices import (
    OPEN_STATUSES,
    QUEUE_STATUSES,
    AccessAction,
    AgencyKind,
    CategoryKind,
    ContactChannel,
    EventKind,
    FilerRelation,
    HolidayKind,
    InboundGateway,
    InboundStatus,
    IntakeChannel,
    MessageDetail,
    NotificationStatus,
    Priority,
    Referrer,
    SlaStage,
    Status,
    Visibility,
    WaitingReason,
)


class Category(models.Model):
    """The ministry's taxonomy of complaints, suggestions and information requests."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CategoryKind.choices, default=CategoryKind.COMPLAINT
    )
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_urgent = models.BooleanField(
        _("urgent"),
        default=False,
        help_text=_("Death, violence, sexual harassment, trafficking, detention, lost contact."),
    )
    needs_field_work = models.BooleanField(_("needs field work"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Agency(models.Model):
    """A placement agency (P3MI), a foreign agency or an employer, under one normalised name."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(_("normalised name"), max_length=200, db_index=True)
    licence_number = models.CharField(_("licence number"), max_length=80, blank=True)
    country = CountryField(_("country"), blank=True)
    is_verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by staff against the official registry.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency or employer")
        verbose_name_plural = _("agencies and employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "normalized_name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    """A complaint, suggestion or information request, with its SLA clock and responsible office."""

    # Unique through `complaint_reference_unique` in Meta, not `unique=True`, which would add a
    # second (LIKE) index that no query uses and every sweep update has to write.
    reference = models.CharField(_("reference"), max_length=16)
    # The secret key is shown to the reporter once and stored like a password.
    access_key_hash = models.CharField(max_length=200)
    # Idempotency: the same form token submitted twice yields the same complaint. NULL (no
    # token) stays out of the partial unique constraint `complaint_submission_token_unique`.
    submission_token = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_category_created leads with it
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_urgent = models.BooleanField(_("in danger now"), default=False)

    description = models.TextField(_("what happened"))
    started_on = models.DateField(_("when it started"), null=True, blank=True)
    filer_relation = models.CharField(
        _("filed by"), max_length=20, choices=FilerRelation.choices, default=FilerRelation.SELF
    )
    destination_country = CountryField(_("destination country"))
    destination_city = models.CharField(_("city abroad"), max_length=120, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    placement_agency = models.ForeignKey(
        Agency,
        verbose_name=_("placement agency (P3MI)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement_complaints",
        db_index=False,  # partial index in Meta: most complaints have none
    )
    placement_agency_name = models.CharField(
        _("placement agency as written"), max_length=200, blank=True
    )
    foreign_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency abroad"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="foreign_complaints",
        db_index=False,  # partial index in Meta: most complaints have none
    )
    foreign_agency_name = models.CharField(
        _("agency abroad as written"), max_length=200, blank=True
    )
    employer = models.ForeignKey(
        Agency,
        verbose_name=_("employer (linked)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_complaints",
        db_index=False,  # partial index in Meta: most complaints have none
    )
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    is_procedural = models.BooleanField(_("left through the official procedure"), null=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    origin_region = models.ForeignKey(
        "portal.Region",
        verbose_name=_("origin region"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_origin_region in Meta serves = and LIKE 'prefix%'
    )

    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    reporter_name = models.CharField(_("reporter name"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    reporter_whatsapp = models.CharField(_("WhatsApp (E.164)"), max_length=20, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    safe_contact_time = models.CharField(_("safe time to contact"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    consent_at = models.DateTimeField(_("consent given"))

    office = models.ForeignKey(
        "portal.Office",
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_queue and complaint_office_created lead with it
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        db_index=False,  # partial index in Meta: most complaints have none
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    sla_stage = models.CharField(
        _("SLA stage"), max_length=20, choices=SlaStage.choices, default=SlaStage.VERIFICATION
    )
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    # While waiting for the reporter the clock is paused; the remaining time is kept here.
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    paused_remaining_seconds = models.PositiveIntegerField(null=True, blank=True)
    last_escalated_at = models.DateTimeField(_("last escalated"), null=True, blank=True)
    # The service standard (complaints.services.sla): targets counted in working days from
    # receipt, moved later only by time paused waiting for the reporter; never reset by
    # escalation, forwarding or reassignment (unlike `due_at`, the current office's deadline).
    standard_verify_due_at = models.DateTimeField(_("verification due"), null=True, blank=True)
    standard_first_response_due_at = models.DateTimeField(
        _("first response due"), null=True, blank=True
    )
    standard_resolve_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # Each set once, to the target itself, when the target passed without its milestone; kept
    # after the complaint moves or closes (the sweep records them; see services/sla.py).
    verify_breached_at = models.DateTimeField(_("verification missed"), null=True, blank=True)
    first_response_breached_at = models.DateTimeField(
        _("first response missed"), null=True, blank=True
    )
    resolve_breached_at = models.DateTimeField(_("resolution missed"), null=True, blank=True)
    # What a paused complaint waits for, and when the closure rules proposed closing it.
    waiting_reason = models.CharField(
        _("waiting for"), max_length=10, choices=WaitingReason.choices, blank=True
    )
    closure_proposed_at = models.DateTimeField(_("proposed for closure"), null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        db_index=False,  # partial index in Meta: most complaints have none
    )

    # The receipt time: the SLA clock runs from here. Staff intake may set it earlier than the
    # entry (a walk-in recorded in the afternoon), never later than now.
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    # --- channels: how it came in, who took it, how the reporter may be reached --------------
    channel = models.CharField(
        _("channel"), max_length=20, choices=IntakeChannel.choices, default=IntakeChannel.WEB
    )
    referrer = models.CharField(
        _("referred by"), max_length=20, choices=Referrer.choices, blank=True
    )
    referrer_reference = models.CharField(_("referrer's reference"), max_length=80, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # nobody searches by it; the event records it too
    )
    # The office that recorded a staff-assisted complaint keeps seeing it in its queue when the
    # routing sends it elsewhere.
    intake_office = models.ForeignKey(
        "portal.Office",
        verbose_name=_("taken at office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index in Meta: web complaints have none
    )
    safe_contact_from = models.TimeField(_("safe to contact from"), null=True, blank=True)
    safe_contact_until = models.TimeField(_("safe to contact until"), null=True, blank=True)
    contact_time_zone = models.CharField(
        _("reporter's time zone"),
        max_length=64,
        blank=True,
        help_text=_("IANA name, e.g. Asia/Kuala_Lumpur; empty: from the destination country."),
    )
    message_detail = models.CharField(
        _("message detail"),
        max_length=10,
        choices=MessageDetail.choices,
        default=MessageDetail.FULL,
    )
    # E-mail threading: a reply must carry the reference and this token to join the case.
    reply_token = models.CharField(max_length=16, blank=True)

    history = HistoricalRecords(excluded_fields=["access_key_hash", "submission_token"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["due_at"]
        permissions = [("view_personal_data", _("Can see the reporter's personal data"))]
        indexes = [
            # The triage queue across offices (ministry, heads): urgent first, by deadline; the
            # admin adds "-id" to make the order total.
            models.Index(fields=["-is_urgent", "due_at", "-id"], name="complaint_triage_order"),
            # The queue's default view (open work only) in its order: without it the ordered scan
            # walks past every finished complaint with an older deadline, most of a mature table.
            models.Index(
                fields=["-is_urgent", "due_at", "-id"],
                name="complaint_queue_open",
                condition=Q(status__in=QUEUE_STATUSES),
            ),
            # The escalation sweep: overdue, open complaints by deadline.
            models.Index(
                fields=["due_at"], name="complaint_open_due", condition=Q(status__in=OPEN_STATUSES)
            ),
            # The sweep's breach recording: per stage, the open complaints whose target is not
            # met nor recorded as missed yet (small: most rows leave it at their milestone).
            *[
                models.Index(
                    fields=[f"standard_{stage}_due_at"],
                    name=f"complaint_unmet_{short}",
                    condition=Q(
                        status__in=OPEN_STATUSES,
                        **{f"{stage}_breached_at__isnull": True},
                        **{f"{milestone}__isnull": True for milestone in milestones},
                    ),
                )
                for stage, short, milestones in (
                    ("verify", "verify", ("verified_at", "first_response_at", "resolved_at")),
                    ("first_response", "response", ("first_response_at", "resolved_at")),
                    ("resolve", "resolve", ("resolved_at",)),
                )
            ],
            # Breaches per period (oversight): only the rows that have one are indexed.
            *[
                models.Index(
                    fields=[f"{stage}_breached_at"],
                    name=f"complaint_missed_{short}",
                    condition=Q(**{f"{stage}_breached_at__isnull": False}),
                )
                for stage, short in (
                    ("verify", "verify"),
                    ("first_response", "response"),
                    ("resolve", "resolve"),
                )
            ],
            # The triage queue: an office's complaints, urgent first, by deadline.
            models.Index(fields=["office", "is_urgent", "due_at"], name="complaint_queue"),
            models.Index(fields=["office", "created_at"], name="complaint_office_created"),
            models.Index(fields=["category", "created_at"], name="complaint_category_created"),
            models.Index(fields=["destination_country"], name="complaint_destination"),
            models.Index(
                fields=["origin_region"],
                name="complaint_origin_region",
                opclasses=["varchar_pattern_ops"],
            ),
            # Foreign keys most complaints leave empty: only the rows that have one are indexed.
            # Every index is written again when the escalation sweep moves a complaint (office
            # and deadline change, so PostgreSQL cannot update in place): fewer and smaller
            # indexes keep the sweep within its budget (bench/escalation.py).
            *[
                models.Index(
                    fields=[name],
                    name=f"complaint_{name}",
                    condition=Q(**{f"{name}__isnull": False}),
                )
                for name in (
                    "placement_agency",
                    "foreign_agency",
                    "employer",
                    "assignee",
                    "duplicate_of",
                    "intake_office",
                )
            ],
            # Channel filter and reconciliation with SP4N-LAPOR!/KBRI: only the rows that are not
            # plain web complaints are indexed, so the sweep's updates mostly skip them.
            models.Index(
                fields=["channel", "created_at"],
                name="complaint_channel",
                condition=~Q(channel="web"),
            ),
            models.Index(
                fields=["referrer_reference"],
                name="complaint_referrer_reference",
                condition=~Q(referrer_reference=""),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="complaint_reference_unique"),
            models.UniqueConstraint(
                fields=["submission_token"],
                condition=Q(submission_token__isnull=False),
                name="complaint_submission_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline; public lines are what the reporter sees."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # the (complaint, visibility, created_at) index leads with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index in Meta: system events (most) have no actor
    )
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    body = models.TextField(_("text"), blank=True)
    # Public wording shown to the reporter when the body is internal (e.g. escalations).
    public_body = models.TextField(_("public text"), blank=True)
    level = models.PositiveSmallIntegerField(_("escalation level"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "id"]
        constraints = [
            # Escalation is idempotent: one event per complaint and level, whatever runs twice.
            models.UniqueConstraint(
                fields=["complaint", "level"],
                condition=Q(kind=EventKind.ESCALATION),
                name="event_escalation_once_per_level",
            )
        ]
        indexes = [
            models.Index(fields=["complaint", "visibility", "created_at"]),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        # In words ("Balasan publik"), not "201 public_reply": admin pages show it.
        from complaints.timeline import event_summary

        return event_summary(self)


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Attachment(models.Model):
    """A reporter's file, checked by content, re-encoded without metadata, stored privately."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ComplaintEvent,
        verbose_name=_("timeline event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    by_reporter = models.BooleanField(_("from the reporter"), default=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """The outbox: written in the transaction of the change that causes it, delivered by Celery."""

    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    template = models.CharField(_("template"), max_length=60)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    # Two writers of the same message (a retried sweep, a double submit) collapse into one row.
    dedupe_key = models.CharField(max_length=200, unique=True)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    office = models.ForeignKey(
        "portal.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=Q(status=NotificationStatus.PENDING),
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.channel}"


class SlaPolicy(models.Model):
    """Deadlines per category (or per priority when no category matches), in working days."""

    category = models.OneToOneField(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policy",
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    verify_working_days = models.PositiveSmallIntegerField(_("days to verify"), default=3)
    first_response_working_days = models.PositiveSmallIntegerField(
        _("days to first response"), default=5
    )
    resolve_working_days = models.PositiveSmallIntegerField(_("days to resolve"), default=14)
    urgent_first_response_hours = models.PositiveSmallIntegerField(
        _("hours to first response when urgent"), default=4
    )
    escalation_grace_working_days = models.PositiveSmallIntegerField(
        _("grace per escalation level (working days)"), default=2
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return str(self.category or self.get_priority_display() or _("default"))


class Holiday(models.Model):
    """A national holiday or collective leave day: SLA clocks skip it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=HolidayKind.choices)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class ReplyTemplate(models.Model):
    """A saved public reply that helps officers answer fast and consistently."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=5, default="id")

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class AccessRecord(models.Model):
    """Who looked at or exported a complaint's personal data, and when. Never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_records",
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.complaint_id}"


class InboundMessage(models.Model):
    """A message that came in by WhatsApp, SMS or e-mail: appended to its case, or a draft that an
    officer turns into a complaint through staff intake. The (gateway, message id) pair is unique,
    so a replayed webhook or a mail fetched twice is stored once."""

    gateway = models.CharField(_("gateway"), max_length=20, choices=InboundGateway.choices)
    message_id = models.CharField(_("message id"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=IntakeChannel.choices)
    sender = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(_("status"), max_length=10, choices=InboundStatus.choices)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "message_id"], name="inbound_message_once")
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="inbound_draft",
                condition=Q(status=InboundStatus.DRAFT),
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.message_id}"


class InboundAttachment(models.Model):
    """A file that came with a new e-mail (a draft): checked like a form upload (type by content,
    images re-encoded without metadata, active PDFs refused) before anything is kept. A refused
    file keeps no bytes, only its name and the reason, so staff see what the sender tried to
    send. When an officer records the draft as a complaint, the kept files become the
    complaint's attachments (complaints.services.inbound_files)."""

    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("incoming message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to="inbound/%Y/%m/", blank=True
    )
    original_name = models.CharField(_("original name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    refused_code = models.CharField(_("refusal code"), max_length=40, blank=True)
    refused_reason = models.CharField(_("why it was refused"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)

    class Meta:
        verbose_name = _("file of an incoming message")
        verbose_name_plural = _("files of incoming messages")
        ordering = ["pk"]
        constraints = [
            # Kept (with bytes) or refused (with a reason): never both, never neither.
            models.CheckConstraint(
                condition=(Q(refused_code="") & ~Q(file="")) | (~Q(refused_code="") & Q(file="")),
                name="inbound_attachment_kept_or_refused",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
