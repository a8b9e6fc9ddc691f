"""Who sees which office: the table every other scope in the portal is built on."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.selectors import office_ids_visible_to, office_list_visible_to

pytestmark = pytest.mark.django_db

# (office of the user, role) → offices it must see, among the ones listed in OBSERVED.
OBSERVED = ["kemenp2mi", "bp3mi-jatim", "p4mi-tulungagung", "bp3mi-jabar", "p4mi-indramayu"]
SCOPE_TABLE = [
    ("bp3mi-jatim", "officer", {"bp3mi-jatim", "p4mi-tulungagung"}),
    ("bp3mi-jatim", "head", {"bp3mi-jatim", "p4mi-tulungagung"}),
    ("bp3mi-jabar", "officer", {"bp3mi-jabar", "p4mi-indramayu"}),
    ("p4mi-tulungagung", "officer", {"p4mi-tulungagung"}),
    ("kemenp2mi", "ministry_analyst", set(OBSERVED)),
    # Issue 15: national scope belongs to national roles, not to the ministry office. A content
    # editor's membership opens no office; a ministry officer sees the ministry and what is below.
    ("kemenp2mi", "content_editor", set()),
    ("kemenp2mi", "officer", set(OBSERVED)),
    ("bp3mi-jatim", "content_editor", set()),
]


@pytest.mark.parametrize(("office_code", "role", "expected"), SCOPE_TABLE)
def test_office_scope_table(make_staff, office_code, role, expected):
    user = make_staff(office_code, role)
    visible = set(office_list_visible_to(user=user).values_list("code", flat=True))
    assert visible & set(OBSERVED) == expected


@pytest.mark.parametrize(
    ("office_code", "role", "national"),
    [
        ("kemenp2mi", "ministry_analyst", True),
        ("bp3mi-jatim", "ministry_analyst", True),
        ("kemenp2mi", "content_editor", False),
        ("kemenp2mi", "officer", False),
        ("kemenp2mi", "head", False),
    ],
)
def test_national_scope_belongs_to_national_roles_not_to_the_ministry_office(
    make_staff, office_code, role, national
):
    from portal.selectors import user_has_national_scope

    assert user_has_national_scope(user=make_staff(office_code, role)) is national


def test_superuser_is_national(django_user_model):
    from portal.selectors import user_has_national_scope

    boss = django_user_model.objects.create_superuser("boss", "b@example.invalid", "x" * 20)
    assert user_has_national_scope(user=boss) is True
    assert office_ids_visible_to(user=boss) is None


def test_analyst_role_sees_all_even_when_attached_to_a_bp3mi(make_staff, offices):
    user = make_staff("bp3mi-jatim", "ministry_analyst")
    assert office_ids_visible_to(user=user) is None
    assert office_list_visible_to(user=user).count() == len(offices)


@pytest.mark.parametrize("kind", ["anonymous", "inactive", "no_membership"])
def test_users_without_a_valid_membership_see_nothing(make_staff, kind):
    from tests.factories import UserFactory

    if kind == "anonymous":
        user = AnonymousUser()
    elif kind == "inactive":
        user = make_staff("bp3mi-jatim", "officer", is_active=False)
    else:
        user = UserFactory()
    assert office_list_visible_to(user=user).count() == 0


def test_membership_grant_gives_the_role_group_and_staff_status(make_staff):
    user = make_staff("bp3mi-jatim", "officer", is_staff=False)
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="Petugas BP3MI").exists()
    assert user.has_perm("portal.view_office")
