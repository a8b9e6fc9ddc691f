from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency or city")
    DISTRICT = 3, _("District")
    VILLAGE = 4, _("Village")


class OfficeKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry (KemenP2MI)")
    BP3MI = "bp3mi", _("BP3MI (provincial office)")
    POST = "post", _("P4MI (service post)")


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    HEAD = "head", _("Head of office")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    CONTENT_EDITOR = "content_editor", _("Content editor")


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class SweepRunOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped: another run held the lock")
    ABANDONED = "abandoned", _("Abandoned: its process died")
    LOCK_LOST = "lock_lost", _("Finished, but lost its lock on the way")
