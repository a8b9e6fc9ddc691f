from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class LifeStage(models.TextChoices):
    BEFORE = "before", _("Before departure")
    ABROAD = "abroad", _("While abroad")
    RETURNING = "returning", _("Returning home")


class ContentLanguage(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")


# PostgreSQL text-search configuration per content language (both ship with PostgreSQL).
SEARCH_CONFIGS: dict[str, str] = {
    ContentLanguage.INDONESIAN: "indonesian",
    ContentLanguage.ENGLISH: "english",
}
