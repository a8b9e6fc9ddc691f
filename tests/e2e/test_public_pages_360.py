"""Every public page, in Indonesian and English, on a 360 px phone: none scrolls
sideways, axe-core finds no WCAG 2.1 A/AA violation, checklist boxes sit beside their labels."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests.complaints.factories import categories_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
NOW = "2026-11-20 10:00:00+07:00"


@pytest.fixture
def demo_site(reference_data, settings):
    categories_ensure()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", complaints=20, password="demo-pass-123", stdout=None)
        call_command("refresh_dashboard_summary")
    from django.core.cache import cache

    cache.clear()


def public_urls(language: str) -> list[str]:
    """Every kind of public page: each section, and a few of each kind of detail page."""
    from desa_migran.models import Village
    from education.models import Article, Checklist, Topic

    urls = [
        "/",
        reverse("complaints:submit"),
        reverse("complaints:track"),
        reverse("education:index"),
        reverse("education:faq"),
        reverse("education:search") + "?q=pasprot",
        reverse("education:offline"),
        reverse("desa_migran:index"),
        reverse("desa_migran:totals"),
        reverse("desa_migran:practices"),
        reverse("outreach:calendar"),
        reverse("oversight:stats"),
    ]
    urls += [t.get_absolute_url() for t in Topic.objects.order_by("position", "pk")[:3]]
    published = {"status": "published", "language": language}
    urls += [c.get_absolute_url() for c in Checklist.objects.filter(**published)[:2]]
    articles = list(Article.objects.filter(**published).order_by("pk")[:3])
    urls += [a.get_absolute_url() for a in articles]
    country = next((a.country.code for a in Article.objects.filter(**published) if a.country), "")
    if country:
        urls.append(reverse("education:country", args=[country]))
    villages = Village.objects.exclude(status="candidate").order_by("pk")[:2]
    urls += [reverse("desa_migran:village", args=[v.region_id]) for v in villages]
    return urls


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_public_page_fits_360px_and_has_no_axe_violation(
    page_in, live_server, assert_accessible, demo_site, language
):
    page = page_in(language, viewport=PHONE)
    wide = []
    for url in public_urls(language):
        # when
        response = page.goto(live_server.url + url)
        # then
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((url, width))
        assert_accessible(page)
    assert wide == []


def test_checklist_boxes_sit_beside_their_labels_at_360px(page_in, live_server, demo_site):
    # given: the longest checklist
    from education.models import Checklist

    checklist = max(
        Checklist.objects.filter(status="published", language="id"),
        key=lambda item: sum(len(row.text) for row in item.items.all()),
    )
    page = page_in("id", viewport=PHONE)
    # when
    page.goto(live_server.url + checklist.get_absolute_url())
    # then: every box is left of its label and level with the label's first line
    rows = page.eval_on_selector_all(
        ".checklist li",
        """items => items.map(li => {
            const box = li.querySelector('input').getBoundingClientRect();
            const label = li.querySelector('label').getBoundingClientRect();
            return {right: box.right, top: box.top, labelLeft: label.left, labelTop: label.top,
                    labelHeight: label.height};
        })""",
    )
    assert rows
    assert any(row["labelHeight"] > 30 for row in rows)  # some labels do wrap
    for row in rows:
        assert row["right"] <= row["labelLeft"]
        assert abs(row["top"] - row["labelTop"]) < 12


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_form_after_a_region_step_fits_360px(page_in, live_server, demo_site, javascript):
    page = page_in("id", viewport=PHONE, java_script_enabled=javascript)
    page.goto(live_server.url + reverse("complaints:submit"))
    if javascript:
        page.fill("#village-search-input", "babadan")
        page.wait_for_selector(".village-results button")
    else:
        page.select_option("#id_origin_province", "35")
        page.click("button[name=region_step]")
        # the page the step returns, not the one being left
        page.wait_for_selector('#id_origin_region option[value="35.07"]', state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
