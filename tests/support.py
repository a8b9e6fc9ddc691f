"""Helpers for tests: service detection that skips locally and fails in CI."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM_CANDIDATES = [
    "/usr/bin/chromium",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium-browser",
]


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if shutil.which(candidate):
            return candidate
    return None


def require(condition: bool, reason: str) -> None:
    """Skip locally when a service or tool is absent; fail in CI (REQUIRE_SERVICES=1)."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def staff_api_token(user, *, scope: str = "write") -> str:
    """A staff API token for `user`, issued as from a session past the second factor (which is
    what portal.api_tokens.staff_token_issue requires); returns the key."""
    from portal.api_tokens import staff_token_issue

    user.is_verified = lambda: True  # what django-otp's middleware sets on a verified session
    _token, key = staff_token_issue(user=user, name="test", scope=scope)
    return key
