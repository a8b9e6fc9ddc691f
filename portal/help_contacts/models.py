from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class HelpContactKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy (KBRI)")
    CONSULATE = "consulate", _("Consulate (KJRI)")
    TRADE_OFFICE = "trade_office", _("Indonesian Economic and Trade Office (KDEI)")
    HOTLINE = "hotline", _("Ministry hotline")


class HelpContact(models.Model):
    """A place to call in a destination country; the ministry keeps the figures current in admin.
    An empty country means everywhere (the ministry's own hotline)."""

    country = CountryField(_("country"), blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=HelpContactKind.choices)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("E.164 or a short local number.")
    )
    whatsapp = models.CharField(_("WhatsApp (E.164)"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    hours = models.CharField(_("opening hours (local time)"), max_length=120, blank=True)
    last_checked = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("Empty: the figures still have to be checked against the official page."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        app_label = "portal"
        verbose_name = _("help contact abroad")
        verbose_name_plural = _("help contacts abroad")
        ordering = ["country", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    @property
    def whatsapp_href(self) -> str:
        digits = "".join(ch for ch in self.whatsapp if ch.isdigit())
        return f"https://wa.me/{digits}" if digits else ""
