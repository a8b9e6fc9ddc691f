"""Dashboard, watchlist and public statistics routes, in the `oversight` namespace.

Office reports keep their own `reports` namespace under /staf/laporan/ (oversight/reports/urls.py).
"""

from django.urls import path

from oversight.dashboards import stats_views, views

app_name = "oversight"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/csv/<slug:table>/", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/complaints/", views.dashboard_complaints, name="dashboard_complaints"),
    path("dashboard/watchlist/", views.watchlist, name="watchlist"),
    path("dashboard/watchlist/csv/<slug:table>/", views.watchlist_csv, name="watchlist_csv"),
    path("statistik/", stats_views.stats, name="stats"),
    path("statistik/data/<slug:table>.csv", stats_views.stats_csv, name="stats_csv"),
    path("statistik/data.json", stats_views.stats_json, name="stats_json"),
]
