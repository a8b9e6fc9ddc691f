"""Intake workflow: a reporter submits a complaint, follows it with reference + key, adds messages.

One write path for the web form and the public API: both translate their input into
`ComplaintInput` and call `complaint_submit`, which validates every field (raising a
`ValidationError` keyed by field, in the active language), routes the complaint to the office
covering the origin region, sets the first deadline, and writes the complaint, its `created`
event, its attachments and the acknowledgement outbox row in one transaction.

Nothing about the request (address, browser) reaches this module: the interfaces pass only what
the reporter typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from lokal.phone import parse_phone

from complaints.choices import (
    AgencyKind,
    ContactChannel,
    EventKind,
    FilerRelation,
    IntakeChannel,
    MessageDetail,
    Priority,
    SlaStage,
)
from complaints.models import Agency, Attachment, Category, Complaint, ComplaintEvent
from complaints.references import (
    SUBMISSION_TOKEN_MAX_AGE,
    access_key_for_token,
    access_key_generate,
    access_key_hash,
    reference_generate,
    reference_normalise,
    submission_token_bound,
    submission_token_digest,
)
from complaints.services.contact import complaint_reporter_contact
from complaints.services.events import (
    complaint_created_event,
    complaint_internal_note_event,
    complaint_reporter_message_event,
)
from complaints.services.notifications import notification_queue
from complaints.services.sla import sla_targets_for
from complaints.uploads import CheckedFile, max_attachments, upload_check
from portal.exceptions import ApplicationError
from portal.models import Office, Region
from portal.reference_cache import reference_cached
from portal.selectors import office_for_region
from portal.types import StaffUser

logger = logging.getLogger(__name__)

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 3000
# A reference collision (30**8 space) is retried with a new reference; two in a row is a bug.
REFERENCE_ATTEMPTS = 3
ACKNOWLEDGEMENT_TEMPLATE = "complaint_acknowledgement"
REPORTER_MESSAGE_TEMPLATE = "complaint_reporter_message"

# Control characters are never text a person typed; bidirectional overrides can disguise text
# (an employer name shown reversed). Line breaks and tabs stay allowed in long text.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = EmailValidator()


@dataclass
class ComplaintInput:
    """What a reporter sends, already parsed into Python types by the form or serializer."""

    category: str
    description: str
    origin_region: str
    destination_country: str
    consent: bool
    is_anonymous: bool = False
    is_confidential: bool = False
    in_danger: bool = False
    filer_relation: str = FilerRelation.SELF
    origin_village: str = ""
    started_on: dt.date | None = None
    destination_city: str = ""
    employer_name: str = ""
    placement_agency_name: str = ""
    foreign_agency_name: str = ""
    departure_date: dt.date | None = None
    is_procedural: bool | None = None
    passport_number: str = ""
    reporter_name: str = ""
    phone: str = ""
    email: str = ""
    whatsapp: str = ""
    preferred_channel: str = ""
    safe_contact_time: str = ""
    language: str = "id"
    # Safe contact: hours in the reporter's time zone, and discreet messages only.
    safe_contact_from: dt.time | None = None
    safe_contact_until: dt.time | None = None
    contact_time_zone: str = ""
    discreet: bool = False


@dataclass
class IntakeOrigin:
    """How a complaint reached the portal when it did not come through the public form: set by
    staff intake (complaints.services.staff_intake) and the inbound channels."""

    channel: str = IntakeChannel.WEB
    received_at: dt.datetime | None = None
    referrer: str = ""
    referrer_reference: str = ""
    taken_by: StaffUser | None = None
    intake_office: Office | None = None


@dataclass
class SubmitReceipt:
    """The one-time receipt: the key is shown once and only exists here, never in the database."""

    complaint: Complaint
    access_key: str
    created: bool

    @property
    def reference(self) -> str:
        return self.complaint.reference


# --- validation -------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, name: str, message: str, code: str = "invalid") -> None:
        self.by_field.setdefault(name, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def agency_normalise_name(name: str) -> str:
    """ "PT. Maju Jaya, Tbk" → "MAJU JAYA": one spelling per company, for linking and counting."""
    text = re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", name).upper())
    text = re.sub(r"\b(PT|CV|TBK)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:200]


def clean_text(value: str, *, max_length: int, multiline: bool = False) -> tuple[str, str | None]:
    """Normalise typed text (NFC, trimmed) and say what is wrong with it, if anything."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    for char in text:
        if multiline and char in "\n\r\t":
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return text, _("This text contains invisible control characters. Please retype it.")
    if len(text) > max_length:
        return text, _("Please shorten this to at most %(max)d characters (now %(count)d).") % {
            "max": max_length,
            "count": len(text),
        }
    return text, None


