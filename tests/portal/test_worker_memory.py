"""A web worker does not hold the libraries only rare requests need.

A gunicorn worker's memory is mostly the code it has imported. The libraries below serve a few
requests a day (a staff member printing a PDF receipt, a spreadsheet import or export, an image
or PDF upload, a second-factor QR code, the mailbox poll of a Celery task) and are imported inside
the functions that use them. The check runs in a fresh process, as gunicorn's master would: the
application imported, then what portal/gunicorn_conf.py loads before forking the workers, then a
request for the complaint form; none of them may have been imported by then. The features still
work, each importing its library when used (the last tests).
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

# Top-level modules imported only where they are used, with what uses them.
LAZY_MODULES = {
    "fpdf": "the staff's PDF receipt (complaints/receipt_pdf.py)",
    "fontTools": "fpdf2's fonts",
    "openpyxl": "XLSX import and export (portal/tablib_formats.py)",
    "tablib.formats._xlsx": "XLSX import and export",
    "PIL": "decoding uploaded images (portal/images.py)",
    "pypdf": "checking uploaded PDFs (complaints/uploads.py)",
    "qrcode": "the second factor's QR code (portal/otp.py)",
    "imap_tools": "the mailbox poll (a Celery task)",
}

SCRIPT = """
import io
import json
import os
import subprocess
import sys

if "DATABASE_URL" not in os.environ:  # a new SQLite database
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], check=True,
                   stdout=subprocess.DEVNULL)

from portal.wsgi import application
from portal import gunicorn_conf

gunicorn_conf._load_what_every_worker_loads()
from django.core.cache import cache

cache.clear()
answer = {}


def start_response(status, headers, exc_info=None):
    answer["status"] = status


environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/pengaduan/lapor/", "QUERY_STRING": "",
    "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
    "HTTP_ACCEPT_LANGUAGE": "id", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(),
    "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
    "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
}
body = b"".join(application(environ, start_response))
print(json.dumps({
    "status": answer["status"],
    "form": b'name="description"' in body,
    "modules": sorted(sys.modules),
}))
"""


def _test_database_url() -> str:
    """This test process's migrated PostgreSQL test database, as a URL; empty on SQLite."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor != "postgresql":
        return ""
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{database['USER']}@{host}/{database['NAME']}"


def _fresh_portal_process(script: str, *, data_dir: Path, database_url: str = "") -> dict:
    """Run `script` in a new Python process on the portal's default set-up (no Redis; SQLite
    under `data_dir`, or `database_url`, already migrated): this process has imported far more
    than a web worker would. Returns the JSON object the script prints last."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        PORTAL_DATA_DIR=str(data_dir), PORTAL_TESTING="1", DJANGO_SETTINGS_MODULE="portal.settings"
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def test_after_start_and_a_form_request_no_rarely_used_library_is_imported(tmp_path, db):
    # given: a fresh portal process, started the way gunicorn's master starts it (on the
    # suite's PostgreSQL test database when there is one: migrating a new one costs 20 s)
    # when: the complaint form is requested
    result = _fresh_portal_process(
        SCRIPT, data_dir=tmp_path / "var", database_url=_test_database_url()
    )
    # then: the form was served, and none of the rarely used libraries is in memory
    assert result["status"] == "200 OK"
    assert result["form"]
    loaded = set(result["modules"])
    assert "django.urls.resolvers" in loaded  # the check saw a real request's imports
    imported_anyway = {
        module: user
        for module, user in LAZY_MODULES.items()
        if module in loaded or any(name.startswith(module + ".") for name in loaded)
    }
    assert imported_anyway == {}


def test_the_deferred_xlsx_format_still_exports_and_reads_a_workbook():
    # given: the XLSX format registered by portal/tablib_formats.py (the admin did it at start)
    import tablib
    from tablib.formats import registry

    from portal.tablib_formats import DeferredFormat

    assert isinstance(registry.get_format("xlsx"), DeferredFormat)
    dataset = tablib.Dataset(headers=["village_code", "workers_abroad"])
    dataset.append(["35.04.01.2001", 12])
    # when: a workbook is written and read back
    workbook = dataset.export("xlsx")
    again = tablib.Dataset().load(io.BytesIO(workbook), format="xlsx")
    # then: the real format did the work (a zip file in the OOXML format), and nothing was lost
    assert workbook[:2] == b"PK"
    assert again.headers == ["village_code", "workers_abroad"]
    assert list(again[0]) == ["35.04.01.2001", 12]


def test_the_deferred_xlsx_format_answers_import_exports_check_without_loading():
    from portal.tablib_formats import DeferredFormat

    stand_in = DeferredFormat("json.JSONDecoder", title="json-like", extensions=("x",))
    assert (stand_in.title, stand_in.extensions) == ("json-like", ("x",))
    assert stand_in._format is None
    # any other attribute comes from the real class, imported then
    assert stand_in.decode is json.JSONDecoder.decode
    with pytest.raises(AttributeError):
        stand_in.__missing_dunder__  # noqa: B018
