"""Staff learning: staff-only guides, study records, and a head's scoped view of progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from education.learning.content import STAFF_GUIDES
from education.learning.selectors import study_progress_for_head
from education.learning.services import study_record_mark
from education.models import StaffGuide, StudyRecord
from portal.exceptions import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide() -> StaffGuide:
    return StaffGuide.objects.get(slug="sla-dan-eskalasi")


def test_starter_staff_guides_are_loaded_with_sources():
    guides = StaffGuide.objects.filter(is_published=True)
    assert guides.count() >= 6
    assert {g["slug"] for g in STAFF_GUIDES} <= set(guides.values_list("slug", flat=True))
    for staff_guide in guides:
        assert staff_guide.sources.strip()
        assert "<h2" in staff_guide.body_html
        assert "<script" not in staff_guide.body_html
    cited = " ".join(guides.values_list("sources", flat=True))
    for law in ("UU Nomor 18 Tahun 2017", "PP Nomor 59 Tahun 2021", "UU Nomor 27 Tahun 2022"):
        assert law in cited


@pytest.mark.parametrize("who", ["anonymous", "public"])
def test_staff_guides_are_not_visible_outside_staff(client, guide, who):
    if who == "public":
        client.force_login(UserFactory(is_staff=False))
    for url in (
        reverse("staff_learning:list"),
        reverse("staff_learning:detail", args=[guide.slug]),
        reverse("staff_learning:progress"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert client.post(reverse("staff_learning:mark", args=[guide.slug])).status_code == 302
    assert not StudyRecord.objects.exists()


def test_staff_read_a_guide_and_mark_it_studied_once(client, make_staff, guide):
    # given
    officer = make_staff("bp3mi-jatim", "officer")
    client.force_login(officer)
    # when
    page = client.get(reverse("staff_learning:detail", args=[guide.slug]))
    client.post(reverse("staff_learning:mark", args=[guide.slug]), {"studied": "1"})
    first = StudyRecord.objects.get(user=officer, guide=guide).studied_at
    client.post(reverse("staff_learning:mark", args=[guide.slug]), {"studied": "1"})
    # then
    assert page.status_code == 200
    assert guide.title in page.content.decode()
    assert StudyRecord.objects.filter(user=officer).count() == 1
    assert StudyRecord.objects.get(user=officer, guide=guide).studied_at == first
    listing = client.get(reverse("staff_learning:list")).content.decode()
    assert "Studied" in listing or "Sudah dipelajari" in listing


def test_unpublished_staff_guide_is_a_404(client, make_staff, guide):
    guide.is_published = False
    guide.save(update_fields=["is_published"])
    client.force_login(make_staff("bp3mi-jatim", "officer"))
    assert client.get(reverse("staff_learning:detail", args=[guide.slug])).status_code == 404


def test_only_staff_can_mark_a_guide(guide):
    with pytest.raises(ApplicationError):
        study_record_mark(user=UserFactory(is_staff=False), guide=guide)
    assert not StudyRecord.objects.exists()


# --- progress scope --------------------------------------------------------------------------

PROGRESS_SCOPE = [
    ("bp3mi-jatim", "head", {"jatim-officer", "tulungagung-officer", "jatim-head"}),
    ("bp3mi-jabar", "head", {"jabar-officer"}),
    (
        "kemenp2mi",
        "ministry_analyst",
        {"jatim-officer", "tulungagung-officer", "jabar-officer"},
    ),
    ("bp3mi-jatim", "officer", set()),
]


@pytest.mark.parametrize(("office_code", "role", "expected"), PROGRESS_SCOPE)
def test_progress_scope_table(client, make_staff, guide, office_code, role, expected):
    # given: people of three offices, each having studied the guide
    people = {
        "jatim-officer": make_staff("bp3mi-jatim", "officer", username="jatim-officer"),
        "tulungagung-officer": make_staff(
            "p4mi-tulungagung", "officer", username="tulungagung-officer"
        ),
        "jabar-officer": make_staff("bp3mi-jabar", "officer", username="jabar-officer"),
    }
    for person in people.values():
        study_record_mark(user=person, guide=guide)
    viewer = make_staff(
        office_code,
        role,
        username="jatim-head"
        if role == "head" and "jatim" in office_code
        else f"viewer-{office_code}-{role}",
    )
    client.force_login(viewer)
    # when
    visible = {person.username for person, _o, _s in study_progress_for_head(user=viewer)["people"]}
    response = client.get(reverse("staff_learning:progress"))
    # then
    assert visible & (set(people) | {"jatim-head"}) == expected
    if not expected:
        assert response.status_code == 404
        return
    page = response.content.decode()
    for name in set(people) | {"jatim-head"}:
        assert (f">{name}<" in page) == (name in expected), name


def test_progress_shows_who_studied_what(make_staff, guide):
    head = make_staff("bp3mi-jatim", "head")
    studied = make_staff("bp3mi-jatim", "officer")
    not_yet = make_staff("bp3mi-jatim", "officer")
    study_record_mark(user=studied, guide=guide)
    progress = study_progress_for_head(user=head)
    by_user = {person.pk: guides for person, _offices, guides in progress["people"]}
    assert by_user[studied.pk] == {guide.pk}
    assert by_user[not_yet.pk] == set()
