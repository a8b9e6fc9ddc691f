"""Types shared by the apps' services and selectors (checked by mypy in `make lint`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as StaffUser  # AUTH_USER_MODEL is Django's own

# Who is asking: a signed-in user, or nobody (AnonymousUser) for the public pages.
AnyUser = StaffUser | AnonymousUser

__all__ = ["AnyUser", "StaffUser"]
