from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Office, Region, StaffApiToken
from portal.services import membership_revoke, membership_save

admin.site.site_header = _("PMI Services Portal: staff")
admin.site.site_title = _("PMI Services Portal")
admin.site.index_title = _("Administration")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")
    show_full_result_count = False
    # Regions come from Kemendagri data (load_regions); staff look them up, never edit them.
    readonly_fields = ("code", "name", "level", "parent", "postal_code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "notification_email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("regions", "parent")
    inlines = (MembershipInline,)

    def get_queryset(self, request):
        from portal.selectors import office_list_visible_to

        return office_list_visible_to(user=request.user).select_related("parent")

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # A role's permissions come with its group: rows go through the grant and revoke
        # services, which keep the user's groups and staff status in step with the rows.
        changed = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_revoke(membership=membership)
        for membership in changed:
            membership_save(membership=membership)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role", "created_at")
    list_filter = ("role", "office__kind")
    search_fields = ("user__username", "office__name")
    autocomplete_fields = ("user", "office")
    list_select_related = ("user", "office")

    def save_model(self, request, obj, form, change) -> None:
        saved = membership_save(membership=obj)
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset.select_related("user"):
            membership_revoke(membership=membership)

    def get_queryset(self, request):
        from portal.selectors import office_list_visible_to

        return (
            super()
            .get_queryset(request)
            .filter(office__in=office_list_visible_to(user=request.user))
        )


@admin.register(StaffApiToken)
class StaffApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every staff API token and revoke them; nobody creates or edits one
    here (a token is issued by its owner, past the second factor: portal.api_tokens)."""

    list_display = (
        "name",
        "user",
        "key_prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    search_fields = ("user__username", "name", "key_prefix")
    list_select_related = ("user",)
    fields = (*list_display, "revoked_by")
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        from portal.api_tokens import staff_token_revoke

        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            staff_token_revoke(token=token, actor=request.user)
            revoked += 1
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": revoked})


# The help directory abroad registers its own admin.
from portal.help_contacts import admin as _help_contacts_admin  # noqa: E402, F401