def phone_normalise(raw: str) -> tuple[str, str | None]:
    """An Indonesian number in any usual form, or an international one starting with +,
    → E.164. Returns ("", message) when it is not a phone number."""
    compact = re.sub(r"[\s().\-]", "", str(raw or ""))
    if not compact:
        return "", None
    invalid = _(
        "This is not a phone number we can call. Write it like 0812 3456 7890 or, "
        "for a number abroad, with + and the country code (+60 12 345 6789)."
    )
    if not compact.isascii():
        return "", invalid
    if compact.startswith("+") and not compact.startswith("+62"):
        return (compact, None) if _INTERNATIONAL.match(compact) else ("", invalid)
    try:
        info = parse_phone(compact)
    except Exception:  # lokal-id raises on some malformed input; that is still just bad input
        return "", invalid
    if not info.valid or not info.e164:
        return "", invalid
    return info.e164, None


def _active_categories() -> dict[str, Category]:
    """Active categories by slug, from the reference cache (dropped on every category edit)."""
    return reference_cached(
        "complaints.active_categories",
        lambda: {category.slug: category for category in Category.objects.filter(is_active=True)},
    )


def _validate(data: ComplaintInput, errors: _Errors) -> dict[str, Any]:
    values: dict[str, Any] = {}

    category = None
    slug = str(data.category or "").strip()
    if not slug:
        errors.add("category", _("Please choose a category."), "required")
    else:
        category = _active_categories().get(slug[:60])
        if category is None:
            errors.add("category", _("Please choose a category from the list."), "invalid_choice")
    values["category"] = category

    description, problem = clean_text(data.description, max_length=DESCRIPTION_MAX, multiline=True)
    if problem:
        errors.add("description", problem)
    elif not description:
        errors.add("description", _("Please tell us what happened."), "required")
    elif len(description) < DESCRIPTION_MIN:
        errors.add(
            "description",
            _("Please tell us a little more (at least %(min)d characters).")
            % {"min": DESCRIPTION_MIN},
            "min_length",
        )
    values["description"] = description

    values["origin_region"] = _validate_region(data, errors)

    country = str(data.destination_country or "").strip().upper()
    if not country:
        errors.add("destination_country", _("Please choose the destination country."), "required")
    elif len(country) != 2 or country not in dict(countries) or country == "ID":
        errors.add(
            "destination_country",
            _("Please choose the country abroad from the list."),
            "invalid_choice",
        )
    values["destination_country"] = country

    if data.consent is not True:
        errors.add(
            "consent",
            _("We can only handle your report if you agree to the processing of your data."),
            "required",
        )
    if data.filer_relation not in FilerRelation.values:
        errors.add("filer_relation", _("Please choose who is filing."), "invalid_choice")

    today = timezone.localdate()
    for name in ("started_on", "departure_date"):
        day = getattr(data, name)
        if day is not None and not isinstance(day, dt.date):
            errors.add(name, _("Please enter a valid date."))
        elif day is not None and (day > today or day.year < 1950):
            errors.add(name, _("Please enter a date between 1950 and today."))
        values[name] = day

    for name, max_length in (
        ("destination_city", 120),
        ("employer_name", 200),
        ("placement_agency_name", 200),
        ("foreign_agency_name", 200),
        ("safe_contact_time", 120),
        ("reporter_name", 120),
    ):
        if data.is_anonymous and name in ("reporter_name", "safe_contact_time"):
            values[name] = ""
            continue
        text, problem = clean_text(getattr(data, name), max_length=max_length)
        if problem:
            errors.add(name, problem)
        values[name] = text

    passport = re.sub(r"\s", "", str(data.passport_number or "")).upper()
    if passport and not _PASSPORT.match(passport):
        errors.add(
            "passport_number",
            _("A passport number has 6 to 9 letters and digits, e.g. C1234567."),
        )
    values["passport_number"] = passport

    # Known agencies are linked by normalised name; unknown ones stay as written for staff.
    values["placement_agency"] = None
    if values["placement_agency_name"] and "placement_agency_name" not in errors.by_field:
        values["placement_agency"] = Agency.objects.filter(
            kind=AgencyKind.P3MI,
            normalized_name=agency_normalise_name(values["placement_agency_name"]),
        ).first()

    values.update(_validate_contact(data, errors))
    values.update(_validate_safe_contact(data, errors))
    return values


