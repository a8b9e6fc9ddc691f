from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import metrics, token_views, views

portal_patterns = [
    path("", views.home, name="home"),
]

staff_token_patterns = [
    path("", token_views.staff_token_list, name="list"),
    path("<int:token_id>/cabut/", token_views.staff_token_revoke_view, name="revoke"),
]

api_v1_patterns = [
    path("", include("complaints.api_urls")),
    path("", include("education.api_urls")),
    path("", include("desa_migran.api_urls")),
    path("", include("portal.api_urls")),
    path("", include("oversight.api_urls")),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # Dashboards, watchlist and public statistics (/dashboard/…, /statistik/…).
    path("", include("oversight.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("pengaduan/", include("complaints.urls")),
    path("panduan/", include("education.urls")),
    path("desa-migran/", include("desa_migran.urls")),
    path("staf/laporan/", include("oversight.reports.urls")),
    path("staf/pengaduan/", include("complaints.staff_urls")),
    path("staf/panduan/", include("education.learning.urls")),
    path("staf/token-api/", include((staff_token_patterns, "staff_tokens"))),
    path("sosialisasi/", include("education.outreach.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its initialiser as a file (?script): no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1_patterns)),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
