"""Safe-migration content: topics, guides (articles), FAQ entries and checklists.

Guides, FAQ entries and checklists share one publishing workflow (services.content_transition):
draft → in review → published → archived. Each exists in Indonesian; an English version points
at its Indonesian original through `translation_of`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from education.choices import ContentLanguage, ContentStatus, LifeStage
from education.sanitize import MAX_MARKDOWN_CHARS


def check_translation(content: PublishableContent) -> None:
    """An English version links to its Indonesian original; never a second version of a language."""
    original = content.translation_of
    if original is None:
        return
    if original.pk and original.pk == content.pk:
        raise ValidationError({"translation_of": _("A version cannot translate itself.")})
    if content.language == original.language:
        raise ValidationError(
            {
                "translation_of": _(
                    "This would be a second version in %(language)s of the same content; "
                    "edit the existing version instead."
                )
                % {"language": content.get_language_display()}
            }
        )
    if original.translation_of_id is not None:
        raise ValidationError(
            {"translation_of": _("Link to the original Indonesian version, not to a translation.")}
        )


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_id = models.CharField(_("description (Indonesian)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:topic", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def description(self) -> str:
        en = (get_language() or "id").startswith("en")
        return self.description_en if en else self.description_id


class PublishableContent(models.Model):
    """Fields of the publishing workflow, shared by guides, FAQ entries and checklists."""

    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, default="id"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContentStatus.choices,
        default=ContentStatus.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    last_checked_on = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When a reviewer last confirmed that the legal advice is still accurate."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        check_translation(self)

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Article(PublishableContent):
    """A guide. The body is Markdown; `body_html` is its sanitised rendering (services only)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles"
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("Another guide already uses this web address (slug).")},
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_markdown = models.TextField(
        _("body (Markdown)"),
        validators=[MaxLengthValidator(MAX_MARKDOWN_CHARS)],
        help_text=_("Use ## for section headings. Scripts, frames and unsafe links are removed."),
    )
    body_html = models.TextField(_("body (rendered)"), blank=True, editable=False)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("English version of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": ContentLanguage.INDONESIAN},
        help_text=_("For an English guide: the Indonesian guide it translates."),
    )
    stage = models.CharField(_("life stage"), max_length=10, choices=LifeStage.choices)
    country = CountryField(
        _("destination country"),
        blank=True,
        help_text=_("Only when the guide is country-specific."),
    )
    related_category_slugs = models.CharField(
        _("related complaint categories"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated complaint category slugs (e.g. unpaid-wages, trafficking) for which "
            "the complaint form offers this guide."
        ),
    )
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Laws, regulations and official pages cited.")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For an archived guide: where readers are sent instead."),
    )
    # Filled by services.article_search_index_refresh on PostgreSQL; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector", "body_html"])

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["topic__position", "title"]
        permissions = [("publish_article", _("Can review, publish and archive guides"))]
        indexes = [models.Index(fields=["language", "status", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="article_one_version_per_language",
                violation_error_message=_("This guide already has a version in that language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:article", kwargs={"slug": self.slug})

    @property
    def category_slugs(self) -> list[str]:
        return [s for s in self.related_category_slugs.split(",") if s]


class FaqEntry(PublishableContent):
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="faq_entries",
        null=True,
        blank=True,
    )
    question = models.CharField(_("question"), max_length=300)
    answer_markdown = models.TextField(
        _("answer (Markdown)"), validators=[MaxLengthValidator(MAX_MARKDOWN_CHARS)]
    )
    answer_html = models.TextField(_("answer (rendered)"), blank=True, editable=False)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("English version of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": ContentLanguage.INDONESIAN},
    )
    country = CountryField(_("destination country"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(excluded_fields=["answer_html"])

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "id"]
        permissions = [("publish_faqentry", _("Can review, publish and archive FAQ entries"))]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="faqentry_one_version_per_language",
                violation_error_message=_("This entry already has a version in that language."),
            ),
        ]

    def __str__(self) -> str:
        return self.question


class Checklist(PublishableContent):
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        error_messages={"unique": _("Another checklist already uses this web address (slug).")},
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="checklists",
        null=True,
        blank=True,
    )
    stage = models.CharField(_("life stage"), max_length=10, choices=LifeStage.choices)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("English version of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": ContentLanguage.INDONESIAN},
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["title"]
        permissions = [("publish_checklist", _("Can review, publish and archive checklists"))]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="checklist_one_version_per_language",
                violation_error_message=_("This checklist already has a version in that language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:checklist", kwargs={"slug": self.slug})


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    # Stable key for the reader's ticks in localStorage: editing the text keeps the tick.
    key = models.SlugField(_("key"), max_length=60)
    text = models.CharField(_("item"), max_length=300)
    hint = models.CharField(_("hint"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "key"], name="checklistitem_unique_key")
        ]

    def __str__(self) -> str:
        return self.text


