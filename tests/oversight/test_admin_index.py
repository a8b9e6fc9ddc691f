"""The admin index links the staff pages that live outside the admin, by what each user may open."""

import pytest
from django.urls import reverse

from portal.choices import Role
from tests.complaints.triage_support import staff_client

pytestmark = pytest.mark.django_db


def _links(response) -> set[str]:
    html = response.content.decode()
    block = html.split('id="staff-pages"', 1)[1].split("</ul>", 1)[0]
    return {part.split('"', 1)[0] for part in block.split('href="')[1:]}


def test_a_head_of_office_sees_the_dashboard_and_the_other_staff_pages(make_staff):
    head = make_staff("bp3mi-jatim", Role.HEAD, is_staff=True)

    response = staff_client(head).get(reverse("admin:index"))

    assert response.status_code == 200
    assert _links(response) == {
        reverse("oversight:dashboard"),
        reverse("oversight:watchlist"),
        reverse("complaints_staff:intake"),
        reverse("reports:list"),
        reverse("staff_learning:list"),
        reverse("outreach:calendar"),
        reverse("oversight:stats"),
    }


def test_an_officer_is_not_offered_the_dashboard_they_may_not_open(make_staff):
    officer = make_staff("bp3mi-jatim", Role.OFFICER, is_staff=True)
    client = staff_client(officer)

    links = _links(client.get(reverse("admin:index")))

    assert reverse("oversight:dashboard") not in links
    assert reverse("oversight:watchlist") not in links
    assert reverse("reports:list") in links
    assert reverse("complaints_staff:intake") in links
    assert client.get(reverse("oversight:dashboard")).status_code == 403


def test_the_links_are_in_indonesian_by_default(make_staff):
    head = make_staff("bp3mi-jatim", Role.HEAD, is_staff=True)

    html = staff_client(head).get(reverse("admin:index")).content.decode()

    assert "Halaman petugas" in html
    assert "Staff pages" not in html
    assert "Laporan bulanan kantor" in html
    assert "Monthly office reports" not in html
