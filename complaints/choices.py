from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (pengaduan)")
    ASPIRATION = "aspiration", _("Suggestion (aspirasi)")
    INFORMATION_REQUEST = "information_request", _("Information request")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REPORTER = "waiting_reporter", _("Waiting for the reporter")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


# Statuses whose SLA clock runs and which the escalation sweep looks at.
OPEN_STATUSES = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)
# No further work: the clock is stopped for good.
TERMINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.DUPLICATE)
# What the triage queue opens on: work not finished. A complaint waiting for its reporter is still
# the office's to follow up, so it is in; a resolved one waits only for closure, so it is out.
QUEUE_STATUSES = (*OPEN_STATUSES, Status.WAITING_REPORTER)


class SlaStage(models.TextChoices):
    VERIFICATION = "verification", _("Verification")
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class WaitingReason(models.TextChoices):
    """Why a paused complaint waits; decides when it is proposed for closure (Perban 6/2024)."""

    REPORTER = "reporter", _("An answer from the reporter")
    DOCUMENTS = "documents", _("Documents")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    PUBLIC_REPLY = "public_reply", _("Public reply")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    REPORTER_MESSAGE = "reporter_message", _("Message from the reporter")
    ASSIGNMENT = "assignment", _("Assignment")
    ESCALATION = "escalation", _("Escalation")
    FORWARD = "forward", _("Forwarded to another office")
    ATTACHMENT = "attachment", _("Attachment")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (the reporter sees it)")
    INTERNAL = "internal", _("Internal (staff only)")


class FilerRelation(models.TextChoices):
    SELF = "self", _("I am the migrant worker")
    FAMILY = "family", _("A family member")
    REPRESENTATIVE = "representative", _("A lawyer or organisation on the worker's behalf")
    OTHER = "other", _("Someone else")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class AgencyKind(models.TextChoices):
    P3MI = "p3mi", _("Placement agency in Indonesia (P3MI)")
    FOREIGN_AGENCY = "foreign_agency", _("Agency abroad")
    EMPLOYER = "employer", _("Employer")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")
    CANCELLED = "cancelled", _("Cancelled")


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("National holiday")
    COLLECTIVE_LEAVE = "collective_leave", _("Collective leave (cuti bersama)")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed personal data")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded an attachment")


class IntakeChannel(models.TextChoices):
    """How a complaint reached the portal (the staff intake API's `channel`)."""

    WEB = "web", _("Web form")
    WALK_IN = "walk_in", _("Walk-in at the office")
    PHONE = "phone", _("Telephone / hotline")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    SOCIAL_MEDIA = "social_media", _("Social media")
    REFERRAL = "referral", _("Referral from another body")


class Referrer(models.TextChoices):
    """The body that referred a complaint to the ministry."""

    KBRI_KJRI = "kbri_kjri", _("Indonesian embassy or consulate (KBRI/KJRI)")
    SP4N_LAPOR = "sp4n_lapor", _("SP4N-LAPOR!")
    NGO = "ngo", _("Non-governmental organisation")
    POLICE = "police", _("Police")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    DESA_MIGRAN_EMAS = "desa_migran_emas", _("Desa Migran Emas task force")
    OTHER = "other", _("Other body")


class MessageDetail(models.TextChoices):
    """How much an outgoing message to the reporter may say (a phone may be read by others)."""

    FULL = "full", _("Normal messages")
    DISCREET = "discreet", _('Discreet: only "Portal PMI: there is an update" and the code')


class InboundStatus(models.TextChoices):
    APPENDED = "appended", _("Added to its complaint")
    DRAFT = "draft", _("Waiting for an officer (draft)")
    COMPLETED = "completed", _("Recorded as a complaint")
    IGNORED = "ignored", _("Ignored (auto-reply, bounce, loop or too large)")
    EXPIRED = "expired", _("Expired unrecorded (personal data removed)")


class InboundGateway(models.TextChoices):
    GENERIC = "generic", _("Generic SMS/WhatsApp gateway")
    WHATSAPP_CLOUD = "whatsapp_cloud", _("WhatsApp Cloud API")
    EMAIL = "email", _("E-mail (IMAP)")
    SP4N_LAPOR = "sp4n_lapor", _("SP4N-LAPOR! (adapter)")
