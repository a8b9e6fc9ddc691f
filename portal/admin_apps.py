from django.apps import apps
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (second factor for staff) as `admin.site`.

    Kept apart from portal/admin_site.py: this module is imported while apps load, the site only
    when the admin is ready.
    """

    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self) -> None:
        from portal.tablib_formats import xlsx_format_defer

        # Before the admin modules import django-import-export, which would load openpyxl.
        xlsx_format_defer()
        super().ready()  # autodiscover: every app's admin module, django-otp's included
        from django.contrib import admin

        from portal.otp_admin import otp_admin_install

        otp_admin_install(admin.site)
        # django-otp's app names are not translatable either; the admin index shows them.
        for label, name in (
            ("otp_totp", _("Second factor: apps")),
            ("otp_static", _("Second factor: backup codes")),
        ):
            if apps.is_installed(f"django_otp.plugins.{label}"):
                apps.get_app_config(label).verbose_name = name