def _validate_safe_contact(data: ComplaintInput, errors: _Errors) -> dict[str, Any]:
    from complaints.services.safe_contact import time_zone_valid

    start, end = data.safe_contact_from, data.safe_contact_until
    if data.is_anonymous:
        return {"safe_contact_from": None, "safe_contact_until": None, "contact_time_zone": ""}
    for name, value in (("safe_contact_from", start), ("safe_contact_until", end)):
        if value is not None and not isinstance(value, dt.time):
            errors.add(name, _("Please enter a time like 21:00."))
    if (start is None) != (end is None):
        errors.add(
            "safe_contact_until" if end is None else "safe_contact_from",
            _("Please give both the start and the end of the safe hours."),
            "required",
        )
    zone = str(data.contact_time_zone or "").strip()
    if zone and not time_zone_valid(zone):
        errors.add("contact_time_zone", _("Please choose a time zone from the list."))
    return {"safe_contact_from": start, "safe_contact_until": end, "contact_time_zone": zone}


def _validate_region(data: ComplaintInput, errors: _Errors) -> Region | None:
    code = str(data.origin_region or "").strip()
    village_code = str(data.origin_village or "").strip()
    if not code:
        errors.add("origin_region", _("Please choose your regency or city."), "required")
        return None
    if len(code) > 13 or len(village_code) > 13:
        errors.add("origin_region", _("This region code is not in the Kemendagri list."))
        return None
    wanted = [code] + ([village_code] if village_code else [])
    found = {region.code: region for region in Region.objects.filter(code__in=wanted)}
    region = found.get(code)
    if region is None or region.level < 2:
        errors.add(
            "origin_region",
            _("Please choose a regency or city from the Kemendagri list."),
            "invalid_choice",
        )
        return None
    if not village_code:
        return region
    village = found.get(village_code)
    if village is None or village.level != 4 or not village_code.startswith(code + "."):
        errors.add(
            "origin_village",
            _("This village code is not a village of %(region)s.") % {"region": region.name},
        )
        return region
    return village


def _validate_contact(data: ComplaintInput, errors: _Errors) -> dict[str, Any]:
    if data.is_anonymous:
        # Anonymous means nothing that identifies the reporter is stored at all.
        return {
            "reporter_name": "",
            "reporter_phone": "",
            "reporter_email": "",
            "reporter_whatsapp": "",
            "preferred_channel": "",
            "safe_contact_time": "",
        }
    phone, problem = phone_normalise(data.phone)
    if problem:
        errors.add("phone", problem)
    whatsapp, problem = phone_normalise(data.whatsapp)
    if problem:
        errors.add("whatsapp", problem)
    email, problem = clean_text(data.email, max_length=254)
    if problem:
        errors.add("email", problem)
    elif email:
        try:
            _EMAIL(email)
        except ValidationError:
            errors.add("email", _("Please enter an e-mail address like nama@contoh.id."))
    channel = str(data.preferred_channel or "")
    contact_for = {
        ContactChannel.EMAIL: email,
        ContactChannel.SMS: phone,
        ContactChannel.WHATSAPP: whatsapp or phone,
    }
    if channel and channel not in ContactChannel.values:
        errors.add("preferred_channel", _("Please choose a channel from the list."))
    elif channel and not contact_for[ContactChannel(channel)]:
        errors.add(
            "preferred_channel",
            _("Please also give the number or address for this channel."),
        )
    return {
        "reporter_phone": phone,
        "reporter_email": email.lower() if "@" in email else email,
        "reporter_whatsapp": whatsapp,
        "preferred_channel": channel,
    }


