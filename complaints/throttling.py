"""Rate limits for intake and tracking, shared by the web pages and the public API.

Counters live in the cache (Redis in production: atomic increments shared by every process) in
short fixed windows, so a migrant shelter whose residents share one address is slowed for minutes,
not locked out for hours. Tracking counts *failed* attempts only: reporters who know their key are
never slowed by their neighbours' typos. The client address is never stored as such: counters are
keyed by an HMAC of it, which expires with the window.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

# Defaults when REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no entry (see portal/settings.py).
DEFAULT_RATES = {
    "complaint_submit": "20/10m",
    "complaint_track": "30/10m",
    "complaint_track_reference": "10/15m",
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: int


def rate_parse(text: str) -> Rate:
    """ "10/hour", "20/10m", "5/30s" → Rate(limit, window)."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(f"not a rate: {text!r}")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNITS[unit.lower()])


def rate_for(scope: str) -> Rate:
    rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    return rate_parse(rates.get(scope) or DEFAULT_RATES[scope])


def client_ident(request) -> str:
    """An opaque per-client identifier: an HMAC of the address, never the address itself."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _key(scope: str, ident: str, rate: Rate, now: float) -> str:
    window = int(now // rate.window_seconds)
    return f"rl:{scope}:{ident}:{window}"


def limit_reached(scope: str, ident: str) -> int:
    """0 when allowed; otherwise the seconds until the window ends (for Retry-After)."""
    rate = rate_for(scope)
    now = time.time()
    try:
        count = cache.get(_key(scope, ident, rate, now), 0)
    except Exception as error:  # a dead cache must not stop a complaint: fail open, say so
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)
        return 0
    if count < rate.limit:
        return 0
    return max(1, int(rate.window_seconds - now % rate.window_seconds))


def attempt_count(scope: str, ident: str) -> None:
    """Count one attempt in the current window."""
    rate = rate_for(scope)
    key = _key(scope, ident, rate, time.time())
    try:
        if not cache.add(key, 1, rate.window_seconds + 1):
            cache.incr(key)
    except Exception as error:
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)


def tracking_wait_seconds(request, reference: str) -> int:
    """Before checking a key: 0 if this client and this reference may try, else seconds to wait."""
    return max(
        limit_reached("complaint_track", client_ident(request)),
        limit_reached("complaint_track_reference", reference or "-"),
    )


def tracking_failure(request, reference: str) -> None:
    attempt_count("complaint_track", client_ident(request))
    attempt_count("complaint_track_reference", reference or "-")


def submit_wait_seconds(request) -> int:
    return limit_reached("complaint_submit", client_ident(request))


def submit_count(request) -> None:
    attempt_count("complaint_submit", client_ident(request))


class ComplaintSubmitThrottle(BaseThrottle):
    """DRF throttle for the public submit endpoint, on the shared cache counters above."""

    def allow_request(self, request, view) -> bool:
        self._wait = submit_wait_seconds(request)
        if self._wait:
            return False
        submit_count(request)
        return True

    def wait(self) -> float | None:
        return getattr(self, "_wait", None) or None
