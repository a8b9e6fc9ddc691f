"""Complaint references and secret access keys.

A reference is read out over a crackly phone line from a shelter abroad, so it uses an alphabet
without look-alikes (no 0/O, 1/I/L, and no U, after Crockford): PMI-7K3M-9QXR. It is an identifier,
not a secret: the access key is the secret. The key has 20 symbols of a 30-symbol alphabet
(98 bits, above the 80 the design asks for) and is stored only as a keyed hash under a
server-side pepper (complaints/hashers.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password

from complaints.hashers import (
    LEGACY_ACCESS_KEY_HASHER,
    access_key_digest_encode,
    access_key_digest_verify,
    access_key_hash_is_current,
)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "PMI"
REFERENCE_GROUPS = 2  # two groups of four: 30**8 ≈ 6.6e11, collisions are rare even at 10M rows
GROUP_SIZE = 4
KEY_GROUPS = 4  # four groups of five symbols: 30**20 ≈ 2**98
KEY_GROUP_SIZE = 5

_REFERENCE_RE = re.compile(
    rf"^{REFERENCE_PREFIX}-[{ALPHABET}]{{{GROUP_SIZE}}}-[{ALPHABET}]{{{GROUP_SIZE}}}$"
)
_SEPARATORS = re.compile(r"[\s\-_.]+")


def _group(symbols: str, size: int) -> str:
    return "-".join(symbols[i : i + size] for i in range(0, len(symbols), size))


def reference_generate() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_GROUPS * GROUP_SIZE))
    return f"{REFERENCE_PREFIX}-{_group(symbols, GROUP_SIZE)}"


def reference_normalise(raw: str) -> str:
    """What a person types ("pmi 7k3m 9qxr", "PMI7K3M9QXR") → "PMI-7K3M-9QXR"; "" if malformed."""
    compact = _SEPARATORS.sub("", (raw or "").upper())
    if compact.startswith(REFERENCE_PREFIX):
        compact = compact[len(REFERENCE_PREFIX) :]
    if len(compact) != REFERENCE_GROUPS * GROUP_SIZE:
        return ""
    candidate = f"{REFERENCE_PREFIX}-{_group(compact, GROUP_SIZE)}"
    return candidate if _REFERENCE_RE.match(candidate) else ""


def access_key_generate() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(KEY_GROUPS * KEY_GROUP_SIZE))
    return _group(symbols, KEY_GROUP_SIZE)


def access_key_for_token(token: str) -> str:
    """The access key of a submission, derived from its one-time form token.

    A retried submission (double tap, a dropped connection) must show the same receipt, key
    included, yet the database keeps only a hash of the key. So the key is an HMAC of the token,
    which only the reporter's device holds: the database stores sha256(token), from which neither
    the token nor the key can be recovered, even together with SECRET_KEY.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"complaint-access-key:{token}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    symbols = []
    for _ in range(KEY_GROUPS * KEY_GROUP_SIZE):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    return _group("".join(symbols), KEY_GROUP_SIZE)


def access_key_normalise(raw: str) -> str:
    compact = _SEPARATORS.sub("", (raw or "").upper())
    if len(compact) != KEY_GROUPS * KEY_GROUP_SIZE or any(c not in ALPHABET for c in compact):
        return ""
    return _group(compact, KEY_GROUP_SIZE)


def access_key_hash(key: str) -> str:
    return access_key_digest_encode(access_key_normalise(key) or key)


def access_key_needs_rehash(encoded: str) -> bool:
    """A hash made by the former PBKDF2 hasher or under a previous pepper: replace it at the
    next successful look-up, when the key is at hand."""
    return not access_key_hash_is_current(encoded)


def _verify(key: str, encoded: str) -> bool:
    if encoded.startswith(f"{LEGACY_ACCESS_KEY_HASHER.algorithm}$"):
        return LEGACY_ACCESS_KEY_HASHER.verify(key, encoded)
    if "$" in encoded and not encoded.startswith("hmac_sha256$"):
        return check_password(key, encoded)  # rows hashed before the dedicated hasher existed
    return access_key_digest_verify(key, encoded)


# Submission tokens come from two separate spaces: the public form (a value this server signed,
# complaints/forms.py) and API clients (their own idempotency tokens). A token of one space never
# finds a submission made in the other, and each is honoured only for so long: a form left open
# over a night shift may still be sent the next morning; an API client retries within minutes.
SUBMISSION_TOKEN_MAX_AGE = {"form": 24 * 3600, "api": 3600}


def submission_token_digest(token: str) -> str:
    """What the database keeps of a form token: finds a retry, useless to derive the key."""
    return hashlib.sha256(f"complaint-submission:{token}".encode()).hexdigest()


def submission_token_bound(*, space: str, token: str, fingerprint: str) -> str:
    """The token as the portal uses it: tied to its space and to the content submitted with it,
    so a replay with other fields is another submission with another key, never the receipt of
    the first one."""
    if space not in SUBMISSION_TOKEN_MAX_AGE:
        raise ValueError(f"unknown submission token space: {space!r}")
    return f"{space}:{token}:{fingerprint}"


_DUMMY_HASH_KEY = "dummy-reference"


def access_key_check(key: str, encoded: str | None) -> bool:
    """Check a key against a stored hash; with no hash (unknown reference) run the same check
    against a throwaway hash, so neither the answer nor its cost tells the two apart."""
    normalised = access_key_normalise(key)
    if encoded is None:
        access_key_digest_verify(normalised or "-", access_key_hash(_DUMMY_HASH_KEY))
        return False
    ok = _verify(normalised or "-", encoded)
    return ok and bool(normalised)