class ArticleViewDay(models.Model):
    """Reads of one guide on one day: a counter, never a record of who read it."""

    article = models.ForeignKey(
        Article, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="view_days"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("guide reads per day")
        verbose_name_plural = _("guide reads per day")
        ordering = ["-day", "-views"]
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="articleviewday_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"


class SearchMiss(models.Model):
    """A search that found nothing, counted per normalised term, language and day."""

    term = models.CharField(_("search term"), max_length=100)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        ordering = ["-day", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "language", "day"], name="searchmiss_unique_term_day"
            )
        ]

    def __str__(self) -> str:
        return self.term


class GuideImage(models.Model):
    """An illustration for guides, stored only as WebP variants sized for phones.

    Guides embed it with `![alt](gambar:<slug>)`; the page offers every width in `srcset` so a
    360 px phone downloads the 360 px file. The upload itself is not kept (no camera metadata).
    """

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Another image already uses this name (slug).")},
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=200,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    widths = models.CharField(_("stored widths"), max_length=40, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("guide image")
        verbose_name_plural = _("guide images")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def width_list(self) -> list[int]:
        return [int(width) for width in self.widths.split(",") if width]


# --- Outreach (sosialisasi) and staff learning ---------------------------------------------------
# Written only through education.outreach.services and education.learning.services.


class OutreachFormat(models.TextChoices):
    VILLAGE_MEETING = "village_meeting", _("Village meeting")
    SCHOOL = "school", _("School")
    RADIO = "radio", _("Radio")
    SOCIAL_MEDIA = "social_media", _("Social media")
    JOB_FAIR = "job_fair", _("Job fair")


class OutreachEvent(models.Model):
    """A BP3MI office's outreach event on safe migration: where, with whom, for how many people."""

    office = models.ForeignKey(
        "portal.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    region = models.ForeignKey(
        "portal.Region",
        verbose_name=_("place (Kemendagri region)"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
        help_text=_("Regency, district or village code, e.g. 35.04 or 35.04.01.2001."),
    )
    # Denormalised from the region code when saved: the public calendar filters by province.
    province = models.ForeignKey(
        "portal.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    village = models.ForeignKey(
        "desa_migran.Village",
        verbose_name=_("Desa Migran Emas village"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_events",
    )
    format = models.CharField(_("format"), max_length=20, choices=OutreachFormat.choices)
    partners = models.CharField(
        _("partners"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the regency's manpower office, the village, a school."),
    )
    description = models.TextField(_("description"), blank=True)
    # English versions for English readers; empty ones show the Indonesian text, marked as such.
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    audience_women = models.PositiveIntegerField(_("audience: women"), default=0)
    audience_men = models.PositiveIntegerField(_("audience: men"), default=0)
    topics = models.ManyToManyField(
        Article, verbose_name=_("guides used"), blank=True, related_name="outreach_events"
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    is_public = models.BooleanField(
        _("show in the public calendar"), default=True, help_text=_("Invite the public to attend.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["office", "starts_at"], name="outreach_office_start"),
            models.Index(fields=["province", "ends_at"], name="outreach_province_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="outreach_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.region_id:
            self.province_id = self.region_id.split(".")[0]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = [_("The event cannot end before it starts.")]
        if self.region_id:
            self.province_id = self.region_id.split(".")[0]
        if self.village_id and self.region_id:
            village_code = self.village.region_id
            if not (village_code + ".").startswith(self.region_id + "."):
                errors["village"] = [
                    _("The village %(village)s is not inside the place %(region)s.")
                    % {"village": village_code, "region": self.region_id}
                ]
        if errors:
            raise ValidationError(errors)

    @property
    def audience_total(self) -> int:
        return (self.audience_women or 0) + (self.audience_men or 0)


class StaffGuide(models.Model):
    """A guide for staff only (regulations, procedures, talking with workers): never public."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body_markdown = models.TextField(
        _("body (Markdown)"), validators=[MaxLengthValidator(MAX_MARKDOWN_CHARS)]
    )
    body_html = models.TextField(_("body (rendered)"), blank=True, editable=False)
    sources = models.TextField(_("sources"), help_text=_("Laws, regulations and pages cited."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Four eyes, as for public guides: whoever edited the text last cannot publish it
    # (education.learning.services.staff_guide_publish).
    is_published = models.BooleanField(_("published"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed and published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("staff guide")
        verbose_name_plural = _("staff guides")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("staff_learning:detail", kwargs={"slug": self.slug})


class StudyRecord(models.Model):
    """A staff member marked a staff guide as studied."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="study_records",
    )
    guide = models.ForeignKey(
        StaffGuide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="study_records"
    )
    studied_at = models.DateTimeField(_("studied"))

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        constraints = [
            models.UniqueConstraint(fields=["user", "guide"], name="studyrecord_once_per_guide")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.guide_id}"


def _outreach_photo_storage():
    from django.core.files.storage import storages

    return storages["private"]


class OutreachPhoto(models.Model):
    """A photo of an outreach event, re-encoded without metadata and kept private: attendees'
    faces are not published; staff of the office (and the ministry) open it through a view."""

    event = models.ForeignKey(
        OutreachEvent,
        verbose_name=_("outreach event"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(
        _("photo"), storage=_outreach_photo_storage, upload_to="outreach/%Y/%m/"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("outreach photo")
        verbose_name_plural = _("outreach photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
