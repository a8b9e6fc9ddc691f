from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Later apps add models and permissions: re-sync the role groups after every migrate.
        post_migrate.connect(_sync_role_groups, dispatch_uid="portal.role_groups")


def _sync_role_groups(sender, **kwargs) -> None:
    # post_migrate fires once per app; syncing after the last one is enough.
    if sender.name != "portal":
        return
    from portal.services import role_groups_sync

    role_groups_sync()
