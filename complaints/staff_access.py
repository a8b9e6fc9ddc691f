"""Who may open a complaints staff page outside the admin: signed-in, active staff whose session
passed the second factor whenever the admin site requires it; anyone else goes to the admin
sign-in, which continues to the code. (Same rule as the office reports' pages.)"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from portal.admin_site import otp_required, session_verified


def staff_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        allowed = user.is_authenticated and user.is_active and user.is_staff
        if allowed and otp_required() and not session_verified(request):
            allowed = False
        if not allowed:
            login = reverse("admin:login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
