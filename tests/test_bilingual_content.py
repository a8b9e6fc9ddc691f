"""Bilingual content done right: the language switch leads to a translation when one
exists and says plainly when the text is only in Indonesian; editors' English texts of villages,
practices and outreach events are shown to English readers; no doubled labels."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from education.models import OutreachFormat
from education.outreach.services import outreach_event_create
from tests.desa_migran.factories import (
    VillageActivityFactory,
    VillageFactory,
    VillageProgrammeFactory,
)
from tests.education.factories import ArticleFactory, ChecklistFactory, TopicFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 17, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def topic():
    return TopicFactory()


def test_switching_to_english_on_a_guide_leads_to_its_english_translation(client, topic):
    # given
    original = ArticleFactory(topic=topic, slug="paspor-anda", title="Paspor Anda")
    english = ArticleFactory(
        topic=topic,
        slug="your-passport",
        title="Your passport",
        language="en",
        translation_of=original,
    )
    # when: the language switch keeps the path of the Indonesian guide
    response = client.get(original.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert response.status_code == 302
    assert response["Location"] == english.get_absolute_url()


def test_a_guide_without_translation_says_it_is_only_in_indonesian(client, topic):
    # given
    article = ArticleFactory(topic=topic, slug="hanya-indonesia", title="Hanya bahasa Indonesia")
    # when
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then
    assert 'id="only-in"' in html
    assert "only available in Indonesian" in html
    assert '<article class="guide" lang="id">' in html


def test_in_its_own_language_a_guide_has_no_notice(client, topic):
    article = ArticleFactory(topic=topic, slug="biasa", title="Biasa")
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="only-in"' not in html


def test_a_checklist_switch_leads_to_its_translation(client):
    original = ChecklistFactory(slug="sebelum-berangkat")
    english = ChecklistFactory(slug="before-leaving", language="en", translation_of=original)
    response = client.get(original.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == english.get_absolute_url()


def test_a_topic_with_only_indonesian_guides_shows_them_with_a_notice_in_english(client, topic):
    # given
    ArticleFactory(topic=topic, slug="satu", title="Panduan satu")
    # when
    response = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Panduan satu" in html
    assert "only available in Indonesian" in html


def test_practices_show_the_editors_english_text_or_mark_the_indonesian_one(client, reference_data):
    # given
    translated = VillageActivityFactory(
        title="Kelas keuangan keluarga",
        title_en="Family finance class",
        description_en="Savings and remittances explained.",
    )
    VillageActivityFactory(village=translated.village, title="Pelatihan menjahit")
    # when
    html = client.get(reverse("desa_migran:practices"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then
    assert "Family finance class" in html
    assert "Kelas keuangan keluarga" not in html
    assert "Savings and remittances explained." in html
    assert '<span lang="id">Pelatihan menjahit</span>' in html
    assert html.count("only in Indonesian") == 1


def test_village_profile_in_english_when_written(client, reference_data):
    village = VillageFactory(profile="Desa asal.", profile_en="A village of origin.")
    html = client.get(village.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A village of origin." in html
    assert "Desa asal." not in html


def test_programme_name_that_repeats_its_kind_is_not_doubled(client, reference_data):
    # given: the name is the kind's Indonesian label
    programme = VillageProgrammeFactory(name="Pos Layanan Informasi Migrasi")
    # when
    html = client.get(programme.village.get_absolute_url()).content.decode()
    # then
    assert "Pos Layanan Informasi Migrasi (Pos layanan informasi migrasi)" not in html
    assert "<strong>Pos Layanan Informasi Migrasi</strong>" in html


@time_machine.travel(NOW, tick=False)
def test_outreach_events_in_english_when_written(client, make_staff, offices):
    # given
    admin = make_staff("kemenp2mi", "ministry_analyst")
    start = NOW + timedelta(days=2)
    outreach_event_create(
        actor=admin,
        office=offices["bp3mi-jatim"],
        region_code="35.04",
        title="Sosialisasi migrasi aman",
        title_en="Safe migration session",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=OutreachFormat.VILLAGE_MEETING,
    )
    # when
    english = client.get(reverse("outreach:calendar"), HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get(reverse("outreach:calendar"), HTTP_ACCEPT_LANGUAGE="id")
    # then
    assert "Safe migration session" in english.content.decode()
    assert "Sosialisasi migrasi aman" in indonesian.content.decode()
    assert "Safe migration session" not in indonesian.content.decode()
