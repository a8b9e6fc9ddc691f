"""Guide illustrations: validated, re-encoded as WebP in phone sizes, no metadata kept.

Kept apart from services.py (which is about the text workflow); the write path is still one
service function, `guide_image_add`.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from education.models import GuideImage
from portal.images import MAX_IMAGE_PIXELS, ImageTooLarge, ImageUnreadable, image_decode_untrusted

if TYPE_CHECKING:  # Pillow itself is imported by portal.images when an image is decoded
    from PIL import Image

# Phone, large phone / small tablet, and a sharp image on high-density phones.
IMAGE_WIDTHS = (360, 720, 1080)
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = MAX_IMAGE_PIXELS
WEBP_QUALITY = 75


def guide_image_path(slug: str, width: int) -> str:
    return f"guides/{slug}-{width}.webp"


def _decode(data: bytes) -> Image.Image:
    try:
        image = image_decode_untrusted(data, max_pixels=MAX_PIXELS)
    except ImageTooLarge as error:
        raise ValidationError(
            _("The image is too large (%(w)d x %(h)d pixels).")
            % {"w": error.width, "h": error.height}
        ) from error
    except ImageUnreadable as error:
        raise ValidationError(_("This file is not an image we can use.")) from error
    return image.convert("RGB")


def guide_image_check(data: bytes) -> Image.Image:
    """Refuse oversized files and anything that is not a decodable image of sane dimensions."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    return _decode(data)


@transaction.atomic
def guide_image_add(
    *, actor: AbstractBaseUser | None, slug: str, alt_text: str, data: bytes
) -> GuideImage:
    """Store an illustration in the widths of IMAGE_WIDTHS (never wider than the original)."""
    image = guide_image_check(data)
    record = GuideImage(
        slug=slug,
        alt_text=alt_text,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    widths = [width for width in IMAGE_WIDTHS if width <= image.width] or [image.width]
    record.widths = ",".join(str(width) for width in widths)
    record.full_clean()
    for width in widths:
        variant = image.copy()
        variant.thumbnail((width, width * 4))
        buffer = io.BytesIO()
        # Re-encoding drops EXIF (GPS, camera) and anything hidden in the original file.
        variant.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
        path = guide_image_path(slug, width)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(buffer.getvalue()))
    record.save()
    return record


def guide_image_variant_path(*, slug: str, width: int) -> str | None:
    """The stored file for a requested width: that width, else the largest one below it."""
    record = GuideImage.objects.filter(slug=slug).only("widths").first()
    if record is None:
        return None
    fitting = [stored for stored in record.width_list if stored <= width] or record.width_list[:1]
    return guide_image_path(slug, max(fitting)) if fitting else None


@transaction.atomic
def guide_image_delete(*, image: GuideImage) -> None:
    paths = [guide_image_path(image.slug, width) for width in image.width_list]
    image.delete()
    # Files go only once the row is gone for good.
    transaction.on_commit(lambda: [default_storage.delete(path) for path in paths])
