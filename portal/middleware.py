"""Middleware of the portal.

- Absolute lifetime of signed-in sessions. The idle limit is Django's own (SESSION_COOKIE_AGE,
  refreshed on every request because SESSION_SAVE_EVERY_REQUEST is on); this adds the hard limit:
  SESSION_ABSOLUTE_SECONDS after the first signed-in request, the user is signed out whatever
  they do in between.
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
