from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the ministry")
    CLOSED = "closed", _("Closed")


class ReportActor(models.TextChoices):
    """Who may move a report along an edge of the workflow."""

    HEAD = "head", _("Head of the office")
    MINISTRY = "ministry", _("Ministry analyst")
