"""Issue 15 item 12: a staff guide is published by a person other than its last editor, the
four-eyes rule of public guides (education.services.content_transition)."""

import pytest
from django.test import Client

from education.learning.services import staff_guide_publish, staff_guide_save
from education.models import StaffGuide
from portal.choices import Role
from portal.exceptions import ApplicationError
from tests.complaints.triage_support import staff_client

pytestmark = pytest.mark.django_db

FORM = {
    "slug": "prosedur-baru",
    "title": "Prosedur baru",
    "summary": "Ringkasan",
    "body_markdown": "## Langkah\n\nIsi panduan.",
    "sources": "UU Nomor 18 Tahun 2017",
    "position": "9",
    # A crafted form field: the admin shows `published` read-only, so it must be ignored.
    "is_published": "on",
}


@pytest.fixture
def editors(make_staff):
    return (
        make_staff("kemenp2mi", Role.CONTENT_EDITOR, username="editor"),
        make_staff("kemenp2mi", Role.CONTENT_EDITOR, username="editor-dua"),
    )


def _publish_in_admin(client: Client, guide: StaffGuide):
    return client.post(
        "/admin/education/staffguide/", {"action": "publish", "_selected_action": [guide.pk]}
    )


def test_an_editor_cannot_publish_a_staff_guide_alone(editors):
    author, _reviewer = editors
    client = staff_client(author)
    # when the editor writes a guide in the admin and publishes it
    created = client.post("/admin/education/staffguide/add/", FORM)
    assert created.status_code == 302
    guide = StaffGuide.objects.get(slug="prosedur-baru")
    _publish_in_admin(client, guide)
    # then it stays off the staff shelf
    guide.refresh_from_db()
    assert guide.is_published is False
    assert guide.author == author
    assert client.get("/staf/panduan/prosedur-baru/").status_code == 404


def test_another_editor_publishes_it(editors):
    author, reviewer = editors
    staff_client(author).post("/admin/education/staffguide/add/", FORM)
    guide = StaffGuide.objects.get(slug="prosedur-baru")
    # when a second editor publishes
    _publish_in_admin(staff_client(reviewer), guide)
    # then staff read it, with who reviewed it
    guide.refresh_from_db()
    assert guide.is_published is True
    assert guide.reviewed_by == reviewer
    assert staff_client(author).get("/staf/panduan/prosedur-baru/").status_code == 200


def test_editing_the_text_of_a_published_guide_needs_a_new_review(editors):
    author, reviewer = editors
    staff_client(author).post("/admin/education/staffguide/add/", FORM)
    guide = StaffGuide.objects.get(slug="prosedur-baru")
    staff_guide_publish(guide=guide, actor=reviewer)
    # when the reviewer changes the text (so becomes its last editor)
    guide.refresh_from_db()
    guide.body_markdown = "## Langkah\n\nIsi yang diubah."
    staff_guide_save(guide=guide, actor=reviewer)
    # then it is unpublished, and the reviewer cannot publish their own change
    guide.refresh_from_db()
    assert guide.is_published is False
    with pytest.raises(ApplicationError):
        staff_guide_publish(guide=guide, actor=reviewer)
    assert staff_guide_publish(guide=guide, actor=author).is_published is True


def test_reordering_a_guide_keeps_it_published(editors):
    author, reviewer = editors
    staff_client(author).post("/admin/education/staffguide/add/", FORM)
    guide = staff_guide_publish(guide=StaffGuide.objects.get(slug="prosedur-baru"), actor=reviewer)
    guide.position = 1
    staff_guide_save(guide=guide, actor=reviewer)
    guide.refresh_from_db()
    assert guide.is_published is True


def test_an_officer_cannot_publish_a_staff_guide(editors, make_staff):
    author, _reviewer = editors
    staff_client(author).post("/admin/education/staffguide/add/", FORM)
    officer = make_staff("bp3mi-jatim", Role.OFFICER)
    with pytest.raises(ApplicationError):
        staff_guide_publish(guide=StaffGuide.objects.get(slug="prosedur-baru"), actor=officer)
