"""The staff admin site: password, then a second factor (TOTP app or a backup code).

With settings.OTP_REQUIRED on (the default whenever DEBUG is off), no admin page opens for a
session that has not been verified by django-otp; staff without a device enrol one (QR code)
right after their password. Brute force on the password is stopped by django-axes (settings),
on the code by django-otp's own throttling.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme


def otp_required() -> bool:
    return bool(getattr(settings, "OTP_REQUIRED", True))


def session_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


class PortalAdminSite(admin.AdminSite):
    # The sidebar re-renders every app and model on every page: a third of the queue's time.
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not otp_required() or session_verified(request)

    def login(self, request, extra_context=None):
        # Past the password but not the second factor: go on to the code, not the password again.
        user = request.user
        password_only = user.is_authenticated and user.is_active and user.is_staff
        if password_only and otp_required() and not session_verified(request):
            return redirect(_with_next(reverse("admin:otp_verify"), request))
        response = super().login(request, extra_context)
        # Password accepted (Django's login() already gave the session a new key): go straight on
        # to the code, keeping `next` only when it is ours. A foreign `next` used to fall through
        # to LOGIN_REDIRECT_URL; it never leaves the site.
        user = request.user
        signed_in = request.method == "POST" and user.is_authenticated and user.is_staff
        due = otp_required() and not session_verified(request)
        if signed_in and response.status_code == 302 and due:
            return redirect(_with_next(reverse("admin:otp_verify"), request))
        return response

    def get_urls(self):
        from portal import otp

        return [
            path("otp/", otp.otp_verify, {"admin_site": self}, name="otp_verify"),
            path("otp/enrol/", otp.otp_enrol, {"admin_site": self}, name="otp_enrol"),
            *super().get_urls(),
        ]


def _with_next(url: str, request) -> str:
    from urllib.parse import urlencode

    next_url = request.POST.get("next") or request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return f"{url}?{urlencode({'next': next_url})}"
    return url
