"""A logging filter that masks personal data (phone numbers, e-mail, NIK, passport) in messages.

Logs must never carry reporters' personal data (DEVELOPERS.md, security); lokal-id's samaran masks
Indonesian identifiers in free text, and the regexes below catch what it does not.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_PASSPORT = re.compile(r"\b[A-Z]{1,2}\d{6,8}\b")


def scrub(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _IPV4.sub("[ip]", text)
    text = _PHONE.sub("[number]", text)
    return _PASSPORT.sub("[id]", text)


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
