from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.metrics import complaint_gauges
        from portal.metrics import gauge_provider_register

        gauge_provider_register(complaint_gauges)
