from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = _("Safe-migration education")

    def ready(self) -> None:
        from education.models import Article
        from portal.reference_cache import reference_cache_watch

        # The complaint receipt's guide suggestions come from the reference cache.
        reference_cache_watch(Article)
