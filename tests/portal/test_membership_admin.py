"""A membership given or taken away in the admin brings or removes the role's permissions."""

import pytest
from django.urls import reverse

from portal.models import Membership
from portal.services import role_groups_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    role_groups_sync()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_membership_added_in_admin_gives_the_role_its_permissions(superuser_client, offices):
    # given: a user with no role yet
    newcomer = UserFactory(is_staff=False)
    # when
    response = superuser_client.post(
        reverse("admin:portal_membership_add"),
        {"user": newcomer.pk, "office": offices["bp3mi-jatim"].pk, "role": "officer"},
    )
    # then: the officer can open the admin and holds the officer's permissions
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff is True
    assert _group_names(newcomer) != set()
    assert newcomer.has_perm("complaints.view_complaint")


def test_membership_deleted_in_admin_takes_the_permissions_away(
    superuser_client, offices, make_staff
):
    # given: an officer of one office
    officer = make_staff("bp3mi-jatim", "officer")
    membership = Membership.objects.get(user=officer)
    assert officer.has_perm("complaints.view_complaint")
    # when
    response = superuser_client.post(
        reverse("admin:portal_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    # then: no membership, no group, no permission left behind
    assert response.status_code == 302
    assert not Membership.objects.filter(user=officer).exists()
    officer = type(officer).objects.get(pk=officer.pk)  # fresh permission cache
    assert _group_names(officer) == set()
    assert not officer.has_perm("complaints.view_complaint")


def test_role_kept_while_another_office_still_grants_it(superuser_client, offices, make_staff):
    # given: an officer of two offices
    officer = make_staff("bp3mi-jatim", "officer")
    other = Membership.objects.create(user=officer, office=offices["bp3mi-jateng"], role="officer")
    groups_before = _group_names(officer)
    # when: one of the two is removed
    superuser_client.post(
        reverse("admin:portal_membership_delete", args=[other.pk]), {"post": "yes"}
    )
    # then: the other still opens the officer's permissions
    assert _group_names(officer) == groups_before != set()


def test_role_changed_in_admin_swaps_the_groups(superuser_client, offices, make_staff):
    # given: an officer
    user = make_staff("bp3mi-jatim", "officer")
    membership = Membership.objects.get(user=user)
    officer_groups = _group_names(user)
    # when: the role becomes head of office
    response = superuser_client.post(
        reverse("admin:portal_membership_change", args=[membership.pk]),
        {"user": user.pk, "office": offices["bp3mi-jatim"].pk, "role": "head"},
    )
    # then: the head's group replaces the officer's
    assert response.status_code == 302
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == ["head"]
    head_groups = _group_names(user)
    assert head_groups
    assert head_groups.isdisjoint(officer_groups)


def test_membership_removed_from_the_office_page_takes_the_permissions_away(
    superuser_client, offices, make_staff
):
    # given: an officer listed on her office's admin page
    office = offices["bp3mi-jatim"]
    officer = make_staff("bp3mi-jatim", "officer")
    membership = Membership.objects.get(user=officer)
    prefix = "memberships"
    data = {
        "name": office.name,
        "code": office.code,
        "kind": office.kind,
        "notification_email": office.notification_email,
        "is_active": "on",
        "parent": office.parent_id or "",
        "regions": list(office.regions.values_list("pk", flat=True)),
        "address": office.address,
        "phone": office.phone,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": membership.pk,
        f"{prefix}-0-office": office.pk,
        f"{prefix}-0-user": officer.pk,
        f"{prefix}-0-role": "officer",
        f"{prefix}-0-DELETE": "on",
    }
    # when
    response = superuser_client.post(reverse("admin:portal_office_change", args=[office.pk]), data)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Membership.objects.filter(user=officer).exists()
    assert _group_names(officer) == set()
