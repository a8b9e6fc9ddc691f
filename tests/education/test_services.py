import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from education import services
from education.choices import ContentStatus
from education.models import Article, ArticleViewDay, SearchMiss
from portal.exceptions import ApplicationError
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db
S = ContentStatus


@pytest.fixture
def people(make_staff):
    return {
        "author": make_staff("kemenp2mi", "content_editor"),
        "reviewer": make_staff("kemenp2mi", "content_editor"),
        "officer": make_staff("bp3mi-jatim", "officer"),
    }


def _draft(author, **fields):
    topic = TopicFactory()
    article, _removed = services.article_save(
        actor=author,
        topic=topic,
        slug=fields.pop("slug", "panduan-baru"),
        title="Panduan baru",
        summary="Ringkasan",
        body_markdown="## Isi\n\nTeks.",
        language=fields.pop("language", "id"),
        stage="before",
        **fields,
    )
    return article


def _in_status(article, status):
    Article.objects.filter(pk=article.pk).update(status=status)
    article.refresh_from_db()
    return article


# (from, to, who, allowed): who may move what where. The author is the last editor.
WORKFLOW_TABLE = [
    (S.DRAFT, S.REVIEW, "author", True),
    (S.DRAFT, S.REVIEW, "reviewer", True),
    (S.DRAFT, S.REVIEW, "officer", False),
    (S.DRAFT, S.PUBLISHED, "reviewer", False),
    (S.DRAFT, S.ARCHIVED, "reviewer", False),
    (S.REVIEW, S.PUBLISHED, "author", False),
    (S.REVIEW, S.PUBLISHED, "reviewer", True),
    (S.REVIEW, S.PUBLISHED, "officer", False),
    (S.REVIEW, S.DRAFT, "author", True),
    (S.REVIEW, S.DRAFT, "reviewer", True),
    (S.REVIEW, S.DRAFT, "officer", False),
    (S.REVIEW, S.ARCHIVED, "reviewer", False),
    (S.PUBLISHED, S.ARCHIVED, "reviewer", True),
    (S.PUBLISHED, S.ARCHIVED, "author", True),
    (S.PUBLISHED, S.ARCHIVED, "officer", False),
    (S.PUBLISHED, S.DRAFT, "reviewer", True),
    (S.PUBLISHED, S.DRAFT, "officer", False),
    (S.PUBLISHED, S.REVIEW, "reviewer", False),
    (S.ARCHIVED, S.DRAFT, "reviewer", True),
    (S.ARCHIVED, S.PUBLISHED, "reviewer", False),
    (S.ARCHIVED, S.DRAFT, "officer", False),
]


@pytest.mark.parametrize(("source", "target", "who", "allowed"), WORKFLOW_TABLE)
def test_workflow_permissions_table(people, source, target, who, allowed):
    # given a guide last edited by "author", in status `source`
    article = _in_status(_draft(people["author"]), source)
    # when `who` moves it to `target`
    if allowed:
        moved = services.content_transition(content=article, to_status=target, actor=people[who])
        # then it moves
        assert moved.status == target
    else:
        with pytest.raises(ApplicationError):
            services.content_transition(content=article, to_status=target, actor=people[who])
        # then nothing changed
        article.refresh_from_db()
        assert article.status == source


def test_publishing_records_reviewer_dates_and_history(people):
    # given a guide in review
    article = _draft(people["author"])
    services.content_transition(content=article, to_status=S.REVIEW, actor=people["author"])
    # when another editor publishes it
    published = services.content_transition(
        content=article, to_status=S.PUBLISHED, actor=people["reviewer"]
    )
    # then reviewer, dates and every version are recorded
    assert published.reviewed_by == people["reviewer"]
    assert published.published_at is not None
    assert published.last_checked_on == timezone.localdate()
    assert [v.status for v in article.history.order_by("history_date")] == [
        S.DRAFT,
        S.REVIEW,
        S.PUBLISHED,
    ]


def test_published_guide_is_not_edited_in_place(people):
    article = _in_status(_draft(people["author"]), S.PUBLISHED)
    with pytest.raises(ApplicationError):
        services.article_save(actor=people["author"], article=article, title="Diam-diam diubah")
    article.refresh_from_db()
    assert article.title == "Panduan baru"


def test_archiving_keeps_a_published_replacement(people):
    old = _in_status(_draft(people["author"], slug="lama"), S.PUBLISHED)
    new = _in_status(_draft(people["author"], slug="baru"), S.PUBLISHED)
    archived = services.content_transition(
        content=old, to_status=S.ARCHIVED, actor=people["reviewer"], replaced_by=new
    )
    assert archived.replaced_by == new