def _check_files(files: Iterable[UploadedFile] | None, errors: _Errors) -> list[CheckedFile]:
    files = list(files or [])
    if len(files) > max_attachments():
        errors.add(
            "attachments",
            _("Please send at most %(max)d files.") % {"max": max_attachments()},
            "too_many",
        )
        return []
    checked = []
    for uploaded in files:
        try:
            checked.append(upload_check(uploaded))
        except ValidationError as error:
            for message in error.messages:
                errors.add("attachments", message, error.code or "invalid")
    return checked


def complaint_input_errors(*, data: ComplaintInput) -> dict[str, list[str]]:
    """The field errors `complaint_submit` would raise for this input (no writes)."""
    errors = _Errors()
    _validate(data, errors)
    return {
        name: [message for error in items for message in error.messages]
        for name, items in errors.by_field.items()
    }


# --- submit -----------------------------------------------------------------------------------


def _submission_fingerprint(data: ComplaintInput, attachments: Iterable[UploadedFile]) -> str:
    """A hash of what was submitted (fields and files' bytes), to bind a token to its content.
    The interface language is left out: a retry after switching language is the same report."""
    fields = dataclasses.asdict(data)
    fields.pop("language", None)
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode())
    for uploaded in attachments:
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
        chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]
        file_digest = hashlib.sha256()
        for chunk in chunks:
            file_digest.update(chunk)
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
        digest.update(file_digest.digest())
    return digest.hexdigest()


def complaint_submit(
    *,
    data: ComplaintInput,
    attachments: Iterable[UploadedFile] = (),
    submission_token: str = "",
    token_space: str = "api",  # noqa: S107 (a namespace name, not a secret)
    origin: IntakeOrigin | None = None,
) -> SubmitReceipt:
    """Validate and store a complaint with its timeline, files and acknowledgement, atomically.

    `origin` (staff intake, inbound channels) records the channel, the receipt time the clock
    runs from, the referring body and who took it; the public form and API leave it out.

    With a submission token (from the form, or an API client's idempotency token) a retry of the
    same submission within the space's maximum age returns the first receipt, same key, and
    stores nothing new. The token is bound to its space and to the content: the same token with
    other fields is a new submission with its own key (complaints/references.py).
    """
    if submission_token:
        submission_token = submission_token_bound(
            space=token_space,
            token=submission_token,
            fingerprint=_submission_fingerprint(data, attachments),
        )
    digest = submission_token_digest(submission_token) if submission_token else None
    if digest:
        existing = _complaint_for_token(digest)
        if existing is not None:
            max_age = dt.timedelta(seconds=SUBMISSION_TOKEN_MAX_AGE[token_space])
            if _recorded_at(existing) < timezone.now() - max_age:
                raise ValidationError(
                    {
                        "submission_token": _(
                            "This submission token was already used. "
                            "Make a new token for a new report."
                        )
                    },
                    code="token_used",
                )
            return SubmitReceipt(existing, access_key_for_token(submission_token), created=False)

    errors = _Errors()
    values = _validate(data, errors)
    checked_files = _check_files(attachments, errors)
    errors.raise_if_any()

    office = office_for_region(region_code=values["origin_region"].code)
    if office is None:
        raise ApplicationError(_("No office can receive complaints yet. Please call us."))

    access_key = access_key_for_token(submission_token) if digest else access_key_generate()
    # Hashing is slow on purpose; do it before the transaction so locks are held briefly.
    key_hash = access_key_hash(access_key)
    for attempt in range(REFERENCE_ATTEMPTS):
        stored_names: list[str] = []
        try:
            with transaction.atomic():
                complaint = _complaint_create(
                    values=values,
                    data=data,
                    office=office,
                    key_hash=key_hash,
                    digest=digest,
                    checked_files=checked_files,
                    stored_names=stored_names,
                    origin=origin or IntakeOrigin(),
                )
        except IntegrityError:
            storage_discard(names=stored_names)
            if digest:
                existing = _complaint_for_token(digest)
                if existing is not None:  # a concurrent retry won the race: same receipt
                    return SubmitReceipt(existing, access_key, created=False)
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
            continue
        except BaseException:
            storage_discard(names=stored_names)
            raise
        return SubmitReceipt(complaint, access_key, created=True)
    raise AssertionError("unreachable")  # pragma: no cover


