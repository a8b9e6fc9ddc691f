"""No English country name on an Indonesian page: every public page, the statistics
API and every staff page (admin changelists, change forms, dashboards) read in `id` after
`seed_demo`, checked against django-countries' English names that differ from the Indonesian."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES

from tests.complaints.factories import categories_ensure

pytestmark = pytest.mark.django_db

NAMES_ID = json.loads(
    (Path(__file__).resolve().parent.parent / "portal/data/country_names_id.json").read_text()
)
NOW = "2026-11-20 10:00:00+07:00"


def _english_names_that_differ() -> set[str]:
    """The oracle: django-countries' English names (official and common) whose Indonesian name
    differs and that no Indonesian name contains as a word."""
    with translation.override("en"):
        english = {code: str(name) for code, name in COUNTRIES.items()}
        english.update({code: str(countries.name(code)) for code in COUNTRIES})
    indonesian = " | ".join(NAMES_ID.values())
    return {
        name
        for code, name in english.items()
        if NAMES_ID.get(code) not in (None, name)
        and not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", indonesian)
    }


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _english_found(text: str, names: set[str]) -> list[str]:
    return sorted(name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text))


@pytest.fixture
def demo_site(reference_data, settings):
    categories_ensure()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", complaints=40, password="demo-pass-123", stdout=None)
        call_command("refresh_dashboard_summary")


def _public_urls() -> list[str]:
    from desa_migran.models import Village
    from education.models import Article, Checklist, Topic

    urls = [
        "/",
        reverse("complaints:submit"),
        reverse("complaints:track"),
        reverse("education:index"),
        reverse("education:faq"),
        reverse("education:search") + "?q=paspor",
        reverse("desa_migran:index"),
        reverse("desa_migran:totals"),
        reverse("desa_migran:practices"),
        reverse("outreach:calendar"),
        reverse("oversight:stats"),
        reverse("oversight:stats_json"),
        "/api/v1/stats/",
    ]
    urls += [reverse("education:topic", args=[t.slug]) for t in Topic.objects.all()]
    checklists = Checklist.objects.filter(status="published", language="id")
    urls += [reverse("education:checklist", args=[c.slug]) for c in checklists]
    articles = Article.objects.filter(status="published", language="id")
    urls += [reverse("education:article", args=[a.slug]) for a in articles]
    codes = {a.country.code for a in articles if a.country}
    urls += [reverse("education:country", args=[code]) for code in sorted(codes)]
    villages = Village.objects.exclude(status="candidate")[:8]
    urls += [reverse("desa_migran:village", args=[v.region_id]) for v in villages]
    return urls


def _staff_urls() -> list[str]:
    from complaints.models import Complaint
    from education.models import Article

    urls = [
        reverse("admin:index"),
        reverse("oversight:dashboard"),
        reverse("oversight:dashboard_complaints"),
        reverse("oversight:watchlist"),
        reverse("reports:list"),
        reverse("admin:complaints_complaint_changelist") + "?country=SA",
        reverse("admin:complaints_complaint_change", args=[Complaint.objects.first().pk]),
        reverse("admin:education_article_change", args=[Article.objects.first().pk]),
    ]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        # English guides and FAQ rightly have English titles: the Indonesian rows are checked.
        if "language" in getattr(model_admin, "list_filter", ()):
            url += "?language__exact=id"
        urls.append(url)
    return urls


def test_no_english_country_name_on_any_indonesian_page(client, demo_site):
    # given
    english = _english_names_that_differ()
    assert {"Japan", "South Korea", "Saudi Arabia", "Åland Islands"} <= english
    admin_user = get_user_model().objects.get(username="admin")
    found: dict[str, list[str]] = {}
    # when
    with time_machine.travel(NOW, tick=False):
        for url in _public_urls():
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
            assert response.status_code == 200, url
            hits = _english_found(_visible_text(response.content.decode()), english)
            if hits:
                found[url] = hits
        client.force_login(admin_user)
        for url in _staff_urls():
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
            assert response.status_code == 200, url
            hits = _english_found(_visible_text(response.content.decode()), english)
            if hits:
                found[url] = hits
    # then
    assert found == {}