def test_archiving_refuses_an_unpublished_replacement(people):
    old = _in_status(_draft(people["author"], slug="lama"), S.PUBLISHED)
    draft = _draft(people["author"], slug="masih-draf")
    with pytest.raises(ApplicationError):
        services.content_transition(
            content=old, to_status=S.ARCHIVED, actor=people["reviewer"], replaced_by=draft
        )


def test_save_renders_sanitised_html_and_reports_removals(people):
    article, removed = services.article_save(
        actor=people["author"],
        topic=TopicFactory(),
        slug="berbahaya",
        title="Judul",
        summary="Ringkas",
        body_markdown="## Aman\n\n<script>alert(1)</script>[x](javascript:alert(2))",
        language="id",
        stage="before",
        related_category_slugs="Unpaid wages, trafficking,trafficking",
    )
    assert "<script" not in article.body_html
    assert "javascript" not in article.body_html
    assert "<script>" in removed
    assert article.related_category_slugs == "unpaid-wages,trafficking"
    assert article.author == people["author"]


def test_slug_collision_is_refused_with_a_clear_error(people):
    _draft(people["author"], slug="sama")
    with pytest.raises(ValidationError) as error:
        _draft(people["author"], slug="sama")
    assert "slug" in error.value.message_dict
    assert Article.objects.filter(slug="sama").count() == 1


def test_second_indonesian_version_of_a_guide_is_refused(people):
    original = _draft(people["author"], slug="asli")
    with pytest.raises(ValidationError) as error:
        _draft(people["author"], slug="asli-kedua", translation_of=original)
    assert "translation_of" in error.value.message_dict
    assert not Article.objects.filter(slug="asli-kedua").exists()


def test_second_english_version_of_a_guide_is_refused(people):
    original = _draft(people["author"], slug="asli")
    _draft(people["author"], slug="english-one", translation_of=original, language="en")
    with pytest.raises(ValidationError):
        _draft(people["author"], slug="english-two", translation_of=original, language="en")


def test_oversized_body_is_refused(people):
    with pytest.raises(ValidationError) as error:
        services.article_save(
            actor=people["author"],
            topic=TopicFactory(),
            slug="besar",
            title="Besar",
            summary="s",
            body_markdown="a" * 70_000,
            language="id",
            stage="before",
        )
    assert "body_markdown" in error.value.message_dict


def test_view_counts_aggregate_per_day_without_reader_data():
    article = ArticleFactory()
    day = timezone.localdate()
    for _ in range(3):
        services.article_view_record(article_id=article.pk, day=day)
    row = ArticleViewDay.objects.get(article=article, day=day)
    assert row.views == 3
    assert {f.name for f in ArticleViewDay._meta.fields} == {"id", "article", "day", "views"}


def test_search_misses_are_counted_per_normalised_term():
    day = timezone.localdate()
    services.search_miss_record(term="  Visa   KERJA ", language="id", day=day)
    services.search_miss_record(term="visa kerja", language="id", day=day)
    assert SearchMiss.objects.get(term="visa kerja", language="id", day=day).count == 2


@pytest.mark.parametrize("source", [S.DRAFT, S.REVIEW])
def test_system_publishing_walks_the_workflow_steps(people, source):
    # given starter content, in draft or in review
    article = _in_status(_draft(people["author"]), source)

    # when the system publishes it (no reviewer account exists yet)
    published = services.content_publish_system(content=article)

    # then it is public and dated; from draft, its history shows the review step first
    article.refresh_from_db()
    assert published.status == article.status == S.PUBLISHED
    assert article.published_at is not None
    assert article.last_checked_on is not None
    assert article.reviewed_by is None
    statuses = list(article.history.order_by("history_id").values_list("status", flat=True))
    expected_steps = [S.REVIEW, S.PUBLISHED] if source == S.DRAFT else [S.PUBLISHED]
    assert statuses[-len(expected_steps) :] == expected_steps


def test_system_publishing_leaves_published_content_alone(people):
    # given a guide a reviewer published on a known day
    article = _in_status(_draft(people["author"]), S.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    article.refresh_from_db()
    versions = article.history.count()

    # when the system publishes it again
    services.content_publish_system(content=article)

    # then nothing changed, no new version
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.history.count() == versions


def test_system_publishing_refuses_archived_content(people):
    # given a guide a person archived
    article = _in_status(_draft(people["author"]), S.ARCHIVED)

    # when / then the system may not bring it back
    with pytest.raises(ApplicationError):
        services.content_publish_system(content=article)
    article.refresh_from_db()
    assert article.status == S.ARCHIVED
