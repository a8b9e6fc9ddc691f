"""Reads of the portal app. Office scope lives here and nowhere else."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from portal.choices import OfficeKind
from portal.models import Membership, Office, Region, region_ancestor_codes
from portal.roles import NATIONAL_ROLES, OFFICE_ROLES

User = AbstractBaseUser | AnonymousUser


def user_has_national_scope(user: User) -> bool:
    """Superusers and ministry analysts see every office.

    National scope belongs to national roles (portal.roles.NATIONAL_ROLES), not to membership of
    the ministry office: a content editor of the ministry reads no office's complaints.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(role__in=NATIONAL_ROLES, user=user).exists()


def office_list_visible_to(user: User) -> QuerySet[Office]:
    """Offices whose data this user may see: the offices where they hold an office role (officer,
    head) and the offices below them. Content editors' memberships open no office.

    The ladder is at most three deep (ministry → BP3MI → post), so two parent hops cover it.
    """
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user_has_national_scope(user):
        return Office.objects.all()
    own = Membership.objects.filter(user=user, role__in=OFFICE_ROLES).values("office_id")
    return Office.objects.filter(
        Q(id__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)
    ).distinct()


def office_ids_visible_to(user: User) -> list[int] | None:
    """The ids of `office_list_visible_to`, or None meaning "every office" (no filter needed)."""
    if user_has_national_scope(user):
        return None
    return list(office_list_visible_to(user).values_list("id", flat=True))


def office_list_for_user(user: User) -> QuerySet[Office]:
    """Offices the user is a member of (not the ones below)."""
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).distinct()


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
        kind_rank = {OfficeKind.POST: 0, OfficeKind.BP3MI: 1}
        best = min(candidates, key=lambda row: (kind_rank.get(row[1], 2), -len(row[2])))
        return Office.objects.get(pk=best[0])
    return office_ministry()


def office_ministry() -> Office | None:
    return Office.objects.filter(kind=OfficeKind.MINISTRY, is_active=True).order_by("id").first()


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def region_list_provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=1).order_by("name")