def _recorded_at(complaint: Complaint) -> dt.datetime:
    """When the complaint was stored: its creation event. Its created_at is the receipt time,
    which staff intake may set in the past (a walk-in recorded later), and a token's age counts
    from when the submission was made, not from when the complaint came in."""
    recorded = (
        ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.CREATED)
        .values_list("created_at", flat=True)
        .first()
    )
    return recorded or complaint.created_at


def _complaint_for_token(digest: str) -> Complaint | None:
    return Complaint.objects.select_related("category").filter(submission_token=digest).first()


def _complaint_create(
    *,
    values: dict[str, Any],
    data: ComplaintInput,
    office: Office,
    key_hash: str,
    digest: str | None,
    checked_files: list[CheckedFile],
    stored_names: list[str],
    origin: IntakeOrigin,
) -> Complaint:
    category: Category = values["category"]
    # The clock runs from receipt: a walk-in recorded later counts from when it came in.
    now = origin.received_at or timezone.now()
    urgent = bool(data.in_danger) or category.is_urgent
    priority = Priority.URGENT if urgent else category.default_priority
    # The service standard's targets, counted from receipt; the first office's deadline is the
    # first of them (one policy query for both).
    targets = sla_targets_for(
        category=category, priority=priority, is_urgent=urgent, received_at=now
    )
    sla_stage = SlaStage.FIRST_RESPONSE if urgent else SlaStage.VERIFICATION
    due_at = targets[sla_stage]
    complaint = Complaint(
        reference=reference_generate(),
        access_key_hash=key_hash,
        submission_token=digest,
        kind=category.kind,
        category=category,
        # The status is the model's default, "received": only the transition service moves it.
        priority=priority,
        is_urgent=urgent,
        description=values["description"],
        started_on=values["started_on"],
        filer_relation=data.filer_relation,
        destination_country=values["destination_country"],
        destination_city=values["destination_city"],
        employer_name=values["employer_name"],
        placement_agency=values["placement_agency"],
        placement_agency_name=values["placement_agency_name"],
        foreign_agency_name=values["foreign_agency_name"],
        departure_date=values["departure_date"],
        is_procedural=data.is_procedural,
        passport_number=values["passport_number"],
        origin_region=values["origin_region"],
        is_anonymous=bool(data.is_anonymous),
        is_confidential=bool(data.is_confidential),
        reporter_name="" if data.is_anonymous else values["reporter_name"],
        reporter_phone=values["reporter_phone"],
        reporter_email=values["reporter_email"],
        reporter_whatsapp=values["reporter_whatsapp"],
        preferred_channel=values["preferred_channel"],
        safe_contact_time="" if data.is_anonymous else values["safe_contact_time"],
        language=(data.language or "id")[:5],
        consent_at=now,
        office=office,
        sla_stage=sla_stage,
        due_at=due_at,
        standard_verify_due_at=targets[SlaStage.VERIFICATION],
        standard_first_response_due_at=targets[SlaStage.FIRST_RESPONSE],
        standard_resolve_due_at=targets[SlaStage.RESOLUTION],
        created_at=now,
        channel=origin.channel,
        referrer=origin.referrer,
        referrer_reference=origin.referrer_reference,
        taken_by=origin.taken_by,
        intake_office=origin.intake_office,
        safe_contact_from=values["safe_contact_from"],
        safe_contact_until=values["safe_contact_until"],
        contact_time_zone=values["contact_time_zone"],
        message_detail=MessageDetail.DISCREET if data.discreet else MessageDetail.FULL,
        # E-mail threading: a reply joins this case only with the reference and this token.
        reply_token=secrets.token_hex(4) if values["reporter_email"] else "",
    )
    # Field checks only: uniqueness is the database's job (constraints), and the foreign keys
    # were loaded above; full validation would add queries that grow the submit path.
    complaint.full_clean(
        # is_procedural is a yes/no/unknown answer (null allowed, the model lacks blank=True).
        exclude=[
            "category",
            "office",
            "origin_region",
            "placement_agency",
            "is_procedural",
            "taken_by",
            "intake_office",
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    complaint.save()
    event = complaint_created_event(
        complaint=complaint,
        actor=origin.taken_by,
        urgent=urgent,
        attachments=len(checked_files),
        channel="" if origin.channel == IntakeChannel.WEB else origin.channel,
    )
    _attachments_store(complaint, event, checked_files, stored_names)
    _acknowledgement_queue(complaint)
    return complaint


def _attachments_store(
    complaint: Complaint,
    event: ComplaintEvent,
    checked_files: list[CheckedFile],
    stored_names: list[str],
) -> None:
    for checked in checked_files:
        attachment = Attachment(
            complaint=complaint,
            event=event,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            by_reporter=True,
        )
        attachment.file.save(checked.storage_name, ContentFile(checked.content), save=False)
        stored_names.append(attachment.file.name)
        attachment.save()


def storage_discard(*, names: list[str]) -> None:
    """Files written before a rolled-back transaction must not linger in private storage."""
    if not names:
        return
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not remove an orphaned upload")


def _acknowledgement_queue(complaint: Complaint) -> None:
    target = complaint_reporter_contact(complaint=complaint)
    if target is None:
        return
    channel, recipient = target
    notification_queue(
        channel=channel,
        recipient=recipient,
        template=ACKNOWLEDGEMENT_TEMPLATE,
        # The access key never travels in a message: a phone may be read by an employer.
        context={
            "reference": complaint.reference,
            "category": complaint.category.slug,
            "urgent": complaint.is_urgent,
        },
        dedupe_key=f"complaint:{complaint.reference}:acknowledgement",
        language=complaint.language,
        complaint=complaint,
        # The complaint was created in this transaction: nothing acknowledged it yet.
        first=True,
    )


# --- tracking ---------------------------------------------------------------------------------


def complaint_tracking_alert(*, reference: str, wrong_keys: int) -> ComplaintEvent | None:
    """Tell the office that many wrong keys were tried for one of its references (once per
    window, complaints/throttling.py). The reporter's own key keeps working: the note asks staff
    to check on the reporter, whose reference may be known to someone hostile. Nothing for an
    unknown reference."""
    complaint = Complaint.objects.filter(reference=reference_normalise(reference)).first()
    if complaint is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Security alert: %(count)d wrong access keys were tried for this reference in a "
            "short time. The reporter's key still works. Someone else may know the reference: "
            "consider contacting the reporter safely."
        ) % {"count": wrong_keys}
    return complaint_internal_note_event(
        complaint=complaint,
        body=body,
        data={"alert": "wrong_access_keys", "wrong_keys": wrong_keys},
    )


def complaint_reporter_message(
    *, complaint: Complaint, body: str, attachments: Iterable[UploadedFile] = ()
) -> ComplaintEvent:
    """The reporter adds a message (and files) to their complaint; the office is told."""
    errors = _Errors()
    text, problem = clean_text(body, max_length=MESSAGE_MAX, multiline=True)
    if problem:
        errors.add("body", problem)
    checked_files = _check_files(attachments, errors)
    if not problem and not text and not checked_files and "attachments" not in errors.by_field:
        errors.add("body", _("Please write a message or choose a file."), "required")
    errors.raise_if_any()
    stored_names: list[str] = []
    try:
        with transaction.atomic():
            event = complaint_reporter_message_event(
                complaint=complaint, body=text, attachments=len(checked_files)
            )
            _attachments_store(complaint, event, checked_files, stored_names)
            office = complaint.office
            if office.notification_email:
                notification_queue(
                    channel=ContactChannel.EMAIL,
                    recipient=office.notification_email,
                    template=REPORTER_MESSAGE_TEMPLATE,
                    context={"reference": complaint.reference},
                    dedupe_key=f"complaint:{complaint.reference}:reporter-message:{event.pk}",
                    office=office,
                    complaint=complaint,
                )
    except BaseException:
        storage_discard(names=stored_names)
        raise
    return event
