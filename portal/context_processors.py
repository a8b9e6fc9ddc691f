from django.conf import settings
from django.utils.html import format_html


def crisis_center_link(phone: str) -> str:
    """The hotline as a tel: link (one tap on a phone), for every page that names it."""
    digits = "".join(char for char in phone if char.isdigit() or char == "+")
    return format_html('<a href="tel:{}">{}</a>', digits, phone) if digits else phone


def portal(request) -> dict:
    return {
        # Templates show the hotline as a tel: link; CRISIS_CENTER_PHONE_TEXT is the bare number.
        "CRISIS_CENTER_PHONE": crisis_center_link(settings.CRISIS_CENTER_PHONE),
        "CRISIS_CENTER_PHONE_TEXT": settings.CRISIS_CENTER_PHONE,
        "QUICK_EXIT_URL": "https://www.google.com/search?q=cuaca",
    }
