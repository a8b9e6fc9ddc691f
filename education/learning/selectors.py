"""Reads of staff learning. Progress is scoped: a head sees the people of the offices in their
scope (their office and its posts), the ministry everyone, an officer only themselves."""

from __future__ import annotations

from django.db.models import QuerySet

from education.models import StaffGuide, StudyRecord
from portal.choices import Role
from portal.models import Membership
from portal.selectors import office_ids_visible_to


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_guide_list_for_staff(*, user) -> QuerySet[StaffGuide]:
    """Published staff guides; nothing for anyone who is not signed-in staff."""
    if not _is_staff(user):
        return StaffGuide.objects.none()
    return StaffGuide.objects.filter(is_published=True)


def staff_guide_get_for_staff(*, user, slug: str) -> StaffGuide | None:
    return staff_guide_list_for_staff(user=user).filter(slug=slug).first()


def study_guide_ids_for_user(*, user) -> set[int]:
    return set(StudyRecord.objects.filter(user=user).values_list("guide_id", flat=True))


def user_can_see_progress(*, user) -> bool:
    """Heads and ministry analysts (and superusers) see other people's progress."""
    if not _is_staff(user):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, role__in=[Role.HEAD, Role.MINISTRY_ANALYST]
        ).exists()
    )


def study_progress_for_head(*, user) -> dict:
    """{"guides": [...], "people": [(user, office names, set of guide ids studied)]}.

    People are the members (officers and heads) of the offices in the user's scope; empty for
    anyone who may not see progress. Three queries whatever the number of people.
    """
    if not user_can_see_progress(user=user):
        return {"guides": [], "people": []}
    guides = list(StaffGuide.objects.filter(is_published=True))
    memberships = Membership.objects.filter(role__in=[Role.OFFICER, Role.HEAD]).select_related(
        "user", "office"
    )
    office_ids = office_ids_visible_to(user=user)
    if office_ids is not None:
        memberships = memberships.filter(office_id__in=office_ids)
    people: dict[int, tuple] = {}
    for membership in memberships.order_by("office__name", "user__username"):
        person = people.setdefault(membership.user_id, (membership.user, []))
        if membership.office.name not in person[1]:
            person[1].append(membership.office.name)
    studied: dict[int, set[int]] = {}
    for user_id, guide_id in StudyRecord.objects.filter(user_id__in=people).values_list(
        "user_id", "guide_id"
    ):
        studied.setdefault(user_id, set()).add(guide_id)
    return {
        "guides": guides,
        "people": [
            (person, offices, studied.get(user_id, set()))
            for user_id, (person, offices) in people.items()
        ],
    }
