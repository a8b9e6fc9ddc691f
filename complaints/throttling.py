"""Rate limits for intake and tracking, shared by the web pages and the public API.

Counters live in the cache (Redis in production: atomic increments shared by every process) in
short fixed windows, so a migrant shelter whose residents share one address is slowed for minutes,
not locked out for hours. The client address (portal/client_address.py) is never stored as such:
counters are keyed by an HMAC of it, which expires with the window.

Tracking counts *failed* attempts only, and only per client: a client that sends too many wrong
keys waits, longer each time it does it again (backoff). Nothing ever refuses the right key
because of what *others* did: the reference travels in SMS, and a per-reference lock would let
anyone who read it lock the reporter out. Wrong keys for one reference are still counted, to
alert the office (an internal timeline event) and to make each further wrong key for it count
more against the client that sends it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from portal.client_address import client_address

logger = logging.getLogger(__name__)

# Defaults when REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no entry (see portal/settings.py).
DEFAULT_RATES = {
    "complaint_submit": "20/10m",
    "complaint_track": "30/10m",
    "complaint_track_reference": "10/15m",
}
# A client that reaches its wrong-key limit waits this long, doubled at each further time within
# STRIKE_MEMORY_SECONDS, up to the maximum: typos cost minutes, a guessing robot gets hours.
BACKOFF_FIRST_SECONDS = 5 * 60
BACKOFF_MAX_SECONDS = 6 * 3600
STRIKE_MEMORY_SECONDS = 24 * 3600
# Once a reference has had more wrong keys than its alert threshold, each further wrong key for
# it counts this many times against the client that sends it.
HOT_REFERENCE_WEIGHT = 3
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


def _opaque(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def client_ident(request) -> str:
    """An opaque per-client identifier: an HMAC of the address, never the address itself."""
    return _opaque(client_address(request))


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


def attempt_count(scope: str, ident: str, *, weight: int = 1) -> int:
    """Count one attempt (``weight`` of them) in the current window; the window's new total."""
    rate = rate_for(scope)
    key = _key(scope, ident, rate, time.time())
    return _increment(key, weight=weight, timeout=rate.window_seconds + 1)


def _increment(key: str, *, weight: int = 1, timeout: int) -> int:
    try:
        if cache.add(key, weight, timeout):
            return weight
        return int(cache.incr(key, weight))
    except ValueError:  # expired between add and incr
        cache.set(key, weight, timeout)
        return weight
    except Exception as error:
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)
        return 0


def _block_key(ident: str) -> str:
    return f"rl:complaint_track_block:{ident}"


def tracking_wait_seconds(request) -> int:
    """Before checking a key: 0 if this client may try, else the seconds it must still wait.
    Only the client's own wrong keys count here, never those sent for its reference by others."""
    try:
        until = cache.get(_block_key(client_ident(request)))
    except Exception as error:
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)
        return 0
    now = time.time()
    if not until or until <= now:
        return 0
    return max(1, math.ceil(until - now))


def tracking_failure(request, reference: str) -> None:
    """Count a wrong key: against the client (with backoff once it reaches its limit) and against
    the reference (to alert its office once the threshold is passed, never to refuse its key)."""
    from complaints.services.intake import complaint_tracking_alert  # services import this module

    now = time.time()
    ident = client_ident(request)
    reference_rate = rate_for("complaint_track_reference")
    reference_key = _key(
        "complaint_track_reference", _opaque(f"reference:{reference or '-'}"), reference_rate, now
    )
    reference_failures = _increment(reference_key, timeout=reference_rate.window_seconds + 1)
    hot = reference_failures > reference_rate.limit

    client_rate = rate_for("complaint_track")
    client_key = _key("complaint_track", ident, client_rate, now)
    weight = HOT_REFERENCE_WEIGHT if hot else 1
    if _increment(client_key, weight=weight, timeout=client_rate.window_seconds + 1) >= (
        client_rate.limit
    ):
        _block(ident, client_key, now)

    if reference_failures >= reference_rate.limit and reference:
        try:
            first = cache.add(f"{reference_key}:alerted", 1, reference_rate.window_seconds + 1)
        except Exception as error:
            logger.warning("rate limit cache unavailable: %s", type(error).__name__)
            first = False
        if first:
            complaint_tracking_alert(reference=reference, wrong_keys=reference_failures)


def _block(ident: str, counter_key: str, now: float) -> None:
    strikes = _increment(f"rl:complaint_track_strikes:{ident}", timeout=STRIKE_MEMORY_SECONDS)
    seconds = min(BACKOFF_FIRST_SECONDS * 2 ** max(0, strikes - 1), BACKOFF_MAX_SECONDS)
    try:
        # The deadline is stored as a time, so the wait is exact whatever the cache's own expiry.
        cache.set(_block_key(ident), now + seconds, seconds + 1)
        cache.delete(counter_key)  # after the wait, a fresh allowance (and a longer next wait)
    except Exception as error:
        logger.warning("rate limit cache unavailable: %s", type(error).__name__)


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
