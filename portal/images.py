"""Decoding untrusted images, once for the whole portal.

Complaint attachments, village photos and guide illustrations are all re-encoded from their
pixels: a fresh file carries none of the original's metadata (GPS position, camera, owner) and
none of its hidden payloads. This module does the dangerous half, the decoding; each caller
chooses its output format and turns the errors below into a message in the user's language.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

# 40 megapixels: any real photo; larger is refused before its pixels are decoded.
MAX_IMAGE_PIXELS = 40_000_000


class ImageUnreadable(Exception):
    """Not an image Pillow can decode safely (broken, truncated, disguised, or a bomb)."""


class ImageTooLarge(ImageUnreadable):
    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width} x {height} pixels")
        self.width = width
        self.height = height


def image_decode_untrusted(data: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """Decode uploaded bytes into an image ready to be re-encoded: the size is checked from the
    header before any pixel is decoded, the file structure is verified, the camera's rotation is
    applied (before the EXIF that carries it is gone) and no metadata is kept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > max_pixels:
                    raise ImageTooLarge(probe.width, probe.height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageUnreadable:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ImageUnreadable(str(error)) from error
    image = ImageOps.exif_transpose(image)
    image.info = {}
    return image


def image_encode_jpeg(image: Image.Image, *, quality: int = 85) -> bytes:
    """A fresh JPEG of the pixels: no EXIF or other metadata is passed to the encoder."""
    output = io.BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=quality, optimize=True)
    return output.getvalue()
