"""The hash of reporters' access keys: HMAC-SHA256 under a server-side pepper.

A key is 98 random bits from a CSPRNG, not a human password. Slow hashing protects guessable
secrets; for a random key, a keyed hash whose key (the pepper, `ACCESS_KEY_PEPPER`) lives in the
server's environment and never in the database already puts a leaked table beyond brute force,
as token systems do, and costs microseconds instead of the 40 ms of PBKDF2 that every submission
and tracking look-up used to pay (a lever for exhausting the web servers).

Stored form: `hmac_sha256$<pepper id>$<hex digest>`. The pepper id (the first 8 hex digits of the
pepper's own SHA-256) says which pepper made the hash, so the pepper can be rotated: the new one
goes into ACCESS_KEY_PEPPER, the old one into ACCESS_KEY_PEPPERS_PREVIOUS, and hashes made with
the old one keep verifying and are rehashed with the new one at the next successful look-up.
Hashes of the earlier PBKDF2 hasher (`pbkdf2_sha256_accesskey$…`) verify and are rehashed the
same way.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

HMAC_ALGORITHM = "hmac_sha256"


class AccessKeyHasher(PBKDF2PasswordHasher):
    """The former hasher, kept only to verify rows hashed before the HMAC one."""

    algorithm = "pbkdf2_sha256_accesskey"
    iterations = 100_000


LEGACY_ACCESS_KEY_HASHER = AccessKeyHasher()


def pepper_id(pepper: str) -> str:
    return hashlib.sha256(pepper.encode()).hexdigest()[:8]


def _digest(key: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), f"access-key:{key}".encode(), hashlib.sha256).hexdigest()


def _peppers() -> dict[str, str]:
    """Pepper id → pepper: the current one first, then the previous ones still accepted."""
    peppers = [settings.ACCESS_KEY_PEPPER, *settings.ACCESS_KEY_PEPPERS_PREVIOUS]
    return {pepper_id(pepper): pepper for pepper in peppers if pepper}


def access_key_digest_encode(key: str) -> str:
    pepper = settings.ACCESS_KEY_PEPPER
    return f"{HMAC_ALGORITHM}${pepper_id(pepper)}${_digest(key, pepper)}"


def access_key_digest_verify(key: str, encoded: str) -> bool:
    """Constant-time check of a key against an `hmac_sha256$…` value; False for any other."""
    algorithm, _sep, rest = encoded.partition("$")
    identifier, _sep, stored = rest.partition("$")
    pepper = _peppers().get(identifier)
    if algorithm != HMAC_ALGORITHM or pepper is None:
        # Same work as a real check, so an unknown pepper id does not answer faster.
        hmac.compare_digest(_digest(key, settings.ACCESS_KEY_PEPPER), "0" * 64)
        return False
    return hmac.compare_digest(_digest(key, pepper), stored)


def access_key_hash_is_current(encoded: str) -> bool:
    return encoded.startswith(f"{HMAC_ALGORITHM}${pepper_id(settings.ACCESS_KEY_PEPPER)}$")
