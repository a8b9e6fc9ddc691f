"""Decoding untrusted images, once for the whole portal.

Complaint attachments, village photos and guide illustrations are all re-encoded from their
pixels: a fresh file carries none of the original's metadata (GPS position, camera, owner) and
none of its hidden payloads. This module does the dangerous half, the decoding; each caller
chooses its output format and turns the errors below into a message in the user's language.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# What a phone camera makes: 50 megapixels in the high-resolution mode of current phones (most
# save 12 MP). Larger is refused from the header, before any pixel is decoded.
MAX_IMAGE_PIXELS = 50_000_000
# What is ever decoded into memory: 16 MP (48 MB as RGB, 64 MB with transparency), so that five
# photos in one request stay well under 150 MB of memory, one at a time. A larger JPEG is decoded
# at 1/2, 1/4 or 1/8 of its size by the JPEG decoder itself (DCT scaling: cheap, and the memory
# of the reduced image only); a 16 MP copy of a contract is still sharp. Other formats larger
# than this (PNG screenshots and scans are far smaller) are refused.
MAX_DECODED_PIXELS = 16_000_000


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
    # Pillow is imported here, not at the top: every web worker imports this module (forms,
    # admin) and only the few requests carrying an image need Pillow's 2-3 MiB.
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height, image_format = probe.width, probe.height, probe.format
                if width * height > max_pixels:
                    raise ImageTooLarge(width, height)
                if width * height > MAX_DECODED_PIXELS and image_format != "JPEG":
                    raise ImageTooLarge(width, height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            scale = 1
            while width * height > MAX_DECODED_PIXELS * scale * scale and scale < 8:
                scale *= 2
            if scale > 1:
                image.draft("RGB", (width // scale, height // scale))
            if image.width * image.height > MAX_DECODED_PIXELS:
                raise ImageTooLarge(width, height)
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
    # In place: a transposed copy would double the memory of a large photo.
    ImageOps.exif_transpose(image, in_place=True)
    image.info = {}
    return image


def image_encode_jpeg(image: Image.Image, *, quality: int = 85) -> bytes:
    """A fresh JPEG of the pixels: no EXIF or other metadata is passed to the encoder."""
    output = io.BytesIO()
    rgb = image if image.mode == "RGB" else image.convert("RGB")  # no copy when already RGB
    rgb.save(output, "JPEG", quality=quality, optimize=True)
    return output.getvalue()


def image_encode_png(image: Image.Image) -> bytes:
    """A fresh PNG of the pixels, at zlib's default level: `optimize` would try every filter at
    the highest level, seconds of one worker for a few percent of size."""
    output = io.BytesIO()
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    (image if image.mode == mode else image.convert(mode)).save(output, "PNG")
    return output.getvalue()
