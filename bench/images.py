"""Image uploads benchmark: time and memory of checking five large photos in one request.

Usage (never part of `make test`):
    .venv/bin/python bench/images.py
Each scenario writes five files, then a fresh Python process checks them one after another with
`complaints.uploads.upload_check`, as one form submission does, and reports the time and the
growth of its peak resident memory (ru_maxrss) over the process after start-up. The budget:
under 150 MB for one request. `--child FILE...` is the measuring process itself
(tests/complaints/test_upload_memory.py runs it too).
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def png_flat(width: int, height: int, colour: tuple[int, int, int] = (200, 210, 220)) -> bytes:
    """A flat RGB PNG written row by row: tiny on disk, huge once decoded (the review's case)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(colour) * width
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_photo(path: Path, width: int, height: int) -> None:
    """A colour JPEG of that size, made in a separate process so this one stays small."""
    code = (
        "import sys; from PIL import Image, ImageDraw;"
        f"image = Image.new('RGB', ({width}, {height}), (90, 120, 150));"
        "draw = ImageDraw.Draw(image);"
        f"[draw.line((0, y, {width}, y + 400), fill=(y % 255, 80, 40), width=9)"
        f" for y in range(0, {height}, 40)];"
        "image.save(sys.argv[1], 'JPEG', quality=90)"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def child(paths: list[str]) -> None:
    import resource
    import time

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_TESTING", "1")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.uploads import upload_check

    files = [Path(path).read_bytes() for path in paths]
    upload_check(SimpleUploadedFile("warm-up.png", png_flat(8, 8)))  # imports, first calls
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    kept, results = [], []
    for index, data in enumerate(files):
        try:
            kept.append(upload_check(SimpleUploadedFile(f"photo-{index}", data)))
            results.append("accepted")
        except ValidationError as error:
            results.append(error.code)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "ms": round(elapsed * 1000),
                "growth_mb": round((after - before) / 1024, 1),
                "results": results,
                "stored_bytes": sum(item.size for item in kept),
            }
        )
    )


def measure(paths: list[Path]) -> dict:
    env = {**os.environ, "PORTAL_TESTING": "1"}
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import report

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        scenarios = {}
        review = [base / f"review-{n}.png" for n in range(5)]
        for path in review:
            path.write_bytes(png_flat(6300, 6300))
        scenarios["five 6300x6300 PNGs (the review's files, ~190 KB each)"] = review
        largest_png = [base / f"png16-{n}.png" for n in range(5)]
        for path in largest_png:
            path.write_bytes(png_flat(4000, 4000))
        scenarios["five 4000x4000 PNGs (16 MP, the largest PNG accepted)"] = largest_png
        jpeg = base / "phone-50mp.jpg"
        jpeg_photo(jpeg, 8160, 6120)
        scenarios["five 8160x6120 JPEGs (50 MP phone mode)"] = [jpeg] * 5
        for name, paths in scenarios.items():
            figures = measure(paths)
            outcome = ", ".join(sorted(set(figures["results"])))
            report(f"{name}: time", f"{figures['ms']} ms ({outcome})")
            report(f"{name}: peak memory growth", f"{figures['growth_mb']} MB", "< 150 MB")


if __name__ == "__main__":
    main()
