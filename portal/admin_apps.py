from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (second factor for staff) as `admin.site`.

    Kept apart from portal/admin_site.py: this module is imported while apps load, the site only
    when the admin is ready.
    """

    default_site = "portal.admin_site.PortalAdminSite"
