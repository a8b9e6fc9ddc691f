"""The staff navigation: links to the staff pages outside the admin, by what each user may open.

The admin index shows them ("Staff pages", templates/admin/index.html through the
`oversight_navigation` template tags), so portal's admin site needs no import of this app.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext

from complaints.selectors import complaint_intake_allowed
from oversight.dashboards.selectors import dashboard_allowed

User = AbstractBaseUser | AnonymousUser


def staff_page_links_for(user: User) -> list[tuple[str, str]]:
    """(label, URL) of the staff pages outside the admin that `user` may open."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    links = []
    if dashboard_allowed(user=user):
        links += [
            (gettext("Dashboard"), reverse("oversight:dashboard")),
            (gettext("Agency and employer watchlist"), reverse("oversight:watchlist")),
        ]
    if complaint_intake_allowed(user=user):
        links.append((gettext("Record a complaint"), reverse("complaints_staff:intake")))
    links += [
        (gettext("Monthly office reports"), reverse("reports:list")),
        (gettext("Staff guides"), reverse("staff_learning:list")),
        (gettext("Outreach calendar"), reverse("outreach:calendar")),
        (gettext("Public statistics"), reverse("oversight:stats")),
    ]
    return links
