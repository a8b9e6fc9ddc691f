import io

import pytest

from education import demo
from education.choices import ContentStatus
from education.models import Article, Checklist, FaqEntry
from portal.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_starter_content_is_complete_and_linked():
    # given the starter content loaded by migration 0003
    published = Article.objects.filter(status=ContentStatus.PUBLISHED)
    # then at least 12 guides exist in Indonesian, each with its English version, citing sources
    originals = published.filter(language="id", translation_of=None)
    assert originals.count() >= 12
    for guide in originals:
        assert guide.translations.filter(language="en", status=ContentStatus.PUBLISHED).exists()
        assert guide.sources
    assert FaqEntry.objects.filter(language="id", status=ContentStatus.PUBLISHED).count() >= 20
    assert Checklist.objects.filter(language="id", status=ContentStatus.PUBLISHED).count() >= 2
    # and every main destination has a country guide
    assert {"MY", "SA", "TW", "HK", "SG", "KR", "JP"} <= set(
        published.exclude(country="").values_list("country", flat=True)
    )


def test_demo_seed_is_idempotent_and_leaves_a_guide_for_review(make_staff):
    # given the demo editor exists (portal.demo creates it before education.demo runs)
    make_staff("kemenp2mi", "content_editor", username="editor")
    context = DemoContext(
        password="x-demo-pass", password_generated=False, complaints=0, stdout=io.StringIO()
    )
    # when seeding twice
    demo.seed(context)
    count = Article.objects.count()
    demo.seed(context)
    # then nothing is duplicated and one guide waits for a reviewer other than its editor
    assert Article.objects.count() == count
    waiting = Article.objects.get(slug=demo.REVIEW_SLUG)
    assert waiting.status == ContentStatus.REVIEW
    assert waiting.author.username == "editor"
