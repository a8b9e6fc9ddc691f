from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import OfficeKind, RegionLevel, Role, SweepRunOutcome, TokenScope


class Region(models.Model):
    """A Kemendagri region (Kepmendagri 300.2.2-2138/2025), keyed by its dotted code."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this region: "35.04.01" → ["35", "35.04", "35.04.01"]."""
        return region_ancestor_codes(self.code)


def region_ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class Office(models.Model):
    """The ministry, a BP3MI provincial office or a P4MI post; posts sit under a BP3MI."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=OfficeKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions covered"),
        blank=True,
        related_name="offices",
        help_text=_("Complaints from these regions (and the regions inside them) come here."),
    )
    notification_email = models.EmailField(_("notification e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff user's role in an office; every scope in the portal derives from these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.office}"


class StaffApiToken(models.Model):
    """A staff member's key to the staff API, issued by themselves from a session that passed the
    second factor (portal.services.staff_token_issue). Only the key's SHA-256 is stored: the key
    is shown once. It expires (STAFF_API_TOKEN_DAYS), reads only or also writes (scope), and an
    administrator or its owner revokes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="staff_api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("staff API token")
        verbose_name_plural = _("staff API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class SweepRun(models.Model):
    """One start of a periodic sweep on some node (portal.sweep_runs): whether it ran or found
    another run holding the sweep's lock and skipped, and when it held the lock. Both times come
    from the database clock, one clock for every node, so the rows prove that no two runs of a
    sweep overlapped."""

    sweep = models.CharField(_("sweep"), max_length=40)
    node = models.CharField(_("node"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=SweepRunOutcome.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["sweep", "started_at"], name="sweep_run_sweep_started")]

    def __str__(self) -> str:
        return f"{self.sweep} {self.started_at:%Y-%m-%d %H:%M:%S} {self.node} ({self.outcome})"


# Help contacts abroad live in portal/help_contacts/; imported so Django registers them.
from portal.help_contacts.models import HelpContact  # noqa: E402, F401
