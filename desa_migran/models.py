"""Desa Migran Emas: villages, what they run under each EMAS pillar, assessments, indicators and
best practices. Writes go through desa_migran.services; validation that needs only the row lives in
`clean()` so admin forms, imports and services reject the same bad input."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from desa_migran.choices import (
    PROGRAMME_PILLAR,
    Criterion,
    CriterionScore,
    IndicatorPeriod,
    PartnerKind,
    Pillar,
    ProgrammeKind,
    VillageStatus,
)
from portal.choices import RegionLevel

# Indonesia's bounding box (Sabang to Merauke, Miangas to Rote) with a small margin for
# coordinates read off a phone; anything outside is a typo such as swapped latitude/longitude.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))

# The ministry's target for the programme (2025-2029 plan).
PROGRAMME_TARGET = 400


def private_storage():
    return storages["private"]


class Village(models.Model):
    region = models.OneToOneField(
        "portal.Region",
        verbose_name=_("village (Kemendagri code)"),
        on_delete=models.PROTECT,
        related_name="desa_migran",
        limit_choices_to={"level": RegionLevel.VILLAGE},
        error_messages={"unique": _("This village already has a Desa Migran Emas profile.")},
    )
    # Denormalised from the region code when saved, so the directory filters with indexed equality.
    province = models.ForeignKey(
        "portal.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    regency = models.ForeignKey(
        "portal.Region",
        verbose_name=_("regency or city"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VillageStatus.choices,
        default=VillageStatus.CANDIDATE,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    profile = models.TextField(_("profile"), blank=True)
    profile_en = models.TextField(
        _("profile (English)"), blank=True, help_text=_("Shown to English readers; optional.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # Designation: proposed by the head of the province's BP3MI, confirmed by the ministry.
    designation_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designation proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    designation_proposed_at = models.DateTimeField(_("designation proposed"), null=True, blank=True)
    designation_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designation confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The task force's public contact: shown on the village page (members' details are internal).
    contact_name = models.CharField(_("public contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Desa Migran Emas village")
        verbose_name_plural = _("Desa Migran Emas villages")
        ordering = ["region__name"]
        indexes = [models.Index(fields=["province", "status"], name="village_province_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.region_id and not self.province_id:
            parts = self.region_id.split(".")
            self.province_id = parts[0]
            self.regency_id = ".".join(parts[:2])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("desa_migran:village", args=[self.region_id])

    @property
    def name(self) -> str:
        return self.region.name if self.region_id else ""

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.region_id:
            parts = self.region_id.split(".")
            if len(parts) != RegionLevel.VILLAGE:
                errors["region"] = [
                    _("%(code)s is not a village code (level 4, e.g. 33.02.01.2001).")
                    % {"code": self.region_id}
                ]
            else:
                self.province_id = parts[0]
                self.regency_id = ".".join(parts[:2])
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("latitude", []).append(_("Give both latitude and longitude."))
        if self.latitude is not None and not (
            LATITUDE_RANGE[0] <= self.latitude <= LATITUDE_RANGE[1]
        ):
            errors.setdefault("latitude", []).append(
                _("The latitude lies outside Indonesia (between -11.5 and 6.5).")
            )
        if self.longitude is not None and not (
            LONGITUDE_RANGE[0] <= self.longitude <= LONGITUDE_RANGE[1]
        ):
            errors.setdefault("longitude", []).append(
                _("The longitude lies outside Indonesia (between 94.5 and 141.5).")
            )
        if errors:
            raise ValidationError(errors)


class VillageStatusChange(models.Model):
    """The village's timeline: every status change, who made it, when and why."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=VillageStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=VillageStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.village} · {self.from_status or '-'} → {self.to_status}"


class VillageProgramme(models.Model):
    """Something the village runs under one EMAS pillar (the pillar follows from the kind)."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="programmes"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ProgrammeKind.choices)
    pillar = models.CharField(
        _("pillar"), max_length=20, choices=Pillar.choices, editable=False, db_index=True
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("what it does"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=120,
        blank=True,
        help_text=_("For a service post, e.g. Monday to Friday 08:00-15:00."),
    )
    services = models.TextField(_("services offered"), blank=True)
    reference = models.CharField(
        _("legal reference"),
        max_length=120,
        blank=True,
        help_text=_("Decree or regulation number, e.g. Perdes No. 3 Tahun 2024."),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["pillar", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pillar = PROGRAMME_PILLAR[self.kind]
        super().save(*args, **kwargs)

    @property
    def kind_differs_from_name(self) -> bool:
        """False when the name only repeats the kind ("Pos Layanan Informasi Migrasi (Pos
        layanan informasi migrasi)"): pages then show the name alone."""
        from django.utils import translation

        name = " ".join(self.name.split()).casefold()
        for language in ("id", "en"):
            with translation.override(language):
                if str(self.get_kind_display()).casefold() in (name, name.rstrip(".")):
                    return False
        return True


