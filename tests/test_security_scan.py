"""Issue 9: walk the URL configuration and check the security headers of every public page, and that
no response carries a stack trace with DEBUG off."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that are not HTML pages of ours, or need arguments we cannot invent here.
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "jsi18n/", "static/", "media/")


def _iter_patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _iter_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def public_paths_without_arguments() -> list[str]:
    paths = []
    for route, pattern in _iter_patterns(get_resolver()):
        if pattern.pattern.regex.groups or "<" in route or route.startswith(SKIPPED_PREFIXES):
            continue
        path = "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")
        paths.append(path)
    return sorted(set(paths))


PUBLIC_PATHS = public_paths_without_arguments()


def test_the_scan_finds_the_main_public_pages():
    for expected in ["/", "/pengaduan/lapor/", "/pengaduan/lacak/", "/panduan/", "/desa-migran/"]:
        assert expected in PUBLIC_PATHS


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_security_headers_on_every_public_page(client, reference_data, path):
    response = client.get(path)
    assert response.status_code < 500, path
    csp = response.get("Content-Security-Policy", "")
    if response.get("Content-Type", "").startswith("text/html"):
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
    assert response.get("X-Frame-Options") == "DENY"
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == "same-origin"


@pytest.mark.parametrize("path", [p for p in PUBLIC_PATHS if p.startswith("/pengaduan/")])
def test_complaint_pages_are_never_stored_by_caches(client, reference_data, path):
    response = client.get(path)
    assert "no-store" in response.get("Cache-Control", ""), path


GARBAGE_QUERIES = [
    "?page=-1",
    "?page=99999999999999999999",
    "?q=%00%01",
    "?start=3000-99-99&end=1900-01-01",
    "?province=%27%3B--",
    "?country=ZZ",
    "?lang=../../etc/passwd",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("query", GARBAGE_QUERIES)
def test_no_stack_trace_with_debug_off(client, reference_data, settings, path, query):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get(path + query)
    body = response.content.decode(errors="replace")
    assert response.status_code < 500, f"{path}{query} answered {response.status_code}"
    assert "Traceback" not in body
    assert 'File "/' not in body
