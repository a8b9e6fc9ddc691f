"""Reads of the portal app. Office scope lives here and nowhere else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from portal.choices import OfficeKind
from portal.models import Membership, Office, Region, region_ancestor_codes
from portal.roles import NATIONAL_ROLES, OFFICE_ROLES
from portal.types import AnyUser as User


def user_has_national_scope(*, user: User) -> bool:
    """Superusers and ministry analysts see every office.

    National scope belongs to national roles (portal.roles.NATIONAL_ROLES), not to membership of
    the ministry office: a content editor of the ministry reads no office's complaints.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(role__in=NATIONAL_ROLES, user=user).exists()


def office_list_visible_to(*, user: User) -> QuerySet[Office]:
    """Offices whose data this user may see: the offices where they hold an office role (officer,
    head) and the offices below them. Content editors' memberships open no office.

    The ladder is at most three deep (ministry → BP3MI → post), so two parent hops cover it.
    """
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user_has_national_scope(user=user):
        return Office.objects.all()
    own = Membership.objects.filter(user=user, role__in=OFFICE_ROLES).values("office_id")
    return Office.objects.filter(
        Q(id__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)
    ).distinct()


def office_ids_visible_to(*, user: User) -> list[int] | None:
    """The ids of `office_list_visible_to`, or None meaning "every office" (no filter needed)."""
    if user_has_national_scope(user=user):
        return None
    return list(office_list_visible_to(user=user).values_list("id", flat=True))


def office_for_region(*, region_code: str) -> Office | None:
    """The office responsible for a region: the most specific covering post, else BP3MI, else the
    ministry. One query whatever the size of the tables."""
    codes = region_ancestor_codes(region_code)
    candidates = list(
        Office.objects.filter(is_active=True, regions__code__in=codes)
        .exclude(kind=OfficeKind.MINISTRY)
        .values_list("id", "kind", "regions__code")
    )
    if candidates:
        kind_rank: dict[str, int] = {OfficeKind.POST: 0, OfficeKind.BP3MI: 1}
        best = min(candidates, key=lambda row: (kind_rank.get(row[1], 2), -len(row[2])))
        return Office.objects.get(pk=best[0])
    return office_ministry()


def office_ministry() -> Office | None:
    return Office.objects.filter(kind=OfficeKind.MINISTRY, is_active=True).order_by("id").first()


def region_list_provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=1).order_by("name")


def region_list_children(*, parent_code: str, level: int) -> list[tuple[str, str]]:
    """(code, name) of the regions of `level` directly under `parent_code`, by name; [] when the
    parent is empty or unknown. One query (the form's cascading province → village steps)."""
    if not parent_code:
        return []
    return list(
        Region.objects.filter(parent_id=parent_code, level=level)
        .order_by("name", "code")
        .values_list("code", "name")
    )


# A village name is common: "Babadan" alone names 17 villages. 30 results show all of them with
# room for names that only start the same way, and stay a small JSON answer on a phone.
VILLAGE_SEARCH_LIMIT = 30
VILLAGE_SEARCH_MIN_CHARS = 3


def region_village_search(*, query: str, limit: int = VILLAGE_SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Villages (level 4) whose name starts with `query`, exact names first, each with its
    district, regency and province, so that the 17 villages called "Babadan" can be told apart.

    "babadan ngajum" also works: when the whole text names no village, the first word is the
    village and the other words must appear in its district, regency or province.
    """
    text = " ".join((query or "").split())
    if len(text) < VILLAGE_SEARCH_MIN_CHARS:
        return []
    base = Region.objects.filter(level=4).select_related("parent__parent__parent")
    found = list(base.filter(name__istartswith=text)[: limit * 4])
    words = text.replace(",", " ").split()
    if not found and len(words) > 1:
        rows = base.filter(name__istartswith=words[0])
        for word in words[1:]:
            rows = rows.filter(
                Q(parent__name__icontains=word)
                | Q(parent__parent__name__icontains=word)
                | Q(parent__parent__parent__name__icontains=word)
            )
        found = list(rows[: limit * 4])
    wanted = (words[0] if not found or len(words) == 1 else text).casefold()
    found.sort(key=lambda region: (region.name.casefold() != wanted, region.name, region.code))
    results = []
    for village in found[:limit]:
        district = village.parent
        regency = district.parent if district else None
        province = regency.parent if regency else None
        results.append(
            {
                "code": village.code,
                "name": village.name,
                "district": district.name if district else "",
                "district_code": district.code if district else "",
                "regency": regency.name if regency else "",
                "regency_code": regency.code if regency else "",
                "province": province.name if province else "",
                "province_code": province.code if province else "",
                "label": ", ".join(
                    part.name for part in (village, district, regency) if part is not None
                ),
            }
        )
    return results
