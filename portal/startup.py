"""Refuse to start a production process with a missing required setting (SECRET_KEY, ALLOWED_HOSTS).

Settings record what is missing instead of raising at import, so tools that only read the URL
configuration still load; the web server, Celery and `manage.py check` call this and stop.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

ADVICE = {
    "SECRET_KEY": (
        "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DEBUG=1 for local development."
    ),
    "ACCESS_KEY_PEPPER": (
        "ACCESS_KEY_PEPPER is not set. Set ACCESS_KEY_PEPPER to a long random value kept out of "
        "the database and its backups "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DEBUG=1 for local development."
    ),
    "ALLOWED_HOSTS": (
        "ALLOWED_HOSTS is not set. Set ALLOWED_HOSTS to the comma-separated host names this "
        "portal answers to (e.g. portal.kp2mi.go.id), or set DEBUG=1 for development."
    ),
}


def missing_settings_messages() -> list[str]:
    return [ADVICE[name] for name in getattr(settings, "MISSING_REQUIRED_SETTINGS", [])]


def require_production_settings() -> None:
    messages = missing_settings_messages()
    if messages:
        raise ImproperlyConfigured(" ".join(messages))


@checks.register()
def check_required_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(message, id=f"portal.E00{index}")
        for index, message in enumerate(missing_settings_messages(), start=1)
    ]
