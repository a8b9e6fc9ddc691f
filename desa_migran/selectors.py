"""Reads of Desa Migran Emas: the public directory, the staff scope, programme totals.

Staff scope: a village is in a user's scope when its Kemendagri code lies under a region covered by
an office the user may see (portal.selectors.office_list_visible_to); ministry members see all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from desa_migran.choices import Pillar, VillageStatus
from desa_migran.models import (
    PROGRAMME_TARGET,
    Village,
    VillageActivity,
    VillageIndicator,
    VillageProgramme,
)
from portal.models import Region
from portal.selectors import office_list_visible_to, user_has_national_scope

User = AbstractBaseUser | AnonymousUser

# Statuses the public sees: a withdrawn village leaves the directory but keeps its history.
PUBLIC_STATUSES = (VillageStatus.CANDIDATE, VillageStatus.ASSESSED, VillageStatus.DESA_MIGRAN_EMAS)


# --- staff scope ------------------------------------------------------------------------------


def region_codes_in_scope(*, user: User) -> list[str] | None:
    """Region codes covered by the offices the user may see; None means every region."""
    if user_has_national_scope(user=user):
        return None
    return sorted(
        set(
            Region.objects.filter(offices__in=office_list_visible_to(user=user)).values_list(
                "code", flat=True
            )
        )
    )


def _under_codes(codes: list[str], field: str) -> Q:
    # "35" covers "35.04.01.2001" but "35.1" must not cover "35.10...": match up to the dot.
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{f"{field}__startswith": f"{code}."}) | Q(**{field: code})
    return condition


def village_list_for_staff(*, user: User) -> QuerySet[Village]:
    villages = Village.objects.select_related("region", "province", "regency")
    codes = region_codes_in_scope(user=user)
    if codes is None:
        return villages
    return villages.filter(_under_codes(codes, "region__code"))


def village_in_scope(*, user: User, village: Village) -> bool:
    return village_list_for_staff(user=user).filter(pk=village.pk).exists()


def region_in_scope(*, user: User, region_code: str) -> bool:
    codes = region_codes_in_scope(user=user)
    if codes is None:
        return True
    return any(region_code == code or region_code.startswith(f"{code}.") for code in codes)


def indicator_list_for_staff(*, user: User) -> QuerySet[VillageIndicator]:
    return VillageIndicator.objects.select_related("village__region").filter(
        village__in=village_list_for_staff(user=user).values("pk")
    )


def activity_list_for_staff(*, user: User) -> QuerySet[VillageActivity]:
    return VillageActivity.objects.select_related("village__region").filter(
        village__in=village_list_for_staff(user=user).values("pk")
    )


# --- public -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    province: str = ""
    regency: str = ""
    status: str = ""
    pillar: str = ""
    query: str = ""


def village_list_public(*, filters: DirectoryFilters | None = None) -> QuerySet[Village]:
    """Villages the public may see, filtered like the directory (and the API)."""
    filters = filters or DirectoryFilters()
    villages = Village.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "region__parent", "province", "regency"
    )
    if filters.province:
        villages = villages.filter(province_id=filters.province)
    if filters.regency:
        villages = villages.filter(regency_id=filters.regency)
    if filters.status:
        villages = villages.filter(status=filters.status)
    if filters.pillar:
        villages = villages.filter(
            programmes__pillar=filters.pillar, programmes__is_active=True
        ).distinct()
    if filters.query:
        villages = villages.filter(
            Q(region__name__icontains=filters.query)
            | Q(regency__name__icontains=filters.query)
            | Q(region__parent__name__icontains=filters.query)
        )
    return villages.order_by("province__name", "regency__name", "region__name")


def village_get_public(*, code: str) -> Village | None:
    """One public village with everything its page shows, prefetched (constant query count)."""
    return (
        Village.objects.filter(status__in=PUBLIC_STATUSES, region_id=code)
        .select_related("region__parent", "province", "regency")
        .prefetch_related(
            Prefetch(
                "programmes",
                queryset=VillageProgramme.objects.filter(is_active=True),
            ),
            "partners",
            "photos",
            Prefetch(
                "activities",
                queryset=VillageActivity.objects.filter(is_published=True),
            ),
            Prefetch("indicators", queryset=VillageIndicator.objects.order_by("-year", "period")),
        )
        .first()
    )


def village_provinces_public() -> QuerySet[Region]:
    """Provinces that have at least one public village (the directory's province filter)."""
    return Region.objects.filter(
        level=1,
        code__in=Village.objects.filter(status__in=PUBLIC_STATUSES).values("province_id"),
    ).order_by("name")


def village_regencies_public(*, province: str = "") -> QuerySet[Region]:
    villages = Village.objects.filter(status__in=PUBLIC_STATUSES)
    if province:
        villages = villages.filter(province_id=province)
    return Region.objects.filter(level=2, code__in=villages.values("regency_id")).order_by("name")


def activity_list_public(*, pillar: str = "", province: str = "") -> QuerySet[VillageActivity]:
    """The best-practice library: published activities of public villages."""
    activities = VillageActivity.objects.filter(
        is_published=True, village__status__in=PUBLIC_STATUSES
    ).select_related("village__region", "village__province", "village__regency")
    if pillar:
        activities = activities.filter(pillar=pillar)
    if province:
        activities = activities.filter(village__province_id=province)
    return activities.order_by("-held_on", "-id")


def village_counts_by_status_and_province() -> list[tuple[str, str, str, int]]:
    """Rows (province_code, province_name, status, count) for dashboards, in one query."""
    return [
        (row["province_id"], row["province__name"], row["status"], row["count"])
        for row in Village.objects.values("province_id", "province__name", "status")
        .annotate(count=Count("id"))
        .order_by("province__name", "status")
    ]


@dataclass(frozen=True)
class ProgrammeTotals:
    by_status: dict[str, int]
    by_province: list[dict]
    designated: int
    target: int

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.designated / self.target)) if self.target else 0


def programme_totals() -> ProgrammeTotals:
    """Villages by status and by province, and progress toward the 400-village target."""
    rows = village_counts_by_status_and_province()
    by_status = dict.fromkeys(VillageStatus.values, 0)
    provinces: dict[str, dict] = {}
    for code, name, status, count in rows:
        by_status[status] += count
        province = provinces.setdefault(
            code,
            {"code": code, "name": name, **dict.fromkeys(VillageStatus.values, 0), "total": 0},
        )
        province[status] += count
        if status in PUBLIC_STATUSES:
            province["total"] += count
    return ProgrammeTotals(
        by_status=by_status,
        by_province=[p for p in provinces.values() if p["total"]],
        designated=by_status[VillageStatus.DESA_MIGRAN_EMAS],
        target=PROGRAMME_TARGET,
    )


PILLAR_ORDER = list(Pillar.values)
