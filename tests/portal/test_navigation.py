"""Every public page within two taps from home, in both languages; the footer carries
the same sections, the hotline as a tel: link and the API documentation."""

import re

import pytest
from django.urls import reverse

from tests.education.factories import ChecklistFactory

pytestmark = pytest.mark.django_db


def _links(html: str) -> set[str]:
    return {
        href.split("#")[0]
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html)
        if href.startswith("/")
    }


def _reachable_in_two_taps(client, language: str) -> set[str]:
    first = _links(client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    reached = set(first)
    for url in first:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            reached |= _links(response.content.decode())
    return reached


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_public_section_is_within_two_taps_of_home(client, language):
    # given: a published checklist
    checklist = ChecklistFactory(language=language)
    # when
    reached = _reachable_in_two_taps(client, language)
    # then
    wanted = {
        reverse("complaints:submit"),
        reverse("complaints:track"),
        reverse("education:index"),
        reverse("education:faq"),
        checklist.get_absolute_url(),
        reverse("desa_migran:index"),
        reverse("desa_migran:practices"),
        reverse("outreach:calendar"),
        reverse("oversight:stats"),
        reverse("api-docs"),
    }
    assert wanted - reached == set()


def test_guides_show_faq_and_checklists_before_the_topics(client):
    # given
    checklist = ChecklistFactory(language="id")
    # when
    html = client.get(reverse("education:index")).content.decode()
    # then: both links come before the first topic heading and the search box
    topics = html.index('id="topics-heading"')
    assert -1 < html.find(reverse("education:faq")) < topics
    assert -1 < html.find(checklist.get_absolute_url()) < topics


def test_footer_has_every_section_the_hotline_as_a_tel_link_and_the_api_docs(client, settings):
    # given
    settings.CRISIS_CENTER_PHONE = "0800-1000"
    # when
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    # then
    assert 'href="tel:08001000"' in footer
    for url in (
        reverse("complaints:submit"),
        reverse("complaints:track"),
        reverse("education:index"),
        reverse("desa_migran:index"),
        reverse("outreach:calendar"),
        reverse("oversight:stats"),
        reverse("api-docs"),
    ):
        assert f'href="{url}"' in footer, url
