import factory

from education.choices import ContentStatus, LifeStage
from education.models import Article, Checklist, ChecklistItem, FaqEntry, Topic
from education.sanitize import render_markdown


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topik-{n}")
    name_id = factory.Sequence(lambda n: f"Topik {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"panduan-uji-{n}")
    title = factory.Sequence(lambda n: f"Panduan uji {n}")
    summary = "Ringkasan panduan uji."
    body_markdown = "## Bagian satu\n\nIsi panduan.\n\n## Bagian dua\n\nIsi lain."
    body_html = factory.LazyAttribute(lambda article: render_markdown(article.body_markdown).html)
    language = "id"
    stage = LifeStage.BEFORE
    status = ContentStatus.PUBLISHED
    published_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Pertanyaan {n}?")
    answer_markdown = "Jawaban."
    answer_html = "<p>Jawaban.</p>"
    language = "id"
    status = ContentStatus.PUBLISHED


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    slug = factory.Sequence(lambda n: f"daftar-{n}")
    title = factory.Sequence(lambda n: f"Daftar periksa {n}")
    language = "id"
    stage = LifeStage.BEFORE
    status = ContentStatus.PUBLISHED


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(ChecklistFactory)
    key = factory.Sequence(lambda n: f"item-{n}")
    text = factory.Sequence(lambda n: f"Butir {n}")
    position = factory.Sequence(lambda n: n)
