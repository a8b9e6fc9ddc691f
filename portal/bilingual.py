"""Content written in Indonesian with an optional English version in `<field>_en` (villages,
best practices, outreach events): the text for the reader's language, and the language it is
actually in, so that pages mark untranslated text with lang="id" and say it plainly."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Shown:
    text: str
    language: str

    def __str__(self) -> str:
        return self.text


def bilingual_text(obj, field: str, *, language: str | None = None) -> Shown:
    language = (language or get_language() or "id")[:2]
    if language == "en":
        english = getattr(obj, f"{field}_en", "") or ""
        if english.strip():
            return Shown(text=english, language="en")
    return Shown(text=getattr(obj, field, "") or "", language="id")
