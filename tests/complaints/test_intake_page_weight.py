"""The form page must stay light for cheap phones on thin connections."""

import gzip
import re

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 50 * 1024
HTML_BUDGET = 14 * 1024


def _assets(html: str) -> list[str]:
    """Every stylesheet, script and icon the page loads (what a browser fetches first)."""
    urls = re.findall(r'<link [^>]*href="([^"]+)"', html) + re.findall(
        r'<script [^>]*src="([^"]+)"', html
    )
    return [url for url in urls if url.startswith(settings.STATIC_URL)]


def _sizes(content: bytes) -> tuple[int, int]:
    return len(gzip.compress(content, compresslevel=6)), len(brotli.compress(content))


@pytest.mark.parametrize("language", ["id", "en"])
def test_form_page_transfers_under_50_kb_with_html_under_14_kb(client, reference_data, language):
    # given
    response = client.get(reverse("complaints:submit"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content
    assets = _assets(html.decode())
    # when
    html_gzip, html_brotli = _sizes(html)
    total_gzip, total_brotli = html_gzip, html_brotli
    for url in assets:
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is not a static file"
        with open(path, "rb") as handle:
            gzip_size, brotli_size = _sizes(handle.read())
        total_gzip += gzip_size
        total_brotli += brotli_size
    # then: measured with gzip (every client accepts it); brotli is smaller still
    assert any(url.endswith("bootstrap.purged.min.css") for url in assets)
    assert any(url.endswith("intake.js") for url in assets)
    assert html_gzip <= HTML_BUDGET, f"HTML {html_gzip} bytes gzipped"
    assert total_gzip <= PAGE_BUDGET, f"page {total_gzip} bytes gzipped ({total_brotli} brotli)"


FIRST_VISIT_BUDGET = 30 * 1024  # issue 17: the form's first visit, JavaScript on or off


@pytest.mark.parametrize("javascript", [True, False])
def test_form_first_visit_transfers_at_most_30_kb(client, reference_data, javascript):
    # given: what a browser fetches on a first visit (no cache): the page, its stylesheets and
    # icon, and its scripts only when JavaScript is on; compressed as nginx sends them
    html = client.get(reverse("complaints:submit"), HTTP_ACCEPT_LANGUAGE="id").content
    assets = [url for url in _assets(html.decode()) if javascript or not url.endswith(".js")]
    # when
    total = _sizes(html)[0]
    for url in assets:
        with open(finders.find(url.removeprefix(settings.STATIC_URL)), "rb") as handle:
            total += _sizes(handle.read())[0]
    # then
    assert total <= FIRST_VISIT_BUDGET, f"first visit {total} bytes gzipped ({assets})"
