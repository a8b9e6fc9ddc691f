"""Writes of Desa Migran Emas.

Workflow: a BP3MI officer registers a village as a *candidate*; an assessment against the checklist
makes it *assessed*; the head of the BP3MI covering the province proposes the designation
(`village_designate`) and the ministry confirms it (`village_designation_confirm`), which makes it a
*Desa Migran Emas*. Any village can be *withdrawn*, and a withdrawn village can start again as a
candidate. Every status change goes through `village_change_status` and its transitions table and
leaves a `VillageStatusChange`; every row change is kept by django-simple-history.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Any

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from desa_migran.choices import Criterion, CriterionScore, VillageStatus
from desa_migran.models import (
    INDICATOR_FIGURES,
    Village,
    VillageActivity,
    VillageAssessment,
    VillageAssessmentItem,
    VillageIndicator,
    VillagePhoto,
    VillageStatusChange,
)
from desa_migran.selectors import region_in_scope, village_in_scope
from portal.choices import OfficeKind, Role
from portal.exceptions import ApplicationError
from portal.images import ImageUnreadable, image_decode_untrusted, image_encode_jpeg
from portal.models import Membership, Region
from portal.selectors import user_has_national_scope

# Allowed status transitions. Designation needs an assessed village; a withdrawn village re-enters
# the programme as a candidate and must be assessed again.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    VillageStatus.CANDIDATE: frozenset({VillageStatus.ASSESSED, VillageStatus.WITHDRAWN}),
    VillageStatus.ASSESSED: frozenset({VillageStatus.DESA_MIGRAN_EMAS, VillageStatus.WITHDRAWN}),
    VillageStatus.DESA_MIGRAN_EMAS: frozenset({VillageStatus.WITHDRAWN}),
    VillageStatus.WITHDRAWN: frozenset({VillageStatus.CANDIDATE}),
}

# Three quarters of the checklist's points: every criterion at least partly met and most fully.
ASSESSMENT_PASS_SCORE = 75

# Fields staff may edit on a village profile (status and designation have their own services).
VILLAGE_EDITABLE_FIELDS = (
    "profile",
    "profile_en",
    "population",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "contact_email",
)

# Photos are shown at most this wide on any page; larger originals only cost bandwidth.
PHOTO_MAX_SIDE = 1600
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def _require_scope(*, user: AbstractBaseUser, village: Village) -> None:
    if not village_in_scope(user=user, village=village):
        raise ApplicationError(_("This village is outside your office's provinces."))


# --- villages ---------------------------------------------------------------------------------


@transaction.atomic
def village_create(*, region_code: str, actor: AbstractBaseUser, **fields: Any) -> Village:
    """Register a village as a candidate. The code must be a level-4 region in the actor's scope."""
    unknown = set(fields) - set(VILLAGE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    region = Region.objects.filter(code=region_code.strip()).first()
    if region is None:
        raise ValidationError(
            {"region": _("%(code)s is not a Kemendagri region code.") % {"code": region_code}}
        )
    if region.level != 4:
        raise ValidationError(
            {
                "region": _("%(code)s is not a village code (level 4, e.g. 33.02.01.2001).")
                % {"code": region_code}
            }
        )
    if not region_in_scope(user=actor, region_code=region.code):
        raise ApplicationError(_("This village is outside your office's provinces."))
    village = Village(region=region, **fields)
    village.full_clean()
    village.status_changed_at = timezone.now()
    village.save()
    VillageStatusChange.objects.create(
        village=village, from_status="", to_status=village.status, actor=actor
    )
    return village


@transaction.atomic
def village_update(
    *, village: Village, actor: AbstractBaseUser, data: Mapping[str, Any]
) -> Village:
    _require_scope(user=actor, village=village)
    unknown = set(data) - set(VILLAGE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = [field for field, value in data.items() if getattr(village, field) != value]
    for field in changed:
        setattr(village, field, data[field])
    if changed:
        village.full_clean()
        village.save(update_fields=[*changed, "updated_at"])
    return village


@transaction.atomic
def village_change_status(
    *,
    village: Village,
    to_status: VillageStatus | str,
    actor: AbstractBaseUser,
    note: str = "",
) -> VillageStatusChange:
    """The one place a village's status changes: checks the transitions table, records who."""
    village = Village.objects.select_for_update().get(pk=village.pk)
    to_status = VillageStatus(to_status)
    if to_status not in STATUS_TRANSITIONS[village.status]:
        raise ApplicationError(
            _("A village cannot go from %(from)s to %(to)s.")
            % {
                "from": VillageStatus(village.status).label,
                "to": to_status.label,
            }
        )
    change = VillageStatusChange.objects.create(
        village=village, from_status=village.status, to_status=to_status, actor=actor, note=note
    )
    village.status = to_status
    village.status_changed_at = change.created_at
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == VillageStatus.CANDIDATE:
        # Re-entering the programme starts a new designation round.
        village.designation_proposed_by = None
        village.designation_proposed_at = None
        village.designation_confirmed_by = None
        village.designated_on = None
        update_fields += [
            "designation_proposed_by",
            "designation_proposed_at",
            "designation_confirmed_by",
            "designated_on",
        ]
    village.save(update_fields=update_fields)
    return change


@transaction.atomic
def village_assessment_record(
    *,
    village: Village,
    assessor: AbstractBaseUser,
    assessed_on: datetime.date,
    items: Mapping[str, tuple[int, str]],
    notes: str = "",
) -> VillageAssessment:
    """Score the checklist (every criterion: score and evidence) and mark a candidate assessed."""
    _require_scope(user=assessor, village=village)
    if village.status == VillageStatus.WITHDRAWN:
        raise ApplicationError(_("A withdrawn village must become a candidate again first."))
    missing = [Criterion(c).label for c in Criterion.values if c not in items]
    if missing:
        raise ValidationError(
            {
                "items": _("Score every criterion; missing: %(missing)s.")
                % {"missing": "; ".join(str(m) for m in missing)}
            }
        )
    unknown = set(items) - set(Criterion.values)
    if unknown:
        raise ValidationError(
            {"items": _("Unknown criteria: %(unknown)s.") % {"unknown": ", ".join(sorted(unknown))}}
        )
    for criterion, (score, _evidence) in items.items():
        if score not in CriterionScore.values:
            raise ValidationError(
                {
                    "items": _("%(criterion)s: the score must be 0, 1 or 2.")
                    % {"criterion": Criterion(criterion).label}
                }
            )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    points = sum(score for score, _evidence in items.values())
    percent = round(100 * points / (CriterionScore.MET * len(Criterion.values)))
    assessment = VillageAssessment(
        village=village,
        assessor=assessor,
        assessed_on=assessed_on,
        notes=notes,
        score=percent,
        passed=percent >= ASSESSMENT_PASS_SCORE,
    )
    assessment.full_clean()
    assessment.save()
    VillageAssessmentItem.objects.bulk_create(
        VillageAssessmentItem(
            assessment=assessment, criterion=criterion, score=score, evidence=evidence
        )
        for criterion, (score, evidence) in items.items()
    )
    if village.status == VillageStatus.CANDIDATE:
        village_change_status(
            village=village,
            to_status=VillageStatus.ASSESSED,
            actor=assessor,
            note=_("Assessment score %(score)s%%.") % {"score": percent},
        )
    return assessment


def _is_head_of_bp3mi_covering(*, user: AbstractBaseUser, village: Village) -> bool:
    codes = Membership.objects.filter(
        user=user, role=Role.HEAD, office__kind=OfficeKind.BP3MI, office__is_active=True
    ).values_list("office__regions__code", flat=True)
    return any(
        code and (village.region_id == code or village.region_id.startswith(f"{code}."))
        for code in codes
    )


@transaction.atomic
def village_designate(*, village: Village, actor: AbstractBaseUser, note: str = "") -> Village:
    """The BP3MI head of the village's province proposes it as a Desa Migran Emas."""
    village = Village.objects.select_for_update().get(pk=village.pk)
    if not _is_head_of_bp3mi_covering(user=actor, village=village):
        raise ApplicationError(
            _("Only the head of the BP3MI covering this village's province can designate it.")
        )
    if village.status != VillageStatus.ASSESSED:
        raise ApplicationError(_("Only an assessed village can be designated."))
    latest = village.assessments.order_by("-assessed_on", "-id").first()
    if latest is None or not latest.passed:
        raise ApplicationError(
            _("The latest assessment must reach %(score)s%% before designation.")
            % {"score": ASSESSMENT_PASS_SCORE}
        )
    village.designation_proposed_by = actor
    village.designation_proposed_at = timezone.now()
    village.save(update_fields=["designation_proposed_by", "designation_proposed_at", "updated_at"])
    VillageStatusChange.objects.create(
        village=village,
        from_status=village.status,
        to_status=village.status,
        actor=actor,
        note=note or _("Designation proposed, awaiting the ministry's confirmation."),
    )
    return village


@transaction.atomic
def village_designation_confirm(
    *,
    village: Village,
    actor: AbstractBaseUser,
    designated_on: datetime.date | None = None,
    note: str = "",
) -> Village:
    """The ministry confirms a proposed designation: the village becomes a Desa Migran Emas."""
    if not user_has_national_scope(user=actor):
        raise ApplicationError(_("Only the ministry can confirm a designation."))
    village = Village.objects.select_for_update().get(pk=village.pk)
    if village.designation_proposed_by_id is None:
        raise ApplicationError(_("The BP3MI head has not proposed this village yet."))
    village_change_status(
        village=village,
        to_status=VillageStatus.DESA_MIGRAN_EMAS,
        actor=actor,
        note=note or _("Designation confirmed by the ministry."),
    )
    village.refresh_from_db()
    village.designation_confirmed_by = actor
    village.designated_on = designated_on or timezone.localdate()
    village.save(update_fields=["designation_confirmed_by", "designated_on", "updated_at"])
    return village


@transaction.atomic
def village_withdraw(
    *,
    village: Village,
    actor: AbstractBaseUser,
    reason: str,
    withdrawn_on: datetime.date | None = None,
) -> Village:
    """Withdraw a village from the programme (a head of its BP3MI or the ministry decides)."""
    if not (
        user_has_national_scope(user=actor)
        or _is_head_of_bp3mi_covering(user=actor, village=village)
    ):
        raise ApplicationError(_("Only the BP3MI head or the ministry can withdraw a village."))
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": _("Give the reason for the withdrawal.")})
    village_change_status(
        village=village, to_status=VillageStatus.WITHDRAWN, actor=actor, note=reason.strip()
    )
    village.refresh_from_db()
    village.withdrawn_on = withdrawn_on or timezone.localdate()
    village.withdrawal_reason = reason.strip()
    village.save(update_fields=["withdrawn_on", "withdrawal_reason", "updated_at"])
    return village


# --- photos -----------------------------------------------------------------------------------


def _reencode_image(upload: UploadedFile) -> tuple[bytes, int, int]:
    """Check an uploaded image and re-encode it as JPEG without EXIF or other metadata."""
    max_bytes = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            {"image": _("The photo is larger than %(mb)s MB.") % {"mb": max_bytes // 1_048_576}}
        )
    upload.seek(0)
    head = upload.read(262)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in PHOTO_TYPES:
        raise ValidationError({"image": _("Upload a JPEG, PNG or WebP photo.")})
    upload.seek(0)
    try:
        image = image_decode_untrusted(upload.read())
    except ImageUnreadable as error:
        raise ValidationError({"image": _("The photo could not be read.")}) from error
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    return image_encode_jpeg(image), image.width, image.height


@transaction.atomic
def village_photo_add(
    *, village: Village, upload: UploadedFile, caption: str, actor: AbstractBaseUser
) -> VillagePhoto:
    _require_scope(user=actor, village=village)
    if not caption.strip():
        raise ValidationError({"caption": _("Describe the photo in a caption.")})
    data, width, height = _reencode_image(upload)
    digest = hashlib.sha256(data).hexdigest()
    photo = VillagePhoto(
        village=village,
        caption=caption.strip(),
        width=width,
        height=height,
        sha256=digest,
        uploaded_by=actor,
    )
    photo.image.save(f"{digest[:32]}.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


# --- indicators and activities ----------------------------------------------------------------


@transaction.atomic
def indicator_save(
    *,
    village: Village,
    actor: AbstractBaseUser,
    year: int,
    period: str,
    figures: Mapping[str, Any],
) -> VillageIndicator:
    """Create or update the figures of one village for one period (a new history version)."""
    _require_scope(user=actor, village=village)
    unknown = set(figures) - set(INDICATOR_FIGURES)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    indicator = (
        VillageIndicator.objects.select_for_update()
        .filter(village=village, year=year, period=period)
        .first()
    ) or VillageIndicator(village=village, year=year, period=period)
    for field, value in figures.items():
        setattr(indicator, field, value)
    indicator.entered_by = actor
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def activity_create(
    *,
    village: Village,
    actor: AbstractBaseUser,
    held_on: datetime.date,
    pillar: str,
    title: str,
    description: str,
    outcome: str = "",
    title_en: str = "",
    description_en: str = "",
    outcome_en: str = "",
    is_published: bool = True,
) -> VillageActivity:
    _require_scope(user=actor, village=village)
    activity = VillageActivity(
        village=village,
        held_on=held_on,
        pillar=pillar,
        title=title,
        description=description,
        outcome=outcome,
        title_en=title_en,
        description_en=description_en,
        outcome_en=outcome_en,
        is_published=is_published,
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    return activity


ACTIVITY_EDITABLE_FIELDS = (
    "held_on",
    "pillar",
    "title",
    "description",
    "outcome",
    "title_en",
    "description_en",
    "outcome_en",
    "is_published",
)


@transaction.atomic
def activity_update(
    *, activity: VillageActivity, actor: AbstractBaseUser, data: Mapping[str, Any]
) -> VillageActivity:
    _require_scope(user=actor, village=activity.village)
    unknown = set(data) - set(ACTIVITY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = [field for field, value in data.items() if getattr(activity, field) != value]
    for field in changed:
        setattr(activity, field, data[field])
    if changed:
        activity.full_clean()
        activity.save(update_fields=changed)
    return activity
