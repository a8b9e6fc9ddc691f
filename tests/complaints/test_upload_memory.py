"""Costly images (issue 15, item 10): five large photos in one request stay under 150 MB of
memory, the review's 6,300 x 6,300 PNGs are refused from their header, and a 50 MP phone photo
is kept at a size that is still sharp. Memory is measured in a fresh process (peak resident
size, ru_maxrss) by bench/images.py's measuring mode; time is the benchmark's, never asserted."""

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.uploads import upload_check

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 150


def _png(width: int, height: int) -> bytes:
    """A flat RGB PNG written row by row (small file, large image), as in the review."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes((200, 210, 220)) * width
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _measure(paths: list[Path]) -> dict:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "images.py"), "--child", *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_reviews_five_6300_pixel_pngs_are_refused_without_decoding(tmp_path):
    # given
    paths = []
    for index in range(5):
        path = tmp_path / f"besar-{index}.png"
        path.write_bytes(_png(6300, 6300))
        paths.append(path)
    assert all(path.stat().st_size < 400_000 for path in paths)
    # when
    figures = _measure(paths)
    # then
    assert figures["results"] == ["file_too_many_pixels"] * 5
    assert figures["growth_mb"] < 20


def test_five_of_the_largest_pngs_accepted_stay_under_150_mb(tmp_path):
    # given: 4,000 x 4,000 is 16 MP (a phone's screenshot is about 3 MP)
    paths = []
    for index in range(5):
        path = tmp_path / f"layar-{index}.png"
        path.write_bytes(_png(4000, 4000))
        paths.append(path)
    # when
    figures = _measure(paths)
    # then
    assert figures["results"] == ["accepted"] * 5
    assert figures["growth_mb"] < BUDGET_MB


def test_a_50_megapixel_phone_photo_is_kept_sharp_and_five_stay_under_150_mb(tmp_path):
    # given: made in another process, so that this one does not hold 150 MB of pixels
    path = tmp_path / "kamera-50mp.jpg"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from PIL import Image;"
            "Image.new('RGB', (8160, 6120), (90, 120, 150)).save(sys.argv[1], 'JPEG')",
            str(path),
        ],
        check=True,
    )
    # when
    figures = _measure([path] * 5)
    checked = upload_check(SimpleUploadedFile("kamera.jpg", path.read_bytes()))
    # then
    assert figures["results"] == ["accepted"] * 5
    assert figures["growth_mb"] < BUDGET_MB
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.width >= 4000  # halved at most: a contract stays legible
        assert stored.width * stored.height <= 16_000_000


def test_a_photo_larger_than_any_phone_makes_is_refused_with_its_size():
    # given: 10,000 x 6,000 pixels, 60 MP
    data = _png(10_000, 6_000)
    # when
    with pytest.raises(ValidationError) as error:
        upload_check(SimpleUploadedFile("besar.png", data))
    # then
    assert error.value.code == "file_too_many_pixels"
    assert "10000 x 6000" in error.value.messages[0]


def test_pngs_are_stored_without_the_costly_optimize_pass(monkeypatch):
    # given
    calls = []
    original = Image.Image.save

    def spy(self, fp, format=None, **params):
        calls.append((format, params))
        return original(self, fp, format, **params)

    monkeypatch.setattr(Image.Image, "save", spy)
    # when
    upload_check(SimpleUploadedFile("layar.png", _png(300, 200)))
    # then
    assert calls
    assert all(not params.get("optimize") for fmt, params in calls if fmt == "PNG")
