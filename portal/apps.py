from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import startup  # noqa: F401 - registers the required-settings check
        from portal.metrics import gauge_provider_register, portal_gauges_ground

        gauge_provider_register(portal_gauges_ground)

        from portal.models import Region
        from portal.reference_cache import reference_cache_watch

        # The complaint form's region lists come from the reference cache.
        reference_cache_watch(Region)

        # Later apps add models and permissions: re-sync the role groups after every migrate.
        post_migrate.connect(_sync_role_groups, dispatch_uid="portal.role_groups")


def _sync_role_groups(sender, **kwargs) -> None:
    # post_migrate fires once per app, in INSTALLED_APPS order; permissions of an app exist only
    # after its own signal, so sync after the last app (portal comes before complaints & co.).
    from django.apps import apps

    if sender.name != list(apps.get_app_configs())[-1].name:
        return
    from portal.services import role_groups_sync

    role_groups_sync()
