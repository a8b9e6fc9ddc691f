"""Demo data of the education app: starter content, one guide in review and a second editor
(`peninjau`) who can review and publish it."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from education.choices import ContentStatus
from education.content.loader import load_starter_content
from education.models import Article, Topic
from education.services import article_save, content_transition
from portal.choices import Role
from portal.models import Office
from portal.services import membership_grant, staff_user_ensure

REVIEW_SLUG = "contoh-panduan-menunggu-tinjauan"


def seed(context) -> None:
    created = load_starter_content()
    context.stdout.write(
        "education: {articles} guides, {faq} FAQ entries, {checklists} checklists created\n".format(
            **created
        )
    )
    # A second content editor: publishing needs a reviewer other than the guide's last editor.
    ministry = Office.objects.filter(code="kemenp2mi").first()
    if ministry is not None:
        reviewer = staff_user_ensure(
            username="peninjau",
            password=context.password,
            full_name="Peninjau Konten",
            email="peninjau@demo.invalid",
        )
        membership_grant(user=reviewer, office=ministry, role=Role.CONTENT_EDITOR)
    editor = get_user_model().objects.filter(username="editor").first()
    if editor is None or Article.objects.filter(slug=REVIEW_SLUG).exists():
        return
    # One draft in review, so a reviewer (another user than `editor`) can try the workflow.
    article, _removed = article_save(
        actor=editor,
        topic=Topic.objects.get(slug="jalur-resmi"),
        slug=REVIEW_SLUG,
        title="Contoh: panduan yang menunggu tinjauan",
        summary="Draf contoh untuk mencoba alur tinjauan dan penerbitan.",
        body_markdown="## Contoh\n\nPanduan ini belum terbit dan tidak tampil untuk publik.",
        language="id",
        stage="before",
    )
    content_transition(content=article, to_status=ContentStatus.REVIEW, actor=editor)
