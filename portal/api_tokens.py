"""Staff API tokens: issue, revoke, find, and authenticate a request with one.

Workflow: a staff member whose session passed the second factor issues a token for themselves
(page /staf/token-api/), sees its key once, and uses it as `Authorization: Token <key>` on the
staff API. A token stands for a signed-in session past both factors, so only such a session may
create one (with OTP_REQUIRED off, as in development, any staff session). It expires after
STAFF_API_TOKEN_DAYS, reads only or also writes (scope), and its owner or an administrator revokes
it. Only the SHA-256 of the key is stored: 256 random bits need no slow hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from portal.choices import TokenScope
from portal.exceptions import ApplicationError
from portal.models import StaffApiToken

# A request reads only with these methods; a read-only token may use nothing else.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# last_used_at is written at most this often per token: a busy script does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=5)
_NOT_LOOKED_UP = object()


class TokenRefused(Exception):
    """The request carries a token header that does not open the staff API (the reason is the
    message, safe to show)."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _session_verified(user) -> bool:
    from portal.admin_site import otp_required

    return not otp_required() or bool(getattr(user, "is_verified", lambda: False)())


# --- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def staff_token_issue(*, user, name: str, scope: str, now=None) -> tuple[StaffApiToken, str]:
    """Issue a token to `user` (the request's user, as django-otp decorated it). Returns the row
    and the key, which is never stored and cannot be shown again."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise ApplicationError(_("Only staff can create a staff API token."))
    if not _session_verified(user):
        raise ApplicationError(
            _("Complete the second step of sign-in before creating a staff API token.")
        )
    now = now or timezone.now()
    key = secrets.token_urlsafe(32)
    token = StaffApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        key_prefix=key[:8],
        key_hash=_hash(key),
        expires_at=now + timedelta(days=settings.STAFF_API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def staff_token_revoke(*, token: StaffApiToken, actor, now=None) -> StaffApiToken:
    """Revoke a token: its owner may, and an administrator with the change permission."""
    if token.user_id != actor.pk and not actor.has_perm("portal.change_staffapitoken"):
        raise ApplicationError(_("You are not allowed to revoke this token."))
    updated = StaffApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=actor
    )
    if updated:
        token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


# --- reads ----------------------------------------------------------------------------------------


def staff_token_list_for_user(*, user) -> QuerySet[StaffApiToken]:
    return StaffApiToken.objects.filter(user=user).order_by("-created_at")


def staff_token_find_active(*, key: str, now=None) -> StaffApiToken | None:
    """The token with this key if it opens the API now: not revoked, not expired, its owner still
    active staff."""
    now = now or timezone.now()
    return (
        StaffApiToken.objects.select_related("user")
        .filter(
            key_hash=_hash(key),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
            user__is_staff=True,
        )
        .first()
    )


# --- authentication -------------------------------------------------------------------------------


def staff_token_authenticate_request(request) -> StaffApiToken | None:
    """The token of `Authorization: Token <key>`, None without such a header; TokenRefused when
    the key is unknown, expired or revoked, or a read-only token is used to write. Looked up once
    per request (the middleware and DRF share the result)."""
    cached = getattr(request, "_staff_api_token", _NOT_LOOKED_UP)
    if cached is not _NOT_LOOKED_UP:
        return cached
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if not parts or parts[0].lower() != "token":
        request._staff_api_token = None
        return None
    if len(parts) != 2:
        raise TokenRefused(_("Invalid token header."))
    now = timezone.now()
    token = staff_token_find_active(key=parts[1], now=now)
    if token is None:
        raise TokenRefused(_("The token is not valid, has expired or was revoked."))
    if token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
        raise TokenRefused(_("This token may only read."))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        StaffApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    request._staff_api_token = token
    return token


class StaffTokenAuthentication(BaseAuthentication):
    """DRF: `Authorization: Token <key>` with a StaffApiToken (never the never-expiring
    rest_framework.authtoken tokens)."""

    keyword = "Token"

    def authenticate(self, request):
        try:
            token = staff_token_authenticate_request(request._request)
        except TokenRefused as refused:
            raise AuthenticationFailed(str(refused)) from refused
        if token is None:
            return None
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class StaffTokenScheme(OpenApiAuthenticationExtension):
    """The schema's name for staff API tokens (drf-spectacular cannot guess a custom class)."""

    target_class = "portal.api_tokens.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Staff API token with the prefix "Token" (created on /staf/token-api/).',
        }
