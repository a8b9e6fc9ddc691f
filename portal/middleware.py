"""Middleware of the portal.

- Absolute lifetime of signed-in sessions. The idle limit is Django's own (SESSION_COOKIE_AGE,
  refreshed on every request because SESSION_SAVE_EVERY_REQUEST is on); this adds the hard limit:
  SESSION_ABSOLUTE_SECONDS after the first signed-in request, the user is signed out whatever
  they do in between.
- Every staff URL needs a signed-in staff member past the second factor
  (StaffSecondFactorMiddleware).
- NUL characters in the path or query string are refused with 400 before any view runs:
  PostgreSQL cannot store or compare them, so every filter would otherwise answer 500. (Form
  fields are the forms' to refuse, next to the field.)
- API answers are not kept by browsers or proxies (`Cache-Control: no-store`) unless the view
  serves public reference data: receipts carry access keys, tracking and staff answers carry
  personal data.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"

SESSION_STARTED_KEY = "portal_signed_in_at"


class AbsoluteSessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


# --- the second factor on every staff URL --------------------------------------------------------

# Every URL under these prefixes is a staff URL: only signed-in, active staff whose session passed
# the second factor (when OTP_REQUIRED is on) reach its view. A new staff page placed here is
# protected without doing anything; tests/portal/test_staff_second_factor.py walks the URLconf and
# fails when a URL is under neither these nor PUBLIC_PATH_PREFIXES.
STAFF_PATH_PREFIXES = (
    "/admin/",
    "/dashboard/",
    "/staf/",
    "/api/v1/staff/",
    "/api/v1/oversight/",
    # Outreach photos show attendees' faces: staff of the event's office only.
    "/sosialisasi/foto/",
)
# Staff URLs answered in JSON: refused with 403 JSON rather than a redirect. Token callers are
# accepted here (portal.api_tokens: a token is issued only to a session past the second factor).
STAFF_API_PREFIXES = ("/api/v1/staff/", "/api/v1/oversight/")
# The steps of signing in themselves open before the second factor.
SIGN_IN_VIEW_NAMES = frozenset(
    {"admin:login", "admin:logout", "admin:otp_verify", "admin:otp_enrol"}
)
# Declared public on purpose (the reporter's side, guides, villages, statistics, health, API docs).
# Not read by the middleware: the URLconf test requires every URL to be under one of the two lists,
# so a page outside both fails until someone decides which it is.
# `/metrics` is for the monitoring system, not staff: it has its own guard (loopback or
# METRICS_TOKEN, portal/metrics), so it sits outside the staff middleware too.
PUBLIC_EXACT_PATHS = ("/", "/metrics")
PUBLIC_PATH_PREFIXES = (
    "/pengaduan/",
    "/panduan/",
    "/desa-migran/",
    "/sosialisasi/",
    "/statistik/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
    # Prometheus scrape: its own bearer token (METRICS_TOKEN), no staff session.
    "/metrics",
    "/api/schema/",
    "/api/docs/",
    "/api/v1/",
)


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


class StaffSecondFactorMiddleware:
    """Refuses every view under STAFF_PATH_PREFIXES unless the caller is active staff past the
    second factor: HTML pages redirect to the sign-in (password) or the code step, the staff API
    answers 403 JSON. Views keep their own checks (role, scope); this one cannot be forgotten."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if not is_staff_path(path):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in SIGN_IN_VIEW_NAMES:
            return None
        if path.startswith(STAFF_API_PREFIXES):
            return _api_refusal(request)
        return _page_refusal(request)


def _is_active_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _page_refusal(request):
    from urllib.parse import urlencode

    from django.shortcuts import redirect
    from django.urls import reverse

    from portal.admin_site import otp_required, session_verified

    user = getattr(request, "user", None)
    next_query = urlencode({"next": request.get_full_path()})
    if not _is_active_staff(user):
        return redirect(f"{reverse('admin:login')}?{next_query}")
    if otp_required() and not session_verified(request):
        return redirect(f"{reverse('admin:otp_verify')}?{next_query}")
    return None


def _api_refusal(request):
    from portal.admin_site import otp_required, session_verified
    from portal.api_tokens import TokenRefused, staff_token_authenticate_request

    try:
        token = staff_token_authenticate_request(request)
    except TokenRefused as refused:
        return JsonResponse({"detail": str(refused)}, status=403)
    if token is not None:
        return None
    user = getattr(request, "user", None)
    if not _is_active_staff(user):
        return JsonResponse(
            {"detail": _("Staff sign-in with the second factor is required.")}, status=403
        )
    if otp_required() and not session_verified(request):
        return JsonResponse(
            {"detail": _("Complete the second step of sign-in (authenticator code) first.")},
            status=403,
        )
    return None


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


class RejectNulMiddleware:
    """400 for a NUL character anywhere in the path or query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            message = _("The request contains a character that is not allowed (NUL).")
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        # Form fields are left to the forms: Django's and DRF's character fields refuse NUL with
        # an error next to the field, and the page keeps what the reporter typed.
        return "\x00" in request.path_info or _has_nul(request.GET)


class ApiNoStoreMiddleware:
    """`Cache-Control: no-store` on API answers, except views marked `public_reference_data`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response: HttpResponse = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX):
            return response
        if getattr(request, "_portal_public_reference_data", False):
            return response
        response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        request._portal_public_reference_data = bool(
            getattr(view_class, "public_reference_data", False)
        )
