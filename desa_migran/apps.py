from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesaMigranConfig(AppConfig):
    name = "desa_migran"
    verbose_name = _("Desa Migran Emas")
