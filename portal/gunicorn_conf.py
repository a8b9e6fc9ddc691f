"""gunicorn settings of the portal: `gunicorn -c python:portal.gunicorn_conf portal.wsgi`.

gunicorn announces itself in a `Server: gunicorn` header on every answer and has no setting to
stop it; telling the world which server and version runs the portal only helps an attacker
choose. This module, read by gunicorn at start, removes the header from the answers of every
worker. Other settings come from the command line or GUNICORN_CMD_ARGS as usual (the reverse
proxy in front hides its own version: `server_tokens off` in nginx).
"""

from __future__ import annotations

import gc

from gunicorn.http import wsgi as _gunicorn_wsgi

# No client address in the access log (README: the portal keeps no request metadata).
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"

# Memory per worker: the application is imported once in the master and the workers
# share its pages copy-on-write. Python's collector writes to every object it scans and so would
# copy those pages into each worker: gc.freeze() before each fork moves what the import made out
# of its reach. Measured with 2 workers after a short mix of public pages: private memory per
# worker 88 -> 56 MiB, PSS 91 -> 69 MiB, RSS 110 -> 101 MiB. A code change then needs a full
# restart of the master (a HUP reloads workers, not preloaded code). Nothing opens a database or
# Redis connection at import, so none is shared across the fork. The URLconf, the translation
# catalogues and the Redis client are loaded in the master too (pre_fork below): after a mix of
# every kind of request, private memory per worker 67 -> 49 MiB, PSS 76 -> 64 MiB; RSS, which
# counts shared pages in full, does not change (bench/RESULTS.md, "Web worker memory").
# The sync workers run one thread each, so glibc uses one malloc arena: MALLOC_ARENA_MAX=2
# changed nothing measurable (102.1 against 102.4 MiB RSS), nor did malloc_trim() after each
# request (-1 MiB).
preload_app = True
_shared = {"loaded": False}


def _load_what_every_worker_loads() -> None:
    """Import in the master what each worker would otherwise import on its first requests, so
    that the workers share it instead of each holding a private copy: Django reads the URLconf
    (and with it every view, form, serializer and API module) only at the first request, and a
    language's translation catalogue at its first use. Nothing here opens a database or cache
    connection. Generic Django only: bench/peer serves django-helpdesk with this file too."""
    from django.conf import global_settings, settings
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf's modules)
    # The site's own languages; a project that keeps Django's list of about a hundred (the peer)
    # gets its default language only, not a hundred catalogues no request may ever ask for.
    if settings.USE_I18N:
        declared = [code for code, _name in settings.LANGUAGES]
        if settings.LANGUAGES == global_settings.LANGUAGES:
            declared = [settings.LANGUAGE_CODE]
        for code in declared:
            trans_real.translation(code)
    if "redis" in settings.CACHES.get("default", {}).get("BACKEND", "").lower():
        import redis  # noqa: F401 (Django's cache backend imports it at the first cache read)


def pre_fork(server, worker):
    if not _shared["loaded"]:
        _load_what_every_worker_loads()
        _shared["loaded"] = True
    gc.freeze()


def _headers_without_server(default_headers):
    def default_headers_without_server(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    default_headers_without_server.portal_patched = True
    return default_headers_without_server


if not getattr(_gunicorn_wsgi.Response.default_headers, "portal_patched", False):
    _gunicorn_wsgi.Response.default_headers = _headers_without_server(
        _gunicorn_wsgi.Response.default_headers
    )
