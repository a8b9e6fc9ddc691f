"""`{% staff_page_links user as staff_pages %}`: the staff navigation for a template (the admin
index's "Staff pages" block); the links and who sees them are in oversight/navigation.py."""

from django import template

from oversight.navigation import staff_page_links_for

register = template.Library()


@register.simple_tag
def staff_page_links(user) -> list[tuple[str, str]]:
    return staff_page_links_for(user)