class TaskForceMember(models.Model):
    """A member of the village task force. Internal: never on public pages or the API."""

    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="task_force_members",
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VillagePartner(models.Model):
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    contribution = models.CharField(_("contribution"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VillagePhoto(models.Model):
    """A photo re-encoded without metadata, kept in private storage and served by a view."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("image"), storage=private_storage, upload_to="villages/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption


class VillageAssessment(models.Model):
    """One assessment against the programme's checklist; `score` is a percentage."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(
        _("score (%)"), validators=[MaxValueValidator(100)], editable=False
    )
    passed = models.BooleanField(_("passed"), editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        get_latest_by = ["assessed_on", "id"]

    def __str__(self) -> str:
        return f"{self.village} · {self.assessed_on} · {self.score}%"


class VillageAssessmentItem(models.Model):
    assessment = models.ForeignKey(
        VillageAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=CriterionScore.choices)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="assessment_item_unique_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_score_display()}"


# The figures of a village's indicator row, in the order the admin, the API, the import file and
# the save service list them.
INDICATOR_FIGURES: tuple[str, ...] = (
    "workers_abroad",
    "workers_by_country",
    "procedural_share",
    "returnees",
    "trained",
    "returnee_businesses",
    "remittances_idr",
)


class VillageIndicator(models.Model):
    """Figures of one village for one year or half-year; every version is kept (history)."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.CharField(
        _("period"), max_length=4, choices=IndicatorPeriod.choices, default=IndicatorPeriod.YEAR
    )
    workers_abroad = models.PositiveIntegerField(_("workers abroad"))
    workers_by_country = models.JSONField(
        _("workers abroad by destination country"),
        default=dict,
        blank=True,
        help_text=_('ISO country code → workers, e.g. {"MY": 120, "TW": 45}.'),
    )
    procedural_share = models.DecimalField(
        _("left through the procedure (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    returnees = models.PositiveIntegerField(_("returnees"), default=0)
    trained = models.PositiveIntegerField(_("people trained"), default=0)
    returnee_businesses = models.PositiveIntegerField(_("returnee businesses"), default=0)
    remittances_idr = models.PositiveBigIntegerField(_("remittances (IDR)"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "period"], name="indicator_unique_village_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.year} · {self.get_period_display()}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        by_country = self.workers_by_country or {}
        if not isinstance(by_country, dict):
            errors["workers_by_country"] = [_("Give country codes and numbers of workers.")]
        else:
            for code, count in by_country.items():
                if code not in dict(countries):
                    errors.setdefault("workers_by_country", []).append(
                        _("%(code)s is not an ISO 3166-1 country code.") % {"code": code}
                    )
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    errors.setdefault("workers_by_country", []).append(
                        _("The number of workers for %(code)s must be a whole number, 0 or more.")
                        % {"code": code}
                    )
            if (
                "workers_by_country" not in errors
                and self.workers_abroad is not None
                and sum(by_country.values()) > self.workers_abroad
            ):
                errors["workers_by_country"] = [
                    _("The countries add up to more than the workers abroad (%(total)s).")
                    % {"total": self.workers_abroad}
                ]
        population = self.village.population if self.village_id else None
        if population is not None:
            for field in ("workers_abroad", "returnees", "trained"):
                value = getattr(self, field)
                if value is not None and value > population:
                    errors.setdefault(field, []).append(
                        _("More than the village's population (%(population)s).")
                        % {"population": population}
                    )
        if errors:
            raise ValidationError(errors)


class VillageActivity(models.Model):
    """A best practice: what was done and what came of it, for other villages to copy."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what was done"))
    outcome = models.TextField(_("what came of it"), blank=True)
    # English versions for English readers; empty ones show the Indonesian text, marked as such.
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_en = models.TextField(_("what was done (English)"), blank=True)
    outcome_en = models.TextField(_("what came of it (English)"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown in the public best-practice library.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity (best practice)")
        verbose_name_plural = _("activities (best practices)")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title
