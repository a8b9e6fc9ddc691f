"""Absolute lifetime of signed-in sessions.

The idle limit is Django's own (SESSION_COOKIE_AGE, refreshed on every request because
SESSION_SAVE_EVERY_REQUEST is on); this adds the hard limit: SESSION_ABSOLUTE_SECONDS after the
first signed-in request, the user is signed out whatever they do in between.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

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
