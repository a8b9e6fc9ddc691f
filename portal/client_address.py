"""The client's address, for rate limits and the sign-in lock-out only (never stored as such).

Behind a reverse proxy every connection comes from the proxy, so REMOTE_ADDR alone would make one
limit for the whole country. Each trusted proxy appends the address it saw to X-Forwarded-For;
with TRUSTED_PROXY_COUNT = N the client is the N-th entry from the right, the one written by the
outermost proxy we run. Entries further left were written by the client itself and are ignored:
sending your own X-Forwarded-For changes nothing. With N = 0 (the default, no proxy) the header is
not read at all.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _valid(candidate: str) -> str:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return ""


def client_address(request) -> str:
    """The address of the client as the outermost trusted proxy saw it, else REMOTE_ADDR."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "") or UNKNOWN
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer hops than proxies configured: the request did not come through all of them
        # (a direct connection, or a misconfiguration). The connection address is all we know.
        return remote
    return _valid(forwarded[-count]) or remote


def client_address_for_axes(request, *args, **kwargs) -> str | None:
    """django-axes calls AXES_CLIENT_IP_CALLABLE with the request (settings.py); it stores the
    answer in an address column, so "no address" is None there."""
    address = client_address(request)
    return None if address == UNKNOWN else address
