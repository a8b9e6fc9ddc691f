"""`{% bilingual obj "title" as title %}` → title.text, title.language (portal.bilingual)."""

from django import template

from portal.bilingual import Shown, bilingual_text

register = template.Library()


@register.simple_tag
def bilingual(obj, field: str) -> Shown:
    return bilingual_text(obj, field)
