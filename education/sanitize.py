"""Markdown → safe HTML for guides and FAQ answers (Markdown + nh3).

Editors write Markdown; raw HTML inside it is allowed only as far as the allowlist below. Everything
else is removed and reported back, so the editor learns what was dropped instead of finding a
silently different page. Heading ids get the `h-` prefix so a guide can never reuse an id of the
page itself (the skip link's `#main`, form ids) and clobber it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

HEADING_ID_PREFIX = "h-"
# A guide longer than this is not a guide; it also bounds the time spent rendering one save.
MAX_MARKDOWN_CHARS = 60_000

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img",
    "abbr", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "gambar"}
# `![alt](gambar:<slug>)` embeds a GuideImage; any other image source is refused: external
# images would be blocked by the CSP (img-src 'self') and escape the page budget.
IMAGE_SCHEME = "gambar:"
IMAGE_WIDTHS = (360, 720, 1080)
# Dropped together with their content (a script's text must not reappear as page text).
CONTENT_DROPPED_TAGS = {"script", "style", "iframe", "svg", "math", "object", "embed", "template",
                        "noscript", "textarea", "select", "title"}  # fmt: skip
# Images in guides are small illustrations: the page budget (60 KB without images) assumes
# the browser loads them lazily and CSS scales them to the phone's width; inline data: images
# (which would be counted inside the HTML) are refused by the scheme allowlist.
IMG_FORCED_ATTRIBUTES = {"img": {"loading": "lazy", "decoding": "async"}}


@dataclass
class RenderResult:
    html: str
    removed: list[str] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of h2 for a TOC


def _heading_slug(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + (slugify_unicode(value, separator) or "bagian")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not value.startswith(HEADING_ID_PREFIX):
        return None
    if tag == "img" and attribute == "src" and not _image_source_allowed(value):
        return None
    if tag == "a" and attribute == "href" and value.lower().startswith(IMAGE_SCHEME):
        return None
    return value


def _image_source_allowed(value: str) -> bool:
    return bool(re.fullmatch(r"gambar:[a-z0-9-]{1,80}", value))


def _url_allowed(url: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = urlsplit(cleaned).scheme if ":" in cleaned.split("/")[0] else ""
    return not scheme or scheme in URL_SCHEMES


class _Inventory(HTMLParser):
    """Lists what nh3 is going to remove, in words an editor understands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._note(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self._note(f"<{tag} {name}>")
            elif name in {"href", "src"} and value is not None and not _url_allowed(value):
                self._note(f"<{tag} {name}={value[:40]}>")
            elif name == "id" and value is not None and not value.startswith(HEADING_ID_PREFIX):
                self._note(f"<{tag} id={value[:40]}>")
            elif tag == "img" and name == "src" and not _image_source_allowed(value or ""):
                self._note(f"<img src={(value or '')[:40]}>")
            elif tag == "a" and name == "href" and (value or "").lower().startswith(IMAGE_SCHEME):
                self._note(f"<a href={(value or '')[:40]}>")

    handle_startendtag = handle_starttag


def render_markdown(text: str) -> RenderResult:
    """Render an editor's Markdown to HTML that is safe to show on a public page."""
    md = markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": _heading_slug, "toc_depth": "2-4"}},
        output_format="html",
    )
    raw_html = md.convert(text or "")
    inventory = _Inventory()
    inventory.feed(raw_html)
    inventory.close()
    safe_html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_DROPPED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=IMG_FORCED_ATTRIBUTES,
        strip_comments=True,
    )
    safe_html = _IMAGE_TAG.sub(_responsive_image, _IMAGE_WITHOUT_SOURCE.sub("", safe_html))
    headings = [
        (token["id"], token["name"])
        for token in _flatten(md.toc_tokens)
        if token["level"] == 2 and token["id"] in safe_html
    ]
    return RenderResult(html=safe_html, removed=inventory.removed, headings=headings)


_IMAGE_TAG = re.compile(r'<img ([^>]*?)src="gambar:([a-z0-9-]{1,80})"([^>]*)>')
# An image whose source was refused is dropped whole (an <img> without src helps nobody).
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _responsive_image(match: re.Match) -> str:
    """A guide image in every phone width; the browser picks the one its screen needs."""
    from django.urls import reverse

    before, slug, after = match.group(1), match.group(2), match.group(3)

    def url(width: int) -> str:
        return reverse("education:image", kwargs={"slug": slug, "width": width})

    srcset = ", ".join(f"{url(width)} {width}w" for width in IMAGE_WIDTHS)
    return (
        f'<img src="{url(IMAGE_WIDTHS[1])}" srcset="{srcset}" '
        f'sizes="(max-width: 46rem) 100vw, 44rem" {before.strip()}{after}>'
    )


def _flatten(tokens: list[dict]) -> list[dict]:
    flat: list[dict] = []
    for token in tokens:
        flat.append(token)
        flat.extend(_flatten(token.get("children", [])))
    return flat


_H2 = re.compile(r'<h2 id="(h-[^"]+)">(.*?)</h2>', re.S)


def headings_of(html: str) -> list[tuple[str, str]]:
    """(id, text) of the h2 sections of already sanitised HTML, for a table of contents."""
    return [(anchor, nh3.clean(text, tags=set())) for anchor, text in _H2.findall(html)]
