from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.metrics import complaint_gauges
        from portal.metrics import gauge_provider_register

        gauge_provider_register(complaint_gauges)

        from complaints.models import Agency, Category
        from portal.reference_cache import reference_cache_watch

        # The public form's lists and the submit path read these from the reference cache.
        reference_cache_watch(Category, Agency)
