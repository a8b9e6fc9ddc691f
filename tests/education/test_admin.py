import pytest
from django.urls import reverse

from education.choices import ContentStatus
from education.models import Article
from tests.complaints.triage_support import staff_client
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db
S = ContentStatus


@pytest.fixture
def editor(make_staff):
    return make_staff("kemenp2mi", "content_editor")


@pytest.fixture
def reviewer(make_staff):
    return make_staff("kemenp2mi", "content_editor")


def _login(client, user):
    # Staff are past the second factor (django-otp) like the triage tests' clients.
    return staff_client(user)


def _form(topic, **overrides):
    data = {
        "title": "Panduan dari admin",
        "slug": "panduan-dari-admin",
        "language": "id",
        "topic": topic.pk,
        "stage": "before",
        "summary": "Ringkas",
        "body_markdown": "## Bagian\n\nTeks <script>alert(1)</script>",
        "sources": "UU 18/2017",
        "related_category_slugs": "trafficking",
        "country": "",
        "translation_of": "",
    }
    return {**data, **overrides}


def test_editor_creates_a_draft_and_is_told_what_was_removed(client, editor):
    # given a content editor in the admin
    client = _login(client, editor)
    topic = TopicFactory()
    # when they save a guide with a script in it
    response = client.post(reverse("admin:education_article_add"), _form(topic), follow=True)
    # then it is stored as their draft, sanitised, with a warning naming what was removed
    article = Article.objects.get(slug="panduan-dari-admin")
    assert article.status == S.DRAFT
    assert article.author == editor
    assert "<script" not in article.body_html
    assert "&lt;script&gt;" in response.content.decode()


def test_slug_collision_shows_a_form_error(client, editor):
    client = _login(client, editor)
    topic = TopicFactory()
    ArticleFactory(slug="panduan-dari-admin")
    response = client.post(reverse("admin:education_article_add"), _form(topic))
    assert response.status_code == 200
    # Indonesian is the default language of the admin too.
    assert "Panduan lain sudah memakai alamat web (slug) ini." in response.content.decode()


def test_editor_cannot_publish_own_guide_but_reviewer_can(client, editor, reviewer):
    article = ArticleFactory(status=S.REVIEW, author=editor)
    url = reverse("admin:education_article_workflow", args=[article.pk])
    # the workflow page offers the moves of the current status and lists the versions
    page = _login(client, reviewer).get(url)
    assert page.status_code == 200
    assert 'value="published"' in page.content.decode()
    # the author tries
    client = _login(client, editor)
    client.post(url, {"to_status": S.PUBLISHED})
    article.refresh_from_db()
    assert article.status == S.REVIEW
    # another editor reviews and publishes
    client = _login(client, reviewer)
    client.post(url, {"to_status": S.PUBLISHED})
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.reviewed_by == reviewer


def test_published_guide_is_read_only_in_admin(client, editor):
    article = ArticleFactory(status=S.PUBLISHED, title="Judul terbit")
    client = _login(client, editor)
    url = reverse("admin:education_article_change", args=[article.pk])
    client.post(url, _form(article.topic, title="Diubah", slug=article.slug))
    article.refresh_from_db()
    assert article.title == "Judul terbit"


def test_preview_renders_a_draft_for_staff_only(client, editor):
    article = ArticleFactory(status=S.DRAFT, title="Draf rahasia")
    url = reverse("admin:education_article_preview", args=[article.pk])
    assert client.get(url).status_code == 302  # to the login page
    client = _login(client, editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Draf rahasia" in response.content.decode()


def test_officer_without_education_rights_cannot_open_workflow(client, make_staff):
    officer = make_staff("bp3mi-jatim", "officer")
    article = ArticleFactory(status=S.REVIEW)
    client = _login(client, officer)
    client.post(
        reverse("admin:education_article_workflow", args=[article.pk]),
        {"to_status": S.PUBLISHED},
    )
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_statistics_show_most_read_and_missed_searches(client, editor):
    from education.services import article_view_record, search_miss_record

    article = ArticleFactory(title="Paling dibaca")
    article_view_record(article_id=article.pk)
    search_miss_record(term="visa pelaut", language="id")
    client = _login(client, editor)
    html = client.get(reverse("admin:education_article_statistics")).content.decode()
    assert "Paling dibaca" in html
    assert "visa pelaut" in html


@pytest.mark.parametrize("model", ["article", "faqentry", "checklist"])
def test_admin_pages_of_each_content_type_render(client, reviewer, model):
    from tests.education.factories import ChecklistFactory, FaqEntryFactory

    factory = {
        "article": ArticleFactory,
        "faqentry": FaqEntryFactory,
        "checklist": ChecklistFactory,
    }
    obj = factory[model](status=S.DRAFT)
    client = _login(client, reviewer)
    for view in ["changelist", "add"]:
        assert client.get(reverse(f"admin:education_{model}_{view}")).status_code == 200
    for view in ["change", "workflow", "preview", "history"]:
        url = reverse(f"admin:education_{model}_{view}", args=[obj.pk])
        assert client.get(url).status_code == 200, url
