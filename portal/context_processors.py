from django.conf import settings


def portal(request) -> dict:
    return {
        "CRISIS_CENTER_PHONE": settings.CRISIS_CENTER_PHONE,
        "QUICK_EXIT_URL": "https://www.google.com/search?q=cuaca",
    }
