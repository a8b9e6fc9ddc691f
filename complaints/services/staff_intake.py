"""Staff-assisted intake: an officer or head records a complaint received at the office, by the
hotline, by letter, e-mail, social media, or referred by a KBRI/KJRI, SP4N-LAPOR!, an NGO, the
police, a local government or a Desa Migran Emas task force, on the worker's behalf.

It is the public intake with a recorded origin: the same `complaint_submit` (validation, routing,
deadlines, idempotency), plus the channel, the referring body and its reference, who took it and
when it was received (the clock runs from receipt; never later than now). When the routing sends
the complaint to another office, the office that took it keeps it in its queue (`intake_office`,
read by the staff scope) and the timeline says where it went (a `forward` event). A draft opened
by an inbound WhatsApp/SMS/e-mail message is completed here, once; the files kept with it
become the complaint's attachments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.choices import EventKind, InboundStatus, IntakeChannel, Referrer
from complaints.models import InboundMessage
from complaints.services.events import complaint_forward_event
from complaints.services.inbound_files import inbound_files_to_complaint
from complaints.services.intake import (
    ComplaintInput,
    IntakeOrigin,
    SubmitReceipt,
    clean_text,
    complaint_input_errors,
    complaint_submit,
)
from portal.choices import OfficeKind, Role
from portal.exceptions import ApplicationError
from portal.models import Office
from portal.types import AnyUser, StaffUser

# Roles that take complaints at the counter or on the phone.
INTAKE_ROLES = (Role.OFFICER, Role.HEAD)
# Staff clocks and the server's drift a little: a receipt time this far ahead is taken as now.
CLOCK_SKEW = dt.timedelta(minutes=2)
# Older than this is almost certainly a typo in the year; a real backlog is entered as now
# with the receipt date in the description.
RECEIVED_MAX_AGE = dt.timedelta(days=366)


def staff_intake_offices(*, user: AnyUser) -> list[Office]:
    """Offices where the user may record complaints (officer or head), ministry last."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return []
    offices = (
        Office.objects.filter(
            is_active=True,
            memberships__user=user,
            memberships__role__in=INTAKE_ROLES,
        )
        .distinct()
        .order_by("name")
    )
    return sorted(offices, key=lambda office: office.kind == OfficeKind.MINISTRY)


def _received_at(value: object, errors: dict[str, list[str]]) -> dt.datetime:
    """The receipt time to record; `value` is what the form or API parsed (None: now)."""
    now = timezone.now()
    if value is None:
        return now
    if not isinstance(value, dt.datetime):
        errors["received_at"] = [_("Please enter a date and time like 2026-07-01 14:30.")]
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        errors["received_at"] = [_("The time of receipt cannot be in the future.")]
    elif value < now - RECEIVED_MAX_AGE:
        errors["received_at"] = [_("The time of receipt cannot be more than a year ago.")]
    return min(value, now)


def complaint_submit_by_staff(
    *,
    actor: AnyUser,
    data: ComplaintInput,
    channel: str,
    received_at: dt.datetime | None = None,
    referrer: str = "",
    referrer_reference: str = "",
    office: Office | None = None,
    inbound_message_id: int | None = None,
    attachments: Iterable[UploadedFile] = (),
    submission_token: str = "",
    token_space: str = "api",  # noqa: S107 (a namespace name, not a secret)
) -> SubmitReceipt:
    """Record a complaint taken by staff; returns the one-time receipt (reference and key).

    Raises ValidationError (by field) for bad input, PermissionDenied when the actor may not
    take complaints for that office, ApplicationError when the draft was already completed.
    """
    offices = staff_intake_offices(user=actor)
    # Nobody signed in has no offices; the isinstance says so to the type checker as well.
    if not offices or not isinstance(actor, StaffUser):
        raise PermissionDenied(_("Only officers and heads of an office can record complaints."))
    if office is None:
        office = offices[0]
    elif office.pk not in {candidate.pk for candidate in offices}:
        raise PermissionDenied(_("You can only record complaints for your own office."))

    errors: dict[str, list[str]] = {}
    draft = None
    if inbound_message_id is not None:
        draft = InboundMessage.objects.filter(pk=inbound_message_id).first()
        if draft is None or draft.status != InboundStatus.DRAFT:
            raise ApplicationError(_("This message was already recorded or does not exist."))
        channel = channel or draft.channel
        received_at = received_at or draft.received_at
    if channel not in IntakeChannel.values:
        errors["channel"] = [_("Please choose how the complaint was received.")]
    if referrer and referrer not in Referrer.values:
        errors["referrer"] = [_("Please choose the referring body from the list.")]
    if channel == IntakeChannel.REFERRAL and not referrer:
        errors["referrer"] = [_("Please say which body referred the complaint.")]
    reference_text, problem = clean_text(referrer_reference, max_length=80)
    if problem:
        errors["referrer_reference"] = [problem]
    when = _received_at(received_at, errors)
    if errors:
        # Report these together with the complaint's own field errors.
        for name, messages in complaint_input_errors(data=data).items():
            errors.setdefault(name, []).extend(messages)
        raise ValidationError(errors)

    with transaction.atomic():
        if draft is not None:
            draft = InboundMessage.objects.select_for_update().get(pk=draft.pk)
            if draft.status != InboundStatus.DRAFT:
                raise ApplicationError(_("This message was already recorded or does not exist."))
        receipt = complaint_submit(
            data=data,
            attachments=attachments,
            submission_token=submission_token,
            token_space=token_space,
            origin=IntakeOrigin(
                channel=channel,
                received_at=when,
                referrer=referrer,
                referrer_reference=reference_text,
                taken_by=actor,
                intake_office=office,
            ),
        )
        complaint = receipt.complaint
        if receipt.created and complaint.office_id != office.pk:
            # Routed elsewhere by the origin region: say so on the timeline; the taking office
            # keeps it in its queue through intake_office.
            complaint_forward_event(
                complaint=complaint,
                actor=actor,
                from_office=office,
                to_office=complaint.office,
                body=_("Taken at %(from)s, routed to %(to)s by the home region.")
                % {"from": office.name, "to": complaint.office.name},
            )
        if draft is not None and receipt.created:
            # The files that came with the message join the case, on its opening event.
            inbound_files_to_complaint(
                message=draft,
                complaint=complaint,
                event=complaint.events.filter(kind=EventKind.CREATED).first(),
            )
            draft.status = InboundStatus.COMPLETED
            draft.complaint = complaint
            draft.save(update_fields=["status", "complaint"])
    return receipt
