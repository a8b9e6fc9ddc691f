"""The hasher of reporters' access keys.

A key is 98 random bits from a CSPRNG, not a human password: guessing it is hopeless whatever the
hash costs, so the salted slow hash is defence in depth for a leaked database. Django's password
default (1,000,000 PBKDF2 rounds, about half a second of CPU here) would make every submission and
every tracking look-up a lever for exhausting the web servers; 100,000 rounds keep it near 40 ms.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class AccessKeyHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_accesskey"
    iterations = 100_000


ACCESS_KEY_HASHER = AccessKeyHasher()
