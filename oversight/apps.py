from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The top floor: dashboards, watchlist, public statistics, office reports, staff navigation.

    It reads complaints, education and desa_migran; nothing below imports it (import-linter
    contract in pyproject.toml, run by `make lint`).
    """

    name = "oversight"
    label = "oversight"
    verbose_name = _("Oversight")
