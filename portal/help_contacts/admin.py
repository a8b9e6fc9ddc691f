from django.contrib import admin

from portal.help_contacts.models import HelpContact


@admin.register(HelpContact)
class HelpContactAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "kind", "phone", "whatsapp", "last_checked", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("name", "address", "phone")
    list_editable = ("last_checked",)
