"""Staff second-factor devices in the admin, in the portal's languages.

django-otp marks none of its model or admin strings for translation, so its own admins would show
English to Indonesian administrators. These replace them: an administrator sees who has which
device and removes a lost one (the user then enrols again at the next sign-in); secrets are never
shown or edited here.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class _DeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "device_name", "is_confirmed", "created", "last_used")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    search_help_text = _("Username or e-mail of the staff member.")
    list_select_related = ("user",)
    fields = ("user", "device_name", "is_confirmed", "created", "last_used")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # devices are enrolled by their owner, at sign-in

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("device name"), ordering="name")
    def device_name(self, obj) -> str:
        return obj.name

    @admin.display(description=_("ready for use"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj) -> bool:
        return obj.confirmed

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at


class TOTPDeviceAdmin(_DeviceAdmin):
    pass


class StaticDeviceAdmin(_DeviceAdmin):
    pass


def otp_admin_install(site: admin.AdminSite) -> None:
    """Swap django-otp's admins for ours and give its models translated names."""
    labels = {
        TOTPDevice: (_("authenticator app"), _("authenticator apps"), TOTPDeviceAdmin),
        StaticDevice: (_("backup code set"), _("backup code sets"), StaticDeviceAdmin),
    }
    for model, (singular, plural, model_admin) in labels.items():
        # Model names shown in the admin index and breadcrumbs (django-otp's are plain strings).
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)
