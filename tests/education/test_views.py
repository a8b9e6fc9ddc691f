import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from education.choices import ContentStatus
from education.models import ArticleViewDay, SearchMiss
from tests.education.factories import (
    ArticleFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    FaqEntryFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
S = ContentStatus


@pytest.fixture
def topic():
    return TopicFactory(slug="uji-topik", name_id="Topik uji", name_en="Test topic")


@pytest.mark.parametrize("status", [S.DRAFT, S.REVIEW])
def test_unpublished_guides_are_not_public_anywhere(client, topic, status):
    # given a guide that is not published, with a unique word
    hidden = ArticleFactory(
        topic=topic, status=status, title="Rahasia zebrakuda", slug="rahasia-zebrakuda"
    )
    ArticleFactory(topic=topic, title="Terbit biasa")
    # when the public looks for it on every public surface
    # then it is nowhere
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert b"zebrakuda" not in client.get("/panduan/").content
    assert b"zebrakuda" not in client.get(topic.get_absolute_url()).content
    assert (
        b"zebrakuda"
        not in client.get("/panduan/cari/", {"q": "zebrakuda"})
        .content.split(b'name="q"')[-1]
        .split(b"</form>")[-1]
    )
    assert b"rahasia-zebrakuda" not in client.get("/panduan/sitemap.xml").content
    assert b"zebrakuda" not in client.get("/api/v1/education/articles/").content
    assert client.get("/api/v1/education/articles/rahasia-zebrakuda/").status_code == 404


def test_published_guide_page_has_anchors_related_guides_and_translation(client, topic):
    # given a published guide with an English version and a related guide
    guide = ArticleFactory(
        topic=topic,
        slug="panduan-panjang",
        body_markdown="## Satu\n\na\n\n## Dua\n\nb\n\n## Tiga\n\nc",
    )
    ArticleFactory(topic=topic, slug="english", language="en", translation_of=guide)
    related = ArticleFactory(topic=topic, slug="terkait", title="Panduan terkait")
    # when it is read
    response = client.get(guide.get_absolute_url())
    # then sections have anchors and a table of contents, related guides and the translation
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="h-satu"' in html
    assert 'href="#h-tiga"' in html
    assert related.get_absolute_url() in html
    assert "/panduan/english/" in html
    # and the read is counted for today, without any reader data
    assert ArticleViewDay.objects.get(article=guide, day=timezone.localdate()).views == 1


def test_archived_guide_answers_410_with_its_replacement(client, topic):
    replacement = ArticleFactory(topic=topic, slug="baru", title="Panduan yang baru")
    old = ArticleFactory(topic=topic, slug="lama", status=S.ARCHIVED, replaced_by=replacement)
    response = client.get(old.get_absolute_url())
    assert response.status_code == 410
    assert replacement.get_absolute_url() in response.content.decode()


def test_search_without_results_is_counted_for_editors(client):
    response = client.get("/panduan/cari/", {"q": "Qwzx Tidakada"})
    assert response.status_code == 200
    assert SearchMiss.objects.get(term="qwzx tidakada", language="id").count == 1


@pytest.mark.parametrize("query", ["x" * 5000, "' OR 1=1 --", "<script>"])
def test_hostile_search_input_answers_normally(client, query):
    response = client.get("/panduan/cari/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</form>")[-1]


@pytest.mark.parametrize("query", ["\x00", "a\x00b"])
def test_a_nul_in_the_search_is_refused_with_a_readable_page(client, query):
    # NUL never reaches a query (PostgreSQL cannot compare it): the page says why, in Indonesian
    response = client.get("/panduan/cari/", {"q": query})
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.content.decode()


def test_country_page_gathers_guides_and_faq(client, topic):
    ArticleFactory(topic=topic, country="TW", title="Bekerja di Taiwan")
    FaqEntryFactory(country="TW", question="Siapa yang bisa dihubungi di Taiwan?")
    ArticleFactory(topic=topic, country="MY", title="Bekerja di Malaysia")
    html = client.get("/panduan/negara/tw/").content.decode()
    assert "Bekerja di Taiwan" in html
    assert "Siapa yang bisa dihubungi di Taiwan?" in html
    assert "Bekerja di Malaysia" not in html


def test_unknown_country_is_404(client):
    assert client.get("/panduan/negara/ZZ/").status_code == 404


def test_checklist_reads_without_javascript(client):
    checklist = ChecklistFactory(slug="dokumen")
    ChecklistItemFactory(checklist=checklist, key="paspor", text="Paspor")
    html = client.get(checklist.get_absolute_url()).content.decode()
    assert 'data-checklist="dokumen"' in html
    assert '<label class="form-check-label" for="c-paspor">Paspor' in html


def test_pages_have_no_inline_script_or_style(client, topic):
    guide = ArticleFactory(topic=topic)
    for url in ["/panduan/", guide.get_absolute_url(), "/panduan/cari/?q=uji", "/panduan/luring/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url


def test_service_worker_is_served_from_the_guides_scope(client):
    response = client.get("/panduan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/panduan/luring/" in response.content.decode()


# Budget: a guide page transfers at most 60 KB in all, without images.
PAGE_BUDGET_BYTES = 60 * 1024


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_article_page_weight_is_under_60_kb_compressed(client):
    # given the longest starter guide (loaded by migration 0003)
    from education.models import Article

    guide = max(
        Article.objects.filter(status=S.PUBLISHED), key=lambda article: len(article.body_html)
    )
    # when the page and everything it loads is counted, compressed as WhiteNoise/gzip serve it
    html = client.get(guide.get_absolute_url()).content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    total = _gzip_size(html)
    for asset in assets:
        path = finders.find(asset.decode().removeprefix(settings.STATIC_URL))
        assert path, asset
        total += _gzip_size(Path(path).read_bytes())
    # then it fits the budget
    assert len(assets) >= 3
    assert total <= PAGE_BUDGET_BYTES, f"{total} bytes"


@pytest.mark.parametrize(
    "url",
    [
        "/panduan/",
        "/panduan/topik/uji-topik/",
        "/panduan/negara/MY/",
        "/api/v1/education/articles/",
    ],
)
def test_list_pages_run_a_constant_number_of_queries(client, topic, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # given a few guides, then many more
    ArticleFactory.create_batch(2, topic=topic, country="MY")
    few = count_queries()
    ArticleFactory.create_batch(15, topic=topic, country="MY")
    # then the page asks the database the same number of times (no N+1)
    assert count_queries() == few
